"""A directive's progress, derived from ALL its tasks: counts per state, the `completed`
flag (every task that is not cancelled is completed, and there is at least one), the
`completed` filter, and a fixed number of queries however many directives are listed."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from directives.models import Directive
from directives.selectors import directive_progress
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory
from tracker.models import Department, Task, TaskStatus, User
from tracker.services import lifecycle

pytestmark = pytest.mark.django_db

DIRECTIVES = "/api/v1/directives/"
ASSIGNED_ON = date(2025, 3, 3)
COMPLETED_ON = date(2025, 3, 10)

Api = Callable[..., APIClient]


def counts(**by_status: int) -> dict[str, int]:
    return {status: by_status.get(status, 0) for status in TaskStatus.values}


def progress(total: int, done: bool, /, **by_status: int) -> dict[str, Any]:
    """The expected `progress`; `done` is its `completed` flag (`completed=n` is a count)."""
    return {"total": total, "by_status": counts(**by_status), "completed": done}


class Mover:
    """Moves tasks through their states with the lifecycle services, as the API would."""

    def __init__(self, office: User, lead: User) -> None:
        self.office, self.lead = office, lead

    def task(self, directive: Directive, lead_department: Department, **kwargs: Any) -> Task:
        return TaskFactory(
            directive=directive,
            lead_department=lead_department,
            assigned_on=ASSIGNED_ON,
            deadline=date(2025, 4, 30),
            **kwargs,
        )

    def start(self, task: Task) -> None:
        lifecycle.progress_report_create(task_id=task.pk, actor=self.lead, note="Đang triển khai")
        assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS

    def report(self, task: Task) -> None:
        lifecycle.completion_report_create(
            task_id=task.pk, actor=self.lead, completed_on=COMPLETED_ON, result="Đã hoàn thành"
        )
        assert Task.objects.get(pk=task.pk).status == TaskStatus.AWAITING_ACCEPTANCE

    def complete(self, task: Task) -> None:
        self.report(task)
        lifecycle.completion_accept(task_id=task.pk, actor=self.office)
        assert Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED

    def pause(self, task: Task) -> None:
        lifecycle.task_pause(task_id=task.pk, actor=self.office, reason="Chờ chủ trương")

    def cancel(self, task: Task) -> None:
        lifecycle.task_cancel(task_id=task.pk, actor=self.office, reason="Không còn phù hợp")


@pytest.fixture
def mover(office_user: User, officer: User) -> Mover:
    return Mover(office_user, officer)  # the officer acts for SYT (`department`)


@pytest.fixture
def sxd() -> Department:
    return DepartmentFactory(code="SXD", name="Sở Xây dựng")


def get_progress(client: APIClient, directive: Directive) -> dict[str, Any]:
    response = client.get(f"{DIRECTIVES}{directive.pk}/")
    assert response.status_code == 200, response.data
    return response.data["progress"]


# --- counts by state ------------------------------------------------------------------------


def test_a_directive_without_tasks_has_zero_progress_and_is_not_completed(
    api: Api, office_user: User
):
    directive = DirectiveFactory()
    assert get_progress(api(office_user), directive) == progress(0, False)


def test_counts_follow_the_tasks_through_every_state(
    api: Api, office_user: User, mover: Mover, department: Department
):
    directive = DirectiveFactory()
    tasks = [mover.task(directive, department) for _ in range(6)]
    client = api(office_user)
    assert get_progress(client, directive) == progress(6, False, assigned=6)

    mover.start(tasks[0])
    mover.start(tasks[1])
    assert get_progress(client, directive) == progress(6, False, assigned=4, in_progress=2)

    mover.report(tasks[1])
    mover.complete(tasks[2])
    mover.pause(tasks[3])
    mover.cancel(tasks[4])
    assert get_progress(client, directive) == progress(
        6,
        False,
        assigned=1,
        in_progress=1,
        awaiting_acceptance=1,
        completed=1,
        paused=1,
        cancelled=1,
    )

    # A returned report puts the task back in progress.
    lifecycle.completion_return(task_id=tasks[1].pk, actor=office_user, reason="Bổ sung")
    assert get_progress(client, directive)["by_status"] == counts(
        assigned=1, in_progress=2, completed=1, paused=1, cancelled=1
    )


def test_completed_only_when_every_task_not_cancelled_is_completed(
    api: Api, office_user: User, mover: Mover, department: Department
):
    directive = DirectiveFactory()
    first, second, third = (mover.task(directive, department) for _ in range(3))
    client = api(office_user)

    mover.complete(first)
    mover.cancel(second)
    assert get_progress(client, directive)["completed"] is False  # the third is open

    mover.pause(third)
    assert get_progress(client, directive)["completed"] is False  # paused is not completed

    lifecycle.task_resume(task_id=third.pk, actor=office_user, reason="Tiếp tục")
    mover.report(third)
    assert get_progress(client, directive)["completed"] is False  # awaiting acceptance

    lifecycle.completion_accept(task_id=third.pk, actor=office_user)
    assert get_progress(client, directive) == progress(3, True, completed=2, cancelled=1)


def test_a_directive_whose_only_task_is_cancelled_is_not_completed(
    api: Api, office_user: User, mover: Mover, department: Department
):
    directive = DirectiveFactory()
    mover.cancel(mover.task(directive, department))
    assert get_progress(api(office_user), directive) == progress(1, False, cancelled=1)


def test_a_directive_with_all_tasks_completed_is_completed(
    api: Api, office_user: User, mover: Mover, department: Department
):
    directive = DirectiveFactory()
    for task in [mover.task(directive, department) for _ in range(2)]:
        mover.complete(task)
    assert get_progress(api(office_user), directive) == progress(2, True, completed=2)


def test_a_department_sees_the_directive_overall_progress_but_only_its_tasks(
    api: Api,
    office_user: User,
    officer: User,
    other_officer: User,
    mover: Mover,
    department: Department,
    other_department: Department,
    sxd: Department,
):
    directive = DirectiveFactory()
    own = mover.task(directive, department)
    mover.task(directive, sxd, coordinating_departments=[other_department])
    mover.task(directive, sxd)
    mover.complete(own)
    expected = progress(3, False, assigned=2, completed=1)

    for user, visible in ((officer, 1), (other_officer, 1), (office_user, 3)):
        response = api(user).get(f"{DIRECTIVES}{directive.pk}/")
        assert response.status_code == 200
        assert len(response.data["tasks"]) == visible
        assert response.data["progress"] == expected
        listed = api(user).get(DIRECTIVES).data["results"]
        assert [row["progress"] for row in listed] == [expected]


def test_progress_is_in_the_create_answer(api: Api, office_user: User, department: Department):
    body = {
        "number": "12/TB-UBND",
        "kind": "thong_bao_ket_luan",
        "title": "Kết luận của Chủ tịch UBND tỉnh",
        "issued_on": "2026-03-02",
        "signer": "Nguyễn Văn An",
        "tasks": [
            {"title": "Nhiệm vụ 1", "lead_department": "SYT", "assigned_on": "2026-03-02"},
            {"title": "Nhiệm vụ 2", "lead_department": "SYT", "assigned_on": "2026-03-02"},
        ],
    }
    response = api(office_user).post(DIRECTIVES, body, format="json")
    assert response.status_code == 201, response.data
    assert response.data["progress"] == progress(2, False, assigned=2)


def test_the_selector_computes_progress_for_a_directive_loaded_without_annotations(
    mover: Mover, department: Department
):
    directive = DirectiveFactory()
    mover.complete(mover.task(directive, department))
    plain = Directive.objects.get(pk=directive.pk)
    assert directive_progress(plain) == progress(1, True, completed=1)


# --- the completed filter -------------------------------------------------------------------


@pytest.fixture
def finished_and_open(mover: Mover, department: Department) -> tuple[Directive, ...]:
    finished, open_, only_cancelled, empty = (DirectiveFactory() for _ in range(4))
    mover.complete(mover.task(finished, department))
    mover.cancel(mover.task(finished, department))
    mover.complete(mover.task(open_, department))
    mover.task(open_, department)
    mover.cancel(mover.task(only_cancelled, department))
    return finished, open_, only_cancelled, empty


def listed_ids(client: APIClient, **params: str) -> set[int]:
    response = client.get(DIRECTIVES, params)
    assert response.status_code == 200, response.data
    return {row["id"] for row in response.data["results"]}


@pytest.mark.parametrize("user", ["office_user", "officer"])
def test_the_completed_filter(
    api: Api, request: pytest.FixtureRequest, finished_and_open: tuple[Directive, ...], user: str
):
    finished, open_, only_cancelled, empty = finished_and_open
    client = api(request.getfixturevalue(user))
    everything = {finished.pk, open_.pk, only_cancelled.pk}
    if user == "office_user":
        everything.add(empty.pk)  # a department sees no directive without a task of its own
    assert listed_ids(client, completed="true") == {finished.pk}
    assert listed_ids(client, completed="false") == everything - {finished.pk}
    assert listed_ids(client) == everything
    # An empty value filters nothing out silently: it is refused (config.api.filters).
    assert client.get(DIRECTIVES, {"completed": ""}).status_code == 400


@pytest.mark.parametrize("value", ["True", "1", "yes", "on", "completed", "tru"])
def test_the_completed_filter_takes_only_true_or_false(api: Api, office_user: User, value: str):
    response = api(office_user).get(DIRECTIVES, {"completed": value})
    assert response.status_code == 400
    assert set(response.data) == {"completed"}


# --- queries --------------------------------------------------------------------------------


def make_directive(mover: Mover, department: Department, coordinating: Department) -> None:
    directive = DirectiveFactory()
    tasks = [mover.task(directive, department, coordinating_departments=[coordinating])]
    tasks += [mover.task(directive, department) for _ in range(3)]
    mover.start(tasks[1])
    mover.complete(tasks[2])
    mover.cancel(tasks[3])


def list_queries(client: APIClient, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DIRECTIVES, params)
    assert response.status_code == 200, response.data
    return len(queries.captured_queries)


@pytest.mark.parametrize("user", ["office_user", "officer", "other_officer"])
@pytest.mark.parametrize("params", [{}, {"completed": "false"}])
def test_listing_directives_takes_the_same_number_of_queries_for_1_or_20(
    api: Api,
    request: pytest.FixtureRequest,
    django_assert_max_num_queries: Any,
    mover: Mover,
    department: Department,
    other_department: Department,
    user: str,
    params: dict[str, str],
):
    client = api(request.getfixturevalue(user))
    make_directive(mover, department, other_department)
    client.get(DIRECTIVES)  # the token's first use may touch more than later ones
    for_one = list_queries(client, params)

    for _ in range(19):
        make_directive(mover, department, other_department)
    with django_assert_max_num_queries(for_one):
        response = client.get(DIRECTIVES, params)
    assert response.data["count"] == 20
    assert all(row["progress"]["total"] == 4 for row in response.data["results"])
    assert list_queries(client, params) == for_one
