"""The office's message settings (MessageSettings, one row, in the admin): whether SMS keep
their Vietnamese diacritics. A change made in the admin applies to the next sweep, with no
restart, and the setting is read once per sweep batch, not once per message."""

import importlib
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.models import MESSAGE_SETTINGS_PK, Channel, MessageSettings, Notification
from notifications.selectors import message_settings_get
from notifications.services.message_settings import message_settings_update
from notifications.services.messages import strip_diacritics
from tests.factories import DepartmentFactory, TaskFactory, UserFactory
from tests.notification_rows import about_task, about_tasks
from tracker.models import ReminderPolicy, Role, Task, User
from tracker.selectors.calendar import add_working_days
from tracker.services.departments import department_update
from tracker.services.reminders import sweep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_memory_broker")]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = date(2026, 6, 17)  # a Wednesday with no holiday within ±5 weeks
TITLE = "Sở Y tế rà soát dịch sốt xuất huyết"
CHANGE_URL = f"/admin/notifications/messagesettings/{MESSAGE_SETTINGS_PK}/change/"
LIST_URL = "/admin/notifications/messagesettings/"
ADD_URL = "/admin/notifications/messagesettings/add/"

migration = importlib.import_module("notifications.migrations.0003_message_settings")
policy_migration = importlib.import_module("tracker.migrations.0005_default_reminder_policy")


def at_eight(offset: int) -> datetime:
    """08:05 local on the working day `offset` working days from the deadline."""
    return datetime.combine(add_working_days(DEADLINE, offset), time(8, 5), tzinfo=TZ)


@pytest.fixture(autouse=True)
def installed(db: None, settings: Any) -> None:
    """The migrations' rows (a transactional test elsewhere may have flushed them), with
    the office's default: SMS without diacritics."""
    settings.SMS_BACKEND = "console"
    if not ReminderPolicy.objects.filter(priority="", active=True).exists():
        policy_migration.install(django_apps, None)
    message_settings_update(sms_with_diacritics=False)


@pytest.fixture
def head() -> User:
    department = DepartmentFactory(code="SYT", name="Sở Y tế")
    user = UserFactory(
        username="syt_head", role=Role.DEPARTMENT_HEAD, department=department, phone="0912345678"
    )
    department_update(department=department, data={"head": user})
    return user


def a_task(head: User, title: str = TITLE) -> Task:
    return TaskFactory(
        title=title,
        lead_department=head.department,
        assigned_on=date(2026, 6, 1),
        deadline=DEADLINE,
    )


def sms_of(user: User, step: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, channel=Channel.SMS, code=step).values_list(
            "body", flat=True
        )
    )


@pytest.fixture
def office_admin() -> Client:
    """An office superuser signed in to the admin, in Vietnamese."""
    user = UserFactory(role=Role.OFFICE, username="chanhvanphong")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client


def test_the_migration_installs_one_row_from_the_setting(settings: Any) -> None:
    MessageSettings.objects.all().delete()
    settings.SMS_WITH_DIACRITICS = True
    migration.install(django_apps, None)
    migration.install(django_apps, None)  # run again: still one row, left alone
    assert list(MessageSettings.objects.values_list("pk", "sms_with_diacritics")) == [
        (MESSAGE_SETTINGS_PK, True)
    ]


def test_without_the_row_the_install_time_setting_applies(settings: Any) -> None:
    MessageSettings.objects.all().delete()
    settings.SMS_WITH_DIACRITICS = True
    assert message_settings_get().sms_with_diacritics is True
    settings.SMS_WITH_DIACRITICS = False
    assert message_settings_get().sms_with_diacritics is False


def test_once_the_row_exists_the_setting_no_longer_matters(settings: Any) -> None:
    settings.SMS_WITH_DIACRITICS = True
    assert message_settings_get().sms_with_diacritics is False  # the row's value


def test_the_database_keeps_a_single_row() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageSettings.objects.create(id=2, sms_with_diacritics=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageSettings.objects.create(sms_with_diacritics=True)  # primary key 1 again
    assert MessageSettings.objects.count() == 1


def test_changing_the_admin_setting_changes_the_next_sms(office_admin: Client, head: User):
    a_task(head)
    sweep(now=at_eight(-1))  # last reminder: inbox, e-mail and SMS to the head
    [before] = sms_of(head, "last_reminder")
    assert "So Y te ra soat" in before and "Sở Y tế" not in before
    assert before == strip_diacritics(before)

    # The office opens the settings from the admin's list and ticks the box.
    listing = office_admin.get(LIST_URL)
    assert listing.status_code == 302 and listing["Location"] == CHANGE_URL
    page = office_admin.get(CHANGE_URL)
    assert page.status_code == 200
    assert "Gửi SMS có dấu tiếng Việt" in page.content.decode()
    response = office_admin.post(CHANGE_URL, {"sms_with_diacritics": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MessageSettings.objects.get().sms_with_diacritics is True

    sweep(now=at_eight(1))  # the next sweep, same process: escalation 1 with an SMS
    [after] = sms_of(head, "escalation_1")
    assert "Sở Y tế rà soát" in after
    assert "Nhiệm vụ" in after and "quá hạn" in after

    # Unticked again (an unchecked box is absent from the POST): back to plain text.
    response = office_admin.post(CHANGE_URL, {})
    assert response.status_code == 302
    second = a_task(head, title="Sở Y tế tiêm chủng mở rộng")
    sweep(now=at_eight(1))
    [plain] = list(
        about_task(second)
        .filter(recipient=head, channel=Channel.SMS)
        .values_list("body", flat=True)
    )
    assert "So Y te tiem chung" in plain and plain == strip_diacritics(plain)


def test_the_admin_neither_adds_a_second_row_nor_deletes_it(office_admin: Client) -> None:
    assert office_admin.get(ADD_URL).status_code == 403
    assert office_admin.post(ADD_URL, {"sms_with_diacritics": "on"}).status_code == 403
    delete = f"/admin/notifications/messagesettings/{MESSAGE_SETTINGS_PK}/delete/"
    assert office_admin.post(delete, {"post": "yes"}).status_code == 403
    assert MessageSettings.objects.count() == 1


def test_the_admin_adds_the_row_when_it_is_missing(office_admin: Client) -> None:
    MessageSettings.objects.all().delete()
    assert office_admin.get(LIST_URL).status_code == 200  # the (empty) list, with "add"
    response = office_admin.post(ADD_URL, {"sms_with_diacritics": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(MessageSettings.objects.values_list("pk", "sms_with_diacritics")) == [
        (MESSAGE_SETTINGS_PK, True)
    ]


def test_the_setting_is_read_once_per_sweep_batch_not_per_message(head: User) -> None:
    tasks = [a_task(head, title=f"{TITLE} {n}") for n in range(6)]
    with CaptureQueriesContext(connection) as queries:
        sweep(now=at_eight(-1))
    reads = [q["sql"] for q in queries if '"notifications_messagesettings"' in q["sql"]]
    assert len(reads) == 1, reads
    assert about_tasks(tasks).filter(channel=Channel.SMS).count() == 6
