"""`?format=xlsx` and `?format=csv` of the indicators and the leadership score: read back
(openpyxl and, independently, calamine; the csv module), each file says exactly what the
JSON says, under a title with the period and the as-of date and translated headers;
errors stay JSON."""

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from tests.conftest import client_for
from tests.factories import DepartmentFactory
from tests.tracker.indicator_support import (
    COUNTS,
    RATES,
    SCORE_URL,
    URL,
    Builder,
    Story,
    example_rules,
    params,
)
from tracker.services.periods import period_close

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
D = dt.date
EN_HEADERS = [
    "Department code",
    "Department name",
    "Tasks assigned",
    "Completed on time",
    "Of which: before the deadline",
    "Of which: on the deadline day",
    "Completed late",
    "Completed (no deadline)",
    "Not completed, within the deadline",
    "Not completed, overdue",
    "Not completed (no deadline)",
    "Paused",
    "Due by the as-of date",
    "Completion rate",
    "On-time rate",
    "On-time rate over all tasks assigned",
]
# The built-in named rates (tracker/data/named_rates.yaml), named in each language there.
NAMED_HEADERS = [
    "Completed early, of the tasks due",
    "Completed on the deadline day, of the tasks due",
    "Completed late, of the tasks due",
    "Completed early, of the tasks assigned",
    "Completed on the deadline day, of the tasks assigned",
    "Completed late, of the tasks assigned",
]
NAMED_HEADERS_VI = [
    "Tỷ lệ hoàn thành trước hạn (trên số đến hạn)",
    "Tỷ lệ hoàn thành đúng hạn (trên số đến hạn)",
    "Tỷ lệ hoàn thành quá hạn (trên số đến hạn)",
    "Tỷ lệ hoàn thành trước hạn (trên số đã giao)",
    "Tỷ lệ hoàn thành đúng hạn (trên số đã giao)",
    "Tỷ lệ hoàn thành quá hạn (trên số đã giao)",
]
EN_HEADERS += NAMED_HEADERS
RATE = 2 + len(COUNTS)  # the first rate's column (from 0)


@pytest.fixture
def world(builder: Builder, department, other_department) -> None:
    """STC: 1 on time, 2 overdue, 1 paused (rates 1/3); SXD: no task (null rates) and a name
    a spreadsheet must not take for a formula; SYT: 3 on time, 1 late."""
    DepartmentFactory(code="SXD", name="=1+1 Sở Xây dựng")
    example_rules(2026)
    story = {"assigned_on": D(2026, 3, 2), "deadline": D(2026, 4, 30)}
    for completed_on in (D(2026, 4, 10), D(2026, 4, 20), D(2026, 4, 30), D(2026, 5, 4)):
        builder.task(department, Story(**story, completed_on=completed_on))
    builder.task(other_department, Story(**story, completed_on=D(2026, 4, 1)))
    builder.task(other_department, Story(**story))
    builder.task(other_department, Story(**story))
    builder.task(other_department, Story(D(2026, 3, 2), None, then="pause"))


def export(user, url: str, file_format: str, language: str = "en", **extra: Any):
    return client_for(user, language).get(url, params(format=file_format, **extra))


def json_of(user, url: str, language: str = "en", **extra: Any) -> dict[str, Any]:
    response = client_for(user, language).get(url, params(**extra))
    assert response.status_code == 200
    return response.json()


def table_header_row(sheet) -> int:
    """The table's header row: the one every printed page repeats."""
    return int(sheet.print_title_rows.split(":")[0].lstrip("$"))


def sheet_rows(response) -> list[list[Any]]:
    """The heading block's lines above the table (as one row), the header row, then the
    table's rows down to the blank row under it."""
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    first = table_header_row(sheet) - 1
    heading = [value for row in values[:first] for value in row if value is not None]
    end = next(i for i in range(first, len(values) + 1) if i == len(values) or not any(values[i]))
    return [heading, *values[first:end]]


def heading_text(heading: list[Any]) -> str:
    """The heading block's title, period and closed-period lines, as one line."""
    title_at = heading.index("REPORT") + 1 if "REPORT" in heading else heading.index("BÁO CÁO") + 1
    return " ".join(heading[title_at:])


def csv_rows(response, delimiter: str = ",") -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def fraction(rate: float | None, decimal: str = ".") -> str:
    """A rate as the CSV writes it: the exact fraction to 4 decimals, as in the JSON."""
    if rate is None:
        return ""
    return str(Decimal(str(rate)).quantize(Decimal("0.0001"))).replace(".", decimal)


def expected_indicator_rows(data: dict[str, Any]) -> list[list[Any]]:
    named = [rate["code"] for rate in data["rate_definitions"]]

    def values(row: dict[str, Any]) -> list[Any]:
        return [row[name] for name in (*COUNTS, *RATES)] + [row["named_rates"][c] for c in named]

    rows = [
        [row["department"]["code"], row["department"]["name"], *values(row)]
        for row in data["departments"]
    ]
    return [*rows, ["", "Total", *values(data["total"])]]


def test_indicators_as_xlsx(world, office_user):
    data = json_of(office_user, URL)
    response = export(office_user, URL, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="chi-tieu_2026-01-01_2026-12-31_2026-11-21.xlsx"'
    )
    title, headers, *rows = sheet_rows(response)
    assert heading_text(title) == (
        "Task indicators from 01/01/2026 to 31/12/2026, as of 21/11/2026"
    )
    assert headers == EN_HEADERS
    expected = expected_indicator_rows(data)
    expected[-1][0] = None  # the total's empty code cell
    assert rows == expected
    assert rows[1][1] == "=1+1 Sở Xây dựng"  # text, not a formula
    sheet = load_workbook(io.BytesIO(response.content)).active
    first = table_header_row(sheet) + 1
    table = list(sheet.iter_rows(min_row=first, max_row=first + len(rows) - 1))
    assert {cell.number_format for row in table for cell in row[RATE:]} == {"0.00%"}
    assert {cell.number_format for row in table for cell in row[2:RATE]} == {"#,##0"}
    assert sheet.cell(first, RATE + 1).value == data["departments"][0]["completion_rate"]


def test_the_xlsx_reads_the_same_in_an_independent_reader(world, office_user):
    """openpyxl wrote the file; calamine (the Rust reader pandas uses, strict about the
    OOXML parts) must read it too, with the same values: a spreadsheet program's view."""
    data = json_of(office_user, URL)
    response = export(office_user, URL, "xlsx")
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    cells = workbook.get_sheet_by_index(0).to_python()
    first = table_header_row(load_workbook(io.BytesIO(response.content)).active) - 1
    headers, *rows = cells[first : first + len(data["departments"]) + 2]
    assert "Task indicators" in [row[0] for row in cells[:first]]
    assert headers == EN_HEADERS
    empty_as_none = [[None if value == "" else value for value in row] for row in rows]
    expected = expected_indicator_rows(data)
    expected[-1][0] = None
    # calamine gives every number as a float: integral counts compare equal to ints.
    assert empty_as_none == expected


def test_indicators_as_csv(world, office_user):
    data = json_of(office_user, URL)
    response = export(office_user, URL, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="chi-tieu_2026-01-01_2026-12-31_2026-11-21.csv"'
    )
    # A plain table: the header row first, no title (the period is in the file's name).
    headers, *rows = csv_rows(response)
    assert headers == EN_HEADERS
    expected = [
        [str(value) for value in row[:RATE]] + [fraction(rate) for rate in row[RATE:]]
        for row in expected_indicator_rows(data)
    ]
    expected[1][1] = "'=1+1 Sở Xây dựng"  # a spreadsheet would run it as a formula
    assert rows == expected
    fixed = slice(RATE, RATE + 3)  # the rates of API.md; the named ones follow
    assert rows[0][fixed] == ["0.3333", "0.3333", "0.3333"]  # STC
    assert rows[1][fixed] == ["", "", ""]  # SXD
    assert rows[2][fixed] == ["1.0000", "0.7500", "0.7500"]  # SYT
    assert rows[3][fixed] == ["0.7143", "0.5714", "0.5714"]  # total: 5 completed, 4 on time, of 7


def test_indicators_as_csv_for_a_vietnamese_spreadsheet(world, office_user):
    """`locale=vi`: a decimal comma and semicolons, as LibreOffice and Excel read a CSV
    under a Vietnamese locale; the same numbers."""
    data = json_of(office_user, URL)
    response = export(office_user, URL, "csv", locale="vi")
    assert response.status_code == 200
    headers, *rows = csv_rows(response, delimiter=";")
    assert headers == EN_HEADERS
    assert rows[2][RATE : RATE + 3] == ["1,0000", "0,7500", "0,7500"]  # SYT
    assert [row[RATE:] for row in rows] == [
        [fraction(rate, ",") for rate in row[RATE:]] for row in expected_indicator_rows(data)
    ]
    assert export(office_user, URL, "csv", locale="fr").json() == {
        "locale": ['"fr" is not a valid choice.']
    }


@pytest.mark.parametrize("language", ["vi", None])
def test_exports_in_vietnamese_by_default(world, office_user, language):
    client = client_for(office_user, language) if language else client_for(office_user)
    if language is None:
        client.defaults.pop("HTTP_ACCEPT_LANGUAGE")
    response = client.get(URL, params(format="xlsx"))
    assert response["Content-Language"] == "vi"
    title, headers, *rows = sheet_rows(response)
    named = len(NAMED_HEADERS)
    with translation.override("vi"):
        assert headers[:-named] == [translation.gettext(header) for header in EN_HEADERS[:-named]]
        assert rows[-1][1] == translation.gettext("Total")
    assert headers[-named:] == NAMED_HEADERS_VI
    assert heading_text(title) == (
        "Chỉ tiêu thực hiện nhiệm vụ từ 01/01/2026 đến 31/12/2026, tính đến ngày 21/11/2026"
    )


def test_leadership_score_as_xlsx_and_csv(world, office_user):
    data = json_of(office_user, SCORE_URL, rule="PAR-TASKS-10")
    title_text = (
        f"Leadership score “{data['rule']['name']}” (PAR-TASKS-10, 2026) from 01/01/2026 to "
        "31/12/2026, as of 21/11/2026"
    )
    headers = ["Department code", "Department name", "On-time rate", "Points (out of 10)"]
    expected = [
        [
            row["department"]["code"],
            row["department"]["name"],
            row["metric_value"],
            row["points"] if row["applicable"] else "not applicable",
        ]
        for row in data["departments"]
    ]
    assert [row[3] for row in expected] == [0, "not applicable", 4]  # STC 1/3, SYT 3/4

    response = export(office_user, SCORE_URL, "xlsx", rule="PAR-TASKS-10")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="diem_PAR-TASKS-10_2026-01-01_2026-12-31_2026-11-21.xlsx"'
    )
    title, header_row, *rows = sheet_rows(response)
    assert (heading_text(title), header_row) == (title_text, headers)
    assert rows == expected

    response = export(office_user, SCORE_URL, "csv", rule="PAR-TASKS-10")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header_row, *rows = csv_rows(response)
    assert header_row == headers
    expected[1][1] = "'=1+1 Sở Xây dựng"
    assert rows == [[row[0], row[1], fraction(row[2]), str(row[3])] for row in expected]


def test_a_closed_period_says_so_in_the_title(world, office_user):
    period_close(
        actor=office_user, date_from=D(2026, 1, 1), date_to=D(2026, 12, 31), as_of=D(2026, 11, 1)
    )
    title = heading_text(sheet_rows(export(office_user, URL, "xlsx", as_of=None))[0])
    assert title == (
        "Task indicators from 01/01/2026 to 31/12/2026, as of 01/11/2026 "
        "Closed period: published figures."
    )
    # The CSV has no title: its file's name says so.
    assert export(office_user, URL, "csv", as_of=None)["Content-Disposition"] == (
        'attachment; filename="chi-tieu_2026-01-01_2026-12-31_2026-11-01_da-chot.csv"'
    )


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("url", [URL, SCORE_URL])
def test_errors_stay_json(world, office_user, officer, file_format, url):
    bad = export(office_user, url, file_format, rule="PAR-TASKS-10", as_of="2030-01-01")
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/json"
    assert "Content-Disposition" not in bad
    assert set(bad.json()) == {"as_of"}
    forbidden = export(officer, url, file_format, rule="PAR-TASKS-10", department="STC")
    assert forbidden.status_code == 403 and forbidden["Content-Type"] == "application/json"
    anonymous = client_for(None).get(url, params(format=file_format, rule="PAR-TASKS-10"))
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == "application/json"


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_options_describes_the_view_in_json_whatever_the_format(office_user, file_format):
    response = client_for(office_user).options(f"{URL}?format={file_format}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


def test_an_unknown_format_is_404(world, office_user):
    response = export(office_user, URL, "ods")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_control_characters_never_break_the_file(world, office_user):
    DepartmentFactory(code="SCT", name="Sở Công\x0b Thương\x1f")
    response = export(office_user, URL, "xlsx")
    assert response.status_code == 200
    names = [row[1] for row in sheet_rows(response)[2:]]
    assert "Sở Công Thương" in names
