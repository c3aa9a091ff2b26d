"""The province the integration tests run in, the default policy of DOMAIN.md as the
oracle ("Reminders and escalation"), and how to read back what the servers received."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from notifications.models import Notification, NotificationStatus
from notifications.selectors import message_settings_get
from notifications.services.messages import render, strip_diacritics
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tests.notification_rows import about_tasks, key_of, step_of
from tracker.models import Department, DepartmentKind, Role, Task, User
from tracker.selectors.calendar import WorkingCalendar, add_working_days, working_days_between
from tracker.services.departments import department_update
from tracker.services.reminder_messages import MESSAGE_TEXTS, task_context

MORNING = time(8, 5)  # the walk visits each working day at 08:05 local time


def local(day: date, at: time = MORNING) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def working_days(first: date, last: date) -> list[date]:
    calendar = WorkingCalendar(first, last)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if calendar.is_working_day(d)]


# --- the province ------------------------------------------------------------------------


@dataclass
class Province:
    leader: User  # supervising vice-chairman
    office: Department  # "VP", the chairman's office
    director: User  # head of the office (chánh văn phòng)
    follow_up: User  # the office's follow-up officer
    lead: Department
    head: User
    officer_vi: User
    officer_en: User  # chose English
    coordinating: Department
    coordinating_head: User

    def task(
        self,
        *,
        assigned_on: date,
        title: str,
        deadline: date | None = None,
        deadline_working_days: int | None = None,
    ) -> Task:
        directive = DirectiveFactory(issued_on=assigned_on)
        return TaskFactory(
            directive=directive,
            title=title,
            lead_department=self.lead,
            coordinating_departments=[self.coordinating],
            assigned_on=assigned_on,
            deadline=deadline,
            deadline_working_days=deadline_working_days,
            follow_up_officer=self.follow_up,
            supervising_leader=self.leader,
        )

    def audience(self, name: str) -> list[User]:
        return {
            "lead_officers": [self.officer_vi, self.officer_en],
            "lead_head": [self.head],
            "follow_up_officer": [self.follow_up],
            "supervising_leader": [self.leader],
            "office_director": [self.director],
        }[name]


def build_province() -> Province:
    def person(username: str, full_name: str, phone: str, **extra: object) -> User:
        return UserFactory(
            username=username,
            full_name=full_name,
            email=f"{username}@binhan.gov.vn",
            phone=phone,
            **extra,
        )

    leader = person("pct_hoang", "Hoàng Văn Phúc", "0912000001", role=Role.LEADER)
    office = DepartmentFactory(code="VP", name="Văn phòng UBND tỉnh", kind=DepartmentKind.KHAC)
    director = person(
        "cvp_tran", "Trần Thị Hương", "0912000002", role=Role.OFFICE, department=office
    )
    follow_up = person("cv_le", "Lê Minh Tuấn", "0912000003", role=Role.OFFICE, department=office)
    department_update(department=office, data={"head": director})

    lead = DepartmentFactory(code="SYT", name="Sở Y tế", supervising_leader=leader)
    head = person(
        "syt_giamdoc", "Phạm Quốc Bảo", "0912000004", role=Role.DEPARTMENT_HEAD, department=lead
    )
    officer_vi = person(
        "syt_cv1", "Đỗ Thu Trang", "0912000005", role=Role.DEPARTMENT_OFFICER, department=lead
    )
    officer_en = person(
        "syt_cv2",
        "Vũ Hải Nam",
        "0912000006",
        role=Role.DEPARTMENT_OFFICER,
        department=lead,
        language="en",
    )
    department_update(department=lead, data={"head": head})

    coordinating = DepartmentFactory(code="STC", name="Sở Tài chính", supervising_leader=leader)
    coordinating_head = person(
        "stc_giamdoc",
        "Ngô Thanh Sơn",
        "0912000007",
        role=Role.DEPARTMENT_HEAD,
        department=coordinating,
    )
    department_update(department=coordinating, data={"head": coordinating_head})
    return Province(
        leader=leader,
        office=office,
        director=director,
        follow_up=follow_up,
        lead=lead,
        head=head,
        officer_vi=officer_vi,
        officer_en=officer_en,
        coordinating=coordinating,
        coordinating_head=coordinating_head,
    )


# --- the oracle: DOMAIN.md's default policy --------------------------------------------------

# code, working days from the deadline, repeat every, audiences, channels
DOMAIN_POLICY = [
    ("early_reminder", -5, None, ("lead_officers", "lead_head"), ("inbox", "email")),
    ("last_reminder", -1, None, ("lead_head",), ("inbox", "email", "sms")),
    ("due_today", 0, None, ("lead_officers",), ("inbox", "email")),
    ("escalation_1", 1, None, ("lead_head", "follow_up_officer"), ("inbox", "email", "sms")),
    (
        "escalation_2",
        5,
        None,
        ("supervising_leader", "follow_up_officer"),
        ("inbox", "email", "sms"),
    ),
    ("escalation_3", 10, None, ("office_director",), ("inbox", "email")),
    ("repeat", 15, 5, ("lead_head",), ("email",)),
]

Key = tuple[str, str, str, date]  # step code, recipient username, channel, local day


def step_days(deadline: date, until: date) -> list[tuple[str, date]]:
    """(step code, day) of every step moment of the deadline up to `until`."""
    moments = []
    for code, offset, repeat, _audiences, _channels in DOMAIN_POLICY:
        day = add_working_days(deadline, offset)
        while day <= until:
            moments.append((code, day))
            if not repeat:
                break
            day = add_working_days(day, repeat)
    return moments


def expected(
    province: Province, deadline: date, days: Iterable[date], channel: str | None = None
) -> Counter[Key]:
    """The messages the default policy sends for a task with this deadline when the clock
    visits `days`."""
    visited = set(days)
    policy = {code: (audiences, channels) for code, _o, _r, audiences, channels in DOMAIN_POLICY}
    result: Counter[Key] = Counter()
    for code, day in step_days(deadline, max(visited)):
        if day not in visited:
            continue
        audiences, channels = policy[code]
        for audience in audiences:
            for user in province.audience(audience):
                for each in channels:
                    if channel in (None, each):
                        result[(code, user.username, each, day)] += 1
    return result


# --- what the servers received ---------------------------------------------------------------


def _rows(ids: Iterable[int | None]) -> dict[int, Notification]:
    return Notification.objects.select_related("recipient").in_bulk(
        [i for i in ids if i is not None]
    )


def observed(system: object, tasks: Iterable[Task] | None = None) -> Counter[Key]:
    """(step, recipient, channel, day) of every e-mail at the SMTP server, every SMS at the
    gateway and every sent inbox row; the day is the test clock's when the server got it."""
    task_ids = None if tasks is None else {t.pk for t in tasks}
    result: Counter[Key] = Counter()
    emails = system.smtp.messages()
    texts = system.sms.messages()
    rows = _rows([m.notification for m in emails] + [m.notification for m in texts])
    for channel, received in (("email", emails), ("sms", texts)):
        for message in received:
            row = rows.get(message.notification)
            assert row is not None, f"{channel} for an unknown notification: {message}"
            if task_ids is not None and row.about_id not in task_ids:
                continue
            assert row.channel == channel
            address = message.recipients if channel == "email" else (message.phone,)
            expected_address = row.recipient.email if channel == "email" else row.recipient.phone
            assert address == (expected_address,), (message, row.recipient)
            day = timezone.localtime(message.clock).date()
            result[(row.code, row.recipient.username, channel, day)] += 1
    inbox = Notification.objects.filter(channel="inbox", status=NotificationStatus.SENT)
    if task_ids is not None:
        inbox = inbox & about_tasks(task_ids)
    for row in inbox.select_related("recipient"):
        day = timezone.localtime(row.sent_at).date()
        result[(row.code, row.recipient.username, "inbox", day)] += 1
    return result


def per_day(counter: Counter[Key]) -> Counter[date]:
    """How many messages fall on each day."""
    days: Counter[date] = Counter()
    for (*_key, day), n in counter.items():
        days[day] += n
    return days


def show(counter: Counter[Key]) -> str:
    return "\n".join(
        f"  {day} {code:15} {user:12} {channel:6} x{n}"
        for (code, user, channel, day), n in sorted(counter.items(), key=lambda kv: kv[0][3])
    )


# --- language --------------------------------------------------------------------------------

ENGLISH = re.compile(r"\b(task|deadline|overdue|due)\b", re.IGNORECASE)
VIETNAMESE = re.compile(r"\bnhiem vu\b|\bhan\b", re.IGNORECASE)


def assert_language(row: Notification, subject: str, body: str) -> None:
    """The text is the recipient's language: it is the template of that language rendered
    for this step, not the other language's, and reads as that language."""
    user = row.recipient
    assert row.language == user.language
    key, step = key_of(row), step_of(row)
    task = Task.objects.select_related("directive", "lead_department").get(pk=key.task_id)
    task.effective_deadline = key.deadline  # the deadline the row was recorded for
    # The walk records each step on its own day, so that day is the "as of" date.
    day = occurrence_day(row)
    context = task_context(task, step, day, working_days_between(key.deadline, day))
    options = {
        "sms_with_diacritics": message_settings_get().sms_with_diacritics,
        "texts": MESSAGE_TEXTS,
    }
    mine = render(row.code, row.channel, user.language, context, **options)
    other_language = "vi" if user.language == "en" else "en"
    other = render(row.code, row.channel, other_language, context, **options)
    assert (subject, body) == mine, (
        f"{row} is not its {user.language} template: {(subject, body)!r} != {mine!r}"
    )
    assert (subject, body) != other
    plain = strip_diacritics(f"{subject} {body}")
    if user.language == "en":
        assert ENGLISH.search(plain), body
        assert not VIETNAMESE.search(plain), body
    else:
        assert VIETNAMESE.search(plain), body
        assert not ENGLISH.search(plain), body


def check_languages(system: object, tasks: Iterable[Task]) -> int:
    """Checks every received e-mail and SMS, and every inbox row, of the tasks. Returns how
    many texts were checked."""
    task_ids = {t.pk for t in tasks}
    checked = 0
    emails = system.smtp.messages()
    texts = system.sms.messages()
    rows = _rows([m.notification for m in emails] + [m.notification for m in texts])
    pairs = [(rows[m.notification], m.subject, m.body) for m in emails]
    pairs += [(rows[m.notification], "", m.text) for m in texts]
    pairs += [(row, row.subject, row.body) for row in about_tasks(task_ids).filter(channel="inbox")]
    for row, subject, body in pairs:
        if row.about_id not in task_ids:
            continue
        row = Notification.objects.select_related("recipient").get(pk=row.pk)
        assert body == row.body, f"#{row.pk}: {body!r} != {row.body!r}"
        assert_language(row, subject, body)
        checked += 1
    return checked


def occurrence_day(row: Notification) -> date:
    key, step = key_of(row), step_of(row)
    day = add_working_days(key.deadline, step.offset_working_days)
    for _ in range(key.occurrence):
        day = add_working_days(day, step.repeat_every_working_days)
    return day


def office_officials(office: Department, count: int) -> list[User]:
    """`count` members of the office, each with an e-mail address and a phone, in one
    statement (the delivery tests' recipients)."""
    return User.objects.bulk_create(
        User(
            username=f"cbcc{n:03d}",
            full_name=f"Cán bộ {n:03d}",
            email=f"cbcc{n:03d}@binhan.gov.vn",
            phone=f"0912{n:06d}",
            role=Role.OFFICE,
            department=office,
            password="!",
        )
        for n in range(count)
    )
