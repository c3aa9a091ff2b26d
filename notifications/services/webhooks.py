"""Webhooks: the office's endpoints (created, changed and deleted here, their rules in
`webhook_endpoint_errors`) and recording the deliveries of an event. A caller records an
event's items (a de-duplication key and the event's data, opaque here) in its own
transaction: one delivery per key and subscribed endpoint, recorded once (recording the
same key again adds nothing), its body written then, and delivery enqueued on commit."""

import base64
import json
import secrets
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from config.common import clock
from config.common.services import model_update
from notifications.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from notifications.selectors import webhook_endpoints_subscribed
from notifications.services.recording import notifications_save
from notifications.services.webhook_urls import webhook_url_errors

JSON = "application/json"
ENDPOINT_FIELDS = ("name", "url", "event_types", "is_active", "allow_private_network")
SECRET_BYTES = 32


def webhook_secret_new() -> str:
    """A fresh signing secret in Standard Webhooks' form."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def webhook_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def webhook_endpoint_errors(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """The rules across an endpoint's fields: its URL where it may be sent (SSRF, given
    whether the private network is allowed), at least one known event, each once."""
    errors: dict[str, list[str]] = {}
    if "url" in data:
        refused = webhook_url_errors(
            data["url"], allow_private_network=bool(data.get("allow_private_network"))
        )
        if refused:
            errors["url"] = refused
    if "event_types" in data:
        events = list(data["event_types"] or [])
        unknown = [str(event) for event in events if event not in WebhookEvent.values]
        if unknown:
            errors["event_types"] = [
                _("Unknown event types: %(events)s.") % {"events": ", ".join(unknown)}
            ]
        elif not events:
            errors["event_types"] = [_("Choose at least one event.")]
    return errors


def _events_in_order(events: Sequence[str]) -> list[str]:
    chosen = set(events)
    return [event for event in WebhookEvent.values if event in chosen]


@transaction.atomic
def webhook_endpoint_create(*, data: Mapping[str, Any]) -> WebhookEndpoint:
    fields = {name: data[name] for name in ENDPOINT_FIELDS if name in data}
    fields["event_types"] = _events_in_order(fields.get("event_types", []))
    return WebhookEndpoint.objects.create(
        **fields, secret=data.get("secret") or webhook_secret_new()
    )


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, data: Mapping[str, Any]
) -> WebhookEndpoint:
    fields = {name: data[name] for name in (*ENDPOINT_FIELDS, "secret") if name in data}
    if "event_types" in fields:
        fields["event_types"] = _events_in_order(fields["event_types"])
    if not fields.get("secret", True):
        fields.pop("secret")  # left empty: the secret stays
    endpoint, _changed = model_update(instance=endpoint, fields=list(fields), data=fields)
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()  # its deliveries go with it


def webhook_events_record(*, event: str, items: Sequence[tuple[str, Mapping[str, Any]]]) -> int:
    """For each (key, data) and each active endpoint subscribed to `event`, one delivery of
    `{"type", "timestamp", "data"}` as JSON; those recorded before are left alone. One query
    finds the endpoints, none is made when nobody subscribed (bulk paths call this).
    Returns the number of deliveries offered."""
    if not items:
        return 0
    endpoints = webhook_endpoints_subscribed(event)
    if not endpoints:
        return 0
    timestamp = clock.now().astimezone(UTC).isoformat()
    rows: list[WebhookDelivery] = []
    for key, data in items:
        body = json.dumps(
            {"type": event, "timestamp": timestamp, "data": data},
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
        )
        rows.extend(_delivery(endpoint, event, key, body, JSON) for endpoint in endpoints)
    return notifications_save(rows)


def webhook_document_record(*, event: str, key: str, body: bytes, content_type: str) -> int:
    """A document as the body (a directive's edXML status package), sent as given."""
    endpoints = webhook_endpoints_subscribed(event)
    if not endpoints:
        return 0
    text = body.decode()
    return notifications_save(
        [_delivery(endpoint, event, key, text, content_type) for endpoint in endpoints]
    )


def _delivery(
    endpoint: WebhookEndpoint, event: str, key: str, body: str, content_type: str
) -> WebhookDelivery:
    return WebhookDelivery(
        endpoint=endpoint,
        event=event,
        key=key[:200],
        message_id=webhook_message_id(),
        body=body,
        content_type=content_type,
        send_after=clock.now(),
    )
