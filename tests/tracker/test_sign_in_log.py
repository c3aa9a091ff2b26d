"""The sign-in log: a row for each sign-in, failed sign-in, lockout, sign-out and token
revocation, by every door (API, web page, admin); append-only for the model and for raw SQL;
read by the office at GET /api/v1/sign-in-events/ and in the admin."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from tracker.models import Role, SignInEvent, User
from tracker.models.history import AppendOnlyError

pytestmark = pytest.mark.django_db

URL = "/api/v1/sign-in-events/"
AGENT = "Mozilla/5.0 " + "x" * 400


@pytest.fixture
def official() -> User:
    return UserFactory(role=Role.LEADER, username="lanhdao")


@pytest.fixture
def office() -> User:
    return UserFactory(role=Role.OFFICE, username="vanphong")


def api_sign_in(username: str, password: str) -> APIClient:
    client = APIClient(HTTP_USER_AGENT=AGENT, REMOTE_ADDR="203.0.113.7")
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    if response.status_code == 200:
        client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def events() -> list[tuple[str, str, str, str]]:
    return [
        (event.kind, event.channel, event.username, event.reason)
        for event in SignInEvent.objects.order_by("id")
    ]


def test_every_event_of_the_api_is_logged(official):
    api_sign_in("lanhdao", "wrong")
    api_sign_in("nobody", "wrong")
    for _ in range(5):  # the fifth is the sixth attempt at the account: refused, and locks it
        api_sign_in("lanhdao", "wrong")
    api_sign_in("lanhdao", PASSWORD)
    assert events()[:2] == [
        ("failed", "api", "lanhdao", ""),
        ("failed", "api", "nobody", ""),
    ]
    assert events()[-2:] == [("locked_out", "api", "lanhdao", "")] * 2
    failed = SignInEvent.objects.filter(kind="failed").first()
    assert failed.user is None and failed.address == "203.0.113.7"
    assert failed.user_agent == AGENT[:255]


def test_sign_in_sign_out_and_revocations_are_logged(official):
    client = api_sign_in("lanhdao", PASSWORD)
    client.post("/api/v1/auth/logout/")
    other = api_sign_in("lanhdao", PASSWORD)
    other.post("/api/v1/auth/logoutall/")
    api_sign_in("lanhdao", PASSWORD)
    official.set_password("Mật-khẩu-mới-2027")
    official.save()  # as `manage.py changepassword` does
    assert events() == [
        ("signed_in", "api", "lanhdao", ""),
        ("signed_out", "api", "lanhdao", ""),
        ("signed_in", "api", "lanhdao", ""),
        ("tokens_revoked", "api", "lanhdao", "signed_out_everywhere"),
        ("signed_in", "api", "lanhdao", ""),
        ("tokens_revoked", "system", "lanhdao", "password_changed"),
    ]
    assert {event.user for event in SignInEvent.objects.all()} == {official}


def test_the_web_pages_and_the_admin_are_logged(official):
    client = Client()
    client.post("/signin/", {"username": "lanhdao", "password": "wrong"})
    client.post("/signin/", {"username": "lanhdao", "password": PASSWORD})
    client.post("/signout/")
    Client().post("/admin/login/", {"username": "lanhdao", "password": "wrong"})
    assert events() == [
        ("failed", "web", "lanhdao", ""),
        ("signed_in", "web", "lanhdao", ""),
        ("signed_out", "web", "lanhdao", ""),
        ("failed", "admin", "lanhdao", ""),
    ]


def test_the_log_refuses_update_and_delete_in_the_model_and_in_sql(official):
    api_sign_in("lanhdao", "wrong")
    event = SignInEvent.objects.get()
    event.username = "someone-else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SignInEvent.objects.filter(pk=event.pk).update(username="x")
    with pytest.raises(AppendOnlyError):
        SignInEvent.objects.filter(pk=event.pk).delete()
    for statement in (
        "UPDATE tracker_signinevent SET username = 'x'",
        "DELETE FROM tracker_signinevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert SignInEvent.objects.get().username == "lanhdao"


def test_the_office_reads_the_log_with_filters(official, office, api):
    api_sign_in("lanhdao", "wrong")
    api_sign_in("lanhdao", PASSWORD)
    api_sign_in("vanphong", PASSWORD)
    client = api(office)
    everything = client.get(URL).json()
    assert everything["count"] == 3
    assert everything["results"][0]["username"] == "vanphong"  # newest first
    assert set(everything["results"][0]) == {
        *("id", "at", "kind", "channel", "username", "user", "address", "user_agent"),
        "reason",
    }
    assert client.get(URL, {"user": official.pk}).json()["count"] == 1
    assert client.get(URL, {"kind": "failed"}).json()["count"] == 1
    today = everything["results"][0]["at"][:10]
    assert client.get(URL, {"from": today, "to": today}).json()["count"] == 3
    assert client.get(URL, {"to": "2001-01-01"}).json()["count"] == 0
    bad = client.get(URL, {"kind": "nonsense", "from": "20260101"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"kind", "from"}


@pytest.mark.parametrize("role", [Role.LEADER, Role.SCORING])
def test_only_the_office_reads_the_log(api, role):
    assert api(UserFactory(role=role)).get(URL).status_code == 403
    assert APIClient().get(URL).status_code == 401


def test_the_admin_shows_the_log_read_only(official):
    api_sign_in("lanhdao", "wrong")
    admin = UserFactory(role=Role.OFFICE, username="quantri")
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    listing = client.get("/admin/tracker/signinevent/")
    assert listing.status_code == 200
    assert "lanhdao" in listing.content.decode()
    event = SignInEvent.objects.get(kind="failed")
    assert client.get(f"/admin/tracker/signinevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/tracker/signinevent/add/").status_code == 403
    assert client.post(f"/admin/tracker/signinevent/{event.pk}/delete/").status_code == 403
