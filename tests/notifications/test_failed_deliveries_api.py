"""The office's follow-up of failed deliveries through the API: the list and the retry."""

import pytest

from notifications.models import NotificationStatus
from tests.notifications.notification_api_support import FAILED, INBOX, notify

pytestmark = pytest.mark.django_db


# --- failed deliveries -------------------------------------------------------------------


def test_the_office_lists_failed_deliveries_of_every_channel(api, office_user, officer, task):
    email = notify(officer, task, number=1, channel="email", status=NotificationStatus.FAILED)
    sms = notify(officer, task, number=2, channel="sms", status=NotificationStatus.FAILED)
    notify(officer, task, number=3, channel="email")

    response = api(office_user).get(FAILED)

    assert response.status_code == 200, response.content
    body = response.json()
    assert [n["id"] for n in body["results"]] == [sms.pk, email.pk]
    row = body["results"][1]
    assert row["recipient"] == {"id": officer.pk, "username": officer.username}
    assert row["channel"] == "email"
    assert row["status"] == "failed"
    assert row["attempts"] == 5
    assert row["last_error"] == "SMTP 550"
    assert row["task"] == task.pk
    assert row["step"] == "due_today"
    assert row["created_at"]

    by_channel = api(office_user).get(FAILED, {"channel": "sms"}).json()
    assert [n["id"] for n in by_channel["results"]] == [sms.pk]
    assert api(office_user).get(FAILED, {"kind": "digest"}).json()["count"] == 0
    assert api(office_user).get(FAILED, {"channel": "fax"}).status_code == 400


def test_failed_deliveries_are_the_offices(api, officer, leader_user):
    assert api(officer).get(FAILED).status_code == 403
    assert api(leader_user).get(FAILED).status_code == 403
    assert api(None).get(FAILED).status_code == 401


def test_retry_puts_a_failed_delivery_back_to_pending(api, office_user, officer, task):
    failed = notify(officer, task, number=1, channel="email", status=NotificationStatus.FAILED)

    response = api(office_user).post(f"{INBOX}{failed.pk}/retry/")

    assert response.status_code == 200, response.content
    assert response.json()["id"] == failed.pk
    assert response.json()["status"] == "pending"
    assert response.json()["attempts"] == 0
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.PENDING
    assert failed.attempts == 0


def test_retry_of_a_delivery_that_has_not_failed_is_a_conflict(api, office_user, officer, task):
    sent = notify(officer, task, number=1, channel="email")
    response = api(office_user).post(f"{INBOX}{sent.pk}/retry/")
    assert response.status_code == 409
    assert "detail" in response.json()
    sent.refresh_from_db()
    assert sent.status == NotificationStatus.SENT


def test_retry_is_the_offices(api, office_user, officer, task):
    failed = notify(officer, task, number=1, channel="email", status=NotificationStatus.FAILED)
    assert api(officer).post(f"{INBOX}{failed.pk}/retry/").status_code == 403
    assert api(None).post(f"{INBOX}{failed.pk}/retry/").status_code == 401
    assert api(office_user).post(f"{INBOX}999999/retry/").status_code == 404
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.FAILED
