"""Reads of notifications: a user's in-app inbox and its unread count, the office's list
of failed deliveries, a user's channel preferences, the office's message settings, the
Zalo template of a message."""

from django.db.models import QuerySet

from config.common.users import AuthUser
from notifications.models import (
    MESSAGE_SETTINGS_PK,
    Channel,
    MessageSettings,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationStatus,
    WebhookDelivery,
    WebhookEndpoint,
    ZaloTemplate,
)

# No preference for a kind of message: every channel the policy sends it on. Zalo is not
# among them: a user chooses it (recording.channels_expanded), so that saving one's
# preferences unchanged never adds Zalo messages beside the SMS.
DEFAULT_CHANNELS = tuple(channel for channel in Channel.values if channel != Channel.ZALO)


def inbox_list(user: AuthUser, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app messages that have been delivered, newest first (only the unread
    ones with `unread_only`)."""
    messages = Notification.objects.filter(
        recipient=user, channel=Channel.INBOX, status=NotificationStatus.SENT
    )
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages.order_by("-created_at", "-id")


def inbox_unread_count(user: AuthUser) -> int:
    return inbox_list(user).filter(read_at__isnull=True).count()


def failed_list(*, channel: str | None = None, kind: str | None = None) -> QuerySet[Notification]:
    """Deliveries that ran out of attempts, newest first: on every channel and of every
    kind, or on the one `channel` and of the one `kind` given."""
    failed = Notification.objects.filter(status=NotificationStatus.FAILED)
    if channel:
        failed = failed.filter(channel=channel)
    if kind:
        failed = failed.filter(kind=kind)
    return failed.select_related("recipient").order_by("-created_at", "-id")


def notification_list() -> QuerySet[Notification]:
    """Every notification, for the office's actions on one of them (retry)."""
    return Notification.objects.select_related("recipient").order_by("-created_at", "-id")


def preferences_of(user: AuthUser) -> dict[str, list[str]]:
    """The channels the user wants for each kind of message; a kind without a stored
    preference gets the default ones (every channel but Zalo, which is chosen)."""
    stored = {p.kind: list(p.channels) for p in NotificationPreference.objects.filter(user=user)}
    return {kind: stored.get(kind, list(DEFAULT_CHANNELS)) for kind in NotificationKind.values}


def message_settings_get() -> MessageSettings:
    """The office's message settings (one query): the single row, or, if it is missing (a
    test's flush), an unsaved one holding the install-time default (SMS_WITH_DIACRITICS).
    Read once per sweep batch or digest run, never once per message."""
    return MessageSettings.objects.filter(pk=MESSAGE_SETTINGS_PK).first() or MessageSettings()


def webhook_subscribed(event: str) -> bool:
    """Whether an active endpoint wants the event: a bulk sender asks before it builds the
    event's data for thousands of rows nobody would receive."""
    return bool(webhook_endpoints_subscribed(event))


def webhook_endpoints_subscribed(event: str) -> list[WebhookEndpoint]:
    """The active endpoints that want the event."""
    return [endpoint for endpoint in webhook_active_endpoints() if event in endpoint.event_types]


def webhook_active_endpoints() -> list[WebhookEndpoint]:
    """The active endpoints with their events, in one query: an office has a handful, and
    the events are matched here (SQLite, in development, has no JSON containment)."""
    return list(WebhookEndpoint.objects.filter(is_active=True).only("pk", "event_types"))


def webhook_endpoint_list() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.order_by("name", "pk")


def webhook_delivery_list() -> QuerySet[WebhookDelivery]:
    """Every delivery, newest first, with its endpoint."""
    return WebhookDelivery.objects.select_related("endpoint").order_by("-created_at", "-id")


def webhook_failed_list() -> QuerySet[WebhookDelivery]:
    return webhook_delivery_list().filter(status=NotificationStatus.FAILED)


def zalo_template_id(code: str, language: str) -> str:
    """The ZNS template id the office entered for a message code and language ("" if none)."""
    template = ZaloTemplate.objects.filter(code=code, language=language).first()
    return template.template_id if template else ""
