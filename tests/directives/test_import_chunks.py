"""The task import streams (issue 12): the file is read as its rows are, and the checked rows
are written chunk by chunk (directives/imports/service.py CHUNK_ROWS) inside one transaction.
All or nothing holds across chunks: an error in a later chunk, or a row repeating one of an
earlier chunk, leaves nothing of the earlier chunks written. The chunks are made small here."""

import io
from collections.abc import Iterator

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from directives.imports import import_tasks, service
from directives.imports.results import ImportRejected
from directives.models import Directive
from tests.directives.import_support import counts
from tests.import_files import csv_file, row
from tracker.models import Task, TaskCoordination, TaskHistory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch) -> None:
    monkeypatch.setattr(service, "CHUNK_ROWS", 2)


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def five_rows() -> list[dict[str, str]]:
    """Rows 2 to 6: three tasks of one directive, two of another (the second directive's
    rows straddle the chunks)."""
    return [
        row(task_title="Một"),
        row(task_title="Hai"),
        row(task_title="Ba", directive_number="13/CT-UBND"),
        row(task_title="Bốn"),
        row(
            task_title="Năm",
            directive_number="13/CT-UBND",
            status="completed",
            completed_on="2026-03-20",
        ),
    ]


def test_a_file_of_several_chunks_is_written_whole(department, other_department):
    result = import_tasks(file=io.BytesIO(csv_file(five_rows())), filename="tasks.csv", actor=None)

    assert (result.created, result.directives_created) == (5, 2)
    tasks = Task.objects.order_by("id")
    assert [t.title for t in tasks] == ["Một", "Hai", "Ba", "Bốn", "Năm"]
    assert [t.directive.number for t in tasks] == ["12/TB-UBND"] * 2 + ["13/CT-UBND"] + [
        "12/TB-UBND",
        "13/CT-UBND",
    ]
    assert Directive.objects.count() == 2
    assert TaskCoordination.objects.count() == 5
    reasons = TaskHistory.objects.order_by("task_id").values_list("reason", flat=True)
    assert [r.rsplit(" ", 1)[-1] for r in reasons] == ["2", "3", "4", "5", "6"]
    assert tasks.get(title="Năm").completion_reports.get().status == "accepted"


def test_an_error_in_a_later_chunk_leaves_the_earlier_ones_unwritten(rejected):
    content = csv_file([*five_rows(), row(task_title="Sáu", lead_department_code="XXX")])

    response = rejected(content)

    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [
        (7, "lead_department_code")
    ]


def test_a_row_repeating_one_of_an_earlier_chunk(rejected):
    content = csv_file([*five_rows(), row(task_title="Một", task_content="Bản sao")])

    errors = rejected(content).json()["errors"]

    assert [(e["row"], e["column"]) for e in errors] == [(7, "task_title")]
    assert errors[0]["message"] == (
        "Row 2 already holds this task (same directive, title and lead department)."
    )


def test_the_rows_after_an_error_are_still_checked_against_the_database(rejected, department):
    import_tasks(file=io.BytesIO(csv_file([row(task_title="Cũ")])), filename="a.csv", actor=None)

    content = csv_file([row(lead_department_code="XXX"), row(), row(), row(task_title="Cũ")])
    errors = rejected(content).json()["errors"]

    assert [(e["row"], e["column"]) for e in errors] == [
        (2, "lead_department_code"),
        (4, "task_title"),
        (5, "task_title"),
    ]
    assert errors[2]["message"].startswith("Already imported: directive 12/TB-UBND of 2026")


class Stream(io.RawIOBase):
    """A file that cannot seek (a pipe)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._data.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def test_a_stream_that_cannot_seek_is_read_too(department, other_department, settings):
    content = csv_file(five_rows())

    result = import_tasks(file=Stream(content), filename="tasks.csv", actor=None)

    assert result.created == 5
    settings.IMPORT_MAX_BYTES = len(content) - 1
    with pytest.raises(ImportRejected) as caught:
        import_tasks(file=Stream(content), filename="tasks.csv", actor=None)
    assert caught.value.errors[0].message.startswith("The file is larger than the limit")


def test_the_foreign_keys_are_deferred_again_after_an_import(department, other_department):
    """The import checks its foreign keys as it writes; the caller's transaction gets them
    deferred again, as Django declares them (a row may point at one written later)."""
    import_tasks(file=io.BytesIO(csv_file(five_rows())), filename="tasks.csv", actor=None)
    before = counts()

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tracker_taskcoordination (task_id, department_id) VALUES (%s, %s)",
            [2**31 - 1, department.pk],
        )
        # Deferred: refused only when checked, here on demand rather than at a commit.
        with pytest.raises(IntegrityError):
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.set_rollback(True)
    assert counts() == before
