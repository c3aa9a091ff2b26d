"""The task page's actions, one POST endpoint each, every one through the lifecycle service
the API calls. The order of the checks is the API's: outside the caller's scope 404, not
their action 403, the task changed since the page was read 412 or its state does not allow
the action 409 (both explained in words, with what changed), bad input 400 beside the field.
Success goes back to where the form came from (`next`), with a message."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.common.errors import PreconditionFailed, TransitionNotAllowed
from config.web.access import AuthenticatedHttpRequest, back_to, page
from tracker.models import Task, User
from tracker.permissions import user_reads_tasks
from tracker.selectors.history import history_in_words
from tracker.selectors.reports import extension_request_visible_to
from tracker.selectors.tasks import task_history_list
from tracker.services import lifecycle
from tracker.web.tasks.detail import FORMS, task_page, task_scope

Perform = Callable[[User, Task, dict[str, Any], int | None], Any]


def _ago(moment: datetime) -> str:
    minutes = int((timezone.now() - moment).total_seconds() // 60)
    if minutes < 1:
        return _("just now")
    if minutes < 120:
        return ngettext("%(n)d minute ago", "%(n)d minutes ago", minutes) % {"n": minutes}
    hours = minutes // 60
    return ngettext("%(n)d hour ago", "%(n)d hours ago", hours) % {"n": hours}


def what_changed(task: Task) -> str:
    """The task's latest change in words: who, when (and how long ago), what, why."""
    entries = list(task_history_list(task=task).reverse()[:1])
    if not entries:
        return _("The task was changed by someone else.")
    line = history_in_words(entries)[0]
    text = _("%(when)s (%(ago)s), %(who)s: %(what)s") % {
        "when": line.at.strftime("%H:%M %d/%m/%Y"),
        "ago": _ago(line.at),
        "who": line.actor,
        "what": line.text,
    }
    return f"{text} “{line.reason}”" if line.reason else text


def _conflict(task: Task, stale: bool) -> str:
    if stale:
        intro = _("This task changed after you opened the page.")
    else:
        intro = _("This action is no longer possible: the task is “%(state)s”.") % {
            "state": task.get_status_display()
        }
    return " ".join(
        [
            intro,
            _("Latest change: %(change)s") % {"change": what_changed(task)},
            _("The page now shows the task as it is: reload it and check before acting again."),
        ]
    )


def _act(
    request: AuthenticatedHttpRequest,
    task: Task,
    form_name: str,
    perform: Perform,
    done: str,
    subject: lifecycle.Decided | None = None,
) -> HttpResponse:
    action, form_class = FORMS[form_name]
    form = form_class(request.POST, request.FILES, auto_id=f"{form_name}-%s")
    fresh = task_scope(request.user).get(pk=task.pk)
    version = request.POST.get("version", "")
    if version.isdigit() and int(version) != fresh.version:
        return task_page(request, fresh, conflict=_conflict(fresh, stale=True), status=412)
    try:
        # PermissionDenied: the 403 page, with its reason (as one's own report to decide).
        lifecycle.authorize(action, request.user, fresh, subject)
    except TransitionNotAllowed:
        return task_page(request, fresh, conflict=_conflict(fresh, stale=False), status=409)
    if not form.is_valid():
        return task_page(request, fresh, bound={form_name: form}, status=400)
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "next")}
    try:
        perform(request.user, fresh, data, form.cleaned_data.get("version"))
    except ValidationError as exc:
        form.add_service_errors(exc)
        return task_page(request, fresh, bound={form_name: form}, status=400)
    except PreconditionFailed:
        fresh = task_scope(request.user).get(pk=task.pk)
        return task_page(request, fresh, conflict=_conflict(fresh, stale=True), status=412)
    except TransitionNotAllowed:
        fresh = task_scope(request.user).get(pk=task.pk)
        return task_page(request, fresh, conflict=_conflict(fresh, stale=False), status=409)
    messages.success(request, done)
    return redirect(back_to(request, reverse("task", args=[fresh.pk])))


def _task_action(form_name: str, perform: Perform, done: Callable[[], str]) -> Callable:
    @require_POST
    @page(user_reads_tasks)
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(task_scope(request.user), pk=pk)
        return _act(request, task, form_name, perform, done())

    return view


def _extension_action(approve: bool) -> Callable:
    service = lifecycle.extension_approve if approve else lifecycle.extension_reject

    @require_POST
    @page(user_reads_tasks)
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        extension = get_object_or_404(extension_request_visible_to(request.user), pk=pk)
        task = get_object_or_404(task_scope(request.user), pk=extension.task_id)

        def decide(user: User, task: Task, data: dict[str, Any], version: int | None) -> None:
            # A request decided meanwhile is a 409 (the service's extension_decision_check).
            service(
                request_id=extension.pk, actor=user, note=data["note"], expected_version=version
            )

        done = _("The extension was approved.") if approve else _("The extension was rejected.")
        return _act(request, task, "decide", decide, done, subject=extension)

    return view


def _progress(user: User, task: Task, data: dict[str, Any], version: int | None) -> None:
    lifecycle.progress_report_create(task_id=task.pk, actor=user, expected_version=version, **data)


def _completion(user: User, task: Task, data: dict[str, Any], version: int | None) -> None:
    lifecycle.completion_report_create(
        task_id=task.pk, actor=user, expected_version=version, **data
    )


def _extension(user: User, task: Task, data: dict[str, Any], version: int | None) -> None:
    lifecycle.extension_request_create(
        task_id=task.pk, actor=user, expected_version=version, **data
    )


def _state_change(service: Callable[..., Any]) -> Perform:
    def perform(user: User, task: Task, data: dict[str, Any], version: int | None) -> None:
        service(task_id=task.pk, actor=user, expected_version=version, **data)

    return perform


progress = _task_action("progress", _progress, lambda: _("Your progress report was sent."))
completion = _task_action(
    "completion", _completion, lambda: _("Your completion report was sent to the office.")
)
extension = _task_action("extension", _extension, lambda: _("Your extension request was sent."))
accept = _task_action(
    "accept",
    _state_change(lifecycle.completion_accept),
    lambda: _("The completion report was accepted: the task is completed."),
)
return_report = _task_action(
    "return",
    _state_change(lifecycle.completion_return),
    lambda: _("The completion report was returned to the department."),
)
pause = _task_action(
    "pause", _state_change(lifecycle.task_pause), lambda: _("The task was paused.")
)
resume = _task_action(
    "resume", _state_change(lifecycle.task_resume), lambda: _("The task was resumed.")
)
cancel = _task_action(
    "cancel", _state_change(lifecycle.task_cancel), lambda: _("The task was cancelled.")
)
approve_extension = _extension_action(approve=True)
reject_extension = _extension_action(approve=False)
