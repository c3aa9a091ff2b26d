"""After an import the planner's statistics are fresh (config/common/statistics.py): the
tables it wrote are analyzed once it commits, so the next queries are not planned on the
row counts of before."""

import io

import pytest
from django.db import connection

from directives.imports import import_tasks
from tests.import_files import csv_file, row
from tracker.models import Task, TaskCoordination

pytestmark = pytest.mark.django_db


def planned_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return float(cursor.fetchone()[0])


def test_an_import_analyzes_the_tables_it_wrote_once_it_commits(
    sample_departments, office_user, django_capture_on_commit_callbacks
):
    content = csv_file(row(task_title=f"Nhiệm vụ {n}") for n in range(7))
    before = planned_rows("tracker_task")

    with django_capture_on_commit_callbacks(execute=False) as pending:
        import_tasks(file=io.BytesIO(content), filename="f.csv", actor=office_user)
    assert planned_rows("tracker_task") == before  # not inside the import's transaction

    for callback in pending:
        callback()

    assert before != 7
    assert planned_rows("tracker_task") == Task.objects.count() == 7
    assert planned_rows("tracker_taskcoordination") == TaskCoordination.objects.count() == 7
