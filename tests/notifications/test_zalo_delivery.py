"""The Zalo channel end to end, against a loopback Zalo (tests/notifications/zalo_gateway.py):
the real reminder sweep records the messages (a step the office gave Zalo; Zalo beside SMS
for a user who chose it), the real delivery sends them (the template of the user's
language, the parameters, the tracking id; Zalo's msg_id kept), the access token is
refreshed once when Zalo refuses it and once for many workers at the same moment, error
codes give up or retry, and Zalo keeps the quiet hours of SMS.

Delivery's time is the clock file (settings.CLOCK_FILE); the world and the autouse
environment are the reminder tests' (tests/tracker/reminder_support.py)."""

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from notifications.models import Notification, ZaloTemplate, ZaloToken
from notifications.selectors import failed_list
from notifications.services import delivery
from notifications.services.preferences import preferences_update
from notifications.services.zalo import zns_phone
from tests.notifications.zalo_gateway import FIRST_REFRESH_TOKEN, ZaloGateway, zalo_gateway
from tests.tracker import reminder_support
from tests.tracker.reminder_support import (
    EMAIL,
    INBOX,
    SMS,
    S,
    World,
    at,
    build_world,
    rows_of,
    run_together,
    wd,
)
from tracker.models import ReminderStep, Task
from tracker.services.reminders import sweep

_broker = reminder_support._broker
message_templates = reminder_support.message_templates
default_policy = reminder_support.default_policy
messaging_settings = reminder_support.messaging_settings
world = reminder_support.world

ZALO = "zalo"
STEP_CODES = reminder_support.MESSAGE_CODES


@pytest.fixture
def clock_at(settings: Any, tmp_path: Path) -> Callable[[datetime], None]:
    path = tmp_path / "clock"
    settings.CLOCK_FILE = str(path)

    def move(moment: datetime) -> None:
        path.write_text(moment.isoformat())

    return move


@pytest.fixture
def gateway(settings: Any) -> Iterator[ZaloGateway]:
    with zalo_gateway(settings) as serving:
        yield serving


@pytest.fixture
def templates(db: None) -> None:
    """The office's ZNS templates: one per step code and language."""
    for code in STEP_CODES:
        for language in ("vi", "en"):
            ZaloTemplate.objects.create(
                code=code, language=language, template_id=f"{language}-{code}"
            )


def give_zalo(code: str) -> None:
    """The office adds Zalo to a step of the default policy (as the admin's form would)."""
    step = ReminderStep.objects.get(policy__priority="", policy__active=True, code=code)
    step.channels = [*step.channels, ZALO]
    step.save()


def channels_by_user(task: Task) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for n in rows_of(task):
        found.setdefault(n.recipient.username, set()).add(n.channel)
    return found


def deliver(rows: list[Notification], moment: datetime, clock_at: Callable) -> dict[int, str]:
    clock_at(moment)
    return delivery.notifications_deliver([n.pk for n in rows])


# --- reaching Zalo ----------------------------------------------------------------------


def test_a_step_given_zalo_reaches_the_gateway(
    world: World, gateway: ZaloGateway, templates: None, clock_at: Callable
) -> None:
    give_zalo("early_reminder")
    task = world.task(title="Rà soát quy hoạch “vùng”\nlink: https://evil.example")
    sweep(now=at(wd(-5), 8, 5))
    rows = rows_of(task, channel=ZALO)
    assert {n.recipient.username for n in rows} == {"syt_officer_vi", "syt_officer_en", "syt_head"}

    outcomes = deliver(rows, at(wd(-5), 8, 6), clock_at)

    assert set(outcomes.values()) == {S.SENT}
    assert gateway.refreshes == 1  # the first message: ZALO_REFRESH_TOKEN gave the token
    by_row = {int(m["tracking_id"]): m for m in gateway.sent}
    for n in rows:
        n.refresh_from_db()
        received = by_row[n.pk]
        assert received["template_id"] == f"{n.recipient.language}-early_reminder"
        assert received["phone"] == "84912345678"
        assert received["access_token"] == "access-1"
        data = received["template_data"]
        # The title stays one parameter: its line break adds none and changes no link.
        assert data["task_title"] == "Rà soát quy hoạch “vùng” link: https://evil.example"
        assert data["deadline"] == "17/06/2026"
        assert data["directive_number"] == "125/TB-UBND"
        assert data["department"] == "Sở Y tế"
        assert data["link"].endswith(f"/t/{task.pk}/")
        assert json.loads(n.body) == data  # the row shows what was sent
        assert n.provider_message_id.startswith("zns-msg-")
    assert len({n.provider_message_id for n in rows}) == 3


def test_the_default_policy_sends_nothing_on_zalo(world: World) -> None:
    assert not any(ZALO in s.channels for s in ReminderStep.objects.all())
    task = world.task()
    for offset in (-5, -1, 0, 1, 5, 10):
        sweep(now=at(wd(offset), 8, 5))
    assert rows_of(task) and not rows_of(task, channel=ZALO)


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (None, {INBOX, EMAIL, SMS}),
        ([INBOX, EMAIL, SMS, ZALO], {INBOX, EMAIL, SMS, ZALO}),
        ([INBOX, ZALO], {INBOX, ZALO}),  # Zalo instead of SMS
        ([INBOX, EMAIL], {INBOX, EMAIL}),
    ],
)
def test_a_user_who_chooses_zalo_gets_it_beside_sms(
    world: World, chosen: list[str] | None, expected: set[str]
) -> None:
    if chosen is not None:
        preferences_update(user=world.head, language="vi", channels={"reminder": chosen})
    task = world.task()
    sweep(now=at(wd(-1), 8, 5))  # the last reminder: the head, by inbox, e-mail and SMS
    assert channels_by_user(task) == {"syt_head": expected}


def test_escalations_keep_their_sms_and_add_zalo_for_who_chose_it(world: World) -> None:
    preferences_update(user=world.head, language="vi", channels={"escalation": [ZALO]})
    task = world.task()
    sweep(now=at(wd(1), 8, 5))  # escalation 1: the head and the follow-up officer
    assert channels_by_user(task) == {
        "syt_head": {INBOX, EMAIL, SMS, ZALO},
        "follow_up": {INBOX, EMAIL, SMS},
    }


def test_without_a_phone_no_zalo(world: World) -> None:
    world.head.phone = ""
    world.head.save()
    preferences_update(user=world.head, language="vi", channels={"reminder": [ZALO]})
    task = world.task()
    sweep(now=at(wd(-1), 8, 5))
    assert not rows_of(task)


def test_phones_are_sent_international_without_plus() -> None:
    assert zns_phone("0912 345 678") == "84912345678"
    assert zns_phone("+84 912.345.678") == "84912345678"
    assert zns_phone("84912345678") == "84912345678"
    assert zns_phone("") == ""


# --- the access token ---------------------------------------------------------------------


def zalo_rows_for_head(world: World, day_offset: int = -1, hour: int = 8) -> list[Notification]:
    preferences_update(user=world.head, language="vi", channels={"reminder": [ZALO]})
    task = world.task()
    sweep(now=at(wd(day_offset), hour, 5))
    return rows_of(task, channel=ZALO)


def test_an_expired_token_is_refreshed_once_and_the_message_sent_again(
    world: World, gateway: ZaloGateway, templates: None, clock_at: Callable
) -> None:
    first = zalo_rows_for_head(world)
    deliver(first, at(wd(-1), 8, 6), clock_at)
    assert gateway.refreshes == 1 and len(gateway.sent) == 1
    gateway.expire_tokens()  # Zalo refuses the stored token before its expiry
    second = zalo_rows_for_head(world)

    outcomes = deliver(second, at(wd(-1), 8, 7), clock_at)

    assert list(outcomes.values()) == [S.SENT]
    assert gateway.refreshes == 2 and gateway.refused_refreshes == 0
    assert gateway.sent[-1]["access_token"] == "access-2"
    assert gateway.sent[-1]["tracking_id"] == str(second[0].pk)
    row = Notification.objects.get(pk=second[0].pk)
    assert row.attempts == 1 and row.provider_message_id == "zns-msg-2"
    token = ZaloToken.objects.get()
    assert (token.access_token, token.refresh_token) == ("access-2", "refresh-2")


@pytest.mark.django_db(transaction=True)
def test_many_workers_refresh_the_expiring_token_once(settings: Any, clock_at: Callable) -> None:
    w = build_world()
    for code in STEP_CODES:
        ZaloTemplate.objects.create(code=code, language="vi", template_id=f"vi-{code}")
        ZaloTemplate.objects.create(code=code, language="en", template_id=f"en-{code}")
    rows = [row for _ in range(4) for row in zalo_rows_for_head(w)]
    now = at(wd(-1), 8, 6)
    clock_at(now)
    # A token within ZALO_REFRESH_MARGIN of its expiry: every worker wants a new one.
    ZaloToken.objects.create(
        access_token="old",
        refresh_token=FIRST_REFRESH_TOKEN,
        expires_at=now + timedelta(seconds=60),
    )

    with zalo_gateway(settings, refresh_delay=0.3) as gateway:
        outcomes = run_together([lambda pk=n.pk: delivery.notification_deliver(pk) for n in rows])

    assert outcomes == [S.SENT] * 4
    assert gateway.refreshes == 1 and gateway.refused_refreshes == 0
    assert {m["access_token"] for m in gateway.sent} == {"access-1"}
    assert sorted(int(m["tracking_id"]) for m in gateway.sent) == sorted(n.pk for n in rows)


# --- what Zalo's answers lead to --------------------------------------------------------------


@pytest.mark.parametrize("code", [-108, -118, -131, -115, -139])
def test_give_up_codes_fail_at_once(
    world: World, gateway: ZaloGateway, templates: None, clock_at: Callable, code: int
) -> None:
    gateway.phone_errors["84912345678"] = code
    rows = zalo_rows_for_head(world)

    outcomes = deliver(rows, at(wd(-1), 8, 6), clock_at)

    assert list(outcomes.values()) == [S.FAILED]
    row = Notification.objects.get(pk=rows[0].pk)
    assert row.attempts == 1 and str(code) in row.last_error
    assert row in failed_list(channel=ZALO)


@pytest.mark.parametrize("code", [-100, -144, -999])
def test_retry_codes_wait_for_the_next_attempt(
    world: World, gateway: ZaloGateway, templates: None, clock_at: Callable, code: int
) -> None:
    gateway.phone_errors["84912345678"] = code
    rows = zalo_rows_for_head(world)
    now = at(wd(-1), 8, 6)

    outcomes = deliver(rows, now, clock_at)

    assert list(outcomes.values()) == [S.PENDING]
    row = Notification.objects.get(pk=rows[0].pk)
    assert row.attempts == 1 and str(code) in row.last_error
    assert now + timedelta(seconds=29) <= row.send_after <= now + timedelta(seconds=91)


def test_a_message_without_its_template_fails_at_once_saying_so(
    world: World, gateway: ZaloGateway, clock_at: Callable
) -> None:
    rows = zalo_rows_for_head(world)

    outcomes = deliver(rows, at(wd(-1), 8, 6), clock_at)

    assert list(outcomes.values()) == [S.FAILED]
    row = Notification.objects.get(pk=rows[0].pk)
    assert "no Zalo template for last_reminder (vi)" in row.last_error
    assert gateway.sent == []


# --- quiet hours ------------------------------------------------------------------------------


def test_a_zalo_message_of_the_night_waits_until_seven(
    world: World, gateway: ZaloGateway, templates: None, clock_at: Callable
) -> None:
    rows = zalo_rows_for_head(world, hour=22)  # swept at 22:05
    morning = at(wd(-1) + timedelta(days=1), 7)
    assert rows[0].send_after == morning

    assert deliver(rows, at(wd(-1), 23), clock_at) == {rows[0].pk: "skipped"}
    assert deliver(rows, morning, clock_at) == {rows[0].pk: S.SENT}
    assert len(gateway.sent) == 1


def test_a_zalo_message_not_sent_by_nine_pm_is_not_claimed(
    world: World, gateway: ZaloGateway, templates: None, clock_at: Callable
) -> None:
    rows = zalo_rows_for_head(world, hour=20)  # due 20:05, not delivered before 21:00
    night = at(wd(-1), 22)
    assert rows[0].pk not in delivery.notifications_due(night)
    assert deliver(rows, night, clock_at) == {rows[0].pk: "skipped"}
    assert gateway.sent == []
