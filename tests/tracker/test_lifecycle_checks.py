"""The checks of the task actions: the 409 (and 403) message in the caller's language, a
finished task refusing every action, the order of the checks (visibility, role, state,
input) and the input rules of each action.

Each starting state is built through the lifecycle services, never by writing `status`.
Dates are relative to today's local date (Asia/Ho_Chi_Minh), so the tests hold on any day.
The world and the helpers are in tests/tracker/lifecycle_support.py."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.tracker import lifecycle_support
from tests.tracker.lifecycle_support import STATE_LABELS, body, snapshot, url
from tracker.models import Task

pytestmark = pytest.mark.django_db


world = lifecycle_support.world


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
