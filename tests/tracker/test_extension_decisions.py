"""Deciding extension requests (API.md rows for
`POST /extension-requests/{id}/approve|reject/`): the office or the task's supervising
leader approves (the effective deadline moves, the original one is kept, the history gets
one `deadline_changed` entry) or rejects (no deadline changes); decided requests stay
decided.

Dates are relative to today's local date (Asia/Ho_Chi_Minh), so the tests hold on any day.
The fixtures are in tests/tracker/conftest.py, the helpers in
tests/tracker/extension_support.py."""

import pytest
from django.db import IntegrityError, transaction

from tests.tracker.extension_support import DAY, ask, client, decide, snapshot
from tracker.models import ExtensionRequest, Task, TaskHistory

pytestmark = pytest.mark.django_db


# --- deciding ----------------------------------------------------------------------------


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
