"""A task's detail reads the task and each of its related tables once (issue 12, point 4):
`GET /api/v1/tasks/{id}/` answers with the rows its scope check loaded (it used to load the
task and its coordinating departments a second time for the answer), and the task page
loads the task, its coordinations, reports, files, extension requests and history once
each. The statements are captured for real (CaptureQueriesContext), after a first request
has warmed what is cached per process."""

import re
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.samples import pdf_bytes
from tests.web_world import World
from tracker.services import lifecycle

pytestmark = pytest.mark.django_db

# The tables holding a task and what its page shows of it.
TASK_TABLES = (
    "tracker_task",
    "tracker_extensionrequest",
    "tracker_taskhistory",
    "tracker_progressreport",
    "tracker_completionreport",
    "tracker_attachment",
)


def main_tables(queries: list[dict]) -> Counter[str]:
    """How many statements read each table as their first FROM (a JOIN or a subquery of a
    statement is part of that one read)."""
    found = Counter()
    for query in queries:
        match = re.search(r'\bFROM "(\w+)"', query["sql"])
        assert match, query["sql"]
        found[match.group(1)] += 1
    return found


def captured(client, url: str, **headers) -> list[dict]:
    assert client.get(url, **headers).status_code == 200  # warm-up
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    return context.captured_queries


@pytest.fixture
def reported(world: World):
    """The task within its deadline, with a progress report carrying a file (its page then
    prefetches the files), beside its pending extension request and STC's coordination."""
    lifecycle.progress_report_create(
        task_id=world.within.pk,
        actor=world.syt_officer,
        note="Đã khảo sát 5 xã.",
        percent=30,
        attachments=[SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), "application/pdf")],
    )
    world.within.refresh_from_db()
    return world.within


@pytest.mark.parametrize("who", ["office", "syt_officer", "stc_officer"])
def test_the_api_detail_reads_the_task_once(world: World, reported, api, who):
    client = api(getattr(world, who))
    queries = captured(client, f"/api/v1/tasks/{reported.pk}/")
    # The token with its user, the task with its lead department and directive (joined),
    # its coordinating departments, the calendar's adjustments for the due-soon overlay.
    assert main_tables(queries) == {
        "knox_authtoken": 1,
        "tracker_task": 1,
        "tracker_department": 1,
        "tracker_calendaradjustment": 1,
    }, [q["sql"][:200] for q in queries]


@pytest.mark.parametrize("who", ["office", "syt_officer", "stc_officer"])
def test_the_task_page_reads_each_table_of_the_task_once(world: World, reported, signed_in, who):
    queries = captured(signed_in(getattr(world, who)), f"/tasks/{reported.pk}/")
    tables = main_tables(queries)
    assert {table: tables[table] for table in TASK_TABLES} == dict.fromkeys(TASK_TABLES, 1)
    # The coordinating departments are read once, in the task's own prefetch; the other
    # department read is the signed-in user's own (the layout names it).
    coordinations = [q for q in queries if '"tracker_taskcoordination"."task_id") AS' in q["sql"]]
    assert len(coordinations) == 1
    repeated = [sql for sql, n in Counter(q["sql"] for q in queries).items() if n > 1]
    assert not repeated, repeated
