"""Turns due reminder steps into Notification rows: who receives each step, on which
channels (their preferences, except for escalations), in which language, with what text."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.common.clock import MESSAGES_FROM
from notifications.models import Notification, NotificationKind, NotificationPreference
from notifications.selectors import message_settings_get
from notifications.services.messages import render, task_link
from notifications.services.timing import allowed_moment
from tracker.models import (
    Audience,
    Channel,
    Department,
    ReminderStep,
    Role,
    StepKind,
    Task,
    TaskCoordination,
    User,
)
from tracker.selectors.calendar import WorkingCalendar

Due = tuple[Task, ReminderStep, int, date]


class Recipients:
    """Everyone the batch's steps may reach, looked up in a fixed number of queries."""

    def __init__(self, tasks: list[Task]) -> None:
        lead_ids = {t.lead_department_id for t in tasks}
        self.officers: dict[int, list[User]] = defaultdict(list)
        for user in User.objects.filter(
            role=Role.DEPARTMENT_OFFICER, department_id__in=lead_ids, is_active=True
        ):
            self.officers[user.department_id].append(user)
        leads = Department.objects.filter(pk__in=lead_ids).select_related(
            "head", "supervising_leader"
        )
        self.heads = {d.pk: d.head for d in leads}
        self.department_leaders = {d.pk: d.supervising_leader for d in leads}
        self.coordinating_heads: dict[int, list[User]] = defaultdict(list)
        for link in TaskCoordination.objects.filter(task__in=tasks).select_related(
            "department__head"
        ):
            if link.department.head is not None:
                self.coordinating_heads[link.task_id].append(link.department.head)
        office = (
            Department.objects.filter(code=settings.OFFICE_DEPARTMENT_CODE)
            .select_related("head")
            .first()
        )
        self.office_director = office.head if office else None

    def of(self, task: Task, audiences: Iterable[str]) -> list[User]:
        people: list[User | None] = []
        for audience in audiences:
            if audience == Audience.LEAD_OFFICERS:
                people += self.officers[task.lead_department_id]
            elif audience == Audience.LEAD_HEAD:
                people.append(self.heads.get(task.lead_department_id))
            elif audience == Audience.COORDINATING_HEADS:
                people += self.coordinating_heads[task.pk]
            elif audience == Audience.SUPERVISING_LEADER:
                people.append(
                    task.supervising_leader or self.department_leaders.get(task.lead_department_id)
                )
            elif audience == Audience.FOLLOW_UP_OFFICER:
                people.append(task.follow_up_officer)
            elif audience == Audience.OFFICE_DIRECTOR:
                people.append(self.office_director)
        unique = {p.pk: p for p in people if p is not None and p.is_active}
        return list(unique.values())


def reachable(user: User, channel: str) -> bool:
    return channel == Channel.INBOX or bool(user.email if channel == Channel.EMAIL else user.phone)


def preferred_channels(users: Iterable[User]) -> dict[tuple[int, str], set[str]]:
    return {
        (p.user_id, p.kind): set(p.channels)
        for p in NotificationPreference.objects.filter(user__in=list(users))
    }


def task_context(
    task: Task, step: ReminderStep, day: date, overdue_working_days: int
) -> dict[str, object]:
    """What a step's templates read. `day` is the local day the message goes out, the "as
    of" date of its text; `overdue_working_days` the working days from the deadline to that
    day (0 before it): a step recorded late (the system was down) says the day it is sent
    and how late the task is then, not its scheduled day."""
    return {
        "task": task,
        "step": step,
        "deadline": task.effective_deadline,
        "department": task.lead_department,
        "directive_number": task.directive.number,
        "day": day,
        "overdue_working_days": max(overdue_working_days, 0),
        "link": task_link(task.pk),
    }


def notifications_record(due: list[Due], *, now: datetime) -> int:
    """Records the rows of the due steps; rows recorded before are left alone (the unique
    key ignores them). Delivery is enqueued once the transaction has committed. Returns the
    number of rows offered. The office's message settings are read once per call (a sweep
    batch), so a change in the admin takes effect at the next sweep."""
    if not due:
        return 0
    sms_with_diacritics = message_settings_get().sms_with_diacritics
    recipients = Recipients([task for task, *_rest in due])
    everyone = {u.pk: u for task, step, *_ in due for u in recipients.of(task, step.audiences)}
    preferences = preferred_channels(everyone.values())
    # One query for the whole batch: how late each task is on the day its messages go out.
    calendar = WorkingCalendar(
        min(task.effective_deadline for task, *_rest in due),
        timezone.localdate(now) + timedelta(days=1),  # an SMS of the night waits a day
    )
    contexts: dict[tuple[int, int, date], dict[str, object]] = {}
    rows = []
    for task, step, number, day in due:
        kind = NotificationKind(step.kind)
        starts = timezone.make_aware(datetime.combine(day, MESSAGES_FROM))
        for user in recipients.of(task, step.audiences):
            wanted = preferences.get((user.pk, kind))
            for channel in step.channels:
                opted_out = wanted is not None and channel not in wanted
                if (opted_out and kind != StepKind.ESCALATION) or not reachable(user, channel):
                    continue
                send_after = allowed_moment(max(now, starts), channel)
                sent_on = timezone.localdate(send_after)
                key = (task.pk, step.pk, sent_on)
                if key not in contexts:
                    late = calendar.working_days_between(task.effective_deadline, sent_on)
                    contexts[key] = task_context(task, step, sent_on, late)
                rows.append(
                    rendered_notification(
                        step.code,
                        channel,
                        user,
                        contexts[key],
                        sms_with_diacritics=sms_with_diacritics,
                        kind=kind,
                        task=task,
                        step=step,
                        deadline=task.effective_deadline,
                        occurrence=number,
                        send_after=send_after,
                    )
                )
    return notifications_save(rows)


def rendered_notification(
    code: str,
    channel: str,
    recipient: User,
    context: dict[str, Any],
    *,
    sms_with_diacritics: bool,
    **keys: Any,
) -> Notification:
    """One row (not saved), its text rendered in the recipient's language."""
    subject, body = render(
        code, channel, recipient.language, context, sms_with_diacritics=sms_with_diacritics
    )
    return Notification(
        recipient=recipient,
        channel=channel,
        language=recipient.language,
        subject=subject[:255],
        body=body,
        **keys,
    )


def notifications_save(rows: list[Notification]) -> int:
    """Inserts the rows, leaving alone those recorded before (their unique key), and enqueues
    their delivery once the transaction has committed. Returns the number offered."""
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(enqueue_dispatch)
    return len(rows)


def enqueue_dispatch() -> None:
    """Hands the due notifications to the workers (by task name: services never import the
    Celery task modules, which import them)."""
    current_app.send_task("notifications.tasks.dispatch_due_notifications")
