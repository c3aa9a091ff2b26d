"""SMS quiet hours (21:00–07:00): the system comes back at 22:00 on the day of a step with
an SMS; e-mail and inbox go out at once, the SMS waits for 07:00 the next morning."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from notifications.models import NotificationStatus
from tests.integration.scenario import local
from tests.notification_rows import about_task
from tracker.selectors.calendar import add_working_days

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ASSIGNED = date(2026, 4, 6)  # a Monday


def test_quiet_hours_sms_deferred_to_seven(system, province):
    task = province.task(
        assigned_on=ASSIGNED, deadline_working_days=10, title="Báo cáo công tác phòng chống lụt bão"
    )
    step_day = add_working_days(task.effective_deadline, -1)  # last reminder: with SMS
    next_morning = step_day + timedelta(days=1)
    rows = about_task(task)

    # Down since 08:00 (nothing ran on the step's morning); back at 22:00.
    system.set_clock(local(step_day, time(22, 0)))
    system.start()
    system.settle(rows, count=3)
    by_channel = {row.channel: row for row in rows.select_related("recipient")}
    assert set(by_channel) == {"inbox", "email", "sms"}
    assert {row.code for row in by_channel.values()} == {"last_reminder"}  # not −5
    assert {row.recipient for row in by_channel.values()} == {province.head}
    sms = by_channel["sms"]
    assert sms.status == NotificationStatus.PENDING
    assert timezone.localtime(sms.send_after) == local(next_morning, time(7, 0))
    assert len(system.smtp.messages()) == 1
    assert system.smtp.messages()[0].clock == local(step_day, time(22, 0))

    system.set_clock(local(next_morning, time(6, 59)))
    system.wait_for_dispatches()  # two dispatches ran at 06:59: the SMS is not due
    sms.refresh_from_db()
    assert sms.status == NotificationStatus.PENDING
    assert system.sms.messages() == []

    system.set_clock(local(next_morning, time(7, 0)))
    system.settle(rows, count=3)
    [received] = system.sms.messages()
    assert received.notification == sms.pk
    assert received.phone == province.head.phone
    assert received.clock == local(next_morning, time(7, 0))
    sms.refresh_from_db()
    assert sms.status == NotificationStatus.SENT
