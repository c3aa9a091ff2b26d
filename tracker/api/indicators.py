"""The compliance indicators and the leadership score (API.md "Indicators", "Leadership
score"), as JSON, as a spreadsheet (`?format=xlsx|csv`) or as a document to sign
(`?format=docx|pdf`)."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from config.common.users import signed_in_user
from tracker.api.exports import (
    DOCX_MEDIA_TYPE,
    PDF_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    ExportableView,
)
from tracker.api.indicator_outputs import (
    IndicatorReportOutput,
    ScoreReportOutput,
    indicator_data,
    score_data,
)
from tracker.api.indicator_queries import IndicatorQuery, LeadershipScoreQuery, PeriodQuery
from tracker.exports.tables import Table, indicator_table, score_table
from tracker.permissions import TaskReaders
from tracker.selectors.indicator_access import indicator_departments
from tracker.selectors.indicators import IndicatorReport, indicator_report
from tracker.selectors.scoring import ScoreReport, leadership_score
from tracker.selectors.tasks import local_today

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "xlsx", "csv", "docx", "pdf"],
    description=(
        "`xlsx` or `csv` for a spreadsheet. XLSX: a title row, a header row, one row per "
        "department, rates as percentages. CSV: a header row, one row per department, "
        "rates as fractions (see `locale`); the period in the file's name. `docx` or `pdf` "
        "for the report as a document to sign (Decree 30/2020/NĐ-CP): the office's "
        "heading block (its report settings), the title and period, the table (A4 "
        "landscape, one page wide, its header row on every page, rates in percent as the "
        "office rounds them), the recipients and the signature blocks. Errors are JSON "
        "whatever the format."
    ),
)


def _responses(output: type) -> dict:
    return {
        (200, "application/json"): output,
        (200, XLSX_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="?format=xlsx"),
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR, description="?format=csv (UTF-8 with BOM)"
        ),
        (200, DOCX_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="?format=docx"),
        (200, PDF_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="?format=pdf"),
    }


class ReportView(ExportableView):
    permission_classes = [TaskReaders]
    extra_error_codes = {"GET": ["404"]}  # an unknown `format`

    def _query(self, request: Request, serializer_class: type[PeriodQuery]) -> dict[str, Any]:
        today = local_today()
        query = serializer_class(data=request.query_params, context={"today": today})
        query.is_valid(raise_exception=True)
        return {**query.validated_data, "today": today}


@extend_schema(tags=["indicators"])
class IndicatorsView(ReportView):
    """Each department's compliance indicators over a period, as of a date (DOMAIN.md,
    "Compliance indicators"), every department listed by code; a department member reads
    its own row only. A closed period answers with its published figures (`frozen`)."""

    report: IndicatorReport

    @extend_schema(
        parameters=[IndicatorQuery, FORMAT_PARAMETER], responses=_responses(IndicatorReportOutput)
    )
    def get(self, request: Request) -> Response:
        query = self._query(request, IndicatorQuery)
        report = indicator_report(
            date_from=query["from"],
            date_to=query["to"],
            as_of=query.get("as_of"),
            today=query["today"],
            departments=indicator_departments(signed_in_user(request), query.get("department")),
        )
        self.report = report
        return Response(indicator_data(report))

    def export_table(self) -> Table:
        return indicator_table(self.report)


@extend_schema(tags=["indicators"])
class LeadershipScoreView(ReportView):
    """One scoring rule (by code; its version of `year`, by default the year of `to`)
    applied to each department's indicators. Points are null where not applicable."""

    report: ScoreReport

    @extend_schema(
        parameters=[LeadershipScoreQuery, FORMAT_PARAMETER], responses=_responses(ScoreReportOutput)
    )
    def get(self, request: Request) -> Response:
        query = self._query(request, LeadershipScoreQuery)
        report = leadership_score(
            rule=query["scoring_rule"],
            date_from=query["from"],
            date_to=query["to"],
            as_of=query.get("as_of"),
            today=query["today"],
            departments=indicator_departments(signed_in_user(request), query.get("department")),
        )
        self.report = report
        return Response(score_data(report))

    def export_table(self) -> Table:
        return score_table(self.report)
