"""The task state machine: the one place that moves a task from one state to another."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from tracker.errors import TransitionNotAllowed
from tracker.models import Task, TaskHistoryAction, TaskStatus, User
from tracker.services.history import history_record
from tracker.services.tasks import task_bump_version

S = TaskStatus
# Pause and cancel apply to every open state; a paused task resumes to in_progress or is
# cancelled (the office may decide a paused task is no longer needed).
TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.AWAITING_ACCEPTANCE, S.PAUSED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.AWAITING_ACCEPTANCE, S.PAUSED, S.CANCELLED}),
    S.AWAITING_ACCEPTANCE: frozenset({S.COMPLETED, S.IN_PROGRESS, S.PAUSED, S.CANCELLED}),
    S.PAUSED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}


def transition_allowed(current: str, target: str) -> bool:
    return TaskStatus(target) in TRANSITIONS[TaskStatus(current)]


@transaction.atomic
def task_transition(
    *,
    task_id: int,
    actor: User | None,
    to: TaskStatus,
    reason: str = "",
    completed_on: date | None = None,
) -> Task:
    task = Task.objects.select_for_update().get(pk=task_id)
    if not transition_allowed(task.status, to):
        raise TransitionNotAllowed(
            _("A task in state “%(state)s” cannot move to “%(target)s”.")
            % {"state": task.get_status_display(), "target": TaskStatus(to).label}
        )
    old = task.status
    task.status = to
    task.completed_on = completed_on if to == TaskStatus.COMPLETED else None
    task.save(update_fields=["status", "completed_on", "updated_at"])
    history_record(
        task=task,
        actor=actor,
        action=TaskHistoryAction.STATUS_CHANGED,
        field="status",
        old=old,
        new=str(to),
        reason=reason,
    )
    task_bump_version(task)
    return task
