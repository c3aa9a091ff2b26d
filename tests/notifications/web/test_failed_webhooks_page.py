"""The failed webhooks on the office's failed-deliveries page: listed under the messages,
each sent again by the webhooks' retry (the same webhook-id), a delivery no longer failed
explained, other roles refused."""

import pytest

from notifications.models import NotificationStatus, WebhookDelivery, WebhookEndpoint
from notifications.services.webhooks import webhook_events_record, webhook_secret_new
from tests.web_world import World

pytestmark = pytest.mark.django_db
PAGE = "/deliveries/failed/"


@pytest.fixture
def failed() -> WebhookDelivery:
    WebhookEndpoint.objects.create(
        name="Cổng dịch vụ công",
        url="https://93.184.215.14/hook",
        event_types=["task.overdue"],
        secret=webhook_secret_new(),
    )
    webhook_events_record(event="task.overdue", items=[("task.overdue/1/2026-06-01", {})])
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=NotificationStatus.FAILED, attempts=6, last_error="HTTP 503: bảo trì"
    )
    return delivery


def test_failed_webhooks_are_listed_and_sent_again(world: World, signed_in, failed) -> None:
    client = signed_in(world.office)
    page = client.get(PAGE).content.decode()
    row = page[page.index(f'id="webhook-{failed.pk}"') :]
    for shown in ("Cổng dịch vụ công", failed.message_id, "HTTP 503: bảo trì"):
        assert shown in row
    assert f'action="/deliveries/failed/webhooks/{failed.pk}/retry/"' in row

    response = client.post(f"/deliveries/failed/webhooks/{failed.pk}/retry/", {"next": PAGE})
    assert (response.status_code, response["Location"]) == (302, PAGE)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (NotificationStatus.PENDING, 0)
    assert f'id="webhook-{failed.pk}"' not in client.get(PAGE).content.decode()

    again = client.post(f"/deliveries/failed/webhooks/{failed.pk}/retry/", follow=True)
    assert again.status_code == 200
    assert "Cổng dịch vụ công" in again.content.decode()  # the warning names it
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.PENDING
    assert client.post("/deliveries/failed/webhooks/999999/retry/").status_code == 404


@pytest.mark.parametrize("who", ["syt_officer", "chairman"])
def test_only_the_office_sends_a_webhook_again(world: World, signed_in, failed, who) -> None:
    client = signed_in(getattr(world, who))
    assert client.post(f"/deliveries/failed/webhooks/{failed.pk}/retry/").status_code == 403
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.FAILED
