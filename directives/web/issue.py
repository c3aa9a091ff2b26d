"""Issuing a directive with its tasks (the office): one form for the directive, one keyed
row per task (directives.web.task_rows); all saved by directives.services.directive_create
in one transaction, or nothing, with every error beside its field."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from config.web.access import AuthenticatedHttpRequest, page
from directives.models import Directive
from directives.services import DirectiveInvalid, directive_check, directive_create
from directives.web import task_rows
from directives.web.forms import DirectiveForm, TaskRowForm
from tracker.models import User
from tracker.permissions import user_is_office


def _render(
    request: HttpRequest, directive_form: DirectiveForm, rows: list[TaskRowForm], status: int = 200
) -> HttpResponse:
    context = {"directive_form": directive_form, **task_rows.rows_context(rows)}
    context["has_errors"] = bool(directive_form.errors) or bool(context["rows_with_errors"])
    return TemplateResponse(request, "directives/directive_form.html", context, status=status)


def _issue(actor: User, directive_form: DirectiveForm, rows: list[TaskRowForm]) -> Directive | None:
    """Saves the directive when every field parses and the service accepts it; otherwise
    puts every error beside its field: the parsing errors, and the service's rules for the
    rows that parsed."""
    form_parsed = directive_form.is_valid()
    rows_parsed, judged = task_rows.parsed_rows(rows)
    fields = directive_form.cleaned_data
    try:
        if form_parsed and rows_parsed:
            return directive_create(actor=actor, tasks=[row.task() for row in rows], **fields)
        directive_check(tasks=[row.task() for row in judged], **fields)
    except DirectiveInvalid as exc:
        if exc.directive_errors:
            directive_form.add_service_errors(ValidationError(exc.directive_errors))
        task_rows.add_task_errors(judged, exc)
    except ValidationError as exc:  # the number taken by a directive saved a moment ago
        directive_form.add_service_errors(exc)
    return None


@require_http_methods(["GET", "POST"])
@page(user_is_office)
def directive_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, DirectiveForm(), [task_rows.new_row(request.user)])
    directive_form = DirectiveForm(request.POST)
    rows = task_rows.posted_rows(request)
    if task_rows.rows_changing(request):
        typed = {name: request.POST.get(name, "") for name in DirectiveForm.base_fields}
        kept = task_rows.changed_rows(request, rows, deadline=None)
        return _render(request, DirectiveForm(initial=typed), kept)
    directive = _issue(request.user, directive_form, rows)
    if directive is None:
        return _render(request, directive_form, rows, status=400)
    count = len(rows)
    messages.success(
        request,
        ngettext(
            "Directive %(number)s was issued with %(count)d task.",
            "Directive %(number)s was issued with %(count)d tasks.",
            count,
        )
        % {"number": directive.number, "count": count},
    )
    return redirect("directive", pk=directive.pk)
