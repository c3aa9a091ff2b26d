"""What departments do: progress reports, completion reports, extension requests."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.common import clock
from config.common.errors import TransitionNotAllowed
from tracker.models import (
    CompletionReport,
    ExtensionRequest,
    ExtensionRequestStatus,
    ProgressReport,
    Task,
    User,
)
from tracker.services.attachments import attachments_save
from tracker.services.lifecycle.moves import locked_task, move_to
from tracker.services.lifecycle.rules import S, is_lead
from tracker.services.tasks import completion_date_errors


def _department_of(actor: User) -> int:
    """The department a report or a request is filed for. `authorize` has admitted the
    actor as the task's lead or a coordinating department, which only one acting for a
    department can be."""
    assert actor.department_id is not None
    return actor.department_id


@transaction.atomic
def progress_report_create(
    *,
    task_id: int,
    actor: User,
    note: str,
    percent: int | None = None,
    attachments: Iterable[UploadedFile] = (),
    expected_version: int | None = None,
) -> ProgressReport:
    """The lead's first progress report starts an assigned task (in_progress)."""
    task = locked_task(task_id, "progress", actor, expected_version)
    report = ProgressReport.objects.create(
        task=task, department_id=_department_of(actor), author=actor, note=note, percent=percent
    )
    attachments_save(attachments, actor=actor, progress_report=report)
    if task.status == S.ASSIGNED and is_lead(actor, task):
        move_to(task, actor, S.IN_PROGRESS, reason=note)
    return report


@transaction.atomic
def completion_report_create(
    *,
    task_id: int,
    actor: User,
    completed_on: date,
    result: str,
    attachments: Iterable[UploadedFile] = (),
    expected_version: int | None = None,
) -> CompletionReport:
    task = locked_task(task_id, "report_completion", actor, expected_version)
    errors = completion_date_errors(
        completed_on=completed_on,
        assigned_on=task.assigned_on,
        today=timezone.localdate(clock.now()),
    )
    if errors:
        raise ValidationError({"completed_on": errors})
    report = CompletionReport.objects.create(
        task=task,
        department_id=_department_of(actor),
        author=actor,
        completed_on=completed_on,
        result=result,
    )
    attachments_save(attachments, actor=actor, completion_report=report)
    move_to(task, actor, S.AWAITING_ACCEPTANCE, reason=result)
    return report


def extension_request_check(task: Task) -> None:
    """At most one pending request per task: a second is refused (409) as the task's state,
    before its input is judged."""
    if task.extension_requests.filter(status=ExtensionRequestStatus.PENDING).exists():
        raise TransitionNotAllowed(_("The task already has a pending extension request."))


def extension_request_refusal(task: Task) -> ValidationError | None:
    """Why the task itself cannot get an extension request today, whatever is asked: no
    deadline, or the deadline has passed (a request comes on or before it). None: it can."""
    if task.effective_deadline is None:
        return ValidationError({"requested_deadline": [_("The task has no deadline to extend.")]})
    if timezone.localdate(clock.now()) > task.effective_deadline:
        return ValidationError(
            {
                "non_field_errors": [
                    _("An extension must be asked for on or before the deadline %(deadline)s.")
                    % {"deadline": task.effective_deadline.isoformat()}
                ]
            }
        )
    return None


@transaction.atomic
def extension_request_create(
    *,
    task_id: int,
    actor: User,
    requested_deadline: date,
    reason: str,
    expected_version: int | None = None,
) -> ExtensionRequest:
    task = locked_task(task_id, "request_extension", actor, expected_version)
    extension_request_check(task)
    refusal = extension_request_refusal(task)
    if refusal is not None:
        raise refusal
    assert task.effective_deadline is not None  # the refusal says so otherwise
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
        department_id=_department_of(actor),
        author=actor,
        previous_deadline=task.effective_deadline,
        requested_deadline=requested_deadline,
        reason=reason,
    )
