"""The reminder and escalation policy, as data the office edits: which messages go out, to
whom, on which channels, how many working days from a task's effective deadline."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationKind


class Audience(models.TextChoices):
    LEAD_OFFICERS = "lead_officers", _("Officers of the lead department")
    LEAD_HEAD = "lead_head", _("Head of the lead department")
    COORDINATING_HEADS = "coordinating_heads", _("Heads of the coordinating departments")
    SUPERVISING_LEADER = "supervising_leader", _("Supervising leader")
    FOLLOW_UP_OFFICER = "follow_up_officer", _("The office's follow-up officer")
    OFFICE_DIRECTOR = "office_director", _("Director of the chairman's office")


class StepKind(models.TextChoices):
    """A step is a reminder or an escalation: the kinds of message of those names
    (notifications' NotificationKind, whose preferences they follow), the same values and
    labels, taken from there."""

    REMINDER = NotificationKind.REMINDER.value, NotificationKind.REMINDER.label
    ESCALATION = NotificationKind.ESCALATION.value, NotificationKind.ESCALATION.label


class ReminderPolicy(models.Model):
    """A set of steps. The default one applies to every task; a policy for urgent tasks,
    when there is one, applies to those instead."""

    name = models.CharField(_("name"), max_length=200)
    priority = models.CharField(
        _("for priority"),
        max_length=16,
        blank=True,
        help_text=_("Empty: the default policy; “urgent”: the policy of urgent tasks."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        constraints = [
            models.UniqueConstraint(
                fields=["priority"], condition=Q(active=True), name="reminder_policy_one_active"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=["", "normal", "urgent"]),
                name="reminder_policy_priority_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReminderStep(models.Model):
    policy = models.ForeignKey(
        ReminderPolicy, on_delete=models.CASCADE, related_name="steps", verbose_name=_("policy")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    offset_working_days = models.SmallIntegerField(
        _("working days from the deadline"),
        help_text=_("Negative: before the deadline; 0: the deadline day; positive: after it."),
    )
    repeat_every_working_days = models.PositiveSmallIntegerField(
        _("repeat every (working days)"),
        null=True,
        blank=True,
        help_text=_("For a step after the deadline: repeated while the task stays open."),
    )
    audiences = models.JSONField(_("audiences"), default=list)
    channels = models.JSONField(_("channels"), default=list)

    class Meta:
        verbose_name = _("reminder step")
        verbose_name_plural = _("reminder steps")
        ordering = ["policy", "offset_working_days"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="reminder_step_code_unique"),
            models.UniqueConstraint(
                fields=["policy", "offset_working_days"], name="reminder_step_offset_unique"
            ),
            models.CheckConstraint(
                condition=Q(repeat_every_working_days__isnull=True)
                | Q(repeat_every_working_days__gt=0, offset_working_days__gt=0),
                name="reminder_step_repeats_after_the_deadline",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=StepKind.values), name="reminder_step_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.offset_working_days:+d})"
