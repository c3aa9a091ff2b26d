"""The demo data command: `manage.py load_demo`."""

import datetime as dt
import re
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.utils import timezone

from directives.demo.loader import load_demo
from directives.demo.seeds import DEMO_PASSWORD, DIRECTIVES, PROVINCE_NAME, USERS
from directives.management.commands.load_demo import SIGN_IN_AS
from directives.models import Directive, DirectiveKind
from tests.factories import UserFactory
from tracker.exports.heading import report_heading
from tracker.models import (
    OPEN_STATUSES,
    CompletionReport,
    CompletionReportStatus,
    Department,
    DepartmentKind,
    ExtensionRequest,
    ExtensionRequestStatus,
    Priority,
    ProgressReport,
    Role,
    Task,
    TaskHistory,
    TaskHistoryAction,
    TaskStatus,
    User,
)
from tracker.selectors.report_settings import report_settings_get
from tracker.selectors.tasks import due_soon_limit
from tracker.services.report_settings import report_settings_update

pytestmark = pytest.mark.django_db


def run_load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "departments": Department.objects.count(),
        "users": User.objects.count(),
        "directives": Directive.objects.count(),
        "tasks": Task.objects.count(),
        "history": TaskHistory.objects.count(),
        "extension requests": ExtensionRequest.objects.count(),
    }


def assert_demo_invariants(today: dt.date) -> None:
    """What the demo promises, judged as of `today`."""
    departments = Department.objects.all()
    assert departments.count() >= 20
    kinds = {d.kind for d in departments}
    assert {DepartmentKind.SO, DepartmentKind.UBND_XA} <= kinds
    assert departments.filter(kind=DepartmentKind.UBND_XA).count() >= 8
    assert all(d.code.isascii() for d in departments)
    for department in departments.filter(active=True):
        assert department.head_id is not None, department.code
        assert department.supervising_leader.role == Role.LEADER, department.code

    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert User.objects.filter(is_superuser=True, username="admin").exists()
    assert User.objects.filter(language="en").exists()
    for code in ("SYT", "STC", "SXD", "SGDDT", "SNNMT", "PHOABINH", "XTANLAP"):
        members = User.objects.filter(department__code=code)
        assert {u.role for u in members} == {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_OFFICER}, code

    # The demo's own directives; the sample file it imports (fixed dates, no follow-up
    # officer, one history entry per task) is checked by
    # tests/directives/test_import_samples.py.
    directives = Directive.objects.filter(number__in=[d.number for d in DIRECTIVES])
    assert directives.count() >= 8
    assert {d.kind for d in directives} == set(DirectiveKind.values)
    for directive in directives:
        assert today - dt.timedelta(days=200) <= directive.issued_on <= today

    tasks = Task.objects.filter(directive__in=directives).prefetch_related(
        "coordinating_departments"
    )
    assert tasks.count() >= 40
    assert {t.status for t in tasks} == set(TaskStatus.values)
    assert tasks.filter(priority=Priority.URGENT).exists()
    for task in tasks:
        coordinating = list(task.coordinating_departments.all())
        assert task.lead_department not in coordinating
        assert len(coordinating) <= 3
        assert task.follow_up_officer.role == Role.OFFICE
        assert task.supervising_leader.role == Role.LEADER
        assert task.assigned_on <= today
        if task.effective_deadline is not None:
            assert task.effective_deadline >= task.assigned_on

    open_tasks = tasks.filter(status__in=OPEN_STATUSES)
    assert open_tasks.filter(effective_deadline__lt=today).count() >= 3, "overdue"
    assert (
        open_tasks.filter(
            effective_deadline__gte=today, effective_deadline__lte=due_soon_limit(today)
        ).count()
        >= 3
    ), "due soon"
    assert open_tasks.filter(effective_deadline__gt=due_soon_limit(today)).exists(), "in time"
    assert open_tasks.filter(effective_deadline__isnull=True).exists(), "no deadline"

    completed = list(tasks.filter(status=TaskStatus.COMPLETED))
    for task in completed:
        assert task.assigned_on <= task.completed_on <= today
    with_deadline = [t for t in completed if t.effective_deadline is not None]
    assert any(t.completed_on < t.effective_deadline for t in with_deadline), "early"
    assert any(t.completed_on == t.effective_deadline for t in with_deadline), "on the day"
    assert any(t.completed_on > t.effective_deadline for t in with_deadline), "late"
    assert any(t.effective_deadline is None for t in completed)

    assert_extension_requests(today)
    assert_work_for_the_pages(today)

    for task in tasks:
        history = list(task.history.order_by("at", "id"))
        assert history[0].action == TaskHistoryAction.CREATED
        changes = [h for h in history if h.action == TaskHistoryAction.STATUS_CHANGED]
        if task.status == TaskStatus.ASSIGNED:
            assert changes == []
            continue
        assert changes, task.title
        assert changes[0].old == TaskStatus.ASSIGNED
        assert changes[-1].new == task.status
        for before, after in pairwise(changes):
            assert before.new == after.old
        assert all(h.actor_id is not None for h in changes)
        if task.status in (TaskStatus.PAUSED, TaskStatus.CANCELLED):
            assert changes[-1].reason


def assert_extension_requests(today: dt.date) -> None:
    """Requests in every state, each made and decided by whom it would be, on a task that
    had a deadline to extend; one closed by the pause of its task."""
    requests = list(ExtensionRequest.objects.select_related("task", "author", "decided_by"))
    by_status = {
        status: [r for r in requests if r.status == status]
        for status in ["pending", "approved", "rejected"]
    }
    assert all(by_status.values()), {k: len(v) for k, v in by_status.items()}
    for request in requests:
        task = request.task
        assert request.author.department_id == task.lead_department_id
        assert request.requested_deadline > request.previous_deadline >= today
        if request.status == ExtensionRequestStatus.PENDING:
            assert request.decided_by is None
            assert task.effective_deadline == request.previous_deadline
            assert task.status in OPEN_STATUSES
        elif request.status == ExtensionRequestStatus.APPROVED:
            assert request.decided_by == task.supervising_leader
            assert task.effective_deadline == request.requested_deadline
            assert request.decided_on == today
        else:
            assert request.decided_by.role == Role.OFFICE
            assert request.note
    closed = [r for r in by_status["rejected"] if r.task.status == TaskStatus.PAUSED]
    assert closed, "a request closed by the pause of its task"
    assert closed[0].note == closed[0].task.history.latest("at", "id").reason
    assert any(r.decided_by == r.task.follow_up_officer for r in by_status["rejected"])


def assert_work_for_the_pages(today: dt.date) -> None:
    """What the web pages show: reports to review, progress, and a department officer's
    overdue and due-soon tasks."""
    assert CompletionReport.objects.filter(status=CompletionReportStatus.PENDING).count() >= 3
    assert ProgressReport.objects.count() >= 10
    officer = User.objects.get(username="syt_chuyenvien")
    own = Task.objects.filter(lead_department=officer.department, status__in=OPEN_STATUSES)
    assert own.filter(effective_deadline__lt=today).exists(), "overdue"
    assert own.filter(
        effective_deadline__gte=today, effective_deadline__lte=due_soon_limit(today)
    ).exists(), "due soon"


def test_load_demo_creates_a_province_with_tasks_in_every_state() -> None:
    output = run_load_demo()

    assert_demo_invariants(timezone.localdate())
    assert Department.objects.filter(kind=DepartmentKind.UBND_HUYEN, active=False).exists()
    for seed in USERS:
        assert seed.username in output
    assert DEMO_PASSWORD in output
    assert "http://127.0.0.1:8000/api/v1/docs/" in output
    assert "http://127.0.0.1:8000/admin/" in output


def test_the_demo_fills_the_report_settings_unless_the_office_has_its_own() -> None:
    run_load_demo()

    heading = report_heading(report_settings_get(), dt.date(2026, 11, 30))
    assert heading.governing_body == f"ỦY BAN NHÂN DÂN TỈNH {PROVINCE_NAME.upper()}"
    assert (heading.issuing_body, heading.number[-6:]) == ("VĂN PHÒNG", "/BC-VP")
    assert heading.place_date.startswith(PROVINCE_NAME)
    assert heading.recipients[-1] == "- Lưu: VT, TH."
    assert heading.preparer.title == "NGƯỜI LẬP BIỂU" and heading.preparer.name
    assert (heading.signer.authority, heading.signer.title) == (
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
    )
    assert heading.signer.name


def test_the_demo_keeps_the_office_s_own_report_settings() -> None:
    report_settings_update(governing_body="ỦY BAN NHÂN DÂN TỈNH HÀ GIANG")

    run_load_demo()

    assert report_settings_get().governing_body == "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG"
    assert report_settings_get().signer_name == ""


def test_the_demo_password_passes_the_password_validators() -> None:
    run_load_demo()

    users = list(User.objects.all())
    for user in users:
        validate_password(DEMO_PASSWORD, user=user)
    # Every demo account shares one hash (hashing is slow), so checking one checks all.
    assert len({user.password for user in users}) == 1
    assert users[0].check_password(DEMO_PASSWORD)


def test_running_it_twice_creates_nothing_more_and_prints_the_accounts_again() -> None:
    run_load_demo()
    before = counts()

    output = run_load_demo()

    assert counts() == before
    assert "already loaded" in output
    for seed in USERS:
        assert seed.username in output
    assert DEMO_PASSWORD in output


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2026, 2, 23),  # the Monday after Tết
        dt.date(2026, 1, 3),  # a Saturday; the directives span the turn of the year
        dt.date(2026, 9, 3),  # the day after National Day
        dt.date(2025, 5, 5),  # after the 30/4 and 1/5 holidays
    ],
)
def test_the_data_keeps_its_promises_whatever_the_day(today: dt.date) -> None:
    result = load_demo(today=today)

    assert result.created
    assert result.tasks == Task.objects.count()
    assert sum(result.tasks_by_status.values()) == result.tasks
    assert all(result.tasks_by_status[status] > 0 for status in TaskStatus.values)
    assert_demo_invariants(today)


def test_the_office_demo_user_gets_a_token_and_lists_the_demo_tasks(api) -> None:
    run_load_demo()
    client = api(None)

    response = client.post(
        "/api/v1/auth/token/", {"username": "chuyenvien", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")

    response = client.get("/api/v1/tasks/", {"page_size": 500})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == Task.objects.count() >= 40
    assert {t["status"] for t in body["results"]} == set(TaskStatus.values)

    overdue = client.get("/api/v1/tasks/", {"overdue": "true", "page_size": 500}).json()
    assert overdue["count"] >= 3
    assert all(t["overdue"] for t in overdue["results"])
    due_soon = client.get("/api/v1/tasks/", {"due_soon": "true", "page_size": 500}).json()
    assert due_soon["count"] >= 3
    assert all(t["due_soon"] for t in due_soon["results"])


def test_a_department_officer_sees_only_the_tasks_of_its_department(api) -> None:
    run_load_demo()
    officer = User.objects.get(username="syt_chuyenvien")

    body = api(officer).get("/api/v1/tasks/", {"page_size": 500}).json()

    syt = Department.objects.get(code="SYT")
    expected = Task.objects.filter(lead_department=syt) | Task.objects.filter(
        coordinating_departments=syt
    )
    assert 0 < body["count"] == expected.distinct().count() < Task.objects.count()


def test_it_refuses_a_database_whose_accounts_clash_with_the_demo() -> None:
    UserFactory(username="admin")
    before = counts()

    with pytest.raises(CommandError, match="user admin"):
        run_load_demo()

    assert counts() == before


def test_the_printout_leads_with_the_web_address_and_whom_to_sign_in_as(monkeypatch) -> None:
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.delenv("HOST", raising=False)

    output = run_load_demo()

    assert output.splitlines()[0].startswith("Web application: http://127.0.0.1:8123/ ")
    assert "http://127.0.0.1:8123/admin/" in output
    assert "http://127.0.0.1:8123/api/v1/docs/" in output
    assert ":8000" not in output
    roles = {
        "Office": Role.OFFICE,
        "Department officer": Role.DEPARTMENT_OFFICER,
        "Department head": Role.DEPARTMENT_HEAD,
        "Leader": Role.LEADER,
        "Scoring": Role.SCORING,
    }
    syt = Department.objects.get(code="SYT")
    for label, username in SIGN_IN_AS:
        assert re.search(rf"^  {re.escape(label)} +{username}$", output, re.M), label
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        role = next((r for prefix, r in roles.items() if label.startswith(prefix)), None)
        if role is None:
            assert user.is_superuser and username == "admin"
            continue
        assert user.role == role, label
        if "Sở Y tế" in label and role != Role.LEADER:
            assert user.department == syt
    assert syt.supervising_leader.username == "pct2"
