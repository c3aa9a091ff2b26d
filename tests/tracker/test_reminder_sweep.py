"""The reminder sweep, on PostgreSQL, in process: the default policy of DOMAIN.md walked day
by day, the texts in each recipient's language, nothing recorded twice (even by sweeps
running at once), and the cost of a sweep in queries.

Time is driven by the `now=` argument of `sweep` and, for delivery, by the clock file
(settings.CLOCK_FILE, read by config.common.clock.now). No Celery worker runs: the on-commit
enqueue goes to kombu's in-memory transport. The texts are never compared with exact
wording (the templates are written elsewhere): only their language and shape. The world,
the helpers and the autouse environment are in tests/tracker/reminder_support.py."""

from collections import Counter
from datetime import date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from notifications.services.messages import strip_diacritics
from tests.notification_rows import key_of, step_of
from tests.tracker import reminder_support
from tests.tracker.reminder_support import (
    ASSIGNED,
    DEADLINE,
    EMAIL,
    INBOX,
    SMS,
    S,
    World,
    at,
    build_world,
    expected_steps,
    keys,
    rows_of,
    run_together,
    sweep_days,
    wd,
    working_days,
)
from tracker.models import ReminderStep, Task, TaskStatus
from tracker.services.reminder_messages import reminder_messages_record
from tracker.services.reminders import sweep

_broker = reminder_support._broker
message_templates = reminder_support.message_templates
default_policy = reminder_support.default_policy
messaging_settings = reminder_support.messaging_settings
world = reminder_support.world


# --- the default policy, day by day ------------------------------------------------------


@pytest.mark.django_db
def test_the_default_policy_is_installed_as_domain_md_says() -> None:
    steps = {
        s.code: (
            s.kind,
            s.offset_working_days,
            s.repeat_every_working_days,
            s.audiences,
            s.channels,
        )
        for s in ReminderStep.objects.filter(policy__priority="", policy__active=True)
    }
    assert steps == {
        "early_reminder": (
            "reminder",
            -5,
            None,
            ["lead_officers", "lead_head"],
            ["inbox", "email"],
        ),
        "last_reminder": ("reminder", -1, None, ["lead_head"], ["inbox", "email", "sms"]),
        "due_today": ("reminder", 0, None, ["lead_officers"], ["inbox", "email"]),
        "escalation_1": (
            "escalation",
            1,
            None,
            ["lead_head", "follow_up_officer"],
            ["inbox", "email", "sms"],
        ),
        "escalation_2": (
            "escalation",
            5,
            None,
            ["supervising_leader", "follow_up_officer"],
            ["inbox", "email", "sms"],
        ),
        "escalation_3": ("escalation", 10, None, ["office_director"], ["inbox", "email"]),
        "repeat": ("escalation", 15, 5, ["lead_head"], ["email"]),
    }


def test_walk_from_assignment_to_twenty_working_days_late(world: World) -> None:
    task = world.task()
    assert task.next_reminder_on == wd(-5)
    expected = expected_steps(world)
    seen: set[int] = set()
    for day in working_days(ASSIGNED, wd(24)):
        # Before 08:00 nothing of the day is due.
        sweep(now=at(day, 7, 55))
        assert {n.pk for n in rows_of(task)} == seen, f"recorded before 08:00 on {day}"
        sweep(now=at(day, 8, 5))
        new = [n for n in rows_of(task) if n.pk not in seen]
        seen |= {n.pk for n in new}
        assert keys(new) == expected.get(day, set()), f"on {day}"
        for n in new:
            assert n.status == S.PENDING
            assert n.send_after == at(day, 8, 5)  # 08:00 has come: at once
            assert n.kind == step_of(n).kind
    assert Task.objects.get(pk=task.pk).next_reminder_on == wd(25)
    # Nobody outside the policy's audiences heard of it.
    reached = {n.recipient.username for n in rows_of(task)}
    assert "stc_head" not in reached and "stc_officer" not in reached
    assert "syt_former" not in reached


def test_texts_are_in_each_recipients_language(world: World) -> None:
    task = world.task()
    sweep_days([wd(-5), wd(0), wd(1)], task)
    by_key = {(n.code, n.channel, n.recipient.username): n for n in rows_of(task)}
    pairs = [  # (step, a vi recipient, an en recipient)
        ("early_reminder", "syt_officer_vi", "syt_officer_en"),
        ("due_today", "syt_officer_vi", "syt_officer_en"),
        ("escalation_1", "syt_head", "follow_up"),
    ]
    for code, vi_user, en_user in pairs:
        for channel in [INBOX, EMAIL, SMS] if code == "escalation_1" else [INBOX, EMAIL]:
            vi, en = by_key[(code, channel, vi_user)], by_key[(code, channel, en_user)]
            assert (vi.language, en.language) == ("vi", "en")
            assert vi.body.strip() and en.body.strip()
            assert vi.body != en.body, (code, channel)
            if channel == EMAIL:
                assert vi.subject.strip() and en.subject.strip()
                assert vi.subject != en.subject, (code, channel)
            else:
                assert vi.subject == en.subject == ""
    for n in rows_of(task, channel=SMS):
        assert strip_diacritics(n.body) == n.body  # no diacritics by default
        assert "\n" not in n.body


# --- idempotence -------------------------------------------------------------------------


def test_sweeping_twice_records_nothing_twice(world: World) -> None:
    task = world.task()
    first = sweep(now=at(wd(-5), 8, 5))
    count = Notification.objects.count()
    assert first.steps_recorded == 1 and count == 6
    again = sweep(now=at(wd(-5), 8, 5))
    assert again.tasks_seen == 0 and Notification.objects.count() == count
    # Even with the task's state lost (next day put back), the unique keys hold.
    Task.objects.filter(pk=task.pk).update(next_reminder_on=ASSIGNED)
    lost = sweep(now=at(wd(-5), 8, 5))
    assert lost.steps_recorded == 1 and lost.notifications_offered == 6
    assert Notification.objects.count() == count


def astuple_key(n: Notification) -> tuple:
    """The task, deadline and repetition of a row (its step is its code)."""
    key = key_of(n)
    return (key.task_id, key.occurrence, key.deadline)


def duplicate_keys() -> list[tuple]:
    rows = Notification.objects.select_related("recipient")
    counts = Counter((*astuple_key(n), n.code, n.recipient.username, n.channel) for n in rows)
    return [key for key, count in counts.items() if count > 1]


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_nothing_twice() -> None:
    w = build_world()
    tasks = [w.task() for _ in range(30)]
    for day in (wd(-5), wd(-1), wd(1)):
        results = run_together([lambda d=day: sweep(now=at(d, 8, 5), batch_size=4)] * 2)
        assert sum(r.tasks_seen for r in results) == len(tasks)  # the work was shared
    per_task = sum(len(expected_steps(w)[d]) for d in (wd(-5), wd(-1), wd(1)))
    assert Notification.objects.count() == per_task * len(tasks)
    assert duplicate_keys() == []


@pytest.mark.django_db(transaction=True)
def test_two_recordings_of_the_same_steps_at_once_insert_each_row_once() -> None:
    """Below the sweep's row locks, the unique key alone keeps concurrent inserts apart."""
    w = build_world()
    tasks = [w.task() for _ in range(10)]
    early = ReminderStep.objects.get(policy__priority="", code="early_reminder")
    due = [(t, early, 0, wd(-5)) for t in tasks]
    offered = run_together([lambda: reminder_messages_record(due, now=at(wd(-5), 8, 5))] * 3)
    assert offered == [60, 60, 60]
    assert Notification.objects.count() == 60
    assert duplicate_keys() == []


# --- cost --------------------------------------------------------------------------------


def bulk_tasks(w: World, count: int, **fields: Any) -> list[Task]:
    defaults = {
        "directive": w.directive,
        "lead_department": w.lead,
        "assigned_on": ASSIGNED,
        "status": TaskStatus.ASSIGNED,
    }
    return Task.objects.bulk_create(
        Task(title=f"Nhiệm vụ hàng loạt {n}", **(defaults | fields)) for n in range(count)
    )


def due_tasks(w: World, count: int) -> list[Task]:
    """Tasks whose early reminder is due at −5."""
    return bulk_tasks(
        w, count, original_deadline=DEADLINE, effective_deadline=DEADLINE, next_reminder_on=wd(-5)
    )


def queries_of_a_sweep(now: datetime) -> int:
    with CaptureQueriesContext(connection) as queries:
        sweep(now=now)
    return len(queries)


def test_the_sweep_costs_the_same_whatever_the_number_of_tasks_not_due(
    world: World, django_assert_max_num_queries: Any
) -> None:
    due = due_tasks(world, 10)
    now = at(wd(-5), 8, 5)
    alone = queries_of_a_sweep(now)
    assert Notification.objects.count() == 10 * 6
    # The same ten due again, now among 500 tasks that are not due.
    Notification.objects.all().delete()
    Task.objects.filter(pk__in=[t.pk for t in due]).update(next_reminder_on=wd(-5))
    far = date(2027, 12, 31)
    bulk_tasks(
        world, 200, original_deadline=far, effective_deadline=far, next_reminder_on=wd(-5, far)
    )
    bulk_tasks(world, 200)  # no deadline: never reminded
    bulk_tasks(
        world,
        100,
        original_deadline=DEADLINE,
        effective_deadline=DEADLINE,
        status=TaskStatus.COMPLETED,
        completed_on=ASSIGNED,
    )
    with django_assert_max_num_queries(alone):
        result = sweep(now=now)
    assert result.tasks_seen == 10 and Notification.objects.count() == 10 * 6


def test_the_sweep_costs_the_same_for_ten_or_forty_due_tasks(world: World) -> None:
    due_tasks(world, 10)
    ten = queries_of_a_sweep(at(wd(-5), 8, 5))
    Notification.objects.all().delete()
    Task.objects.update(next_reminder_on=wd(-5))
    due_tasks(world, 30)
    forty = queries_of_a_sweep(at(wd(-5), 8, 5))
    assert Notification.objects.count() == 40 * 6
    assert forty == ten


def test_recording_enqueues_the_dispatch_once_committed(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from celery import current_app

    sent: list[str] = []
    monkeypatch.setattr(current_app, "send_task", lambda name, *a, **k: sent.append(name))
    world.task()
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=at(wd(-5), 8, 5))
    assert sent == ["notifications.tasks.dispatch_due_notifications"]


def test_a_sweep_analyzes_the_tables_it_wrote_once_it_commits(
    world: World, django_capture_on_commit_callbacks
) -> None:
    world.task()
    with connection.cursor() as cursor:  # the statistics of an empty table, whatever ran before
        cursor.execute("ANALYZE notifications_notification")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        sweep(now=at(wd(-5), 8, 5))
    recorded = Notification.objects.count()
    assert recorded and planned_rows("notifications_notification") == 0
    analyze = [callback for callback in pending if callback.__name__ == "analyze"]
    assert len(analyze) == 1
    analyze[0]()
    assert planned_rows("notifications_notification") == recorded
    assert planned_rows("tracker_task") == Task.objects.count()


def planned_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return float(cursor.fetchone()[0])
