from django.db import models
from django.utils.translation import gettext_lazy as _

from config.common.dates import EARLIEST_DATE, LATEST_DATE

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "CalendarAdjustment",
    "CalendarAdjustmentKind",
    "OfficialCalendarDay",
    "OfficialNotice",
]


class CalendarAdjustmentKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Working day")


class CalendarAdjustment(models.Model):
    """The office's own change to the calendar: a day off or a working day of its own, or
    one decided by a notice the shipped official calendar does not hold (yet)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarAdjustmentKind.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("calendar adjustment")
        verbose_name_plural = _("calendar adjustments")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CalendarAdjustmentKind.values),
                name="calendar_adjustment_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class OfficialNotice(models.Model):
    """A government notice that gives weekdays off or makes weekend days working days
    (a day swap, Tết's days), shipped as data in tracker/data/calendar/ and loaded by
    `tracker.services.official_calendar`; never edited by hand."""

    number = models.CharField(_("number and symbol"), max_length=64, unique=True)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=255)
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("address"), max_length=500, blank=True)
    # Whether the number and the date were checked against `source`; `note` says what was not.
    verified = models.BooleanField(_("verified"), default=True)
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("official notice")
        verbose_name_plural = _("official notices")
        ordering = ["issued_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(number=""), name="official_notice_number_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class OfficialCalendarDay(models.Model):
    """A day an official notice decides: a weekday off or a weekend working day. The
    office's `CalendarAdjustment` of the same date wins over it."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarAdjustmentKind.choices)
    label = models.CharField(_("label"), max_length=255)
    notice = models.ForeignKey(
        OfficialNotice, on_delete=models.PROTECT, related_name="days", verbose_name=_("notice")
    )

    class Meta:
        verbose_name = _("official calendar day")
        verbose_name_plural = _("official calendar days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CalendarAdjustmentKind.values),
                name="official_calendar_day_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(label=""), name="official_calendar_day_label_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
