"""Compliance indicators (DOMAIN.md, "Compliance indicators"). Every task of the population
falls in exactly one bucket, given by one SQL expression (`bucket_expression`): the
indicators group by it and the task list's drill-down filters on it, so a drill-down
always lists exactly the tasks its count counts."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Expression,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from tracker.models import (
    BUCKET_COUNTS,
    INDICATOR_COUNTS,
    OPEN_STATUSES,
    Department,
    ExtensionRequest,
    ExtensionRequestStatus,
    Period,
    PublishedIndicator,
    Task,
    TaskStatus,
)
from tracker.selectors.counts import Counts
from tracker.selectors.rates import RateDefinition, named_rates_of_year

# What a drill-down may ask for: every count of the indicators.
DRILL_DOWN_BUCKETS = INDICATOR_COUNTS


# Only a task whose effective deadline is later than its original one can have had an
# extension approved (the office's direct edits move both; a database constraint keeps the
# effective deadline ≥ the original). Its rows are few, under a partial index
# (task_moved_deadline_idx), and only they need the extension lookup.
MOVED = Q(effective_deadline__gt=F("original_deadline"))
NOT_MOVED = Q(original_deadline__isnull=True) | Q(effective_deadline=F("original_deadline"))


def extended_deadline_at(as_of: date) -> Coalesce:
    """For a moved task: the deadline of the latest extension approved on or before `as_of`,
    else the original deadline (an extension counts from the day it was approved)."""
    extended = (
        ExtensionRequest.objects.filter(
            task=OuterRef("pk"),
            status=ExtensionRequestStatus.APPROVED,
            decided_on__lte=as_of,
        )
        .order_by("-decided_on", "-pk")
        .values("requested_deadline")[:1]
    )
    return Coalesce(Subquery(extended), F("original_deadline"))


def deadline_at(as_of: date) -> Case:
    """The deadline in force at `as_of`, for any task. A deadline the office edits directly
    is a correction of the original one and holds at every date."""
    return Case(
        When(MOVED, then=extended_deadline_at(as_of)),
        default=F("original_deadline"),
        output_field=DateField(),
    )


def bucket_expression(as_of: date, deadline: Expression | F | None = None) -> Case:
    """The task's bucket at `as_of`, for a task of the population; `deadline` is the deadline
    in force (default: `deadline_at`, right for every task). Completion and deadlines are
    judged by their dates; pause by the current state, and it takes precedence over the
    open buckets. `completed_on_deadline` is internal: with `completed_early` it makes
    `completed_on_time`."""
    deadline = deadline_at(as_of) if deadline is None else deadline
    completed = Q(status=TaskStatus.COMPLETED, completed_on__lte=as_of)
    no_deadline = Q(original_deadline__isnull=True)
    return Case(
        When(completed & no_deadline, then=Value("completed_no_deadline")),
        When(completed & Q(completed_on__lt=deadline), then=Value("completed_early")),
        When(completed & Q(completed_on=deadline), then=Value("completed_on_deadline")),
        When(completed, then=Value("completed_late")),
        When(status=TaskStatus.PAUSED, then=Value("paused")),
        When(no_deadline, then=Value("open_no_deadline")),
        When(GreaterThanOrEqual(deadline, as_of), then=Value("open_within_deadline")),
        default=Value("open_overdue"),
        output_field=CharField(),
    )


def due_expression(as_of: date, deadline: Expression | F | None = None) -> Case:
    """Whether the task counts in `due` at `as_of`: its deadline in force is on or before
    the as-of date, completed or not; paused tasks aside, as they leave the rates. The
    deadline in force lies between the original deadline and the effective one (deadlines
    only move later): those two columns decide nearly every task, and only a task whose
    extension could fall either side of the as-of date needs its extension looked up."""
    deadline = deadline_at(as_of) if deadline is None else deadline
    return Case(
        When(status=TaskStatus.PAUSED, then=Value(False)),
        When(effective_deadline__lte=as_of, then=Value(True)),
        When(Q(original_deadline__isnull=True) | Q(original_deadline__gt=as_of), then=Value(False)),
        When(LessThanOrEqual(deadline, as_of), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def population(
    date_from: date, date_to: date, as_of: date, tasks: QuerySet[Task] | None = None
) -> QuerySet[Task]:
    """The tasks judged (of `tasks`, default all): assigned in [from, min(to, as_of)], not
    cancelled (by the current state). Each counts for its lead department."""
    tasks = Task.objects.all() if tasks is None else tasks
    return tasks.filter(assigned_on__gte=date_from, assigned_on__lte=min(date_to, as_of)).exclude(
        status=TaskStatus.CANCELLED
    )


def bucket_bounds(bucket: str, as_of: date) -> Q:
    """What every task of `bucket` at `as_of` satisfies, on indexed columns alone: the
    drill-down adds it to the bucket's expression so that an index finds the candidates
    (the expression itself, with its extension lookup, can only be checked row by row).
    Never narrower than the bucket: deadlines only move later, so the deadline in force at
    any date lies between the original deadline and the effective one."""
    completed = Q(status=TaskStatus.COMPLETED, completed_on__lte=as_of)
    not_yet = Q(status__in=OPEN_STATUSES) | Q(status=TaskStatus.COMPLETED, completed_on__gt=as_of)
    has_deadline = Q(original_deadline__isnull=False)
    return {
        "assigned": Q(),
        "completed_on_time": completed & has_deadline,
        "completed_early": completed & has_deadline,
        "completed_on_deadline_day": completed & has_deadline,
        "completed_late": completed & has_deadline,
        "completed_no_deadline": completed & Q(original_deadline__isnull=True),
        "paused": Q(status=TaskStatus.PAUSED),
        "open_within_deadline": not_yet & Q(effective_deadline__gte=as_of),
        "open_overdue": not_yet & Q(original_deadline__lt=as_of),
        "open_no_deadline": not_yet & Q(original_deadline__isnull=True),
        "due": Q(original_deadline__lte=as_of) & ~Q(status=TaskStatus.PAUSED),
    }[bucket]


def tasks_in_bucket(
    tasks: QuerySet[Task], bucket: str, date_from: date, date_to: date, as_of: date
) -> QuerySet[Task]:
    """The drill-down: the tasks behind one count of the indicators."""
    tasks = population(date_from, date_to, as_of, tasks).filter(bucket_bounds(bucket, as_of))
    if bucket == "assigned":
        return tasks
    if bucket == "due":
        return tasks.filter(due_expression(as_of))
    wanted = {
        "completed_on_time": ["completed_early", "completed_on_deadline"],
        "completed_on_deadline_day": ["completed_on_deadline"],
    }.get(bucket, [bucket])
    in_bucket = ExpressionWrapper(Q(indicator_bucket__in=wanted), output_field=BooleanField())
    # Filtered as a boolean, not as `bucket = …`: PostgreSQL has no statistics for the
    # bucket and would guess 0.5 % of the candidates for an equality (64 rows for 4,979 at
    # 100,000 tasks: a nested loop over every department, 2 s), half for a boolean.
    return tasks.alias(indicator_bucket=bucket_expression(as_of)).filter(
        Coalesce(in_bucket, Value(False))
    )


@dataclass
class IndicatorRow:
    department: Department
    counts: Counts


@dataclass
class IndicatorReport:
    date_from: date
    date_to: date
    as_of: date
    rows: list[IndicatorRow]
    frozen: bool = False
    period: Period | None = None
    total: Counts = field(default_factory=Counts)
    named_rates: list[RateDefinition] = field(default_factory=list)  # of the year of `to`


def closed_period(date_from: date, date_to: date, as_of: date | None) -> Period | None:
    """The closed period these dates ask for: the same from and to, and the same as-of date
    (or none given)."""
    periods = Period.objects.filter(from_date=date_from, to_date=date_to, reopened_at__isnull=True)
    if as_of is not None:
        periods = periods.filter(as_of=as_of)
    return periods.first()


def computed_counts(
    date_from: date, date_to: date, as_of: date, departments: QuerySet[Department]
) -> dict[int, Counts]:
    """Two queries, each the population grouped by lead department and bucket: the tasks
    whose deadline never moved, judged on the original deadline without any lookup (a plain
    scan the database can run in parallel), then the few moved ones, with the extension
    lookup. Together they are exactly `bucket_expression` with `deadline_at`, which the
    drill-down filters on."""
    tasks = population(date_from, date_to, as_of).filter(lead_department__in=departments)
    parts = (
        (NOT_MOVED, F("original_deadline")),
        (MOVED, extended_deadline_at(as_of)),
    )
    counts: dict[int, Counts] = {}
    for condition, deadline in parts:
        grouped = (
            tasks.filter(condition)
            .annotate(
                indicator_bucket=bucket_expression(as_of, deadline),
                indicator_due=due_expression(as_of, deadline),
            )
            .values_list("lead_department_id", "indicator_bucket", "indicator_due")
            .annotate(count=Count("*"))
            .order_by()
        )
        for department_id, bucket, due, count in grouped:
            counts.setdefault(department_id, Counts()).add_bucket(bucket, count, due)
    return counts


def published_counts(period: Period, departments: QuerySet[Department]) -> dict[int, Counts]:
    rows = PublishedIndicator.objects.filter(period=period, department__in=departments)
    return {
        row.department_id: Counts(**{name: getattr(row, name) for name in (*BUCKET_COUNTS, "due")})
        for row in rows
    }


def indicator_report(
    *,
    date_from: date,
    date_to: date,
    as_of: date | None,
    today: date,
    departments: QuerySet[Department],
) -> IndicatorReport:
    """Every department of `departments`, zeros where it had no task. A closed period's
    answer is the one it published; `as_of` omitted means the period's own as-of date when
    one is closed for these dates, else today."""
    period = closed_period(date_from, date_to, as_of)
    as_of = period.as_of if period else (as_of or today)
    listed = list(departments.order_by("code"))
    if period is not None:
        counts = published_counts(period, departments)
    else:
        counts = computed_counts(date_from, date_to, as_of, departments)
    report = IndicatorReport(date_from, date_to, as_of, [], period is not None, period)
    report.named_rates = named_rates_of_year(date_to.year)
    for department in listed:
        row = counts.get(department.pk, Counts())
        report.rows.append(IndicatorRow(department, row))
        report.total += row
    return report
