"""Extension requests under concurrency, with real separate PostgreSQL connections (one per
thread): two requests at once, a pause and an approval at once, an approval after the
office moved the deadline.

Dates are relative to today's local date (Asia/Ho_Chi_Minh), so the tests hold on any day.
The fixtures are in tests/tracker/conftest.py, the helpers in
tests/tracker/extension_support.py."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from tests.concurrency import run_queued
from tests.factories import TaskFactory
from tests.tracker.extension_support import DAY, ask, client
from tracker.models import ExtensionRequest, Task, TaskHistory

pytestmark = pytest.mark.django_db


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
