"""The overdue board: per lead department, how many of its tasks are overdue and how late
they are, in one grouped query."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Min, Q

from tracker.models import Task
from tracker.selectors.calendar import WorkingCalendar, add_working_days
from tracker.selectors.tasks import overdue_filter

# The escalation steps of DOMAIN.md: +5 working days goes to the supervising leader, +10 to
# the office's director. The board counts the tasks that reached each.
LATE_STEPS = (5, 10)
# Calendar days that surely hold the 10 working days before today (Tết is the longest
# run of days off), so the calendar is loaded with one query.
_WINDOW = timedelta(days=40)


@dataclass(frozen=True)
class OverdueRow:
    department_id: int
    code: str
    name: str
    leader: str  # the department's supervising leader, "" when it has none
    overdue: int
    late_5: int  # at least 5 working days late
    late_10: int  # at least 10 working days late
    oldest_deadline: date


@dataclass(frozen=True)
class OverdueBoard:
    today: date
    rows: list[OverdueRow] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.rows)

    @property
    def late_5(self) -> int:
        return sum(row.late_5 for row in self.rows)

    @property
    def late_10(self) -> int:
        return sum(row.late_10 for row in self.rows)

    @property
    def oldest_deadline(self) -> date | None:
        return min((row.oldest_deadline for row in self.rows), default=None)


def late_limit(today: date, days: int, *, calendar: WorkingCalendar | None = None) -> date:
    """A task is at least `days` working days late on `today` (its step +`days` has come:
    `add_working_days(deadline, days) <= today`) exactly when its deadline is before this
    date: the `days`-th working day counting back from today, today included."""
    return add_working_days(today + timedelta(days=1), -days, calendar=calendar)


def overdue_by_department(today: date) -> OverdueBoard:
    """Every department that leads overdue tasks (overdue_filter: open and past the deadline
    in force), most overdue first, then by code. Two queries: the calendar and the board."""
    calendar = WorkingCalendar(today - _WINDOW, today)
    five, ten = (late_limit(today, days, calendar=calendar) for days in LATE_STEPS)
    grouped = (
        Task.objects.filter(overdue_filter(today))
        .values(
            "lead_department_id",
            "lead_department__code",
            "lead_department__name",
            "lead_department__supervising_leader__full_name",
            "lead_department__supervising_leader__username",
        )
        .annotate(
            overdue=Count("pk"),
            late_5=Count("pk", filter=Q(effective_deadline__lt=five)),
            late_10=Count("pk", filter=Q(effective_deadline__lt=ten)),
            oldest=Min("effective_deadline"),
        )
        .order_by("-overdue", "lead_department__code")
    )
    rows = [
        OverdueRow(
            department_id=row["lead_department_id"],
            code=row["lead_department__code"],
            name=row["lead_department__name"],
            # As User.__str__: the full name, else the username.
            leader=row["lead_department__supervising_leader__full_name"]
            or row["lead_department__supervising_leader__username"]
            or "",
            overdue=row["overdue"],
            late_5=row["late_5"],
            late_10=row["late_10"],
            oldest_deadline=row["oldest"],
        )
        for row in grouped
    ]
    return OverdueBoard(today=today, rows=rows)
