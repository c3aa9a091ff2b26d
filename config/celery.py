"""The Celery application; beat reads its schedule from the database (django-celery-beat)."""

import os

import redis
from celery import Celery
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _connparams_while_attached(self: kombu_redis.Channel, asynchronous: bool = False) -> dict:
    """After losing Redis, Celery 5.7's worker has kombu detach the broker connection's
    transport (`collect()`) while its channel can still be used: closing it again, to
    restore the unacknowledged (acks_late) messages, or acking a task that finishes after
    the reconnection. The channel then builds a new Redis client from the detached transport
    and raised AttributeError ('NoneType' object has no attribute 'hostname'), which the
    worker takes for an unrecoverable error: it stopped for good on about one Redis restart
    in three (tests/integration/test_redis_restart.py). As a connection error the worker
    logs it and goes on; the unacknowledged messages are redelivered after the visibility
    timeout, and a notification is never sent twice (delivery claims it first)."""
    if self.connection.client is None:
        raise redis.exceptions.ConnectionError("the broker connection was closed")
    return _connparams(self, asynchronous=asynchronous)


_connparams = kombu_redis.Channel._connparams
# A deliberate patch of kombu's method (see above), which mypy refuses on principle.
kombu_redis.Channel._connparams = _connparams_while_attached  # type: ignore[method-assign]

app = Celery("dondoc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
