"""Celery tasks: thin wrappers over the services."""

from collections import Counter

from celery import shared_task

from config.common import clock
from notifications.services import delivery


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_notifications(pks: list[int]) -> dict[str, int]:
    """A batch (the dispatcher's messages). Returns how many ended in each status."""
    return dict(Counter(map(str, delivery.notifications_deliver(pks).values())))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_notification(pk: int) -> str:
    """One notification (messages queued before batches, and callers of one)."""
    return str(delivery.notification_deliver(pk))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_webhooks(pks: list[int]) -> dict[str, int]:
    """A batch of webhook deliveries. Returns how many ended in each status."""
    return dict(Counter(map(str, delivery.webhooks_deliver(pks).values())))


@shared_task
def dispatch_due_notifications() -> int:
    """Every due outgoing row: notifications and webhook deliveries."""
    now = clock.now()
    due = delivery.notifications_due(now)
    for batch in delivery.batches(due):
        deliver_notifications.delay(batch)
    webhooks = delivery.webhooks_due(now)
    for batch in delivery.batches(webhooks):
        deliver_webhooks.delay(batch)
    return len(due) + len(webhooks)
