"""The office's import page: a CSV or XLSX file through directives.imports.import_tasks
(the code path of POST /api/v1/tasks/import/ and `manage.py import_tasks`), every error of
a refused file listed by row and column; and the two sample files to start from."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from config.web.access import AuthenticatedHttpRequest, page
from directives.imports import COLUMNS, MAX_ROWS, OPTIONAL_COLUMNS, ImportRejected, import_tasks
from directives.imports.uploads import capped_upload_handlers
from directives.models import DirectiveKind
from directives.web.forms import ImportForm
from directives.web.pages import wants_fragment
from tracker.models import TaskStatus
from tracker.permissions import user_is_office

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_SUFFIXES = (".csv", ".xlsx")

COLUMN_HELP = {
    "directive_number": gettext_lazy("The directive's number and symbol, e.g. 125/TB-UBND."),
    "directive_kind": gettext_lazy("The directive's kind: a code or a label listed below."),
    "directive_issued_on": gettext_lazy("The directive's issue date."),
    "directive_signer": gettext_lazy("Who signed the directive."),
    "directive_title": gettext_lazy("The directive's title."),
    "task_title": gettext_lazy("The task's title."),
    "task_content": gettext_lazy("What the task asks for."),
    "lead_department_code": gettext_lazy("The lead department's code, e.g. SYT."),
    "coordinating_department_codes": gettext_lazy(
        "The coordinating departments' codes, separated by “;”."
    ),
    "assigned_on": gettext_lazy("The assigned date."),
    "deadline": gettext_lazy("The deadline; empty: a task without a deadline."),
    "status": gettext_lazy("The task's state: a code or a label listed below; empty: assigned."),
    "completed_on": gettext_lazy(
        "The completion date: required for the states completed and awaiting acceptance."
    ),
}


def _samples() -> dict[str, Path]:
    return {
        path.name: path
        for path in sorted(SAMPLES.iterdir())
        if path.is_file() and path.suffix in SAMPLE_SUFFIXES
    }


def _page_context() -> dict[str, object]:
    return {
        "columns": [(name, COLUMN_HELP[name], name not in OPTIONAL_COLUMNS) for name in COLUMNS],
        "kinds": DirectiveKind.choices,
        "states": TaskStatus.choices,
        "samples": list(_samples()),
        "max_rows": MAX_ROWS,
        "max_bytes": settings.IMPORT_MAX_BYTES,
    }


@csrf_exempt
@require_http_methods(["GET", "POST"])
@page(user_is_office)
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    # The capped handlers must be in place before anything reads the body, and the CSRF
    # check reads it: so CSRF is checked after, on the inner view (Django's documented way
    # of changing upload handlers in a view).
    request.upload_handlers = capped_upload_handlers(request)
    return _import(request)


@csrf_protect
def _import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        context = {**_page_context(), "form": ImportForm()}
        return TemplateResponse(request, "directives/import.html", context)
    form = ImportForm(request.POST, request.FILES)
    result, errors = None, []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_tasks(file=upload, filename=upload.name, actor=request.user)
        except ImportRejected as exc:
            errors = exc.errors
    if result is not None and not wants_fragment(request):
        messages.success(
            request,
            _(
                "The file was imported. Tasks created: %(tasks)d; "
                "directives created: %(directives)d."
            )
            % {"tasks": result.created, "directives": result.directives_created},
        )
        return redirect("directives")
    status = 200 if result is not None else 400
    context = {"form": form, "result": result, "errors": errors}
    if wants_fragment(request):
        return TemplateResponse(request, "directives/_import_result.html", context, status=status)
    context.update(_page_context())
    return TemplateResponse(request, "directives/import.html", context, status=status)


@require_GET
@page(user_is_office)
def import_sample(request: AuthenticatedHttpRequest, name: str) -> FileResponse:
    path = _samples().get(name)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
