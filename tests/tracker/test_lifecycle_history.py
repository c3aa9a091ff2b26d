"""The task lifecycle's record: a returned completion report does not count and the accepted
one gives the completion date; the history endpoint lists every transition in order.

Each starting state is built through the lifecycle services, never by writing `status`.
Dates are relative to today's local date (Asia/Ho_Chi_Minh), so the tests hold on any day.
The world and the helpers are in tests/tracker/lifecycle_support.py."""

import datetime as dt

import pytest

from tests.tracker import lifecycle_support
from tests.tracker.lifecycle_support import url
from tracker.models import CompletionReport, Task

pytestmark = pytest.mark.django_db


world = lifecycle_support.world


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
