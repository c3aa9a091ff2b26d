"""Extension requests (DOMAIN.md "Extension request", API.md rows for
`POST /tasks/{id}/extension-requests/` and `POST /extension-requests/{id}/approve|reject/`).

The lead department asks, on or before the deadline in force, for a later deadline with a
reason; at most one request is pending per task. The office or the task's supervising
leader approves (the effective deadline moves, the original one is kept, the history gets
one `deadline_changed` entry) or rejects (no deadline changes).

Dates are relative to today's local date (Asia/Ho_Chi_Minh), so the tests hold on any day.
The concurrency tests use real separate PostgreSQL connections (one per thread)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.concurrency import run_queued
from tests.conftest import client_for
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tracker.models import ExtensionRequest, Role, Task, TaskHistory
from tracker.services import lifecycle

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


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


def client(people, caller: str, language: str = "en"):
    return client_for(people[caller], language)


def ask(people, task: Task, requested: dt.date | str | None, caller: str = "lead_officer", **extra):
    sent: dict[str, Any] = {"reason": "Chờ phân bổ vốn đợt 2", **extra}
    if requested is not None:
        sent["requested_deadline"] = (
            requested if isinstance(requested, str) else requested.isoformat()
        )
    return client(people, caller).post(
        f"/api/v1/tasks/{task.pk}/extension-requests/", sent, format="json"
    )


def decide(people, extension_id: int, decision: str, caller: str, **sent: Any):
    return client(people, caller).post(
        f"/api/v1/extension-requests/{extension_id}/{decision}/", sent, format="json"
    )


def snapshot(task: Task) -> dict[str, Any]:
    fresh = Task.objects.get(pk=task.pk)
    return {
        "status": fresh.status,
        "version": fresh.version,
        "effective_deadline": fresh.effective_deadline,
        "original_deadline": fresh.original_deadline,
        "history": list(TaskHistory.objects.filter(task=task).values_list("id", flat=True)),
        "requests": list(
            ExtensionRequest.objects.filter(task=task)
            .order_by("id")
            .values_list("id", "status", "requested_deadline", "decided_by", "note")
        ),
    }


# --- asking ------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", ["lead_officer", "lead_head"])
@pytest.mark.parametrize("state", ["assigned", "in_progress"])
def test_the_lead_department_asks_for_a_later_deadline(people, make_task, today, caller, state):
    task = make_task(deadline=10, state=state)
    before = snapshot(task)

    response = ask(people, task, today + 40 * DAY, caller=caller)

    assert response.status_code == 201, response.data
    extension = ExtensionRequest.objects.get(task=task)
    assert response.data["id"] == extension.pk
    assert response.data["status"] == "pending"
    assert response.data["task"] == task.pk
    assert response.data["author"] == people[caller].username
    assert response.data["department"] == task.lead_department_id
    assert response.data["previous_deadline"] == (today + 10 * DAY).isoformat()
    assert response.data["requested_deadline"] == (today + 40 * DAY).isoformat()
    assert response.data["reason"] == "Chờ phân bổ vốn đợt 2"
    assert response.data["decided_by"] is None
    assert response.data["decided_on"] is None
    # Asking changes nothing on the task: no deadline, no state, no history entry.
    after = snapshot(task)
    assert {k: v for k, v in after.items() if k != "requests"} == {
        k: v for k, v in before.items() if k != "requests"
    }


def test_an_extension_may_be_asked_for_on_the_deadline_day(people, make_task, today):
    task = make_task(deadline=0)
    response = ask(people, task, today + DAY)
    assert response.status_code == 201, response.data


def test_an_extension_asked_for_after_the_deadline_is_400(people, make_task, today):
    task = make_task(deadline=-1)
    before = snapshot(task)
    response = ask(people, task, today + 30 * DAY)
    assert response.status_code == 400
    assert (today - DAY).isoformat() in str(response.data)
    assert snapshot(task) == before


def test_after_the_deadline_is_judged_by_the_local_date(people, make_task, today, monkeypatch):
    """At 06:00 in Hà Nội the UTC date is still the deadline day; locally it is past."""
    task = make_task(deadline=-1)
    early_morning = dt.datetime.combine(
        today, dt.time(6, 0), tzinfo=timezone.get_current_timezone()
    )
    assert early_morning.astimezone(dt.UTC).date() == today - DAY
    monkeypatch.setattr(timezone, "now", lambda: early_morning)
    response = ask(people, task, today + 30 * DAY)
    assert response.status_code == 400, response.data
    assert not ExtensionRequest.objects.filter(task=task).exists()


@pytest.mark.parametrize("days", [10, 9, -30], ids=["same", "earlier", "before-assigned"])
def test_the_requested_deadline_must_be_after_the_current_one(people, make_task, today, days):
    task = make_task(deadline=10)
    before = snapshot(task)
    response = ask(people, task, today + days * DAY)
    assert response.status_code == 400
    assert "requested_deadline" in response.data
    assert snapshot(task) == before


def test_a_task_without_deadline_has_nothing_to_extend(people, make_task, today):
    task = make_task(deadline=None)
    before = snapshot(task)
    response = ask(people, task, today + 30 * DAY)
    assert response.status_code == 400
    assert "requested_deadline" in response.data
    assert snapshot(task) == before


@pytest.mark.parametrize(
    ("requested", "extra", "field"),
    [
        (None, {}, "requested_deadline"),
        ("2026-13-01", {}, "requested_deadline"),
        ("ngày mai", {}, "requested_deadline"),
        (30, {"reason": ""}, "reason"),
        (30, {"reason": "   "}, "reason"),
        (30, {"reason": None}, "reason"),
    ],
)
def test_input_is_checked(people, make_task, today, requested, extra, field):
    task = make_task(deadline=10)
    before = snapshot(task)
    if isinstance(requested, int):
        requested = today + requested * DAY
    response = ask(people, task, requested, **extra)
    assert response.status_code == 400
    assert field in response.data
    assert snapshot(task) == before


def test_a_missing_reason_is_400(people, make_task, today):
    task = make_task(deadline=10)
    response = client(people, "lead_officer").post(
        f"/api/v1/tasks/{task.pk}/extension-requests/",
        {"requested_deadline": (today + 30 * DAY).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "reason" in response.data
    assert not ExtensionRequest.objects.filter(task=task).exists()


def test_a_second_pending_request_is_409(people, make_task, today):
    task = make_task(deadline=10)
    assert ask(people, task, today + 30 * DAY).status_code == 201
    before = snapshot(task)

    response = ask(people, task, today + 60 * DAY, caller="lead_head")

    assert response.status_code == 409
    assert response.data["detail"]
    assert snapshot(task) == before
    assert ExtensionRequest.objects.filter(task=task).count() == 1


@pytest.mark.parametrize(
    ("requested", "extra"),
    [(5, {}), (30, {"reason": ""}), ("garbage", {})],
    ids=["deadline-not-later", "no-reason", "not-a-date"],
)
def test_a_second_request_is_409_before_its_input_is_judged(
    people, make_task, today, requested, extra
):
    """The order of the checks: the task's state (a pending request) before the input."""
    task = make_task(deadline=10)
    assert ask(people, task, today + 30 * DAY).status_code == 201
    before = snapshot(task)
    if isinstance(requested, int):
        requested = today + requested * DAY
    response = ask(people, task, requested, caller="lead_head", **extra)
    assert response.status_code == 409, response.data
    assert snapshot(task) == before


@pytest.mark.parametrize("state", ["awaiting_acceptance", "paused", "completed", "cancelled"])
def test_a_request_in_a_state_that_does_not_allow_it_is_409(people, make_task, today, state):
    task = make_task(deadline=10, state=state)
    before = snapshot(task)
    response = ask(people, task, today + 30 * DAY)
    assert response.status_code == 409
    assert response.data["detail"]
    assert snapshot(task) == before


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        ("office", 403),
        ("superuser", 403),
        ("leader", 403),
        ("supervising_leader", 403),
        ("coordinating_officer", 403),
        ("unrelated_officer", 404),
        ("scoring", 403),
        ("anonymous", 401),
    ],
)
def test_only_the_lead_department_asks(people, make_task, today, caller, expected):
    task = make_task(deadline=10)
    before = snapshot(task)
    response = ask(people, task, today + 30 * DAY, caller=caller)
    assert response.status_code == expected
    assert snapshot(task) == before


def test_a_new_request_after_a_rejection_and_after_an_approval(people, make_task, today):
    task = make_task(deadline=10)
    first = ask(people, task, today + 30 * DAY).data["id"]
    assert decide(people, first, "reject", "office", note="Không đủ căn cứ").status_code == 200
    second = ask(people, task, today + 20 * DAY)
    assert second.status_code == 201, second.data
    assert decide(people, second.data["id"], "approve", "office").status_code == 200
    # Judged against the deadline now in force (today + 20), not the original one.
    response = ask(people, task, today + 15 * DAY)
    assert response.status_code == 400
    assert "requested_deadline" in response.data
    response = ask(people, task, today + 25 * DAY)
    assert response.status_code == 201, response.data
    assert response.data["previous_deadline"] == (today + 20 * DAY).isoformat()


# --- deciding ----------------------------------------------------------------------------


@pytest.fixture
def pending(people, make_task, today) -> tuple[Task, int]:
    task = make_task(deadline=10, state="in_progress")
    response = ask(people, task, today + 40 * DAY)
    assert response.status_code == 201, response.data
    return Task.objects.get(pk=task.pk), response.data["id"]


@pytest.mark.parametrize("caller", ["supervising_leader", "office", "superuser"])
def test_approval_moves_the_effective_deadline_and_keeps_the_original(
    people, pending, today, caller
):
    task, extension_id = pending
    before = snapshot(task)

    response = decide(people, extension_id, "approve", caller, note="Đồng ý gia hạn")

    assert response.status_code == 200, response.data
    assert response.data["status"] == "approved"
    assert response.data["decided_by"] == people[caller].username
    assert response.data["decided_on"] == today.isoformat()
    assert response.data["note"] == "Đồng ý gia hạn"
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.effective_deadline == today + 40 * DAY
    assert fresh.original_deadline == today + 10 * DAY
    assert fresh.status == "in_progress"
    assert fresh.version == before["version"] + 1
    entries = TaskHistory.objects.filter(task=task).exclude(id__in=before["history"])
    assert [(e.actor, e.action, e.field, e.old, e.new, e.reason) for e in entries] == [
        (
            people[caller],
            "deadline_changed",
            "deadline",
            (today + 10 * DAY).isoformat(),
            (today + 40 * DAY).isoformat(),
            "Đồng ý gia hạn",
        )
    ]
    shown = client(people, "lead_officer").get(f"/api/v1/tasks/{task.pk}/")
    assert shown.status_code == 200
    assert shown.data["deadline"] == (today + 40 * DAY).isoformat()
    assert shown.data["effective_deadline"] == (today + 40 * DAY).isoformat()
    assert shown.data["original_deadline"] == (today + 10 * DAY).isoformat()
    assert shown["ETag"] == fresh.etag


def test_approval_without_a_note_records_the_requests_reason(people, pending):
    task, extension_id = pending
    assert decide(people, extension_id, "approve", "office").status_code == 200
    entry = TaskHistory.objects.filter(task=task).latest("id")
    assert (entry.action, entry.reason) == ("deadline_changed", "Chờ phân bổ vốn đợt 2")


def test_an_approved_extension_lifts_the_overdue_overlay(people, make_task, today):
    task = make_task(deadline=0)
    extension_id = ask(people, task, today + 30 * DAY).data["id"]
    assert decide(people, extension_id, "approve", "supervising_leader").status_code == 200
    shown = client(people, "office").get(f"/api/v1/tasks/{task.pk}/").data
    assert (shown["deadline"], shown["original_deadline"]) == (
        (today + 30 * DAY).isoformat(),
        today.isoformat(),
    )
    assert shown["overdue"] is False


@pytest.mark.parametrize("caller", ["supervising_leader", "office"])
def test_rejection_changes_no_deadline(people, pending, today, caller):
    task, extension_id = pending
    before = snapshot(task)

    response = decide(people, extension_id, "reject", caller, note="Không đủ căn cứ")

    assert response.status_code == 200, response.data
    assert response.data["status"] == "rejected"
    assert response.data["decided_by"] == people[caller].username
    assert response.data["note"] == "Không đủ căn cứ"
    fresh = Task.objects.get(pk=task.pk)
    assert (fresh.effective_deadline, fresh.original_deadline) == (
        today + 10 * DAY,
        today + 10 * DAY,
    )
    assert fresh.version == before["version"]
    assert (
        list(TaskHistory.objects.filter(task=task).values_list("id", flat=True))
        == (before["history"])
    )


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        ("leader", 403),  # a leader, but not this task's supervising leader
        ("lead_officer", 403),
        ("lead_head", 403),
        ("coordinating_officer", 403),
        ("unrelated_officer", 404),
        ("scoring", 403),
        ("anonymous", 401),
    ],
)
@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_only_the_office_or_the_supervising_leader_decides(
    people, pending, caller, expected, decision
):
    task, extension_id = pending
    before = snapshot(task)
    response = decide(people, extension_id, decision, caller, note="Tự quyết")
    assert response.status_code == expected
    assert snapshot(task) == before


def test_a_department_that_may_not_see_the_task_does_not_see_its_requests(people, pending):
    task, extension_id = pending
    outsider = client(people, "unrelated_officer")
    assert outsider.get(f"/api/v1/extension-requests/{extension_id}/").status_code == 404
    assert outsider.get("/api/v1/extension-requests/").data["count"] == 0
    assert outsider.get(f"/api/v1/tasks/{task.pk}/extension-requests/").status_code == 404
    for caller in ("lead_officer", "coordinating_officer", "leader", "office"):
        listed = client(people, caller).get("/api/v1/extension-requests/").data
        assert [r["id"] for r in listed["results"]] == [extension_id], caller
        on_task = client(people, caller).get(f"/api/v1/tasks/{task.pk}/extension-requests/")
        assert [r["id"] for r in on_task.data["results"]] == [extension_id], caller


@pytest.mark.parametrize(
    ("first", "second", "status_label"),
    [
        ("approve", "approve", "Approved"),
        ("approve", "reject", "Approved"),
        ("reject", "approve", "Rejected"),
        ("reject", "reject", "Rejected"),
    ],
)
def test_a_decision_on_a_decided_request_is_409(people, pending, first, second, status_label):
    task, extension_id = pending
    assert decide(people, extension_id, first, "office").status_code == 200
    before = snapshot(task)
    response = decide(people, extension_id, second, "supervising_leader", note="Đổi ý")
    assert response.status_code == 409
    assert status_label in str(response.data["detail"])
    assert snapshot(task) == before


def test_a_decided_request_is_409_before_the_note_is_judged(people, pending):
    """The order of the checks: the request's state before the input."""
    task, extension_id = pending
    assert decide(people, extension_id, "reject", "office").status_code == 200
    before = snapshot(task)
    response = decide(people, extension_id, "approve", "office", note="x" * 2001)
    assert response.status_code == 409, response.data
    assert snapshot(task) == before


def test_an_overlong_note_on_a_pending_request_is_400(people, pending):
    task, extension_id = pending
    before = snapshot(task)
    response = decide(people, extension_id, "approve", "office", note="x" * 2001)
    assert response.status_code == 400
    assert "note" in response.data
    assert snapshot(task) == before


@pytest.mark.parametrize(("action", "target"), [("pause", "paused"), ("cancel", "cancelled")])
def test_a_request_closed_with_its_task_cannot_be_approved(people, pending, action, target):
    task, extension_id = pending
    response = client(people, "office").post(
        f"/api/v1/tasks/{task.pk}/{action}/", {"reason": "Dừng"}, format="json"
    )
    assert response.status_code == 200
    extension = ExtensionRequest.objects.get(pk=extension_id)
    assert extension.status == "rejected"
    before = snapshot(task)
    response = decide(people, extension_id, "approve", "supervising_leader")
    assert response.status_code == 409
    assert snapshot(task) == before
    assert before["status"] == target


def test_the_database_holds_at_most_one_pending_request_per_task(people, pending, today):
    task, _extension_id = pending
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtensionRequest.objects.create(
            task=task,
            department=task.lead_department,
            author=people["lead_head"],
            previous_deadline=today + 10 * DAY,
            requested_deadline=today + 50 * DAY,
            reason="Lách qua dịch vụ",
        )
    assert ExtensionRequest.objects.filter(task=task).count() == 1


# --- at the same time, on real connections -----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_one_201_one_409(people, make_task, today):
    task = make_task(deadline=10)
    clients = [client(people, "lead_officer"), client(people, "lead_head")]
    url = f"/api/v1/tasks/{task.pk}/extension-requests/"

    def send(index: int, days: int) -> Callable[[], Any]:
        body = {"requested_deadline": (today + days * DAY).isoformat(), "reason": f"Lần {index}"}
        return lambda: clients[index].post(url, body, format="json")

    responses = run_queued(task, [send(0, 30), send(1, 45)])

    assert sorted(r.status_code for r in responses) == [201, 409], [r.data for r in responses]
    winner = next(r for r in responses if r.status_code == 201)
    rows = list(ExtensionRequest.objects.filter(task=task))
    assert [(row.pk, row.status) for row in rows] == [(winner.data["id"], "pending")]
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.effective_deadline == today + 10 * DAY


@pytest.mark.django_db(transaction=True)
def test_a_pause_and_an_approval_at_the_same_time_do_not_deadlock(people, make_task, today):
    """The pause queues first on the task and, once it runs, closes the pending request; the
    approval, queued behind it, must not hold the request's row meanwhile (a deadlock
    would fail one of them with a database error). The approval then finds the request
    decided: 409."""
    task = make_task(deadline=10, state="in_progress")
    extension_id = ask(people, task, today + 40 * DAY).data["id"]
    office, supervisor = client(people, "office"), client(people, "supervising_leader")

    pause, approve = run_queued(
        task,
        [
            lambda: office.post(
                f"/api/v1/tasks/{task.pk}/pause/", {"reason": "Dừng"}, format="json"
            ),
            lambda: supervisor.post(
                f"/api/v1/extension-requests/{extension_id}/approve/", {}, format="json"
            ),
        ],
    )

    assert (pause.status_code, approve.status_code) == (200, 409), (pause.data, approve.data)
    fresh = Task.objects.get(pk=task.pk)
    assert (fresh.status, fresh.effective_deadline) == ("paused", today + 10 * DAY)
    assert ExtensionRequest.objects.get(pk=extension_id).status == "rejected"
    assert list(TaskHistory.objects.filter(task=task).values_list("action", flat=True)) == [
        "created",
        "status_changed",  # assigned → in_progress
        "status_changed",  # in_progress → paused
    ]


def test_approval_never_shortens_a_deadline_the_office_moved_meanwhile(api, office_user, officer):
    """The office corrected the deadline past the requested date while the request waited."""
    today = timezone.localdate()
    task = TaskFactory(
        lead_department=officer.department,
        assigned_on=today - dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=5),
    )
    created = api(officer).post(
        f"/api/v1/tasks/{task.pk}/extension-requests/",
        {"requested_deadline": (today + dt.timedelta(days=15)).isoformat(), "reason": "Cần thêm"},
        format="json",
    )
    assert created.status_code == 201
    later = (today + dt.timedelta(days=30)).isoformat()
    assert (
        api(office_user)
        .patch(f"/api/v1/tasks/{task.pk}/", {"deadline": later}, format="json")
        .status_code
        == 200
    )
    response = api(office_user).post(
        f"/api/v1/extension-requests/{created.data['id']}/approve/", {}, format="json"
    )
    assert response.status_code == 409
    task.refresh_from_db()
    assert task.effective_deadline.isoformat() == later
