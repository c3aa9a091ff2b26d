"""The office's webhook endpoints and deliveries through the API: create (a secret made
when none is given), list, update, delete; other roles 403; bad input a 400 naming each
field (the URL rule, unknown events); the deliveries' failure list and retry."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from standardwebhooks import Webhook

from notifications.models import NotificationStatus, WebhookDelivery, WebhookEndpoint
from notifications.services.webhooks import webhook_events_record

pytestmark = pytest.mark.django_db

ENDPOINTS = "/api/v1/webhook-endpoints/"
DELIVERIES = "/api/v1/webhook-deliveries/"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture(autouse=True)
def _setup(settings: Any, in_memory_broker: None) -> Iterator[None]:
    settings.WEBHOOK_ALLOW_HTTP = False
    with translation.override("en"):
        yield


def payload(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Hệ thống quản lý văn bản",
        "url": "https://93.184.215.14/dondoc",
        "event_types": ["task.completed", "task.assigned"],
    } | fields


def test_the_office_registers_an_endpoint_and_gets_its_secret(api, office_user) -> None:
    response = api(office_user).post(ENDPOINTS, payload(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["event_types"] == ["task.assigned", "task.completed"]  # in the events' order
    assert body["is_active"] is True
    assert body["allow_private_network"] is False
    assert body["secret"].startswith("whsec_")
    Webhook(body["secret"])  # the library takes it
    endpoint = WebhookEndpoint.objects.get(pk=body["id"])
    assert endpoint.secret == body["secret"]

    listed = api(office_user).get(ENDPOINTS).json()
    assert [row["id"] for row in listed["results"]] == [endpoint.pk]
    assert api(office_user).get(f"{ENDPOINTS}{endpoint.pk}/").json()["name"] == body["name"]


def test_a_given_secret_is_kept_and_patch_changes_only_what_is_sent(api, office_user) -> None:
    created = api(office_user).post(ENDPOINTS, payload(secret=SECRET), format="json").json()
    assert created["secret"] == SECRET

    url = f"{ENDPOINTS}{created['id']}/"
    response = api(office_user).patch(url, {"is_active": False}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert response.json()["secret"] == SECRET
    assert response.json()["event_types"] == ["task.assigned", "task.completed"]

    # A private address needs the flag, sent with it or already stored.
    private = {"url": "https://10.0.0.8/hook"}
    assert api(office_user).patch(url, private, format="json").status_code == 400
    allowed = private | {"allow_private_network": True}
    assert api(office_user).patch(url, allowed, format="json").status_code == 200
    assert api(office_user).patch(url, {"url": "https://[::1]/"}, format="json").status_code == 200
    # Taking the flag away from a private URL is refused.
    refused = api(office_user).patch(url, {"allow_private_network": False}, format="json")
    assert refused.status_code == 400
    assert "url" in refused.json()

    assert api(office_user).delete(url).status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_bad_input_names_each_field(api, office_user) -> None:
    bad = payload(
        url="http://127.0.0.1:8000/hook",
        event_types=["task.assigned", "task.exploded"],
        secret="not-a-secret",
        name="",
    )
    response = api(office_user).post(ENDPOINTS, bad, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"name", "event_types", "secret"}  # each field's own check
    ssrf = api(office_user).post(ENDPOINTS, payload(url="https://127.0.0.1/"), format="json")
    assert ssrf.status_code == 400
    assert "private, loopback or reserved" in ssrf.json()["url"][0]
    http = api(office_user).post(ENDPOINTS, payload(url="http://93.184.215.14/"), format="json")
    assert http.json() == {"url": ["The URL must begin with https://."]}
    empty = api(office_user).post(ENDPOINTS, payload(event_types=[]), format="json")
    assert set(empty.json()) == {"event_types"}
    typed = api(office_user).post(ENDPOINTS, payload(event_types="task.assigned"), format="json")
    assert set(typed.json()) == {"event_types"}
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("role", ["officer", "head", "leader_user", "scoring_user"])
def test_webhooks_are_the_offices(api, role, request) -> None:
    user = request.getfixturevalue(role)
    assert api(user).get(ENDPOINTS).status_code == 403
    assert api(user).post(ENDPOINTS, payload(), format="json").status_code == 403
    assert api(user).get(DELIVERIES).status_code == 403
    assert api(None).get(ENDPOINTS).status_code == 401
    assert not WebhookEndpoint.objects.exists()


def test_the_failure_list_and_its_retry(api, office_user) -> None:
    endpoint = WebhookEndpoint.objects.create(
        name="Cổng", url="https://93.184.215.14/", event_types=["task.overdue"], secret=SECRET
    )
    webhook_events_record(event="task.overdue", items=[("a", {"n": 1}), ("b", {"n": 2})])
    failed, pending = WebhookDelivery.objects.order_by("key")
    WebhookDelivery.objects.filter(pk=failed.pk).update(
        status=NotificationStatus.FAILED, attempts=6, last_error="HTTP 500: oops"
    )

    listed = api(office_user).get(DELIVERIES, {"status": "failed"}).json()
    assert [row["id"] for row in listed["results"]] == [failed.pk]
    row = listed["results"][0]
    assert (row["endpoint"], row["event"], row["last_error"]) == (
        endpoint.pk,
        "task.overdue",
        "HTTP 500: oops",
    )
    assert row["message_id"] == failed.message_id
    assert api(office_user).get(DELIVERIES, {"status": "lost"}).status_code == 400

    retried = api(office_user).post(f"{DELIVERIES}{failed.pk}/retry/")
    assert retried.status_code == 200, retried.content
    assert (retried.json()["status"], retried.json()["attempts"]) == ("pending", 0)
    assert retried.json()["message_id"] == failed.message_id  # the same webhook-id
    assert api(office_user).post(f"{DELIVERIES}{pending.pk}/retry/").status_code == 409
    assert api(office_user).post(f"{DELIVERIES}999999/retry/").status_code == 404
