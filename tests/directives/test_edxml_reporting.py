"""A received directive reports back to its sender: once by itself when its tasks are all
completed (the last one completed, or the last open one cancelled), and when the office
asks; the edXML status package goes to the endpoint registered for `directive.status` as a
signed delivery, read back at a real loopback receiver by the library's verifier and the
same edXML reader."""

from collections.abc import Iterator
from typing import Any

import pytest
from standardwebhooks import Webhook

from config.common import clock
from directives.edxml.reading import EdxmlStatus, edxml_read
from directives.edxml.service import directive_receive_edxml
from directives.models import Directive
from notifications.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from notifications.services import delivery
from notifications.services.webhooks import webhook_endpoint_create
from tests.directives.edxml_support import Package, complete, status_url, task_of
from tests.factories import DirectiveFactory
from tests.webhook_receiver import Receiver
from tracker.models import Department, User
from tracker.services import lifecycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _environment(settings: Any, in_memory_broker: None) -> None:
    settings.WEBHOOK_ALLOW_HTTP = True


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def exchange(receiver: Receiver) -> WebhookEndpoint:
    """The document exchange's endpoint, which carries status packages to their senders."""
    return webhook_endpoint_create(
        data={
            "name": "Trục liên thông văn bản",
            "url": receiver.url,
            "event_types": [WebhookEvent.DIRECTIVE_STATUS],
            "allow_private_network": True,
        }
    )


@pytest.fixture
def received(office_user: User) -> Directive:
    return directive_receive_edxml(actor=office_user, package=Package().xml()).directive


def _deliver() -> None:
    for batch in delivery.batches(delivery.webhooks_due(clock.now())):
        delivery.webhooks_deliver(batch)


def test_the_last_completion_reports_the_directive_completed_once(
    received: Directive,
    exchange: WebhookEndpoint,
    receiver: Receiver,
    department: Department,
    officer: User,
    office_user: User,
) -> None:
    first, second = task_of(received, department), task_of(received, department)
    complete(first, officer, office_user)
    assert not WebhookDelivery.objects.exists()  # one of two: nothing to report yet

    complete(second, officer, office_user)
    _deliver()
    _deliver()  # a second round sends nothing again

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request.headers["content-type"] == "application/xml"
    # The Standard Webhooks signature over the XML body, checked by the library itself.
    Webhook(exchange.secret).verify(request.body, request.headers, json_parse=False)
    status = edxml_read(request.body)
    assert isinstance(status, EdxmlStatus)
    assert status.status_code == "06"
    assert status.response_for.document_id == received.external_id
    assert status.response_for.organ_id == received.higher_organ_id
    assert "2/2" in status.description


def test_cancelling_the_last_open_task_completes_the_directive(
    received: Directive,
    exchange: WebhookEndpoint,
    department: Department,
    officer: User,
    office_user: User,
) -> None:
    done, dropped = task_of(received, department), task_of(received, department)
    complete(done, officer, office_user)
    lifecycle.task_cancel(task_id=dropped.pk, actor=office_user, reason="Không còn cần thiết")
    row = WebhookDelivery.objects.get()
    assert row.event == WebhookEvent.DIRECTIVE_STATUS
    assert row.key == f"directive.status/{received.pk}/completed/1-1"


def test_a_directive_issued_here_reports_nothing(
    exchange: WebhookEndpoint, department: Department, officer: User, office_user: User
) -> None:
    complete(task_of(DirectiveFactory(), department), officer, office_user)
    assert not WebhookDelivery.objects.exists()


def test_the_office_reports_the_current_status_on_demand(
    received: Directive,
    exchange: WebhookEndpoint,
    receiver: Receiver,
    department: Department,
    api: Any,
    office_user: User,
) -> None:
    task_of(received, department)
    answer = api(office_user).post(status_url(received.pk))
    assert answer.status_code == 202, answer.content
    assert answer.json() == {"deliveries": 1}
    _deliver()
    status = edxml_read(receiver.requests[0].body)
    assert isinstance(status, EdxmlStatus)
    assert status.status_code == "04"  # its task is assigned, none started
    # Asking again is a new report (the office asks because something changed, or was lost).
    assert api(office_user).post(status_url(received.pk)).status_code == 202
    assert WebhookDelivery.objects.count() == 2


def test_reporting_without_an_endpoint_says_what_to_register(
    received: Directive, api: Any, office_user: User
) -> None:
    answer = api(office_user).post(status_url(received.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 409
    assert "Directive status (edXML)" in answer.json()["detail"]
    assert not WebhookDelivery.objects.exists()


def test_only_the_office_reports_and_only_a_received_directive(
    received: Directive,
    exchange: WebhookEndpoint,
    api: Any,
    officer: User,
    leader_user: User,
    office_user: User,
) -> None:
    assert api(leader_user).post(status_url(received.pk)).status_code == 403
    assert api(officer).post(status_url(received.pk)).status_code == 403
    issued_here = DirectiveFactory()
    assert api(office_user).post(status_url(issued_here.pk)).status_code == 404
    assert not WebhookDelivery.objects.exists()
