"""The on-time rate by department as horizontal bars, drawn by the server as inline SVG (no
script, no library). Widths are percentages of the chart's width while the text keeps its
size, so the bars fit a phone's 390 px and a printed page alike and the names stay
legible; the indicators table is the chart's text alternative. A bar's group is written
here, not by the template: a province has 1,000 of them."""

from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tracker.web.dashboard.numbers import NumberText
from tracker.web.dashboard.tables import EXACT, Sort, sorted_rows

RATE = "on_time_rate"
ROW_HEIGHT = 46  # a name line above its bar
TOP = 4
BAR_SPAN = 80  # % of the width at 100 %: the rest is for the value written after the bar
LONGEST_LABEL = 48  # characters; a longer name is cut (the table has it whole)


@dataclass(frozen=True)
class Chart:
    bars: SafeString  # a group per department: highest rate first, then those without
    height: int
    empty: bool  # no department


def _label(name: str) -> str:
    return name if len(name) <= LONGEST_LABEL else name[: LONGEST_LABEL - 1].rstrip() + "…"


def on_time_chart(rows: list[dict[str, Any]], numbers: NumberText) -> Chart:
    """`rows` are the API's department rows by code: ties stay in that order. Without a
    judged task a department has no rate, so no bar: it comes last, "no data"."""
    no_data = escape(_("no data (no task judged)"))
    groups = []
    for position, row in enumerate(sorted_rows(rows, Sort(RATE, descending=True))):
        name = row["department"]["name"]
        title, label = escape(name), escape(_label(name))
        y = TOP + position * ROW_HEIGHT
        rate = row[EXACT][RATE]
        if rate is None:
            groups.append(
                f'<g data-no-data="{title}"><text x="6" y="{y + 14}">{label}</text>'
                f'<text class="chart-no-data" x="6" y="{y + 33}">{no_data}</text></g>'
            )
        else:
            width = f"{float(rate) * BAR_SPAN:.2f}"
            groups.append(
                f'<g data-bar="{title}"><text x="6" y="{y + 14}">{label}</text>'
                f'<rect class="bar" x="1" y="{y + 20}" width="{width}%" height="16"></rect>'
                f'<text class="chart-value" x="{width}%" dx="8" y="{y + 33}">'
                f"{numbers.percent(rate)}</text></g>"
            )
    return Chart(mark_safe("\n".join(groups)), TOP * 2 + ROW_HEIGHT * len(rows), not rows)
