"""API tokens (django-rest-knox): a new token at each sign-in, stored only as a digest, with
the lifetime the office sets; sign-out revokes the token used, sign-out everywhere all of
them; a password change (API, web page, admin) and a deactivation revoke them all."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from tracker.models import Role, User
from tracker.services.tokens import security_settings_update

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME = "/api/v1/users/me/"


@pytest.fixture
def official() -> User:
    return UserFactory(role=Role.LEADER, username="lanhdao")


def new_token(username: str = "lanhdao", password: str = PASSWORD) -> str:
    response = APIClient().post(
        TOKEN_URL, {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def with_token(token: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(token: str) -> bool:
    status = with_token(token).get(ME).status_code
    assert status in (200, 401)
    return status == 200


def test_each_sign_in_gives_a_new_token_and_both_work(official):
    first, second = new_token(), new_token()
    assert first != second
    assert works(first) and works(second)


def test_the_database_holds_no_token_in_clear(official):
    token = new_token()
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(t)::text FROM knox_authtoken t")
        rows = [row[0] for row in cursor.fetchall()]
    assert len(rows) == 1
    assert token not in rows[0]
    assert AuthToken.objects.get().token_key == token[:15]  # the lookup prefix only


def test_the_expiry_is_the_offices_lifetime_and_an_expired_token_is_401(official):
    security_settings_update(token_lifetime_days=7)
    response = APIClient().post(
        TOKEN_URL, {"username": "lanhdao", "password": PASSWORD}, format="json"
    )
    stored = AuthToken.objects.get()
    assert abs(stored.expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    assert response.json()["expiry"]
    token = response.json()["token"]
    assert works(token)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    expired = with_token(token).get(ME)
    assert expired.status_code == 401
    assert expired.json() == {"detail": "The token has expired; sign in again."}


def test_logout_revokes_the_token_used_only(official):
    used, other = new_token(), new_token()
    response = with_token(used).post("/api/v1/auth/logout/")
    assert response.status_code == 204
    assert not works(used)
    assert works(other)
    assert with_token(used).post("/api/v1/auth/logout/").status_code == 401


def test_logoutall_revokes_every_token_of_the_caller_only(official):
    UserFactory(role=Role.OFFICE, username="vanphong")
    mine, also_mine, theirs = new_token(), new_token(), new_token("vanphong")
    assert with_token(mine).post("/api/v1/auth/logoutall/").status_code == 204
    assert not works(mine) and not works(also_mine)
    assert works(theirs)


def test_a_password_change_by_the_api_revokes_the_users_tokens(official):
    UserFactory(role=Role.OFFICE, username="vanphong")
    office_token, token = new_token("vanphong"), new_token()
    response = with_token(office_token).patch(
        f"/api/v1/users/{official.pk}/", {"password": "Mật-khẩu-mới-2027"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert not works(token)
    assert works(office_token)
    assert works(new_token(password="Mật-khẩu-mới-2027"))


def test_deactivation_revokes_the_users_tokens(official):
    UserFactory(role=Role.OFFICE, username="vanphong")
    office_token, token = new_token("vanphong"), new_token()
    response = with_token(office_token).patch(
        f"/api/v1/users/{official.pk}/", {"active": False}, format="json"
    )
    assert response.status_code == 200
    assert not AuthToken.objects.filter(user=official).exists()
    assert not works(token)


def test_other_changes_to_the_user_keep_the_tokens(official):
    UserFactory(role=Role.OFFICE, username="vanphong")
    office_token, token = new_token("vanphong"), new_token()
    with_token(office_token).patch(
        f"/api/v1/users/{official.pk}/", {"full_name": "Lãnh Đạo Mới"}, format="json"
    )
    assert works(token)


def test_a_password_change_on_the_web_page_revokes_the_tokens(official):
    token = new_token()
    client = Client()
    client.force_login(official)
    new = "Mật-khẩu-mới-2027"
    done = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    assert not works(token)


def test_a_password_change_in_the_admin_revokes_the_tokens(official):
    admin = UserFactory(role=Role.OFFICE, username="quantri")
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    token = new_token()
    client = Client()
    client.force_login(admin)
    new = "Mật-khẩu-mới-2027"
    response = client.post(
        f"/admin/tracker/user/{official.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/tracker/user/{official.pk}/change/"
    assert not works(token)


def test_the_sign_out_endpoints_are_in_the_schema(client):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    assert "204" in paths["/api/v1/auth/logout/"]["post"]["responses"]
    assert "204" in paths["/api/v1/auth/logoutall/"]["post"]["responses"]


def test_the_upgrade_carries_drf_tokens_over_hashed(official):
    """Migration 0013 hashes the tokens DRF's authtoken kept in clear into knox."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("tracker.migrations.0013_sign_in_security")
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id bigint, "
            "created timestamptz)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, now())", [old_key, official.pk])
    with connection.schema_editor() as editor:
        migration.carry_over_drf_tokens(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert works(old_key)
    assert AuthToken.objects.get().expiry < timezone.now() + timedelta(days=31)


def test_the_office_sets_the_lifetime_in_the_admin(official):
    """The list opens the one row; saving it goes through the service; it is never deleted."""
    admin = UserFactory(role=Role.OFFICE, username="quantri")
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    security_settings_update(token_lifetime_days=30)

    listed = client.get("/admin/tracker/securitysettings/")
    saved = client.post(listed["Location"], {"token_lifetime_days": "3"})
    token = new_token()

    assert listed.status_code == 302
    assert saved.status_code == 302
    expiry = AuthToken.objects.get(digest=hash_token(token)).expiry
    assert timedelta(days=2, hours=23) < expiry - timezone.now() <= timedelta(days=3)
    assert client.post(f"{listed['Location'].rsplit('change/', 1)[0]}delete/").status_code == 403


def test_a_token_that_is_not_text_is_a_401_not_a_500(official):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION="Token \xff\xfe\xfd")

    response = client.get(ME)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
