"""The task import (issue 3): what the files may look like (separators, BOM, date formats,
optional columns, XLSX cells, large uploads) and the queries not growing with the rows. The
samples and the helpers are in tests/directives/import_support.py, the fixtures in
tests/directives/conftest.py."""

import datetime as dt
import io
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directives import imports
from directives.imports import COLUMNS, import_tasks
from tests.directives.import_support import assert_rejected, stored_note, upload, xlsx_file
from tests.factories import DepartmentFactory
from tests.import_files import csv_file, row
from tracker.models import DepartmentKind, Task

pytestmark = pytest.mark.django_db


# --- good files of other shapes ------------------------------------------------------------


def test_semicolons_no_bom_and_day_first_dates(office, department, other_department):
    content = csv_file(
        [
            row(assigned_on="03/03/2026", deadline="30/4/2026"),
            row(task_title="Hai", status="completed", completed_on="2026-04-02"),
        ],
        delimiter=";",
    )
    assert not content.startswith(b"\xef\xbb\xbf")

    response = upload(office, content)

    assert response.status_code == 201, response.content
    task = Task.objects.get(title="Rà soát trạm y tế xã")
    assert task.assigned_on == dt.date(2026, 3, 3)
    assert task.effective_deadline == dt.date(2026, 4, 30)


def test_optional_columns_may_be_left_out_and_text_is_normalised(office, department):
    columns = [c for c in COLUMNS if c not in imports.OPTIONAL_COLUMNS]
    decomposed = unicodedata.normalize("NFD", "Kiểm tra an toàn thực phẩm")
    content = csv_file([row(task_title=f"  {decomposed} ")], columns=columns)

    response = upload(office, content)

    assert response.status_code == 201, response.content
    task = Task.objects.get()
    assert task.title == unicodedata.normalize("NFC", "Kiểm tra an toàn thực phẩm")
    assert (task.status, task.effective_deadline, task.content) == ("assigned", None, "")
    assert not task.coordinating_departments.exists()


def test_an_xlsx_with_date_cells_numbers_and_blank_rows(office, department, other_department):
    content = xlsx_file(
        [
            COLUMNS,
            [
                125,
                "chi_thi",
                dt.datetime(2026, 3, 2),
                "Nguyễn Văn An",
                "Chỉ thị về y tế",
                "Tiêm chủng mở rộng",
                None,
                "SYT",
                "STC",
                dt.date(2026, 3, 3),
                "30/04/2026",
                "completed",
                dt.datetime(2026, 4, 1, 0, 0),
            ],
            [],
            [None] * len(COLUMNS),
        ]
    )

    response = upload(office, content, "Danh sách nhiệm vụ.xlsx")

    assert response.status_code == 201, response.content
    task = Task.objects.get()
    assert task.directive.number == "125"
    assert task.completed_on == dt.date(2026, 4, 1)
    assert task.history.get().reason == stored_note("Danh sách nhiệm vụ.xlsx", 2)


def test_a_zip_named_csv_is_read_as_xlsx(office, department, other_department):
    """The content decides the format, not the name."""
    content = xlsx_file([COLUMNS, [row()[c] for c in COLUMNS]])

    response = upload(office, content, "tasks.csv")

    assert response.status_code == 201, response.content


def test_a_finished_task_may_name_a_department_that_no_longer_exists(office, department):
    DepartmentFactory(code="HTANLAP", kind=DepartmentKind.UBND_HUYEN, active=False)
    content = csv_file(
        [
            row(
                lead_department_code="HTANLAP", coordinating_department_codes="", status="cancelled"
            ),
            row(task_title="Hai", coordinating_department_codes="HTANLAP"),
        ]
    )

    errors = assert_rejected(upload(office, content), [(3, "coordinating_department_codes")])
    assert errors[0]["message"] == "Department “HTANLAP” is no longer active."


def test_the_number_of_queries_does_not_grow_with_the_rows(
    office_user, department, other_department
):
    def queries(prefix: str, n: int) -> int:
        content = csv_file(
            [
                row(directive_number=f"{prefix}{i // 5}/TB-UBND", task_title=f"Nhiệm vụ {i}")
                for i in range(n)
            ]
        )
        with CaptureQueriesContext(connection) as context:
            import_tasks(file=io.BytesIO(content), filename="f.csv", actor=office_user)
        return len(context)

    assert queries("A", 10) == queries("B", 500)
    assert Task.objects.count() == 510


def test_an_upload_over_the_in_memory_limit_goes_through(
    office, department, other_department, settings
):
    """Files over FILE_UPLOAD_MAX_MEMORY_SIZE are written to a temporary file first."""
    content = csv_file(
        [
            row(task_title=f"Nhiệm vụ số {i}", task_content="Nội dung chi tiết. " * 20)
            for i in range(6000)
        ]
    )
    assert len(content) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE

    response = upload(office, content)

    assert response.status_code == 201, response.content
    assert response.json() == {"created": 6000, "directives_created": 1}
