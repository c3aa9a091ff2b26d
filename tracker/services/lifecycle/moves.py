"""The machinery every action shares: the locked task, the move to another state with its
history entry, and closing what was pending when a task leaves the open states."""

from django.utils import timezone
from django.utils.translation import gettext as _

from config.common import clock
from config.common.errors import PreconditionFailed, TransitionNotAllowed
from tracker.models import (
    CompletionReportStatus,
    ExtensionRequestStatus,
    Task,
    TaskHistoryAction,
    TaskStatus,
    User,
)
from tracker.services.events import task_completed_record
from tracker.services.history import history_record
from tracker.services.lifecycle.rules import TRANSITIONS, Decided, authorize
from tracker.services.reminders import reminder_reschedule
from tracker.services.tasks import task_bump_version
from tracker.signals import task_closed


def locked_task(
    task_id: int,
    action_name: str,
    actor: User | None,
    expected_version: int | None = None,
    subject: Decided | None = None,
) -> Task:
    """The task's row, locked; PreconditionFailed (412) when `expected_version` (the version
    the caller read) is no longer the task's, then `authorize`'s checks (`subject`: the
    report or request decided, when the caller has it)."""
    task = Task.objects.select_for_update().get(pk=task_id)
    if expected_version is not None and task.version != expected_version:
        raise PreconditionFailed
    authorize(action_name, actor, task, subject)
    return task


def move_to(task: Task, actor: User | None, to: TaskStatus, reason: str = "") -> None:
    """Sets the new state and records it; the caller holds the row lock."""
    if to not in TRANSITIONS[TaskStatus(task.status)]:
        raise TransitionNotAllowed(
            _("A task in state “%(state)s” cannot move to “%(target)s”.")
            % {"state": TaskStatus(task.status).label, "target": to.label}
        )
    old = task.status
    task.status = to
    task.save(update_fields=["status", "completed_on", "updated_at"])
    history_record(
        task=task,
        actor=actor,
        action=TaskHistoryAction.STATUS_CHANGED,
        field="status",
        old=str(old),
        new=str(to),
        reason=reason,
    )
    task_bump_version(task)
    reminder_reschedule(task)
    if to == TaskStatus.COMPLETED:
        task_completed_record(task)
    if to in (TaskStatus.COMPLETED, TaskStatus.CANCELLED):
        task_closed.send(sender=Task, task=task)


def close_pending(task: Task, actor: User | None, reason: str) -> None:
    """A task that leaves the open states takes its pending requests with it."""
    now = clock.now()
    task.completion_reports.filter(status=CompletionReportStatus.PENDING).update(
        status=CompletionReportStatus.RETURNED,
        decided_by=actor,
        decided_at=now,
        decision_reason=reason,
    )
    task.extension_requests.filter(status=ExtensionRequestStatus.PENDING).update(
        status=ExtensionRequestStatus.REJECTED,
        decided_by=actor,
        decided_at=now,
        decided_on=timezone.localdate(now),
        note=reason,
    )
