"""Closing and reopening reporting periods (DOMAIN.md: "A period that the office closes is
frozen"). Closing publishes, in one transaction, every department's counts and every
points of the scoring rules of the year of `to`; the database keeps those rows final.
Reopening is recorded on the period itself, once; closing the same dates again publishes
a new period next to the reopened one."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config.common import clock
from config.common.errors import TransitionNotAllowed
from config.common.services import written_or_refused
from config.common.statistics import statistics_refresh_on_commit
from tracker.models import (
    Department,
    Period,
    PublishedIndicator,
    PublishedScore,
    ScoringRule,
    User,
)
from tracker.selectors.counts import Counts
from tracker.selectors.indicators import computed_counts
from tracker.selectors.rates import named_rates_of_year
from tracker.selectors.scoring import score
from tracker.selectors.tasks import local_today
from tracker.services.events import period_published_record

MAX_REASON_LENGTH = 2000


def _already_closed_error(date_from: date, date_to: date) -> dict[str, list[str]]:
    message = _(
        "The period from %(from)s to %(to)s is already closed; reopen it first to close it again."
    ) % {"from": date_from.isoformat(), "to": date_to.isoformat()}
    return {"from": [message], "to": [message]}


def period_close_errors(
    *, date_from: date, date_to: date, as_of: date, today: date
) -> dict[str, list[str]]:
    """Why these dates cannot be closed, as `{field: [message]}` with the API's field
    names (`from`, `to`, `as_of`); empty when they can."""
    errors: dict[str, list[str]] = {}
    if date_to < date_from:
        errors["to"] = [_("The end of the period is before its start.")]
    if as_of < date_from:
        errors["as_of"] = [_("The as-of date cannot be before the start of the period.")]
    elif as_of > today:
        errors["as_of"] = [_("The as-of date cannot be in the future.")]
    if errors:
        return errors
    closed = Period.objects.filter(from_date=date_from, to_date=date_to, reopened_at__isnull=True)
    if closed.exists():
        return _already_closed_error(date_from, date_to)
    return {}


def _publish(period: Period) -> None:
    """The counts of every department (zeros included) and, per department, the points of
    every rule of the year of `to`: a fixed number of queries, however many of each."""
    departments = list(Department.objects.order_by("pk").values_list("pk", flat=True))
    counts = computed_counts(
        period.from_date, period.to_date, period.as_of, Department.objects.all()
    )
    by_department = {pk: counts.get(pk, Counts()) for pk in departments}
    PublishedIndicator.objects.bulk_create(
        PublishedIndicator(period=period, department_id=pk, **row.stored())
        for pk, row in by_department.items()
    )
    rules = ScoringRule.objects.filter(year=period.to_date.year).order_by("code")
    scores = []
    named = named_rates_of_year(period.to_date.year)
    for rule in rules:
        for pk, row in by_department.items():
            result = score(rule, row, named)
            scores.append(
                PublishedScore(
                    period=period,
                    rule=rule,
                    rule_code=rule.code,
                    rule_year=rule.year,
                    rule_name=rule.name,
                    rule_metric=rule.metric,
                    rule_max_points=rule.max_points,
                    department_id=pk,
                    metric_value=result.metric_value,
                    points=result.points,
                    applicable=result.applicable,
                )
            )
    PublishedScore.objects.bulk_create(scores)
    statistics_refresh_on_commit(PublishedIndicator, PublishedScore)


@transaction.atomic
def period_close(*, actor: User, date_from: date, date_to: date, as_of: date) -> Period:
    """Closes the period and publishes its figures; raises ValidationError (a 400) when
    the dates are wrong or a period with the same dates is closed, including one closed
    by a concurrent request. The caller has checked that the actor is the office."""
    errors = period_close_errors(
        date_from=date_from, date_to=date_to, as_of=as_of, today=local_today()
    )
    if errors:
        raise ValidationError(errors)
    # The partial unique index waits for a concurrent close and then refuses this one.
    period = written_or_refused(
        lambda: Period.objects.create(
            from_date=date_from,
            to_date=date_to,
            as_of=as_of,
            closed_at=clock.now(),
            closed_by=actor,
        ),
        "period_one_closed_per_dates",
        lambda: _already_closed_error(date_from, date_to),
    )
    _publish(period)
    period_published_record(period)
    return period


@transaction.atomic
def period_reopen(*, actor: User, period: Period, reason: str) -> Period:
    """Reopens a closed period, with who, when and why; its published rows stay as they
    were. A period already reopened raises TransitionNotAllowed (a 409): the row lock
    makes the second of two concurrent reopenings see the first."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for reopening the period.")]})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    _("Keep the reason to at most %(max)d characters.") % {"max": MAX_REASON_LENGTH}
                ]
            }
        )
    locked = Period.objects.select_for_update().get(pk=period.pk)
    if locked.reopened_at is not None:
        raise TransitionNotAllowed(_("This period was already reopened."))
    locked.reopened_at = clock.now()
    locked.reopened_by = actor
    locked.reopen_reason = reason
    locked.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    return locked
