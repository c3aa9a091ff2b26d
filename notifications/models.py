"""Messages to people: one row per task × step × deadline × recipient × channel (and
occurrence, for repeated steps), or per recipient × channel × day for the morning digest.
The unique constraints make recording idempotent; the status moves pending → sending →
sent or failed by conditional updates, so a message is never sent twice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker.models.reminders import Channel


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Escalation")
    DIGEST = "digest", _("Morning digest")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    task = models.ForeignKey(
        "tracker.Task",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("task"),
    )
    step = models.ForeignKey(
        "tracker.ReminderStep",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("step"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    occurrence = models.PositiveSmallIntegerField(_("occurrence"), default=0)
    digest_on = models.DateField(_("digest of"), null=True, blank=True)
    recipient = models.ForeignKey(
        "tracker.User",
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    # Not before this moment: 08:00 local on the step's day, SMS never in the night, and the
    # next attempt after a failure.
    send_after = models.DateTimeField(_("send after"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "step", "deadline", "recipient", "channel", "occurrence"],
                condition=~Q(kind="digest"),
                name="notification_once_per_step",
            ),
            models.UniqueConstraint(
                fields=["recipient", "channel", "digest_on"],
                condition=Q(kind="digest"),
                name="notification_one_digest_a_day",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="digest", digest_on__isnull=False, task__isnull=True)
                    | (
                        ~Q(kind="digest")
                        & Q(task__isnull=False, step__isnull=False, deadline__isnull=False)
                    )
                ),
                name="notification_keyed_by_kind",
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
        ]

    def __str__(self) -> str:
        kind, channel = self.get_kind_display(), self.get_channel_display()
        return f"{kind} → {self.recipient_id} ({channel}, {self.get_status_display()})"


class NotificationPreference(models.Model):
    """The channels a user wants for one kind of message; escalations ignore opt-outs."""

    user = models.ForeignKey(
        "tracker.User",
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
    return settings.SMS_WITH_DIACRITICS


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
