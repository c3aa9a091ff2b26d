"""The reminder sweep: finds every step now due and not yet recorded, and records its
notifications. State-based: each open task with a deadline keeps `next_reminder_on`, the
local day its next step falls due (a lower bound is enough), under a partial index; the
sweep reads only the tasks whose day has come, so its cost follows the number of due steps,
not the number of tasks. Recording is idempotent (unique keys, conflicts ignored), so two
sweeps at once, or one run twice, record nothing twice."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from config.common import clock
from config.common.statistics import statistics_refresh_on_commit
from notifications.models import Notification
from tracker.models import OPEN_STATUSES, ReminderPolicy, ReminderStep, Task
from tracker.selectors.calendar import WorkingCalendar
from tracker.services.reminder_messages import deadline_of, reminder_messages_record

BATCH_SIZE = 500


@dataclass(frozen=True)
class Occurrence:
    """One moment of a step: its day, and which repetition it is (0 for a plain step)."""

    step: ReminderStep
    number: int
    day: date


class Policies:
    """The active policies and their steps, loaded once per sweep (two queries)."""

    def __init__(self) -> None:
        steps = ReminderStep.objects.filter(policy__active=True).order_by("offset_working_days")
        self.by_priority: dict[str, list[ReminderStep]] = {}
        for policy in ReminderPolicy.objects.filter(active=True):
            self.by_priority[policy.priority] = [s for s in steps if s.policy_id == policy.pk]

    def steps_for(self, task: Task) -> list[ReminderStep]:
        return self.steps_of(task.priority)

    def steps_of(self, priority: str) -> list[ReminderStep]:
        """The steps of the active policy for that priority, else the default policy's."""
        return self.by_priority.get(priority) or self.by_priority.get("", [])


def reminder_steps_check(steps: Iterable[tuple[int, int | None]]) -> None:
    """The rule of a policy's steps, given as (offset in working days, repeat every N
    working days or None): only the last step (the latest offset) may repeat, since the
    steps after a repeating one would never come. Raises ValidationError. Every entry point
    that writes a policy's steps calls it (the admin's inline steps)."""
    steps = sorted(steps, key=lambda step: step[0])
    if any(repeat for _offset, repeat in steps[:-1]):
        raise ValidationError(
            _("Only the last step of a policy may repeat."), code="repeat_not_last"
        )


def occurrences(
    steps: list[ReminderStep], deadline: date, calendar: WorkingCalendar
) -> Iterator[Occurrence]:
    """The task's step moments in time order, repetitions included (endless when the last
    step repeats: the caller stops). Only the last step repeats (reminder_steps_check keeps
    the policies so); a repeat on an earlier one written behind the services' back is
    ignored, since the steps after it would never come."""
    for index, step in enumerate(steps):
        day = calendar.add_working_days(deadline, step.offset_working_days)
        yield Occurrence(step, 0, day)
        if step.repeat_every_working_days and index == len(steps) - 1:
            number = 0
            while True:
                number += 1
                day = calendar.add_working_days(day, step.repeat_every_working_days)
                yield Occurrence(step, number, day)


def due_and_next(
    steps: list[ReminderStep], deadline: date, today: date, calendar: WorkingCalendar
) -> tuple[Occurrence | None, date | None]:
    """The latest occurrence due by `today` (earlier ones that were missed are skipped: a
    later step is due) and the day of the one after it."""
    latest = None
    for occurrence in occurrences(steps, deadline, calendar):
        if occurrence.day > today:
            return latest, occurrence.day
        latest = occurrence
    return latest, None


def next_reminder_day(
    *,
    priority: str,
    status: str,
    deadline: date | None,
    policies: Policies,
    calendar: WorkingCalendar,
) -> date | None:
    """The day a task's steps start from (its `next_reminder_on`): the first step of its
    priority's policy (else the default policy's), counted from its deadline in force; None
    when nothing is to be sent (closed or paused, no deadline, no step). The one rule the
    lifecycle (`reminder_reschedule`) and the import (`ReminderDays`) both apply."""
    if status not in OPEN_STATUSES or deadline is None:
        return None
    steps = policies.steps_of(priority)
    if not steps:
        return None
    return calendar.add_working_days(deadline, steps[0].offset_working_days)


class ReminderDays:
    """`next_reminder_day` for many tasks at once (an import): the policies loaded once and
    one calendar around every deadline, both loaded here, before the caller streams its
    rows (the import's COPY holds the connection: no query may run while it writes)."""

    def __init__(self, deadlines: Iterable[date | None]) -> None:
        known = [deadline for deadline in deadlines if deadline is not None]
        self.policies = Policies() if known else None
        self.calendar = None
        if self.policies is not None:
            # Wide enough for every first step (two calendar days a working day, and a
            # month for Tết), so that no walk needs a further query.
            offsets = [s[0].offset_working_days for s in self.policies.by_priority.values() if s]
            before = timedelta(days=30 - 2 * min([0, *offsets]))
            after = timedelta(days=30 + 2 * max([0, *offsets]))
            self.calendar = WorkingCalendar(min(known) - before, max(known) + after)

    def of(self, *, priority: str, status: str, deadline: date | None) -> date | None:
        if self.policies is None or self.calendar is None:
            return None  # no deadline at all: nothing to send
        return next_reminder_day(
            priority=priority,
            status=status,
            deadline=deadline,
            policies=self.policies,
            calendar=self.calendar,
        )


def reminder_reschedule(task: Task) -> None:
    """After a change of state or deadline: the steps start afresh from the task's current
    effective deadline (a new deadline is a new key, so its steps are all new)."""
    day = ReminderDays([task.effective_deadline]).of(
        priority=task.priority, status=task.status, deadline=task.effective_deadline
    )
    Task.objects.filter(pk=task.pk).update(next_reminder_on=day)
    task.next_reminder_on = day


@dataclass
class SweepResult:
    tasks_seen: int = 0
    steps_recorded: int = 0
    notifications_offered: int = 0  # rows recorded before are offered again and ignored


def sweep(now: datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Records the notifications of every step due at `now` (default: the clock)."""
    now = now or clock.now()
    today = clock.reminder_day(now)
    policies = Policies()
    result = SweepResult()
    while True:
        seen = _sweep_batch(now, today, policies, batch_size, result)
        if seen < batch_size:
            break
    if result.tasks_seen:
        statistics_refresh_on_commit(Task, Notification)
    return result


def due_task_ids(today: date, limit: int) -> QuerySet:
    """The due-step selection: ids of the tasks whose next step has come, locked for this
    sweep. Concurrent sweeps share the work: each skips the rows another has locked. Only
    ids, from the partial index alone: only open tasks with a deadline have a
    `next_reminder_on` (every change of state or deadline resets it, in the change's own
    transaction), and `_sweep_batch` checks the loaded rows again."""
    return (
        Task.objects.select_for_update(skip_locked=True)
        .filter(next_reminder_on__lte=today)
        .order_by("next_reminder_on", "id")
        .values_list("id", flat=True)[:limit]
    )


@transaction.atomic
def _sweep_batch(
    now: datetime, today: date, policies: Policies, batch_size: int, result: SweepResult
) -> int:
    ids = list(due_task_ids(today, batch_size))
    if not ids:
        return 0
    tasks = list(Task.objects.filter(pk__in=ids).order_by("next_reminder_on", "pk"))
    # Their related rows one query each, not joined into the locking select: the selection
    # stays an indexed read of the task table alone (bench/reminders_bench.py).
    prefetch_related_objects(
        tasks, "directive", "lead_department", "follow_up_officer", "supervising_leader"
    )
    remindable = [t for t in tasks if t.status in OPEN_STATUSES and t.effective_deadline]
    for task in tasks:
        task.next_reminder_on = None  # what is not remindable has no next step
    earliest = min((deadline_of(t) for t in remindable), default=today)
    calendar = WorkingCalendar(earliest - timedelta(days=60), today + timedelta(days=400))
    due: list[tuple[Task, Occurrence]] = []
    for task in remindable:
        occurrence, next_day = due_and_next(
            policies.steps_for(task), deadline_of(task), today, calendar
        )
        if occurrence is not None:
            due.append((task, occurrence))
        task.next_reminder_on = next_day
    Task.objects.bulk_update(tasks, ["next_reminder_on"])
    result.tasks_seen += len(tasks)
    result.steps_recorded += len(due)
    result.notifications_offered += reminder_messages_record(_as_records(due), now=now)
    return len(tasks)


def _as_records(
    due: Iterable[tuple[Task, Occurrence]],
) -> list[tuple[Task, ReminderStep, int, date]]:
    return [(task, o.step, o.number, o.day) for task, o in due]
