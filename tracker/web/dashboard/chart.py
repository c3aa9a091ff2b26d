"""The on-time rate by department as horizontal bars, drawn by the server as inline SVG (no
script, no library). Widths are percentages of the chart's width while the text keeps its
size, so the bars fit a phone's 390 px and a printed page alike and the names stay
legible; the indicators table is the chart's text alternative."""

from dataclasses import dataclass
from typing import Any

from tracker.web.dashboard.tables import percent

RATE = "on_time_rate"
ROW_HEIGHT = 46  # a name line above its bar
TOP = 4
BAR_SPAN = 80  # % of the width at 100 %: the rest is for the value written after the bar
LONGEST_LABEL = 48  # characters; a longer name is cut (the table has it whole)


@dataclass(frozen=True)
class Bar:
    label: str
    title: str  # the whole name (the label may be cut)
    value: str  # "86,44 %", or "" without data
    width: str  # % of the chart's width
    y: int

    @property
    def label_y(self) -> int:
        return self.y + 14

    @property
    def bar_y(self) -> int:
        return self.y + 20

    @property
    def value_y(self) -> int:
        return self.y + 33


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]  # highest rate first
    no_data: list[Bar]  # no judged task: no rate, so no bar
    height: int


def _label(name: str) -> str:
    return name if len(name) <= LONGEST_LABEL else name[: LONGEST_LABEL - 1].rstrip() + "…"


def on_time_chart(rows: list[dict[str, Any]]) -> Chart:
    """`rows` are the API's department rows; ties by code, as the API lists them."""
    ordered = sorted(rows, key=lambda row: row["department"]["code"])
    rated = sorted((row for row in ordered if row[RATE] is not None), key=lambda row: -row[RATE])
    unrated = [row for row in ordered if row[RATE] is None]
    bars, no_data = [], []
    for position, row in enumerate(rated + unrated):
        name = row["department"]["name"]
        y = TOP + position * ROW_HEIGHT
        if row[RATE] is None:
            no_data.append(Bar(_label(name), name, "", "0", y))
        else:
            width = f"{row[RATE] * BAR_SPAN:.2f}"
            bars.append(Bar(_label(name), name, percent(row[RATE]), width, y))
    return Chart(bars, no_data, TOP * 2 + ROW_HEIGHT * len(rows))
