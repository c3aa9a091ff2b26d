"""The webhooks in the admin: the office registers its endpoints (the URL checked by the
same rule as the API, `webhook_endpoint_errors`; the secret made when left empty, and
shown) and follows the deliveries up, read only, with "send again" for failed ones."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from config.common.admin import ReadableTitleAdmin, RuleCheckedForm
from notifications.models import (
    SECRET_PATTERN,
    NotificationStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from notifications.services.delivery import webhook_delivery_retry
from notifications.services.webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_errors,
    webhook_endpoint_update,
)

ENDPOINT_FIELDS = ("name", "url", "event_types", "secret", "is_active", "allow_private_network")


class WebhookEndpointForm(RuleCheckedForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=capfirst(_("event types")),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    secret = forms.RegexField(
        label=capfirst(_("signing secret")),
        regex=SECRET_PATTERN,
        required=False,
        help_text=_("Left empty: a new secret is made. The receiver verifies with it."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ENDPOINT_FIELDS

    def rule_errors(self, data: dict[str, Any]) -> dict[str, list[str]]:
        return webhook_endpoint_errors(
            {
                name: data[name]
                for name in ("url", "event_types", "allow_private_network")
                if name in data
            }
        )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("name", "url", "is_active", "allow_private_network", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")

    def save_model(
        self, request: HttpRequest, obj: WebhookEndpoint, form: WebhookEndpointForm, change: bool
    ) -> None:
        data = {name: form.cleaned_data[name] for name in ENDPOINT_FIELDS}
        if change:
            endpoint = WebhookEndpoint.objects.get(pk=obj.pk)
            endpoint = webhook_endpoint_update(endpoint=endpoint, data=data)
        else:
            endpoint = webhook_endpoint_create(data=data)
        form.instance = endpoint
        obj.pk = endpoint.pk


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadableTitleAdmin):
    list_display = ("endpoint", "event", "status", "attempts", "send_after", "sent_at")
    list_filter = ("status", "event", "endpoint")
    list_select_related = ("endpoint",)
    search_fields = ("=key", "=message_id")
    date_hierarchy = "created_at"
    actions = ("retry",)
    fields = (
        "endpoint", "event", "key", "message_id", "content_type", "body", "status",
        "attempts", "last_error", "send_after", "claimed_at", "sent_at",
        "provider_message_id", "created_at",
    )  # fmt: skip
    readonly_fields = fields

    @admin.action(description=_("Send the failed deliveries again"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        retried = sum(
            webhook_delivery_retry(delivery)
            for delivery in queryset.filter(status=NotificationStatus.FAILED)
        )
        skipped = queryset.count() - retried
        self.message_user(
            request, _("%(count)d delivery(ies) will be sent again.") % {"count": retried}
        )
        if skipped:
            self.message_user(
                request,
                _("%(count)d delivery(ies) had not failed and were left alone.")
                % {"count": skipped},
                messages.WARNING,
            )

    def title_of(self, obj: WebhookDelivery) -> str:
        return f"{obj.get_event_display()} → {obj.endpoint} ({obj.get_status_display()})"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
