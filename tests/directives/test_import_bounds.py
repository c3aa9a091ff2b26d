"""The task import within bounds (directives/imports/workbook.py and reading.py): an XLSX is
checked before openpyxl parses it (shared strings declared and really held, each sheet's
rows and cells, no DTD), reading stops at the time budget with a 400 saying so, a CSV line
is bounded, and an error quotes at most 40 characters of a bad value. The limits are
given small here; the live tests (tests/config/test_bombs_live.py) send the real bombs."""

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from directives.imports import import_tasks
from directives.imports.results import ImportRejected
from directives.imports.workbook import (
    Deadline,
    DeadlineFile,
    OverBudget,
    WorkbookLimits,
    check_workbook,
)
from tests import bombs
from tests.directives.import_support import counts, upload, xlsx_file
from tests.import_files import csv_file, row
from tracker.models import Task

pytestmark = pytest.mark.django_db

LIMITS = WorkbookLimits(sheet_rows=50, sheet_cells=80, shared_strings=20)


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """The messages asserted are the English msgids (the site's language is Vietnamese)."""
    with translation.override("en"):
        yield


def refusal(data: bytes, limits: WorkbookLimits = LIMITS) -> str:
    with pytest.raises(ImportRejected) as caught:
        check_workbook(io.BytesIO(data), limits, Deadline.from_settings())
    [error] = caught.value.errors
    return error.message


def strings(head: bytes, count: int) -> bombs.Entry:
    return bombs.repeated("xl/sharedStrings.xml", head, b"<si><t>a</t></si>", count, b"</sst>")


def test_a_workbook_within_the_limits_passes():
    data = bombs.xlsx(bombs.one_cell_sheet(), strings(bombs.sst_head(20), 20))
    check_workbook(io.BytesIO(data), LIMITS, Deadline.from_settings())


def test_the_shared_strings_the_workbook_declares_are_judged_first():
    data = bombs.xlsx(bombs.one_cell_sheet(), strings(bombs.sst_head(21), 1))
    assert refusal(data) == "The workbook declares 21 shared texts; at most 20 are accepted."


def test_the_shared_strings_it_really_holds_are_counted():
    lying = b'<?xml version="1.0"?><x:sst xmlns:x="urn:s" uniqueCount="1">'
    unprefixed = bombs.xlsx(bombs.one_cell_sheet(), strings(bombs.sst_head(0), 21))
    assert refusal(unprefixed) == "The workbook holds more than 20 shared texts."
    # Prefixed tags (OpenXML SDK's x:) are counted too.
    prefixed = bombs.repeated(
        "xl/sharedStrings.xml", lying, b"<x:si><x:t>a</x:t></x:si>", 21, b"</x:sst>"
    )
    assert refusal(bombs.xlsx(bombs.one_cell_sheet(), prefixed)) == (
        "The workbook holds more than 20 shared texts."
    )


def test_each_sheets_rows_and_cells_are_counted():
    assert refusal(bombs.xlsx_many_rows(50)) == (
        "The sheet “xl/worksheets/sheet1.xml” has more than 50 rows."
    )
    wide = bombs.streamed(
        "xl/worksheets/sheet1.xml",
        bombs.sheet_of([b'<row r="1">' + b'<c t="s"><v>0</v></c>' * 81 + b"</row>"]),
    )
    assert refusal(bombs.xlsx(wide, strings(bombs.sst_head(1), 1))) == (
        "The sheet “xl/worksheets/sheet1.xml” has more than 80 cells."
    )


def test_a_part_declaring_entities_is_refused_before_openpyxl_reads_it():
    sheet = bombs.small("xl/worksheets/sheet1.xml", bombs.BILLION_LAUGHS)
    assert refusal(bombs.xlsx(sheet, strings(bombs.sst_head(1), 1))) == (
        "The part “xl/worksheets/sheet1.xml” declares a document type or entities, "
        "which are refused."
    )


def test_the_time_budget_refuses_and_saves_nothing(settings, department, other_department):
    settings.IMPORT_TIME_BUDGET_SECONDS = 0
    before = counts()

    with pytest.raises(ImportRejected) as caught:
        import_tasks(file=io.BytesIO(csv_file([row()])), filename="tasks.csv", actor=None)

    assert caught.value.errors[0].message == (
        "Reading the file took longer than 0 seconds, the limit; split it into smaller files "
        "or save it as CSV UTF-8."
    )
    assert counts() == before


def test_the_command_line_has_no_time_budget(settings, department, other_department, tmp_path):
    """A shell holds no web worker: `manage.py import_tasks` reads as long as it takes."""
    settings.IMPORT_TIME_BUDGET_SECONDS = 0
    path = tmp_path / "tasks.csv"
    path.write_bytes(csv_file([row()]))

    call_command("import_tasks", str(path), stdout=io.StringIO())

    assert Task.objects.count() == 1


def test_openpyxl_reads_through_the_deadline_file_and_stops_at_the_deadline():
    """Every phase of openpyxl's reading (opening, scanning a sheet, its rows) reads the zip
    through DeadlineFile: past the deadline the next read raises, and openpyxl lets it out."""
    data = xlsx_file([["directive_number"], ["12/CT-UBND"]])
    load_workbook(DeadlineFile(io.BytesIO(data), Deadline.from_settings()), read_only=True)

    with pytest.raises(OverBudget):
        load_workbook(DeadlineFile(io.BytesIO(data), Deadline(0.0, 0.0)), read_only=True)


def test_a_csv_line_of_a_million_characters_is_refused(rejected):
    content = csv_file([row()]) + b"," * 1_000_001 + b"\r\n"

    response = rejected(content)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 3, "column": None, "message": "This line is longer than 1,000,000 characters."}
    ]


def test_an_error_quotes_at_most_40_characters_of_a_value(rejected):
    header = b"directive_number," + b"z" * 100_000 + b"\r\n"

    response = rejected(header)

    assert len(response.content) < 2000
    columns = [e["column"] for e in response.json()["errors"]]
    assert "z" * 40 + "…" in columns


def test_an_api_error_quotes_at_most_40_characters_of_a_value(office):
    """DRF's own messages quote the value whole; the API's errors cut every long input."""
    body = {"date": "2026-12-31", "kind": "x" * 500_000, "reason": "Nghỉ bù"}

    posted = office.post("/api/v1/calendar/adjustments/", body, format="json")
    filtered = office.get("/api/v1/tasks/", {"status": "y" * 4000})

    assert posted.status_code == 400 and filtered.status_code == 400
    assert len(posted.content) < 1000 and len(filtered.content) < 1000
    assert posted.json()["kind"] == ['"' + "x" * 40 + '…" is not a valid choice.']
    assert "y" * 40 + "…" in filtered.json()["status"][0]


def test_a_valid_xlsx_is_still_imported(office, department, other_department):
    values = row(coordinating_department_codes="")
    response = upload(office, xlsx_file([list(values), list(values.values())]), "tasks.xlsx")

    assert response.status_code == 201, response.content
