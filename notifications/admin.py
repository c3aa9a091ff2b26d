"""Django admin for notifications: the office follows deliveries up (read only, with a
"retry" action for failed ones), may look at or correct a user's channel preferences, and
chooses whether SMS keep their diacritics (the single MessageSettings row)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.models import (
    MessageSettings,
    Notification,
    NotificationPreference,
    NotificationStatus,
)
from notifications.services.delivery import notification_retry
from notifications.services.message_settings import message_settings_update
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


@admin.register(MessageSettings)
class MessageSettingsAdmin(admin.ModelAdmin):
    """One row: the list opens it directly; it can be added only if missing, never deleted."""

    fields = ("sms_with_diacritics",)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        current = self.get_queryset(request).first()
        if current is not None and self.has_view_or_change_permission(request, current):
            return HttpResponseRedirect(
                reverse("admin:notifications_messagesettings_change", args=[current.pk])
            )
        return super().changelist_view(request, extra_context)

    def save_model(
        self, request: HttpRequest, obj: MessageSettings, form: forms.ModelForm, change: bool
    ) -> None:
        saved = message_settings_update(sms_with_diacritics=obj.sms_with_diacritics)
        obj.pk = saved.pk

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not MessageSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
