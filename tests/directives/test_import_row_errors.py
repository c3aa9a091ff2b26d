"""The task import (issue 3): all rows or none, every error by row and column (departments, dates,
states, required cells, duplicates, rows already imported). The samples and the helpers are in
tests/directives/import_support.py, the fixtures in tests/directives/conftest.py."""

import datetime as dt

import pytest
from django.utils import timezone

from directives.imports import COLUMNS
from tests.directives.import_support import (
    SAMPLE_CSV,
    SAMPLE_XLSX,
    assert_rejected,
    counts,
    upload,
    xlsx_file,
)
from tests.factories import DirectiveFactory, TaskFactory
from tests.import_files import csv_file, row
from tracker.models import Task

pytestmark = pytest.mark.django_db


# --- bad files: 400, every error, nothing written -------------------------------------------


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
