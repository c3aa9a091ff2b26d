"""Delivery: an outgoing row (a notification, a webhook delivery: `Deliverable`) moves
pending → sending → sent or failed by conditional updates. The dispatcher hands the due
rows to the workers in batches (BATCH_SIZE per Celery message). A worker claims a batch's
due rows in one transaction (locked, those another worker is claiming skipped, then marked
sending), so a redelivered Celery message never sends a sent row again; a claim left by a
killed worker lapses after NOTIFICATION_CLAIM_LEASE_SECONDS and the row is taken up again,
and a slow batch renews the claims of the rows it has not reached before they lapse. Each
outcome is recorded as soon as it is known, guarded by the claim it was sent under.

One machinery for every kind of row: a `Queue` names the model and what is particular to
it (the SMS quiet hours are the notifications' only)."""

import logging
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet

from config.common import clock
from notifications.channels import ChannelError, channel_senders
from notifications.models import (
    QUIET_CHANNELS,
    Channel,
    Deliverable,
    Notification,
    NotificationStatus,
    WebhookDelivery,
)
from notifications.services.recording import enqueue_dispatch
from notifications.services.timing import allowed_moment
from notifications.webhooks import webhook_send

S = NotificationStatus
logger = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)
DISPATCH_LIMIT = 5000
# Rows per Celery message: the message's own cost, and the claim's, are shared by this
# many; small enough that a dispatch of a few hundred keeps every worker process busy.
BATCH_SIZE = 50


def _any_moment(now: datetime) -> Q:
    return Q()


def _sms_quiet_hours(now: datetime) -> Q:
    if allowed_moment(now, Channel.SMS) != now:
        # Quiet hours: an SMS or Zalo message due before 21:00 but not sent by then waits
        # until 07:00.
        return ~Q(channel__in=QUIET_CHANNELS)
    return Q()


def _notification_moment(row: Any, moment: datetime) -> datetime:
    return allowed_moment(moment, row.channel)


def _same_moment(row: Any, moment: datetime) -> datetime:
    return moment


@dataclass(frozen=True)
class Queue:
    """A kind of outgoing row: its model, the related rows its sender reads, which of its
    due rows may be claimed at a moment (`holds_back`: a filter), and the first moment at
    or after a given one when a row may go out (`moment`)."""

    model: type[Deliverable]
    related: tuple[str, ...]
    holds_back: Callable[[datetime], Q] = _any_moment
    moment: Callable[[Any, datetime], datetime] = _same_moment


NOTIFICATIONS = Queue(Notification, ("recipient",), _sms_quiet_hours, _notification_moment)
WEBHOOKS = Queue(WebhookDelivery, ("endpoint",))
QUEUES = {queue.model: queue for queue in (NOTIFICATIONS, WEBHOOKS)}


def _queue_of(row: Deliverable) -> Queue:
    return QUEUES[type(row)]


def _claimable(now: datetime, queue: Queue = NOTIFICATIONS) -> Q:
    lapsed = now - timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS)
    claimable = Q(status=S.PENDING, send_after__lte=now) | Q(
        status=S.SENDING, claimed_at__lt=lapsed
    )
    return claimable & queue.holds_back(now)


def rows_claim(queue: Queue, pks: Iterable[int], now: datetime) -> list[Any]:
    """Claims those of the rows that are due and that nobody holds, with their related
    rows, oldest first. The rows are locked while they are claimed and the ones another
    worker is claiming at that moment are skipped (it will hold them), so each row is
    claimed by one caller only."""
    with transaction.atomic():
        claimed = list(
            queue.model._default_manager.select_related(*queue.related)
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(pks))
            .filter(_claimable(now, queue))
            .order_by("send_after", "pk")
        )
        if claimed:
            queue.model._default_manager.filter(pk__in=[row.pk for row in claimed]).update(
                status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    for row in claimed:
        row.status, row.claimed_at = S.SENDING, now
        row.attempts += 1
    return claimed


def notifications_claim(pks: Iterable[int], now: datetime) -> list[Notification]:
    return rows_claim(NOTIFICATIONS, pks, now)


def notification_claim(pk: int, now: datetime) -> Notification | None:
    claimed = notifications_claim([pk], now)
    return claimed[0] if claimed else None


def claims_renewed(held: list[Any], claimed_at: datetime, now: datetime) -> list[Any]:
    """Moves the claims of a batch's rows still to send (all made at `claimed_at`, all of
    one model) to `now`, so they do not lapse while the batch is at work on the rows before
    them. A row whose claim lapsed and that another worker took since (its claimed_at is
    not ours any more) is left to that worker. Returns the rows still held, in their
    order."""
    if not held:
        return []
    model = type(held[0])
    with transaction.atomic():
        mine = set(
            model._default_manager.select_for_update()
            .filter(pk__in=[row.pk for row in held], status=S.SENDING, claimed_at=claimed_at)
            .values_list("pk", flat=True)
        )
        model._default_manager.filter(pk__in=mine).update(claimed_at=now)
    renewed = [row for row in held if row.pk in mine]
    for row in renewed:
        row.claimed_at = now
    return renewed


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff with jitter: about base × 2^(attempt−1), at most six hours."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return min(timedelta(seconds=base * random.uniform(0.5, 1.5)), MAX_BACKOFF)


def rows_deliver(queue: Queue, pks: Sequence[int], send: Callable[[Any], str]) -> dict[int, str]:
    """Sends the rows that are due and that nobody else holds, one after the other, and
    records each outcome as soon as it is known: a sent row is marked sent before the next
    is sent, so a worker killed mid-batch leaves at most the one in flight to go out again
    when its claim lapses, and the rows it had not reached lapse and are taken up unsent.
    One failing row never stops the others. Returns the status of each row ("skipped": not
    claimed here)."""
    outcomes = dict.fromkeys(pks, "skipped")
    claimed_at = clock.now()
    batch = rows_claim(queue, list(outcomes), claimed_at)
    half_lease = timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS / 2)
    while batch:
        now = clock.now()
        if now - claimed_at >= half_lease:  # a slow batch: keep its claims
            batch, claimed_at = claims_renewed(batch, claimed_at, now), now
            if not batch:
                break
        row = batch.pop(0)
        if queue.moment(row, now) != now:
            outcomes[row.pk] = _put_back(row, now)
        else:
            outcomes[row.pk] = _delivered(row, send)
    return outcomes


def notifications_deliver(pks: Sequence[int]) -> dict[int, str]:
    """Notifications, on one sender per channel for the batch (`rows_deliver`)."""
    with channel_senders() as sender_for_channel:
        return rows_deliver(NOTIFICATIONS, pks, lambda n: sender_for_channel(n.channel).send(n))


def notification_deliver(pk: int) -> str:
    """Sends one notification if it is due and nobody else holds it. Returns its status."""
    return notifications_deliver([pk])[pk]


def webhooks_deliver(pks: Sequence[int]) -> dict[int, str]:
    """Webhook deliveries, each signed and posted to its endpoint (`rows_deliver`)."""
    return rows_deliver(WEBHOOKS, pks, webhook_send)


def _delivered(row: Deliverable, send: Callable[[Any], str]) -> str:
    """Sends one claimed row and records the outcome at once."""
    try:
        provider_id = send(row)
    except ChannelError as exc:
        return _attempt_failed(row, str(exc), permanent=exc.permanent)
    except Exception as exc:
        # A sender's bug counts as a failed attempt too: the row must never stay "sending"
        # and be claimed again without end.
        sender = getattr(row, "channel", "webhook")
        logger.exception("%s %s: the %s sender failed", type(row).__name__, row.pk, sender)
        return _attempt_failed(row, f"{type(exc).__name__}: {exc}")
    _held(row).update(
        status=S.SENT, sent_at=clock.now(), provider_message_id=provider_id[:255], last_error=""
    )
    return S.SENT


def _put_back(row: Deliverable, now: datetime) -> str:
    """An SMS or Zalo message claimed before 21:00 whose turn in its batch came after: not
    an attempt, it waits for the morning."""
    _held(row).update(
        status=S.PENDING,
        claimed_at=None,
        attempts=F("attempts") - 1,
        send_after=_queue_of(row).moment(row, now),
    )
    return S.PENDING


def _held(row: Deliverable) -> QuerySet[Any]:
    """The row, as long as this worker's claim on it stands."""
    return type(row)._default_manager.filter(pk=row.pk, status=S.SENDING, claimed_at=row.claimed_at)


def _attempt_failed(row: Deliverable, error: str, *, permanent: bool = False) -> str:
    """A failed attempt: tried again later with backoff, or failed for good once out of
    attempts or when the answer says trying again cannot help (`permanent`)."""
    now = clock.now()
    if permanent or row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        status, send_after = S.FAILED, row.send_after
    else:
        status = S.PENDING
        send_after = _queue_of(row).moment(row, now + retry_delay(row.attempts))
    _held(row).update(
        status=status, send_after=send_after, last_error=error[:2000], claimed_at=None
    )
    return status


def rows_due(queue: Queue, now: datetime, limit: int = DISPATCH_LIMIT) -> list[int]:
    """Ids of the rows to hand to the workers now, oldest first."""
    return list(
        queue.model._default_manager.filter(_claimable(now, queue))
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def notifications_due(now: datetime, limit: int = DISPATCH_LIMIT) -> list[int]:
    return rows_due(NOTIFICATIONS, now, limit)


def webhooks_due(now: datetime, limit: int = DISPATCH_LIMIT) -> list[int]:
    return rows_due(WEBHOOKS, now, limit)


def batches(pks: Sequence[int], size: int = BATCH_SIZE) -> list[list[int]]:
    """The due ids in the Celery messages that carry them, in their order."""
    return [list(pks[start : start + size]) for start in range(0, len(pks), size)]


def delivery_retry(row: Deliverable) -> bool:
    """The office sends a failed row again, from the first attempt, at once."""
    retried = (
        type(row)
        ._default_manager.filter(pk=row.pk, status=S.FAILED)
        .update(
            status=S.PENDING,
            attempts=0,
            send_after=_queue_of(row).moment(row, clock.now()),
        )
    )
    if retried:
        transaction.on_commit(enqueue_dispatch)
    return bool(retried)


def notification_retry(notification: Notification) -> bool:
    return delivery_retry(notification)


def webhook_delivery_retry(delivery: WebhookDelivery) -> bool:
    return delivery_retry(delivery)
