"""The in-app inbox through the API: the caller's messages newest first, the unread filter
and count, reading one message and reading all."""

import pytest

from notifications.models import NotificationStatus
from tests.factories import UserFactory
from tests.notifications.notification_api_support import INBOX, notify
from tracker.models import Role

pytestmark = pytest.mark.django_db


# --- the inbox ---------------------------------------------------------------------------


def test_inbox_lists_only_the_callers_sent_inbox_messages_newest_first(api, officer, head, task):
    older = notify(officer, task, number=1)
    newer = notify(officer, task, number=2)
    notify(officer, task, number=3, channel="email")
    notify(officer, task, number=4, status=NotificationStatus.PENDING)
    notify(officer, task, number=5, status=NotificationStatus.FAILED)
    notify(head, task, number=6)

    response = api(officer).get(INBOX)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert [n["id"] for n in body["results"]] == [newer.pk, older.pk]
    first = body["results"][0]
    assert set(first) == {
        "id",
        "kind",
        "task",
        "step",
        "subject",
        "body",
        "created_at",
        "read_at",
        "read",
    }
    assert first["kind"] == "reminder"
    assert first["task"] == task.pk
    assert first["step"] == "due_today"
    assert first["read"] is False
    assert first["read_at"] is None


def test_every_role_has_an_inbox(api, task):
    scoring = UserFactory(role=Role.SCORING)
    notify(scoring, task, number=1)
    response = api(scoring).get(INBOX)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_the_inbox_needs_a_signed_in_user(api):
    assert api(None).get(INBOX).status_code == 401


def test_unread_filter_and_unread_count(api, officer, task):
    unread = notify(officer, task, number=1)
    read = notify(officer, task, number=2, read=True)
    notify(officer, task, number=3)

    everything = api(officer).get(INBOX).json()
    assert everything["count"] == 3
    assert everything["unread_count"] == 2

    only_unread = api(officer).get(INBOX, {"unread": "true"}).json()
    assert only_unread["count"] == 2
    assert unread.pk in [n["id"] for n in only_unread["results"]]
    assert only_unread["unread_count"] == 2

    only_read = api(officer).get(INBOX, {"unread": "false"}).json()
    assert [n["id"] for n in only_read["results"]] == [read.pk]
    assert only_read["results"][0]["read"] is True
    assert only_read["unread_count"] == 2  # the total, whatever the filter


@pytest.mark.parametrize("value", ["yes", "1", "TRUE", ""])
def test_unread_filter_is_strict(api, officer, value):
    response = api(officer).get(INBOX, {"unread": value})
    # Empty too: a client that meant to filter would otherwise get every message.
    assert response.status_code == 400
    assert "unread" in response.json()


def test_reading_a_message_sets_read_at_once(api, officer, task):
    notification = notify(officer, task, number=1)
    url = f"{INBOX}{notification.pk}/read/"

    first = api(officer).post(url)
    assert first.status_code == 200, first.content
    assert first.json()["id"] == notification.pk
    assert first.json()["read"] is True
    read_at = first.json()["read_at"]
    assert read_at is not None

    again = api(officer).post(url)
    assert again.status_code == 200
    assert again.json()["read_at"] == read_at
    assert api(officer).get(INBOX).json()["unread_count"] == 0


def test_another_users_message_is_not_found(api, officer, head, task):
    theirs = notify(head, task, number=1)
    assert api(officer).post(f"{INBOX}{theirs.pk}/read/").status_code == 404
    assert api(officer).post(f"{INBOX}999999/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_email_is_not_in_the_inbox(api, officer, task):
    email = notify(officer, task, number=1, channel="email")
    assert api(officer).post(f"{INBOX}{email.pk}/read/").status_code == 404


def test_read_all_marks_the_callers_unread_messages(api, officer, head, task):
    notify(officer, task, number=1)
    notify(officer, task, number=2)
    notify(officer, task, number=3, read=True)
    theirs = notify(head, task, number=4)

    response = api(officer).post(f"{INBOX}read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert api(officer).get(INBOX).json()["unread_count"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert api(officer).post(f"{INBOX}read-all/").json() == {"marked": 0}
