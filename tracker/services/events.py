"""The events other systems may subscribe to by webhook (notifications records and sends
them): what happened to a task, an extension request or a period, with the data a
receiver needs. Each event's key names it once, so recording it again (a retried
transaction, a second run of the overdue check) sends nothing new:

- task.assigned/<task>/<lead department>: a new lead is a new event;
- task.completed/<task>/<completion date>;
- extension.decided/<request>;
- period.published/<period>/<closed at>: closing again after a reopening is a new event;
- task.overdue/<task>/<deadline in force>: an extension and a new lapse is a new event.

Every function runs in its caller's transaction; when no endpoint wants the event nothing
is built (the import calls it for thousands of tasks)."""

from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from notifications.models import WebhookEvent
from notifications.selectors import webhook_subscribed
from notifications.services.webhooks import webhook_events_record
from tracker.models import ExtensionRequest, Period, Task
from tracker.selectors.tasks import local_today, overdue_filter
from tracker.services.reminder_messages import task_link

# Tasks loaded and recorded at a time (the import's and the overdue check's).
CHUNK = 1000
# The overdue check looks back this many days, so an outage of up to a week loses nothing;
# a task's key makes it once per deadline however often it is looked at.
OVERDUE_LOOKBACK_DAYS = 7


def _absolute(path: str) -> str:
    site: str = settings.SITE_URL  # environ reads it, untyped
    return site.rstrip("/") + path


def task_data(task: Task) -> dict[str, Any]:
    """A task as every task event describes it."""
    lead = task.lead_department
    deadline = task.effective_deadline
    return {
        "task": {
            "id": task.pk,
            "title": task.title,
            "directive_number": task.directive.number,
            "lead_department": {"code": lead.code, "name": lead.name},
            "deadline": deadline.isoformat() if deadline else None,
            "status": task.status,
            "completed_on": task.completed_on.isoformat() if task.completed_on else None,
            "links": {
                "api": _absolute(reverse("task-detail", args=[task.pk])),
                "web": task_link(task.pk),
            },
        }
    }


# What task_data and the keys read: loading only these made the import's recording of
# task.assigned 2-3 times quicker to load (bench/README.md, "Webhooks").
TASK_DATA_FIELDS = (
    "title",
    "directive__number",
    "lead_department__code",
    "lead_department__name",
    "effective_deadline",
    "status",
    "completed_on",
)


def _loaded(task_ids: Sequence[int]) -> QuerySet[Task]:
    return (
        Task.objects.filter(pk__in=task_ids)
        .select_related("directive", "lead_department")
        .only(*TASK_DATA_FIELDS)
        .order_by("pk")
    )


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def assigned_key(task: Task) -> str:
    return f"{WebhookEvent.TASK_ASSIGNED}/{task.pk}/{task.lead_department_id}"


def _task_event_record(event: WebhookEvent, key: str, task: Task) -> int:
    """One task's event; its data (the directive, the lead department) is read only when an
    endpoint wants it: this runs on every creation and completion."""
    if not webhook_subscribed(event):
        return 0
    return webhook_events_record(event=event, items=[(key, task_data(task))])


def _tasks_events_record(
    event: WebhookEvent, task_ids: Sequence[int], key: Callable[[Task], str]
) -> int:
    """Many tasks' events (the import's, the overdue check's), loaded CHUNK at a time."""
    recorded = 0
    for ids in _chunks(task_ids):
        items = [(key(task), task_data(task)) for task in _loaded(ids)]
        recorded += webhook_events_record(event=event, items=items)
    return recorded


def task_assigned_record(task: Task) -> int:
    return _task_event_record(WebhookEvent.TASK_ASSIGNED, assigned_key(task), task)


def tasks_assigned_record(task_ids: Sequence[int]) -> int:
    """The import's tasks, only if an endpoint wants them."""
    if not task_ids or not webhook_subscribed(WebhookEvent.TASK_ASSIGNED):
        return 0
    return _tasks_events_record(WebhookEvent.TASK_ASSIGNED, task_ids, assigned_key)


def task_completed_record(task: Task) -> int:
    completed = task.completed_on.isoformat() if task.completed_on else ""
    key = f"{WebhookEvent.TASK_COMPLETED}/{task.pk}/{completed}"
    return _task_event_record(WebhookEvent.TASK_COMPLETED, key, task)


def extension_decided_record(request: ExtensionRequest, task: Task) -> int:
    if not webhook_subscribed(WebhookEvent.EXTENSION_DECIDED):
        return 0
    data = task_data(task) | {
        "extension_request": {
            "id": request.pk,
            "decision": request.status,
            "requested_deadline": request.requested_deadline.isoformat(),
            "previous_deadline": request.previous_deadline.isoformat(),
            "deadline_now": task.effective_deadline.isoformat()
            if task.effective_deadline
            else None,
            "note": request.note,
        }
    }
    key = f"{WebhookEvent.EXTENSION_DECIDED}/{request.pk}"
    return webhook_events_record(event=WebhookEvent.EXTENSION_DECIDED, items=[(key, data)])


def period_published_record(period: Period) -> int:
    data = {
        "period": {
            "id": period.pk,
            "from": period.from_date.isoformat(),
            "to": period.to_date.isoformat(),
            "as_of": period.as_of.isoformat(),
            "closed_at": period.closed_at.isoformat(),
            "links": {"api": _absolute(reverse("period-detail", args=[period.pk]))},
        }
    }
    key = f"{WebhookEvent.PERIOD_PUBLISHED}/{period.pk}/{period.closed_at.isoformat()}"
    return webhook_events_record(event=WebhookEvent.PERIOD_PUBLISHED, items=[(key, data)])


def overdue_key(task: Task) -> str:
    deadline = task.effective_deadline.isoformat() if task.effective_deadline else ""
    return f"{WebhookEvent.TASK_OVERDUE}/{task.pk}/{deadline}"


def overdue_events_record(today: date | None = None) -> int:
    """task.overdue for every open task whose deadline in force passed in the last
    OVERDUE_LOOKBACK_DAYS days (the day after the deadline, and a week of catching up):
    an indexed range of deadlines, not every task; nothing read when nobody wants it."""
    if not webhook_subscribed(WebhookEvent.TASK_OVERDUE):
        return 0
    today = today or local_today()
    ids = list(
        Task.objects.filter(
            overdue_filter(today),
            effective_deadline__gte=today - timedelta(days=OVERDUE_LOOKBACK_DAYS),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return _tasks_events_record(WebhookEvent.TASK_OVERDUE, ids, overdue_key)
