"""Closed reporting periods. Closing a period publishes its indicators and every scoring
rule's points; what is published never changes (database triggers forbid it). Reopening
is itself recorded on the period, once, with who, when and why; closing the same dates
again publishes a new period."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# The counts of DOMAIN.md's bucket table, in the order of API.md; the rates are recomputed
# from them, so only counts are stored.
BUCKET_COUNTS = (
    "assigned",
    "completed_on_time",
    "completed_early",
    "completed_late",
    "completed_no_deadline",
    "open_within_deadline",
    "open_overdue",
    "open_no_deadline",
    "paused",
)
# Every count a row of the indicators answers, in the order of API.md and the exports: the
# bucket counts, `completed_on_deadline_day` (on time but not early: the third of the
# disjoint split early / on the day / late) and `due` (tasks whose deadline in force is on
# or before the as-of date, paused ones aside: the denominator of the "of the files due"
# tables). Named rates are sums of these.
INDICATOR_COUNTS = (
    "assigned",
    "completed_on_time",
    "completed_early",
    "completed_on_deadline_day",
    "completed_late",
    "completed_no_deadline",
    "open_within_deadline",
    "open_overdue",
    "open_no_deadline",
    "paused",
    "due",
)


class Period(models.Model):
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"))
    as_of = models.DateField(_("as of"))
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        "tracker.User",
        on_delete=models.PROTECT,
        related_name="closed_periods",
        verbose_name=_("closed by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        "tracker.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reopened_periods",
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["-closed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__gte=F("from_date")), name="period_to_after_from"
            ),
            models.CheckConstraint(
                condition=Q(as_of__gte=F("from_date")), name="period_as_of_after_from"
            ),
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True, reopened_by__isnull=True, reopen_reason="")
                | (Q(reopened_at__isnull=False, reopened_by__isnull=False) & ~Q(reopen_reason="")),
                name="period_reopened_with_reason",
            ),
            models.UniqueConstraint(
                fields=["from_date", "to_date"],
                condition=Q(reopened_at__isnull=True),
                name="period_one_closed_per_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_date.isoformat()} – {self.to_date.isoformat()}"

    @property
    def is_closed(self) -> bool:
        return self.reopened_at is None


class PublishedIndicator(models.Model):
    """One department's counts as published when its period was closed."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("period")
    )
    department = models.ForeignKey(
        "tracker.Department", on_delete=models.PROTECT, verbose_name=_("department")
    )
    assigned = models.PositiveIntegerField()
    completed_on_time = models.PositiveIntegerField()
    completed_early = models.PositiveIntegerField()
    completed_late = models.PositiveIntegerField()
    completed_no_deadline = models.PositiveIntegerField()
    open_within_deadline = models.PositiveIntegerField()
    open_overdue = models.PositiveIntegerField()
    open_no_deadline = models.PositiveIntegerField()
    paused = models.PositiveIntegerField()
    # Null in the periods published before the product counted it: unknown, never guessed.
    due = models.PositiveIntegerField(null=True)

    class Meta:
        verbose_name = _("published indicator")
        verbose_name_plural = _("published indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "department"], name="published_indicator_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.department_id}"


class PublishedScore(models.Model):
    """One department's points under one rule as published; the rule as it was then is
    copied, since the office may edit the rule afterwards."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="scores", verbose_name=_("period")
    )
    rule = models.ForeignKey(
        "tracker.ScoringRule", on_delete=models.PROTECT, verbose_name=_("scoring rule")
    )
    rule_code = models.CharField(max_length=32)
    rule_year = models.PositiveSmallIntegerField()
    rule_name = models.CharField(max_length=255)
    rule_metric = models.CharField(max_length=32)
    rule_max_points = models.DecimalField(max_digits=6, decimal_places=2)
    department = models.ForeignKey(
        "tracker.Department", on_delete=models.PROTECT, verbose_name=_("department")
    )
    metric_value = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    applicable = models.BooleanField()

    class Meta:
        verbose_name = _("published score")
        verbose_name_plural = _("published scores")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "rule", "department"], name="published_score_unique"
            ),
            models.CheckConstraint(
                condition=Q(applicable=True, points__isnull=False)
                | Q(applicable=False, points__isnull=True),
                name="published_score_points_iff_applicable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.rule_code} · {self.department_id}"
