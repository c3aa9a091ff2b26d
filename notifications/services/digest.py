"""The morning digest (07:30): one message a day to each department head listing the
department's tasks due within 5 working days and overdue, instead of a flood."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from config.common import clock
from notifications.models import NotificationKind
from notifications.selectors import message_settings_get
from notifications.services.messages import task_link
from notifications.services.recording import (
    notifications_save,
    preferred_channels,
    reachable,
    rendered_notification,
)
from notifications.services.timing import allowed_moment
from tracker.models import OPEN_STATUSES, Channel, Department, Task, User
from tracker.selectors.calendar import add_working_days

DUE_WITHIN_WORKING_DAYS = 5
DIGEST_CHANNELS = (Channel.INBOX, Channel.EMAIL)


@dataclass(frozen=True)
class Listed:
    """A task of the digest and the address of its web page."""

    task: Task
    link: str


def digest_context(
    departments: list[Department], tasks: list[Task], today: date
) -> dict[str, object]:
    """What the digest templates read: the head's departments, their overdue tasks, then
    those due from today on, each with its link."""
    listed = [Listed(task, task_link(task.pk)) for task in tasks]
    return {
        "departments": departments,
        "overdue": [item for item in listed if item.task.effective_deadline < today],
        "due_soon": [item for item in listed if item.task.effective_deadline >= today],
        "today": today,
    }


@transaction.atomic
def digest_record(now: datetime | None = None) -> int:
    """Records today's digests (once a day per head and channel). Returns rows offered."""
    now = now or clock.now()
    today = timezone.localdate(now)
    limit = add_working_days(today, DUE_WITHIN_WORKING_DAYS)
    heads: dict[int, User] = {}
    departments: dict[int, list[Department]] = defaultdict(list)
    for department in Department.objects.filter(active=True, head__is_active=True).select_related(
        "head"
    ):
        heads[department.head_id] = department.head
        departments[department.head_id].append(department)
    tasks: dict[int, list[Task]] = defaultdict(list)
    for task in (
        Task.objects.filter(status__in=OPEN_STATUSES, effective_deadline__lte=limit)
        .filter(lead_department__in=[d for ds in departments.values() for d in ds])
        .select_related("directive")
        .order_by("effective_deadline", "pk")
    ):
        tasks[task.lead_department_id].append(task)
    preferences = preferred_channels(heads.values())
    # Once per run (DIGEST_CHANNELS has no SMS today; a digest by SMS would follow it).
    sms_with_diacritics = message_settings_get().sms_with_diacritics
    rows = []
    for head_id, head in heads.items():
        listed = [t for d in departments[head_id] for t in tasks[d.pk]]
        if not listed:
            continue
        context = digest_context(departments[head_id], listed, today)
        wanted = preferences.get((head_id, NotificationKind.DIGEST))
        for channel in DIGEST_CHANNELS:
            if (wanted is not None and channel not in wanted) or not reachable(head, channel):
                continue
            rows.append(
                rendered_notification(
                    "digest",
                    channel,
                    head,
                    context,
                    sms_with_diacritics=sms_with_diacritics,
                    kind=NotificationKind.DIGEST,
                    digest_on=today,
                    send_after=allowed_moment(now, channel),
                )
            )
    return notifications_save(rows)
