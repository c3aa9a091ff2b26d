"""Scoring rules: how one compliance rate of a department becomes points of the leadership
score. Rules are data the office edits, one version per year, because the criteria change."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The years a rule's version may have (the check constraint below); other years, of dates,
# run from config.common.dates' EARLIEST_DATE to LATEST_DATE.
FIRST_RULE_YEAR, LAST_RULE_YEAR = 2000, 2100


class Metric(models.TextChoices):
    ON_TIME_RATE = "on_time_rate", _("On-time rate")
    COMPLETION_RATE = "completion_rate", _("Completion rate")
    ASSIGNED_ON_TIME_RATE = "assigned_on_time_rate", _("On-time rate over all assigned tasks")


class WhenNoTasks(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", _("Not applicable: the maximum leaves the total")
    FULL = "full", _("Full points")


class ScoringRule(models.Model):
    """`bands` is a list of {"min_rate", "points", "strict"}: a band matches when the rate is
    ≥ min_rate (> when strict); the highest matching band (largest min_rate, strict above
    plain at equal min_rate) wins; none matching gives 0 points."""

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    # A built-in rate (`Metric`) or the code of a named rate of the rule's year
    # (tracker.services.scoring checks which).
    metric = models.CharField(_("metric"), max_length=32)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    bands = models.JSONField(_("bands"), default=list)
    when_no_tasks = models.CharField(
        _("when there is no judged task"),
        max_length=16,
        choices=WhenNoTasks.choices,
        default=WhenNoTasks.NOT_APPLICABLE,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="scoring_rule_code_per_year"),
            models.CheckConstraint(condition=~Q(code=""), name="scoring_rule_code_not_empty"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_RULE_YEAR, year__lte=LAST_RULE_YEAR),
                name="scoring_rule_year_range",
            ),
            models.CheckConstraint(condition=~Q(metric=""), name="scoring_rule_metric_not_empty"),
            models.CheckConstraint(
                condition=Q(when_no_tasks__in=WhenNoTasks.values),
                name="scoring_rule_when_no_tasks_valid",
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="scoring_rule_max_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.year})"


class NamedRate(models.Model):
    """A rate the office defines for a year, beside the built-in ones: a sum of counts over a
    sum of counts (`tracker.models.INDICATOR_COUNTS`), shown under its code in the
    indicators, the exports and the dashboard, and usable as a scoring rule's metric."""

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    numerator = models.JSONField(_("numerator"), default=list)
    denominator = models.JSONField(_("denominator"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("named rate")
        verbose_name_plural = _("named rates")
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="named_rate_code_per_year"),
            models.CheckConstraint(condition=~Q(code=""), name="named_rate_code_not_empty"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_RULE_YEAR, year__lte=LAST_RULE_YEAR),
                name="named_rate_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.year})"
