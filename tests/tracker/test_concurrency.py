"""Optimistic concurrency of task edits: ETag / If-Match, and what two simultaneous edits
of one task do on PostgreSQL (real connections, real row locks)."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.concurrency import run_queued
from tests.conftest import client_for
from tests.factories import DirectiveFactory, TaskFactory
from tracker.models import Department, Task, TaskHistory, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(department: Department, other_department: Department) -> Task:
    return TaskFactory(
        directive=DirectiveFactory(number="125/TB-UBND"),
        title="Triển khai tiêm chủng",
        lead_department=department,
        coordinating_departments=[other_department],
    )


@pytest.fixture
def office(office_user: User):
    return client_for(office_user)


def snapshot(task: Task) -> dict[str, Any]:
    fresh = Task.objects.get(pk=task.pk)
    return {
        "title": fresh.title,
        "priority": fresh.priority,
        "lead": fresh.lead_department_id,
        "deadline": fresh.effective_deadline,
        "version": fresh.version,
        "updated_at": fresh.updated_at,
        "history": list(fresh.history.values_list("id", flat=True)),
        "coordinating": sorted(fresh.coordinations.values_list("department_id", flat=True)),
    }


# --- ETag / If-Match -------------------------------------------------------------------


def test_get_returns_the_etag(office, task):
    response = office.get(f"/api/v1/tasks/{task.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"task-{task.pk}-v1"'
    assert response.data["version"] == 1


def test_etag_changes_after_every_successful_patch_and_get_returns_it(office, task):
    url = f"/api/v1/tasks/{task.pk}/"
    etag = office.get(url)["ETag"]
    seen = {etag}
    for patch in (
        {"title": "Lần sửa thứ nhất"},
        {"priority": "urgent"},
        {"deadline": "2026-05-15"},
        {"coordinating_departments": []},
    ):
        response = office.patch(url, patch, format="json", HTTP_IF_MATCH=etag)
        assert response.status_code == 200, response.data
        assert response["ETag"] not in seen
        etag = response["ETag"]
        seen.add(etag)
        assert office.get(url)["ETag"] == etag
    assert Task.objects.get(pk=task.pk).etag == etag
    assert len(seen) == 5


def test_stale_if_match_is_412_and_changes_nothing(office, task):
    url = f"/api/v1/tasks/{task.pk}/"
    stale = office.get(url)["ETag"]
    assert office.patch(url, {"title": "Bản mới"}, format="json").status_code == 200
    before = snapshot(task)
    response = office.patch(
        url, {"title": "Bản cũ ghi đè", "priority": "urgent"}, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    assert "detail" in response.data
    assert snapshot(task) == before
    assert before["title"] == "Bản mới"


@pytest.mark.parametrize("if_match", [None, "*", " * "])
def test_no_if_match_or_star_succeeds(office, task, if_match):
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    response = office.patch(
        f"/api/v1/tasks/{task.pk}/", {"title": "Không điều kiện"}, format="json", **headers
    )
    assert response.status_code == 200
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.title == "Không điều kiện"
    assert fresh.version == 2
    assert response["ETag"] == fresh.etag


def test_current_if_match_succeeds(office, task):
    response = office.patch(
        f"/api/v1/tasks/{task.pk}/",
        {"title": "Đúng phiên bản"},
        format="json",
        HTTP_IF_MATCH=task.etag,
    )
    assert response.status_code == 200
    assert Task.objects.get(pk=task.pk).title == "Đúng phiên bản"


def test_etag_of_another_task_is_412(office, task, department):
    other = TaskFactory(lead_department=department)
    assert other.version == task.version  # same version number, different task
    before = snapshot(task)
    response = office.patch(
        f"/api/v1/tasks/{task.pk}/", {"title": "Nhầm"}, format="json", HTTP_IF_MATCH=other.etag
    )
    assert response.status_code == 412
    assert snapshot(task) == before


@pytest.mark.parametrize(
    "if_match",
    ["garbage", '"task-{pk}-v"', "task-{pk}-v1", 'W/"task-{pk}-v1"', '"task-{pk}-v99"'],
    ids=["garbage", "no-version", "unquoted", "weak", "future-version"],
)
def test_malformed_or_unknown_if_match_is_412(office, task, if_match):
    before = snapshot(task)
    response = office.patch(
        f"/api/v1/tasks/{task.pk}/",
        {"title": "Không được ghi"},
        format="json",
        HTTP_IF_MATCH=if_match.format(pk=task.pk),
    )
    assert response.status_code == 412
    assert snapshot(task) == before


def test_if_match_on_an_invisible_task_is_404_not_412(api, other_officer, department):
    hidden = TaskFactory(lead_department=department)
    response = api(other_officer).patch(
        f"/api/v1/tasks/{hidden.pk}/", {"title": "x"}, format="json", HTTP_IF_MATCH="garbage"
    )
    assert response.status_code == 404


# --- Two simultaneous edits, real connections --------------------------------------------


def run_concurrently(
    task: Task, requests: list[tuple[User, dict[str, Any], dict[str, str]]]
) -> list[Any]:
    """Sends the PATCHes from one thread each, all in flight at once: they queue on the
    task's row lock, held by a third connection, and go on only when it commits."""
    clients = [client_for(user) for user, _body, _headers in requests]

    def patch(index: int) -> Callable[[], Any]:
        _user, body, headers = requests[index]
        return lambda: clients[index].patch(
            f"/api/v1/tasks/{task.pk}/", body, format="json", **headers
        )

    return run_queued(task, [patch(i) for i in range(len(requests))])


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_patches_with_the_same_if_match_one_wins(office_user, task):
    etag = task.etag
    titles = ["Phiên bản của người thứ nhất", "Phiên bản của người thứ hai"]
    history_before = set(TaskHistory.objects.filter(task=task).values_list("id", flat=True))

    responses = run_concurrently(
        task, [(office_user, {"title": title}, {"HTTP_IF_MATCH": etag}) for title in titles]
    )

    assert sorted(r.status_code for r in responses) == [200, 412]
    winner = next(r for r in responses if r.status_code == 200)
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.title == winner.data["title"]
    assert fresh.title in titles
    assert fresh.version == task.version + 1
    assert winner["ETag"] == fresh.etag
    new_entries = list(TaskHistory.objects.filter(task=task).exclude(id__in=history_before))
    assert [(e.action, e.field, e.old, e.new) for e in new_entries] == [
        ("updated", "title", "Triển khai tiêm chủng", fresh.title)
    ]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_patches_of_different_fields_without_if_match_both_kept(
    office_user, leader_user, task
):
    leader_user.is_superuser = True  # a second office-rights user, so the actors differ
    leader_user.save(update_fields=["is_superuser"])
    history_before = set(TaskHistory.objects.filter(task=task).values_list("id", flat=True))

    responses = run_concurrently(
        task,
        [
            (office_user, {"title": "Tên mới"}, {}),
            (leader_user, {"priority": "urgent", "deadline": "2026-05-20"}, {}),
        ],
    )

    assert [r.status_code for r in responses] == [200, 200]
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.title == "Tên mới"
    assert fresh.priority == "urgent"
    assert str(fresh.effective_deadline) == "2026-05-20"
    assert fresh.version == task.version + 2
    new_entries = TaskHistory.objects.filter(task=task).exclude(id__in=history_before)
    assert sorted((e.actor.username, e.field) for e in new_entries) == [
        ("leader", "deadline"),
        ("leader", "priority"),
        ("office", "title"),
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_lead_and_coordinating_changes_cannot_break_the_rule(
    office_user, department, other_department
):
    """One request makes STC the lead, the other makes STC coordinating: each is valid
    against the task as read, together they would make STC both. The one that runs second
    re-checks under the row lock and is refused."""
    task = TaskFactory(lead_department=department)

    responses = run_concurrently(
        task,
        [
            (office_user, {"lead_department": "STC"}, {}),
            (office_user, {"coordinating_departments": ["STC"]}, {}),
        ],
    )

    assert sorted(r.status_code for r in responses) == [200, 400], [r.data for r in responses]
    refused = next(r for r in responses if r.status_code == 400)
    assert "coordinating_departments" in refused.data
    fresh = Task.objects.get(pk=task.pk)
    coordinating = set(fresh.coordinations.values_list("department_id", flat=True))
    assert fresh.lead_department_id not in coordinating
    assert fresh.version == task.version + 1
    assert fresh.history.count() == 2  # created, and the one change that went through


def test_stale_if_match_is_412_even_when_the_body_is_invalid(office, task):
    """The precondition is judged first: the client's copy is stale whatever it sends."""
    stale = office.get(f"/api/v1/tasks/{task.pk}/")["ETag"]
    assert (
        office.patch(f"/api/v1/tasks/{task.pk}/", {"title": "Mới"}, format="json").status_code
        == 200
    )
    before = snapshot(task)
    response = office.patch(
        f"/api/v1/tasks/{task.pk}/", {"title": ""}, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    assert snapshot(task) == before
