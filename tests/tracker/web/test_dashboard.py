"""The indicators dashboard (/dashboard/): every number on the page is what
GET /api/v1/indicators/ and GET /api/v1/leadership-score/ answer for the same dates, every
count links to exactly the tasks behind it, sorting, the API's date rules beside the
fields, a department's own row, a closed period's published figures, a fixed number of
queries, and the page in the browser."""

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.formats import number_format

from tests.browser_harness import VIEWPORTS, check_page
from tests.conftest import client_for
from tests.factories import DepartmentFactory, UserFactory
from tests.tracker.indicator_support import (
    FROM,
    TASKS_URL,
    TO,
    TODAY,
    URL,
    Builder,
    Story,
    example_rules,
    params,
)
from tests.tracker.web.dashboard_reading import (
    assert_page_is_the_api,
    assert_scores_are_the_apis,
    indicator_cells,
    number,
    page_of,
    percent,
    row_codes,
    score_row,
)
from tests.web_world import World
from tracker.models import Department, RateRounding, Role
from tracker.selectors.rates import RateDisplay
from tracker.services.periods import period_close
from tracker.web.dashboard.numbers import NumberText

pytestmark = pytest.mark.django_db

D = dt.date
PAGE = "/dashboard/"


# --- the data --------------------------------------------------------------------------------


@pytest.fixture
def story(builder: Builder, department: Department, other_department: Department) -> dict:
    """SYT: a task in every bucket; STC: late and overdue; SNN all on time; SXD nothing."""
    snn = DepartmentFactory(code="SNN", name="Sở Nông nghiệp và Môi trường")
    sxd = DepartmentFactory(code="SXD", name="Sở Xây dựng")
    due = {"assigned_on": D(2026, 3, 2), "deadline": D(2026, 4, 30)}
    syt = (
        Story(**due, completed_on=D(2026, 4, 10)),  # early
        Story(**due, completed_on=D(2026, 4, 30)),  # on the deadline day
        Story(**due, completed_on=D(2026, 5, 6)),  # late
        Story(**due),  # overdue
        Story(**due, completed_on=D(2026, 11, 20), decision="await"),  # still overdue
        Story(D(2026, 11, 2), D(2026, 12, 15)),  # within the deadline
        Story(**due, extended_to=D(2026, 12, 20), approved_on=D(2026, 4, 28)),  # within
        Story(D(2026, 3, 2), None),  # open, no deadline
        Story(D(2026, 3, 2), None, completed_on=D(2026, 6, 1)),  # completed, no deadline
        Story(**due, then="pause"),
        Story(**due, then="cancel"),  # not counted
    )
    for task in syt:
        builder.task(department, task)
    for task in (Story(**due, completed_on=D(2026, 5, 4)), Story(**due), Story(**due)):
        builder.task(other_department, task)
    for _n in range(2):
        builder.task(snn, Story(**due, completed_on=D(2026, 4, 1)))
    return {"SYT": department, "STC": other_department, "SNN": snn, "SXD": sxd}


def api_indicators(user: Any, **extra: Any) -> dict[str, Any]:
    response = client_for(user, "vi").get(URL, params(**extra))
    assert response.status_code == 200
    return response.json()


# --- the numbers -------------------------------------------------------------------------------


def test_every_number_is_what_the_api_answers(story, leader_user, signed_in):
    response = signed_in(leader_user).get(PAGE, params())
    assert response.status_code == 200
    page = page_of(response)
    data = api_indicators(leader_user)
    assert data["total"]["assigned"] == 15 and data["total"]["completed_late"] == 2
    assert_page_is_the_api(page, data)
    assert page.find(**{"data-status": "provisional"}).text().count("21/11/2026") == 1


@pytest.mark.parametrize("language", ["vi", "en"])
def test_numbers_are_written_as_django_writes_them(language):
    """The page's fast formatting (separators read once) against `number_format`."""
    with translation.override(language):
        numbers = NumberText(RateDisplay())
        for value in (0, 7, 999, 1000, 12345, 1_000_000, 987_654_321):
            assert numbers.count(value) == number_format(value, force_grouping=True)
        for rate in (0.0, 0.0001, 0.1235, 0.5, 0.9863, 0.9999, 1.0, 0.123456):
            value = (Decimal(str(rate)) * 100).quantize(Decimal("0.01"))
            exact = Fraction(Decimal(str(rate)))
            assert numbers.percent(exact) == f"{number_format(value, 2)}\u00a0%"
        assert numbers.percent(None) == "—"
        # The office's choice: 16,051 / 16,274 cut to 2 decimals, or half up to 1.
        cut = NumberText(RateDisplay(RateRounding.CUT, 2))
        assert cut.percent(Fraction(16051, 16274)) == f"{number_format(Decimal('98.62'), 2)}\u00a0%"
        one = NumberText(RateDisplay(RateRounding.HALF_UP, 1))
        assert one.percent(Fraction(16051, 16274)) == f"{number_format(Decimal('98.6'), 1)}\u00a0%"
        # 6 and Decimal("6.0") are equal but written differently: neither takes the other's text
        for points in (6, Decimal("6.0"), 7.5, Decimal("7.50"), 0, 12):
            assert numbers.points(points) == number_format(Decimal(str(points)))


def test_the_defaults_are_this_year_as_of_today(story, scoring_user, signed_in):
    page = page_of(signed_in(scoring_user).get(PAGE))
    assert_page_is_the_api(page, api_indicators(scoring_user))  # 2026-01-01 … 12-31, today
    assert page.find("input", name="from").attrs["value"] == "2026-01-01"
    assert page.find("input", name="to").attrs["value"] == "2026-12-31"
    assert page.find("input", name="as_of").attrs["value"] == ""
    current = page.find("a", aria_current="true")
    assert current.attrs["href"] == "?from=2026-01-01&to=2026-12-31"
    shortcuts = [
        a.attrs["href"] for a in page.find("nav", **{"class": "dashboard-shortcuts"}).find_all("a")
    ]
    assert shortcuts[1:] == ["?from=2026-10-01&to=2026-12-31", "?from=2026-10-01&to=2026-10-31"]


def test_every_count_lists_exactly_its_tasks(story, office_user, signed_in):
    page = page_of(signed_in(office_user).get(PAGE, params()))
    links = [cell.find("a") for cell in indicator_cells(page).values() if cell.find("a")]
    # SYT has every count, STC and SNN three and their tasks due, the total every count.
    assert len(links) == 11 + 4 + 4 + 11
    api = client_for(office_user)
    for link in links:
        path, query = link.attrs["href"].split("?")
        assert path == "/tasks/"
        listed = api.get(f"{TASKS_URL}?{query}&page_size=500")
        assert listed.status_code == 200, query
        assert listed.json()["count"] == number(link.text()), query


def test_the_scores_are_what_the_api_answers_and_the_files_download(story, office_user, signed_in):
    example_rules(2026)
    client = signed_in(office_user)
    page = page_of(client.get(PAGE, params()))
    assert_scores_are_the_apis(page, office_user, params())
    assert score_row(page, "SNN").find("td", data_score="total").text() == "12 trên 12"
    assert score_row(page, "SXD").find("td", data_score="total").text() == "—"
    downloads = [a.attrs["href"] for a in page.find_all("a", download=True)]
    assert f"{URL}?{urlencode({**params(), 'format': 'xlsx'})}" in downloads
    for file_format in ("csv", "docx", "pdf"):
        assert f"{URL}?{urlencode({**params(), 'format': file_format})}" in downloads
    assert len(downloads) == 4 + 2 * 4
    for href in downloads:  # the API takes the session
        response = client.get(href)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


def test_the_chart_ranks_departments_by_on_time_rate(story, office_user, signed_in):
    page = page_of(signed_in(office_user).get(PAGE, params()))
    svg = page.find("svg", role="img")
    assert svg.attrs["aria-labelledby"] == "chart-title chart-desc" and svg.find("title")
    bars = [
        (g.attrs["data-bar"], g.find("text", **{"class": "chart-value"}).text())
        for g in svg.find_all("g", data_bar=True)
    ]
    data = api_indicators(office_user)
    rated = sorted(
        (row for row in data["departments"] if row["on_time_rate"] is not None),
        key=lambda row: (-row["on_time_rate"], row["department"]["code"]),
    )
    assert bars == [(row["department"]["name"], percent(row["on_time_rate"])) for row in rated]
    assert bars[0] == ("Sở Nông nghiệp và Môi trường", "100,00\u00a0%")
    assert [g.attrs["data-no-data"] for g in svg.find_all("g", data_no_data=True)] == [
        "Sở Xây dựng"
    ]


# --- sorting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "key", "state"),
    [
        (
            "-open_overdue",
            lambda row: (-row["open_overdue"], row["department"]["code"]),
            "descending",
        ),
        ("assigned", lambda row: (row["assigned"], row["department"]["code"]), "ascending"),
        # a department without a judged task has no rate: last, whichever the direction
        (
            "-on_time_rate",
            lambda row: (row["on_time_rate"] is None, -(row["on_time_rate"] or 0)),
            "descending",
        ),
        (
            "on_time_rate",
            lambda row: (row["on_time_rate"] is None, row["on_time_rate"] or 0),
            "ascending",
        ),
        ("department", lambda row: row["department"]["name"].replace("Sở ", ""), "ascending"),
        ("nonsense", lambda row: row["department"]["code"], None),
    ],
)
def test_rows_sort_by_any_column(story, office_user, signed_in, sort, key, state):
    page = page_of(signed_in(office_user).get(PAGE, params(sort=sort)))
    data = api_indicators(office_user)
    expected = [row["department"]["code"] for row in sorted(data["departments"], key=key)]
    assert row_codes(page) == expected
    sorted_headers = page.find_all("th", aria_sort=True)
    if state is None:
        assert sorted_headers == []
    else:
        assert [(th.attrs["data-column"], th.attrs["aria-sort"]) for th in sorted_headers] == [
            (sort.removeprefix("-"), state)
        ]
        toggled = sort.removeprefix("-") if sort.startswith("-") else f"-{sort}"
        href = sorted_headers[0].find("a").attrs["href"]
        assert href == f"?{urlencode({**params(), 'sort': toggled})}#indicators"
    assert_page_is_the_api(page, data)


# --- the period's rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"from": "2026-06-01", "to": "2026-01-31"}, "to"),
        ({"as_of": "2026-11-22"}, "as_of"),  # the day after today
        ({"from": "2026-06-01", "as_of": "2026-05-31"}, "as_of"),
        ({"from": "2026-02-30"}, "from"),
        ({"from": "2027-01-01", "to": "2027-12-31", "as_of": ""}, "from"),
        ({"to": "3000-01-01"}, "to"),
    ],
)
def test_bad_dates_are_the_apis_errors_beside_the_field(
    story_clock, office_user, signed_in, dates, field
):
    query = {**params(), **dates}
    response = signed_in(office_user).get(PAGE, query)
    assert response.status_code == 400
    page = page_of(response)
    api = client_for(office_user, "vi").get(URL, {k: v for k, v in query.items() if v})
    assert api.status_code == 400
    errors = {
        ul.attrs["id"]: [li.text() for li in ul.find_all("li")]
        for ul in page.find_all("ul", **{"class": "errorlist"})
    }
    assert errors == {f"id_{name}_error": texts for name, texts in api.json().items()}
    assert f"id_{field}_error" in errors
    described = page.find("input", name=field).attrs
    assert (
        described["aria-invalid"] == "true" and f"id_{field}_error" in described["aria-describedby"]
    )
    assert page.find("table") is None


def test_a_department_member_sees_its_own_row_only(story, signed_in):
    head = UserFactory(role=Role.DEPARTMENT_HEAD, department=story["STC"])
    page = page_of(signed_in(head).get(PAGE, params()))
    data = api_indicators(head)
    assert [row["department"]["code"] for row in data["departments"]] == ["STC"]
    assert row_codes(page) == ["STC"]
    assert_page_is_the_api(page, data)
    assert "Sở Tài chính" in page.find("h1").text()
    assert [g.attrs["data-bar"] for g in page.find_all("g", data_bar=True)] == ["Sở Tài chính"]
    scores = page.find("table", **{"class": "dashboard-table dashboard-scores"})
    assert [tr.attrs["data-department"] for tr in scores.find("tbody").find_all("tr")] == ["STC"]
    listed = client_for(head).get(
        f"{TASKS_URL}?{urlencode({**params(), 'indicator': 'open_overdue'})}"
    )
    assert listed.json()["count"] == number(indicator_cells(page)[(None, "open_overdue")].text())


def test_a_closed_period_shows_its_published_figures(story, builder, office_user, signed_in):
    example_rules(2026)
    period_close(actor=office_user, date_from=FROM, date_to=TO, as_of=TODAY)
    builder.task(story["SXD"], Story(D(2026, 3, 2), D(2026, 4, 30)))  # after the close
    response = signed_in(office_user).get(PAGE, {"from": FROM.isoformat(), "to": TO.isoformat()})
    page = page_of(response)
    data = api_indicators(office_user, as_of=None)
    assert data["frozen"] and data["total"]["assigned"] == 15
    assert_page_is_the_api(page, data)
    assert_scores_are_the_apis(page, office_user, {"from": "2026-01-01", "to": "2026-12-31"})
    assert score_row(page, "SXD").find("td", data_score="total").text() == "—"  # published
    notice = page.find(**{"data-status": "published"}).text()
    assert "Số liệu đã công bố" in notice and "21/11/2026" in notice
    assert office_user.full_name in notice
    assert page.find(**{"data-status": "provisional"}) is None


def test_anonymous_visitors_sign_in_first(client):
    assert client.get(PAGE)["Location"] == "/signin/?next=/dashboard/"


# --- a fixed number of queries ---------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_data(builder, office_user, signed_in):
    example_rules(2026)
    client = signed_in(office_user)
    client.get(PAGE, params())  # what a first request alone does (the session's user)

    def grow(departments: int, tasks: int) -> int:
        for n in range(departments):
            department = DepartmentFactory()
            for day in range(tasks):
                completed_on = D(2026, 3, 20) + dt.timedelta(days=n)
                builder.task(department, Story(D(2026, 3, 2 + day), D(2026, 4, 1), completed_on))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE, params()).status_code == 200
        return len(queries)

    small = grow(2, 1)
    large = grow(8, 3)
    assert small == large
    period_close(actor=office_user, date_from=FROM, date_to=TO, as_of=TODAY)
    with CaptureQueriesContext(connection) as frozen:
        client.get(PAGE, params())
    grow(3, 1)
    with CaptureQueriesContext(connection) as frozen_larger:
        client.get(PAGE, params())
    assert len(frozen) == len(frozen_larger)


# --- in the browser --------------------------------------------------------------------------


def fits_a_phone(page: Any) -> bool:
    """Nothing but the tables' own scrolling boxes is wider than a phone."""
    page.set_viewport_size(VIEWPORTS["phone"])
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(VIEWPORTS["desktop"])
    return width <= VIEWPORTS["phone"]["width"]


def test_the_chairman_reads_the_dashboard_sorts_it_and_sees_a_closed_period(
    live_world: World, open_page
):
    example_rules(live_world.today.year)
    page = open_page(live_world.chairman)
    page.goto(PAGE)
    assert page.get_by_role("heading", level=1).inner_text() == "Chỉ tiêu thực hiện nhiệm vụ"
    assert page.get_by_text(re.compile("Số liệu tạm tính")).is_visible()
    assert fits_a_phone(page)
    check_page(page, "dashboard-chairman")
    page.get_by_role("link", name=re.compile("^Chưa hoàn thành, quá hạn")).click()
    page.wait_for_load_state("networkidle")
    assert "sort=-open_overdue" in page.url
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("data-column") == "open_overdue"
    assert page.locator("tbody tr").first.get_attribute("data-department") == "SYT"
    link = page.locator('tr[data-department="SYT"] td[data-count="open_overdue"] a')
    assert "lead_department=SYT" in link.get_attribute("href")
    first, last = dt.date(live_world.today.year, 1, 1), dt.date(live_world.today.year, 12, 31)
    period_close(actor=live_world.office, date_from=first, date_to=last, as_of=live_world.today)
    page.get_by_role("link", name="Năm nay").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(re.compile("Số liệu đã công bố")).is_visible()
    check_page(page, "dashboard-published")


def test_a_department_head_reads_its_own_dashboard(live_world: World, open_page):
    example_rules(live_world.today.year)
    page = open_page(live_world.syt_head)
    page.goto(PAGE)
    assert page.locator("table.dashboard-indicators tbody tr").count() == 1
    assert "Sở Y tế" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("table.dashboard-scores tbody tr").count() == 1
    assert fits_a_phone(page)
    check_page(page, "dashboard-department-head")


def test_a_wrong_period_is_explained_beside_its_field(live_world: World, open_page):
    page = open_page(live_world.chairman)
    page.goto(PAGE)
    page.get_by_label("Từ ngày", exact=True).fill("2026-06-01")
    page.get_by_label("Đến ngày", exact=True).fill("2026-01-31")
    page.get_by_role("button", name="Xem", exact=True).click()
    page.wait_for_load_state("networkidle")
    error = page.locator("#id_to_error")
    assert "trước" in error.inner_text()
    assert page.get_by_label("Đến ngày", exact=True).get_attribute("aria-invalid") == "true"
    check_page(page, "dashboard-period-error")
