from django.db import models
from django.utils.translation import gettext_lazy as _

from config.common.dates import EARLIEST_DATE, LATEST_DATE

__all__ = ["EARLIEST_DATE", "LATEST_DATE", "CalendarAdjustment", "CalendarAdjustmentKind"]


class CalendarAdjustmentKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Working day")


class CalendarAdjustment(models.Model):
    """The office's change to the statutory calendar (official day-swap notices)."""

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
