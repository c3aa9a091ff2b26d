"""Issuing a directive with its tasks (the office): one form for the directive, one keyed
row per task; all saved by directives.services.directive_create in one transaction, or
nothing, with every error beside its field. Rows are added and removed with htmx, or by
sending the form without JavaScript."""

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from config.web.access import AuthenticatedHttpRequest, page
from directives.models import Directive
from directives.services import DirectiveInvalid, directive_check, directive_create
from directives.web.forms import DeadlineFields, DirectiveForm, TaskRowForm, new_row_key, row_keys
from tracker.models import User
from tracker.permissions import user_is_office
from tracker.selectors.calendar import add_working_days

BOTH_GIVEN = _("Give a deadline or a number of working days, not both.")
ROW_PREFIX = re.compile(r"^task-[a-z0-9]{1,16}\Z")


@dataclass(frozen=True)
class DeadlinePreview:
    date: dt.date | None = None
    note: str = ""


def deadline_preview(fields: DeadlineFields | None) -> DeadlinePreview:
    """The deadline a row gives, as it is typed: working days are counted with the
    calendar (what GET /api/v1/calendar/add-working-days/ answers)."""
    if fields is None:
        return DeadlinePreview(note=str(_("No deadline")))
    fields.is_valid()
    typed = fields.cleaned_data
    if any(name in fields.errors for name in ("deadline", "deadline_working_days")):
        return DeadlinePreview(note="—")
    days, deadline = typed.get("deadline_working_days"), typed.get("deadline")
    if days is not None and deadline is not None:
        return DeadlinePreview(note=str(BOTH_GIVEN))
    if days is not None:
        if typed.get("assigned_on") is None:
            return DeadlinePreview(note="—")
        try:
            return DeadlinePreview(date=add_working_days(typed["assigned_on"], days))
        except ValueError:  # the office's adjustments leave no such working day in reach
            return DeadlinePreview(note="—")
    if deadline is not None:
        return DeadlinePreview(date=deadline)
    return DeadlinePreview(note=str(_("No deadline")))


def _with_preview(row: TaskRowForm, preview: DeadlinePreview) -> TaskRowForm:
    row.preview = preview
    return row


def _new_row(user: User, *, focus: bool = False) -> TaskRowForm:
    row = TaskRowForm(key=new_row_key(), user=user)
    if focus:
        # htmx focuses an element with autofocus in what it swaps in: the new row's title.
        row.fields["title"].widget.attrs["autofocus"] = True
    return _with_preview(row, deadline_preview(None))


def _render(
    request: HttpRequest, directive_form: DirectiveForm, rows: list[TaskRowForm], status: int = 200
) -> HttpResponse:
    rows_with_errors = [(n, row) for n, row in enumerate(rows, start=1) if row.errors]
    context = {
        "directive_form": directive_form,
        "rows": rows,
        "rows_with_errors": rows_with_errors,
        "has_errors": bool(directive_form.errors) or bool(rows_with_errors),
    }
    return TemplateResponse(request, "directives/directive_form.html", context, status=status)


def _issue(actor: User, directive_form: DirectiveForm, rows: list[TaskRowForm]) -> Directive | None:
    """Saves the directive when every field parses and the service accepts it; otherwise
    puts every error beside its field: the parsing errors, and the service's rules for the
    rows that parsed (so an error in one row does not hide another row's)."""
    parsed = directive_form.is_valid()
    parsed = all([row.is_valid() for row in rows]) and parsed
    judged = rows if parsed else [row for row in rows if row.is_valid()]
    fields = directive_form.cleaned_data
    try:
        if parsed:
            return directive_create(actor=actor, tasks=[row.task() for row in rows], **fields)
        directive_check(tasks=[row.task() for row in judged], **fields)
    except DirectiveInvalid as exc:
        if exc.directive_errors:
            directive_form.add_service_errors(ValidationError(exc.directive_errors))
        for position, errors in exc.task_errors.items():
            judged[position].add_service_errors(ValidationError(errors))
    except ValidationError as exc:  # the number taken by a directive saved a moment ago
        directive_form.add_service_errors(exc)
    return None


@require_http_methods(["GET", "POST"])
@page(user_is_office)
def directive_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, DirectiveForm(), [_new_row(request.user)])
    directive_form = DirectiveForm(request.POST)
    rows = [TaskRowForm(request.POST, key=key, user=request.user) for key in row_keys(request.POST)]
    for row in rows:
        _with_preview(row, deadline_preview(row))
    if "add_row" in request.POST or "remove_row" in request.POST:
        return _change_rows(request, rows)
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


def _change_rows(request: AuthenticatedHttpRequest, rows: list[TaskRowForm]) -> HttpResponse:
    """Without JavaScript the add and remove buttons send the form: it comes back with the
    row added or removed, as typed, nothing judged and nothing saved."""
    removed = request.POST.get("remove_row")
    kept = [_with_preview(row.unvalidated(), row.preview) for row in rows if row.key != removed]
    if "add_row" in request.POST:
        kept.append(_new_row(request.user))
    typed = {name: request.POST.get(name, "") for name in DirectiveForm.base_fields}
    return _render(request, DirectiveForm(initial=typed), kept)


@require_GET
@page(user_is_office)
def task_row(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new empty task row, appended by htmx."""
    context = {"form": _new_row(request.user, focus=True)}
    return TemplateResponse(request, "directives/_task_row.html", context)


@require_GET
@page(user_is_office)
def deadline_preview_fragment(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The deadline a row gives (d/m/Y), from its `<prefix>-assigned_on`,
    `<prefix>-deadline` and `<prefix>-deadline_working_days`."""
    prefix = request.GET.get("prefix", "")
    fields = DeadlineFields(request.GET, prefix=prefix if ROW_PREFIX.match(prefix) else None)
    context = {"preview": deadline_preview(fields)}
    return TemplateResponse(request, "directives/_deadline_preview.html", context)
