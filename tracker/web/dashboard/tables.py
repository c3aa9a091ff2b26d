"""The indicators table of the dashboard, built from the API's own answer
(`indicator_data`), so that the page never says anything `GET /api/v1/indicators/` does
not: the counts as they are, the rates × 100 with two decimals, every count a link to the
tasks behind it, and the rows sorted by any column."""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format

from tracker.api.exports import INDICATOR_HEADERS, RATE_NAMES
from tracker.models import BUCKET_COUNTS

DEPARTMENT = "department"
SORTABLE = (DEPARTMENT, *BUCKET_COUNTS, *RATE_NAMES)
NO_VALUE = "—"
HUNDRED, PERCENT_PLACES = Decimal(100), Decimal("0.01")


def percent(rate: float | None) -> str:
    """The JSON rate × 100 with two decimals, exactly (0.9863 → 98.63 %)."""
    if rate is None:
        return NO_VALUE
    value = (Decimal(str(rate)) * HUNDRED).quantize(PERCENT_PLACES)
    return f"{number_format(value, 2)}\u00a0%"


def count_text(value: int) -> str:
    return number_format(value, force_grouping=True)


def fold(text: str) -> str:
    """For sorting Vietnamese names: without diacritics, ignoring case."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def drill_down_url(name: str, dates: dict[str, str], department: str | None) -> str:
    """The task list's drill-down: exactly the tasks behind one count."""
    query = {"indicator": name, **dates}
    if department is not None:
        query["lead_department"] = department
    return f"{reverse('tasks')}?{urlencode(query)}"


@dataclass(frozen=True)
class Cell:
    name: str
    label: str  # the column's header, for the link's accessible name
    text: str
    rate: bool = False
    url: str = ""  # a count's drill-down; none for 0 and for rates


@dataclass(frozen=True)
class Line:
    code: str  # "" for the total
    name: str
    cells: list[Cell]


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
    def parse(cls, raw: str) -> "Sort":
        column = raw.removeprefix("-")
        if column not in SORTABLE:
            return cls()  # an unknown column keeps the API's order: nothing to refuse
        return cls(column, raw.startswith("-"))

    def param(self) -> str:
        return f"-{self.column}" if self.descending else str(self.column)


@dataclass
class IndicatorTable:
    headers: list[Header]
    lines: list[Line]
    total: Line
    sort: Sort = field(default_factory=Sort)


def _cells(row: dict[str, Any], dates: dict[str, str], department: str | None) -> list[Cell]:
    cells = []
    for name in BUCKET_COUNTS:
        url = drill_down_url(name, dates, department) if row[name] else ""
        cells.append(Cell(name, str(INDICATOR_HEADERS[name]), count_text(row[name]), url=url))
    for name in RATE_NAMES:
        cells.append(Cell(name, str(INDICATOR_HEADERS[name]), percent(row[name]), rate=True))
    return cells


def sorted_rows(rows: list[dict[str, Any]], sort: Sort) -> list[dict[str, Any]]:
    """Rows by the chosen column, ties by code; a rate without value (no judged task) comes
    last whichever the direction."""
    by_code = sorted(rows, key=lambda row: row["department"]["code"])
    if sort.column is None:
        return by_code
    if sort.column == DEPARTMENT:
        return sorted(
            by_code, key=lambda row: fold(row["department"]["name"]), reverse=sort.descending
        )
    valued = [row for row in by_code if row[sort.column] is not None]
    empty = [row for row in by_code if row[sort.column] is None]
    return sorted(valued, key=lambda row: row[sort.column], reverse=sort.descending) + empty


def _headers(sort: Sort, period: dict[str, str], anchor: str) -> list[Header]:
    headers = []
    for name in SORTABLE:
        number = name != DEPARTMENT
        if sort.column == name:
            descending = not sort.descending
            state = "descending" if sort.descending else "ascending"
        else:
            descending, state = number, ""  # numbers: the largest first
        target = Sort(name, descending)
        url = f"?{urlencode({**period, 'sort': target.param()})}#{anchor}"
        label = INDICATOR_HEADERS["name" if name == DEPARTMENT else name]
        headers.append(Header(name, str(label), url, state, number, descending))
    return headers


def indicator_table(
    data: dict[str, Any], sort: Sort, period: dict[str, str], anchor: str
) -> IndicatorTable:
    """`data` is the API's answer; `period` the dates as chosen, kept by the sort links.
    The drill-downs carry the answer's own dates, as-of date included."""
    dates = {"from": data["from"], "to": data["to"], "as_of": data["as_of"]}
    lines = [
        Line(
            row["department"]["code"],
            row["department"]["name"],
            _cells(row, dates, row["department"]["code"]),
        )
        for row in sorted_rows(data["departments"], sort)
    ]
    total = Line("", "", _cells(data["total"], dates, None))
    return IndicatorTable(_headers(sort, period, anchor), lines, total, sort)
