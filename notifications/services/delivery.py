"""Delivery: a notification moves pending → sending → sent or failed by conditional
updates. The dispatcher hands the due rows to the workers in batches (BATCH_SIZE per
Celery message). A worker claims a batch's due rows in one transaction (locked, those
another worker is claiming skipped, then marked sending), so a redelivered Celery message
never sends a sent notification again; a claim left by a killed worker lapses after
NOTIFICATION_CLAIM_LEASE_SECONDS and the notification is taken up again, and a slow batch
renews the claims of the rows it has not reached before they lapse. Each outcome is
recorded as soon as it is known, guarded by the claim it was sent under."""

import logging
import random
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet

from config.common import clock
from notifications.channels import ChannelError, Sender, channel_senders
from notifications.models import Channel, Notification, NotificationStatus
from notifications.services.recording import enqueue_dispatch
from notifications.services.timing import allowed_moment

S = NotificationStatus
logger = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)
DISPATCH_LIMIT = 5000
# Notifications per Celery message: the message's own cost, and the claim's, are shared by
# this many; small enough that a dispatch of a few hundred keeps every worker process busy.
BATCH_SIZE = 50


def _claimable(now: datetime) -> Q:
    claimable = Q(status=S.PENDING, send_after__lte=now) | Q(
        status=S.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS),
    )
    if allowed_moment(now, Channel.SMS) != now:
        # SMS quiet hours: an SMS due before 21:00 but not sent by then waits until 07:00.
        claimable &= ~Q(channel=Channel.SMS)
    return claimable


def notifications_claim(pks: Iterable[int], now: datetime) -> list[Notification]:
    """Claims those of the notifications that are due and that nobody holds, with their
    recipients, oldest first. The rows are locked while they are claimed and the ones
    another worker is claiming at that moment are skipped (it will hold them), so each row
    is claimed by one caller only."""
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(pks))
            .filter(_claimable(now))
            .order_by("send_after", "pk")
        )
        if claimed:
            Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(
                status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    for notification in claimed:
        notification.status, notification.claimed_at = S.SENDING, now
        notification.attempts += 1
    return claimed


def notification_claim(pk: int, now: datetime) -> Notification | None:
    claimed = notifications_claim([pk], now)
    return claimed[0] if claimed else None


def claims_renewed(
    held: list[Notification], claimed_at: datetime, now: datetime
) -> list[Notification]:
    """Moves the claims of a batch's rows still to send (all made at `claimed_at`) to
    `now`, so they do not lapse while the batch is at work on the rows before them. A row
    whose claim lapsed and that another worker took since (its claimed_at is not ours any
    more) is left to that worker. Returns the rows still held, in their order."""
    with transaction.atomic():
        mine = set(
            Notification.objects.select_for_update()
            .filter(pk__in=[n.pk for n in held], status=S.SENDING, claimed_at=claimed_at)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=mine).update(claimed_at=now)
    renewed = [n for n in held if n.pk in mine]
    for notification in renewed:
        notification.claimed_at = now
    return renewed


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff with jitter: about base × 2^(attempt−1), at most six hours."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return min(timedelta(seconds=base * random.uniform(0.5, 1.5)), MAX_BACKOFF)


def notifications_deliver(pks: Sequence[int]) -> dict[int, str]:
    """Sends the notifications that are due and that nobody else holds, one after the other
    on one sender per channel, and records each outcome as soon as it is known: a sent row
    is marked sent before the next is sent, so a worker killed mid-batch leaves at most the
    one in flight to go out again when its claim lapses, and the rows it had not reached
    lapse and are taken up unsent. One failing row never stops the others. Returns the
    status of each notification ("skipped": not claimed here)."""
    outcomes = dict.fromkeys(pks, "skipped")
    claimed_at = clock.now()
    batch = notifications_claim(list(outcomes), claimed_at)
    half_lease = timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS / 2)
    with channel_senders() as sender_for_channel:
        while batch:
            now = clock.now()
            if now - claimed_at >= half_lease:  # a slow batch: keep its claims
                batch, claimed_at = claims_renewed(batch, claimed_at, now), now
                if not batch:
                    break
            notification = batch.pop(0)
            if allowed_moment(now, notification.channel) != now:
                outcomes[notification.pk] = _put_back(notification, now)
            else:
                outcomes[notification.pk] = _delivered(notification, sender_for_channel)
    return outcomes


def notification_deliver(pk: int) -> str:
    """Sends one notification if it is due and nobody else holds it. Returns its status."""
    return notifications_deliver([pk])[pk]


def _delivered(notification: Notification, sender_for_channel: Callable[[str], Sender]) -> str:
    """Sends one claimed notification and records the outcome at once."""
    try:
        provider_id = sender_for_channel(notification.channel).send(notification)
    except ChannelError as exc:
        return _attempt_failed(notification, str(exc))
    except Exception as exc:
        # A sender's bug counts as a failed attempt too: the row must never stay "sending"
        # and be claimed again without end.
        logger.exception(
            "Notification %s: the %s sender failed", notification.pk, notification.channel
        )
        return _attempt_failed(notification, f"{type(exc).__name__}: {exc}")
    _held(notification).update(
        status=S.SENT, sent_at=clock.now(), provider_message_id=provider_id[:255], last_error=""
    )
    return S.SENT


def _put_back(notification: Notification, now: datetime) -> str:
    """An SMS claimed before 21:00 whose turn in its batch came after: not an attempt, it
    waits for the morning."""
    _held(notification).update(
        status=S.PENDING,
        claimed_at=None,
        attempts=F("attempts") - 1,
        send_after=allowed_moment(now, notification.channel),
    )
    return S.PENDING


def _held(notification: Notification) -> QuerySet[Notification]:
    """The row, as long as this worker's claim on it stands."""
    return Notification.objects.filter(
        pk=notification.pk, status=S.SENDING, claimed_at=notification.claimed_at
    )


def _attempt_failed(notification: Notification, error: str) -> str:
    now = clock.now()
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        status, send_after = S.FAILED, notification.send_after
    else:
        status = S.PENDING
        send_after = allowed_moment(now + retry_delay(notification.attempts), notification.channel)
    _held(notification).update(
        status=status, send_after=send_after, last_error=error[:2000], claimed_at=None
    )
    return status


def notifications_due(now: datetime, limit: int = DISPATCH_LIMIT) -> list[int]:
    """Ids of the notifications to hand to the workers now, oldest first."""
    return list(
        Notification.objects.filter(_claimable(now))
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def batches(pks: Sequence[int], size: int = BATCH_SIZE) -> list[list[int]]:
    """The due ids in the Celery messages that carry them, in their order."""
    return [list(pks[start : start + size]) for start in range(0, len(pks), size)]


def notification_retry(notification: Notification) -> bool:
    """The office sends a failed notification again, from the first attempt, at once."""
    retried = Notification.objects.filter(pk=notification.pk, status=S.FAILED).update(
        status=S.PENDING,
        attempts=0,
        send_after=allowed_moment(clock.now(), notification.channel),
    )
    if retried:
        transaction.on_commit(enqueue_dispatch)
    return bool(retried)
