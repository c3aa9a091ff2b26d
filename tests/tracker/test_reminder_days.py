"""The day a task's reminder steps start from (`next_reminder_on`): one rule,
`tracker.services.reminders.next_reminder_day`, under the active policy of the task's
priority (else the default policy), applied by the lifecycle and by the import alike."""

import datetime as dt
import importlib
import io

import pytest
from django.apps import apps as django_apps

from directives.imports import import_tasks
from tests.factories import DepartmentFactory, TaskFactory
from tests.import_files import csv_file, row
from tracker.models import Priority, ReminderPolicy, ReminderStep, Task, TaskStatus
from tracker.selectors.calendar import WorkingCalendar, add_working_days
from tracker.services.reminders import Policies, ReminderDays, next_reminder_day

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 4, 30)
DEFAULT_FIRST = -5  # the default policy's early reminder (migration 0005)


@pytest.fixture(autouse=True)
def default_policy() -> None:
    """The default policy of migration 0005 (a transactional test elsewhere may have
    flushed it; it is installed again, from the same migration)."""
    if not ReminderPolicy.objects.filter(priority="", active=True).exists():
        migration = importlib.import_module("tracker.migrations.0005_default_reminder_policy")
        migration.install(django_apps, None)


def policy_for(priority: str, first_offset: int) -> ReminderPolicy:
    """An active policy of the priority whose first step differs from the default's."""
    policy = ReminderPolicy.objects.create(name=f"Chính sách {priority}", priority=priority)
    for code, offset in (("early_reminder", first_offset), ("escalation_1", 1)):
        ReminderStep.objects.create(
            policy=policy,
            code=code,
            name=code,
            kind="reminder" if offset <= 0 else "escalation",
            offset_working_days=offset,
            audiences=["lead_head"],
            channels=["inbox"],
        )
    return policy


def test_an_imported_task_starts_from_its_prioritys_policy_as_the_lifecycle_does() -> None:
    """The import wrote the default policy's first day whatever policy the office had
    activated for the priority it imports tasks with (normal: the file has no priority
    column, API.md); the lifecycle looked that policy up. Now both use one function."""
    policy_for(Priority.NORMAL, -3)
    lead = DepartmentFactory(code="SYT", name="Sở Y tế")
    DepartmentFactory(code="STC", name="Sở Tài chính")

    import_tasks(
        file=io.BytesIO(csv_file([row(deadline=DEADLINE.isoformat())])),
        filename="tasks.csv",
        actor=None,
        today=dt.date(2026, 3, 10),
    )

    imported = Task.objects.get(title="Rà soát trạm y tế xã")
    assert imported.priority == Priority.NORMAL
    assert imported.next_reminder_on == add_working_days(DEADLINE, -3)  # not −5: the policy's
    entered = TaskFactory(lead_department=lead, assigned_on=dt.date(2026, 3, 3), deadline=DEADLINE)
    assert entered.next_reminder_on == imported.next_reminder_on


def test_an_urgent_task_starts_from_the_urgent_policy() -> None:
    policy_for(Priority.URGENT, -2)
    lead = DepartmentFactory(code="SYT", name="Sở Y tế")

    urgent = TaskFactory(
        lead_department=lead,
        assigned_on=dt.date(2026, 3, 3),
        deadline=DEADLINE,
        priority=Priority.URGENT,
    )
    normal = TaskFactory(lead_department=lead, assigned_on=dt.date(2026, 3, 3), deadline=DEADLINE)

    assert urgent.next_reminder_on == add_working_days(DEADLINE, -2)
    assert normal.next_reminder_on == add_working_days(DEADLINE, DEFAULT_FIRST)
    # The import's batch form gives the same days as the one function.
    days = ReminderDays([DEADLINE])
    for priority, task in ((Priority.URGENT, urgent), (Priority.NORMAL, normal)):
        got = days.of(priority=priority, status=TaskStatus.ASSIGNED, deadline=DEADLINE)
        assert got == task.next_reminder_on


@pytest.mark.parametrize(
    ("status", "deadline"),
    [
        (TaskStatus.COMPLETED, DEADLINE),
        (TaskStatus.PAUSED, DEADLINE),
        (TaskStatus.CANCELLED, DEADLINE),
        (TaskStatus.ASSIGNED, None),
    ],
)
def test_nothing_to_send_has_no_next_reminder_day(status: str, deadline: dt.date | None) -> None:
    calendar = WorkingCalendar(DEADLINE - dt.timedelta(days=60), DEADLINE)
    day = next_reminder_day(
        priority=Priority.NORMAL,
        status=status,
        deadline=deadline,
        policies=Policies(),
        calendar=calendar,
    )
    assert day is None
    assert ReminderDays([deadline]).of(priority="normal", status=status, deadline=deadline) is None
