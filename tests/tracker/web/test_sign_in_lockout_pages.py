"""The lockout on the web sign-in page and the admin's: the attempt after the allowed
failures is the sign-in page again, status 429 with Retry-After, saying how long to wait;
the right password is refused meanwhile."""

import re

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from tracker.models import Role, User

pytestmark = pytest.mark.django_db

ACCOUNT = 5  # SIGN_IN_ACCOUNT_FAILURES' default
WAIT = "Too many failed sign-ins for this account or from this address. Try again in 15 minutes."


def post(url: str, username: str, password: str):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    return client.post(url, {"username": username, "password": password})


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def officer() -> User:
    return UserFactory(role=Role.LEADER, username="lanhdao")


def test_the_web_sign_in_page_after_the_allowed_failures(officer):
    for _ in range(ACCOUNT):
        response = post("/signin/", "lanhdao", "wrong")
        assert response.status_code == 200
        assert "Try again in" not in text(response)
    refused = post("/signin/", "lanhdao", "wrong")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    assert WAIT in text(refused)
    assert 'name="username"' in text(refused)  # the sign-in form again
    right = post("/signin/", "lanhdao", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in right.wsgi_request.session


def test_the_admin_sign_in_after_the_allowed_failures(officer):
    admin = UserFactory(role=Role.OFFICE, username="quantri")
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    for _ in range(ACCOUNT):
        assert post("/admin/login/", "quantri", "wrong").status_code == 200
    refused = post("/admin/login/", "quantri", "wrong")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert WAIT in text(refused)
    assert post("/admin/login/", "quantri", PASSWORD).status_code == 429
