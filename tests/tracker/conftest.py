"""Fixtures of tracker's tests (tests/tracker/ and tests/tracker/web/): the indicator
stories' clock and the builder that makes tasks at the dates of their stories
(tests/tracker/indicator_support.py); the fixtures shared by the modules of one subject
(bad input, periods, attachments, extension requests, the calendar API, scoring rules)."""

import datetime as dt
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from directives.models import Directive
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tests.tracker.calendar_api_support import DAY_OFF, WORKING_DAY, adjust
from tests.tracker.extension_support import DAY, ask
from tests.tracker.indicator_support import Builder, Clock
from tests.tracker.period_support import LOCAL, TEN_POINTS
from tests.tracker.scoring_rule_support import payload
from tracker.models import CalendarAdjustment, Department, Role, ScoringRule, Task, User
from tracker.services import lifecycle
from tracker.services.scoring import scoring_rule_create


@pytest.fixture
def story_clock(settings: object, tmp_path: Path) -> Clock:
    """The clock every process reads, resting on the indicator tests' today (2026-11-21)."""
    settings.CLOCK_FILE = str(tmp_path / "story-clock")
    return Clock(tmp_path / "story-clock")


@pytest.fixture
def builder(story_clock: Clock, office_user: User) -> Builder:
    """Builds tasks through the lifecycle services at the dates of their stories."""
    return Builder(story_clock, office_user)


# --- bad input (test_validation_*.py) -------------------------------------------------------


@pytest.fixture
def sxd() -> Department:
    return DepartmentFactory(code="SXD", name="Sở Xây dựng")


@pytest.fixture
def directive() -> Directive:
    return DirectiveFactory(number="125/TB-UBND", issued_on=dt.date(2026, 3, 2))


# --- periods (test_period_*.py) -------------------------------------------------------------


@pytest.fixture
def clock_at(settings: Any, tmp_path: Path) -> Callable[[datetime], None]:
    path = tmp_path / "clock"
    settings.CLOCK_FILE = str(path)

    def move(moment: datetime) -> None:
        path.write_text(moment.isoformat())

    move(datetime(2026, 11, 21, 10, 0, tzinfo=LOCAL))
    return move


@pytest.fixture
def rules() -> list[ScoringRule]:
    """Two rules of 2026 of the test's own (the example rules may be of another year)."""
    common = {"year": 2026, "name": "Quy tắc thử nghiệm", "when_no_tasks": "not_applicable"}
    return [
        scoring_rule_create(
            data={
                **common,
                "code": "T-ON-TIME",
                "metric": "on_time_rate",
                "max_points": 10,
                "bands": TEN_POINTS,
            }
        ),
        scoring_rule_create(
            data={
                **common,
                "code": "T-DONE",
                "metric": "completion_rate",
                "max_points": 2,
                "bands": [{"min_rate": 0.9, "points": 2, "strict": True}],
            }
        ),
    ]


# --- attachments (test_attachments_*.py) ----------------------------------------------------


@pytest.fixture
def coordinating_department() -> Department:
    return DepartmentFactory(code="SXD", name="Sở Xây dựng")


@pytest.fixture
def coordinating_officer(coordinating_department: Department) -> User:
    return UserFactory(
        role=Role.DEPARTMENT_OFFICER, department=coordinating_department, username="sxd_officer"
    )


# --- extension requests (test_extension_*.py) -----------------------------------------------


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def people(department, other_department, office_user, leader_user, scoring_user, officer, head):
    sxd = DepartmentFactory(code="SXD", name="Sở Xây dựng")
    superuser = UserFactory(role=Role.LEADER, username="root")
    superuser.is_superuser = True
    superuser.save(update_fields=["is_superuser"])
    return {
        "office": office_user,
        "superuser": superuser,
        "leader": leader_user,  # a leader who does not supervise the task
        "supervising_leader": UserFactory(role=Role.LEADER, username="pct_phu_trach"),
        "lead_officer": officer,
        "lead_head": head,
        "coordinating_officer": UserFactory(
            role=Role.DEPARTMENT_OFFICER, department=sxd, username="sxd_officer"
        ),
        "unrelated_officer": UserFactory(
            role=Role.DEPARTMENT_OFFICER, department=other_department, username="stc_officer"
        ),
        "scoring": scoring_user,
        "anonymous": None,
        "coordinating_department": sxd,
    }


@pytest.fixture
def make_task(people, department, today) -> Callable[..., Task]:
    """A task SYT leads and SXD coordinates, assigned 20 days ago; `deadline` in days from
    today (None: no deadline); `state` reached through the lifecycle services."""

    def make(deadline: int | None = 10, state: str = "assigned") -> Task:
        task = TaskFactory(
            directive=DirectiveFactory(),
            title="Nâng cấp trạm y tế xã",
            lead_department=department,
            coordinating_departments=[people["coordinating_department"]],
            supervising_leader=people["supervising_leader"],
            assigned_on=today - 20 * DAY,
            deadline=None if deadline is None else today + deadline * DAY,
        )
        office, lead = people["office"], people["lead_officer"]
        if state == "in_progress":
            lifecycle.progress_report_create(task_id=task.pk, actor=lead, note="Bắt đầu")
        if state in ("awaiting_acceptance", "completed"):
            lifecycle.completion_report_create(
                task_id=task.pk, actor=lead, completed_on=today, result="Xong"
            )
        if state == "completed":
            lifecycle.completion_accept(task_id=task.pk, actor=office)
        if state == "paused":
            lifecycle.task_pause(task_id=task.pk, actor=office, reason="Chờ vốn")
        if state == "cancelled":
            lifecycle.task_cancel(task_id=task.pk, actor=office, reason="Không còn phù hợp")
        task = Task.objects.get(pk=task.pk)
        assert task.status == state
        return task

    return make


@pytest.fixture
def pending(people, make_task, today) -> tuple[Task, int]:
    task = make_task(deadline=10, state="in_progress")
    response = ask(people, task, today + 40 * DAY)
    assert response.status_code == 201, response.data
    return Task.objects.get(pk=task.pk), response.data["id"]


# --- the calendar API (test_calendar_*_api.py) ----------------------------------------------


@pytest.fixture
def adjustments() -> list[CalendarAdjustment]:
    return [
        adjust("2025-12-27", WORKING_DAY),
        adjust("2026-01-05", DAY_OFF),  # a Monday (Friday 2/1 is an official day off)
        adjust("2026-03-07", WORKING_DAY),
        adjust("2026-12-31", DAY_OFF),
        adjust("2027-01-04", DAY_OFF),
    ]


# --- scoring rules (test_scoring_rules_*.py) ------------------------------------------------


@pytest.fixture
def rule() -> ScoringRule:
    return scoring_rule_create(data=payload(code="KEEP", year=2030))


@pytest.fixture
def admin_client_vi() -> Client:
    """A member of the office who administers the system, reading the admin in Vietnamese."""
    user = UserFactory(role=Role.OFFICE, username="quantri")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client
