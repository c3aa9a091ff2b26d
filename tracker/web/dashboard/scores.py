"""The leadership score of the dashboard: one column group per scoring rule of the year,
each built from what `GET /api/v1/leadership-score/` answers for that rule (`score_data`),
and each department's total over the rules that apply to it."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.api.exports import INDICATOR_HEADERS
from tracker.api.indicator_outputs import number, score_data
from tracker.selectors.scoring import ScoreReport, ScoreTotal, score_totals
from tracker.web.dashboard.tables import NO_VALUE, percent


def points_text(points: int | float | Decimal) -> str:
    return number_format(Decimal(str(points)))


def band_text(band: dict[str, Any]) -> str:
    """A band in words, "≥ 90 % → 8 points": the threshold without trailing zeros."""
    rate = Decimal(str(band["min_rate"])) * 100
    rate = rate.quantize(Decimal(1)) if rate == rate.to_integral_value() else rate.normalize()
    sign = ">" if band.get("strict") else "≥"
    points = Decimal(str(band["points"]))
    text = ngettext(
        "%(threshold)s → %(points)s point",
        "%(threshold)s → %(points)s points",
        1 if points == 1 else 2,
    )
    # No-break spaces: "≥ 90 %" never splits over two lines.
    threshold = f"{sign}\u00a0{number_format(rate)}\u00a0%"
    return text % {"threshold": threshold, "points": points_text(points)}


@dataclass(frozen=True)
class RuleColumn:
    code: str
    name: str
    metric: str  # the metric's label, as the spreadsheet's header
    max_points: str
    bands: list[str]
    no_tasks: str  # what a department without a judged task gets
    xlsx_url: str
    csv_url: str


@dataclass(frozen=True)
class ScoreCell:
    rule: str
    value: str  # the metric's rate
    points: str
    applicable: bool


@dataclass(frozen=True)
class ScoreLine:
    code: str
    name: str
    cells: list[ScoreCell]
    total: str
    total_applicable: bool


@dataclass(frozen=True)
class ScoreTable:
    rules: list[RuleColumn]
    lines: list[ScoreLine]


def _export_url(code: str, dates: dict[str, str], file_format: str) -> str:
    query = {"rule": code, **dates, "format": file_format}
    return f"{reverse('leadership-score')}?{urlencode(query)}"


def _rule(data: dict[str, Any], report: ScoreReport) -> RuleColumn:
    rule = data["rule"]
    dates = {"from": data["from"], "to": data["to"], "as_of": data["as_of"]}
    return RuleColumn(
        code=rule["code"],
        name=rule["name"],
        metric=str(INDICATOR_HEADERS[rule["metric"]]),
        max_points=points_text(rule["max_points"]),
        bands=[band_text(band) for band in report.rule.bands],
        no_tasks=str(report.rule.get_when_no_tasks_display()),
        xlsx_url=_export_url(rule["code"], dates, "xlsx"),
        csv_url=_export_url(rule["code"], dates, "csv"),
    )


def _total_text(total: ScoreTotal | None) -> str:
    if total is None or not total.applicable:
        return NO_VALUE
    return _("%(points)s of %(max)s") % {
        "points": points_text(number(total.points) or 0),
        "max": points_text(number(total.max_points) or 0),
    }


def score_table(reports: list[ScoreReport]) -> ScoreTable:
    """Every rule's answer, departments in the API's order (by code)."""
    answers = [score_data(report) for report in reports]
    totals = score_totals(reports)
    rules = [_rule(data, report) for data, report in zip(answers, reports, strict=True)]
    lines = []
    departments = answers[0]["departments"] if answers else []
    for position, row in enumerate(departments):
        cells = []
        for data in answers:
            scored = data["departments"][position]
            cells.append(
                ScoreCell(
                    rule=data["rule"]["code"],
                    value=percent(scored["metric_value"]),
                    points=points_text(scored["points"])
                    if scored["applicable"]
                    else _("not applicable"),
                    applicable=scored["applicable"],
                )
            )
        total = totals.get(row["department"]["id"])
        lines.append(
            ScoreLine(
                row["department"]["code"],
                row["department"]["name"],
                cells,
                _total_text(total),
                total is not None and total.applicable,
            )
        )
    return ScoreTable(rules, lines)
