"""The morning digest with the real parts: Celery beat (not the test) enqueues
`send_morning_digest`, the worker records it and delivers it, and the SMTP server receives
one e-mail per department head whose department leads tasks due within 5 working days or
overdue, listing exactly those tasks, in the head's language; beat firing again the same day
sends nothing more (one digest per head, channel and day).

Beat runs the digest at 07:30 by a crontab on the wall clock; here, in this test only, its
PeriodicTask is moved to a 2-second interval (as the office could do in the admin), while
the worker reads "today" from the test clock."""

import re
from datetime import date, time

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from notifications.models import Notification, NotificationKind
from tests.factories import DepartmentFactory, TaskFactory, UserFactory
from tests.integration.scenario import Province, local
from tracker.models import Role, Task, User
from tracker.services import lifecycle
from tracker.services.departments import department_update
from tracker.services.digest import digest_key

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

DIGEST_TASK = "tracker.tasks.send_morning_digest"
DIGEST_EVERY = 2  # seconds
TODAY = date(2026, 4, 7)  # a Tuesday; 5 working days ahead: Tuesday 14 April
ASSIGNED = date(2026, 3, 2)
LISTED_TITLE = re.compile(r"^\d+\. (.+)$", re.MULTILINE)


def digest_fired_by_beat_every(seconds: int) -> None:
    """The digest's periodic task on a short interval instead of its 07:30 crontab."""
    every, _created = IntervalSchedule.objects.get_or_create(
        every=seconds, period=IntervalSchedule.SECONDS
    )
    periodic = PeriodicTask.objects.get(task=DIGEST_TASK)
    periodic.crontab = None
    periodic.interval = every
    periodic.enabled = True
    periodic.save()


def english_department_head() -> User:
    department = DepartmentFactory(code="SKHDT", name="Sở Kế hoạch và Đầu tư")
    head = UserFactory(
        username="skhdt_director",
        full_name="Lý Thanh Hà",
        email="skhdt_director@binhan.gov.vn",
        phone="0912000008",
        role=Role.DEPARTMENT_HEAD,
        department=department,
        language="en",
    )
    department_update(department=department, data={"head": head})
    return head


def led_by(head: User, title: str, deadline: date) -> Task:
    return TaskFactory(
        title=title, lead_department=head.department, assigned_on=ASSIGNED, deadline=deadline
    )


def digest_emails(system: object) -> dict[str, list[tuple[object, Notification]]]:
    """The digest e-mails the SMTP server received, by recipient username."""
    received = system.smtp.messages()
    rows = Notification.objects.select_related("recipient").in_bulk(
        [m.notification for m in received if m.notification is not None]
    )
    by_head: dict[str, list[tuple[object, Notification]]] = {}
    for message in received:
        row = rows[message.notification]
        if row.kind == NotificationKind.DIGEST:
            by_head.setdefault(row.recipient.username, []).append((message, row))
    return by_head


def test_beat_sends_one_digest_per_head_with_tasks_due(system, province: Province):
    vi_head, en_head = province.head, english_department_head()
    # Sở Y tế (Vietnamese head): two overdue, one due today, one on the 5th working day.
    syt_listed = [
        province.task(assigned_on=ASSIGNED, deadline=date(2026, 3, 31), title="Rà soát hồ sơ"),
        province.task(assigned_on=ASSIGNED, deadline=date(2026, 4, 6), title="Báo cáo dịch"),
        province.task(assigned_on=ASSIGNED, deadline=TODAY, title="Kiểm tra an toàn thực phẩm"),
        province.task(assigned_on=ASSIGNED, deadline=date(2026, 4, 14), title="Tiêm chủng"),
    ]
    province.task(assigned_on=ASSIGNED, deadline=date(2026, 4, 15), title="Sau 6 ngày làm việc")
    cancelled = province.task(assigned_on=ASSIGNED, deadline=date(2026, 4, 1), title="Đã hủy")
    lifecycle.task_cancel(task_id=cancelled.pk, actor=None, reason="Không còn phù hợp")
    # Sở Kế hoạch và Đầu tư (English head): one overdue, one due soon.
    skhdt_listed = [
        led_by(en_head, "Giải ngân vốn đầu tư công", date(2026, 4, 2)),
        led_by(en_head, "Thẩm định dự án cầu Đông", date(2026, 4, 9)),
    ]
    led_by(en_head, "Quy hoạch tỉnh giai đoạn sau", date(2026, 6, 30))
    # Sở Tài chính coordinates every Sở Y tế task and leads one far away: no digest; nor
    # the office's director, whose department leads nothing.
    led_by(province.coordinating_head, "Quyết toán ngân sách", date(2026, 5, 29))

    digest_fired_by_beat_every(DIGEST_EVERY)
    system.set_clock(local(TODAY, time(7, 30)))
    system.start()

    digests = Notification.objects.filter(kind=NotificationKind.DIGEST)
    system.wait_for_runs(DIGEST_TASK, count=1)
    assert f"Sending due task Bản tin buổi sáng (morning digest) ({DIGEST_TASK})" in (
        system.beat.log_since_start()
    )
    system.settle(digests, count=4)  # two heads × (inbox, e-mail)
    assert set(digests.values_list("recipient__username", "channel")) == {
        (vi_head.username, "inbox"),
        (vi_head.username, "email"),
        (en_head.username, "inbox"),
        (en_head.username, "email"),
    }
    emails = digest_emails(system)
    assert set(emails) == {vi_head.username, en_head.username}
    expectations = [
        (vi_head, syt_listed, "[Đôn đốc] Bản tin nhiệm vụ ngày 07/04/2026", "Kính gửi"),
        (en_head, skhdt_listed, "[Đôn đốc] Task digest for 07/04/2026", "OVERDUE TASKS"),
    ]
    for head, listed, subject, wording in expectations:
        [(message, row)] = emails[head.username]
        assert message.recipients == (head.email,)
        assert row.language == head.language and row.key == digest_key(TODAY)
        assert message.subject.startswith(subject), message.subject
        assert wording in message.body
        assert message.body == row.body
        assert LISTED_TITLE.findall(message.body) == [t.title for t in listed]

    # Beat fires the digest twice more the same day: nothing new is recorded nor sent.
    system.wait_for_runs(DIGEST_TASK, count=2)
    system.wait_for_dispatches()
    system.settle(digests, count=4)
    assert {head: len(sent) for head, sent in digest_emails(system).items()} == {
        vi_head.username: 1,
        en_head.username: 1,
    }
