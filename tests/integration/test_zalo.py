"""Zalo with the real worker and beat: the head of the lead department chose Zalo beside
SMS; the system comes back at 22:00 on the day of the last reminder; the Zalo message waits
for 07:00 like the SMS, then the worker refreshes the Official Account's token once and a
loopback Zalo (tests/notifications/zalo_gateway.py) receives the reminder."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from notifications.models import NotificationStatus, ZaloTemplate
from notifications.services.preferences import preferences_update
from tests.integration.scenario import local
from tests.notification_rows import about_task
from tests.notifications.zalo_gateway import zalo_gateway
from tracker.selectors.calendar import add_working_days

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ASSIGNED = date(2026, 4, 6)  # a Monday


def test_zalo_waits_for_the_morning_then_reaches_zalo(system, province, settings):
    ZaloTemplate.objects.create(code="last_reminder", language="vi", template_id="301001")
    preferences_update(
        user=province.head, language="vi", channels={"reminder": ["inbox", "sms", "zalo"]}
    )
    task = province.task(
        assigned_on=ASSIGNED, deadline_working_days=10, title="Báo cáo công tác phòng chống lụt bão"
    )
    step_day = add_working_days(task.effective_deadline, -1)  # last reminder: with SMS
    next_morning = step_day + timedelta(days=1)
    rows = about_task(task)

    with zalo_gateway(settings) as gateway:
        system.env.update(
            ZALO_APP_ID=settings.ZALO_APP_ID,
            ZALO_SECRET_KEY=settings.ZALO_SECRET_KEY,
            ZALO_REFRESH_TOKEN=settings.ZALO_REFRESH_TOKEN,
            ZALO_ZNS_URL=settings.ZALO_ZNS_URL,
            ZALO_OAUTH_URL=settings.ZALO_OAUTH_URL,
            ZALO_TIMEOUT="2",
        )
        system.set_clock(local(step_day, time(22, 0)))
        system.start()
        system.settle(rows, count=3)  # inbox, SMS and Zalo: the head gave up e-mail
        zalo = rows.get(channel="zalo")
        assert zalo.status == NotificationStatus.PENDING
        assert timezone.localtime(zalo.send_after) == local(next_morning, time(7, 0))
        assert gateway.sent == [] and gateway.refreshes == 0

        system.set_clock(local(next_morning, time(7, 0)))
        system.settle(rows, count=3)

    zalo.refresh_from_db()
    assert zalo.status == NotificationStatus.SENT
    [received] = gateway.sent
    assert received["tracking_id"] == str(zalo.pk)
    assert received["template_id"] == "301001"
    assert received["phone"] == "84" + province.head.phone[1:]
    assert received["template_data"]["task_title"] == task.title
    assert zalo.provider_message_id == "zns-msg-1"
    assert gateway.refreshes == 1
