"""Sending a webhook delivery: its body signed (Standard Webhooks: `webhook-id`,
`webhook-timestamp`, `webhook-signature`, HMAC-SHA256 by the standardwebhooks library) and
posted to its endpoint. The URL is checked again at each attempt and the connection made
to the very address checked (`webhook_target`), the Host header and TLS server name kept.
A 2xx answer is success; anything else, a redirect included (never followed), a timeout
or a connection error is a failed attempt (ChannelError). At most ANSWER_BYTES of the
answer are read."""

import http.client
import socket
import ssl
from datetime import UTC, datetime

from django.conf import settings
from standardwebhooks import Webhook

from notifications.channels import ChannelError
from notifications.models import WebhookDelivery
from notifications.services.webhook_urls import WebhookTarget, WebhookUrlRefused, webhook_target

USER_AGENT = "Dondoc-Webhooks"
ANSWER_BYTES = 4096


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to now."""

    def __init__(self, target: WebhookTarget, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the host name."""

    def __init__(self, target: WebhookTarget, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def signed_headers(delivery: WebhookDelivery, moment: datetime) -> dict[str, str]:
    """The headers of one attempt. The timestamp is the real time of sending (the receiver
    checks it against its own clock), not the application's clock."""
    signature = Webhook(delivery.endpoint.secret).sign(delivery.message_id, moment, delivery.body)
    return {
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": signature,
        "Content-Type": delivery.content_type,
        "User-Agent": USER_AGENT,
    }


def webhook_send(delivery: WebhookDelivery) -> str:
    """Posts the delivery once. Returns the receiver's HTTP status (2xx)."""
    endpoint = delivery.endpoint
    try:
        target = webhook_target(endpoint.url, allow_private_network=endpoint.allow_private_network)
    except WebhookUrlRefused as refusal:
        raise ChannelError(f"URL refused: {refusal}") from refusal
    connection_class = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    connection = connection_class(target, timeout=settings.WEBHOOK_TIMEOUT)
    headers = signed_headers(delivery, datetime.now(UTC).replace(microsecond=0))
    try:
        connection.request("POST", target.target, body=delivery.body.encode(), headers=headers)
        answer = connection.getresponse()
        excerpt = answer.read(ANSWER_BYTES).decode(errors="replace")
    except (OSError, http.client.HTTPException) as exc:
        raise ChannelError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()
    if not 200 <= answer.status < 300:
        raise ChannelError(f"HTTP {answer.status}: {excerpt[:500]}")
    return str(answer.status)
