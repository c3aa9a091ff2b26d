"""What the office (and a task's supervising leader, for extensions) decides: accepting or
returning completion, pausing, resuming and cancelling, approving or rejecting extensions."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.common import clock
from config.common.errors import TransitionNotAllowed
from tracker.models import (
    CompletionReport,
    CompletionReportStatus,
    ExtensionRequest,
    ExtensionRequestStatus,
    Task,
    TaskHistoryAction,
    User,
)
from tracker.services.events import extension_decided_record
from tracker.services.history import history_record
from tracker.services.lifecycle.moves import close_pending, locked_task, move_to
from tracker.services.lifecycle.rules import S
from tracker.services.reminders import reminder_reschedule
from tracker.services.tasks import task_bump_version


def _pending_completion(task: Task) -> CompletionReport:
    return task.completion_reports.select_for_update().get(status=CompletionReportStatus.PENDING)


@transaction.atomic
def completion_accept(
    *, task_id: int, actor: User | None, expected_version: int | None = None
) -> Task:
    task = locked_task(task_id, "accept_completion", actor, expected_version)
    report = _pending_completion(task)
    report.status = CompletionReportStatus.ACCEPTED
    report.decided_by, report.decided_at = actor, clock.now()
    report.save(update_fields=["status", "decided_by", "decided_at"])
    task.completed_on = report.completed_on
    move_to(task, actor, S.COMPLETED, reason=report.result)
    close_pending(task, actor, _("The task is completed."))
    return task


@transaction.atomic
def completion_return(
    *, task_id: int, actor: User | None, reason: str, expected_version: int | None = None
) -> Task:
    """The report is returned and no longer counts; the task is in progress again."""
    task = locked_task(task_id, "return", actor, expected_version)
    report = _pending_completion(task)
    report.status = CompletionReportStatus.RETURNED
    report.decided_by, report.decided_at, report.decision_reason = actor, clock.now(), reason
    report.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    move_to(task, actor, S.IN_PROGRESS, reason=reason)
    return task


@transaction.atomic
def task_pause(
    *, task_id: int, actor: User | None, reason: str, expected_version: int | None = None
) -> Task:
    task = locked_task(task_id, "pause", actor, expected_version)
    close_pending(task, actor, reason)
    move_to(task, actor, S.PAUSED, reason=reason)
    return task


@transaction.atomic
def task_resume(
    *, task_id: int, actor: User | None, reason: str, expected_version: int | None = None
) -> Task:
    task = locked_task(task_id, "resume", actor, expected_version)
    move_to(task, actor, S.IN_PROGRESS, reason=reason)
    return task


@transaction.atomic
def task_cancel(
    *, task_id: int, actor: User | None, reason: str, expected_version: int | None = None
) -> Task:
    task = locked_task(task_id, "cancel", actor, expected_version)
    close_pending(task, actor, reason)
    move_to(task, actor, S.CANCELLED, reason=reason)
    return task


def extension_decision_check(request: ExtensionRequest) -> None:
    """A decided request (approved, rejected, or closed with its task) is refused (409)."""
    if request.status != ExtensionRequestStatus.PENDING:
        raise TransitionNotAllowed(
            _("The extension request is already “%(status)s”.")
            % {"status": ExtensionRequestStatus(request.status).label}
        )


def _pending_extension(
    request_id: int, actor: User | None, expected_version: int | None
) -> tuple[ExtensionRequest, Task]:
    # The task's row first, then the request's: the order pause, cancel and accept take them
    # in (they close pending requests under the task's lock), so the two cannot deadlock.
    # Its task and its author, which never change, are read before: who may decide it.
    request = ExtensionRequest.objects.get(pk=request_id)
    task = locked_task(request.task_id, "decide_extension", actor, expected_version, request)
    request = ExtensionRequest.objects.select_for_update().get(pk=request_id)
    extension_decision_check(request)
    return request, task


def _decide(request: ExtensionRequest, actor: User | None, status: str, note: str) -> None:
    now = clock.now()
    request.status, request.note = status, note
    request.decided_by, request.decided_at, request.decided_on = actor, now, timezone.localdate(now)
    request.save(update_fields=["status", "note", "decided_by", "decided_at", "decided_on"])


@transaction.atomic
def extension_approve(
    *, request_id: int, actor: User | None, note: str = "", expected_version: int | None = None
) -> ExtensionRequest:
    """Moves the effective deadline; the original one is kept."""
    request, task = _pending_extension(request_id, actor, expected_version)
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
    extension_decided_record(request, task)
    return request


@transaction.atomic
def extension_reject(
    *, request_id: int, actor: User | None, note: str = "", expected_version: int | None = None
) -> ExtensionRequest:
    request, task = _pending_extension(request_id, actor, expected_version)
    _decide(request, actor, ExtensionRequestStatus.REJECTED, note)
    extension_decided_record(request, task)
    return request
