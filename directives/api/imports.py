"""`POST /api/v1/tasks/import/`: the office imports tasks from a CSV or XLSX file, all rows or
none (directives.imports holds the rules; `manage.py import_tasks` runs the same code)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.common.users import signed_in_user
from directives.imports import ImportError_, ImportRejected, import_tasks
from directives.imports.uploads import capped_upload_handlers
from tracker.permissions import IsOffice


class TaskImportInput(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,  # an empty file gets the import's own error
        help_text=_(
            "A CSV (UTF-8, comma or semicolon separated) or XLSX file with the columns of the "
            "import (first row: the column names)."
        ),
    )


class TaskImportOutput(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("Tasks created."))
    directives_created = serializers.IntegerField(
        help_text=_("Directives created (the others were matched by number and issue year).")
    )


class ImportErrorOutput(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        help_text=_("Row of the file (the header is row 1); null: the whole file."),
    )
    column = serializers.CharField(
        allow_null=True, help_text=_("Column name; null: the whole row or file.")
    )
    message = serializers.CharField()


class ImportErrorsOutput(serializers.Serializer):
    # DRF's metaclass takes declared fields out of the class: this never hides .errors.
    errors = ImportErrorOutput(many=True)  # type: ignore[assignment]


def _rejected(errors: list[ImportError_]) -> Response:
    return Response({"errors": [e.as_dict() for e in errors]}, status=status.HTTP_400_BAD_REQUEST)


class TaskImportView(APIView):
    """Imports tasks (and the directives they belong to) from a CSV or XLSX file: every row
    or none. Columns: `directive_number, directive_kind, directive_issued_on,
    directive_signer, directive_title, task_title, task_content, lead_department_code,
    coordinating_department_codes` (separated by `;`), `assigned_on, deadline` (empty: no
    deadline), `status` (a task state; empty: `assigned`), `completed_on` (required for
    `completed` and `awaiting_acceptance`). Dates as YYYY-MM-DD or DD/MM/YYYY. Directives
    are matched by number + issue year and created when missing. A task already in the
    database (same directive, title and lead department) is an error, so a file imported
    twice adds nothing. Up to 50 MB and 200,000 rows."""

    permission_classes = [IsOffice]
    parser_classes = [MultiPartParser, FormParser]
    extra_error_codes = {"POST": ["415"]}

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # Before anything reads the body (authentication may): an oversized upload is only
        # counted, not stored.
        request.upload_handlers = capped_upload_handlers(request)
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        tags=["tasks"],
        operation_id="tasks_import",
        request={"multipart/form-data": TaskImportInput},
        responses={
            201: TaskImportOutput,
            400: OpenApiResponse(
                ImportErrorsOutput,
                description="Nothing was imported: every problem of the file, by row and "
                "column (a missing `file` is named as its column).",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        try:
            serializer = TaskImportInput(data=request.data)
        except ParseError as exc:
            return _rejected([ImportError_(None, "file", str(exc.detail))])
        if not serializer.is_valid():
            return _rejected(
                [
                    ImportError_(None, field, str(message))
                    for field, messages in serializer.errors.items()
                    for message in messages
                ]
            )
        upload = serializer.validated_data["file"]
        try:
            result = import_tasks(file=upload, filename=upload.name, actor=signed_in_user(request))
        except ImportRejected as exc:
            return _rejected(exc.errors)
        return Response(
            TaskImportOutput(result).data,
            status=status.HTTP_201_CREATED,
        )
