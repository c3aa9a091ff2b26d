"""Breaking an existing directive into tasks (the office): a directive received without
tasks (from the document system) gets them here, with the same rows as the issue page
(directives.web.task_rows); all saved by directives.services.directive_tasks_add in one
transaction, or nothing, with every error beside its field."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from config.web.access import AuthenticatedHttpRequest, page
from directives.models import Directive
from directives.selectors import default_task_deadline, directive_visible_to
from directives.services import DirectiveInvalid, directive_check, directive_tasks_add
from directives.web import task_rows
from directives.web.forms import DirectiveTasksForm, TaskRowForm
from tracker.models import User
from tracker.permissions import user_is_office


def _render(
    request: HttpRequest,
    directive: Directive,
    form: DirectiveTasksForm,
    rows: list[TaskRowForm],
    status: int = 200,
) -> HttpResponse:
    context = {"directive": directive, "form": form, **task_rows.rows_context(rows)}
    context["has_errors"] = bool(form.errors) or bool(context["rows_with_errors"])
    return TemplateResponse(request, "directives/directive_tasks_form.html", context, status=status)


def _add(
    actor: User, directive: Directive, form: DirectiveTasksForm, rows: list[TaskRowForm]
) -> bool:
    """Saves the tasks when every row parses and the service accepts them all; otherwise
    puts every error beside its field: the parsing errors, and the service's rules for the
    rows that parsed."""
    form.is_valid()
    all_parsed, judged = task_rows.parsed_rows(rows)
    try:
        if all_parsed:
            directive_tasks_add(actor=actor, directive=directive, tasks=[r.task() for r in rows])
            return True
        directive_check(tasks=[row.task() for row in judged])
    except DirectiveInvalid as exc:
        if exc.directive_errors:  # no task given: it names no row
            form.add_service_errors(ValidationError(exc.directive_errors))
        task_rows.add_task_errors(judged, exc)
    return False


@require_http_methods(["GET", "POST"])
@page(user_is_office)
def directive_tasks_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    directive = get_object_or_404(directive_visible_to(request.user).prefetch_related(None), pk=pk)
    deadline = default_task_deadline(directive)
    if request.method != "POST":
        rows = [task_rows.new_row(request.user, deadline=deadline)]
        return _render(request, directive, DirectiveTasksForm(), rows)
    form = DirectiveTasksForm(request.POST)
    rows = task_rows.posted_rows(request)
    if task_rows.rows_changing(request):
        rows = task_rows.changed_rows(request, rows, deadline=deadline)
        return _render(request, directive, form, rows)
    if not _add(request.user, directive, form, rows):
        return _render(request, directive, form, rows, status=400)
    count = len(rows)
    messages.success(
        request,
        ngettext(
            "%(count)d task was added to directive %(number)s.",
            "%(count)d tasks were added to directive %(number)s.",
            count,
        )
        % {"number": directive.number, "count": count},
    )
    return redirect("directive", pk=directive.pk)
