"""The reports as files (`?format=xlsx|csv|docx|pdf`): the view keeps the report it answered with,
the renderer asks it for its table (`export_table()`) and writes it with the office's
heading block and rounding (`tracker/exports/`). JSON and files come from the same report
object, so a file never says anything the JSON does not."""

from collections.abc import Callable, Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from config.api.schema import AutoSchema
from tracker.exports.csv_file import CSV_LOCALES, csv_file
from tracker.exports.docx_file import docx_file
from tracker.exports.heading import ReportHeading, report_heading
from tracker.exports.pdf_file import pdf_file
from tracker.exports.tables import Table
from tracker.exports.xlsx_file import xlsx_file
from tracker.selectors.rates import RateDisplay
from tracker.selectors.report_settings import report_settings_get
from tracker.selectors.tasks import local_today

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MEDIA_TYPE = "application/pdf"


class ExportRenderer(BaseRenderer):
    """Asks the view for its table and writes it as a file."""

    def write(
        self, table: Table, heading: ReportHeading, display: RateDisplay, request: Request
    ) -> bytes:
        raise NotImplementedError

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        context = renderer_context or {}
        table = context["view"].export_table()
        context["response"]["Content-Disposition"] = (
            f'attachment; filename="{table.filename}.{self.format}"'
        )
        settings = report_settings_get()
        heading = report_heading(settings, local_today())
        return self.write(table, heading, RateDisplay.of(settings), context["request"])


class FileRenderer(ExportRenderer):
    """A binary file written by one of tracker/exports' writers."""

    charset = None
    render_style = "binary"
    writer: Callable[[Table, ReportHeading, RateDisplay], bytes]

    def write(
        self, table: Table, heading: ReportHeading, display: RateDisplay, request: Request
    ) -> bytes:
        return type(self).writer(table, heading, display)


class XlsxRenderer(FileRenderer):
    """The spreadsheet, ready to print."""

    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    writer = staticmethod(xlsx_file)


class DocxRenderer(FileRenderer):
    """The report as a document to sign (Decree 30/2020/NĐ-CP's layout)."""

    media_type = DOCX_MEDIA_TYPE
    format = "docx"
    writer = staticmethod(docx_file)


class PdfRenderer(FileRenderer):
    """The same document as the DOCX, its fonts embedded."""

    media_type = PDF_MEDIA_TYPE
    format = "pdf"
    writer = staticmethod(pdf_file)


class CsvRenderer(ExportRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def write(
        self, table: Table, heading: ReportHeading, display: RateDisplay, request: Request
    ) -> bytes:
        # The view has validated `locale` (tracker.api.indicator_queries.PeriodQuery).
        return csv_file(table, CSV_LOCALES[request.query_params.get("locale", "")])


EXPORT_RENDERERS: list[type[ExportRenderer]] = [
    XlsxRenderer,
    CsvRenderer,
    DocxRenderer,
    PdfRenderer,
]


class ExportSchema(AutoSchema):
    """The files are documented on the success response only: errors are always JSON."""

    def map_renderers(self, attribute: str) -> list[str]:
        exports = {getattr(renderer, attribute) for renderer in EXPORT_RENDERERS}
        return [value for value in super().map_renderers(attribute) if value not in exports]


class ExportableView(APIView):
    """JSON, or a file with `?format=xlsx|csv|docx|pdf`; an error (and OPTIONS) is always JSON."""

    # api_settings imports the classes its setting names; the stubs type them as the names.
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, *EXPORT_RENDERERS]  # type: ignore[list-item]
    schema = ExportSchema()

    def export_table(self) -> Table:
        raise NotImplementedError

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        # Only a report is a file: an error, or OPTIONS' description of the view, is JSON.
        is_report = response.status_code < 400 and request.method in ("GET", "HEAD")
        if not is_report and isinstance(
            getattr(request, "accepted_renderer", None), ExportRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
