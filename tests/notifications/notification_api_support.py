"""What the notification API tests share (test_inbox_api.py, test_failed_deliveries_api.py,
test_preferences_api.py, test_notifications_admin.py): the URLs and making a
notification."""

import datetime as dt

from django.utils import timezone

from notifications.models import Notification, NotificationKind, NotificationStatus
from tests.notification_rows import reminder_fields
from tracker.models import ReminderStep, Task, User

INBOX = "/api/v1/notifications/"


FAILED = "/api/v1/notifications/failed/"


START = timezone.make_aware(dt.datetime(2026, 4, 1, 8, 0))


def notify(
    recipient: User,
    task: Task,
    *,
    number: int,
    channel: str = "inbox",
    status: str = NotificationStatus.SENT,
    read: bool = False,
    minutes: int | None = None,
) -> Notification:
    """A reminder of the default policy's "due today" step; `number` is its occurrence (the
    unique key) and, unless `minutes` says otherwise, its age order: higher is newer."""
    step = ReminderStep.objects.get(code="due_today", policy__priority="")
    moment = START + dt.timedelta(minutes=number if minutes is None else minutes)
    notification = Notification.objects.create(
        kind=NotificationKind.REMINDER,
        **reminder_fields(task, step, occurrence=number),
        recipient=recipient,
        channel=channel,
        language="vi",
        subject=f"Nhắc việc {number}",
        body="Nhiệm vụ đến hạn hôm nay.",
        status=status,
        send_after=moment,
        sent_at=moment if status == NotificationStatus.SENT else None,
        attempts=5 if status == NotificationStatus.FAILED else 1,
        last_error="SMTP 550" if status == NotificationStatus.FAILED else "",
        read_at=moment if read else None,
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=moment)
    notification.refresh_from_db()
    return notification
