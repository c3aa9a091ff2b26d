"""The reminders benchmark's delivery part (bench/reminders_bench.py, bench/README.md
"Reminder sweep and delivery"): a real Celery worker delivers M notifications with a null
channel, against the same worker running M no-op tasks, on the same broker."""

from __future__ import annotations

import datetime as dt
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.database import execute

ROOT = Path(__file__).resolve().parent.parent


class Worker:
    """A real `celery -A config worker` with the production settings, on the bench's broker
    and database, with the bench-only module (no-op task, null channel)."""

    def __init__(self, broker: str, concurrency: int, db_reuse_max: int | None) -> None:
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed by stop())
            prefix="reminders_bench_worker_", suffix=".log"
        )
        env = os.environ | {"CELERY_BROKER_URL": broker, "PYTHONPATH": str(ROOT)}
        env.pop("CLOCK_FILE", None)
        env.pop("BENCH_CELERY_DB_REUSE_MAX", None)
        if db_reuse_max is not None:  # see bench/noop_tasks.py
            env["BENCH_CELERY_DB_REUSE_MAX"] = str(db_reuse_max)
        self.command = [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "config",
            "worker",
            "-c",
            str(concurrency),
            "-I",
            "bench.noop_tasks",
            "-n",
            f"reminders-bench-{os.getpid()}@%h",
            "-l",
            "info",  # as docker-compose.yml runs it
        ]
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, app: Any, timeout: float = 60) -> None:
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited: {Path(self.log.name).read_text()}")
            if app.control.ping(timeout=0.5):
                return
        raise RuntimeError("the worker did not answer in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def drained(redis: Any) -> bool:
    """No message left: none queued, none delivered to the worker and not yet acked."""
    queued, unacked = redis.pipeline().llen("celery").hlen("unacked").execute()
    return not queued and not unacked


def wait(redis: Any, done: Callable[[], bool] = lambda: True, timeout: float = 600) -> None:
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        # Twice in a row: a message between BRPOP and the unacked hash is in neither.
        if drained(redis) and done():
            time.sleep(0.005)
            if drained(redis) and done():
                return
        time.sleep(0.01)
    raise RuntimeError("the broker did not drain in time")


def pending_notifications(world: Any, count: int) -> list[int]:
    """`count` due notifications (in-app and e-mail: no SMS quiet hours to wait for)."""
    from django.utils import timezone

    from notifications.models import Notification
    from tracker.models import ReminderStep, Task
    from tracker.services.reminder_messages import ABOUT_TASK, reminder_key, task_page

    execute("DELETE FROM notifications_notification")
    step = ReminderStep.objects.get(policy__priority="", policy__active=True, code="early_reminder")
    tasks = list(Task.objects.filter(pk__in=world.due_ids).only("pk", "effective_deadline"))
    due = timezone.now() - dt.timedelta(hours=1)
    rows = Notification.objects.bulk_create(
        Notification(
            kind="reminder",
            key=reminder_key(tasks[i % len(tasks)], step, i),
            code=step.code,
            about=ABOUT_TASK,
            about_id=tasks[i % len(tasks)].pk,
            link=task_page(tasks[i % len(tasks)].pk),
            recipient_id=world.recipients[i % len(world.recipients)],
            channel=("inbox", "email")[i % 2],
            language="vi",
            subject="Nhắc việc",
            body="Đề nghị khẩn trương thực hiện nhiệm vụ.",
            send_after=due,
        )
        for i in range(count)
    )
    return [n.pk for n in rows]


def database_sessions() -> int:
    """Sessions opened on the bench database so far (PostgreSQL 14+ statistics)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def measure_delivery(
    world: Any, broker: str, count: int, repeats: int, db_reuse_max: int | None = None
) -> dict[str, Any]:
    import redis as redis_client
    from django.db import connection
    from django.db.models import Count

    from config.celery import app
    from notifications.models import Notification
    from notifications.services.delivery import batches

    redis = redis_client.Redis.from_url(broker)
    redis.flushdb()
    worker = Worker(broker, concurrency=2, db_reuse_max=db_reuse_max)
    noop_rates, deliver_rates, sessions = [], [], []
    noops_sent = 0
    try:
        worker.wait_ready(app)

        def publish(name: str, ids: list[int]) -> None:
            for pk in ids:
                app.send_task(name, args=[pk])

        def sent_all(expected: int) -> Callable[[], bool]:
            return lambda: Notification.objects.filter(status="sent").count() == expected

        def dispatch() -> None:
            """As recording does on commit (notifications.services.recording)."""
            app.send_task("notifications.tasks.dispatch_due_notifications")

        # Warm-up: both worker processes connected to the database and the broker.
        publish("bench.noop_tasks.noop", list(range(200)))
        noops_sent += 200
        pending_notifications(world, 200)
        dispatch()
        wait(redis, sent_all(200))
        connection.close()
        for _ in range(repeats):
            started = time.perf_counter()
            publish("bench.noop_tasks.noop", list(range(count)))
            wait(redis)
            noop_rates.append(count / (time.perf_counter() - started))
            noops_sent += count

            pending_notifications(world, count)
            sessions_before = database_sessions()
            started = time.perf_counter()
            dispatch()
            wait(redis, sent_all(count))
            deliver_rates.append(count / (time.perf_counter() - started))
            sessions.append(database_sessions() - sessions_before)
            statuses = dict(Notification.objects.values_list("status").annotate(n=Count("id")))
            assert statuses == {"sent": count}, statuses
        stats = app.control.inspect(timeout=2).stats() or {}
        done_noops = sum(s.get("total", {}).get("bench.noop_tasks.noop", 0) for s in stats.values())
        assert done_noops == noops_sent, (done_noops, noops_sent)
    finally:
        worker.stop()
        redis.flushdb()
    noop, deliver = statistics.median(noop_rates), statistics.median(deliver_rates)
    return {
        "noop": noop,
        "deliver": deliver,
        "ratio": deliver / noop,
        "noop_rates": noop_rates,
        "deliver_rates": deliver_rates,
        "messages": 1 + len(batches(list(range(count)))),
        "db_reuse_max": db_reuse_max,
        "sessions": statistics.median(sessions),
        "command": " ".join(worker.command),
    }


# --- main ------------------------------------------------------------------------------
