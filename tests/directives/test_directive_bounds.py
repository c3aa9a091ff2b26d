"""A directive's answer is bounded: a directive of 200,000 tasks (a province's imported
history) answers its detail and the list with the same SQL statements, and an answer of
the same size, as a directive of 20 — its `tasks` are the first few by id, `tasks_count`
and `tasks_url` give the rest. Measured by statement count and size, not by a timer."""

import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from directives.models import Directive
from tests.factories import DirectiveFactory
from tracker.models import Department, Task, User

pytestmark = pytest.mark.django_db

SHOWN = 20
BIG = 200_000


def insert_tasks(directive: Directive, department: Department, count: int) -> None:
    """`count` assigned tasks led by `department`, written by one INSERT … SELECT."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Task._meta.db_table} (directive_id, title, content, lead_department_id,
                assigned_on, original_deadline, effective_deadline, priority, status, version,
                created_at, updated_at)
            SELECT %s, 'Nhiệm vụ ' || lpad(n::text, 6, '0'), '', %s, DATE '2026-03-02',
                DATE '2026-04-30', DATE '2026-04-30', 'normal', 'assigned', 1, now(), now()
            FROM generate_series(1, %s) AS n
            """,
            [directive.pk, department.pk, count],
        )


@pytest.fixture
def directives(department: Department) -> tuple[Directive, Directive]:
    small = DirectiveFactory(number="NHO/TB-UBND")
    big = DirectiveFactory(number="LON/TB-UBND")
    insert_tasks(small, department, SHOWN)
    insert_tasks(big, department, BIG)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Task._meta.db_table}")
    return small, big


def measured(client: APIClient, url: str) -> tuple[int, dict, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries), json.loads(response.content), len(response.content)


def test_a_directive_of_200000_tasks_answers_like_one_of_20(
    api: Callable[..., APIClient],
    settings: object,
    directives: tuple[Directive, Directive],
    office_user: User,
    officer: User,
) -> None:
    """For the office (which reads every task) and a department officer (who reads its
    own, counted apart) alike; one directive of 200,000 for both, to keep the test short."""
    settings.DIRECTIVE_TASKS_SHOWN = SHOWN
    small, big = directives
    first = [task.pk for task in Task.objects.filter(directive=big).order_by("id")[:SHOWN]]
    for reader in (office_user, officer):
        client = api(reader)
        for url in (
            "/api/v1/directives/{pk}/",
            "/api/v1/directives/?page_size=500&number={number}",
        ):
            small_queries, _, small_size = measured(
                client, url.format(pk=small.pk, number=small.number)
            )
            big_queries, big_body, big_size = measured(
                client, url.format(pk=big.pk, number=big.number)
            )
            assert big_queries == small_queries, (reader, url)
            assert abs(big_size - small_size) < small_size * 0.02, (url, small_size, big_size)
            answer = big_body["results"][0] if "results" in big_body else big_body
            assert answer["tasks_count"] == answer["progress"]["total"] == BIG
            assert [task["id"] for task in answer["tasks"]] == first
            assert answer["tasks_url"].endswith(f"/api/v1/tasks/?directive={big.pk}&ordering=id")


def test_the_tasks_url_continues_the_tasks(
    api: Callable[..., APIClient],
    settings: object,
    office_user: User,
    department: Department,
) -> None:
    """The first page of `tasks_url` is the directive's `tasks`; its count, `tasks_count`."""
    settings.DIRECTIVE_TASKS_SHOWN = 3
    directive = DirectiveFactory(number="22/TB-UBND")
    insert_tasks(directive, department, 7)
    client = api(office_user)
    answer = client.get(f"/api/v1/directives/{directive.pk}/").json()
    listed = client.get(answer["tasks_url"] + "&page_size=3").json()
    assert listed["count"] == answer["tasks_count"] == 7
    assert [t["id"] for t in listed["results"]] == [t["id"] for t in answer["tasks"]]
