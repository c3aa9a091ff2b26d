"""The delivery of recorded notifications: exclusive claims and their lease, never sending
twice, retries with exponential back-off, the quiet hours of SMS, and the dispatch to the
workers.

Time is driven by the `now=` argument of `sweep` and, for delivery, by the clock file
(settings.CLOCK_FILE, read by config.common.clock.now). No Celery worker runs: the on-commit
enqueue goes to kombu's in-memory transport. The texts are never compared with exact
wording (the templates are written elsewhere): only their language and shape. The world,
the helpers and the autouse environment are in tests/tracker/reminder_support.py."""

import socket
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from notifications import tasks as notification_tasks
from notifications.models import Notification
from notifications.services import delivery
from notifications.services.timing import allowed_moment
from tests.tracker import reminder_support
from tests.tracker.reminder_support import (
    EMAIL,
    INBOX,
    SMS,
    S,
    World,
    at,
    build_world,
    expected_steps,
    keys,
    recorded,
    rows_of,
    run_together,
    wd,
)
from tracker.services.reminders import sweep

_broker = reminder_support._broker
message_templates = reminder_support.message_templates
default_policy = reminder_support.default_policy
messaging_settings = reminder_support.messaging_settings
world = reminder_support.world


@pytest.fixture
def clock_at(settings: Any, tmp_path: Path) -> Callable[[datetime], None]:
    """Moves the clock that delivery reads (config.common.clock.now)."""
    path = tmp_path / "clock"
    settings.CLOCK_FILE = str(path)

    def move(moment: datetime) -> None:
        path.write_text(moment.isoformat())

    return move


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_claiming_is_exclusive(world: World) -> None:
    n = recorded(world, -1)[("syt_head", EMAIL)]
    now = at(wd(-1), 9)
    first = delivery.notification_claim(n.pk, now)
    second = delivery.notification_claim(n.pk, now)
    assert first is not None and second is None
    assert first.status == S.SENDING and first.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_two_claims_at_once_one_wins() -> None:
    w = build_world()
    rows = recorded(w, -1)
    for n in rows.values():
        claims = run_together([lambda pk=n.pk: delivery.notification_claim(pk, at(wd(-1), 9))] * 4)
        assert sum(c is not None for c in claims) == 1
        assert Notification.objects.get(pk=n.pk).attempts == 1


def test_a_sent_notification_is_never_sent_again(world: World, clock_at: Callable) -> None:
    n = recorded(world, -1)[("syt_head", EMAIL)]
    clock_at(at(wd(-1), 9))
    assert notification_tasks.deliver_notification(n.pk) == S.SENT
    # The same Celery message delivered again (acks_late, a worker lost), or a second one.
    assert notification_tasks.deliver_notification(n.pk) == "skipped"
    assert delivery.notification_deliver(n.pk) == "skipped"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["syt_head@example.vn"]
    assert mail.outbox[0].subject == n.subject
    n.refresh_from_db()
    assert (n.status, n.attempts, n.sent_at) == (S.SENT, 1, at(wd(-1), 9))
    assert n.provider_message_id == f"<notification-{n.pk}@dondoc>"
    assert n.pk not in delivery.notifications_due(at(wd(-1), 10))


def test_a_step_is_due_from_eight_on_its_day(world: World) -> None:
    task = world.task()
    sweep(now=at(wd(-6), 23, 59))
    sweep(now=at(wd(-5), 7, 59, 59))
    assert rows_of(task) == []
    sweep(now=at(wd(-5), 8, 0))
    assert keys(rows_of(task)) == expected_steps(world)[wd(-5)]
    assert {n.send_after for n in rows_of(task)} == {at(wd(-5), 8)}


def test_a_claim_older_than_the_lease_is_taken_up_again(
    world: World, clock_at: Callable, settings: Any
) -> None:
    settings.NOTIFICATION_CLAIM_LEASE_SECONDS = 120
    lease = timedelta(seconds=120)
    n = recorded(world, -1)[("syt_head", EMAIL)]
    t = at(wd(-1), 9)
    assert delivery.notification_claim(n.pk, t) is not None  # its worker was then killed
    clock_at(t + timedelta(minutes=1))
    assert delivery.notification_deliver(n.pk) == "skipped"  # still held
    assert n.pk not in delivery.notifications_due(t + timedelta(minutes=1))
    clock_at(t + lease + timedelta(seconds=1))
    assert n.pk in delivery.notifications_due(t + lease + timedelta(seconds=1))
    assert delivery.notification_deliver(n.pk) == S.SENT
    n.refresh_from_db()
    assert (n.status, n.attempts) == (S.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_failing_channel_backs_off_then_fails_keeping_the_error(
    world: World, clock_at: Callable, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    n = recorded(world, -1)[("syt_head", EMAIL)]
    now = at(wd(-1), 9)
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    for attempt in range(1, settings.NOTIFICATION_MAX_ATTEMPTS):
        clock_at(now)
        assert delivery.notification_deliver(n.pk) == S.PENDING
        n.refresh_from_db()
        assert (n.status, n.attempts, n.claimed_at) == (S.PENDING, attempt, None)
        assert "Connection" in n.last_error or "refused" in n.last_error.lower(), n.last_error
        delay = (n.send_after - now).total_seconds()
        scale = base * 2 ** (attempt - 1)
        assert 0.5 * scale <= delay <= 1.5 * scale  # exponential, with jitter
        clock_at(n.send_after - timedelta(seconds=1))
        assert delivery.notification_deliver(n.pk) == "skipped"  # not before its time
        now = n.send_after
    clock_at(now)
    assert delivery.notification_deliver(n.pk) == S.FAILED
    n.refresh_from_db()
    assert n.status == S.FAILED and n.attempts == settings.NOTIFICATION_MAX_ATTEMPTS
    assert n.last_error
    clock_at(now + timedelta(days=1))
    assert delivery.notification_deliver(n.pk) == "skipped"
    assert n.pk not in delivery.notifications_due(now + timedelta(days=1))
    # The office sends it again: pending from the first attempt, now.
    assert delivery.notification_retry(n)
    assert not delivery.notification_retry(n)  # only a failed one
    n.refresh_from_db()
    assert (n.status, n.attempts, n.send_after) == (S.PENDING, 0, now + timedelta(days=1))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.notification_deliver(n.pk) == S.SENT
    assert len(mail.outbox) == 1


def test_retry_delays_grow_exponentially_up_to_six_hours(settings: Any) -> None:
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    for attempt in range(1, 20):
        delay = delivery.retry_delay(attempt).total_seconds()
        assert delay <= delivery.MAX_BACKOFF.total_seconds()
        if 60 * 2 ** (attempt - 1) * 1.5 < delivery.MAX_BACKOFF.total_seconds():
            assert 30 * 2 ** (attempt - 1) <= delay <= 90 * 2 ** (attempt - 1)
    assert len({delivery.retry_delay(3) for _ in range(20)}) > 1  # jitter


def test_an_sms_recorded_at_night_waits_until_seven(world: World, clock_at: Callable) -> None:
    rows = recorded(world, -1, hour=22, minute=0)
    sms, email, inbox = (
        rows[("syt_head", SMS)],
        rows[("syt_head", EMAIL)],
        rows[("syt_head", INBOX)],
    )
    assert sms.send_after == at(wd(-1) + timedelta(days=1), 7)
    assert email.send_after == inbox.send_after == at(wd(-1), 22)
    due_at_night = delivery.notifications_due(at(wd(-1), 23))
    assert email.pk in due_at_night and inbox.pk in due_at_night and sms.pk not in due_at_night
    clock_at(at(wd(-1), 23))
    assert delivery.notification_deliver(sms.pk) == "skipped"
    clock_at(at(wd(-1) + timedelta(days=1), 7))
    assert sms.pk in delivery.notifications_due(at(wd(-1) + timedelta(days=1), 7))
    assert delivery.notification_deliver(sms.pk) == S.SENT


def test_quiet_hours_of_sms() -> None:
    day = date(2026, 6, 16)
    assert allowed_moment(at(day, 6), SMS) == at(day, 7)
    assert allowed_moment(at(day, 7), SMS) == at(day, 7)
    assert allowed_moment(at(day, 20, 59), SMS) == at(day, 20, 59)
    assert allowed_moment(at(day, 21), SMS) == at(day + timedelta(days=1), 7)
    assert allowed_moment(at(day, 23, 30), SMS) == at(day + timedelta(days=1), 7)
    assert allowed_moment(at(day, 23, 30), EMAIL) == at(day, 23, 30)


def test_an_sms_due_at_six_waits_until_seven(world: World, clock_at: Callable) -> None:
    sms = recorded(world, -1)[("syt_head", SMS)]
    next_day = wd(-1) + timedelta(days=1)
    Notification.objects.filter(pk=sms.pk).update(send_after=at(next_day, 6))
    clock_at(at(next_day, 6))
    assert sms.pk not in delivery.notifications_due(at(next_day, 6))
    assert delivery.notification_deliver(sms.pk) == "skipped"
    clock_at(at(next_day, 7))
    assert delivery.notification_deliver(sms.pk) == S.SENT


def test_an_sms_due_in_the_evening_but_picked_up_after_nine_waits(
    world: World, clock_at: Callable
) -> None:
    """Due at 20:55, but the worker gets to it at 21:30 (a backlog, a restart): it goes out
    at 07:00, never in the night."""
    sms = recorded(world, -1)[("syt_head", SMS)]
    Notification.objects.filter(pk=sms.pk).update(send_after=at(wd(-1), 20, 55))
    clock_at(at(wd(-1), 21, 30))
    assert sms.pk not in delivery.notifications_due(at(wd(-1), 21, 30))
    assert delivery.notification_deliver(sms.pk) != S.SENT
    sms.refresh_from_db()
    assert sms.status == S.PENDING and sms.sent_at is None
    clock_at(at(wd(-1) + timedelta(days=1), 7, 0, 1))
    assert delivery.notification_deliver(sms.pk) == S.SENT


def test_a_failed_sms_retried_at_six_waits_until_seven(
    world: World, clock_at: Callable, settings: Any
) -> None:
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{closed_port()}/send"
    settings.SMS_GATEWAY_TIMEOUT = 2
    sms = recorded(world, -1)[("syt_head", SMS)]
    # A failure at 20:59:30: the next attempt (≥ 30 s later) falls in the night → 07:00.
    clock_at(at(wd(-1), 20, 59, 30))
    assert delivery.notification_deliver(sms.pk) == S.PENDING
    sms.refresh_from_db()
    next_day = wd(-1) + timedelta(days=1)
    assert sms.send_after == at(next_day, 7) and sms.last_error
    Notification.objects.filter(pk=sms.pk).update(status=S.FAILED)
    clock_at(at(next_day, 6))
    assert delivery.notification_retry(sms)
    sms.refresh_from_db()
    assert (sms.status, sms.send_after) == (S.PENDING, at(next_day, 7))


def test_dispatch_hands_the_due_notifications_to_the_workers(
    world: World, clock_at: Callable, monkeypatch: Any
) -> None:
    rows = recorded(world, -1, hour=22, minute=0)
    queued: list[list[int]] = []
    monkeypatch.setattr(notification_tasks.deliver_notifications, "delay", queued.append)
    clock_at(at(wd(-1), 23))
    assert notification_tasks.dispatch_due_notifications() == 2
    # One message for the two (a batch), without the SMS waiting for the morning.
    assert len(queued) == 1
    assert sorted(queued[0]) == sorted(n.pk for n in rows.values() if n.channel != SMS)
