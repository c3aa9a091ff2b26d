"""The directive list and a directive's page: what the caller may see (the selectors'
scope), filtered, with each directive's progress in words; a received directive's origin
and its files, downloaded under the same scope."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from config.common.downloads import stored_file_download
from config.common.errors import TransitionNotAllowed
from config.common.text import StrOrPromise
from config.web.access import AuthenticatedHttpRequest, page
from config.web.forms import errors_by_label
from directives.edxml.reporting import directive_status_report
from directives.edxml.status import directive_has_status_package
from directives.models import Directive, HigherBody
from directives.selectors import (
    directive_file_visible_to,
    directive_list,
    directive_progress,
    directive_task_list,
    directive_visible_to,
    directive_years,
)
from directives.web.forms import DirectiveFilterForm
from tracker.models import TaskStatus
from tracker.permissions import user_is_office, user_reads_tasks
from tracker.selectors.tasks import local_today

PAGE_SIZE = 50


@dataclass(frozen=True)
class ProgressInWords:
    completed: int
    total: int
    finished: bool
    # (state code, its label, count) for the states that have tasks, in lifecycle order.
    states: list[tuple[str, StrOrPromise, int]] = field(default_factory=list)


def progress_in_words(directive: Directive) -> ProgressInWords:
    progress = directive_progress(directive)
    counts = progress["by_status"]
    return ProgressInWords(
        completed=counts[TaskStatus.COMPLETED],
        total=progress["total"],
        finished=progress["completed"],
        states=[(code, TaskStatus(code).label, n) for code, n in counts.items() if n],
    )


def has_origin(directive: Directive) -> bool:
    """Whether the directive says where it came from: received by edXML, or marked by the
    office as a higher body's."""
    return bool(
        directive.issuing_body
        or directive.external_id
        or directive.default_deadline
        or directive.higher_body != HigherBody.NONE
        or directive.higher_body_name
        or directive.higher_number
        or directive.higher_deadline
    )


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request swaps a part of the page; its history restore needs the whole page."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


@page(user_reads_tasks)
def directive_list_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = DirectiveFilterForm(request.GET, years=directive_years(request.user))
    chosen = filters.filters()
    directives = directive_list(request.user, **chosen)
    page_obj = Paginator(directives, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "filters": filters,
        # A value that does not parse is ignored, and said above the results (htmx
        # replaces only them, not the message beside the field).
        "errors": errors_by_label(filters.errors, filters),
        "filtered": any(value not in ("", None) for value in chosen.values()),
        "page_obj": page_obj,
        "rows": [(directive, progress_in_words(directive)) for directive in page_obj],
        "can_issue": user_is_office(request.user),
    }
    if wants_fragment(request):
        response = TemplateResponse(
            request, "directives/_directive_results.html", {**context, "oob": True}
        )
    else:
        response = TemplateResponse(request, "directives/directive_list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@page(user_reads_tasks)
def directive_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    directive = get_object_or_404(directive_visible_to(request.user).prefetch_related(None), pk=pk)
    tasks = directive_task_list(user=request.user, directive=directive, today=local_today())
    # A page of them: a directive may hold a province's 200,000 imported tasks.
    page_obj = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    files = list(directive.files.all())
    context = {
        "directive": directive,
        "files": files,
        "received": bool(files) or has_origin(directive),
        "page_obj": page_obj,
        "tasks": page_obj.object_list,
        "progress": progress_in_words(directive),
        "can_add_tasks": user_is_office(request.user),
        "can_report_status": user_is_office(request.user)
        and directive_has_status_package(directive),
    }
    return TemplateResponse(request, "directives/directive_detail.html", context)


@page(user_reads_tasks)
def directive_file_download(
    request: AuthenticatedHttpRequest, pk: int, file_id: int
) -> FileResponse:
    found = get_object_or_404(directive_file_visible_to(request.user, pk), pk=file_id)
    return stored_file_download(found.file, name=found.name, content_type=found.content_type)


@require_POST
@page(user_is_office)
def directive_status_report_page(
    request: AuthenticatedHttpRequest, pk: int
) -> HttpResponseRedirect:
    """The office reports a received directive's status to its sender now, as
    POST /api/v1/directives/{id}/edxml-status/ does (the same service)."""
    directive = get_object_or_404(directive_visible_to(request.user).prefetch_related(None), pk=pk)
    try:
        directive_status_report(directive)
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("The status of %(number)s is being sent to %(sender)s.")
            % {"number": directive.number, "sender": directive.higher_body_name or "—"},
        )
    return redirect("directive", pk=directive.pk)
