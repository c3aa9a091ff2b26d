"""The morning digest: one message a day to each department head, listing the department's
tasks due within 5 working days and overdue."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import Notification, NotificationKind
from tests.factories import DepartmentFactory, TaskFactory, UserFactory
from tracker.models import Role
from tracker.services import lifecycle
from tracker.services.departments import department_update
from tracker.services.digest import digest_key, digest_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_memory_broker")]

# Monday 2 March 2026, 07:30 in Hà Nội.
MORNING = timezone.make_aware(dt.datetime(2026, 3, 2, 7, 30))
TODAY = MORNING.date()


@pytest.fixture
def head():
    department = DepartmentFactory(code="SYT", name="Sở Y tế")
    user = UserFactory(
        role=Role.DEPARTMENT_HEAD, department=department, username="syt_head", language="en"
    )
    department_update(department=department, data={"head": user})
    return user


def task(head, title: str, deadline: dt.date):
    return TaskFactory(
        title=title,
        lead_department=head.department,
        assigned_on=dt.date(2026, 1, 5),
        deadline=deadline,
    )


def test_one_digest_per_head_with_overdue_and_due_soon_tasks(head):
    task(head, "Overdue task", dt.date(2026, 2, 27))
    task(head, "Due in five working days", dt.date(2026, 3, 9))
    task(head, "Due later", dt.date(2026, 3, 10))
    digest_record(now=MORNING)
    digests = Notification.objects.filter(kind=NotificationKind.DIGEST, recipient=head)
    assert sorted(digests.values_list("channel", flat=True)) == ["email", "inbox"]
    body = digests.get(channel="email").body
    assert "Overdue task" in body and "Due in five working days" in body
    assert "Due later" not in body
    assert all(d.key == digest_key(TODAY) and d.language == "en" for d in digests)


def test_the_digest_is_recorded_once_a_day(head):
    task(head, "Overdue task", dt.date(2026, 2, 27))
    digest_record(now=MORNING)
    digest_record(now=MORNING + dt.timedelta(minutes=5))
    assert Notification.objects.filter(kind=NotificationKind.DIGEST).count() == 2
    digest_record(now=MORNING + dt.timedelta(days=1))
    assert Notification.objects.filter(kind=NotificationKind.DIGEST).count() == 4


def test_no_digest_without_open_tasks_to_list(head):
    done = task(head, "Cancelled", dt.date(2026, 2, 27))
    lifecycle.task_cancel(task_id=done.pk, actor=None, reason="Không còn phù hợp")
    task(head, "Far away", dt.date(2026, 6, 30))
    digest_record(now=MORNING)
    assert not Notification.objects.filter(kind=NotificationKind.DIGEST).exists()
