"""The department scoping of tasks and directives: a department never sees, even by
filtering, a task it is not on; coordinating departments read but do not change.

Status codes (API.md): 401 without credentials; 403 for an object the caller may see but
not change, or an action that is not theirs; 404 for an object the caller may not see.
The world and the helpers are in tests/tracker/permission_support.py."""

import datetime as dt

import pytest

from tests.conftest import client_for
from tests.factories import DirectiveFactory, TaskFactory
from tests.tracker import permission_support
from tests.tracker.permission_support import row
from tracker.models import TaskHistory

pytestmark = pytest.mark.django_db


world = permission_support.world


# --- Department scoping ----------------------------------------------------------------


@pytest.fixture
def scoped(department, other_department, officer, other_officer):
    """SYT leads `syt_only` (STC not on it) and `syt_with_stc` (STC coordinates); one
    directive holds `syt_only` and `stc_own`."""
    mixed = DirectiveFactory(number="10/TB-UBND")
    return {
        "syt_only": TaskFactory(directive=mixed, title="Chỉ Sở Y tế", lead_department=department),
        "stc_own": TaskFactory(
            directive=mixed, title="Sở Tài chính chủ trì", lead_department=other_department
        ),
        "syt_with_stc": TaskFactory(
            title="Sở Y tế chủ trì, Sở Tài chính phối hợp",
            lead_department=department,
            coordinating_departments=[other_department],
        ),
        "syt_only_directive": DirectiveFactory(number="11/TB-UBND"),
    }


def test_other_department_cannot_read_a_task_it_is_not_on(scoped, other_officer):
    task = scoped["syt_only"]
    response = client_for(other_officer).get(f"/api/v1/tasks/{task.pk}/")
    assert response.status_code == 404
    assert "Chỉ Sở Y tế" not in response.content.decode()


def test_other_department_cannot_patch_a_task_it_is_not_on(scoped, other_officer):
    task = scoped["syt_only"]
    before = row(task)
    response = client_for(other_officer).patch(
        f"/api/v1/tasks/{task.pk}/",
        {"title": "Bị sửa", "lead_department": "STC"},
        format="json",
        HTTP_IF_MATCH=task.etag,
    )
    assert response.status_code == 404
    assert row(task) == before


def test_other_department_cannot_read_history_of_a_task_it_is_not_on(scoped, other_officer):
    response = client_for(other_officer).get(f"/api/v1/tasks/{scoped['syt_only'].pk}/history/")
    assert response.status_code == 404


def test_coordinating_department_reads_but_cannot_patch(scoped, other_officer):
    task = scoped["syt_with_stc"]
    client = client_for(other_officer)
    assert client.get(f"/api/v1/tasks/{task.pk}/").status_code == 200
    assert client.get(f"/api/v1/tasks/{task.pk}/history/").status_code == 200
    before = row(task)
    response = client.patch(f"/api/v1/tasks/{task.pk}/", {"priority": "urgent"}, format="json")
    assert response.status_code == 403
    assert row(task) == before


def test_task_list_of_other_department_never_shows_the_task(scoped, other_officer):
    client = client_for(other_officer)
    seen = set()
    for query in ("", "?page_size=500", "?q=Sở Y tế", "?status=assigned", "?ordering=-id"):
        response = client.get(f"/api/v1/tasks/{query}")
        assert response.status_code == 200
        seen |= {t["id"] for t in response.data["results"]}
    assert scoped["syt_only"].pk not in seen
    assert seen == {scoped["stc_own"].pk, scoped["syt_with_stc"].pk}


@pytest.mark.parametrize("parameter", ["department", "lead_department"])
def test_filtering_by_other_department_shows_only_shared_tasks(scoped, other_officer, parameter):
    response = client_for(other_officer).get(f"/api/v1/tasks/?{parameter}=SYT")
    assert response.status_code == 200
    assert [t["id"] for t in response.data["results"]] == [scoped["syt_with_stc"].pk]
    assert response.data["count"] == 1


def test_filtering_by_a_directive_shows_only_visible_tasks(scoped, other_officer):
    directive = scoped["syt_only"].directive
    response = client_for(other_officer).get(f"/api/v1/tasks/?directive={directive.pk}")
    assert response.status_code == 200
    assert [t["id"] for t in response.data["results"]] == [scoped["stc_own"].pk]


def test_directive_without_a_task_of_the_department_is_404(scoped, other_officer, officer):
    directive = scoped["syt_only_directive"]
    for user in (other_officer, officer):  # no task at all: no department sees it
        assert client_for(user).get(f"/api/v1/directives/{directive.pk}/").status_code == 404
    syt_directive = scoped["syt_with_stc"].directive
    TaskFactory(directive=syt_directive, lead_department=scoped["syt_only"].lead_department)
    hidden = DirectiveFactory(number="12/TB-UBND")
    TaskFactory(directive=hidden, lead_department=scoped["syt_only"].lead_department)
    before = row(hidden)
    client = client_for(other_officer)
    assert client.get(f"/api/v1/directives/{hidden.pk}/").status_code == 404
    response = client.patch(f"/api/v1/directives/{hidden.pk}/", {"title": "X"}, format="json")
    assert response.status_code == 404
    assert row(hidden) == before


def test_directive_shows_only_the_tasks_the_department_may_see(scoped, other_officer, officer):
    directive = scoped["syt_only"].directive
    response = client_for(other_officer).get(f"/api/v1/directives/{directive.pk}/")
    assert response.status_code == 200
    assert [t["id"] for t in response.data["tasks"]] == [scoped["stc_own"].pk]
    assert "Chỉ Sở Y tế" not in response.content.decode()

    listed = client_for(other_officer).get("/api/v1/directives/?page_size=500")
    in_list = next(d for d in listed.data["results"] if d["id"] == directive.pk)
    assert [t["id"] for t in in_list["tasks"]] == [scoped["stc_own"].pk]

    response = client_for(officer).get(f"/api/v1/directives/{directive.pk}/")
    assert [t["id"] for t in response.data["tasks"]] == [scoped["syt_only"].pk]


def test_leader_and_office_see_every_task_of_a_directive(scoped, leader_user, office_user):
    directive = scoped["syt_only"].directive
    for user in (leader_user, office_user):
        response = client_for(user).get(f"/api/v1/directives/{directive.pk}/")
        assert response.status_code == 200
        assert sorted(t["id"] for t in response.data["tasks"]) == sorted(
            [scoped["syt_only"].pk, scoped["stc_own"].pk]
        )


def test_department_user_sees_new_task_once_made_coordinating(scoped, other_officer, office_user):
    """Visibility follows the coordination: adding STC makes the task visible to it."""
    task = scoped["syt_only"]
    client = client_for(other_officer)
    assert client.get(f"/api/v1/tasks/{task.pk}/").status_code == 404
    response = client_for(office_user).patch(
        f"/api/v1/tasks/{task.pk}/", {"coordinating_departments": ["STC"]}, format="json"
    )
    assert response.status_code == 200
    assert client.get(f"/api/v1/tasks/{task.pk}/").status_code == 200


def test_superuser_with_leader_role_writes_like_the_office(world):
    """The matrix above covers each endpoint; here the superuser also reassigns a task."""
    task = world.tasks["other"]
    response = world.client("superuser").patch(
        f"/api/v1/tasks/{task.pk}/",
        {"lead_department": "SYT", "deadline": dt.date(2026, 5, 15).isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.data
    task.refresh_from_db()
    assert task.lead_department == world.syt
    assert task.effective_deadline == dt.date(2026, 5, 15)
    actors = set(
        TaskHistory.objects.filter(task=task, actor__isnull=False).values_list(
            "actor__username", flat=True
        )
    )
    assert actors == {"root"}
