"""Who may do what on the accounts endpoints of the v1 core: tokens, users and departments,
for every role.

Status codes (API.md): 401 without credentials; 403 for an object the caller may see but
not change, or an action that is not theirs; 404 for an object the caller may not see.
The world and the helpers are in tests/tracker/permission_support.py."""

import pytest
from knox.crypto import hash_token
from knox.models import AuthToken

from tests.conftest import client_for
from tests.factories import PASSWORD
from tests.tracker import permission_support
from tests.tracker.permission_support import DEPARTMENT_ROLES, OFFICE_ROLES, ROLES, counts, row
from tracker.models import Department, User

pytestmark = pytest.mark.django_db


world = permission_support.world


def office_only(role: str, success: int) -> int:
    """Users endpoints and department writes: the office (and superusers) only."""
    if role == "anonymous":
        return 401
    return success if role in OFFICE_ROLES else 403


def everyone_signed_in(role: str, success: int = 200) -> int:
    return 401 if role == "anonymous" else success


# --- Authentication --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_token_with_good_credentials(world, role):
    user = world.users[role] or world.users["office"]
    response = world.client(role).post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.data
    assert AuthToken.objects.get(digest=hash_token(response.data["token"])).user == user


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
    tokens = AuthToken.objects.count()
    response = client.post("/api/v1/auth/token/", credentials, format="json")
    assert response.status_code == 400
    assert "token" not in response.data
    assert AuthToken.objects.count() == tokens


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
