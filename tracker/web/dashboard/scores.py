"""The leadership score of the dashboard: one column group per scoring rule of the year,
each built from what `GET /api/v1/leadership-score/` answers for that rule (`score_data`),
and each department's total over the rules that apply to it. The rows are written here as
HTML: a province has 1,000 departments."""

from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.api.indicator_outputs import number, score_data
from tracker.exports.tables import rate_header
from tracker.selectors.scoring import ScoreReport, ScoreRow, ScoreTotal, score_totals
from tracker.web.dashboard.numbers import NO_VALUE, NumberText


def band_text(band: dict[str, Any], numbers: NumberText) -> str:
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
    return text % {"threshold": threshold, "points": numbers.points(points)}


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
    docx_url: str
    pdf_url: str


@dataclass(frozen=True)
class ScoreTable:
    rules: list[RuleColumn]
    body: SafeString  # a row per department


def _export_url(code: str, dates: dict[str, str], file_format: str) -> str:
    query = {"rule": code, **dates, "format": file_format}
    return f"{reverse('leadership-score')}?{urlencode(query)}"


def _rule(data: dict[str, Any], report: ScoreReport, numbers: NumberText) -> RuleColumn:
    rule = data["rule"]
    dates = {"from": data["from"], "to": data["to"], "as_of": data["as_of"]}
    return RuleColumn(
        code=rule["code"],
        name=rule["name"],
        metric=rate_header(rule["metric"], report.indicators.named_rates),
        max_points=numbers.points(rule["max_points"]),
        bands=[band_text(band, numbers) for band in report.rule.bands],
        no_tasks=str(report.rule.get_when_no_tasks_display()),
        xlsx_url=_export_url(rule["code"], dates, "xlsx"),
        csv_url=_export_url(rule["code"], dates, "csv"),
        docx_url=_export_url(rule["code"], dates, "docx"),
        pdf_url=_export_url(rule["code"], dates, "pdf"),
    )


def _total_text(total: ScoreTotal | None, numbers: NumberText, words: str) -> str:
    if total is None or not total.applicable:
        return NO_VALUE
    return words % {
        "points": numbers.points(number(total.points) or 0),
        "max": numbers.points(number(total.max_points) or 0),
    }


class CellWriter:
    """A department's rate and points under every rule, from each rule's answer (its rows
    in the same order, by code)."""

    def __init__(
        self, answers: list[dict[str, Any]], reports: list[ScoreReport], numbers: NumberText
    ) -> None:
        self.numbers = numbers
        self.rules: list[tuple[list[dict[str, Any]], list[ScoreRow], str, str, str]] = []
        for data, report in zip(answers, reports, strict=True):
            rule = escape(data["rule"]["code"])
            self.rules.append(
                (
                    data["departments"],
                    report.rows,
                    f'<td data-rule="{rule}" data-score="metric_value">',
                    f'<td data-rule="{rule}" data-score="points">',
                    f'<td class="dashboard-na" data-rule="{rule}" data-score="points">',
                )
            )
        self.not_applicable = escape(_("not applicable"))

    def cells(self, position: int) -> str:
        percent, points = self.numbers.percent, self.numbers.points
        cells = []
        for rows, exact, rate_cell, points_cell, na_cell in self.rules:
            scored = rows[position]
            # The exact rate, under the office's rounding: the JSON's 4 decimals would cut
            # wrong.
            cells.append(f"{rate_cell}{percent(exact[position].score.exact)}</td>")
            if scored["applicable"]:
                cells.append(f"{points_cell}{points(scored['points'])}</td>")
            else:
                cells.append(f"{na_cell}{self.not_applicable}</td>")
        return "".join(cells)


def score_table(reports: list[ScoreReport], numbers: NumberText) -> ScoreTable:
    """Every rule's answer, departments in the API's order (by code)."""
    answers = [score_data(report) for report in reports]
    totals = score_totals(reports)
    rules = [_rule(data, report, numbers) for data, report in zip(answers, reports, strict=True)]
    writer = CellWriter(answers, reports, numbers)
    words = escape(_("%(points)s of %(max)s"))
    lines = []
    for position, row in enumerate(answers[0]["departments"] if answers else []):
        department = row["department"]
        code, name = escape(department["code"]), escape(department["name"])
        total = totals.get(department["id"])
        applicable = total is not None and total.applicable
        lines.append(
            f'<tr data-department="{code}"><th scope="row" class="dashboard-name">{name}'
            f' <span class="dashboard-code">{code}</span></th>{writer.cells(position)}'
            f'<td class="dashboard-total{"" if applicable else " dashboard-na"}"'
            f' data-score="total">{_total_text(total, numbers, words)}</td></tr>'
        )
    return ScoreTable(rules, mark_safe("\n".join(lines)))
