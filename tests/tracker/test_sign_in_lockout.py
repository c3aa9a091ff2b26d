"""Sign-in throttling and lockout at the token endpoint (django-axes, per account and per
address): the attempt after the allowed failures is a 429 with Retry-After in the project's
error shape, the right password is refused while locked, the lock ends after the cool-off,
and a success forgets the account's failures."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from tracker.models import Role, SignInEvent, SignInKind
from tracker.services.lockout import lockout_message

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"
ACCOUNT, ADDRESS, COOL_OFF = 5, 20, 15  # the settings' defaults (SIGN_IN_*)


def sign_in(username: str, password: str, address: str = "203.0.113.7", language: str = "en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)
    return client.post(URL, {"username": username, "password": password}, format="json")


@pytest.fixture
def official():
    return UserFactory(role=Role.LEADER, username="lanhdao")


def fail(username: str, times: int, address: str = "203.0.113.7") -> None:
    for _ in range(times):
        assert sign_in(username, "wrong", address).status_code == 400


def test_the_attempt_after_the_allowed_failures_is_429_with_retry_after(official):
    fail("lanhdao", ACCOUNT)
    response = sign_in("lanhdao", "wrong")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= COOL_OFF * 60
    assert response.json() == {
        "detail": "Too many failed sign-ins for this account or from this address. "
        "Try again in 15 minutes."
    }
    vietnamese = sign_in("lanhdao", "wrong", language="vi")
    assert vietnamese.status_code == 429
    with translation.override("vi"):
        assert vietnamese.json()["detail"] == lockout_message(int(vietnamese["Retry-After"]))


def test_the_right_password_is_refused_while_locked_then_accepted_after_the_cool_off(official):
    fail("lanhdao", ACCOUNT)
    assert sign_in("lanhdao", "wrong").status_code == 429
    locked = sign_in("lanhdao", PASSWORD)
    assert locked.status_code == 429
    assert "token" not in locked.json()
    # From another address too: the lock is the account's.
    assert sign_in("lanhdao", PASSWORD, address="198.51.100.9").status_code == 429
    # The cool-off passes (the failures are moved back in time).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=COOL_OFF))
    assert sign_in("lanhdao", PASSWORD).status_code == 200


def test_an_address_is_locked_across_usernames(official):
    other = UserFactory(role=Role.OFFICE, username="vanphong")
    for number in range(ADDRESS):
        assert sign_in(f"guess{number % 4}", "wrong").status_code == 400
    refused = sign_in("someone-else", "wrong")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert sign_in(other.username, PASSWORD).status_code == 429
    # Another address is not concerned.
    assert sign_in(other.username, PASSWORD, address="198.51.100.9").status_code == 200


def test_a_success_forgets_the_accounts_failures_only(official):
    fail("lanhdao", ACCOUNT)
    assert sign_in("lanhdao", PASSWORD).status_code == 200
    fail("lanhdao", ACCOUNT)  # counted from zero again
    assert sign_in("lanhdao", "wrong").status_code == 429


def test_signing_in_to_ones_own_account_does_not_wipe_the_guesses_at_another(official):
    UserFactory(role=Role.OFFICE, username="insider")
    fail("lanhdao", ACCOUNT - 1)
    assert sign_in("insider", PASSWORD).status_code == 200
    fail("lanhdao", 1)
    assert sign_in("lanhdao", "wrong").status_code == 429


@pytest.mark.parametrize("trusted", [0, 1])
def test_the_address_behind_the_proxy(official, settings, trusted):
    """Behind deploy/nginx.conf (TRUSTED_PROXY_COUNT=1) the client's address is the last
    X-Forwarded-For entry, which nginx appends; what the client wrote before is ignored."""
    settings.TRUSTED_PROXY_COUNT = trusted
    client = APIClient(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.50")
    client.post(URL, {"username": "lanhdao", "password": "wrong"}, format="json")
    expected = "203.0.113.50" if trusted else "172.18.0.5"
    assert AccessAttempt.objects.get().ip_address == expected
    assert SignInEvent.objects.get(kind=SignInKind.FAILED).address == expected


def test_the_token_endpoint_documents_429(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    responses = schema["paths"][URL]["post"]["responses"]
    assert "429" in responses
