"""Bench-only Celery module, loaded by the benchmark's worker (`celery -A config worker -I
bench.noop_tasks`), never by production: a no-op task with the same options as
`notifications.tasks.deliver_notifications` (the baseline of bench/reminders_bench.py), and
the null channel for every notification sent by this worker (nothing leaves the machine).

With BENCH_CELERY_DB_REUSE_MAX=n in its environment the worker keeps its database connection
for n tasks, as `CELERY_DB_REUSE_MAX = n` in the settings would (Celery's Django fixup
otherwise closes it before and after every task, whatever CONN_MAX_AGE says)."""

import os

from celery import shared_task
from django.conf import settings

from config.celery import app

settings.NOTIFICATION_NULL_CHANNELS = True  # read by notifications.channels.sender_for

if os.environ.get("BENCH_CELERY_DB_REUSE_MAX"):
    for fixup in app._fixups or ():
        if hasattr(fixup, "worker_fixup"):  # celery.fixups.django.DjangoFixup
            fixup.worker_fixup.db_reuse_max = int(os.environ["BENCH_CELERY_DB_REUSE_MAX"])


@shared_task(acks_late=True, reject_on_worker_lost=True)
def noop(pk: int) -> int:
    return pk
