"""The task import (issue 3): CSV and XLSX files with the columns of API.md, through
`POST /api/v1/tasks/import/` and `manage.py import_tasks`; all rows or none, every error by
row and column, Vietnamese text intact, the samples under directives/samples."""

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import Workbook

from directives import imports
from directives.demo.loader import SAMPLE_TASKS, load_demo
from directives.demo.seeds import DEPARTMENTS, SAMPLE_TASKS_AS_OF
from directives.imports import COLUMNS, ImportRejected, import_tasks, read_rows
from directives.imports import checking as import_checking
from directives.imports import reading as import_reading
from directives.imports import writing as import_writing
from directives.models import Directive
from tests.conftest import client_for
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tests.import_files import csv_file, row
from tracker.models import (
    CompletionReport,
    CompletionReportStatus,
    Department,
    DepartmentKind,
    Role,
    Task,
    TaskCoordination,
    TaskHistory,
    TaskHistoryAction,
    TaskStatus,
    User,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/tasks/import/"
SAMPLES = Path(django_settings.BASE_DIR) / "directives" / "samples"
SAMPLE_CSV = SAMPLES / "tasks.csv"
SAMPLE_XLSX = SAMPLES / "tasks.xlsx"


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE_CSV.open(encoding="utf-8-sig", newline="") as fp:
        return list(csv.DictReader(fp))


SAMPLE_ROWS = sample_rows()


@pytest.fixture
def sample_departments() -> dict[str, Department]:
    """The demo's departments that the sample names."""
    codes = {sample["lead_department_code"] for sample in SAMPLE_ROWS}
    for sample in SAMPLE_ROWS:
        codes |= {c for c in sample["coordinating_department_codes"].split(";") if c}
    return {
        seed.code: DepartmentFactory(code=seed.code, name=seed.name, kind=seed.kind)
        for seed in DEPARTMENTS
        if seed.code in codes
    }


@pytest.fixture
def office(office_user):
    return client_for(office_user)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Directive, Task, TaskCoordination, TaskHistory, CompletionReport)
    }


def upload(client, content: bytes, name: str = "tasks.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)}, format="multipart")


def xlsx_file(rows: Iterable[Iterable[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(list(values))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def assert_rejected(response, expected: list[tuple[int | None, str | None]]) -> list[dict]:
    """A 400 of the import's shape listing exactly these (row, column) pairs, in order."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == ["errors"]
    for error in body["errors"]:
        assert set(error) == {"row", "column", "message"}
        assert error["message"]
    assert [(e["row"], e["column"]) for e in body["errors"]] == expected, body
    return body["errors"]


# --- the samples -------------------------------------------------------------------------


def stored_note(filename: str, row_number: int) -> str:
    """The history reason of an imported task, in the site's language."""
    with translation.override(django_settings.LANGUAGE_CODE):
        return translation.gettext("Imported from %(file)s, row %(row)d") % {
            "file": filename,
            "row": row_number,
        }


def assert_sample_imported(actor: User | None, source: str = "tasks.csv") -> None:
    """The database holds the sample's 16 tasks exactly as the file gives them."""
    assert Task.objects.count() == len(SAMPLE_ROWS) == 16
    for n, expected in enumerate(SAMPLE_ROWS, start=2):
        task = Task.objects.select_related("directive", "lead_department").get(
            title=expected["task_title"]
        )
        directive = task.directive
        assert directive.number == expected["directive_number"]
        assert directive.kind == expected["directive_kind"]
        assert directive.issued_on.isoformat() == expected["directive_issued_on"]
        assert directive.signer == expected["directive_signer"]
        assert directive.title == expected["directive_title"]
        assert directive.created_by == actor
        assert task.content == expected["task_content"]
        assert task.lead_department.code == expected["lead_department_code"]
        coordinating = {d.code for d in task.coordinating_departments.all()}
        assert coordinating == {
            c for c in expected["coordinating_department_codes"].split(";") if c
        }
        assert task.assigned_on.isoformat() == expected["assigned_on"]
        deadline = expected["deadline"] or None
        assert task.original_deadline == task.effective_deadline
        assert (task.effective_deadline and task.effective_deadline.isoformat()) == deadline
        status = expected["status"] or TaskStatus.ASSIGNED
        assert task.status == status
        assert task.version == 1
        assert task.priority == "normal"

        reports = list(task.completion_reports.all())
        if status == TaskStatus.COMPLETED:
            assert task.completed_on.isoformat() == expected["completed_on"]
            [report] = reports
            assert report.status == CompletionReportStatus.ACCEPTED
            assert report.completed_on == task.completed_on
            assert report.author is None
            assert report.decided_by == actor
            assert report.decided_at is not None
            assert report.department == task.lead_department
        elif status == TaskStatus.AWAITING_ACCEPTANCE:
            assert task.completed_on is None
            [report] = reports
            assert report.status == CompletionReportStatus.PENDING
            assert report.completed_on.isoformat() == expected["completed_on"]
            assert report.decided_at is None
        else:
            assert task.completed_on is None
            assert reports == []

        [entry] = task.history.all()
        assert entry.action == TaskHistoryAction.CREATED
        assert entry.field == "status"
        assert entry.old is None
        assert entry.new == status
        assert entry.actor == actor
        assert entry.reason == stored_note(source, n)
        if reports:
            assert reports[0].result == entry.reason


def test_the_csv_sample_imports_through_the_api(office, office_user, sample_departments):
    response = upload(office, SAMPLE_CSV.read_bytes(), "tasks.csv")

    assert response.status_code == 201, response.content
    assert response.json() == {"created": 16, "directives_created": 3}
    assert_sample_imported(office_user)
    assert Directive.objects.count() == 3
    statuses = Counter(Task.objects.values_list("status", flat=True))
    assert set(statuses) == set(TaskStatus.values)
    assert TaskCoordination.objects.count() == sum(
        len([c for c in r["coordinating_department_codes"].split(";") if c]) for r in SAMPLE_ROWS
    )
    assert (
        CompletionReport.objects.count() == statuses["completed"] + statuses["awaiting_acceptance"]
    )


def test_the_xlsx_sample_imports_the_same_tasks(office, office_user, sample_departments):
    response = upload(office, SAMPLE_XLSX.read_bytes(), "tasks.xlsx")

    assert response.status_code == 201, response.content
    assert response.json() == {"created": 16, "directives_created": 3}
    assert_sample_imported(office_user, "tasks.xlsx")


def test_vietnamese_text_survives_byte_for_byte(office, sample_departments):
    upload(office, SAMPLE_XLSX.read_bytes(), "tasks.xlsx")

    task = Task.objects.get(title__startswith="Hướng dẫn thiết kế mẫu nhà ở")
    assert (
        task.title == "Hướng dẫn thiết kế mẫu nhà ở bảo đảm “3 cứng” phù hợp điều kiện địa phương"
    )
    assert Directive.objects.get(number="45/TB-UBND").signer == "Hoàng Minh Đức"
    for text in Task.objects.values_list("title", flat=True):
        assert unicodedata.is_normalized("NFC", text)


def test_the_two_samples_hold_the_same_rows():
    from_csv = [r.values for r in read_rows(SAMPLE_CSV.read_bytes(), "tasks.csv")]
    from_xlsx = [r.values for r in read_rows(SAMPLE_XLSX.read_bytes(), "tasks.xlsx")]

    assert from_csv == from_xlsx == SAMPLE_ROWS


def test_the_samples_use_demo_departments_and_dates_the_demo_can_load():
    """The demo imports the CSV sample on any day from SAMPLE_TASKS_AS_OF on."""
    assert SAMPLE_CSV == SAMPLE_TASKS
    codes = {d.code for d in DEPARTMENTS if d.active}
    for values in SAMPLE_ROWS:
        assert values["lead_department_code"] in codes
        for day in ("directive_issued_on", "assigned_on", "completed_on"):
            if values[day]:
                assert dt.date.fromisoformat(values[day]) <= SAMPLE_TASKS_AS_OF
    assert timezone.localdate() >= SAMPLE_TASKS_AS_OF


def test_the_demo_imports_the_csv_sample():
    result = load_demo(today=timezone.localdate())

    imported = Task.objects.filter(directive__number="45/TB-UBND", directive__issued_year=2026)
    assert imported.count() == 6
    assert result.tasks == Task.objects.count()
    assert result.directives == Directive.objects.count()
    office = User.objects.get(username="chuyenvien")
    assert all(h.actor == office for h in TaskHistory.objects.filter(task__in=imported))


def test_a_directive_already_in_the_database_is_matched_by_number_and_year(
    office, sample_departments
):
    existing = DirectiveFactory(number="45/TB-UBND", issued_on=dt.date(2026, 6, 1))
    other_year = DirectiveFactory(number="03/CT-UBND", issued_on=dt.date(2025, 3, 2))

    response = upload(office, SAMPLE_CSV.read_bytes())

    assert response.status_code == 201, response.content
    assert response.json() == {"created": 16, "directives_created": 2}
    assert existing.tasks.count() == 6
    assert other_year.tasks.count() == 0
    assert Directive.objects.filter(number="03/CT-UBND").count() == 2


@pytest.mark.parametrize("path", [SAMPLE_CSV, SAMPLE_XLSX], ids=["csv", "xlsx"])
def test_the_bulk_create_path_writes_the_same(office_user, sample_departments, monkeypatch, path):
    """Without COPY (SQLite in development) the same rows are written with bulk_create."""
    monkeypatch.setattr(import_writing, "COPY_ON_POSTGRESQL", False)
    monkeypatch.setattr(import_writing, "BATCH_SIZE", 5)  # several batches

    with path.open("rb") as file:
        result = import_tasks(file=file, filename=path.name, actor=office_user)

    assert (result.created, result.directives_created) == (16, 3)
    assert_sample_imported(office_user, path.name)


# --- the management command ---------------------------------------------------------------


@pytest.mark.parametrize("path", [SAMPLE_CSV, SAMPLE_XLSX], ids=["csv", "xlsx"])
def test_the_command_imports_each_sample(path, office_user, sample_departments):
    out = io.StringIO()

    call_command("import_tasks", str(path), "--as", "office", stdout=out)

    assert out.getvalue().strip() == "created 16 tasks, 3 directives"
    assert_sample_imported(office_user, path.name)


def test_the_command_without_a_user_records_the_system(sample_departments):
    call_command("import_tasks", str(SAMPLE_CSV), stdout=io.StringIO())

    assert_sample_imported(None)


def test_the_command_prints_every_error_and_fails(tmp_path, department, other_department):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        csv_file([row(lead_department_code="XXX"), row(task_title="B", deadline="30/02/2026")])
    )
    err = io.StringIO()
    before = counts()

    with translation.override("en"), pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_tasks", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "row 2, column lead_department_code: Unknown department “XXX”.",
        "row 3, column deadline: “30/02/2026” is not a date; write it as YYYY-MM-DD or DD/MM/YYYY.",
    ]
    assert counts() == before


def test_the_command_refuses_an_unknown_user_or_file(tmp_path):
    with pytest.raises(CommandError, match="No user named nobody"):
        call_command("import_tasks", str(SAMPLE_CSV), "--as", "nobody")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_tasks", str(tmp_path / "missing.csv"))


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


# --- bad files: 400, every error, nothing written -------------------------------------------


@pytest.fixture
def rejected(office, department, other_department):
    """Uploads a file and checks that it changed nothing."""

    def post(content: bytes, name: str = "tasks.csv"):
        before = counts()
        response = upload(office, content, name)
        assert counts() == before
        return response

    return post


def test_unknown_departments(rejected):
    content = csv_file(
        [
            row(),
            row(task_title="Hai", lead_department_code="SYTT"),
            row(task_title="Ba", coordinating_department_codes="STC; XYZ ;ABC"),
        ]
    )

    errors = assert_rejected(
        rejected(content),
        [
            (3, "lead_department_code"),
            (4, "coordinating_department_codes"),
            (4, "coordinating_department_codes"),
        ],
    )
    assert [e["message"] for e in errors] == [
        "Unknown department “SYTT”.",
        "Unknown department “XYZ”.",
        "Unknown department “ABC”.",
    ]


@pytest.mark.parametrize("value", ["2026-13-01", "31/02/2026", "hôm qua", "2026/03/03", "46000"])
def test_malformed_dates(rejected, value):
    errors = assert_rejected(rejected(csv_file([row(assigned_on=value)])), [(2, "assigned_on")])
    assert errors[0]["message"] == (
        f"“{value}” is not a date; write it as YYYY-MM-DD or DD/MM/YYYY."
    )


def test_a_date_out_of_range(rejected):
    errors = assert_rejected(rejected(csv_file([row(deadline="01/01/2150")])), [(2, "deadline")])
    assert errors[0]["message"] == "Enter a date from 1975-01-01 to 2099-12-31."


def test_completed_without_completed_on(rejected):
    content = csv_file(
        [row(status="completed"), row(task_title="Hai", status="awaiting_acceptance")]
    )

    errors = assert_rejected(rejected(content), [(2, "completed_on"), (3, "completed_on")])
    assert errors[0]["message"] == "A task in state “Completed” needs its completion date."


@pytest.mark.parametrize("status", ["", "assigned", "in_progress", "paused", "cancelled"])
def test_a_completion_date_for_a_state_without_one(rejected, status):
    content = csv_file([row(status=status, completed_on="2026-04-01")])

    errors = assert_rejected(rejected(content), [(2, "completed_on")])
    assert "has no completion date" in errors[0]["message"]


def test_completion_dates_in_the_future_or_before_the_assignment(rejected):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    content = csv_file(
        [
            row(status="completed", completed_on=tomorrow.isoformat(), deadline=""),
            row(task_title="Hai", status="completed", completed_on="2026-03-01"),
        ]
    )

    errors = assert_rejected(rejected(content), [(2, "completed_on"), (3, "completed_on")])
    assert errors[0]["message"] == "The completion date is in the future."
    assert errors[1]["message"] == (
        "The assigned date 2026-03-03 is after the completion date 2026-03-01."
    )


def test_the_task_rules_of_the_api_apply(rejected):
    content = csv_file(
        [
            row(deadline="2026-03-01"),
            row(task_title="Hai", coordinating_department_codes="SYT"),
            row(task_title="Ba", coordinating_department_codes="STC;STC"),
        ]
    )

    errors = assert_rejected(
        rejected(content),
        [
            (2, "deadline"),
            (3, "coordinating_department_codes"),
            (4, "coordinating_department_codes"),
        ],
    )
    assert errors[0]["message"] == "The deadline 2026-03-01 is before the assigned date 2026-03-03."
    assert errors[1]["message"] == (
        "The lead department SYT cannot also be a coordinating department."
    )


def test_unknown_status_and_directive_kind(rejected):
    content = csv_file([row(status="done", directive_kind="thong_bao")])

    errors = assert_rejected(rejected(content), [(2, "directive_kind"), (2, "status")])
    assert errors[1]["message"].startswith("Unknown status “done”; use one of: assigned,")


def test_labels_are_accepted_for_status_and_kind(office, department, other_department):
    content = csv_file(
        [
            row(status="Đang thực hiện", directive_kind="Thông báo kết luận"),
            row(task_title="Hai", status="In progress"),
        ]
    )

    response = upload(office, content)

    assert response.status_code == 201, response.content
    assert set(Task.objects.values_list("status", flat=True)) == {"in_progress"}


def test_empty_required_cells_and_too_long_ones(rejected):
    content = csv_file(
        [
            row(task_title="", directive_number="", directive_title=""),
            row(task_title="x" * 501),
        ]
    )

    errors = assert_rejected(
        rejected(content),
        [(2, "directive_number"), (2, "directive_title"), (2, "task_title"), (3, "task_title")],
    )
    assert errors[0]["message"] == "This field is required."
    assert errors[3]["message"] == "Ensure this field has no more than 500 characters."


def test_null_characters(rejected):
    assert_rejected(rejected(csv_file([row(task_content="a\x00b")])), [(2, "task_content")])


def test_a_duplicate_row_names_the_earlier_one(rejected):
    content = csv_file([row(), row(task_title="Hai"), row(task_content="Bản sao")])

    errors = assert_rejected(rejected(content), [(4, "task_title")])
    assert errors[0]["message"] == (
        "Row 2 already holds this task (same directive, title and lead department)."
    )


def test_rows_of_one_directive_must_agree(rejected):
    content = csv_file(
        [row(), row(task_title="Hai", directive_kind="chi_thi", directive_signer="Khác")]
    )

    errors = assert_rejected(rejected(content), [(3, "directive_kind"), (3, "directive_signer")])
    assert errors[0]["message"] == (
        "Directive 12/TB-UBND is given a different value here than in row 2."
    )


def test_importing_the_same_file_twice_adds_nothing(office, sample_departments):
    content = SAMPLE_CSV.read_bytes()
    assert upload(office, content).status_code == 201
    before = counts()

    response = upload(office, content)

    errors = assert_rejected(response, [(n, "task_title") for n in range(2, 18)])
    assert errors[0]["message"] == (
        "Already imported: directive 45/TB-UBND of 2026 has a task with this title and lead "
        "department."
    )
    assert counts() == before
    # The XLSX sample holds the same tasks: refused the same way.
    assert_rejected(
        upload(office, SAMPLE_XLSX.read_bytes(), "tasks.xlsx"),
        [(n, "task_title") for n in range(2, 18)],
    )
    assert counts() == before


def test_a_task_created_through_the_api_counts_as_already_there(rejected, department):
    directive = DirectiveFactory(number="12/TB-UBND", issued_on=dt.date(2026, 1, 5))
    TaskFactory(directive=directive, title="Rà soát trạm y tế xã", lead_department=department)

    assert_rejected(rejected(csv_file([row(), row(task_title="Hai")])), [(2, "task_title")])


def test_every_bad_row_is_listed_not_just_the_first(rejected):
    content = csv_file(
        [
            row(lead_department_code="XXX"),
            row(task_title="Hai"),
            row(task_title="Ba", assigned_on="hôm nay"),
            row(task_title="Bốn", status="completed"),
            row(task_title="Năm", deadline="2020-01-01"),
        ]
    )

    assert_rejected(
        rejected(content),
        [(2, "lead_department_code"), (4, "assigned_on"), (5, "completed_on"), (6, "deadline")],
    )


def test_already_imported_rows_are_listed_with_the_other_errors(rejected, department):
    directive = DirectiveFactory(number="12/TB-UBND", issued_on=dt.date(2026, 1, 5))
    TaskFactory(directive=directive, title="Rà soát trạm y tế xã", lead_department=department)

    assert_rejected(
        rejected(csv_file([row(), row(task_title="Hai", deadline="mai")])),
        [(2, "task_title"), (3, "deadline")],
    )


def test_an_xlsx_reports_rows_as_the_spreadsheet_numbers_them(rejected):
    good = [row()[c] for c in COLUMNS]
    bad = [row(task_title="Hai", lead_department_code="XXX")[c] for c in COLUMNS]
    content = xlsx_file([COLUMNS, good, [], bad])

    assert_rejected(rejected(content, "tasks.xlsx"), [(4, "lead_department_code")])


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


# --- who may import -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.OFFICE, 201),
        (Role.LEADER, 403),
        (Role.DEPARTMENT_HEAD, 403),
        (Role.DEPARTMENT_OFFICER, 403),
        (Role.SCORING, 403),
        (None, 401),
    ],
)
def test_only_the_office_imports(role, expected, department, other_department):
    user = None
    if role is not None:
        needs_department = role in (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_OFFICER)
        user = UserFactory(role=role, department=department if needs_department else None)
    before = counts()

    response = upload(client_for(user), csv_file([row()]))

    assert response.status_code == expected, response.content
    if expected != 201:
        assert counts() == before


def test_a_superuser_imports(department, other_department):
    user = UserFactory(role=Role.LEADER)
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    user.refresh_from_db()

    assert upload(client_for(user), csv_file([row()])).status_code == 201


def test_the_service_raises_with_every_error(office_user, department, other_department):
    content = csv_file([row(lead_department_code="XXX"), row(task_title="B", status="x")])

    with pytest.raises(ImportRejected) as info:
        import_tasks(file=io.BytesIO(content), filename="a.csv", actor=office_user)

    assert [(e.row, e.column) for e in info.value.errors] == [
        (2, "lead_department_code"),
        (3, "status"),
    ]
