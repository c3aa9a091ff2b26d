"""The task import (issue 3) of the samples under directives/samples: CSV and XLSX files with the
columns of API.md, through `POST /api/v1/tasks/import/` and `manage.py import_tasks`,
Vietnamese text intact. The samples and the helpers are in tests/directives/import_support.py,
the fixtures in tests/directives/conftest.py."""

import datetime as dt
import io
import unicodedata
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from directives.demo.loader import SAMPLE_TASKS, load_demo
from directives.demo.seeds import DEPARTMENTS, SAMPLE_TASKS_AS_OF
from directives.imports import import_tasks, read_rows
from directives.imports import writing as import_writing
from directives.models import Directive
from tests.directives.import_support import (
    SAMPLE_CSV,
    SAMPLE_ROWS,
    SAMPLE_XLSX,
    counts,
    stored_note,
    upload,
)
from tests.factories import DirectiveFactory
from tests.import_files import csv_file, row
from tracker.models import (
    CompletionReport,
    CompletionReportStatus,
    Task,
    TaskCoordination,
    TaskHistory,
    TaskHistoryAction,
    TaskStatus,
    User,
)

pytestmark = pytest.mark.django_db


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
