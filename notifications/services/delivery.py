"""Delivery: a notification moves pending → sending → sent or failed by conditional
updates. Claiming one is an UPDATE that succeeds for one caller only, so a redelivered
Celery message never sends a sent notification again; a claim left by a killed worker
lapses after NOTIFICATION_CLAIM_LEASE_SECONDS and the notification is taken up again."""

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from config.common import clock
from notifications.channels import ChannelError, sender_for
from notifications.models import Channel, Notification, NotificationStatus
from notifications.services.recording import enqueue_dispatch
from notifications.services.timing import allowed_moment

S = NotificationStatus
logger = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)
DISPATCH_LIMIT = 5000


def _claimable(now: datetime) -> Q:
    claimable = Q(status=S.PENDING, send_after__lte=now) | Q(
        status=S.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS),
    )
    if allowed_moment(now, Channel.SMS) != now:
        # SMS quiet hours: an SMS due before 21:00 but not sent by then waits until 07:00.
        claimable &= ~Q(channel=Channel.SMS)
    return claimable


def notification_claim(pk: int, now: datetime) -> Notification | None:
    claimed = (
        Notification.objects.filter(pk=pk)
        .filter(_claimable(now))
        .update(status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return Notification.objects.select_related("recipient").get(pk=pk) if claimed else None


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff with jitter: about base × 2^(attempt−1), at most six hours."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return min(timedelta(seconds=base * random.uniform(0.5, 1.5)), MAX_BACKOFF)


def notification_deliver(pk: int) -> str:
    """Sends one notification if it is due and nobody else holds it. Returns its status."""
    now = clock.now()
    notification = notification_claim(pk, now)
    if notification is None:
        return "skipped"
    try:
        provider_id = sender_for(notification.channel).send(notification)
    except ChannelError as exc:
        return _attempt_failed(notification, str(exc), now)
    except Exception as exc:
        # A sender's bug counts as a failed attempt too: the row must never stay "sending"
        # and be claimed again without end.
        logger.exception("Notification %s: the %s sender failed", pk, notification.channel)
        return _attempt_failed(notification, f"{type(exc).__name__}: {exc}", now)
    Notification.objects.filter(pk=pk, status=S.SENDING).update(
        status=S.SENT, sent_at=clock.now(), provider_message_id=provider_id[:255], last_error=""
    )
    return S.SENT


def _attempt_failed(notification: Notification, error: str, now: datetime) -> str:
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        status, send_after = S.FAILED, notification.send_after
    else:
        status = S.PENDING
        send_after = allowed_moment(now + retry_delay(notification.attempts), notification.channel)
    Notification.objects.filter(pk=notification.pk, status=S.SENDING).update(
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
