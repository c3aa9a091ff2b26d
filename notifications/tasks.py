"""Celery tasks: thin wrappers over the services."""

from celery import shared_task

from config.common import clock
from notifications.services import delivery


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_notification(pk: int) -> str:
    return delivery.notification_deliver(pk)


@shared_task
def dispatch_due_notifications() -> int:
    due = delivery.notifications_due(clock.now())
    for pk in due:
        deliver_notification.delay(pk)
    return len(due)
