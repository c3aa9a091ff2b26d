"""Office staff acting for a department (lead or coordinating), what pause and cancel close
(the pending report and extension request), accepting closing a pending extension request,
and a resumed task finished.

Each starting state is built through the lifecycle services, never by writing `status`.
Dates are relative to today's local date (Asia/Ho_Chi_Minh), so the tests hold on any day.
The world and the helpers are in tests/tracker/lifecycle_support.py."""

import datetime as dt

import pytest

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.tracker import lifecycle_support
from tests.tracker.lifecycle_support import new_history, snapshot, url
from tracker.models import CompletionReport, ExtensionRequest, Role, Task

pytestmark = pytest.mark.django_db


world = lifecycle_support.world


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
