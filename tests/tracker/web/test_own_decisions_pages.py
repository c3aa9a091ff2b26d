"""Separation of duties on the pages: the task page and the review queue do not offer one's
own completion report or extension request to decide, and say why; posted anyway, the
decision is refused with the reason. A colleague gets the forms. The API and the other
doors: tests/tracker/test_separation_of_duties.py."""

import pytest
from django.test import Client

from tests.tracker import duties_support
from tests.tracker.duties_support import OWN_REPORT, OWN_REQUEST
from tracker.models import ExtensionRequest, ExtensionRequestStatus, Task, TaskStatus, User

pytestmark = pytest.mark.django_db

duties = duties_support.duties


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_reporter_is_told_why_and_refused_a_colleague_accepts(duties):
    task = duties.reported()
    reporter = _client(duties.reporter)
    page = reporter.get(f"/tasks/{task.pk}/").content.decode()
    assert OWN_REPORT in page
    assert f"/tasks/{task.pk}/accept/" not in page and f"/tasks/{task.pk}/return/" not in page
    queue = reporter.get("/review/").content.decode()
    assert OWN_REPORT in queue and f"/tasks/{task.pk}/accept/" not in queue

    posted = reporter.post(f"/tasks/{task.pk}/accept/", {"version": task.version})
    assert posted.status_code == 403 and OWN_REPORT in posted.content.decode()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.AWAITING_ACCEPTANCE

    colleague = _client(duties.colleague)
    page = colleague.get(f"/tasks/{task.pk}/").content.decode()
    assert f"/tasks/{task.pk}/accept/" in page and OWN_REPORT not in page
    accepted = colleague.post(f"/tasks/{task.pk}/accept/", {"version": task.version})
    assert accepted.status_code == 302
    assert Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED


def test_the_requester_is_told_why_and_refused_a_colleague_decides(duties):
    request = duties.requested()
    approve = f"/extension-requests/{request.pk}/approve/"
    requester = _client(duties.reporter)
    page = requester.get(f"/tasks/{duties.task.pk}/").content.decode()
    assert OWN_REQUEST in page and approve not in page
    queue = requester.get("/review/").content.decode()
    assert OWN_REQUEST in queue and approve not in queue

    version = Task.objects.get(pk=duties.task.pk).version
    posted = requester.post(approve, {"version": version, "note": ""})
    assert posted.status_code == 403 and OWN_REQUEST in posted.content.decode()
    assert ExtensionRequest.objects.get(pk=request.pk).status == ExtensionRequestStatus.PENDING

    colleague = _client(duties.colleague)
    assert approve in colleague.get(f"/tasks/{duties.task.pk}/").content.decode()
    rejected = colleague.post(
        f"/extension-requests/{request.pk}/reject/", {"version": version, "note": "Không"}
    )
    assert rejected.status_code == 302
    assert ExtensionRequest.objects.get(pk=request.pk).status == ExtensionRequestStatus.REJECTED
