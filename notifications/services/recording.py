"""Recording messages: the one entry point every sender calls (`messages_record`, or
`message_record` for one). A message is for a recipient on a channel, with a template and
its context, a send time and a de-duplication key the sender builds; it may carry a link
and an opaque reference to its subject, stored as given. Here the recipient's preferences
apply (escalations ignore opt-outs; Zalo beside SMS for those who choose it), a recipient
without an address on a channel gets nothing there, SMS and Zalo wait out the night, and
the text is rendered in the recipient's language. Rows recorded before are left alone (the
unique key ignores them), and delivery is enqueued once the transaction has committed."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from celery import current_app
from django.db import transaction

from config.common.users import AuthUser
from notifications.models import (
    Channel,
    Deliverable,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from notifications.selectors import message_settings_get
from notifications.services.messages import render
from notifications.services.timing import allowed_moment

# A user (settings.AUTH_USER_MODEL): recording reads their language, e-mail and phone.
Recipient = AuthUser


@dataclass(frozen=True)
class Message:
    """One message to record.

    `texts` and `code` name its templates: `<texts>/<channel>/<code>.<language>.txt` (and
    `….subject.txt` for e-mail), rendered with `context`. `send_after` is the sender's
    moment; quiet hours may put it later (`allowed_moment`). `key` is the de-duplication key:
    one row per key, recipient and channel. `link` is the web path of the message's subject
    (the inbox's "open" button); `about` and `about_id` the sender's reference to that
    subject, stored and never interpreted here."""

    recipient: Recipient
    channel: str
    kind: str
    texts: str
    code: str
    context: Mapping[str, Any]
    send_after: datetime
    key: str
    link: str = ""
    about: str = ""
    about_id: int | None = None


def reachable(recipient: Recipient, channel: str) -> bool:
    """A recipient without an e-mail address or a phone number gets nothing on that
    channel; everyone has an inbox."""
    if channel == Channel.EMAIL:
        return bool(recipient.email)
    if channel in (Channel.SMS, Channel.ZALO):
        return bool(recipient.phone)
    return True


def preferred_channels(recipients: Iterable[Recipient]) -> dict[tuple[Any, str], set[str]]:
    """The channels each recipient chose, by (user id, kind); no entry: every channel."""
    ids = {recipient.pk for recipient in recipients}
    return {
        (p.user_id, p.kind): set(p.channels)
        for p in NotificationPreference.objects.filter(user_id__in=ids)
    }


def wanted(message: Message, preferences: Mapping[tuple[Any, str], set[str]]) -> bool:
    """Whether the message goes out: the recipient has an address on its channel and has
    not opted out of its kind there. Escalations ignore opt-outs: they must reach the people
    responsible."""
    if not reachable(message.recipient, message.channel):
        return False
    if message.kind == NotificationKind.ESCALATION:
        return True
    chosen = preferences.get((message.recipient.pk, message.kind))
    return chosen is None or message.channel in chosen


def channels_expanded(
    messages: Sequence[Message], preferences: Mapping[tuple[Any, str], set[str]]
) -> list[Message]:
    """The messages with Zalo added where the recipients choose it: a recipient whose
    preference for a message's kind includes Zalo also gets on Zalo each message the sender
    gives by SMS (Zalo beside SMS; who chose Zalo and not SMS gets Zalo instead, `wanted`
    dropping the SMS, except for escalations, which ignore opt-outs). The sender's own Zalo
    messages stay as they are; a recipient without a preference gets exactly what the
    sender gives."""
    given = {(m.key, m.recipient.pk, m.channel) for m in messages}
    expanded = list(messages)
    for message in messages:
        if message.channel != Channel.SMS:
            continue
        chosen = preferences.get((message.recipient.pk, message.kind))
        added = (message.key, message.recipient.pk, Channel.ZALO)
        if chosen is not None and Channel.ZALO in chosen and added not in given:
            given.add(added)
            expanded.append(replace(message, channel=Channel.ZALO))
    return expanded


def messages_record(messages: Sequence[Message]) -> int:
    """Records the messages the recipients want (their preferences) and can receive (their
    addresses), each rendered in its recipient's language. The office's SMS setting is read
    once per call (a sweep batch, a digest run), so a change in the admin takes effect at
    the next one. Returns the number of rows offered (those recorded before included)."""
    if not messages:
        return 0
    preferences = preferred_channels(message.recipient for message in messages)
    sms_with_diacritics = message_settings_get().sms_with_diacritics
    rows = [
        rendered_notification(message, sms_with_diacritics=sms_with_diacritics)
        for message in channels_expanded(messages, preferences)
        if wanted(message, preferences)
    ]
    return notifications_save(rows)


def message_record(message: Message) -> int:
    """One message (`messages_record` of one)."""
    return messages_record([message])


def rendered_notification(message: Message, *, sms_with_diacritics: bool) -> Notification:
    """One row (not saved), its text rendered in the recipient's language."""
    language = message.recipient.language
    subject, body = render(
        message.code,
        message.channel,
        language,
        message.context,
        texts=message.texts,
        sms_with_diacritics=sms_with_diacritics,
    )
    return Notification(
        kind=message.kind,
        key=message.key,
        code=message.code,
        about=message.about,
        about_id=message.about_id,
        link=message.link,
        recipient=message.recipient,
        channel=message.channel,
        language=language,
        subject=subject[:255],
        body=body,
        send_after=allowed_moment(message.send_after, message.channel),
    )


def notifications_save(rows: Sequence[Deliverable]) -> int:
    """Inserts the rows (notifications, or webhook deliveries: one model at a time), leaving
    alone those recorded before (their unique key), and enqueues their delivery once the
    transaction has committed. Returns the number offered."""
    if rows:
        type(rows[0])._default_manager.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(enqueue_dispatch)
    return len(rows)


def enqueue_dispatch() -> None:
    """Hands the due notifications to the workers (by task name: services never import the
    Celery task modules, which import them)."""
    current_app.send_task("notifications.tasks.dispatch_due_notifications")
