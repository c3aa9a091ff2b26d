"""Only a superuser changes a superuser or grants superuser or staff status, groups and
permissions: an office user (even one with every right on users in the admin) is refused
through the API and the admin; a superuser is not."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tests.conftest import client_for
from tests.factories import PASSWORD, DepartmentFactory, UserFactory
from tracker.models import Role, User
from tracker.services.users import PRIVILEGE_FIELDS, user_change_refusal

pytestmark = pytest.mark.django_db

REFUSED = "Only a superuser may change a superuser"


@pytest.fixture
def root() -> User:
    user = UserFactory(role=Role.OFFICE, username="root", language="en")
    user.is_superuser = user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


@pytest.fixture
def office_admin() -> User:
    """An office user given every right on users and groups in the admin, not a superuser."""
    user = UserFactory(role=Role.OFFICE, username="vp_admin", language="en")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(
        Permission.objects.filter(content_type__model__in=("user", "group", "permission"))
    )
    return User.objects.get(pk=user.pk)  # no cached permissions


def _admin(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "change", [{"password": "Mật-khẩu-mới-2026!"}, {"role": "leader"}, {"active": False}]
)
def test_an_office_user_may_not_change_a_superuser_through_the_api(root, office_admin, change):
    response = client_for(office_admin).patch(f"/api/v1/users/{root.pk}/", change, format="json")
    assert response.status_code == 403
    assert REFUSED in str(response.data["detail"])
    root.refresh_from_db()
    assert root.check_password(PASSWORD) and root.role == Role.OFFICE and root.is_active


def test_a_superuser_may_change_a_superuser_and_the_office_anyone_else(root, office_admin):
    other_root = UserFactory(role=Role.OFFICE, username="root2")
    User.objects.filter(pk=other_root.pk).update(is_superuser=True)
    by_root = client_for(root).patch(
        f"/api/v1/users/{other_root.pk}/", {"role": "leader"}, format="json"
    )
    assert by_root.status_code == 200 and by_root.data["role"] == "leader"
    colleague = UserFactory(role=Role.OFFICE, username="vp_colleague")
    by_office = client_for(office_admin).patch(
        f"/api/v1/users/{colleague.pk}/", {"active": False}, format="json"
    )
    assert by_office.status_code == 200


def test_the_admin_shows_a_superuser_read_only_and_refuses_changes(root, office_admin):
    admin = _admin(office_admin)
    page = admin.get(f"/admin/tracker/user/{root.pk}/change/")
    assert page.status_code == 200
    assert REFUSED in page.content.decode() and 'name="username"' not in page.content.decode()
    assert admin.post(f"/admin/tracker/user/{root.pk}/change/", _form(root)).status_code == 403
    for method in (admin.get, admin.post):
        password = method(
            f"/admin/tracker/user/{root.pk}/password/",
            {"password1": "Mật-khẩu-mới-2026!", "password2": "Mật-khẩu-mới-2026!"},
        )
        assert password.status_code == 403 and REFUSED in password.content.decode()
    assert admin.post(f"/admin/tracker/user/{root.pk}/delete/", {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.check_password(PASSWORD) and root.is_superuser

    assert _admin(root).get(f"/admin/tracker/user/{root.pk}/password/").status_code == 200


def _form(user: User, **extra: object) -> dict[str, object]:
    """The admin's change form of the user as posted, with `extra` fields."""
    joined = user.date_joined
    return {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": joined.date().isoformat(),
        "date_joined_1": joined.time().strftime("%H:%M:%S"),
        "full_name": user.full_name,
        "role": user.role,
        "language": user.language,
        **extra,
    }


def test_only_a_superuser_grants_privileges_in_the_admin(root, office_admin):
    group = Group.objects.create(name="Quản trị")
    permission = Permission.objects.get(codename="change_user")
    target = UserFactory(role=Role.OFFICE, username="vp_target")
    privileges = {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [group.pk],
        "user_permissions": [permission.pk],
    }
    admin = _admin(office_admin)
    page = admin.get(f"/admin/tracker/user/{target.pk}/change/").content.decode()
    assert 'name="full_name"' in page
    assert not any(f'name="{field}"' in page for field in privileges)
    saved = admin.post(
        f"/admin/tracker/user/{target.pk}/change/", _form(target, full_name="Mới", **privileges)
    )
    assert saved.status_code == 302
    target = User.objects.get(pk=target.pk)
    assert target.full_name == "Mới"
    assert not (target.is_superuser or target.is_staff or target.groups.exists())
    assert not target.user_permissions.exists()
    assert admin.get("/admin/auth/group/add/").status_code == 403
    assert admin.post(f"/admin/auth/group/{group.pk}/change/", {"name": "x"}).status_code == 403

    granted = _admin(root).post(
        f"/admin/tracker/user/{target.pk}/change/", _form(target, **privileges)
    )
    assert granted.status_code == 302
    target = User.objects.get(pk=target.pk)
    assert target.is_superuser and target.is_staff and target.groups.get() == group
    assert target.user_permissions.get() == permission


COLLEAGUE_REFUSED = "Only a superuser may set the password of another member of the office"


def test_an_office_user_may_not_set_a_colleagues_password(office_admin):
    """Whoever knew a colleague's password could accept what they reported themselves."""
    colleague = UserFactory(role=Role.OFFICE, username="vp_colleague")

    api = client_for(office_admin).patch(
        f"/api/v1/users/{colleague.pk}/", {"password": "Mật-khẩu-mới-2026!"}, format="json"
    )
    form = _admin(office_admin).get(f"/admin/tracker/user/{colleague.pk}/password/")

    assert api.status_code == 403
    assert COLLEAGUE_REFUSED in str(api.data["detail"])
    assert form.status_code == 403
    colleague.refresh_from_db()
    assert colleague.check_password(PASSWORD)


def test_an_office_user_still_sets_their_own_and_a_departments_passwords(office_admin):
    officer = UserFactory(role=Role.DEPARTMENT_OFFICER, department=DepartmentFactory())

    for user in (officer, office_admin):  # one's own last: the change revokes one's token
        response = client_for(office_admin).patch(
            f"/api/v1/users/{user.pk}/", {"password": "Mật-khẩu-mới-2026!"}, format="json"
        )
        assert response.status_code == 200, response.data
        user.refresh_from_db()
        assert user.check_password("Mật-khẩu-mới-2026!")


def test_a_superuser_sets_an_office_members_password(root):
    colleague = UserFactory(role=Role.OFFICE)

    response = client_for(root).patch(
        f"/api/v1/users/{colleague.pk}/", {"password": "Mật-khẩu-mới-2026!"}, format="json"
    )

    assert response.status_code == 200
    colleague.refresh_from_db()
    assert colleague.check_password("Mật-khẩu-mới-2026!")


def test_the_rule_for_a_new_account_and_for_privileges_alone(office_admin):
    """Asked of an account not yet saved, and of a privilege without a superuser in sight."""
    officer = UserFactory(role=Role.DEPARTMENT_OFFICER, department=DepartmentFactory())
    unsaved = User(username="moi", role=Role.OFFICE)

    assert user_change_refusal(actor=office_admin, user=unsaved, fields=["username"]) is None
    for privilege in PRIVILEGE_FIELDS:
        refusal = user_change_refusal(actor=office_admin, user=officer, fields=[privilege])
        assert refusal is not None and refusal.startswith("Only a superuser may grant")
