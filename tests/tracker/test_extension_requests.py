"""Extension requests (DOMAIN.md "Extension request", API.md row for
`POST /tasks/{id}/extension-requests/`): the lead department asks, on or before the deadline
in force, for a later deadline with a reason; at most one request is pending per task.

Dates are relative to today's local date (Asia/Ho_Chi_Minh), so the tests hold on any day.
The fixtures are in tests/tracker/conftest.py, the helpers in
tests/tracker/extension_support.py."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.tracker.extension_support import DAY, ask, client, decide, snapshot
from tracker.models import ExtensionRequest

pytestmark = pytest.mark.django_db


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
