"""The task rows the office types, shared by the page that issues a directive with its tasks
and the page that adds tasks to an existing directive: one keyed row per task, added and
removed with htmx or by sending the form without JavaScript, each with the deadline it
gives; every row parsed by its form and judged by the directives' service, each error
beside its field. The fragments a row asks for (a new row, its deadline preview) live here."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from config.web.access import AuthenticatedHttpRequest, page
from directives.selectors import default_task_deadline, directive_visible_to
from directives.services import DirectiveInvalid
from directives.web.forms import DeadlineFields, TaskRowForm, new_row_key, row_keys
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


def with_preview(row: TaskRowForm, preview: DeadlinePreview) -> TaskRowForm:
    row.preview = preview
    return row


def new_row(user: User, *, deadline: dt.date | None = None, focus: bool = False) -> TaskRowForm:
    """An empty row; `deadline` pre-fills its deadline (a directive's default)."""
    row = TaskRowForm(key=new_row_key(), user=user)
    if focus:
        # htmx focuses an element with autofocus in what it swaps in: the new row's title.
        row.fields["title"].widget.attrs["autofocus"] = True
    if deadline is None:
        return with_preview(row, deadline_preview(None))
    row.fields["deadline"].initial = deadline
    return with_preview(row, DeadlinePreview(date=deadline))


def posted_rows(request: AuthenticatedHttpRequest) -> list[TaskRowForm]:
    """The rows the form sent, in their order on the page, each with its deadline."""
    rows = [TaskRowForm(request.POST, key=key, user=request.user) for key in row_keys(request.POST)]
    return [with_preview(row, deadline_preview(row)) for row in rows]


def rows_changing(request: AuthenticatedHttpRequest) -> bool:
    """Whether the form was sent by a row's add or remove button (without JavaScript)."""
    return "add_row" in request.POST or "remove_row" in request.POST


def changed_rows(
    request: AuthenticatedHttpRequest, rows: list[TaskRowForm], *, deadline: dt.date | None
) -> list[TaskRowForm]:
    """Without JavaScript the add and remove buttons send the form: it comes back with the
    row added or removed, as typed, nothing judged and nothing saved."""
    removed = request.POST.get("remove_row")
    kept = [with_preview(row.unvalidated(), row.preview) for row in rows if row.key != removed]
    if "add_row" in request.POST:
        kept.append(new_row(request.user, deadline=deadline))
    return kept


def parsed_rows(rows: list[TaskRowForm]) -> tuple[bool, list[TaskRowForm]]:
    """Whether every row parses, and the rows that do: the service judges those, so an
    error in one row does not hide another row's."""
    parsed = [row for row in rows if row.is_valid()]
    return len(parsed) == len(rows), parsed


def add_task_errors(judged: list[TaskRowForm], exc: DirectiveInvalid) -> None:
    """The service's errors of each task beside the fields of its row (by position in
    the list the service judged)."""
    for position, errors in exc.task_errors.items():
        judged[position].add_service_errors(ValidationError(errors))


def rows_context(rows: list[TaskRowForm]) -> dict[str, Any]:
    """What the rows' templates show: the rows, and those with errors (numbered from 1)
    for the summary on top of the page."""
    return {
        "rows": rows,
        "rows_with_errors": [(n, row) for n, row in enumerate(rows, start=1) if row.errors],
    }


@require_GET
@page(user_is_office)
def task_row(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """A new empty task row, appended by htmx; for an existing directive (`pk`), with the
    deadline its tasks start with."""
    deadline = None
    if pk is not None:
        directive = get_object_or_404(
            directive_visible_to(request.user).prefetch_related(None), pk=pk
        )
        deadline = default_task_deadline(directive)
    context = {"form": new_row(request.user, deadline=deadline, focus=True)}
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
