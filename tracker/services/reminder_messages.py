"""The messages of due reminder steps: who receives each step (its audiences, resolved for
the task), what its texts read (the task, its deadline, how late it is on the day the
message goes out) and its de-duplication key. Recording, preferences, quiet hours and
delivery are notifications' (`messages_record`); this module decides what to record."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from config.common.clock import MESSAGES_FROM
from notifications.models import API_SUBJECT
from notifications.services.recording import Message, messages_record
from notifications.services.timing import allowed_moment
from tracker.models import (
    Audience,
    Department,
    ReminderStep,
    Role,
    Task,
    TaskCoordination,
    User,
)
from tracker.selectors.calendar import WorkingCalendar

# Where the texts of the steps and of the digest are: tracker/templates/tracker/messages/
# <channel>/<code>.<language>.txt. They read tracker's context (the task, its department),
# so they live beside it; notifications renders them for the recipient's language.
MESSAGE_TEXTS = "tracker/messages"

# The reference a message keeps to its task (Notification.about): what the notifications
# API reports as the message's `task` (and its code as `step`).
ABOUT_TASK = API_SUBJECT

Due = tuple[Task, ReminderStep, int, date]  # the task, its step, the repetition, the day


@dataclass(frozen=True)
class ReminderKey:
    """What makes a step's message once: the task × step × deadline × repetition (the
    recipient and the channel are the notification's own columns of the unique key)."""

    task_id: int
    step_id: int
    deadline: date
    occurrence: int

    def __str__(self) -> str:
        # notifications migration 0005 wrote the rows of before with this same format.
        return (
            f"task/{self.task_id}/step/{self.step_id}/{self.deadline.isoformat()}/{self.occurrence}"
        )

    @classmethod
    def parse(cls, key: str) -> "ReminderKey":
        """The parts of a key made by str(); ValueError for any other string."""
        about, task_id, step, step_id, deadline, occurrence = key.split("/")
        if (about, step) != ("task", "step"):
            raise ValueError(f"not a reminder key: {key!r}")
        return cls(int(task_id), int(step_id), date.fromisoformat(deadline), int(occurrence))


def deadline_of(task: Task) -> date:
    """The deadline of a task that reminders or the digest speak of: both choose tasks by
    their deadline, so a task without one here is a mistake of the caller."""
    if task.effective_deadline is None:
        raise ValueError(f"task {task.pk} has no deadline to remind of")
    return task.effective_deadline


def reminder_key(task: Task, step: ReminderStep, occurrence: int) -> str:
    """The key of a step's message for the task's current deadline: a new deadline (an
    approved extension) is a new key, so its steps are all new."""
    return str(ReminderKey(task.pk, step.pk, deadline_of(task), occurrence))


def task_link(task_id: int) -> str:
    """The address of a task's web page in every message (e-mail, SMS, inbox, digest): the
    short route /t/<id>/, which redirects to the page, so that an SMS keeps room for its
    text. Never the API's address, which an official's browser cannot use."""
    site: str = settings.SITE_URL  # environ reads it, untyped
    return site.rstrip("/") + reverse("task-short", args=[task_id])


def task_page(task_id: int) -> str:
    """The web path of the task's page, which the inbox's "open" button follows."""
    return reverse("task", args=[task_id])


class Recipients:
    """Everyone the batch's steps may reach, looked up in a fixed number of queries."""

    def __init__(self, tasks: list[Task]) -> None:
        lead_ids = {t.lead_department_id for t in tasks}
        self.officers: dict[int | None, list[User]] = defaultdict(list)
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


def reminder_messages_record(due: list[Due], *, now: datetime) -> int:
    """Records the messages of the due steps: each step's audiences on each of its
    channels, from 08:00 of the step's day (or now, if later). Rows recorded before are left
    alone (their key). Returns the number of rows offered (notifications' count)."""
    if not due:
        return 0
    recipients = Recipients([task for task, *_rest in due])
    # One query for the whole batch: how late each task is on the day its messages go out.
    calendar = WorkingCalendar(
        min(deadline_of(task) for task, *_rest in due),
        timezone.localdate(now) + timedelta(days=1),  # an SMS of the night waits a day
    )
    contexts: dict[tuple[int, int, date], dict[str, object]] = {}
    messages = []
    for task, step, number, day in due:
        starts = max(now, timezone.make_aware(datetime.combine(day, MESSAGES_FROM)))
        key, link = reminder_key(task, step, number), task_page(task.pk)
        for user in recipients.of(task, step.audiences):
            for channel in step.channels:
                send_after = allowed_moment(starts, channel)
                sent_on = timezone.localdate(send_after)
                if (task.pk, step.pk, sent_on) not in contexts:
                    late = calendar.working_days_between(deadline_of(task), sent_on)
                    contexts[(task.pk, step.pk, sent_on)] = task_context(task, step, sent_on, late)
                messages.append(
                    Message(
                        recipient=user,
                        channel=channel,
                        kind=step.kind,
                        texts=MESSAGE_TEXTS,
                        code=step.code,
                        context=contexts[(task.pk, step.pk, sent_on)],
                        send_after=send_after,
                        key=key,
                        link=link,
                        about=ABOUT_TASK,
                        about_id=task.pk,
                    )
                )
    return messages_record(messages)
