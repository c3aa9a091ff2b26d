"""Upgrading the notifications of before (foreign keys to the task and the step, a deadline,
an occurrence, a digest day) to sender-built keys: migration 0005 must give every row the
key the new code builds, or the first sweep and digest after the upgrade would record their
messages a second time. Here the rows of a sweep and of a digest are written in the old
shape at migration 0003, migrated, and recorded again: nothing new, same keys."""

import importlib
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.models import Notification
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tests.notification_rows import key_of
from tracker.models import ReminderPolicy, Role, Task
from tracker.selectors.calendar import add_working_days
from tracker.services.departments import department_update
from tracker.services.digest import digest_key, digest_record
from tracker.services.reminder_messages import ABOUT_TASK, task_page
from tracker.services.reminders import sweep

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BEFORE = [("notifications", "0003_message_settings")]
DEADLINE = date(2026, 6, 17)
OLD_COLUMNS = (
    "kind",
    "recipient_id",
    "channel",
    "language",
    "subject",
    "body",
    "status",
    "send_after",
)


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_shape(row: Notification) -> dict[str, object]:
    """The row as migration 0003's model held it."""
    fields = {name: getattr(row, name) for name in OLD_COLUMNS}
    if row.kind == "digest":
        return fields | {"digest_on": date.fromisoformat(row.key.removeprefix("digest/"))}
    key = key_of(row)
    return fields | {
        "task_id": key.task_id,
        "step_id": key.step_id,
        "deadline": key.deadline,
        "occurrence": key.occurrence,
    }


@pytest.mark.django_db(transaction=True)
def test_rows_of_before_get_the_keys_the_new_code_builds(in_memory_broker: None) -> None:
    if not ReminderPolicy.objects.filter(priority="", active=True).exists():
        migration = importlib.import_module("tracker.migrations.0005_default_reminder_policy")
        migration.install(django_apps, None)
    lead = DepartmentFactory(code="SYT", name="Sở Y tế")
    head = UserFactory(username="syt_head", role=Role.DEPARTMENT_HEAD, department=lead)
    UserFactory(username="syt_officer", role=Role.DEPARTMENT_OFFICER, department=lead)
    department_update(department=lead, data={"head": head})
    task = TaskFactory(
        directive=DirectiveFactory(),
        lead_department=lead,
        assigned_on=date(2026, 6, 1),
        deadline=DEADLINE,
    )
    step_day = add_working_days(DEADLINE, -5)
    moment = datetime.combine(step_day, time(8, 5), tzinfo=TZ)
    sweep(now=moment)
    digest_record(now=moment)
    recorded = {(n.key, n.recipient_id, n.channel): n for n in Notification.objects.all()}
    assert {n.kind for n in recorded.values()} == {"reminder", "digest"}
    olds = [old_shape(n) for n in recorded.values()]
    Notification.objects.all().delete()

    try:
        state = migrate(BEFORE).loader.project_state(BEFORE)
        OldNotification = state.apps.get_model("notifications", "Notification")
        OldNotification.objects.bulk_create(OldNotification(**old) for old in olds)
    finally:
        migrate(latest())

    upgraded = {(n.key, n.recipient_id, n.channel): n for n in Notification.objects.all()}
    assert upgraded.keys() == recorded.keys()
    for identity, row in upgraded.items():
        assert (row.code, row.about, row.about_id, row.link) == (
            recorded[identity].code,
            recorded[identity].about,
            recorded[identity].about_id,
            recorded[identity].link,
        )
    reminders = [n for n in upgraded.values() if n.kind == "reminder"]
    assert {(n.about, n.about_id, n.link) for n in reminders} == {
        (ABOUT_TASK, task.pk, task_page(task.pk))
    }
    assert {n.key for n in upgraded.values() if n.kind == "digest"} == {digest_key(step_day)}

    # The first sweep and digest after the upgrade find their rows: nothing twice.
    Task.objects.filter(pk=task.pk).update(next_reminder_on=step_day)
    again = sweep(now=moment)
    assert again.steps_recorded == 1 and again.notifications_offered > 0
    assert digest_record(now=moment) > 0
    assert Notification.objects.count() == len(recorded)
