"""The reminder messages' guards (tracker/services/reminder_messages.py): a key that is not
a reminder's, and a task without a deadline, are the caller's mistakes, refused by name."""

import datetime as dt

import pytest

from tests.factories import TaskFactory
from tracker.services.reminder_messages import ReminderKey, deadline_of

pytestmark = pytest.mark.django_db


def test_a_reminder_key_reads_back_and_another_key_is_refused():
    key = ReminderKey(task_id=7, step_id=3, deadline=dt.date(2026, 4, 30), occurrence=2)

    assert ReminderKey.parse(str(key)) == key
    with pytest.raises(ValueError, match="not a reminder key"):
        ReminderKey.parse("digest/2026/04/30/x/y")


def test_a_task_without_a_deadline_has_none_to_remind_of():
    task = TaskFactory(deadline=None)

    with pytest.raises(ValueError, match="has no deadline"):
        deadline_of(task)
