"""Reading and making the notification rows of reminder steps in tests: a row keeps its
task, step, deadline and repetition in its de-duplication key and its reference (tracker's
`ReminderKey`, `ABOUT_TASK`), not in columns of its own."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from notifications.models import Notification
from tracker.models import ReminderStep, Task
from tracker.services.reminder_messages import ABOUT_TASK, ReminderKey, task_page


def reminder_fields(
    task: Task, step: ReminderStep, *, occurrence: int = 0, deadline: date | None = None
) -> dict[str, Any]:
    """The fields a step's row is recorded with (Notification.objects.create(**…))."""
    deadline = deadline or task.effective_deadline
    return {
        "key": str(ReminderKey(task.pk, step.pk, deadline, occurrence)),
        "code": step.code,
        "about": ABOUT_TASK,
        "about_id": task.pk,
        "link": task_page(task.pk),
    }


def about_tasks(task_ids: Any) -> QuerySet[Notification]:
    """The rows about these tasks (ids or tasks)."""
    ids = [getattr(t, "pk", t) for t in task_ids]
    return Notification.objects.filter(about=ABOUT_TASK, about_id__in=ids)


def about_task(task: Task) -> QuerySet[Notification]:
    return about_tasks([task])


def key_of(row: Notification) -> ReminderKey:
    """The task, step, deadline and repetition of a step's row."""
    return ReminderKey.parse(row.key)


def step_of(row: Notification) -> ReminderStep:
    return ReminderStep.objects.get(pk=key_of(row).step_id)
