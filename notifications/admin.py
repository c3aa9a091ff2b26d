"""Django admin for notifications: the office follows deliveries up (read only, with a
"retry" action for failed ones) and may look at or correct a user's channel preferences."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification, NotificationPreference, NotificationStatus
from notifications.services.delivery import notification_retry
from tracker.models import Channel


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "recipient",
        "channel",
        "kind",
        "status",
        "attempts",
        "send_after",
        "sent_at",
        "task",
    )
    list_filter = ("status", "channel", "kind")
    list_select_related = ("recipient", "task")
    search_fields = ("recipient__username", "recipient__full_name", "subject")
    date_hierarchy = "created_at"
    actions = ("retry",)
    fields = (
        "kind",
        "recipient",
        "channel",
        "language",
        "task",
        "step",
        "deadline",
        "occurrence",
        "digest_on",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "send_after",
        "claimed_at",
        "sent_at",
        "provider_message_id",
        "read_at",
        "created_at",
    )
    readonly_fields = fields

    @admin.action(description=_("Retry the failed deliveries"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        retried = sum(
            notification_retry(notification)
            for notification in queryset.filter(status=NotificationStatus.FAILED)
        )
        skipped = queryset.count() - retried
        self.message_user(
            request, _("%(count)d notification(s) will be sent again.") % {"count": retried}
        )
        if skipped:
            self.message_user(
                request,
                _("%(count)d notification(s) had not failed and were left alone.")
                % {"count": skipped},
                messages.WARNING,
            )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NotificationPreferenceForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: no message of this kind (escalations are sent all the same)."),
    )

    class Meta:
        model = NotificationPreference
        fields = ("user", "kind", "channels")

    def clean_channels(self) -> list[str]:
        chosen = set(self.cleaned_data["channels"])
        return [channel for channel in Channel.values if channel in chosen]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    form = NotificationPreferenceForm
    list_display = ("user", "kind", "channels")
    list_filter = ("kind",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name")
    raw_id_fields = ("user",)
