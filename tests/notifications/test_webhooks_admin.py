"""The webhooks in the admin: an endpoint's URL refused by the same rule as the API (SSRF),
the secret made when left empty; failed deliveries sent again by the action."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from notifications.models import NotificationStatus, WebhookDelivery, WebhookEndpoint
from notifications.services.webhooks import webhook_events_record
from tests.factories import UserFactory
from tracker.models import Role

pytestmark = pytest.mark.django_db
ADD = "/admin/notifications/webhookendpoint/add/"


@pytest.fixture
def admin_client(settings: Any, in_memory_broker: None) -> Iterator[Client]:
    settings.WEBHOOK_ALLOW_HTTP = False
    user = UserFactory(role=Role.OFFICE, username="admin_vp", language="en")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    with translation.override("en"):
        yield client


def form(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Cổng dịch vụ công",
        "url": "https://93.184.215.14/hook",
        "event_types": ["task.overdue", "task.assigned"],
        "secret": "",
        "is_active": "on",
    } | fields


def test_the_admin_refuses_a_private_url_and_makes_the_secret(admin_client: Client) -> None:
    refused = admin_client.post(ADD, form(url="https://169.254.169.254/latest/"))
    assert refused.status_code == 200
    assert "private, loopback or reserved" in refused.content.decode()
    assert not WebhookEndpoint.objects.exists()

    allowed = admin_client.post(
        ADD, form(url="https://169.254.169.254/latest/", allow_private_network="on")
    )
    assert allowed.status_code == 302, allowed.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.event_types == ["task.assigned", "task.overdue"]
    page = admin_client.get(f"/admin/notifications/webhookendpoint/{endpoint.pk}/change/")
    assert endpoint.secret in page.content.decode()  # the office reads it to the receiver


def test_the_admin_sends_failed_deliveries_again(admin_client: Client) -> None:
    WebhookEndpoint.objects.create(
        name="Cổng",
        url="https://93.184.215.14/",
        event_types=["task.overdue"],
        secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    )
    webhook_events_record(event="task.overdue", items=[("a", {}), ("b", {})])
    failed, pending = WebhookDelivery.objects.order_by("key")
    WebhookDelivery.objects.filter(pk=failed.pk).update(status=NotificationStatus.FAILED)

    response = admin_client.post(
        "/admin/notifications/webhookdelivery/",
        {"action": "retry", "_selected_action": [failed.pk, pending.pk]},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 delivery(ies) will be sent again." in text
    assert "1 delivery(ies) had not failed and were left alone." in text
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.PENDING
    assert (
        admin_client.get(f"/admin/notifications/webhookdelivery/{failed.pk}/change/").status_code
        == 200
    )
