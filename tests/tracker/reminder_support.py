"""What the reminder tests share (test_reminder_sweep.py, test_reminder_sweep_changes.py,
test_reminder_delivery.py): dates and keys of notification rows, the world of departments
and people, the expected steps of the default policy, and the autouse environment
(broker, stand-in templates, default policy, message settings) each of them binds."""

import importlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from notifications.models import Channel, Notification, NotificationStatus
from notifications.services.message_settings import message_settings_update
from notifications.services.messages import template_base
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tests.notification_rows import about_task, key_of
from tracker.models import ReminderPolicy, Role, Task, User
from tracker.selectors.calendar import WorkingCalendar, add_working_days
from tracker.services.departments import department_update
from tracker.services.reminder_messages import MESSAGE_TEXTS
from tracker.services.reminders import sweep

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


# --- delivery ----------------------------------------------------------------------------


def recorded(world: World, day_offset: int, hour: int = 8, minute: int = 5) -> dict:
    """A task swept at the given step day; its rows by (username, channel)."""
    task = world.task()
    sweep(now=at(wd(day_offset), hour, minute))
    return {(n.recipient.username, n.channel): n for n in rows_of(task)}
