"""Messages to people: one row per de-duplication key × recipient × channel. The caller
builds the key (a plain string naming what the message is once: for a reminder step, the
subject, the step, the deadline and the repetition; for the digest, the day), so recording
is idempotent under the unique constraint; the status moves pending → sending → sent or
failed by conditional updates, so a message is never sent twice. What a message is about
is an opaque reference (`about`, `about_id`, `code`) and a `link` to its web page, stored
as the caller gives them and never interpreted here."""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """The channels a message goes out on. Their order here is the one order every list of
    channels is kept in (`channels_in_order`): preferences, a reminder step's channels."""

    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")


def channels_in_order(codes: Iterable[str]) -> list[str]:
    """The channels among `codes`, each once, in Channel's order (anything else dropped)."""
    chosen = set(codes)
    return [channel for channel in Channel.values if channel in chosen]


class NotificationKind(models.TextChoices):
    """The kinds of message a user chooses channels for. Escalations ignore opt-outs."""

    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Escalation")
    DIGEST = "digest", _("Morning digest")


# The morning digest goes in the app and by e-mail only: its list fits no SMS.
DIGEST_CHANNELS = (Channel.INBOX, Channel.EMAIL)

# The channels that reach a phone: never used between 21:00 and 07:00 (timing.py).
QUIET_CHANNELS = (Channel.SMS, Channel.ZALO)

# API.md's contract keeps the fields `task` and `step` of a notification for other systems:
# they report the reference of the messages whose `about` is this (a sender gives it so).
API_SUBJECT = "task"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Deliverable(models.Model):
    """What every outgoing row shares, so one delivery machinery (claims, leases, retries,
    the office's retry: notifications/services/delivery.py) serves them all: its status,
    when it may go out, its attempts and their outcome."""

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    # Not before this moment: the sender's moment (a reminder: 08:00 local on its day), SMS
    # never in the night, and the next attempt after a failure.
    send_after = models.DateTimeField(_("send after"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True)

    class Meta:
        abstract = True


class Notification(Deliverable):
    """One message to one recipient on one channel, rendered when recorded. `key` is the
    sender's de-duplication key; `code` the template the text came from; `about` and
    `about_id` the sender's reference to the subject of the message, and `link` the web
    path of that subject (the inbox's "open" button): stored as given, never interpreted
    here. A message without a subject (the morning digest) has neither."""

    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    key = models.CharField(
        _("de-duplication key"),
        max_length=200,
        help_text=_("Built by the sender: one message per key, recipient and channel."),
    )
    code = models.CharField(_("template"), max_length=40)
    about = models.CharField(_("about"), max_length=32, blank=True)
    about_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient", "channel"], name="notification_once_per_key"
            ),
            models.CheckConstraint(condition=~Q(key=""), name="notification_keyed"),
            models.CheckConstraint(
                condition=Q(about="", about_id__isnull=True)
                | (~Q(about="") & Q(about_id__isnull=False)),
                name="notification_about_whole",
            ),
            models.CheckConstraint(
                condition=Q(status__in=NotificationStatus.values), name="notification_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="notification_channel_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["send_after"],
                condition=Q(status__in=["pending", "sending"]),
                name="notification_due_idx",
            ),
            models.Index(
                fields=["recipient", "channel", "-created_at"], name="notification_inbox_idx"
            ),
            models.Index(fields=["about", "about_id"], name="notification_about_idx"),
        ]

    def __str__(self) -> str:
        kind, channel = self.get_kind_display(), self.get_channel_display()
        return f"{kind} → {self.recipient_id} ({channel}, {self.get_status_display()})"


class NotificationPreference(models.Model):
    """The channels a user wants for one kind of message; escalations ignore opt-outs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    channels = models.JSONField(_("channels"), default=list)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.get_kind_display()}"


MESSAGE_SETTINGS_PK = 1  # the primary key of the single MessageSettings row


def sms_with_diacritics_default() -> bool:
    """The install-time choice: the SMS_WITH_DIACRITICS setting (environment)."""
    with_diacritics: bool = settings.SMS_WITH_DIACRITICS  # environ reads it, untyped
    return with_diacritics


class MessageSettings(models.Model):
    """The office's choices about message texts, in the admin: one row (primary key 1,
    created by a migration with the SMS_WITH_DIACRITICS setting as its initial value). The
    sweep and the digest read it once per run, so a change takes effect at the next run."""

    id = models.PositiveSmallIntegerField(
        primary_key=True, default=MESSAGE_SETTINGS_PK, editable=False
    )
    sms_with_diacritics = models.BooleanField(
        _("SMS with diacritics"),
        default=sms_with_diacritics_default,
        help_text=_(
            "Off: SMS are sent without Vietnamese diacritics (“So Y te”), so that each fits "
            "one 160-character segment. On: with diacritics (“Sở Y tế”), as Unicode SMS of "
            "70 characters a segment, which may cost several segments. Takes effect at the "
            "next reminder sweep."
        ),
    )

    class Meta:
        verbose_name = _("message settings")
        verbose_name_plural = _("message settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=MESSAGE_SETTINGS_PK),  # hence one row at most
                name="message_settings_single_row",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Message settings"))


# --- Webhooks: the office's endpoints and the signed deliveries to them -------------------


class WebhookEvent(models.TextChoices):
    """What other systems may subscribe to. Plain names: the sender (tracker) builds each
    event's data; here it is opaque. `directive.status` carries an XML document (a
    directive's edXML status package), the others JSON."""

    TASK_ASSIGNED = "task.assigned", _("Task assigned")
    TASK_OVERDUE = "task.overdue", _("Task overdue")
    TASK_COMPLETED = "task.completed", _("Task completed")
    EXTENSION_DECIDED = "extension.decided", _("Extension request decided")
    PERIOD_PUBLISHED = "period.published", _("Period published")
    DIRECTIVE_STATUS = "directive.status", _("Directive status (edXML)")


# Standard Webhooks' form of a secret: whsec_ and 24 to 64 random bytes in base64.
SECRET_PATTERN = r"^whsec_[A-Za-z0-9+/]{32,88}={0,2}$"


class WebhookEndpoint(models.Model):
    """A receiver the office registers: its URL, the events it wants, and the secret every
    delivery to it is signed with (Standard Webhooks, `whsec_<base64>`)."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    event_types = models.JSONField(_("event types"), default=list)
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        help_text=_("The receiver verifies each delivery's signature with it (whsec_…)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    allow_private_network = models.BooleanField(
        _("allow private network"),
        default=False,
        help_text=_(
            "Off (the safe choice): deliveries go only to public Internet addresses, never "
            "to this server itself, the local network or cloud metadata addresses, so that a "
            "registered URL cannot be used to reach internal services (SSRF). Tick it only "
            "for a receiver inside the office's own network."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secret__regex=SECRET_PATTERN), name="webhook_endpoint_secret_form"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(Deliverable):
    """One event to one endpoint. `key` is the sender's de-duplication key (one delivery
    per key and endpoint); `message_id` the `webhook-id` header, the same on every attempt,
    by which a receiver drops what it got before; `body` the exact text signed and sent.
    `provider_message_id` keeps the receiver's HTTP status of the attempt that succeeded."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    key = models.CharField(_("de-duplication key"), max_length=200)
    message_id = models.CharField(_("message id"), max_length=40, unique=True)
    body = models.TextField(_("body"))
    content_type = models.CharField(_("content type"), max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "key"], name="webhook_delivery_once"),
            models.CheckConstraint(condition=~Q(key=""), name="webhook_delivery_keyed"),
            models.CheckConstraint(
                condition=Q(status__in=NotificationStatus.values),
                name="webhook_delivery_status_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["send_after"],
                condition=Q(status__in=["pending", "sending"]),
                name="webhook_delivery_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.get_status_display()})"


class ZaloTemplate(models.Model):
    """The Zalo Notification Service template that a message goes out with on Zalo: one per
    message code (a reminder step's code) and language, registered and approved on Zalo
    beforehand, its id entered here by the office. Its parameters are those the message's
    Zalo text file names (`<texts>/zalo/<code>.<language>.txt`)."""

    code = models.SlugField(
        _("message code"),
        max_length=40,
        help_text=_("The reminder step's code, e.g. early_reminder or escalation_1."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    template_id = models.CharField(
        _("ZNS template id"),
        max_length=32,
        help_text=_("The id Zalo gave the approved template (ZNS management)."),
    )

    class Meta:
        verbose_name = _("Zalo template")
        verbose_name_plural = _("Zalo templates")
        ordering = ["code", "language"]
        constraints = [
            models.UniqueConstraint(fields=["code", "language"], name="zalo_template_once"),
            models.CheckConstraint(condition=~Q(template_id=""), name="zalo_template_id_given"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.language}) → {self.template_id}"


ZALO_TOKEN_PK = 1  # the primary key of the single ZaloToken row


class ZaloToken(models.Model):
    """The Official Account's tokens: one row. Zalo's refresh token serves once (each refresh
    answers a new pair), so the pair lives here and not in settings; the office enters the
    first refresh token in the admin (or ZALO_REFRESH_TOKEN fills it on first use)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=ZALO_TOKEN_PK, editable=False)
    access_token = models.TextField(_("access token"), blank=True)
    refresh_token = models.TextField(_("refresh token"), blank=True)
    expires_at = models.DateTimeField(_("access token expires at"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zalo token")
        verbose_name_plural = _("Zalo tokens")
        constraints = [
            models.CheckConstraint(condition=Q(id=ZALO_TOKEN_PK), name="zalo_token_single_row"),
        ]

    def __str__(self) -> str:
        return str(_("Zalo Official Account tokens"))
