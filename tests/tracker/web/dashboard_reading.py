"""Reading the dashboard's HTML in the tests: the page as a tree, its cells by department
and column, and the comparisons with what the API answers."""

import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

from tests.conftest import client_for
from tests.tracker.indicator_support import COUNTS, RATES, SCORE_URL, example_rules

VOID = {"input", "br", "col", "img", "meta", "link", "hr", "source", "wbr"}


# --- reading the page ----------------------------------------------------------------------


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: "Node | None") -> None:
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        """What a sighted reader sees: visually hidden text left out."""
        if "visually-hidden" in self.attrs.get("class", "").split():
            return ""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Any:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list["Node"]:
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and all(
                (name.replace("_", "-") in node.attrs)
                if value is True
                else node.attrs.get(name.replace("_", "-")) == value
                for name, value in attrs.items()
            )
        ]

    def find(self, tag: str | None = None, **attrs: str | bool) -> "Node | None":
        found = self.find_all(tag, **attrs)
        return found[0] if found else None


class Tree(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.root = self.current = Node("document", {}, None)
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node.parent is not None and node.tag != tag:
            node = node.parent
        if node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def page_of(response: Any) -> Node:
    return Tree(response.content.decode()).root


def number(text: str) -> int:
    return int(re.sub(r"[.,\s]", "", text))


def percent(rate: float | None) -> str:
    """The JSON rate as the page shows it (Vietnamese: decimal comma)."""
    if rate is None:
        return "—"
    value = (Decimal(str(rate)) * 100).quantize(Decimal("0.01"))
    return f"{value}".replace(".", ",") + "\u00a0%"


def indicator_cells(page: Node) -> dict[tuple[str | None, str], Node]:
    """(department code or None for the total, count or rate name) → its cell."""
    table = page.find("table", **{"class": "dashboard-table dashboard-indicators"})
    assert table is not None
    cells = {}
    for row in table.find_all("tr"):
        code = row.attrs.get("data-department")  # none on the total's row
        for cell in row.find_all("td"):
            name = cell.attrs.get("data-count") or cell.attrs.get("data-rate")
            if name:
                cells[(code, name)] = cell
    return cells


def score_row(page: Node, code: str) -> Node:
    table = page.find("table", **{"class": "dashboard-table dashboard-scores"})
    assert table is not None
    row = table.find("tr", data_department=code)
    assert row is not None, code
    return row


def row_codes(page: Node) -> list[str]:
    table = page.find("table", **{"class": "dashboard-table dashboard-indicators"})
    return [row.attrs["data-department"] for row in table.find("tbody").find_all("tr")]


def drill_down(name: str, data: dict[str, Any], code: str | None) -> str:
    query = {"indicator": name, "from": data["from"], "to": data["to"], "as_of": data["as_of"]}
    if code is not None:
        query["lead_department"] = code
    return f"/tasks/?{urlencode(query)}"


def assert_page_is_the_api(page: Node, data: dict[str, Any]) -> None:
    rows = {row["department"]["code"]: row for row in data["departments"]}
    assert sorted(row_codes(page)) == sorted(rows)
    cells = indicator_cells(page)
    named = [rate["code"] for rate in data["rate_definitions"]]
    assert len(cells) == (len(rows) + 1) * (len(COUNTS) + len(RATES) + len(named))
    for code, row in [*rows.items(), (None, data["total"])]:
        for name in COUNTS:
            cell = cells[(code, name)]
            assert number(cell.text()) == row[name], (code, name)
            link = cell.find("a")
            if row[name]:
                assert link is not None and link.attrs["href"] == drill_down(name, data, code)
            else:
                assert link is None, (code, name)
        for name in RATES:
            assert cells[(code, name)].text() == percent(row[name]), (code, name)
        for name in named:
            assert cells[(code, name)].text() == percent(row["named_rates"][name]), (code, name)


def assert_scores_are_the_apis(page: Node, user: Any, query: dict[str, str]) -> None:
    """Every rule of the year: the page's rate and points are the leadership score's
    answer, the total sums the rules that apply, and the files download."""
    totals: dict[str, list[Decimal]] = {}
    rules = example_rules(2026)
    for code, rule in rules.items():
        answer = client_for(user, "vi").get(SCORE_URL, {**query, "rule": code}).json()
        for row in answer["departments"]:
            department = row["department"]["code"]
            cells = {
                cell.attrs["data-score"]: cell.text()
                for cell in score_row(page, department).find_all("td", data_rule=code)
            }
            points = str(row["points"]).replace(".", ",") if row["applicable"] else "không áp dụng"
            assert cells == {"metric_value": percent(row["metric_value"]), "points": points}
            if row["applicable"]:
                total = totals.setdefault(department, [Decimal(0), Decimal(0)])
                total[0] += Decimal(str(row["points"]))
                total[1] += rule.max_points
        dates = {"from": answer["from"], "to": answer["to"], "as_of": answer["as_of"]}
        for file_format in ("xlsx", "csv"):
            href = f"{SCORE_URL}?{urlencode({'rule': code, **dates, 'format': file_format})}"
            assert page.find("a", href=href) is not None
    for department, (points, maximum) in totals.items():
        cell = score_row(page, department).find("td", data_score="total")
        assert cell.text() == f"{points.normalize():f} trên {maximum.normalize():f}"
    assert len(page.find_all("td", data_score="total")) == len(answer["departments"])
