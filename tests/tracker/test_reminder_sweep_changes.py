"""The reminder sweep when things change: steps missed while the system was down, closed,
paused, resumed and extended tasks, and recipients who opted out or have no address.

Time is driven by the `now=` argument of `sweep` and, for delivery, by the clock file
(settings.CLOCK_FILE, read by config.common.clock.now). No Celery worker runs: the on-commit
enqueue goes to kombu's in-memory transport. The texts are never compared with exact
wording (the templates are written elsewhere): only their language and shape. The world,
the helpers and the autouse environment are in tests/tracker/reminder_support.py."""

from datetime import date, timedelta

import pytest

from notifications.models import NotificationKind, NotificationPreference
from tests.tracker import reminder_support
from tests.tracker.reminder_support import (
    ASSIGNED,
    DEADLINE,
    EMAIL,
    INBOX,
    SMS,
    World,
    at,
    expected_steps,
    keys,
    rows_of,
    sweep_days,
    wd,
    working_days,
)
from tracker.models import ExtensionRequest, Task
from tracker.services import lifecycle
from tracker.services.reminders import sweep
from tracker.services.users import user_update

_broker = reminder_support._broker
message_templates = reminder_support.message_templates
default_policy = reminder_support.default_policy
messaging_settings = reminder_support.messaging_settings
world = reminder_support.world


# --- missed steps, closed and paused tasks, extensions -----------------------------------


def test_downtime_records_only_the_latest_due_step(world: World) -> None:
    task = world.task()
    sweep(now=at(wd(-6), 8, 5))
    assert rows_of(task) == []
    # Down from −6 to +2: −5, −1, 0 and +1 passed; only +1 (the latest) is recorded.
    sweep(now=at(wd(2), 8, 5))
    assert keys(rows_of(task)) == expected_steps(world)[wd(1)]
    for n in rows_of(task):
        assert n.send_after == at(wd(2), 8, 5)  # at once, not back-dated
    assert Task.objects.get(pk=task.pk).next_reminder_on == wd(5)
    assert sweep_days(working_days(wd(3), wd(5)), task) == {wd(5): expected_steps(world)[wd(5)]}


def test_a_step_missed_while_down_is_recorded_when_the_system_comes_back(world: World) -> None:
    task = world.task()
    sweep(now=at(wd(-6), 8, 5))
    sweep(now=at(wd(-4), 14, 0))  # down over −5; back at −4 in the afternoon
    assert keys(rows_of(task)) == expected_steps(world)[wd(-5)]


def test_a_step_recorded_late_says_the_day_it_is_sent_and_how_late_then(world: World) -> None:
    task = world.task()
    sweep(now=at(wd(-6), 8, 5))
    # Down from −5 to +3; back at 22:00 on +3: escalation 1 (+1) is the latest step due.
    sweep(now=at(wd(3), 22, 0))
    rows = {(n.recipient.username, n.channel): n for n in rows_of(task)}
    assert {n.code for n in rows.values()} == {"escalation_1"}
    sent_on, scheduled = wd(3).strftime("%d/%m/%Y"), wd(1).strftime("%d/%m/%Y")
    vi_email, vi_inbox = rows[("syt_head", EMAIL)].body, rows[("syt_head", INBOX)].body
    en_email = rows[("follow_up", EMAIL)].body
    assert f"tính đến ngày {sent_on}, đã quá hạn 3 ngày làm việc" in vi_email
    assert f"tính đến ngày {sent_on} đã quá hạn 3 ngày làm việc" in vi_inbox
    assert f"as of {sent_on}, overdue by 3 working day(s)" in en_email
    for body in (vi_email, vi_inbox, en_email):
        assert scheduled not in body  # the step's own day is not the "as of" date
    # The SMS waits for 07:00 (quiet hours); it states no date, only the task's link.
    sms = rows[("syt_head", SMS)]
    assert sms.send_after == at(wd(3) + timedelta(days=1), 7)
    assert sms.body.endswith(f"/t/{task.pk}/")


def test_a_step_recorded_on_its_day_says_that_day(world: World) -> None:
    task = world.task()
    sweep_days([wd(5)], task)  # escalation 2, on time
    [email] = rows_of(task, channel=EMAIL, recipient=world.leader)
    assert f"tính đến ngày {wd(5).strftime('%d/%m/%Y')}, đã quá hạn 5 ngày làm việc" in email.body
    assert "quá hạn 5 ngày làm việc" in email.subject


def test_completed_paused_and_cancelled_tasks_get_nothing(world: World) -> None:
    completed, paused, cancelled, awaiting = (world.task() for _ in range(4))
    lifecycle.completion_report_create(
        task_id=completed.pk, actor=world.officer_vi, completed_on=ASSIGNED, result="Đã xong"
    )
    lifecycle.completion_accept(task_id=completed.pk, actor=None)
    lifecycle.task_pause(task_id=paused.pk, actor=None, reason="Tạm dừng")
    lifecycle.task_cancel(task_id=cancelled.pk, actor=None, reason="Huỷ")
    lifecycle.completion_report_create(
        task_id=awaiting.pk, actor=world.officer_vi, completed_on=ASSIGNED, result="Đã xong"
    )
    for task in (completed, paused, cancelled):
        assert Task.objects.get(pk=task.pk).next_reminder_on is None
    days = working_days(ASSIGNED, wd(21))
    for day in days:
        sweep(now=at(day, 8, 5))
    for task in (completed, paused, cancelled):
        assert rows_of(task) == []
    # Awaiting acceptance is still open: the steps go on.
    assert {n.code for n in rows_of(awaiting)} == {
        "early_reminder",
        "last_reminder",
        "due_today",
        "escalation_1",
        "escalation_2",
        "escalation_3",
        "repeat",
    }


def test_a_closed_task_left_with_a_next_reminder_day_gets_nothing_and_loses_it(
    world: World,
) -> None:
    """The selection reads the partial index alone; a row changed behind the services' back
    (a completed task still carrying a day) is checked again when loaded."""
    completed, open_task = world.task(), world.task()
    lifecycle.completion_report_create(
        task_id=completed.pk, actor=world.officer_vi, completed_on=ASSIGNED, result="Đã xong"
    )
    lifecycle.completion_accept(task_id=completed.pk, actor=None)
    Task.objects.filter(pk=completed.pk).update(next_reminder_on=wd(-5))
    result = sweep(now=at(wd(-5), 8, 5))
    assert (result.tasks_seen, result.steps_recorded) == (2, 1)
    assert rows_of(completed) == []
    assert Task.objects.get(pk=completed.pk).next_reminder_on is None
    assert {n.code for n in rows_of(open_task)} == {"early_reminder"}


def test_a_task_closed_after_a_step_gets_nothing_more(world: World) -> None:
    task = world.task()
    sweep_days([wd(-5)], task)
    lifecycle.task_cancel(task_id=task.pk, actor=None, reason="Huỷ")
    count = len(rows_of(task))
    sweep_days(working_days(wd(-4), wd(11)), task)
    assert len(rows_of(task)) == count


def test_resume_brings_the_steps_back_without_replaying_the_missed_ones(world: World) -> None:
    task = world.task()
    assert sweep_days(working_days(ASSIGNED, wd(-3)), task) == {
        wd(-5): expected_steps(world)[wd(-5)]
    }
    lifecycle.task_pause(task_id=task.pk, actor=None, reason="Chờ ý kiến")
    assert sweep_days(working_days(wd(-2), wd(2)), task) == {}
    lifecycle.task_resume(task_id=task.pk, actor=None, reason="Tiếp tục")
    # −1 and 0 were missed while paused; +1 is the latest due: only it is recorded.
    assert sweep_days([wd(2)], task, hour=10) == {wd(2): expected_steps(world)[wd(1)]}
    assert sweep_days(working_days(wd(3), wd(6)), task) == {wd(5): expected_steps(world)[wd(5)]}


@pytest.mark.parametrize("new_deadline", [date(2026, 7, 1), date(2026, 6, 19)])
def test_an_approved_extension_starts_the_steps_afresh(world: World, new_deadline: date) -> None:
    task = world.task()
    expected_old = expected_steps(world)
    assert sweep_days(working_days(ASSIGNED, wd(-1)), task) == {
        wd(-5): expected_old[wd(-5)],
        wd(-1): expected_old[wd(-1)],
    }
    old_rows = {n.pk: (n.status, n.send_after, n.body) for n in rows_of(task, deadline=DEADLINE)}
    # Approved in the afternoon of −1, before the old deadline's "due today".
    request = ExtensionRequest.objects.create(
        task=task,
        department=world.lead,
        author=world.officer_vi,
        previous_deadline=DEADLINE,
        requested_deadline=new_deadline,
        reason="Chờ số liệu",
    )
    lifecycle.extension_approve(request_id=request.pk, actor=world.leader)
    task.refresh_from_db()
    assert task.effective_deadline == new_deadline
    new = sweep_days(working_days(wd(0), wd(11, new_deadline)), task)
    # Nothing more for the old deadline; its rows stay as they were.
    assert {
        n.pk: (n.status, n.send_after, n.body) for n in rows_of(task, deadline=DEADLINE)
    } == old_rows
    expected_new = expected_steps(world, new_deadline)
    if wd(-5, new_deadline) > DEADLINE - timedelta(days=1):
        assert new == {
            day: expected_new[day] for day in expected_new if day <= wd(11, new_deadline)
        }
    else:
        # The new deadline's −5 had already passed: it is recorded on the first sweep, then
        # the other steps on their days.
        assert new[wd(0)] == expected_new[wd(-5, new_deadline)]
        later = {d: k for d, k in new.items() if d != wd(0)}
        assert later == {
            day: expected_new[day] for day in expected_new if wd(0) < day <= wd(11, new_deadline)
        }


# --- recipients: preferences, reachability -----------------------------------------------


def test_an_opt_out_of_reminder_emails_does_not_stop_escalation_emails(world: World) -> None:
    NotificationPreference.objects.create(
        user=world.head, kind=NotificationKind.REMINDER, channels=[INBOX, SMS]
    )
    task = world.task()
    sweep_days([wd(-5), wd(-1), wd(1)], task)
    head = {(n.code, n.channel) for n in rows_of(task, recipient=world.head)}
    assert head == {
        ("early_reminder", INBOX),
        ("last_reminder", INBOX),
        ("last_reminder", SMS),
        ("escalation_1", INBOX),
        ("escalation_1", EMAIL),  # escalations ignore opt-outs
        ("escalation_1", SMS),
    }
    # Others are untouched by the head's preference.
    assert ("early_reminder", EMAIL) in {
        (n.code, n.channel) for n in rows_of(task, recipient=world.officer_vi)
    }


def test_no_sms_without_a_phone_and_no_email_without_an_address(world: World) -> None:
    user_update(actor=None, user=world.head, data={"phone": ""})
    user_update(actor=None, user=world.follow_up, data={"email": ""})
    task = world.task()
    sweep_days([wd(1)], task)
    got = {(n.recipient.username, n.channel) for n in rows_of(task)}
    assert got == {
        ("syt_head", INBOX),
        ("syt_head", EMAIL),
        ("follow_up", INBOX),
        ("follow_up", SMS),
    }
