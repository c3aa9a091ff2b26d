"""The channels a notification goes out on, behind one small interface: `send(notification)`
returns the provider's message id or raises ChannelError; `close()` lets go of what the
sender kept between messages (the e-mail connection of a delivery batch). Every external
call has a timeout (EMAIL_TIMEOUT, SMS_GATEWAY_TIMEOUT, ZALO_TIMEOUT)."""

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from notifications.models import Channel, Notification
from notifications.selectors import zalo_template_id
from notifications.services.zalo import (
    GIVE_UP,
    REFRESH,
    ZaloTokenError,
    post,
    zalo_access_token,
    zalo_token_refresh,
    zns_action,
    zns_meaning,
    zns_phone,
)

logger = logging.getLogger(__name__)


class ChannelError(Exception):
    """The message did not go out; it may be tried again, unless `permanent`: the
    provider's answer says no attempt can succeed (it fails at once)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Sender(Protocol):
    def send(self, notification: Notification) -> str: ...

    def close(self) -> None: ...


class InboxSender:
    """The in-app inbox: a sent inbox notification is what the user's inbox lists."""

    def send(self, notification: Notification) -> str:
        return ""

    def close(self) -> None:
        pass


class EmailSender:
    """Django's e-mail backend (SMTP in production; django-anymail by configuration). One
    connection serves every message of a batch: opened at the first, closed by `close()`,
    and dropped after a failure so the next message opens a fresh one."""

    def __init__(self) -> None:
        self.connection: Any = None

    def send(self, notification: Notification) -> str:
        message_id = f"<notification-{notification.pk}@dondoc>"
        if self.connection is None:
            self.connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            to=[notification.recipient.email],
            headers={"Message-ID": message_id, "X-Dondoc-Notification": str(notification.pk)},
            connection=self.connection,
        )
        try:
            # Opened here, the backend leaves the connection open after the message (it
            # closes only a connection it opened itself).
            self.connection.open()
            message.send()
        except OSError as exc:  # smtplib's errors are OSErrors
            self.close()
            raise ChannelError(f"{type(exc).__name__}: {exc}") from exc
        return message_id

    def close(self) -> None:
        # Django's SMTP backend closes a broken connection without raising.
        connection, self.connection = self.connection, None
        if connection is not None:
            connection.close()


class ConsoleSmsSender:
    """For development: the SMS is written to the log."""

    def send(self, notification: Notification) -> str:
        logger.info("SMS to %s: %s", notification.recipient.phone, notification.body)
        return f"console-{notification.pk}"

    def close(self) -> None:
        pass


class HttpSmsSender:
    """A generic HTTP JSON gateway, as the Vietnamese brandname SMS providers offer: the
    URL, credentials, field names and success code come from settings."""

    def send(self, notification: Notification) -> str:
        fields = settings.SMS_GATEWAY_FIELDS
        payload = {
            fields["phone"]: notification.recipient.phone,
            fields["text"]: notification.body,
            fields["brandname"]: settings.SMS_GATEWAY_BRANDNAME,
            fields["reference"]: str(notification.pk),
        }
        if settings.SMS_GATEWAY_USERNAME:
            payload[fields["username"]] = settings.SMS_GATEWAY_USERNAME
            payload[fields["password"]] = settings.SMS_GATEWAY_PASSWORD
        request = urllib.request.Request(
            settings.SMS_GATEWAY_URL,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as reply:
                answer = json.loads(reply.read() or b"{}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ChannelError(f"{type(exc).__name__}: {exc}") from exc
        code = str(answer.get(settings.SMS_GATEWAY_CODE_FIELD, ""))
        if code != settings.SMS_GATEWAY_SUCCESS_CODE:
            raise ChannelError(f"gateway answered {code!r}: {answer}")
        return str(answer.get(settings.SMS_GATEWAY_ID_FIELD, ""))

    def close(self) -> None:
        pass


class ZaloSender:
    """Zalo Notification Service template messages from the Official Account: the template
    the office registered for the message's code and language, the parameters stored as the
    notification's body. An answer refusing the access token refreshes it once and sends
    once more; the error codes of notifications/data/zns.yaml decide between trying again
    later and failing at once."""

    def send(self, notification: Notification) -> str:
        code, language = notification.code, notification.language
        template_id = zalo_template_id(code, language)
        if not template_id:
            raise ChannelError(
                f"no Zalo template for {code} ({language}): enter its ZNS template id in "
                "the admin (Zalo templates), then retry",
                permanent=True,
            )
        phone = zns_phone(notification.recipient.phone)
        if not phone:
            raise ChannelError("the recipient has no phone number", permanent=True)
        payload = json.dumps(
            {
                "phone": phone,
                "template_id": template_id,
                "template_data": json.loads(notification.body),
                "tracking_id": str(notification.pk),
            },
            ensure_ascii=False,
        ).encode()
        try:
            token = zalo_access_token()
            answer = self._post(payload, token)
            if zns_action(self._code(answer)) == REFRESH:
                answer = self._post(payload, zalo_token_refresh(seen=token))
        except ZaloTokenError as exc:
            raise ChannelError(str(exc)) from exc
        error = self._code(answer)
        if error == 0:
            data = answer.get("data")
            return str(data.get("msg_id", "")) if isinstance(data, dict) else ""
        meaning = zns_meaning(error)
        raise ChannelError(
            f"Zalo answered {error} {answer.get('message', '')!r}"
            + (f" ({meaning})" if meaning else ""),
            permanent=zns_action(error) == GIVE_UP,
        )

    def _post(self, payload: bytes, token: str) -> dict[str, Any]:
        request = urllib.request.Request(
            settings.ZALO_ZNS_URL,
            data=payload,
            headers={"Content-Type": "application/json", "access_token": token},
            method="POST",
        )
        try:
            return post(request)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ChannelError(f"{type(exc).__name__}: {exc}") from exc

    @staticmethod
    def _code(answer: dict[str, Any]) -> int:
        try:
            return int(answer.get("error", -1))
        except (TypeError, ValueError):
            return -1

    def close(self) -> None:
        pass


def sender_for(channel: str) -> Sender:
    if getattr(settings, "NOTIFICATION_NULL_CHANNELS", False):
        return InboxSender()  # benchmarks only (bench/noop_tasks.py): nothing goes out
    if channel == Channel.EMAIL:
        return EmailSender()
    if channel == Channel.SMS:
        return HttpSmsSender() if settings.SMS_BACKEND == "http" else ConsoleSmsSender()
    if channel == Channel.ZALO:
        return ZaloSender()
    return InboxSender()


@contextmanager
def channel_senders() -> Iterator[Callable[[str], Sender]]:
    """The senders of one delivery batch: one per channel, made at its first message and
    closed when the batch ends (so an e-mail batch uses one SMTP connection)."""
    senders: dict[str, Sender] = {}

    def sender(channel: str) -> Sender:
        if channel not in senders:
            senders[channel] = sender_for(channel)
        return senders[channel]

    try:
        yield sender
    finally:
        for kept in senders.values():
            kept.close()
