"""The reminder sweep and the delivery of notifications, on PostgreSQL, in process.

Time is driven by the `now=` argument of `sweep` and, for delivery, by the clock file
(settings.CLOCK_FILE, read by config.common.clock.now). No Celery worker runs: the on-commit
enqueue goes to kombu's in-memory transport. The texts are never compared with exact
wording (the templates are written elsewhere): only their language and shape."""

import importlib
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.db import connection
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext

from notifications import tasks as notification_tasks
from notifications.models import (
    Channel,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationStatus,
)
from notifications.services import delivery
from notifications.services.message_settings import message_settings_update
from notifications.services.messages import strip_diacritics, template_base
from notifications.services.timing import allowed_moment
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tests.notification_rows import about_task, key_of, step_of
from tracker.models import (
    ExtensionRequest,
    ReminderPolicy,
    ReminderStep,
    Role,
    Task,
    TaskStatus,
    User,
)
from tracker.selectors.calendar import WorkingCalendar, add_working_days
from tracker.services import lifecycle
from tracker.services.departments import department_update
from tracker.services.reminder_messages import MESSAGE_TEXTS, reminder_messages_record
from tracker.services.reminders import sweep
from tracker.services.users import user_update

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ASSIGNED = date(2026, 6, 1)
DEADLINE = date(2026, 6, 17)  # a Wednesday with no holiday within ±5 weeks
INBOX, EMAIL, SMS = Channel.INBOX, Channel.EMAIL, Channel.SMS
S = NotificationStatus


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=TZ)


def wd(offset: int, deadline: date = DEADLINE) -> date:
    """The working day `offset` working days from the deadline."""
    return add_working_days(deadline, offset)


def working_days(first: date, last: date) -> list[date]:
    calendar = WorkingCalendar(first, last)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if calendar.is_working_day(d)]


Key = tuple[str, int, date, str, str]  # step code, occurrence, deadline, username, channel


def keys(rows: Iterable[Notification]) -> set[Key]:
    return {
        (n.code, key_of(n).occurrence, key_of(n).deadline, n.recipient.username, n.channel)
        for n in rows
    }


def rows_of(task: Task, deadline: date | None = None, **filters: Any) -> list[Notification]:
    """The task's rows (of the one deadline given: it is part of their key)."""
    rows = about_task(task).filter(**filters).select_related("recipient")
    return [n for n in rows if deadline is None or key_of(n).deadline == deadline]


def step_keys(
    code: str,
    people: Iterable[User],
    channels: Iterable[str],
    deadline: date = DEADLINE,
    occurrence: int = 0,
) -> set[Key]:
    return {(code, occurrence, deadline, u.username, c) for u in people for c in channels}


# --- the environment -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _broker(in_memory_broker: None) -> None:
    """Every test here records notifications, whose dispatch is enqueued on commit."""


MESSAGE_CODES = [
    code
    for code, *_ in importlib.import_module(
        "tracker.migrations.0005_default_reminder_policy"
    ).DEFAULT_STEPS
]


@pytest.fixture(autouse=True)
def message_templates(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The message templates are being written by others: any that is still missing gets a
    stand-in (one text per language), so these tests never depend on exact wording. An
    existing template is always the one used."""
    folder = tmp_path_factory.mktemp("stand_in_templates")
    texts = {
        "vi": "Nhắc việc “{{ step.name }}”: {{ task.title }} – hạn {{ deadline|date:'d/m/Y' }}",
        "en": "Reminder “{{ step.code }}”: {{ task.title }} – due {{ deadline|date:'Y-m-d' }}",
    }
    missing = False
    for code in MESSAGE_CODES:
        for channel in Channel.values:
            for language, text in texts.items():
                base = template_base(MESSAGE_TEXTS, code, channel, language)
                names = {f"{base}.txt": text}
                if channel == EMAIL:
                    names[f"{base}.subject.txt"] = text
                for name, content in names.items():
                    try:
                        get_template(name)
                    except TemplateDoesNotExist:
                        missing = True
                        path = Path(folder, name)
                        path.parent.mkdir(parents=True, exist_ok=True)
                        path.write_text(content)
    if missing:
        templates = [dict(engine) for engine in settings.TEMPLATES]
        templates[0]["DIRS"] = [*templates[0]["DIRS"], str(folder)]
        settings.TEMPLATES = templates


@pytest.fixture(autouse=True)
def default_policy(db: None) -> None:
    """The default policy of migration 0005 (a transactional test elsewhere may have
    flushed it; it is installed again, from the same migration)."""
    if not ReminderPolicy.objects.filter(priority="", active=True).exists():
        migration = importlib.import_module("tracker.migrations.0005_default_reminder_policy")
        migration.install(django_apps, None)


@pytest.fixture
def clock_at(settings: Any, tmp_path: Path) -> Callable[[datetime], None]:
    """Moves the clock that delivery reads (config.common.clock.now)."""
    path = tmp_path / "clock"
    settings.CLOCK_FILE = str(path)

    def move(moment: datetime) -> None:
        path.write_text(moment.isoformat())

    return move


@pytest.fixture(autouse=True)
def messaging_settings(settings: Any, db: None) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "console"
    message_settings_update(sms_with_diacritics=False)  # the office's choice, in the admin
    settings.OFFICE_DEPARTMENT_CODE = "VP"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60


@dataclass
class World:
    lead: Any
    head: User
    officer_vi: User
    officer_en: User
    coordinating: Any
    coordinating_head: User
    leader: User
    follow_up: User
    office: Any
    director: User
    directive: Any

    def task(self, deadline: date = DEADLINE, **kwargs: Any) -> Task:
        return TaskFactory(
            directive=self.directive,
            lead_department=self.lead,
            coordinating_departments=[self.coordinating],
            assigned_on=ASSIGNED,
            deadline=deadline,
            follow_up_officer=self.follow_up,
            supervising_leader=self.leader,
            **kwargs,
        )


def person(username: str, role: str, department: Any = None, **extra: Any) -> User:
    return UserFactory(
        username=username,
        role=role,
        department=department,
        email=f"{username}@example.vn",
        phone=extra.pop("phone", "0912345678"),
        language=extra.pop("language", "vi"),
        **extra,
    )


def build_world() -> World:
    lead = DepartmentFactory(code="SYT", name="Sở Y tế")
    coordinating = DepartmentFactory(code="STC", name="Sở Tài chính")
    office = DepartmentFactory(code="VP", name="Văn phòng UBND tỉnh")
    head = person("syt_head", Role.DEPARTMENT_HEAD, lead)
    officer_vi = person("syt_officer_vi", Role.DEPARTMENT_OFFICER, lead)
    officer_en = person("syt_officer_en", Role.DEPARTMENT_OFFICER, lead, language="en")
    person("syt_former", Role.DEPARTMENT_OFFICER, lead, active=False)  # never reached
    coordinating_head = person("stc_head", Role.DEPARTMENT_HEAD, coordinating)
    person("stc_officer", Role.DEPARTMENT_OFFICER, coordinating)
    leader = person("vice_chairman", Role.LEADER)
    director = person("office_director", Role.OFFICE, office)
    follow_up = person("follow_up", Role.OFFICE, office, language="en")
    department_update(department=lead, data={"head": head, "supervising_leader": leader})
    department_update(department=coordinating, data={"head": coordinating_head})
    department_update(department=office, data={"head": director})
    return World(
        lead=lead,
        head=head,
        officer_vi=officer_vi,
        officer_en=officer_en,
        coordinating=coordinating,
        coordinating_head=coordinating_head,
        leader=leader,
        follow_up=follow_up,
        office=office,
        director=director,
        directive=DirectiveFactory(number="125/TB-UBND"),
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def expected_steps(w: World, deadline: date = DEADLINE) -> dict[date, set[Key]]:
    """DOMAIN.md's default policy, day by day, for a task of `w`."""
    officers = [w.officer_vi, w.officer_en]
    return {
        wd(-5, deadline): step_keys(
            "early_reminder", [*officers, w.head], [INBOX, EMAIL], deadline
        ),
        wd(-1, deadline): step_keys("last_reminder", [w.head], [INBOX, EMAIL, SMS], deadline),
        wd(0, deadline): step_keys("due_today", officers, [INBOX, EMAIL], deadline),
        wd(1, deadline): step_keys(
            "escalation_1", [w.head, w.follow_up], [INBOX, EMAIL, SMS], deadline
        ),
        wd(5, deadline): step_keys(
            "escalation_2", [w.leader, w.follow_up], [INBOX, EMAIL, SMS], deadline
        ),
        wd(10, deadline): step_keys("escalation_3", [w.director], [INBOX, EMAIL], deadline),
        wd(15, deadline): step_keys("repeat", [w.head], [EMAIL], deadline, 0),
        wd(20, deadline): step_keys("repeat", [w.head], [EMAIL], deadline, 1),
    }


def sweep_days(days: Iterable[date], task: Task, hour: int = 8, minute: int = 5) -> dict:
    """Sweeps at hour:minute of each day; returns the keys of the task's new rows by day."""
    new: dict[date, set[Key]] = {}
    before = {n.pk for n in rows_of(task)}
    for day in days:
        sweep(now=at(day, hour, minute))
        rows = [n for n in rows_of(task) if n.pk not in before]
        before |= {n.pk for n in rows}
        if rows:
            new[day] = keys(rows)
    return new


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


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Runs the calls in threads of their own (own connections), started at once."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = calls[index]()
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive()
    assert not errors, errors
    return results


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
    user_update(user=world.head, data={"phone": ""})
    user_update(user=world.follow_up, data={"email": ""})
    task = world.task()
    sweep_days([wd(1)], task)
    got = {(n.recipient.username, n.channel) for n in rows_of(task)}
    assert got == {
        ("syt_head", INBOX),
        ("syt_head", EMAIL),
        ("follow_up", INBOX),
        ("follow_up", SMS),
    }


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


# --- delivery ----------------------------------------------------------------------------


def recorded(world: World, day_offset: int, hour: int = 8, minute: int = 5) -> dict:
    """A task swept at the given step day; its rows by (username, channel)."""
    task = world.task()
    sweep(now=at(wd(day_offset), hour, minute))
    return {(n.recipient.username, n.channel): n for n in rows_of(task)}


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
    queued: list[int] = []
    monkeypatch.setattr(notification_tasks.deliver_notification, "delay", queued.append)
    clock_at(at(wd(-1), 23))
    assert notification_tasks.dispatch_due_notifications() == 2
    assert sorted(queued) == sorted(n.pk for n in rows.values() if n.channel != SMS)
