"""Batches on a real worker: the same `deliver_notifications` messages published twice (a
redelivery after a lost worker, two dispatchers overlapping) and single-notification
messages of before the batches, for e-mails and SMS together: every notification reaches
its server once, on its first attempt."""

import ast
import re
from collections import Counter
from datetime import date, time

import pytest

from config.celery import app as celery_app
from notifications.models import Notification, NotificationKind, NotificationStatus
from notifications.services.delivery import BATCH_SIZE, batches
from tests.integration.scenario import local, office_officials
from tests.integration.support import wait_until
from tests.notification_rows import about_task, reminder_fields
from tracker.models import ReminderStep

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

DAY = date(2026, 5, 12)  # a Tuesday; 10:00, within the hours of SMS
PEOPLE = 2 * BATCH_SIZE + 10


def test_batches_published_twice_send_each_notification_once(system, province):
    now = local(DAY, time(10, 0))
    system.set_clock(now)
    task = province.task(assigned_on=DAY, deadline_working_days=30, title="Giải ngân vốn")
    step = ReminderStep.objects.get(policy__priority="", code="early_reminder")
    people = office_officials(province.office, PEOPLE)
    Notification.objects.bulk_create(
        Notification(
            kind=NotificationKind.REMINDER,
            **reminder_fields(task, step),
            recipient=person,
            channel=("email", "sms")[n % 2],
            language="vi",
            subject=f"[Đôn đốc] Nhắc việc số {n}",
            body=f"Kinh gui {person.full_name}: de nghi hoan thanh nhiem vu.",
            send_after=now,
        )
        for n, person in enumerate(people)
    )
    rows = about_task(task)
    pks = list(rows.order_by("pk").values_list("pk", flat=True))
    assert len(pks) == PEOPLE

    system.start(beat=False)  # no dispatcher: only the messages published here
    for _ in range(2):
        for batch in batches(pks):
            celery_app.send_task("notifications.tasks.deliver_notifications", args=[batch])
    for pk in pks[:10]:  # messages of one notification, queued before an upgrade
        celery_app.send_task("notifications.tasks.deliver_notification", args=[pk])
    system.settle(rows, count=PEOPLE, timeout=60)
    messages = 2 * len(batches(pks))
    wait_until(
        lambda: (
            system.runs("notifications.tasks.deliver_notifications") == messages
            and system.runs("notifications.tasks.deliver_notification") == 10
        ),
        timeout=30,
        what="every message handled",
    )

    emails, sms = system.smtp.counts(), system.sms.counts()
    assert set(emails) | set(sms) == set(pks)
    assert set(emails.values()) == set(sms.values()) == {1}
    assert len(emails) == len(sms) == PEOPLE // 2
    statuses = set(rows.values_list("status", "attempts"))
    assert statuses == {(NotificationStatus.SENT, 1)}
    # Every message's outcomes, as the worker logged them, add up: each row sent once.
    log = system.worker.log()
    batch_results = re.findall(r"deliver_notifications\[[^\]]+\] succeeded in \S+: (.*)", log)
    single_results = re.findall(r"deliver_notification\[[^\]]+\] succeeded in \S+: (.*)", log)
    outcomes = Counter()
    for result in batch_results:
        outcomes.update(ast.literal_eval(result))
    outcomes.update(ast.literal_eval(result) for result in single_results)
    assert outcomes == {"sent": PEOPLE, "skipped": PEOPLE + 10}
