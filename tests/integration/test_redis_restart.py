"""Redis (a private redis-server without persistence) restarted during a run: the worker and
beat reconnect by themselves; the notifications recorded before the restart, whose queued
deliveries died with Redis, are all delivered (the dispatcher hands pending rows to the
workers again: the database, not the queue, is the record), and the steps recorded after
the restart are delivered too."""

import logging
from datetime import date

import pytest
from django.utils import timezone
from kombu import Connection, Consumer, Producer, Queue
from kombu.common import ignore_errors

from notifications.models import Notification, NotificationKind, NotificationStatus
from tests.integration.scenario import expected, local, observed, show
from tests.integration.support import wait_until
from tests.notification_rows import reminder_fields
from tracker.models import ReminderStep, Role, User
from tracker.selectors.calendar import add_working_days

pytestmark = pytest.mark.slow

ASSIGNED = date(2026, 6, 1)  # a Monday
BEFORE = 200  # e-mails recorded just before Redis goes away


@pytest.mark.django_db(transaction=True)
def test_redis_restarted_during_a_run(system, province):
    task = province.task(
        assigned_on=ASSIGNED, deadline_working_days=10, title="Kiểm tra an toàn thực phẩm"
    )
    deadline = task.effective_deadline
    early, last = add_working_days(deadline, -5), add_working_days(deadline, -1)
    rows = Notification.objects.all()

    system.set_clock(local(early))
    system.start()
    system.settle(rows, count=6)  # the early reminder: two officers and the head, inbox + email

    # A batch recorded just before the broker dies: part of it is queued in Redis.
    step = ReminderStep.objects.get(policy__priority="", code="early_reminder")
    people = User.objects.bulk_create(
        User(
            username=f"ubnd_xa{n:02d}",
            email=f"ubnd_xa{n:02d}@binhan.gov.vn",
            role=Role.OFFICE,
            department=province.office,
            password="!",
        )
        for n in range(BEFORE)
    )
    before = Notification.objects.bulk_create(
        Notification(
            kind=NotificationKind.REMINDER,
            **reminder_fields(task, step, deadline=deadline),
            recipient=person,
            channel="email",
            language="vi",
            subject="[Đôn đốc] Nhắc việc",
            body="Đề nghị báo cáo tiến độ nhiệm vụ.",
            send_after=local(early),
        )
        for person in people
    )
    # Redis stops when the batch is under way: its queued deliveries die with it.
    batch = Notification.objects.filter(pk__in=[n.pk for n in before])
    wait_until(
        lambda: batch.filter(status=NotificationStatus.SENT).count() >= BEFORE // 10,
        timeout=20,
        interval=0.02,
        what="the batch under way",
    )
    system.redis.stop()
    assert batch.exclude(status=NotificationStatus.SENT).exists(), "the batch was over already"

    # While Redis is away, time moves on to the next step (the last reminder, with SMS).
    system.set_clock(local(last))
    # Both noticed: the worker lost its connection, beat failed to send a scheduled task.
    system.worker.wait_for_log("Connection to broker lost", timeout=20)
    system.beat.wait_for_log("Couldn't apply scheduled task", timeout=20)
    system.redis.start()

    system.settle(rows, count=6 + BEFORE + 3, timeout=45)
    assert system.worker.alive and system.beat.alive
    assert system.worker.starts == 1 and system.beat.starts == 1  # reconnected, not restarted
    assert system.worker.log().count("Connected to redis://") >= 2

    before_ids = {n.pk for n in before}
    assert before_ids <= set(system.smtp.counts()), "a notification recorded before was lost"
    assert set(system.smtp.counts().values()) == {1}
    assert set(system.sms.counts().values()) == {1}
    want = expected(province, deadline, [early, last])
    got = observed(system, [task])
    for key in [k for k in got if k[1].startswith("ubnd_xa")]:
        del got[key]
    assert got == want, f"missing:\n{show(want - got)}\nunexpected:\n{show(got - want)}"
    # The last reminder went out on its day: recorded after the restart.
    [sms] = system.sms.messages()
    assert timezone.localtime(sms.clock).date() == last


def test_a_channel_of_the_lost_connection_fails_as_a_connection_error(redis_server):
    """The worker's state after losing Redis (config/celery.py): kombu's collect() detached
    the transport while the channel still holds an unacknowledged message. Closing the
    connection and acking late then fail as connection errors, which the worker handles,
    not as AttributeError, which stopped it."""
    connection = Connection(redis_server.url(5))
    channel = connection.default_channel
    queue = Queue("lost-connection")
    Producer(channel).publish({"n": 1}, routing_key=queue.name, declare=[queue])
    received = []
    consumer = Consumer(channel, [queue], callbacks=[lambda _body, m: received.append(m)])
    consumer.consume()
    connection.drain_events(timeout=5)
    assert len(channel.qos._delivered) == 1  # acks_late: not acknowledged yet

    redis_server.stop()
    connection._do_close_transport()  # what Connection.collect() ends with
    ignore_errors(connection, connection.close)  # raised AttributeError
    errors = connection.connection_errors + connection.channel_errors
    received[0].ack_log_error(logging.getLogger(__name__), errors)  # raised AttributeError
