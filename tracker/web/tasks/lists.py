"""The task list: "my tasks" for a department (what it leads or coordinates), every task for
the office, leaders and the Department of Home Affairs; filtered by the API's own TaskFilter
(the same parameters: status, lead_department, directive, overdue, due_soon, no_deadline, q,
and the indicators' drill-down), sorted by the deadline in force."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, QuerySet, Value, When
from django.http import HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from config.web.access import AuthenticatedHttpRequest, page
from config.web.forms import FastSelect, errors_by_label
from tracker.api.filters import TaskFilter
from tracker.exports.tables import INDICATOR_HEADERS
from tracker.models import OPEN_STATUSES, Department, Task, TaskStatus, User
from tracker.permissions import user_reads_tasks
from tracker.selectors.tasks import (
    DUE_SOON,
    NO_DEADLINE,
    OVERDUE,
    SEARCH_RANK,
    directive_choices,
    due_soon_limit,
    local_today,
    task_overlay,
    task_visible_to,
)
from tracker.web.tasks.forms import ALL, TaskFilterForm

PAGE_SIZE = 50
DIRECTIVE_CHOICES = 500  # the most recent; a directive's own page links to its tasks
DRILL_DOWN = ("indicator", "from", "to", "as_of")
# Parameters the filter bar has no field for, kept as they came (from the dashboard's and
# the overdue board's links) when the bar changes.
KEPT = (*DRILL_DOWN, "department", "deadline_from", "deadline_to")


@dataclass(frozen=True)
class Row:
    task: Task
    overlay: str | None
    coordinating: bool  # the viewer's department coordinates (does not lead) it


def _filter_data(query: QueryDict) -> QueryDict:
    """The page's choices as the API's filters: `when` as its boolean overlays; no state
    chosen lists the open tasks (the day's work), `all` every state. The indicators'
    drill-down lists exactly its count's tasks, whatever their state."""
    data = query.copy()
    when = data.pop("when", [""])[-1]
    if when in (OVERDUE, DUE_SOON, NO_DEADLINE):
        data[when] = "true"
    status = data.get("status", "")
    if status == ALL:
        data.pop("status")
    elif not status and not data.get("indicator") and "open" not in data:
        data["open"] = "true"
    return data


def _when(query: QueryDict) -> str:
    for overlay in (OVERDUE, DUE_SOON, NO_DEADLINE):
        if query.get(overlay) == "true":
            return overlay
    return query.get("when", "")


def _directive_choices(user: User) -> list[tuple[str, str]]:
    return [
        (str(pk), f"{number} – {title[:80]}")
        for pk, number, title in directive_choices(user, DIRECTIVE_CHOICES)
    ]


def _selected_directive(user: User, value: str) -> list[tuple[str, str]]:
    """The directive the list is filtered by, if the user may see it: the only choice the
    page itself carries (the others come from `directive_options`)."""
    if not value.isdigit():
        return []
    found = directive_choices(user, 1, pk=int(value))
    return [(str(pk), f"{number} – {title[:80]}") for pk, number, title in found]


def _department_choices(user: User) -> list[tuple[str, str]] | None:
    if user.is_department_member:
        return None
    departments = Department.objects.order_by("code").values_list("code", "name")
    return [(code, f"{code} – {name}") for code, name in departments]


def _rows(tasks: Page, user: User, today: date) -> list[Row]:
    until = due_soon_limit(today)
    mine = user.department_id if user.is_department_member else None
    return [
        Row(
            task=task,
            overlay=task_overlay(task, today, until),
            coordinating=mine is not None and task.lead_department_id != mine,
        )
        for task in tasks
    ]


# Every state listed: the day's work first, open tasks, then paused ones, then closed ones.
WORK_ORDER = Case(
    When(status__in=OPEN_STATUSES, then=Value(0)),
    When(status=TaskStatus.PAUSED, then=Value(1)),
    default=Value(2),
)


def _ordered(tasks: QuerySet[Task], every_state: bool) -> QuerySet[Task]:
    """A search's best matches first (TaskFilter's rank); then by the deadline in force, the
    nearest first, tasks without one last; when every state is listed, the open tasks
    first, then the paused, then the closed ones."""
    ranked = (SEARCH_RANK,) if SEARCH_RANK in tasks.query.annotations else ()
    by_deadline = (F("effective_deadline").asc(nulls_last=True), "pk")
    by_state = (WORK_ORDER,) if every_state else ()
    return tasks.order_by(*ranked, *by_state, *by_deadline)


@page(user_reads_tasks)
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    # The list shows no coordinating departments: no need to load them.
    visible = task_visible_to(user).prefetch_related(None)
    filterset = TaskFilter(_filter_data(request.GET), queryset=visible, request=request)
    valid = filterset.is_valid()
    every_state = request.GET.get("status") == ALL or bool(request.GET.get("indicator"))
    tasks = _ordered(filterset.qs, every_state) if valid else Task.objects.none()
    paginator = Paginator(tasks, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    today = local_today()
    form = TaskFilterForm(
        {**request.GET.dict(), "when": _when(request.GET)},
        directives=_selected_directive(user, request.GET.get("directive", "")),
        directive_options_url=reverse("task-directive-options"),
        departments=_department_choices(user),
    )
    form.is_valid()  # before the page is drawn: each error beside its field
    drill_down = {name: request.GET.get(name, "") for name in DRILL_DOWN}
    context: dict[str, Any] = {
        "form": form,
        "errors": errors_by_label(filterset.errors, form) if not valid else {},
        "page_obj": page_obj,
        "rows": _rows(page_obj, user, today),
        "today": today,
        "drill_down": drill_down if drill_down["indicator"] else None,
        "indicator_label": INDICATOR_HEADERS.get(drill_down["indicator"], ""),
        "kept": _kept(request.GET, form),
        "department_view": user.is_department_member,
    }
    template = "tracker/tasks/list.html"
    if request.htmx and request.htmx.target == "task-results":
        template = "tracker/tasks/_results.html"
    return TemplateResponse(request, template, context, status=200 if valid else 400)


@page(user_reads_tasks)
def directive_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The directive filter's options (htmx, when the list is shown): the user's most recent
    directives, the current one selected."""
    choices = [("", _("Any directive")), *_directive_choices(request.user)]
    return HttpResponse(FastSelect(choices=choices).options_html(request.GET.get("directive")))


def _kept(query: QueryDict, form: TaskFilterForm) -> list[tuple[str, str]]:
    names = KEPT if "lead_department" in form.fields else (*KEPT, "lead_department")
    return [(name, value) for name in names if (value := query.get(name))]
