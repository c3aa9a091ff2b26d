"""Zalo in the preferences (API and page) and in the admin: a user may choose it, nobody
has it by default, and the admin never shows the Official Account's tokens."""

import pytest
from django.test import Client

from notifications.models import NotificationPreference, ZaloToken
from notifications.selectors import preferences_of
from tests.factories import UserFactory
from tracker.models import Role

pytestmark = pytest.mark.django_db

PREFERENCES = "/api/v1/notifications/preferences/"


@pytest.fixture
def admin_client() -> Client:
    user = UserFactory(role=Role.OFFICE, username="quantri")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client


def test_the_api_accepts_zalo(api, head):
    body = {"language": "vi", "channels": {"reminder": ["zalo", "sms", "inbox"]}}
    response = api(head).put(PREFERENCES, body, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["channels"]["reminder"] == ["inbox", "sms", "zalo"]
    stored = NotificationPreference.objects.get(user=head, kind="reminder")
    assert stored.channels == ["inbox", "sms", "zalo"]


def test_nobody_has_zalo_by_default(api, officer):
    channels = api(officer).get(PREFERENCES).json()["channels"]
    assert all("zalo" not in chosen for chosen in channels.values())
    assert "zalo" not in preferences_of(officer)["reminder"]


def test_the_token_admin_never_shows_a_token(admin_client):
    ZaloToken.objects.create(access_token="secret-access", refresh_token="secret-refresh")

    page = admin_client.get("/admin/notifications/zalotoken/1/change/")

    assert page.status_code == 200
    assert b"secret-access" not in page.content and b"secret-refresh" not in page.content


def test_the_office_enters_a_new_refresh_token(admin_client):
    ZaloToken.objects.create(access_token="spent-access", refresh_token="spent-refresh")

    response = admin_client.post(
        "/admin/notifications/zalotoken/1/change/", {"refresh_token": "fresh-refresh"}
    )

    assert response.status_code == 302, response.content
    token = ZaloToken.objects.get()
    assert (token.refresh_token, token.access_token, token.expires_at) == (
        "fresh-refresh",
        "",
        None,
    )
