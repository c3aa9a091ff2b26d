"""Who may do what: every endpoint of the v1 core (auth, users, departments, directives,
tasks, history, schema, docs) for every role, and the department scoping of tasks and
directives (a department never sees, even by filtering, a task it is not on).

Status codes (API.md): 401 without credentials; 403 for an object the caller may see but
not change, or an action that is not theirs; 404 for an object the caller may not see."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.forms.models import model_to_dict
from rest_framework.authtoken.models import Token

from directives.models import Directive
from tests.conftest import client_for
from tests.factories import PASSWORD, DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tracker.models import Department, Role, Task, TaskCoordination, TaskHistory, User

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "office",
    "superuser",
    "leader",
    "department_head",
    "department_officer",
    "scoring",
)
# The department users belong to SYT. "own": a task SYT leads; "coordinating": a task SXD
# leads and SYT coordinates; "other": a task STC leads, SYT not on it.
TARGETS = ("own", "coordinating", "other")
OFFICE_ROLES = ("office", "superuser")
DEPARTMENT_ROLES = ("department_head", "department_officer")


@dataclass
class World:
    users: dict[str, User | None]
    tasks: dict[str, Task]
    directives: dict[str, Directive]
    syt: Department
    stc: Department
    sxd: Department

    def client(self, role: str):
        return client_for(self.users[role])


@pytest.fixture
def world(department, other_department, office_user, leader_user, scoring_user, officer, head):
    sxd = DepartmentFactory(code="SXD", name="Sở Xây dựng")
    # A superuser has every right of the office, whatever its role says.
    superuser = UserFactory(role=Role.LEADER, username="root")
    superuser.is_superuser = True
    superuser.is_staff = True
    superuser.save(update_fields=["is_superuser", "is_staff"])
    directives = {
        target: DirectiveFactory(number=f"{n}/TB-UBND") for n, target in enumerate(TARGETS, 1)
    }
    tasks = {
        "own": TaskFactory(
            directive=directives["own"], title="Nhiệm vụ Sở Y tế", lead_department=department
        ),
        "coordinating": TaskFactory(
            directive=directives["coordinating"],
            title="Nhiệm vụ Sở Xây dựng chủ trì",
            lead_department=sxd,
            coordinating_departments=[department],
        ),
        "other": TaskFactory(
            directive=directives["other"],
            title="Nhiệm vụ Sở Tài chính",
            lead_department=other_department,
        ),
    }
    return World(
        users={
            "anonymous": None,
            "office": office_user,
            "superuser": superuser,
            "leader": leader_user,
            "department_head": head,
            "department_officer": officer,
            "scoring": scoring_user,
        },
        tasks=tasks,
        directives=directives,
        syt=department,
        stc=other_department,
        sxd=sxd,
    )


def office_only(role: str, success: int) -> int:
    """Users endpoints and department writes: the office (and superusers) only."""
    if role == "anonymous":
        return 401
    return success if role in OFFICE_ROLES else 403


def everyone_signed_in(role: str, success: int = 200) -> int:
    return 401 if role == "anonymous" else success


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


def row(instance: Any) -> dict[str, Any]:
    """A model's stored values, read afresh from the database."""
    instance = type(instance).objects.get(pk=instance.pk)
    values = model_to_dict(instance)
    for name in ("version", "updated_at", "issued_year", "password", "is_active"):
        if hasattr(instance, name):
            values[name] = getattr(instance, name)
    return values


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Department, Directive, Task, TaskCoordination, TaskHistory)
    }


# --- Authentication --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_token_with_good_credentials(world, role):
    user = world.users[role] or world.users["office"]
    response = world.client(role).post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["token"] == Token.objects.get(user=user).key


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "office", "password": "wrong-password"},
        {"username": "nobody", "password": PASSWORD},
        {"username": "office"},
    ],
    ids=["wrong-password", "unknown-user", "no-password"],
)
def test_token_with_bad_credentials(world, role, credentials):
    client = world.client(role)
    tokens = Token.objects.count()
    response = client.post("/api/v1/auth/token/", credentials, format="json")
    assert response.status_code == 400
    assert "token" not in response.data
    assert Token.objects.count() == tokens


def test_token_of_inactive_user_is_refused(world):
    world.users["leader"].is_active = False
    world.users["leader"].save(update_fields=["is_active"])
    response = client_for(None).post(
        "/api/v1/auth/token/", {"username": "leader", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400


def test_invalid_token_is_401(world):
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/tasks/").status_code == 401


# --- Users -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_user_list(world, role):
    response = world.client(role).get("/api/v1/users/")
    assert response.status_code == office_only(role, 200)
    if response.status_code == 200:
        usernames = {u["username"] for u in response.data["results"]}
        assert {"office", "root", "leader", "syt_officer", "syt_head", "scoring"} <= usernames


@pytest.mark.parametrize("role", ROLES)
def test_user_create(world, role):
    before = counts()
    payload = {
        "username": "new_officer",
        "password": "Another-Strong-Pass-2026",
        "full_name": "Lê Văn Mới",
        "role": "department_officer",
        "department": "SYT",
    }
    response = world.client(role).post("/api/v1/users/", payload, format="json")
    assert response.status_code == office_only(role, 201)
    if response.status_code == 201:
        created = User.objects.get(username="new_officer")
        assert created.department == world.syt
        assert created.check_password("Another-Strong-Pass-2026")
        assert "password" not in response.data
    else:
        assert counts() == before
        assert not User.objects.filter(username="new_officer").exists()


@pytest.mark.parametrize("role", ROLES)
def test_user_me(world, role):
    response = world.client(role).get("/api/v1/users/me/")
    assert response.status_code == everyone_signed_in(role)
    if role != "anonymous":
        assert response.data["username"] == world.users[role].username
        assert response.data["role"] == world.users[role].role


@pytest.mark.parametrize("role", ROLES)
def test_user_detail(world, role):
    target = world.users["department_officer"]
    response = world.client(role).get(f"/api/v1/users/{target.pk}/")
    assert response.status_code == office_only(role, 200)
    if response.status_code == 200:
        assert response.data["username"] == "syt_officer"
        assert "password" not in response.data


@pytest.mark.parametrize("role", ROLES)
def test_user_detail_of_oneself_is_office_only(world, role):
    """Only /users/me/ is open to everyone; the detail endpoint is the office's."""
    user = world.users[role] or world.users["office"]
    response = world.client(role).get(f"/api/v1/users/{user.pk}/")
    assert response.status_code == office_only(role, 200)


@pytest.mark.parametrize("role", ROLES)
def test_user_update(world, role):
    target = world.users["department_officer"]
    before = row(target)
    response = world.client(role).patch(
        f"/api/v1/users/{target.pk}/", {"full_name": "Phạm Thị Sửa"}, format="json"
    )
    assert response.status_code == office_only(role, 200)
    if response.status_code == 200:
        assert User.objects.get(pk=target.pk).full_name == "Phạm Thị Sửa"
    else:
        assert row(target) == before


@pytest.mark.parametrize("role", ["leader", *DEPARTMENT_ROLES, "scoring"])
def test_user_cannot_raise_own_role(world, role):
    """A non-office user patching themselves to office is refused and stays as they were."""
    user = world.users[role]
    before = row(user)
    response = world.client(role).patch(
        f"/api/v1/users/{user.pk}/", {"role": "office"}, format="json"
    )
    assert response.status_code == 403
    assert row(user) == before


# --- Departments -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_department_list(world, role):
    response = world.client(role).get("/api/v1/departments/")
    assert response.status_code == everyone_signed_in(role)
    if response.status_code == 200:
        assert [d["code"] for d in response.data["results"]] == ["STC", "SXD", "SYT"]


@pytest.mark.parametrize("role", ROLES)
def test_department_create(world, role):
    before = counts()
    response = world.client(role).post(
        "/api/v1/departments/",
        {"code": "SNV", "name": "Sở Nội vụ", "kind": "so", "supervising_leader": None},
        format="json",
    )
    assert response.status_code == office_only(role, 201)
    if response.status_code == 201:
        assert Department.objects.get(code="SNV").name == "Sở Nội vụ"
    else:
        assert counts() == before


@pytest.mark.parametrize("role", ROLES)
def test_department_detail(world, role):
    response = world.client(role).get(f"/api/v1/departments/{world.stc.pk}/")
    assert response.status_code == everyone_signed_in(role)
    if response.status_code == 200:
        assert response.data["code"] == "STC"


@pytest.mark.parametrize("role", ROLES)
def test_department_update(world, role):
    before = row(world.syt)
    response = world.client(role).patch(
        f"/api/v1/departments/{world.syt.pk}/", {"name": "Sở Y tế tỉnh"}, format="json"
    )
    assert response.status_code == office_only(role, 200)
    if response.status_code == 200:
        assert Department.objects.get(pk=world.syt.pk).name == "Sở Y tế tỉnh"
    else:
        assert row(world.syt) == before


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
