"""Who may do what on the directives, tasks, history, schema and docs endpoints of the v1
core, for every role.

Status codes (API.md): 401 without credentials; 403 for an object the caller may see but
not change, or an action that is not theirs; 404 for an object the caller may not see.
The world and the helpers are in tests/tracker/permission_support.py."""

import pytest

from directives.models import Directive
from tests.tracker import permission_support
from tests.tracker.permission_support import (
    DEPARTMENT_ROLES,
    OFFICE_ROLES,
    ROLES,
    TARGETS,
    counts,
    row,
)
from tracker.models import Task, TaskHistory

pytestmark = pytest.mark.django_db


world = permission_support.world


def task_collection(role: str, method: str) -> int:
    """GET/POST on /tasks/ and /directives/. Scoring users (the Department of Home Affairs)
    read every task and directive, to verify the counts behind the scores."""
    if role == "anonymous":
        return 401
    if method == "GET":
        return 200
    return 201 if role in OFFICE_ROLES else 403


def task_object(role: str, method: str, target: str) -> int:
    """GET/PATCH on one task or directive (and a task's history)."""
    if role == "anonymous":
        return 401
    if role in DEPARTMENT_ROLES and target == "other":
        return 404
    if method == "GET" or role in OFFICE_ROLES:
        return 200
    return 403


# --- Directives ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_directive_list(world, role):
    response = world.client(role).get("/api/v1/directives/")
    assert response.status_code == task_collection(role, "GET")
    if response.status_code != 200:
        return
    numbers = {d["number"] for d in response.data["results"]}
    if role in DEPARTMENT_ROLES:
        assert numbers == {"1/TB-UBND", "2/TB-UBND"}
    else:
        assert numbers == {"1/TB-UBND", "2/TB-UBND", "3/TB-UBND"}


@pytest.mark.parametrize("role", ROLES)
def test_directive_create(world, role):
    before = counts()
    payload = {
        "number": "200/TB-UBND",
        "kind": "chi_thi",
        "title": "Chỉ thị về phòng chống dịch",
        "issued_on": "2026-03-05",
        "signer": "Nguyễn Văn An",
        "tasks": [
            {
                "title": "Triển khai tiêm chủng",
                "lead_department": "SYT",
                "coordinating_departments": ["STC"],
                "assigned_on": "2026-03-05",
                "deadline": "2026-05-05",
            }
        ],
    }
    response = world.client(role).post("/api/v1/directives/", payload, format="json")
    assert response.status_code == task_collection(role, "POST")
    if response.status_code == 201:
        directive = Directive.objects.get(number="200/TB-UBND")
        assert directive.tasks.get().lead_department == world.syt
        assert [t["title"] for t in response.data["tasks"]] == ["Triển khai tiêm chủng"]
    else:
        assert counts() == before


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_directive_detail(world, role, target):
    directive = world.directives[target]
    response = world.client(role).get(f"/api/v1/directives/{directive.pk}/")
    assert response.status_code == task_object(role, "GET", target)
    if response.status_code == 200:
        assert response.data["number"] == directive.number
        assert [t["id"] for t in response.data["tasks"]] == [world.tasks[target].pk]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_directive_update(world, role, target):
    directive = world.directives[target]
    before = row(directive)
    response = world.client(role).patch(
        f"/api/v1/directives/{directive.pk}/", {"title": "Tiêu đề đã sửa"}, format="json"
    )
    assert response.status_code == task_object(role, "PATCH", target)
    if response.status_code == 200:
        assert Directive.objects.get(pk=directive.pk).title == "Tiêu đề đã sửa"
    else:
        assert row(directive) == before


# --- Tasks -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_task_list(world, role):
    response = world.client(role).get("/api/v1/tasks/")
    assert response.status_code == task_collection(role, "GET")
    if response.status_code != 200:
        return
    ids = {t["id"] for t in response.data["results"]}
    expected = {world.tasks["own"].pk, world.tasks["coordinating"].pk}
    if role not in DEPARTMENT_ROLES:
        expected.add(world.tasks["other"].pk)
    assert ids == expected
    assert response.data["count"] == len(expected)


@pytest.mark.parametrize("role", ROLES)
def test_task_create(world, role):
    before = counts()
    payload = {
        "directive": world.directives["own"].pk,
        "title": "Nhiệm vụ mới",
        "content": "Báo cáo kết quả",
        "lead_department": "SYT",
        "coordinating_departments": ["STC", world.sxd.pk],
        "assigned_on": "2026-03-02",
        "deadline": "2026-04-30",
        "priority": "urgent",
    }
    response = world.client(role).post("/api/v1/tasks/", payload, format="json")
    assert response.status_code == task_collection(role, "POST")
    if response.status_code == 201:
        task = Task.objects.get(title="Nhiệm vụ mới")
        assert set(task.coordinating_departments.values_list("code", flat=True)) == {
            "STC",
            "SXD",
        }
        assert response["ETag"] == task.etag
    else:
        assert counts() == before


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_task_detail(world, role, target):
    task = world.tasks[target]
    response = world.client(role).get(f"/api/v1/tasks/{task.pk}/")
    assert response.status_code == task_object(role, "GET", target)
    if response.status_code == 200:
        assert response.data["title"] == task.title
        assert response["ETag"] == task.etag
    else:
        assert task.title not in response.content.decode()


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_task_update(world, role, target):
    task = world.tasks[target]
    before, history = row(task), TaskHistory.objects.filter(task=task).count()
    response = world.client(role).patch(
        f"/api/v1/tasks/{task.pk}/", {"title": "Tên nhiệm vụ đã sửa"}, format="json"
    )
    assert response.status_code == task_object(role, "PATCH", target)
    if response.status_code == 200:
        assert Task.objects.get(pk=task.pk).title == "Tên nhiệm vụ đã sửa"
        assert TaskHistory.objects.filter(task=task).count() == history + 1
    else:
        assert row(task) == before
        assert TaskHistory.objects.filter(task=task).count() == history


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_task_history(world, role, target):
    task = world.tasks[target]
    response = world.client(role).get(f"/api/v1/tasks/{task.pk}/history/")
    assert response.status_code == task_object(role, "GET", target)
    if response.status_code == 200:
        assert [e["action"] for e in response.data["results"]] == ["created"]


# --- Schema and docs -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/api/v1/schema/", "/api/v1/docs/"])
def test_schema_and_docs_are_open(world, role, path):
    response = world.client(role).get(path)
    assert response.status_code == 200
    if path.endswith("schema/"):
        assert b"/api/v1/tasks/{id}/history/" in response.content
