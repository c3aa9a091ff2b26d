"""Delivery in batches (`deliver_notifications`, the dispatcher's messages): each due row
of a batch claimed once and sent once, every outcome recorded as soon as it is known, one
failing row never stopping the others, one SMTP connection per batch, claims renewed while
a slow batch works (and a row another worker took meanwhile left to it), and the SMS quiet
hours checked at each row's turn.

Time is the clock file (settings.CLOCK_FILE); the e-mail server is a real aiosmtpd on
loopback, or Django's in-memory backend with a hook that lets time pass during a send (a
slow server) or lets another worker act meanwhile."""

import logging
import socket
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from config.common import clock
from notifications import tasks as notification_tasks
from notifications.models import Notification, NotificationKind, NotificationStatus
from notifications.services import delivery
from tests.factories import UserFactory

S = NotificationStatus
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = datetime(2026, 6, 16, 9, 0, tzinfo=TZ)  # a Tuesday


@pytest.fixture(autouse=True)
def _broker(in_memory_broker: None) -> None:
    """The office's retry enqueues the dispatcher on commit."""


@pytest.fixture
def clock_file(settings: Any, tmp_path: Path) -> Callable[[datetime], None]:
    path = tmp_path / "clock"
    settings.CLOCK_FILE = str(path)

    def move(moment: datetime) -> None:
        path.write_text(moment.isoformat())

    move(MORNING)
    return move


def notification(channel: str = "email", *, n: int = 0, **fields: Any) -> Notification:
    person = UserFactory(username=f"cbcc{n:03d}_{channel}")
    values = {
        "kind": NotificationKind.REMINDER,
        "key": f"batch-test:{n}",
        "code": "early_reminder",
        "recipient": person,
        "channel": channel,
        "language": "vi",
        "subject": f"[Đôn đốc] Nhắc việc số {n}",
        "body": "Đề nghị khẩn trương thực hiện nhiệm vụ.",
        "send_after": MORNING - timedelta(minutes=5),
    } | fields
    return Notification.objects.create(**values)


def statuses(rows: list[Notification]) -> list[str]:
    return [Notification.objects.get(pk=row.pk).status for row in rows]


# --- a real SMTP server ------------------------------------------------------------------


class Collector:
    """Accepts every message but those to refused@…, noting the connection it came on."""

    def __init__(self) -> None:
        self.received: list[tuple[tuple[str, int], list[str]]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address.startswith("refused"):
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append((session.peer, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def connections(self) -> int:
        return len({peer for peer, _ in self.received})

    def recipients(self) -> list[str]:
        return [address for _, addresses in self.received for address in addresses]


@pytest.fixture
def smtp(settings: Any) -> Iterator[Collector]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield collector
    controller.stop()


# --- Django's in-memory backend, with something happening during a send ---------------


class EventfulBackend(EmailBackend):
    """locmem, running the next of `during_sends` while each message is being sent."""

    during_sends: list[Callable[[], None]] = []

    def send_messages(self, messages: Any) -> int:
        if EventfulBackend.during_sends:
            EventfulBackend.during_sends.pop(0)()
        return super().send_messages(messages)


@pytest.fixture
def eventful(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[Callable[[], None]]:
    settings.EMAIL_BACKEND = f"{__name__}.EventfulBackend"
    events: list[Callable[[], None]] = []
    monkeypatch.setattr(EventfulBackend, "during_sends", events)
    return events


# --- the tests -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_batch_sends_its_due_rows_once_each(clock_file: Callable) -> None:
    emails = [notification(n=n) for n in range(3)]
    inbox = notification("inbox", n=3)
    later = notification(n=4, send_after=MORNING + timedelta(minutes=1))
    sent = notification(n=5, status=S.SENT)
    failed = notification(n=6, status=S.FAILED)
    rows = [*emails, inbox, later, sent, failed]
    pks = [row.pk for row in rows]

    assert notification_tasks.deliver_notifications(pks) == {"sent": 4, "skipped": 3}
    assert statuses(rows) == [S.SENT] * 4 + [S.PENDING, S.SENT, S.FAILED]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.recipient.email for r in emails)
    for row in [*emails, inbox]:
        row.refresh_from_db()
        assert (row.attempts, row.sent_at, row.claimed_at) == (1, MORNING, MORNING)
    # The same message delivered again (acks_late, a worker lost): nothing goes out twice.
    assert notification_tasks.deliver_notifications(pks) == {"skipped": 7}
    assert delivery.notifications_deliver([]) == {}
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_dispatcher_hands_out_batches_in_order(
    clock_file: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = delivery.BATCH_SIZE
    rows = [notification("inbox", n=n) for n in range(2 * size + 3)]
    queued: list[list[int]] = []
    monkeypatch.setattr(notification_tasks.deliver_notifications, "delay", queued.append)
    assert notification_tasks.dispatch_due_notifications() == len(rows)
    assert [len(batch) for batch in queued] == [size, size, 3]
    assert [pk for batch in queued for pk in batch] == [row.pk for row in rows]


@pytest.mark.django_db
def test_a_batch_uses_one_smtp_connection(clock_file: Callable, smtp: Collector) -> None:
    rows = [notification(n=n) for n in range(4)]
    outcomes = delivery.notifications_deliver([row.pk for row in rows])
    assert set(outcomes.values()) == {S.SENT}
    assert smtp.recipients() == [row.recipient.email for row in rows]
    assert smtp.connections() == 1


@pytest.mark.django_db
def test_a_refused_row_fails_alone_and_the_next_opens_a_new_connection(
    clock_file: Callable, smtp: Collector
) -> None:
    rows = [notification(n=n) for n in range(4)]
    refused = rows[2]
    refused.recipient.email = "refused@example.vn"
    refused.recipient.save(update_fields=["email"])

    outcomes = delivery.notifications_deliver([row.pk for row in rows])

    assert [outcomes[row.pk] for row in rows] == [S.SENT, S.SENT, S.PENDING, S.SENT]
    refused.refresh_from_db()
    assert (refused.status, refused.attempts, refused.claimed_at) == (S.PENDING, 1, None)
    assert "SMTPRecipientsRefused" in refused.last_error
    assert refused.send_after > MORNING  # backed off
    assert smtp.recipients() == [rows[n].recipient.email for n in (0, 1, 3)]
    assert smtp.connections() == 2  # the failure closed the first one


@pytest.mark.django_db
def test_a_sender_bug_in_a_batch_is_a_failed_attempt_of_that_row_alone(
    clock_file: Callable, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/send"
    settings.SMS_GATEWAY_FIELDS = {}  # a broken configuration: the sender raises KeyError
    first = notification(n=0)
    sms = notification("sms", n=1)
    header = notification(n=2, subject="Hai\ndòng")  # Django refuses the header
    last = notification(n=3)
    rows = [first, sms, header, last]

    outcomes = delivery.notifications_deliver([row.pk for row in rows])

    assert [outcomes[row.pk] for row in rows] == [S.SENT, S.PENDING, S.PENDING, S.SENT]
    for row, error in ((sms, "KeyError"), (header, "BadHeaderError")):
        row.refresh_from_db()
        assert (row.status, row.attempts, row.claimed_at) == (S.PENDING, 1, None)
        assert row.last_error.startswith(error), row.last_error
    assert [m.to[0] for m in mail.outbox] == [first.recipient.email, last.recipient.email]
    assert "the sms sender failed" in caplog.text


@pytest.mark.django_db
def test_the_last_attempt_of_a_batch_row_fails_it(
    clock_file: Callable, smtp: Collector, settings: Any
) -> None:
    refused = notification(n=0, attempts=settings.NOTIFICATION_MAX_ATTEMPTS - 1)
    refused.recipient.email = "refused@example.vn"
    refused.recipient.save(update_fields=["email"])
    other = notification(n=1)
    outcomes = delivery.notifications_deliver([refused.pk, other.pk])
    assert outcomes == {refused.pk: S.FAILED, other.pk: S.SENT}
    refused.refresh_from_db()
    assert refused.status == S.FAILED and refused.last_error


@pytest.mark.django_db
def test_a_slow_batch_renews_its_claims_before_they_lapse(
    clock_file: Callable, eventful: list[Callable[[], None]], settings: Any
) -> None:
    """Each send takes 70 s against a lease of 120 s: without renewal the rows still to
    send would be due again (for another worker) from the third send on."""
    settings.NOTIFICATION_CLAIM_LEASE_SECONDS = 120
    rows = [notification(n=n) for n in range(4)]
    waiting = {row.pk for row in rows}
    taken_by_others: list[set[int]] = []

    def slow_send() -> None:
        clock_file(clock.now() + timedelta(seconds=70))
        waiting.discard(min(waiting))  # the row being sent (they go oldest first)
        taken_by_others.append(waiting & set(delivery.notifications_due(clock.now())))

    eventful.extend([slow_send] * len(rows))
    outcomes = delivery.notifications_deliver([row.pk for row in rows])

    assert set(outcomes.values()) == {S.SENT}
    assert taken_by_others == [set(), set(), set(), set()]
    assert len(mail.outbox) == len(rows)
    claims = [Notification.objects.get(pk=row.pk).claimed_at for row in rows]
    # Renewed at each send from half the lease on: at 70 s, 140 s and 210 s.
    assert claims == [MORNING + timedelta(seconds=s) for s in (0, 70, 140, 210)]


@pytest.mark.django_db
def test_a_row_another_worker_took_after_the_lease_is_left_to_it(
    clock_file: Callable, eventful: list[Callable[[], None]], settings: Any
) -> None:
    """The first send hangs past the lease; meanwhile another worker's dispatch finds the
    second row due again and delivers it. The batch then sends the third, not the second."""
    settings.NOTIFICATION_CLAIM_LEASE_SECONDS = 120
    first, second, third = (notification(n=n) for n in range(3))
    other_worker: list[dict[int, str]] = []

    def hanging_send() -> None:
        clock_file(clock.now() + timedelta(seconds=130))
        # Every claim of the batch lapsed, the one being sent included.
        assert set(delivery.notifications_due(clock.now())) == {first.pk, second.pk, third.pk}
        other_worker.append(delivery.notifications_deliver([second.pk]))

    eventful.append(hanging_send)
    outcomes = delivery.notifications_deliver([first.pk, second.pk, third.pk])

    assert other_worker == [{second.pk: S.SENT}]
    assert outcomes == {first.pk: S.SENT, second.pk: "skipped", third.pk: S.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        row.recipient.email for row in (first, second, third)
    )
    second.refresh_from_db()
    assert (second.status, second.attempts) == (S.SENT, 2)


@pytest.mark.django_db
def test_a_batch_whose_every_claim_was_taken_over_ends(
    clock_file: Callable, eventful: list[Callable[[], None]], settings: Any
) -> None:
    settings.NOTIFICATION_CLAIM_LEASE_SECONDS = 120
    first, second = notification(n=0), notification(n=1)
    other_worker: list[dict[int, str]] = []

    def hanging_send() -> None:
        clock_file(clock.now() + timedelta(seconds=130))
        other_worker.append(delivery.notifications_deliver([second.pk]))

    eventful.append(hanging_send)
    outcomes = delivery.notifications_deliver([first.pk, second.pk])

    assert other_worker == [{second.pk: S.SENT}]
    assert outcomes == {first.pk: S.SENT, second.pk: "skipped"}
    assert len(mail.outbox) == 2
    assert statuses([first, second]) == [S.SENT, S.SENT]


@pytest.mark.django_db
def test_an_outcome_is_recorded_under_its_own_claim_only(clock_file: Callable) -> None:
    """A worker whose claim lapsed and was taken over records nothing over the new claim."""
    row = notification(n=0)
    stale = delivery.notification_claim(row.pk, MORNING)
    assert stale is not None
    later = MORNING + timedelta(hours=1)
    assert delivery.notification_claim(row.pk, later) is not None  # taken over
    assert delivery._attempt_failed(stale, "timed out") == S.PENDING
    row.refresh_from_db()
    assert (row.status, row.claimed_at, row.last_error) == (S.SENDING, later, "")


@pytest.mark.django_db
def test_an_sms_whose_turn_comes_after_nine_waits_for_the_morning(
    clock_file: Callable, eventful: list[Callable[[], None]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="notifications.channels")
    evening = datetime(2026, 6, 16, 20, 59, 30, tzinfo=TZ)
    clock_file(evening)
    email = notification(n=0, send_after=evening)
    sms = notification("sms", n=1, send_after=evening)
    eventful.append(lambda: clock_file(evening + timedelta(minutes=1)))  # a slow server

    outcomes = delivery.notifications_deliver([email.pk, sms.pk])

    assert outcomes == {email.pk: S.SENT, sms.pk: S.PENDING}
    sms.refresh_from_db()
    morning = datetime(2026, 6, 17, 7, 0, tzinfo=TZ)
    assert (sms.status, sms.attempts, sms.claimed_at) == (S.PENDING, 0, None)
    assert (sms.send_after, sms.last_error) == (morning, "")
    assert "SMS to" not in caplog.text
    clock_file(morning)
    assert delivery.notification_deliver(sms.pk) == S.SENT
    assert "SMS to" in caplog.text
