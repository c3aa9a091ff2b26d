"""The task import (issue 3): files refused as a whole (header, damaged or foreign files, size and
row limits, encoding) and messages in the caller's language. The samples and the helpers are in
tests/directives/import_support.py, the fixtures in tests/directives/conftest.py."""

import io
import zipfile

import pytest
from django.utils import translation

from directives.imports import COLUMNS
from directives.imports import checking as import_checking
from directives.imports import reading as import_reading
from tests.conftest import client_for
from tests.directives.import_support import SAMPLE_XLSX, URL, assert_rejected, upload, xlsx_file
from tests.import_files import csv_file, row

pytestmark = pytest.mark.django_db


def test_the_header(rejected):
    columns = [c for c in COLUMNS if c not in ("task_title", "assigned_on")] + ["ghi_chu", "status"]

    errors = assert_rejected(
        rejected(csv_file([row()], columns=columns)),
        [(1, "ghi_chu"), (1, "status"), (1, "task_title"), (1, "assigned_on")],
    )
    assert errors[0]["message"].startswith("Unknown column; the columns are: directive_number,")
    assert errors[1]["message"] == "This column is listed twice."
    assert errors[2]["message"] == "This column is missing."


def test_a_value_under_no_column(rejected):
    content = (
        csv_file([row()]) + csv_file([row(task_title="Hai")]).split(b"\r\n")[1] + b",extra\r\n"
    )

    errors = assert_rejected(rejected(content), [(3, None)])
    assert errors[0]["message"] == "This row has a value in a column without a name."


@pytest.mark.parametrize(
    "content",
    [b"directive_number,task_title\r\nnot really", b"Hello, this is a letter.\n", b"\x00\x01\x02"],
)
def test_text_named_xlsx_is_not_a_workbook(rejected, content):
    errors = assert_rejected(rejected(content, "tasks.xlsx"), [(None, None)])
    assert errors[0]["message"] == "“tasks.xlsx” is not an XLSX workbook."


@pytest.mark.parametrize("name", ["tasks.xlsx", "tasks.csv"])
def test_a_zip_that_is_not_a_workbook(rejected, name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "Không phải bảng tính")
    errors = assert_rejected(rejected(buffer.getvalue(), name), [(None, None)])
    assert errors[0]["message"] == f"“{name}” is not an XLSX workbook."


def test_a_damaged_workbook(rejected):
    content = SAMPLE_XLSX.read_bytes()
    assert_rejected(rejected(content[: len(content) // 2], "tasks.xlsx"), [(None, None)])


def test_an_old_xls_file(rejected):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    errors = assert_rejected(rejected(content, "tasks.xls"), [(None, None)])
    assert "old Excel (.xls)" in errors[0]["message"]


@pytest.mark.parametrize(
    "content",
    [b"", b"\xef\xbb\xbf", b"\r\n\r\n", xlsx_file([])],
    ids=["nothing", "bom", "blank-lines", "empty-workbook"],
)
def test_an_empty_file(rejected, content):
    name = "tasks.xlsx" if content.startswith(b"PK") else "tasks.csv"
    errors = assert_rejected(rejected(content, name), [(None, None)])
    assert errors[0]["message"] == "The file is empty: it has no header row."


def test_a_header_without_rows(rejected):
    errors = assert_rejected(rejected(csv_file([])), [(None, None)])
    assert errors[0]["message"] == "The file has no task rows, only a header."


def test_a_file_over_the_size_limit(rejected, settings):
    settings.IMPORT_MAX_BYTES = 1000
    content = csv_file([row(task_title=f"Nhiệm vụ {i}") for i in range(10)])
    assert len(content) > 1000

    errors = assert_rejected(rejected(content), [(None, None)])
    assert errors[0]["message"] == "The file is larger than the limit of 1000\xa0bytes."


def test_a_large_upload_over_the_limit_is_not_stored(rejected, settings):
    """Past FILE_UPLOAD_MAX_MEMORY_SIZE the upload goes to disk, capped at the limit."""
    settings.IMPORT_MAX_BYTES = 3 * 1024 * 1024
    content = b"x" * (4 * 1024 * 1024)

    errors = assert_rejected(rejected(content), [(None, None)])
    assert errors[0]["message"] == "The file is larger than the limit of 3.0\xa0MB."


def test_more_rows_than_allowed(rejected, monkeypatch):
    monkeypatch.setattr(import_reading, "MAX_ROWS", 3)
    content = csv_file([row(task_title=f"Nhiệm vụ {i}") for i in range(5)])

    errors = assert_rejected(rejected(content), [(5, None)])
    assert errors[0]["message"] == "The file has more than 3 task rows."


def test_not_utf8(rejected):
    content = csv_file([row(), row(task_title="Nhà ở")]).replace("Nhà ở".encode(), b"Nh\xe0 \xf4")

    errors = assert_rejected(rejected(content), [(3, None)])
    assert errors[0]["message"] == "The file is not UTF-8 text; save it as “CSV UTF-8”."


def test_too_many_errors_are_summed_up(rejected, monkeypatch):
    monkeypatch.setattr(import_checking, "MAX_ERRORS", 2)
    content = csv_file([row(task_title=f"T{i}", lead_department_code="X") for i in range(5)])

    errors = assert_rejected(
        rejected(content), [(2, "lead_department_code"), (3, "lead_department_code"), (None, None)]
    )
    assert errors[-1]["message"] == "…and 3 more errors."


def test_the_file_field_is_required(office):
    errors = assert_rejected(office.post(URL, {}, format="multipart"), [(None, "file")])
    assert errors[0]["message"] == "No file was submitted."


def test_json_is_not_an_upload(office):
    response = office.post(URL, {"file": "x"}, format="json")
    assert response.status_code == 415


def test_messages_follow_the_language(office_user, department, other_department):
    client = client_for(office_user, language="vi")

    response = upload(client, csv_file([row(lead_department_code="XXX")]))

    assert response.status_code == 400
    with translation.override("vi"):
        expected = translation.gettext("Unknown department “%(value)s”.") % {"value": "XXX"}
    assert expected != "Unknown department “XXX”."
    assert response.json()["errors"][0]["message"] == expected
    assert response["Content-Language"] == "vi"


def test_the_writer_copies_columns_only_and_asks_no_ids_for_nothing():
    """The import's COPY names columns; a relation is not one, and no rows need no ids."""
    from directives.imports.writing import _column, _next_ids
    from tracker.models import Task

    assert _column(Task, "title") == "title"
    with pytest.raises(ValueError, match=r"Task\.history is not a column"):
        _column(Task, "history")
    assert _next_ids(Task, 0) == []
