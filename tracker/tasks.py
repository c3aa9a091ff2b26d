"""Celery tasks: thin wrappers over the services."""

from celery import shared_task

from tracker.services import digest, events, reminders


@shared_task
def sweep_reminders() -> dict[str, int]:
    result = reminders.sweep()
    return {"tasks_seen": result.tasks_seen, "steps_recorded": result.steps_recorded}


@shared_task
def send_morning_digest() -> int:
    return digest.digest_record()


@shared_task
def record_overdue_events() -> int:
    """Daily: the webhooks' task.overdue of the tasks whose deadline has just passed."""
    return events.overdue_events_record()
