"""The task page: what the task is, its reports with their files, its extension requests,
its history in words, and the forms of the actions the state machine allows this user."""

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from config.common.downloads import stored_file_download
from config.web.access import AuthenticatedHttpRequest, page
from tracker.models import ExtensionRequestStatus, Task, User
from tracker.permissions import user_reads_tasks
from tracker.selectors.history import history_in_words
from tracker.selectors.reports import (
    attachment_visible_to,
    completion_report_list,
    progress_report_list,
)
from tracker.selectors.tasks import (
    due_soon_limit,
    local_today,
    task_history_list,
    task_overlay,
    task_visible_to,
)
from tracker.services import lifecycle
from tracker.web.tasks.forms import (
    AcceptForm,
    ActionForm,
    CompletionForm,
    DecisionForm,
    ExtensionForm,
    ProgressForm,
    ReasonForm,
)

# Each action form of the page: the state machine's action it needs, and its form.
FORMS: dict[str, tuple[str, type[ActionForm]]] = {
    "progress": ("progress", ProgressForm),
    "completion": ("report_completion", CompletionForm),
    "extension": ("request_extension", ExtensionForm),
    "accept": ("accept_completion", AcceptForm),
    "return": ("return", ReasonForm),
    "pause": ("pause", ReasonForm),
    "resume": ("resume", ReasonForm),
    "cancel": ("cancel", ReasonForm),
    "decide": ("decide_extension", DecisionForm),
}


DECISIONS = ("accept_completion", "return", "decide_extension")


def task_scope(user: User) -> QuerySet[Task]:
    """The tasks the user may open, with what the page shows of each."""
    return task_visible_to(user).select_related("follow_up_officer", "supervising_leader")


def _offered(allowed: frozenset[str], pending_extension: Any, extension_refused: bool) -> set[str]:
    offered = {form for form, (action, _form_class) in FORMS.items() if action in allowed}
    if pending_extension is not None or extension_refused:
        offered.discard("extension")
    if pending_extension is None:
        offered.discard("decide")
    return offered


def task_page(
    request: AuthenticatedHttpRequest,
    task: Task,
    *,
    bound: dict[str, ActionForm] | None = None,
    conflict: str = "",
    status: int = 200,
) -> TemplateResponse:
    """The page, with the forms it offers; `bound` replaces one by the form the user sent
    (with its errors), `conflict` explains a 409 or 412."""
    user = request.user
    today = local_today()
    extensions = list(task.extension_requests.select_related("author", "decided_by"))
    pending = next((e for e in extensions if e.status == ExtensionRequestStatus.PENDING), None)
    allowed = lifecycle.allowed_actions(user, task, subject=pending)
    # The decisions on one's own report or request, said instead of offered.
    withheld = lifecycle.withheld_actions(user, task, among=DECISIONS, subject=pending)
    refusal = lifecycle.extension_request_refusal(task)
    forms: dict[str, ActionForm] = {}
    for name in _offered(allowed, pending, refusal is not None):
        form_class = FORMS[name][1]
        initial = {"version": task.version, "next": request.path}
        forms[name] = form_class(initial=initial, auto_id=f"{name}-%s")
    forms.update(bound or {})
    context = {
        "task": task,
        "overlay": task_overlay(task, today, due_soon_limit(today)),
        "coordinating": list(task.coordinating_departments.all()),
        "progress_reports": progress_report_list(task=task),
        "completion_reports": completion_report_list(task=task),
        "extensions": extensions,
        "pending_extension": pending,
        "history": history_in_words(task_history_list(task=task)),
        "forms": forms,
        "conflict": conflict,
        "own_report": withheld.get("accept_completion") or withheld.get("return", ""),
        "own_extension": withheld.get("decide_extension", "") if pending is not None else "",
        "extension_refusal": refusal.messages[0]
        if refusal is not None and "request_extension" in allowed and pending is None
        else "",
    }
    return TemplateResponse(request, "tracker/tasks/detail.html", context, status=status)


@page(user_reads_tasks)
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return task_page(request, get_object_or_404(task_scope(request.user), pk=pk))


def task_short_link(request: HttpRequest, pk: int) -> HttpResponse:
    """The link in SMS and e-mails; the task page checks who may see it."""
    return redirect("task", pk=pk)


@page(user_reads_tasks)
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(attachment_visible_to(request.user), pk=pk)
    return stored_file_download(
        attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )
