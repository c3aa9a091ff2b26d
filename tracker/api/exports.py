"""Spreadsheet exports of the indicators and the leadership score (`?format=xlsx`,
`?format=csv`), each built from the JSON answer itself, so a file never says anything the
JSON does not. The XLSX has a title row, a header row, one row per department. The CSV is a
plain table (one header row, one row per department; the period, the as-of date and a
closed period's mark in the file's name), its numbers machine-readable: rates as fractions
with a decimal point and comma-separated, or with `?locale=vi` a decimal comma and
semicolon-separated, as a spreadsheet under a Vietnamese locale reads them."""

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from config.api.schema import AutoSchema
from tracker.models import BUCKET_COUNTS

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT, COUNT, RATE, POINTS = "text", "count", "rate", "points"

INDICATOR_HEADERS: dict[str, Promise] = {
    "code": gettext_lazy("Department code"),
    "name": gettext_lazy("Department name"),
    "assigned": gettext_lazy("Tasks assigned"),
    "completed_on_time": gettext_lazy("Completed on time"),
    "completed_early": gettext_lazy("Of which: before the deadline"),
    "completed_late": gettext_lazy("Completed late"),
    "completed_no_deadline": gettext_lazy("Completed (no deadline)"),
    "open_within_deadline": gettext_lazy("Not completed, within the deadline"),
    "open_overdue": gettext_lazy("Not completed, overdue"),
    "open_no_deadline": gettext_lazy("Not completed (no deadline)"),
    "paused": gettext_lazy("Paused"),
    "completion_rate": gettext_lazy("Completion rate"),
    "on_time_rate": gettext_lazy("On-time rate"),
    "assigned_on_time_rate": gettext_lazy("On-time rate over all tasks assigned"),
}
RATE_NAMES = ("completion_rate", "on_time_rate", "assigned_on_time_rate")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    filename: str  # without extension


def _filename(*parts: str) -> str:
    """ASCII only: a header value cannot carry anything else reliably."""
    return "_".join(re.sub(r"[^A-Za-z0-9.-]+", "-", part) for part in parts)


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _dates(data: dict[str, Any]) -> dict[str, str]:
    return {"from": _day(data["from"]), "to": _day(data["to"]), "as_of": _day(data["as_of"])}


def _with_frozen(title: str, data: dict[str, Any]) -> str:
    return f"{title} {_('(closed period: published figures)')}" if data["frozen"] else title


def _report_filename(data: dict[str, Any], *parts: str) -> str:
    """The file's name: what it is, the period, the as-of date, and `da-chot` for a closed
    period's published figures (the CSV has no title to say so)."""
    closed = ("da-chot",) if data["frozen"] else ()
    return _filename(*parts, data["from"], data["to"], data["as_of"], *closed)


def _counts_row(row: dict[str, Any]) -> list[Any]:
    return [row[name] for name in (*BUCKET_COUNTS, *RATE_NAMES)]


def indicator_table(data: dict[str, Any]) -> Table:
    title = _("Task indicators from %(from)s to %(to)s, as of %(as_of)s") % _dates(data)
    kinds = [TEXT, TEXT] + [COUNT] * len(BUCKET_COUNTS) + [RATE] * len(RATE_NAMES)
    columns = [
        Column(str(header), kind)
        for header, kind in zip(INDICATOR_HEADERS.values(), kinds, strict=True)
    ]
    rows = [
        [row["department"]["code"], row["department"]["name"], *_counts_row(row)]
        for row in data["departments"]
    ]
    rows.append(["", _("Total"), *_counts_row(data["total"])])
    filename = _report_filename(data, "chi-tieu")
    return Table(_with_frozen(title, data), columns, rows, filename)


def score_table(data: dict[str, Any]) -> Table:
    rule = data["rule"]
    title = _(
        "Leadership score “%(rule)s” (%(code)s, %(year)s) from %(from)s to %(to)s, as of %(as_of)s"
    ) % {"rule": rule["name"], "code": rule["code"], "year": rule["year"], **_dates(data)}
    columns = [
        Column(str(INDICATOR_HEADERS["code"]), TEXT),
        Column(str(INDICATOR_HEADERS["name"]), TEXT),
        Column(str(INDICATOR_HEADERS[rule["metric"]]), RATE),
        Column(_("Points (out of %(max)s)") % {"max": rule["max_points"]}, POINTS),
    ]
    not_applicable = _("not applicable")
    rows = [
        [
            row["department"]["code"],
            row["department"]["name"],
            row["metric_value"],
            row["points"] if row["applicable"] else not_applicable,
        ]
        for row in data["departments"]
    ]
    filename = _report_filename(data, "diem", rule["code"])
    return Table(_with_frozen(title, data), columns, rows, filename)


# --- the files -------------------------------------------------------------------------------


def _xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", table.title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([column.header for column in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for values in table.rows:
        sheet.append([None] * len(values))
        for cell, column, value in zip(sheet[sheet.max_row], table.columns, values, strict=True):
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # text, even when it starts with "=" (never a formula)
            else:
                cell.value = value
                if column.kind == RATE:
                    cell.number_format = "0.00%"
    sheet.column_dimensions["B"].width = 40
    sheet.freeze_panes = "C3"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@dataclass(frozen=True)
class CsvLocale:
    """How numbers are written: a spreadsheet reads "0.75" as a number only where the
    decimal mark is a point, and "0,75" only where it is a comma (Vietnamese)."""

    delimiter: str
    decimal: str


CSV_LOCALES = {"": CsvLocale(",", "."), "vi": CsvLocale(";", ",")}
RATE_PLACES = Decimal("0.0001")  # as in the JSON (API.md: 4 decimals at least)


def _csv_text(value: Any, kind: str, locale: CsvLocale) -> str:
    if value is None:
        return ""
    if kind == RATE:
        return str(Decimal(str(value)).quantize(RATE_PLACES)).replace(".", locale.decimal)
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{text}"  # a spreadsheet would run it as a formula
    if isinstance(value, Decimal | float):
        return text.replace(".", locale.decimal)
    return text


def _csv(table: Table, locale: CsvLocale) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=locale.delimiter)
    writer.writerow([c.header for c in table.columns])
    for values in table.rows:
        writer.writerow(
            [
                _csv_text(value, c.kind, locale)
                for value, c in zip(values, table.columns, strict=True)
            ]
        )
    return ("\ufeff" + output.getvalue()).encode("utf-8")  # the BOM: Excel then reads UTF-8


class ExportRenderer(BaseRenderer):
    """Asks the view for its table (`export_table(data)`) and writes it as a file."""

    def write(self, table: Table, request: Request) -> bytes:
        raise NotImplementedError

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        context = renderer_context or {}
        table = context["view"].export_table(data)
        context["response"]["Content-Disposition"] = (
            f'attachment; filename="{table.filename}.{self.format}"'
        )
        return self.write(table, context["request"])


class XlsxRenderer(ExportRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def write(self, table: Table, request: Request) -> bytes:
        return _xlsx(table)


class CsvRenderer(ExportRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def write(self, table: Table, request: Request) -> bytes:
        # The view has validated `locale` (tracker.api.indicator_queries.PeriodQuery).
        return _csv(table, CSV_LOCALES[request.query_params.get("locale", "")])


class ExportSchema(AutoSchema):
    """The files are documented on the success response only: errors are always JSON."""

    def map_renderers(self, attribute: str) -> list[str]:
        exports = {getattr(renderer, attribute) for renderer in (XlsxRenderer, CsvRenderer)}
        return [value for value in super().map_renderers(attribute) if value not in exports]


class ExportableView(APIView):
    """JSON, or a file with `?format=xlsx|csv`; an error (and OPTIONS) is always JSON."""

    # api_settings imports the classes its setting names; the stubs type them as the names.
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, XlsxRenderer, CsvRenderer]  # type: ignore[list-item]
    schema = ExportSchema()

    def export_table(self, data: dict[str, Any]) -> Table:
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
