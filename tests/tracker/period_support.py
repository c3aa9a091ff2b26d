"""What the period tests share (test_period_*.py): the fixed dates, the rules, the world
of departments and tasks, and the helpers that close a period and read its figures."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import DepartmentFactory, TaskFactory, UserFactory
from tracker.models import Department, Period, Role, Task, User
from tracker.services import lifecycle
from tracker.services.periods import period_close

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


TODAY = date(2026, 11, 21)


FROM, TO = date(2026, 1, 1), date(2026, 12, 31)


URL = "/api/v1/periods/"


TEN_POINTS = [
    {"min_rate": 1.0, "points": 10},
    {"min_rate": 0.9, "points": 8},
    {"min_rate": 0.8, "points": 6},
    {"min_rate": 0.7, "points": 4},
    {"min_rate": 0.2, "points": 1},
]


@dataclass
class World:
    office: User
    syt: Department
    stc: Department
    xa: Department
    tasks: dict[str, Task]
    extension_id: int


def complete(task: Task, on: date) -> None:
    head = task.lead_department.members.get(role=Role.DEPARTMENT_HEAD)
    lifecycle.completion_report_create(task_id=task.pk, actor=head, completed_on=on, result="Xong")
    lifecycle.completion_accept(task_id=task.pk, actor=None)


@pytest.fixture
def world(clock_at, rules, office_user) -> World:
    """SYT: one task completed early, one open within its deadline, three overdue at
    2026-11-21 (one of them with an extension asked for before its deadline, not yet
    decided). STC: one task within its deadline. XA: no task."""
    syt = DepartmentFactory(code="SYT", name="Sở Y tế")
    stc = DepartmentFactory(code="STC", name="Sở Tài chính")
    xa = DepartmentFactory(code="XA", name="UBND xã Tân An")
    for department in (syt, stc):
        UserFactory(role=Role.DEPARTMENT_HEAD, department=department)
    tasks = {
        "early": TaskFactory(lead_department=syt, deadline=date(2026, 4, 30)),
        "within": TaskFactory(lead_department=syt, deadline=date(2026, 12, 31)),
        "overdue": TaskFactory(lead_department=syt, deadline=date(2026, 4, 30)),
        "to_cancel": TaskFactory(lead_department=syt, deadline=date(2026, 6, 30)),
        "to_extend": TaskFactory(lead_department=syt, deadline=date(2026, 11, 18)),
        "stc": TaskFactory(lead_department=stc, deadline=date(2026, 12, 31)),
    }
    complete(tasks["early"], date(2026, 4, 20))
    clock_at(datetime(2026, 11, 15, 9, 0, tzinfo=LOCAL))
    request = lifecycle.extension_request_create(
        task_id=tasks["to_extend"].pk,
        actor=syt.members.get(),
        requested_deadline=date(2026, 12, 20),
        reason="Chờ kinh phí",
    )
    clock_at(datetime(2026, 11, 21, 10, 0, tzinfo=LOCAL))
    return World(office_user, syt, stc, xa, tasks, request.pk)


def close(world: World, **dates: date) -> Period:
    return period_close(
        actor=world.office,
        date_from=dates.get("date_from", FROM),
        date_to=dates.get("date_to", TO),
        as_of=dates.get("as_of", TODAY),
    )
