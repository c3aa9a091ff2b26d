"""The task state machine: the one place that moves a task from one state to another and
decides who may. The API, the admin, the import and the management commands all call it.

Every function locks the task row, checks the actor's right (PermissionDenied, a 403) and
the task's state (TransitionNotAllowed, a 409), then writes the change and its history
entry in one transaction. An actor of None is the system itself (a management command).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import clock
from tracker.errors import TransitionNotAllowed
from tracker.models import (
    DEPARTMENT_ROLES,
    CompletionReport,
    CompletionReportStatus,
    ExtensionRequest,
    ExtensionRequestStatus,
    ProgressReport,
    Role,
    Task,
    TaskHistoryAction,
    TaskStatus,
    User,
)
from tracker.services.attachments import attachments_save
from tracker.services.history import history_record
from tracker.services.reminders import reminder_reschedule
from tracker.services.tasks import task_bump_version

S = TaskStatus
OPEN = frozenset({S.ASSIGNED, S.IN_PROGRESS, S.AWAITING_ACCEPTANCE})

# The states a task may move between; pause and cancel apply to every open state, and a
# paused task resumes to in_progress or is cancelled. Completed and cancelled are final.
TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.AWAITING_ACCEPTANCE, S.PAUSED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.AWAITING_ACCEPTANCE, S.PAUSED, S.CANCELLED}),
    S.AWAITING_ACCEPTANCE: frozenset({S.COMPLETED, S.IN_PROGRESS, S.PAUSED, S.CANCELLED}),
    S.PAUSED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}


# --- who may act -------------------------------------------------------------------------


def _acts_for(user: User | None) -> int | None:
    """The department a user acts for: department staff, and office staff when the office
    (Văn phòng UBND tỉnh) itself leads or coordinates a task."""
    if user is None or user.role not in (*DEPARTMENT_ROLES, Role.OFFICE):
        return None
    return user.department_id


def _is_lead(user: User | None, task: Task) -> bool:
    department = _acts_for(user)
    return department is not None and department == task.lead_department_id


def _is_coordinating(user: User | None, task: Task) -> bool:
    department = _acts_for(user)
    return department is not None and task.coordinations.filter(department_id=department).exists()


def _is_office(user: User | None, task: Task) -> bool:
    return user is not None and user.is_office


def _is_office_or_supervisor(user: User | None, task: Task) -> bool:
    return _is_office(user, task) or (
        user is not None and user.pk is not None and task.supervising_leader_id == user.pk
    )


@dataclass(frozen=True)
class Action:
    """An action on a task: who may take it and in which states."""

    name: str
    allowed: Callable[[User | None, Task], bool]
    states: frozenset[TaskStatus]
    who: str  # lazily translated


ACTIONS = {
    action.name: action
    for action in (
        Action(
            "progress",
            lambda u, t: _is_lead(u, t) or _is_coordinating(u, t),
            OPEN,
            gettext_lazy("the lead or a coordinating department"),
        ),
        Action(
            "report_completion",
            _is_lead,
            frozenset({S.ASSIGNED, S.IN_PROGRESS}),
            gettext_lazy("the lead department"),
        ),
        Action(
            "accept_completion",
            _is_office,
            frozenset({S.AWAITING_ACCEPTANCE}),
            gettext_lazy("the office"),
        ),
        Action(
            "return", _is_office, frozenset({S.AWAITING_ACCEPTANCE}), gettext_lazy("the office")
        ),
        Action("pause", _is_office, OPEN, gettext_lazy("the office")),
        Action("resume", _is_office, frozenset({S.PAUSED}), gettext_lazy("the office")),
        Action("cancel", _is_office, OPEN | {S.PAUSED}, gettext_lazy("the office")),
        Action(
            "request_extension",
            _is_lead,
            frozenset({S.ASSIGNED, S.IN_PROGRESS}),
            gettext_lazy("the lead department"),
        ),
        Action(
            "decide_extension",
            _is_office_or_supervisor,
            OPEN,
            gettext_lazy("the office or the task's supervising leader"),
        ),
    )
}


def authorize(action_name: str, actor: User | None, task: Task) -> None:
    """Raises PermissionDenied when the actor may not take the action, TransitionNotAllowed
    when the task's state does not allow it. The system (actor None) may do anything."""
    action = ACTIONS[action_name]
    if actor is not None and not action.allowed(actor, task):
        raise PermissionDenied(_("Only %(who)s may do this.") % {"who": action.who})
    if task.status not in action.states:
        raise TransitionNotAllowed(
            _("Not allowed while the task is “%(state)s”.")
            % {"state": TaskStatus(task.status).label}
        )


def _locked(task_id: int, action_name: str, actor: User | None) -> Task:
    task = Task.objects.select_for_update().get(pk=task_id)
    authorize(action_name, actor, task)
    return task


def _move(task: Task, actor: User | None, to: TaskStatus, reason: str = "") -> None:
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


def _close_pending(task: Task, actor: User | None, reason: str) -> None:
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


# --- department actions ------------------------------------------------------------------


@transaction.atomic
def progress_report_create(
    *,
    task_id: int,
    actor: User,
    note: str,
    percent: int | None = None,
    attachments: Iterable[UploadedFile] = (),
) -> ProgressReport:
    """The lead's first progress report starts an assigned task (in_progress)."""
    task = _locked(task_id, "progress", actor)
    report = ProgressReport.objects.create(
        task=task, department_id=actor.department_id, author=actor, note=note, percent=percent
    )
    attachments_save(attachments, actor=actor, progress_report=report)
    if task.status == S.ASSIGNED and _is_lead(actor, task):
        _move(task, actor, S.IN_PROGRESS, reason=note)
    return report


@transaction.atomic
def completion_report_create(
    *,
    task_id: int,
    actor: User,
    completed_on: date,
    result: str,
    attachments: Iterable[UploadedFile] = (),
) -> CompletionReport:
    task = _locked(task_id, "report_completion", actor)
    if completed_on > timezone.localdate(clock.now()):
        raise ValidationError({"completed_on": [_("The completion date is in the future.")]})
    if completed_on < task.assigned_on:
        raise ValidationError(
            {
                "completed_on": [
                    _("The completion date is before the assigned date %(assigned)s.")
                    % {"assigned": task.assigned_on.isoformat()}
                ]
            }
        )
    report = CompletionReport.objects.create(
        task=task,
        department_id=actor.department_id,
        author=actor,
        completed_on=completed_on,
        result=result,
    )
    attachments_save(attachments, actor=actor, completion_report=report)
    _move(task, actor, S.AWAITING_ACCEPTANCE, reason=result)
    return report


def extension_request_check(task: Task) -> None:
    """At most one pending request per task: a second is refused (409) as the task's state,
    before its input is judged."""
    if task.extension_requests.filter(status=ExtensionRequestStatus.PENDING).exists():
        raise TransitionNotAllowed(_("The task already has a pending extension request."))


@transaction.atomic
def extension_request_create(
    *, task_id: int, actor: User, requested_deadline: date, reason: str
) -> ExtensionRequest:
    task = _locked(task_id, "request_extension", actor)
    extension_request_check(task)
    if task.effective_deadline is None:
        raise ValidationError({"requested_deadline": [_("The task has no deadline to extend.")]})
    if timezone.localdate(clock.now()) > task.effective_deadline:
        raise ValidationError(
            {
                "non_field_errors": [
                    _("An extension must be asked for on or before the deadline %(deadline)s.")
                    % {"deadline": task.effective_deadline.isoformat()}
                ]
            }
        )
    if requested_deadline <= task.effective_deadline:
        raise ValidationError(
            {
                "requested_deadline": [
                    _("The requested deadline must be after the current deadline %(deadline)s.")
                    % {"deadline": task.effective_deadline.isoformat()}
                ]
            }
        )
    return ExtensionRequest.objects.create(
        task=task,
        department_id=actor.department_id,
        author=actor,
        previous_deadline=task.effective_deadline,
        requested_deadline=requested_deadline,
        reason=reason,
    )


# --- office actions ----------------------------------------------------------------------


def _pending_completion(task: Task) -> CompletionReport:
    return task.completion_reports.select_for_update().get(status=CompletionReportStatus.PENDING)


@transaction.atomic
def completion_accept(*, task_id: int, actor: User | None) -> Task:
    task = _locked(task_id, "accept_completion", actor)
    report = _pending_completion(task)
    report.status = CompletionReportStatus.ACCEPTED
    report.decided_by, report.decided_at = actor, clock.now()
    report.save(update_fields=["status", "decided_by", "decided_at"])
    task.completed_on = report.completed_on
    _move(task, actor, S.COMPLETED, reason=report.result)
    _close_pending(task, actor, _("The task is completed."))
    return task


@transaction.atomic
def completion_return(*, task_id: int, actor: User | None, reason: str) -> Task:
    """The report is returned and no longer counts; the task is in progress again."""
    task = _locked(task_id, "return", actor)
    report = _pending_completion(task)
    report.status = CompletionReportStatus.RETURNED
    report.decided_by, report.decided_at, report.decision_reason = actor, clock.now(), reason
    report.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _move(task, actor, S.IN_PROGRESS, reason=reason)
    return task


@transaction.atomic
def task_pause(*, task_id: int, actor: User | None, reason: str) -> Task:
    task = _locked(task_id, "pause", actor)
    _close_pending(task, actor, reason)
    _move(task, actor, S.PAUSED, reason=reason)
    return task


@transaction.atomic
def task_resume(*, task_id: int, actor: User | None, reason: str) -> Task:
    task = _locked(task_id, "resume", actor)
    _move(task, actor, S.IN_PROGRESS, reason=reason)
    return task


@transaction.atomic
def task_cancel(*, task_id: int, actor: User | None, reason: str) -> Task:
    task = _locked(task_id, "cancel", actor)
    _close_pending(task, actor, reason)
    _move(task, actor, S.CANCELLED, reason=reason)
    return task


def extension_decision_check(request: ExtensionRequest) -> None:
    """A decided request (approved, rejected, or closed with its task) is refused (409)."""
    if request.status != ExtensionRequestStatus.PENDING:
        raise TransitionNotAllowed(
            _("The extension request is already “%(status)s”.")
            % {"status": ExtensionRequestStatus(request.status).label}
        )


def _pending_extension(request_id: int, actor: User | None) -> tuple[ExtensionRequest, Task]:
    # The task's row first, then the request's: the order pause, cancel and accept take them
    # in (they close pending requests under the task's lock), so the two cannot deadlock.
    task_id = ExtensionRequest.objects.values_list("task_id", flat=True).get(pk=request_id)
    task = _locked(task_id, "decide_extension", actor)
    request = ExtensionRequest.objects.select_for_update().get(pk=request_id)
    extension_decision_check(request)
    return request, task


def _decide(request: ExtensionRequest, actor: User | None, status: str, note: str) -> None:
    now = clock.now()
    request.status, request.note = status, note
    request.decided_by, request.decided_at, request.decided_on = actor, now, timezone.localdate(now)
    request.save(update_fields=["status", "note", "decided_by", "decided_at", "decided_on"])


@transaction.atomic
def extension_approve(*, request_id: int, actor: User | None, note: str = "") -> ExtensionRequest:
    """Moves the effective deadline; the original one is kept."""
    request, task = _pending_extension(request_id, actor)
    if task.effective_deadline is None or request.requested_deadline <= task.effective_deadline:
        # The office changed the deadline since the request: approving would not extend it.
        raise TransitionNotAllowed(
            _("The deadline was changed since the request; it no longer extends it.")
        )
    _decide(request, actor, ExtensionRequestStatus.APPROVED, note)
    old = task.effective_deadline
    task.effective_deadline = request.requested_deadline
    task.save(update_fields=["effective_deadline", "updated_at"])
    history_record(
        task=task,
        actor=actor,
        action=TaskHistoryAction.DEADLINE_CHANGED,
        field="deadline",
        old=old.isoformat(),
        new=request.requested_deadline.isoformat(),
        reason=note or request.reason,
    )
    task_bump_version(task)
    reminder_reschedule(task)  # the new deadline's steps start afresh
    return request


@transaction.atomic
def extension_reject(*, request_id: int, actor: User | None, note: str = "") -> ExtensionRequest:
    request, _task = _pending_extension(request_id, actor)
    _decide(request, actor, ExtensionRequestStatus.REJECTED, note)
    return request


def allowed_actions(actor: User, task: Task) -> frozenset[str]:
    """The actions the actor may take on the task in its current state: what a page offers.
    The same rules as `authorize`, which every action checks again under the row lock."""
    return frozenset(
        name
        for name, action in ACTIONS.items()
        if task.status in action.states and action.allowed(actor, task)
    )
