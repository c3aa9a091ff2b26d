"""The SMTP server down. Down for the first attempts: the e-mail goes out once it is back,
before the last attempt. Down past the last attempt: the notification is `failed` with the
error, the office's list of failed deliveries shows it, and the office's retry sends it once
the server is back."""

from datetime import date, time, timedelta

import pytest

from notifications.models import Notification, NotificationKind, NotificationStatus
from tests.conftest import client_for
from tests.integration.conftest import MAX_ATTEMPTS
from tests.integration.scenario import local
from tests.integration.support import wait_until
from tests.notification_rows import reminder_fields
from tracker.models import ReminderStep

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

DAY = date(2026, 5, 12)  # a Tuesday; the clock stands at 10:00 and is moved past each backoff
BACKOFF = timedelta(minutes=1)  # more than any backoff of the first attempts (base 1 s)


def record(task, recipient, clock_now):
    step = ReminderStep.objects.get(policy__priority="", code="escalation_1")
    return Notification.objects.create(
        kind=NotificationKind.ESCALATION,
        **reminder_fields(task, step),
        recipient=recipient,
        channel="email",
        language=recipient.language,
        subject="[Đôn đốc] Nhiệm vụ quá hạn",
        body="Kính gửi Thủ trưởng: nhiệm vụ đã quá hạn.",
        send_after=clock_now,
    )


def wait_for_attempt(row, attempts, status):
    def reached():
        row.refresh_from_db()
        return row.attempts == attempts and row.status == status

    wait_until(
        reached,
        timeout=20,
        what=f"#{row.pk} at attempt {attempts}, {status}",
        explain=lambda: f"#{row.pk}: {row.status}, {row.attempts} attempts, {row.last_error}",
    )


def test_smtp_down_then_back(system, province):
    # Its first reminder is weeks away: the only e-mails are the ones recorded here.
    task = province.task(assigned_on=DAY, deadline_working_days=30, title="Giải ngân vốn")
    start = local(DAY, time(10, 0))
    system.set_clock(start)
    system.smtp.stop()
    system.start()

    # Down for the first attempts, back before the last one.
    first = record(task, province.head, start)
    for attempt in range(1, MAX_ATTEMPTS):
        wait_for_attempt(first, attempt, NotificationStatus.PENDING)
        assert "Connection refused" in first.last_error, first.last_error
        assert first.send_after > start  # backed off
        if attempt < MAX_ATTEMPTS - 1:
            system.advance(BACKOFF)
    assert system.smtp.messages() == []
    system.smtp.start()
    system.advance(BACKOFF)
    wait_for_attempt(first, MAX_ATTEMPTS, NotificationStatus.SENT)
    assert first.last_error == ""
    assert system.smtp.counts() == {first.pk: 1}

    # Down past the last attempt.
    system.smtp.stop()
    second = record(task, province.officer_vi, system.clock.read())
    for attempt in range(1, MAX_ATTEMPTS):
        wait_for_attempt(second, attempt, NotificationStatus.PENDING)
        system.advance(BACKOFF)
    wait_for_attempt(second, MAX_ATTEMPTS, NotificationStatus.FAILED)
    assert "Connection refused" in second.last_error, second.last_error

    office = client_for(province.follow_up)
    listed = office.get("/api/v1/notifications/failed/")
    assert listed.status_code == 200, listed.content
    [entry] = listed.json()["results"]
    assert (entry["id"], entry["status"], entry["attempts"]) == (second.pk, "failed", 3)
    assert entry["last_error"] == second.last_error
    # A failed notification stays failed: the dispatcher does not take it up again.
    system.advance(BACKOFF)
    system.wait_for_dispatches()
    second.refresh_from_db()
    assert second.status == NotificationStatus.FAILED

    system.smtp.start()
    retried = office.post(f"/api/v1/notifications/{second.pk}/retry/")
    assert retried.status_code == 200, retried.content
    wait_for_attempt(second, 1, NotificationStatus.SENT)
    system.settle()
    assert system.smtp.counts() == {first.pk: 1, second.pk: 1}
    assert office.get("/api/v1/notifications/failed/").json()["results"] == []
    [email] = [m for m in system.smtp.messages() if m.notification == second.pk]
    assert email.recipients == (province.officer_vi.email,)
    assert email.message_id == f"<notification-{second.pk}@dondoc>"
