"""The task state machine through the API (DOMAIN.md "Task states", API.md rows for the
task actions): every action × every starting state × every caller, then the rules around
it: a returned completion report does not count, the history, the order of the checks,
the input rules and the 409 message in both languages.

Each starting state is built through the lifecycle services, never by writing `status`.
Dates are relative to today's local date (Asia/Ho_Chi_Minh), so the tests hold on any day.

Status codes (API.md): 401 without credentials; 404 for a task the caller may not see;
403 for an action not theirs (judged before the state); 409 for an action the state does
not allow; 400 for bad input, naming the field."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tracker.models import (
    CompletionReport,
    Department,
    ExtensionRequest,
    ProgressReport,
    Role,
    Task,
    TaskHistory,
    User,
)
from tracker.services import lifecycle

pytestmark = pytest.mark.django_db

ACTIONS = (
    "progress",
    "report-completion",
    "accept-completion",
    "return",
    "pause",
    "resume",
    "cancel",
    "extension-requests",
)
STATES = ("assigned", "in_progress", "awaiting_acceptance", "completed", "paused", "cancelled")
CALLERS = (
    "office",
    "superuser",
    "leader",
    "supervising_leader",
    "lead_officer",
    "lead_head",
    "coordinating_officer",
    "unrelated_officer",
    "scoring",
    "anonymous",
)

# What a caller who may see the task gets, by the action and the task's state before it:
#   AS IP AA CO PA CA   the action succeeds and leaves the task in that state: assigned,
#                       in_progress, awaiting_acceptance, completed, paused, cancelled
#   =                   the action succeeds and the state does not change
#   409                 the task's state does not allow the action
#   403                 the action is not the caller's (judged before the state)
# Kinds of caller: office = the office role or a superuser; lead = an officer or the head of
# the lead department; coordinating = an officer of a coordinating department; leader = a
# provincial leader who does not supervise the task; supervisor = its supervising leader.
MATRIX = """
action             kind          AS    IP    AA    CO    PA    CA
progress           office        403   403   403   403   403   403
progress           lead          IP    =     =     409   409   409
progress           coordinating  =     =     =     409   409   409
progress           leader        403   403   403   403   403   403
progress           supervisor    403   403   403   403   403   403
report-completion  office        403   403   403   403   403   403
report-completion  lead          AA    AA    409   409   409   409
report-completion  coordinating  403   403   403   403   403   403
report-completion  leader        403   403   403   403   403   403
report-completion  supervisor    403   403   403   403   403   403
accept-completion  office        409   409   CO    409   409   409
accept-completion  lead          403   403   403   403   403   403
accept-completion  coordinating  403   403   403   403   403   403
accept-completion  leader        403   403   403   403   403   403
accept-completion  supervisor    403   403   403   403   403   403
return             office        409   409   IP    409   409   409
return             lead          403   403   403   403   403   403
return             coordinating  403   403   403   403   403   403
return             leader        403   403   403   403   403   403
return             supervisor    403   403   403   403   403   403
pause              office        PA    PA    PA    409   409   409
pause              lead          403   403   403   403   403   403
pause              coordinating  403   403   403   403   403   403
pause              leader        403   403   403   403   403   403
pause              supervisor    403   403   403   403   403   403
resume             office        409   409   409   409   IP    409
resume             lead          403   403   403   403   403   403
resume             coordinating  403   403   403   403   403   403
resume             leader        403   403   403   403   403   403
resume             supervisor    403   403   403   403   403   403
cancel             office        CA    CA    CA    409   CA    409
cancel             lead          403   403   403   403   403   403
cancel             coordinating  403   403   403   403   403   403
cancel             leader        403   403   403   403   403   403
cancel             supervisor    403   403   403   403   403   403
extension-requests office        403   403   403   403   403   403
extension-requests lead          =     =     409   409   409   409
extension-requests coordinating  403   403   403   403   403   403
extension-requests leader        403   403   403   403   403   403
extension-requests supervisor    403   403   403   403   403   403
"""

KIND = {
    "office": "office",
    "superuser": "office",
    "leader": "leader",
    "supervising_leader": "supervisor",
    "lead_officer": "lead",
    "lead_head": "lead",
    "coordinating_officer": "coordinating",
}
# Callers answered the same whatever the action and the state.
OUTSIDERS = {"unrelated_officer": 404, "scoring": 403, "anonymous": 401}
SUCCESS_STATUS = {"progress": 201, "extension-requests": 201}  # the others: 200
STATE_LABELS = {
    "assigned": "Assigned",
    "in_progress": "In progress",
    "awaiting_acceptance": "Awaiting acceptance",
    "completed": "Completed",
    "paused": "Paused",
    "cancelled": "Cancelled",
}
STATE_CODES = {
    "AS": "assigned",
    "IP": "in_progress",
    "AA": "awaiting_acceptance",
    "CO": "completed",
    "PA": "paused",
    "CA": "cancelled",
}
BUILD_RESULT = "Báo cáo hoàn thành lập khi dựng trạng thái"
BUILD_COMPLETED_DAYS_AGO = 2


def _parse_matrix() -> dict[tuple[str, str], dict[str, str]]:
    header, *rows = (line.split() for line in MATRIX.strip().splitlines())
    assert header[:2] == ["action", "kind"]
    assert tuple(STATE_CODES[code] for code in header[2:]) == STATES
    table: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:
        assert len(row) == len(header), row
        key = (row[0], row[1])
        assert key not in table, key
        cells = [STATE_CODES.get(cell, cell) for cell in row[2:]]
        table[key] = dict(zip(STATES, cells, strict=True))
    return table


EXPECTED = _parse_matrix()


def expected_outcome(action: str, state: str, caller: str) -> str | int:
    if caller in OUTSIDERS:
        return OUTSIDERS[caller]
    cell = EXPECTED[(action, KIND[caller])][state]
    return int(cell) if cell.isdigit() else cell


def test_the_matrix_covers_every_action_and_kind_of_caller_once():
    assert set(EXPECTED) == {(a, k) for a in ACTIONS for k in set(KIND.values())}
    assert set(KIND) | set(OUTSIDERS) == set(CALLERS)


# --- the world: departments, callers, a task in any state ----------------------------------


@dataclass
class World:
    today: dt.date
    lead: Department
    coordinating: Department
    users: dict[str, User | None]

    def client(self, caller: str, language: str = "en"):
        return client_for(self.users[caller], language)

    def task(self, state: str = "assigned", **overrides: Any) -> Task:
        """A task SYT leads and SXD coordinates, moved to `state` through the services."""
        fields = {
            "directive": DirectiveFactory(),
            "title": "Triển khai tiêm chủng mở rộng",
            "lead_department": self.lead,
            "coordinating_departments": [self.coordinating],
            "supervising_leader": self.users["supervising_leader"],
            "assigned_on": self.today - dt.timedelta(days=20),
            "deadline": self.today + dt.timedelta(days=10),
            **overrides,
        }
        task = TaskFactory(**fields)
        office, lead = self.users["office"], self.users["lead_officer"]
        if state == "in_progress":
            lifecycle.progress_report_create(task_id=task.pk, actor=lead, note="Đã bắt đầu")
        if state in ("awaiting_acceptance", "completed"):
            lifecycle.completion_report_create(
                task_id=task.pk,
                actor=lead,
                completed_on=self.today - dt.timedelta(days=BUILD_COMPLETED_DAYS_AGO),
                result=BUILD_RESULT,
            )
        if state == "completed":
            lifecycle.completion_accept(task_id=task.pk, actor=office)
        if state == "paused":
            lifecycle.task_pause(task_id=task.pk, actor=office, reason="Chờ kinh phí")
        if state == "cancelled":
            lifecycle.task_cancel(task_id=task.pk, actor=office, reason="Không còn phù hợp")
        task = Task.objects.get(pk=task.pk)
        assert task.status == state
        return task


@pytest.fixture
def world(department, other_department, office_user, leader_user, scoring_user, officer, head):
    sxd = DepartmentFactory(code="SXD", name="Sở Xây dựng")
    superuser = UserFactory(role=Role.LEADER, username="root")
    superuser.is_superuser = True
    superuser.save(update_fields=["is_superuser"])
    return World(
        today=timezone.localdate(),
        lead=department,
        coordinating=sxd,
        users={
            "office": office_user,
            "superuser": superuser,
            "leader": leader_user,
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
        },
    )


def url(task: Task, action: str) -> str:
    return f"/api/v1/tasks/{task.pk}/{action}/"


def body(action: str, today: dt.date) -> dict[str, Any]:
    return {
        "progress": {"note": "Đã họp triển khai với các xã", "percent": 40},
        "report-completion": {
            "completed_on": (today - dt.timedelta(days=1)).isoformat(),
            "result": "Đã tiêm đủ 95% trẻ em trong độ tuổi",
        },
        "accept-completion": {},
        "extension-requests": {
            "requested_deadline": (today + dt.timedelta(days=30)).isoformat(),
            "reason": "Chờ vắc xin về đợt 2",
        },
    }.get(action, {"reason": f"Lý do {action}"})


def history_reason(action: str, sent: dict[str, Any]) -> str:
    """What the history entry of a transition gives as its reason."""
    if action == "progress":
        return sent["note"]
    if action == "report-completion":
        return sent["result"]
    if action == "accept-completion":
        return BUILD_RESULT  # the accepted report's result
    return sent["reason"]


def snapshot(task: Task) -> dict[str, Any]:
    fresh = Task.objects.get(pk=task.pk)
    return {
        "status": fresh.status,
        "version": fresh.version,
        "completed_on": fresh.completed_on,
        "effective_deadline": fresh.effective_deadline,
        "original_deadline": fresh.original_deadline,
        "history": list(TaskHistory.objects.filter(task=task).values_list("id", flat=True)),
        "progress": list(ProgressReport.objects.filter(task=task).values_list("id", flat=True)),
        "completion": list(
            CompletionReport.objects.filter(task=task).order_by("id").values_list("id", "status")
        ),
        "extension": list(
            ExtensionRequest.objects.filter(task=task).order_by("id").values_list("id", "status")
        ),
    }


def new_history(task: Task, before: dict[str, Any]) -> list[tuple]:
    entries = (
        TaskHistory.objects.filter(task=task)
        .exclude(id__in=before["history"])
        .select_related("actor")
        .order_by("at", "id")
    )
    return [
        (e.actor.username if e.actor else None, e.action, e.field, e.old, e.new, e.reason)
        for e in entries
    ]


# --- the matrix --------------------------------------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_action_by_state_by_caller(world, action, state, caller):
    task = world.task(state)
    before = snapshot(task)
    sent = body(action, world.today)
    expected = expected_outcome(action, state, caller)

    response = world.client(caller).post(url(task, action), sent, format="json")

    if isinstance(expected, int):
        assert response.status_code == expected, response.data
        assert snapshot(task) == before  # nothing changed, no history entry
        assert response.data["detail"]
        if expected == 409:
            assert STATE_LABELS[state] in str(response.data["detail"])
        return

    assert response.status_code == SUCCESS_STATUS.get(action, 200), response.data
    target = state if expected == "=" else expected
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.status == target
    user = world.users[caller]
    if target == state:
        assert new_history(task, before) == []
        assert fresh.version == before["version"]
    else:
        assert new_history(task, before) == [
            (user.username, "status_changed", "status", state, target, history_reason(action, sent))
        ]
        assert fresh.version == before["version"] + 1
    if action not in SUCCESS_STATUS:
        assert response.data["status"] == target
        assert response["ETag"] == fresh.etag
    assert fresh.effective_deadline == before["effective_deadline"]
    assert fresh.original_deadline == before["original_deadline"]
    _assert_effect(action, state, task, fresh, before, user, sent, response)


def _assert_effect(action, state, task, fresh, before, user, sent, response) -> None:
    """What the successful action left besides the state."""
    completion = list(CompletionReport.objects.filter(task=task).order_by("id"))
    build_report = completion[0] if before["completion"] else None
    extension_after = list(
        ExtensionRequest.objects.filter(task=task).order_by("id").values_list("id", "status")
    )
    if action != "extension-requests":
        assert extension_after == before["extension"]
    if action != "progress":
        assert (
            list(ProgressReport.objects.filter(task=task).values_list("id", flat=True))
            == (before["progress"])
        )

    if action == "progress":
        report = ProgressReport.objects.exclude(id__in=before["progress"]).get(task=task)
        assert (report.author, report.department_id) == (user, user.department_id)
        assert (report.note, report.percent) == (sent["note"], sent["percent"])
        assert response.data["id"] == report.pk
    elif action == "report-completion":
        assert [c.status for c in completion] == ["pending"]
        report = completion[0]
        assert (report.author, report.department_id) == (user, task.lead_department_id)
        assert report.completed_on.isoformat() == sent["completed_on"]
        assert fresh.completed_on is None
    elif action == "accept-completion":
        build_report.refresh_from_db()
        assert (build_report.status, build_report.decided_by) == ("accepted", user)
        assert fresh.completed_on == build_report.completed_on
        assert response.data["completed_on"] == build_report.completed_on.isoformat()
    elif action == "return":
        assert (build_report.status, build_report.decided_by) == ("returned", user)
        assert build_report.decision_reason == sent["reason"]
        assert fresh.completed_on is None
    elif action in ("pause", "cancel") and state == "awaiting_acceptance":
        # Leaving the open states closes the pending completion report: it does not count.
        assert (build_report.status, build_report.decided_by) == ("returned", user)
        assert fresh.completed_on is None
    elif action == "extension-requests":
        extension = ExtensionRequest.objects.get(task=task)
        assert response.data["id"] == extension.pk
        assert response.data["status"] == "pending"
        assert (extension.author, extension.requested_deadline.isoformat()) == (
            user,
            sent["requested_deadline"],
        )
    else:
        assert [(c.id, c.status) for c in completion] == before["completion"]


# --- completion: a returned report does not count ---------------------------------------


def test_a_returned_report_does_not_count_and_the_accepted_one_gives_the_date(world):
    task = world.task("in_progress")
    lead, office = world.client("lead_officer"), world.client("office")
    first_date = world.today - dt.timedelta(days=5)
    second_date = world.today - dt.timedelta(days=1)

    response = lead.post(
        url(task, "report-completion"),
        {"completed_on": first_date.isoformat(), "result": "Lần 1"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["completed_on"] is None
    response = office.post(url(task, "return"), {"reason": "Thiếu số liệu"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "in_progress"
    fresh = Task.objects.get(pk=task.pk)
    assert (fresh.status, fresh.completed_on) == ("in_progress", None)
    first = CompletionReport.objects.get(task=task)
    assert (first.status, first.decision_reason) == ("returned", "Thiếu số liệu")

    # The returned report stays on record, but accepting now has nothing to accept.
    assert office.post(url(task, "accept-completion")).status_code == 409
    response = lead.post(
        url(task, "report-completion"),
        {"completed_on": second_date.isoformat(), "result": "Lần 2, đủ số liệu"},
        format="json",
    )
    assert response.status_code == 200, response.data
    response = office.post(url(task, "accept-completion"))
    assert response.status_code == 200, response.data
    assert response.data["completed_on"] == second_date.isoformat()

    fresh = Task.objects.get(pk=task.pk)
    assert (fresh.status, fresh.completed_on) == ("completed", second_date)
    reports = CompletionReport.objects.filter(task=task).order_by("id")
    assert [(r.completed_on, r.status) for r in reports] == [
        (first_date, "returned"),
        (second_date, "accepted"),
    ]
    listed = lead.get(f"/api/v1/tasks/{task.pk}/completion-reports/").data["results"]
    assert sorted((r["completed_on"], r["status"]) for r in listed) == [
        (first_date.isoformat(), "returned"),
        (second_date.isoformat(), "accepted"),
    ]


# --- history ---------------------------------------------------------------------------


def test_the_history_endpoint_lists_every_transition_in_order(world):
    task = world.task()
    steps = [
        ("lead_officer", "progress", {"note": "Đã phân công chuyên viên"}),
        ("coordinating_officer", "progress", {"note": "Sở Xây dựng đã góp ý", "percent": 10}),
        ("office", "pause", {"reason": "Chờ ý kiến Chủ tịch"}),
        ("superuser", "resume", {"reason": "Chủ tịch đã cho ý kiến"}),
        (
            "lead_head",
            "report-completion",
            {"completed_on": world.today.isoformat(), "result": "Đã xong"},
        ),
        ("office", "return", {"reason": "Thiếu biên bản"}),
        (
            "lead_officer",
            "report-completion",
            {"completed_on": world.today.isoformat(), "result": "Đã bổ sung biên bản"},
        ),
        ("superuser", "accept-completion", {}),
    ]
    for caller, action, sent in steps:
        response = world.client(caller).post(url(task, action), sent, format="json")
        assert response.status_code in (200, 201), (action, response.data)

    response = world.client("coordinating_officer").get(f"/api/v1/tasks/{task.pk}/history/")
    assert response.status_code == 200
    entries = response.data["results"]
    assert [
        (e["actor"], e["action"], e["field"], e["old"], e["new"], e["reason"]) for e in entries
    ] == [
        (None, "created", "", None, None, ""),
        (
            "syt_officer",
            "status_changed",
            "status",
            "assigned",
            "in_progress",
            "Đã phân công chuyên viên",
        ),
        ("office", "status_changed", "status", "in_progress", "paused", "Chờ ý kiến Chủ tịch"),
        ("root", "status_changed", "status", "paused", "in_progress", "Chủ tịch đã cho ý kiến"),
        ("syt_head", "status_changed", "status", "in_progress", "awaiting_acceptance", "Đã xong"),
        (
            "office",
            "status_changed",
            "status",
            "awaiting_acceptance",
            "in_progress",
            "Thiếu biên bản",
        ),
        (
            "syt_officer",
            "status_changed",
            "status",
            "in_progress",
            "awaiting_acceptance",
            "Đã bổ sung biên bản",
        ),
        (
            "root",
            "status_changed",
            "status",
            "awaiting_acceptance",
            "completed",
            "Đã bổ sung biên bản",
        ),
    ]
    stamps = [dt.datetime.fromisoformat(e["at"]) for e in entries]
    assert stamps == sorted(stamps)
    assert all(stamp.utcoffset() is not None for stamp in stamps)
    # Outsiders do not read it.
    assert (
        world.client("unrelated_officer").get(f"/api/v1/tasks/{task.pk}/history/").status_code
        == 404
    )
    assert world.client("anonymous").get(f"/api/v1/tasks/{task.pk}/history/").status_code == 401


# --- messages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "english", "vietnamese"),
    [("completed", "Completed", "Hoàn thành"), ("cancelled", "Cancelled", "Hủy")],
)
@pytest.mark.parametrize("action", ["pause", "cancel", "resume", "return"])
def test_409_names_the_state_in_the_callers_language(world, state, english, vietnamese, action):
    task = world.task(state)
    sent = {"reason": "Thử lại"}
    in_english = world.client("office", "en").post(url(task, action), sent, format="json")
    in_vietnamese = world.client("office", "vi").post(url(task, action), sent, format="json")

    assert (in_english.status_code, in_vietnamese.status_code) == (409, 409)
    english_detail, vietnamese_detail = (
        str(in_english.data["detail"]),
        str(in_vietnamese.data["detail"]),
    )
    assert english in english_detail
    assert vietnamese in vietnamese_detail
    assert english not in vietnamese_detail
    assert vietnamese_detail != english_detail
    assert Task.objects.get(pk=task.pk).status == state


def test_the_409_and_403_sentences_are_vietnamese_too(world):
    task = world.task("completed")
    refused = world.client("office", "vi").post(url(task, "pause"), {"reason": "x"}, format="json")
    forbidden = world.client("leader", "vi").post(
        url(task, "pause"), {"reason": "x"}, format="json"
    )
    assert (refused.status_code, forbidden.status_code) == (409, 403)
    assert "Not allowed" not in str(refused.data["detail"])
    assert "may do this" not in str(forbidden.data["detail"])


def test_a_finished_task_refuses_every_action_of_an_entitled_caller(world):
    """Completed and cancelled are final: whoever may normally take the action gets 409."""
    entitled = {
        "progress": "lead_officer",
        "report-completion": "lead_officer",
        "accept-completion": "office",
        "return": "office",
        "pause": "office",
        "resume": "office",
        "cancel": "office",
        "extension-requests": "lead_head",
    }
    for state in ("completed", "cancelled"):
        task = world.task(state)
        before = snapshot(task)
        for action, caller in entitled.items():
            response = world.client(caller).post(
                url(task, action), body(action, world.today), format="json"
            )
            assert response.status_code == 409, (state, action, response.data)
            assert STATE_LABELS[state] in str(response.data["detail"])
        assert snapshot(task) == before


# --- order of the checks: visibility, role, state, input --------------------------------


@pytest.mark.parametrize(
    ("caller", "state", "expected"),
    [
        ("unrelated_officer", "completed", 404),
        ("scoring", "completed", 403),
        ("leader", "completed", 403),
        ("lead_officer", "completed", 403),
        ("office", "completed", 409),
        ("office", "assigned", 400),
    ],
)
@pytest.mark.parametrize("action", ["pause", "cancel", "return", "resume"])
def test_checks_run_in_order_visibility_role_state_input(world, caller, state, expected, action):
    if action in ("return", "resume") and expected == 400:
        state = {"return": "awaiting_acceptance", "resume": "paused"}[action]
    task = world.task(state)
    before = snapshot(task)
    response = world.client(caller).post(url(task, action), {"reason": ""}, format="json")
    assert response.status_code == expected, response.data
    if expected == 400:
        assert "reason" in response.data
    assert snapshot(task) == before


@pytest.mark.parametrize(
    ("caller", "state", "expected"),
    [
        ("unrelated_officer", "cancelled", 404),
        ("office", "cancelled", 403),
        ("coordinating_officer", "cancelled", 403),
        ("lead_officer", "cancelled", 409),
        ("lead_officer", "in_progress", 400),
    ],
)
def test_department_actions_check_in_the_same_order(world, caller, state, expected):
    task = world.task(state)
    before = snapshot(task)
    bad_report = {"completed_on": "not a date", "result": ""}
    response = world.client(caller).post(url(task, "report-completion"), bad_report, format="json")
    assert response.status_code == expected, response.data
    if expected == 400:
        assert set(response.data) == {"completed_on", "result"}
    assert snapshot(task) == before


# --- input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({}, "note"),
        ({"note": ""}, "note"),
        ({"note": "   "}, "note"),
        ({"note": "Tiến độ", "percent": 101}, "percent"),
        ({"note": "Tiến độ", "percent": -1}, "percent"),
        ({"note": "Tiến độ", "percent": "nhiều"}, "percent"),
    ],
)
def test_progress_input_is_checked(world, sent, field):
    task = world.task()
    before = snapshot(task)
    response = world.client("lead_officer").post(url(task, "progress"), sent, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert snapshot(task) == before


@pytest.mark.parametrize("percent", [0, 100, None, "absent"])
def test_progress_percent_is_optional_from_0_to_100(world, percent):
    task = world.task("in_progress")
    sent = {"note": "Cập nhật"} if percent == "absent" else {"note": "Cập nhật", "percent": percent}
    response = world.client("coordinating_officer").post(url(task, "progress"), sent, format="json")
    assert response.status_code == 201, response.data
    assert response.data["percent"] == (None if percent == "absent" else percent)
    assert response.data["author"] == "sxd_officer"


@pytest.mark.parametrize(
    ("completed_on", "result", "field"),
    [
        (1, "Đã xong", "completed_on"),  # tomorrow: in the future
        (-21, "Đã xong", "completed_on"),  # the day before the assigned date
        ("2026-02-30", "Đã xong", "completed_on"),
        (None, "Đã xong", "completed_on"),
        (0, "", "result"),
        (0, None, "result"),
    ],
)
def test_completion_report_input_is_checked(world, completed_on, result, field):
    task = world.task("in_progress")  # assigned 20 days ago
    before = snapshot(task)
    sent: dict[str, Any] = {}
    if isinstance(completed_on, int):
        sent["completed_on"] = (world.today + dt.timedelta(days=completed_on)).isoformat()
    elif completed_on is not None:
        sent["completed_on"] = completed_on
    if result is not None:
        sent["result"] = result
    response = world.client("lead_head").post(url(task, "report-completion"), sent, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data
    assert snapshot(task) == before


@pytest.mark.parametrize("days", [0, -20], ids=["today", "the-assigned-date"])
def test_completion_may_be_dated_today_or_on_the_assigned_date(world, days):
    task = world.task()
    completed_on = world.today + dt.timedelta(days=days)
    response = world.client("lead_officer").post(
        url(task, "report-completion"),
        {"completed_on": completed_on.isoformat(), "result": "Đã xong"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "awaiting_acceptance"
    assert world.client("office").post(url(task, "accept-completion")).status_code == 200
    assert Task.objects.get(pk=task.pk).completed_on == completed_on


def test_the_future_is_judged_by_the_local_date(world, monkeypatch):
    """At 06:00 in Hà Nội it is still yesterday in UTC: today's local date is not future."""
    task = world.task()
    early_morning = dt.datetime.combine(
        world.today, dt.time(6, 0), tzinfo=timezone.get_current_timezone()
    )
    assert early_morning.astimezone(dt.UTC).date() == world.today - dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: early_morning)
    response = world.client("lead_officer").post(
        url(task, "report-completion"),
        {"completed_on": world.today.isoformat(), "result": "Đã xong"},
        format="json",
    )
    assert response.status_code == 200, response.data


@pytest.mark.parametrize("action", ["return", "pause", "resume", "cancel"])
@pytest.mark.parametrize("sent", [{}, {"reason": ""}, {"reason": "  "}])
def test_office_actions_need_a_reason(world, action, sent):
    state = {"return": "awaiting_acceptance", "resume": "paused"}.get(action, "in_progress")
    task = world.task(state)
    before = snapshot(task)
    response = world.client("office").post(url(task, action), sent, format="json")
    assert response.status_code == 400
    assert "reason" in response.data
    assert snapshot(task) == before


# --- office staff acting for a department, and what pause/cancel close -------------------


def test_office_staff_of_the_lead_department_act_as_the_lead(world):
    office_member = UserFactory(role=Role.OFFICE, department=world.lead, username="vp_syt")
    task = world.task()
    client = client_for(office_member)
    response = client.post(url(task, "progress"), {"note": "Văn phòng chủ trì"}, format="json")
    assert response.status_code == 201, response.data
    assert Task.objects.get(pk=task.pk).status == "in_progress"
    response = client.post(
        url(task, "report-completion"),
        {"completed_on": world.today.isoformat(), "result": "Xong"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "awaiting_acceptance"


def test_office_staff_of_a_coordinating_department_report_progress_only(world):
    office_member = UserFactory(role=Role.OFFICE, department=world.coordinating, username="vp_sxd")
    task = world.task()
    client = client_for(office_member)
    response = client.post(url(task, "progress"), {"note": "Phối hợp"}, format="json")
    assert response.status_code == 201, response.data
    assert Task.objects.get(pk=task.pk).status == "assigned"
    before = snapshot(task)
    response = client.post(
        url(task, "report-completion"),
        {"completed_on": world.today.isoformat(), "result": "Xong"},
        format="json",
    )
    assert response.status_code == 403
    assert snapshot(task) == before


@pytest.mark.parametrize(("action", "target"), [("pause", "paused"), ("cancel", "cancelled")])
def test_pause_and_cancel_close_the_pending_report_and_extension_request(world, action, target):
    task = world.task("in_progress")
    lead = world.client("lead_officer")
    response = lead.post(
        url(task, "extension-requests"),
        {"requested_deadline": (world.today + dt.timedelta(days=40)).isoformat(), "reason": "Chờ"},
        format="json",
    )
    assert response.status_code == 201, response.data
    response = lead.post(
        url(task, "report-completion"),
        {"completed_on": world.today.isoformat(), "result": "Xong"},
        format="json",
    )
    assert response.status_code == 200, response.data
    before = snapshot(task)

    response = world.client("office").post(
        url(task, action), {"reason": "Đổi chủ trương"}, format="json"
    )

    assert response.status_code == 200, response.data
    fresh = Task.objects.get(pk=task.pk)
    assert (fresh.status, fresh.completed_on) == (target, None)
    assert fresh.effective_deadline == before["effective_deadline"]
    report = CompletionReport.objects.get(task=task)
    assert (report.status, report.decided_by, report.decision_reason) == (
        "returned",
        world.users["office"],
        "Đổi chủ trương",
    )
    extension = ExtensionRequest.objects.get(task=task)
    assert (extension.status, extension.decided_by, extension.decided_on) == (
        "rejected",
        world.users["office"],
        world.today,
    )
    assert new_history(task, before) == [
        ("office", "status_changed", "status", "awaiting_acceptance", target, "Đổi chủ trương")
    ]


def test_accepting_closes_a_pending_extension_request(world):
    task = world.task("in_progress")
    lead = world.client("lead_officer")
    lead.post(
        url(task, "extension-requests"),
        {"requested_deadline": (world.today + dt.timedelta(days=40)).isoformat(), "reason": "Chờ"},
        format="json",
    )
    lead.post(
        url(task, "report-completion"),
        {"completed_on": world.today.isoformat(), "result": "Xong"},
        format="json",
    )
    response = world.client("office").post(url(task, "accept-completion"))
    assert response.status_code == 200, response.data
    assert ExtensionRequest.objects.get(task=task).status == "rejected"
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.effective_deadline == fresh.original_deadline


def test_a_resumed_task_can_be_finished(world):
    task = world.task("paused")
    office, lead = world.client("office"), world.client("lead_officer")
    assert (
        office.post(url(task, "resume"), {"reason": "Có kinh phí"}, format="json").status_code
        == 200
    )
    response = lead.post(
        url(task, "report-completion"),
        {"completed_on": world.today.isoformat(), "result": "Xong"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert office.post(url(task, "accept-completion")).status_code == 200
    assert Task.objects.get(pk=task.pk).status == "completed"
