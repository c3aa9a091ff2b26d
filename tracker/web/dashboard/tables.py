"""The indicators table of the dashboard, built from the API's own answer
(`indicator_data`), so that the page never says anything `GET /api/v1/indicators/` does
not: the counts as they are, the rates × 100 with two decimals, every count a link to the
tasks behind it, and the rows sorted by any column.

A province has 1,000 departments, 12,000 cells: the rows are written here as HTML, each
cell from pieces built once per column (the drill-down's query string, the link's hidden
words), rather than by a template include per cell, which took seconds. Escaped with the
standard library's `html.escape`: Django's `escape` is the same plus a check for lazy text
on each call, which thousands of calls feel."""

import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from html import escape
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tracker.exports.tables import INDICATOR_HEADERS, RATE_NAMES, rate_header
from tracker.models import INDICATOR_COUNTS
from tracker.selectors.counts import Counts
from tracker.selectors.indicators import IndicatorReport
from tracker.selectors.rates import RateDefinition
from tracker.web.dashboard.numbers import NumberText

DEPARTMENT = "department"
NAME_SLOT = "\x00"  # where the department's name goes in a link's hidden words
EXACT = "exact_rates"  # added to the API's rows for the page: every rate, exact


def sortable(named: list[RateDefinition]) -> tuple[str, ...]:
    """The columns, in order: the department, the counts, the rates, the named rates."""
    return (DEPARTMENT, *INDICATOR_COUNTS, *RATE_NAMES, *(rate.code for rate in named))


def _exact(counts: Counts, named: list[RateDefinition]) -> dict[str, Fraction | None]:
    return {**counts.exact_rates(), **{rate.code: rate.value(counts) for rate in named}}


def with_exact_rates(data: dict[str, Any], report: IndicatorReport) -> None:
    """Adds each row's exact rates (`EXACT`), shown under the office's rounding: the
    JSON's 4 decimals would cut wrong (0.98629… is 0.9863 there)."""
    named = report.named_rates
    for row, counted in zip(data["departments"], report.rows, strict=True):
        row[EXACT] = _exact(counted.counts, named)
    data["total"][EXACT] = _exact(report.total, named)


def value(row: dict[str, Any], column: str) -> Any:
    """A row's value in a column: a count, or a rate (exact)."""
    return row[EXACT][column] if column in row[EXACT] else row[column]


def fold(text: str) -> str:
    """For sorting Vietnamese names: without diacritics, ignoring case."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Header:
    name: str
    label: str
    url: str  # sorts by this column (the other way round when it is the sorted one)
    sort: str = ""  # aria-sort: "ascending", "descending" or ""
    number: bool = True
    next_descending: bool = False  # what the link does, said to screen readers


@dataclass(frozen=True)
class Sort:
    column: str | None = None  # None: the API's order (by code)
    descending: bool = False

    @classmethod
    def parse(cls, raw: str, columns: tuple[str, ...]) -> "Sort":
        column = raw.removeprefix("-")
        if column not in columns:
            return cls()  # an unknown column keeps the API's order: nothing to refuse
        return cls(column, raw.startswith("-"))

    def param(self) -> str:
        return f"-{self.column}" if self.descending else str(self.column)


@dataclass
class IndicatorTable:
    headers: list[Header]
    body: SafeString  # the departments' rows; empty without a department
    total: SafeString  # the total's cells
    sort: Sort = field(default_factory=Sort)


def by_code(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: row["department"]["code"])


def sorted_rows(rows: list[dict[str, Any]], sort: Sort) -> list[dict[str, Any]]:
    """`rows` by code, sorted by the chosen column, ties by code; a rate without value (no
    judged task) comes last whichever the direction."""
    if sort.column is None:
        return rows
    if sort.column == DEPARTMENT:
        return sorted(
            rows, key=lambda row: fold(row["department"]["name"]), reverse=sort.descending
        )
    column = sort.column
    valued = [row for row in rows if value(row, column) is not None]
    empty = [row for row in rows if value(row, column) is None]
    # A reversed sort keeps ties in their order: by code.
    return sorted(valued, key=lambda row: value(row, column), reverse=sort.descending) + empty


def _headers(
    sort: Sort, period: dict[str, str], anchor: str, named: list[RateDefinition]
) -> list[Header]:
    headers = []
    for name in sortable(named):
        number = name != DEPARTMENT
        if sort.column == name:
            descending = not sort.descending
            state = "descending" if sort.descending else "ascending"
        else:
            descending, state = number, ""  # numbers: the largest first
        target = Sort(name, descending)
        url = f"?{urlencode({**period, 'sort': target.param()})}#{anchor}"
        label = INDICATOR_HEADERS["name"] if name == DEPARTMENT else rate_header(name, named)
        headers.append(Header(name, str(label), url, state, number, descending))
    return headers


@dataclass(frozen=True)
class CountColumn:
    name: str
    zero: str  # the whole cell: a 0 lists nothing, so no link
    link: str  # the cell up to the drill-down's department
    hidden: str  # the link's hidden words around the department's name
    hidden_end: str


class RowWriter:
    """Writes a row's cells: what does not depend on the department is built once per
    column, so that a cell is a few concatenations."""

    def __init__(
        self, dates: dict[str, str], numbers: NumberText, named: list[RateDefinition]
    ) -> None:
        self.numbers = numbers
        tasks = reverse("tasks")
        words = _("tasks: %(column)s, %(department_name)s")
        self.counts: list[CountColumn] = []
        for name in INDICATOR_COUNTS:
            # The drill-down: exactly the tasks behind one count.
            url = f"{tasks}?{urlencode({'indicator': name, **dates})}"
            column = escape(str(INDICATOR_HEADERS[name]))
            before, after = (words % {"column": column, "department_name": NAME_SLOT}).split(
                NAME_SLOT
            )
            self.counts.append(
                CountColumn(
                    name,
                    f'<td data-count="{name}">0</td>',
                    f'<td data-count="{name}"><a href="{escape(url)}',
                    f'<span class="visually-hidden"> {before}',
                    f"{after}</span></a></td>",
                )
            )
        rates = (*RATE_NAMES, *(rate.code for rate in named))
        self.rates = [(name, f'<td data-rate="{escape(name)}">') for name in rates]

    def cells(self, row: dict[str, Any], lead: str, name: str) -> str:
        """`lead` is "&amp;lead_department=<code>" ("" for the total), `name` escaped."""
        count, percent = self.numbers.count, self.numbers.percent
        parts = []
        for column in self.counts:
            value = row[column.name]
            if value:
                parts.append(
                    f'{column.link}{lead}">{count(value)}{column.hidden}{name}{column.hidden_end}'
                )
            else:
                parts.append(column.zero)
        exact = row[EXACT]
        for rate, cell in self.rates:
            parts.append(f"{cell}{percent(exact[rate])}</td>")
        return "".join(parts)


def _body(rows: list[dict[str, Any]], writer: RowWriter) -> str:
    lines = []
    for row in rows:
        department = row["department"]
        code, name = escape(department["code"]), escape(department["name"])
        # quote_plus leaves nothing HTML would read as markup.
        lead = f"&amp;lead_department={quote_plus(department['code'])}"
        lines.append(
            f'<tr data-department="{code}"><th scope="row" class="dashboard-name">{name}'
            f' <span class="dashboard-code">{code}</span></th>'
            f"{writer.cells(row, lead, name)}</tr>"
        )
    return "\n".join(lines)


def indicator_table(
    data: dict[str, Any],
    rows: list[dict[str, Any]],
    sort: Sort,
    period: dict[str, str],
    anchor: str,
    numbers: NumberText,
    named: list[RateDefinition],
) -> IndicatorTable:
    """`data` is the API's answer with the exact rates (`with_exact_rates`) and `rows` its
    departments by code; `period` the dates as chosen, kept by the sort links. The
    drill-downs carry the answer's own dates, as-of date included."""
    dates = {"from": data["from"], "to": data["to"], "as_of": data["as_of"]}
    writer = RowWriter(dates, numbers, named)
    body = _body(sorted_rows(rows, sort), writer)
    total = writer.cells(data["total"], "", escape(_("all departments")))
    headers = _headers(sort, period, anchor, named)
    return IndicatorTable(headers, mark_safe(body), mark_safe(total), sort)
