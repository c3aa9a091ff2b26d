"""Separation of duties: nobody accepts or returns a completion report they reported, nor
approves or rejects an extension they asked for, superusers included, whatever the door
(the API, `manage.py task_action`, the admin's actions); a colleague may. The pages are in
tests/tracker/web/test_own_decisions_pages.py; the world in duties_support.py."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.conftest import client_for
from tests.tracker import duties_support
from tests.tracker.duties_support import OWN_REPORT, OWN_REQUEST
from tracker.models import (
    CompletionReportStatus,
    ExtensionRequest,
    ExtensionRequestStatus,
    Task,
    TaskStatus,
)

pytestmark = pytest.mark.django_db

duties = duties_support.duties


def _task_url(task: Task, action: str) -> str:
    return f"/api/v1/tasks/{task.pk}/{action}/"


def test_the_reporter_may_not_accept_or_return_their_own_report_a_colleague_may(duties):
    reporter = client_for(duties.reporter)
    sent = reporter.post(
        _task_url(duties.task, "report-completion"),
        {"completed_on": duties.today.isoformat(), "result": "Đã hoàn thành"},
        format="json",
    )
    assert sent.status_code == 200, sent.data

    accepted = reporter.post(_task_url(duties.task, "accept-completion"), format="json")
    returned = reporter.post(_task_url(duties.task, "return"), {"reason": "x"}, format="json")
    assert (accepted.status_code, returned.status_code) == (403, 403)
    assert OWN_REPORT in str(accepted.data["detail"])
    assert OWN_REPORT in str(returned.data["detail"])
    assert Task.objects.get(pk=duties.task.pk).status == TaskStatus.AWAITING_ACCEPTANCE

    by_colleague = client_for(duties.colleague).post(
        _task_url(duties.task, "accept-completion"), format="json"
    )
    assert by_colleague.status_code == 200
    report = duties.task.completion_reports.get()
    assert (report.status, report.decided_by) == (CompletionReportStatus.ACCEPTED, duties.colleague)


def test_a_superuser_is_no_exception(duties):
    duties.reported(by=duties.superuser)
    accepted = client_for(duties.superuser).post(
        _task_url(duties.task, "accept-completion"), format="json"
    )
    assert accepted.status_code == 403
    assert OWN_REPORT in str(accepted.data["detail"])
    assert Task.objects.get(pk=duties.task.pk).status == TaskStatus.AWAITING_ACCEPTANCE


def test_the_requester_may_not_decide_their_own_extension_a_colleague_may(duties):
    request = duties.requested()
    reporter = client_for(duties.reporter)
    for decision in ("approve", "reject"):
        response = reporter.post(
            f"/api/v1/extension-requests/{request.pk}/{decision}/", {"note": ""}, format="json"
        )
        assert response.status_code == 403
        assert OWN_REQUEST in str(response.data["detail"])
    assert ExtensionRequest.objects.get(pk=request.pk).status == ExtensionRequestStatus.PENDING

    approved = client_for(duties.colleague).post(
        f"/api/v1/extension-requests/{request.pk}/approve/", {"note": ""}, format="json"
    )
    assert approved.status_code == 200
    task = Task.objects.get(pk=duties.task.pk)
    assert task.effective_deadline == request.requested_deadline


def test_task_action_refuses_the_reporter_and_not_a_colleague(duties):
    task = duties.reported()
    with pytest.raises(CommandError, match=OWN_REPORT):
        call_command("task_action", task.pk, "accept-completion", username="vp_reporter")
    with pytest.raises(CommandError, match=OWN_REPORT):
        call_command("task_action", task.pk, "return", reason="x", username="vp_reporter")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.AWAITING_ACCEPTANCE

    call_command(
        "task_action", task.pk, "return", reason="Thiếu minh chứng", username="vp_colleague"
    )
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS


def test_the_admins_action_refuses_the_superusers_own_report(duties):
    task = duties.reported(by=duties.superuser)
    admin = Client(HTTP_ACCEPT_LANGUAGE="en")
    admin.force_login(duties.superuser)
    response = admin.post(
        "/admin/tracker/task/",
        {"action": "accept_completion", "_selected_action": [task.pk]},
        follow=True,
    )
    assert OWN_REPORT in response.content.decode()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.AWAITING_ACCEPTANCE
