"""The morning digest (07:30): one message a day to each department head listing the
department's tasks overdue and due within 5 working days, instead of a flood. This module
chooses the heads and the tasks (the task list's own overdue and due-soon rules); recording
(preferences, the day's key, delivery) is notifications'."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from config.common import clock
from notifications.models import DIGEST_CHANNELS, NotificationKind
from notifications.services.recording import Message, messages_record
from tracker.models import Department, Task, User
from tracker.selectors.tasks import due_soon_filter, overdue_filter
from tracker.services.reminder_messages import MESSAGE_TEXTS, deadline_of, task_link

DUE_WITHIN_WORKING_DAYS = 5
DIGEST_CODE = "digest"  # its templates: tracker/messages/<channel>/digest.<language>.txt


@dataclass(frozen=True)
class Listed:
    """A task of the digest and the address of its web page."""

    task: Task
    link: str


def digest_key(day: date) -> str:
    """One digest a day per head and channel (the recipient and the channel are the
    notification's own columns of the unique key). notifications migration 0005 wrote the
    rows of before with this same format."""
    return f"digest/{day.isoformat()}"


def digest_context(
    departments: list[Department], tasks: list[Task], today: date
) -> dict[str, object]:
    """What the digest templates read: the head's departments, their overdue tasks, then
    those due from today on, each with its link."""
    listed = [Listed(task, task_link(task.pk)) for task in tasks]
    return {
        "departments": departments,
        "overdue": [item for item in listed if deadline_of(item.task) < today],
        "due_soon": [item for item in listed if deadline_of(item.task) >= today],
        "today": today,
    }


def digest_tasks(departments: list[Department], today: date) -> dict[int, list[Task]]:
    """The open tasks each department leads that are overdue or due within 5 working days
    (the task list's own rules), nearest deadline first, by lead department."""
    tasks: dict[int, list[Task]] = defaultdict(list)
    chosen = overdue_filter(today) | due_soon_filter(today, DUE_WITHIN_WORKING_DAYS)
    for task in (
        Task.objects.filter(chosen, lead_department__in=departments)
        .select_related("directive")
        .order_by("effective_deadline", "pk")
    ):
        tasks[task.lead_department_id].append(task)
    return tasks


@transaction.atomic
def digest_record(now: datetime | None = None) -> int:
    """Records today's digests (once a day per head and channel). Returns rows offered."""
    now = now or clock.now()
    today = timezone.localdate(now)
    heads: dict[int, User] = {}
    departments: dict[int, list[Department]] = defaultdict(list)
    for department in Department.objects.filter(active=True, head__is_active=True).select_related(
        "head"
    ):
        head = department.head
        assert head is not None  # head__is_active: departments with a head only
        heads[head.pk] = head
        departments[head.pk].append(department)
    tasks = digest_tasks([d for ds in departments.values() for d in ds], today)
    messages = []
    for head_id, head in heads.items():
        listed = [t for d in departments[head_id] for t in tasks[d.pk]]
        if not listed:
            continue
        context = digest_context(departments[head_id], listed, today)
        for channel in DIGEST_CHANNELS:
            messages.append(
                Message(
                    recipient=head,
                    channel=channel,
                    kind=NotificationKind.DIGEST,
                    texts=MESSAGE_TEXTS,
                    code=DIGEST_CODE,
                    context=context,
                    send_after=now,
                    key=digest_key(today),
                )
            )
    return messages_record(messages)
