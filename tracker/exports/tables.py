"""What a report says, apart from how it is written: its title, its columns and rows, its
file name. Built from the selectors' reports (the JSON is built from the same objects), with
rates kept exact (`Fraction`) for each writer to show under the office's rounding."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.models import INDICATOR_COUNTS
from tracker.selectors.counts import Counts
from tracker.selectors.indicators import IndicatorReport
from tracker.selectors.rates import RateDefinition
from tracker.selectors.scoring import ScoreReport

TEXT, COUNT, RATE, POINTS = "text", "count", "rate", "points"

INDICATOR_HEADERS: dict[str, Promise] = {
    "code": gettext_lazy("Department code"),
    "name": gettext_lazy("Department name"),
    "assigned": gettext_lazy("Tasks assigned"),
    "completed_on_time": gettext_lazy("Completed on time"),
    "completed_early": gettext_lazy("Of which: before the deadline"),
    "completed_on_deadline_day": gettext_lazy("Of which: on the deadline day"),
    "completed_late": gettext_lazy("Completed late"),
    "completed_no_deadline": gettext_lazy("Completed (no deadline)"),
    "open_within_deadline": gettext_lazy("Not completed, within the deadline"),
    "open_overdue": gettext_lazy("Not completed, overdue"),
    "open_no_deadline": gettext_lazy("Not completed (no deadline)"),
    "paused": gettext_lazy("Paused"),
    "due": gettext_lazy("Due by the as-of date"),
    "completion_rate": gettext_lazy("Completion rate"),
    "on_time_rate": gettext_lazy("On-time rate"),
    "assigned_on_time_rate": gettext_lazy("On-time rate over all tasks assigned"),
}
RATE_NAMES = ("completion_rate", "on_time_rate", "assigned_on_time_rate")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # TEXT, COUNT, RATE or POINTS


@dataclass(frozen=True)
class Table:
    """`rows` hold per column: TEXT a str, COUNT an int, RATE a `Fraction` or None (no
    denominator), POINTS a `Decimal` or a str (not applicable). The last `total_rows` rows
    are totals. The first `key_columns` columns name the department: a printed page
    repeats them."""

    title: str  # what the report is, e.g. "Task indicators"
    period: str  # "from 01/01/2026 to 31/12/2026, as of 21/11/2026"
    frozen: bool  # a closed period's published figures
    columns: list[Column]
    rows: list[list[Any]]
    filename: str  # without extension
    total_rows: int = 0
    key_columns: int = 2
    notes: list[str] = field(default_factory=list)  # lines under the table

    @property
    def frozen_note(self) -> str:
        return _("Closed period: published figures.") if self.frozen else ""


def _filename(*parts: str) -> str:
    """ASCII only: a header value cannot carry anything else reliably."""
    return "_".join(re.sub(r"[^A-Za-z0-9.-]+", "-", part) for part in parts)


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _period_text(report: IndicatorReport) -> str:
    return _("from %(from)s to %(to)s, as of %(as_of)s") % {
        "from": _day(report.date_from),
        "to": _day(report.date_to),
        "as_of": _day(report.as_of),
    }


def _report_filename(report: IndicatorReport, *parts: str) -> str:
    """The file's name: what it is, the period, the as-of date, and `da-chot` for a closed
    period's published figures (the CSV has no title to say so)."""
    closed = ("da-chot",) if report.frozen else ()
    dates = (report.date_from, report.date_to, report.as_of)
    return _filename(*parts, *(day.isoformat() for day in dates), *closed)


def _counts_row(counts: Counts, named: list[RateDefinition]) -> list[Any]:
    exact = counts.exact_rates()
    return [
        *(counts.count(name) for name in INDICATOR_COUNTS),
        *(exact[name] for name in RATE_NAMES),
        *(rate.value(counts) for rate in named),
    ]


def rate_header(code: str, named: list[RateDefinition]) -> str:
    """A rate's column header: one of API.md's, or a named rate's name."""
    if code in INDICATOR_HEADERS:
        return str(INDICATOR_HEADERS[code])
    return next((rate.name for rate in named if rate.code == code), code)


def indicator_table(report: IndicatorReport) -> Table:
    named = report.named_rates
    columns = [
        Column(str(INDICATOR_HEADERS["code"]), TEXT),
        Column(str(INDICATOR_HEADERS["name"]), TEXT),
        *(Column(str(INDICATOR_HEADERS[name]), COUNT) for name in INDICATOR_COUNTS),
        *(Column(str(INDICATOR_HEADERS[name]), RATE) for name in RATE_NAMES),
        *(Column(rate.name, RATE) for rate in named),
    ]
    rows = [
        [row.department.code, row.department.name, *_counts_row(row.counts, named)]
        for row in report.rows
    ]
    rows.append(["", _("Total"), *_counts_row(report.total, named)])
    return Table(
        title=_("Task indicators"),
        period=_period_text(report),
        frozen=report.frozen,
        columns=columns,
        rows=rows,
        filename=_report_filename(report, "chi-tieu"),
        total_rows=1,
    )


def score_table(report: ScoreReport) -> Table:
    rule = report.rule
    columns = [
        Column(str(INDICATOR_HEADERS["code"]), TEXT),
        Column(str(INDICATOR_HEADERS["name"]), TEXT),
        Column(rate_header(rule.metric, report.indicators.named_rates), RATE),
        Column(_("Points (out of %(max)s)") % {"max": f"{rule.max_points.normalize():f}"}, POINTS),
    ]
    not_applicable = _("not applicable")
    rows: list[list[Any]] = [
        [
            row.department.code,
            row.department.name,
            row.score.exact,
            row.score.points if row.score.applicable else not_applicable,
        ]
        for row in report.rows
    ]
    title = _("Leadership score “%(rule)s” (%(code)s, %(year)s)") % {
        "rule": rule.name,
        "code": rule.code,
        "year": rule.year,
    }
    return Table(
        title=title,
        period=_period_text(report.indicators),
        frozen=report.indicators.frozen,
        columns=columns,
        rows=rows,
        filename=_report_filename(report.indicators, "diem", rule.code),
    )
