"""Fixtures of the integration tests: real PostgreSQL (pytest-django's test database, used
by transactional tests so other processes see the data), a private Redis broker, real
`celery worker` and `celery beat` processes, an SMTP server and an SMS gateway on loopback,
and the CLOCK_FILE every process reads "now" from."""

from __future__ import annotations

import importlib
import os
import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Count
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from config.celery import app as celery_app
from config.common import clock as shared_clock
from notifications.models import Notification, NotificationStatus
from notifications.services.message_settings import message_settings_update
from tests.integration.scenario import Province, build_province
from tests.integration.support import (
    PROJECT_DIR,
    Clock,
    Process,
    RedisServer,
    SmsGateway,
    SmtpServer,
    celery_command,
    wait_until,
)
from tracker.models import ReminderPolicy

PROCESSES = pytest.StashKey[list[Process]]()

SWEEP_EVERY = 2  # seconds (the migration's 300)
DISPATCH_EVERY = 1  # seconds (the migration's 60)
MAX_ATTEMPTS = 3
CLAIM_LEASE = 5
VISIBILITY_TIMEOUT = 10

policy_migration = importlib.import_module("tracker.migrations.0005_default_reminder_policy")
beat_migration = importlib.import_module("notifications.migrations.0002_periodic_tasks")
digest_task_migration = importlib.import_module("tracker.migrations.0012_digest_task_in_tracker")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    """A failing test shows the logs of the processes it started."""
    report = yield
    if report.failed:
        for process in item.stash.get(PROCESSES, []):
            report.sections.append((f"{process.name} log (tail)", process.log()[-15000:]))
    return report


def _require(condition: bool, reason: str) -> None:
    """Without its services a test is skipped, except with REQUIRE_SERVICES=1 (CI): fails."""
    if condition:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _register(request: pytest.FixtureRequest, process: Process) -> Process:
    request.node.stash.setdefault(PROCESSES, []).append(process)
    return process


# --- the parts -----------------------------------------------------------------------------


@pytest.fixture
def clock(tmp_path: Path, settings: object) -> Clock:
    """No file yet: real time until a test sets the clock."""
    the_clock = Clock(tmp_path / "clock.txt")
    settings.CLOCK_FILE = str(the_clock.path)
    return the_clock


@pytest.fixture
def smtp_server(clock: Clock) -> Iterator[SmtpServer]:
    server = SmtpServer(clock)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sms_gateway(clock: Clock) -> Iterator[SmsGateway]:
    gateway = SmsGateway(clock)
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture
def redis_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RedisServer]:
    """A private redis-server: the machine's shared one is never stopped nor flushed."""
    _require(shutil.which("redis-server") is not None, "redis-server is not on PATH")
    workdir = tmp_path / "redis"
    workdir.mkdir()
    server = RedisServer(tmp_path / "redis.log", workdir)
    _register(request, server.process)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def reminder_defaults(transactional_db: None) -> None:
    """The migrations' data (default policy, beat's periodic tasks, message settings), which
    the flush after a transactional test removes, with the beat intervals shortened as the
    office may do, and SMS without diacritics (the office's default choice)."""
    if not ReminderPolicy.objects.filter(priority="", active=True).exists():
        policy_migration.install(apps, None)
    message_settings_update(sms_with_diacritics=False)
    beat_migration.install(apps, None)
    digest_task_migration.rename(apps, None)  # the digest's task is tracker's now
    every = {
        "tracker.tasks.sweep_reminders": SWEEP_EVERY,
        "notifications.tasks.dispatch_due_notifications": DISPATCH_EVERY,
    }
    for periodic in PeriodicTask.objects.filter(task__in=every):
        periodic.interval, _ = IntervalSchedule.objects.get_or_create(
            every=every[periodic.task], period=IntervalSchedule.SECONDS
        )
        periodic.save()
    # The digest runs at 07:30 by the wall clock; the tests count every message.
    for periodic in PeriodicTask.objects.filter(task="tracker.tasks.send_morning_digest"):
        periodic.enabled = False
        periodic.save()


@pytest.fixture
def province(transactional_db: None) -> Province:
    return build_province()


def database_url() -> str:
    """The test database pytest-django created (NAME is test_…)."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# --- the system under test -------------------------------------------------------------------


class System:
    """Worker and beat as subprocesses, wired to the test database, the broker, the servers
    and the clock; helpers to move time and to wait for deliveries to settle."""

    def __init__(
        self,
        request: pytest.FixtureRequest,
        tmp_path: Path,
        clock: Clock,
        smtp: SmtpServer,
        sms: SmsGateway,
        redis: RedisServer,
    ) -> None:
        self.clock, self.smtp, self.sms, self.redis = clock, smtp, sms, redis
        (tmp_path / "var").mkdir(exist_ok=True)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SMS_", "EMAIL_", "NOTIFICATION_", "CELERY_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            PYTHONPATH=str(PROJECT_DIR),
            PYTHONUNBUFFERED="1",
            VAR_DIR=str(tmp_path / "var"),
            LOG_LEVEL="INFO",
            DATABASE_URL=database_url(),
            CELERY_BROKER_URL=redis.url(0),
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            EMAIL_TIMEOUT="2",
            SMS_BACKEND="http",
            SMS_GATEWAY_URL=sms.url,
            SMS_GATEWAY_TIMEOUT="2",
            CLOCK_FILE=str(clock.path),
            NOTIFICATION_MAX_ATTEMPTS=str(MAX_ATTEMPTS),
            NOTIFICATION_RETRY_BASE_SECONDS="1",
            NOTIFICATION_CLAIM_LEASE_SECONDS=str(CLAIM_LEASE),
            OFFICE_DEPARTMENT_CODE="VP",
        )
        self.env = env
        self.worker = _register(
            request,
            Process(
                "celery worker",
                celery_command(
                    "worker",
                    "--loglevel=INFO",
                    "--concurrency=2",
                    "--without-mingle",
                    "--without-gossip",
                ),
                tmp_path / "worker.log",
                env=env,
                cwd=tmp_path,
            ),
        )
        self.beat = _register(
            request,
            Process(
                "celery beat",
                celery_command("beat", "--loglevel=INFO", f"--schedule={tmp_path / 'beat'}"),
                tmp_path / "beat.log",
                env=env,
                cwd=tmp_path,
            ),
        )

    # processes

    def start(self, *, worker: bool = True, beat: bool = True) -> None:
        if worker:
            self.worker.start()
        if beat:
            self.beat.start()
        if worker:
            self.worker.wait_for_log(" ready.", timeout=30)
        if beat:
            self.beat.wait_for_log("beat: Starting...", timeout=30)

    def stop(self) -> None:
        for process in (self.beat, self.worker):
            process.terminate()
        for process in (self.beat, self.worker):
            process.finish()

    def runs(self, task: str) -> int:
        """How many times the worker finished the Celery task (its log, every start)."""
        return len(re.findall(rf"{re.escape(task)}\[[^\]]+\] succeeded", self.worker.log()))

    def wait_for_runs(self, task: str, count: int = 2, timeout: float = 20) -> None:
        """Waits until the task ran `count` more times: the second one started after now."""
        target = self.runs(task) + count
        wait_until(
            lambda: self.runs(task) >= target,
            timeout=timeout,
            what=f"{count} runs of {task}",
            explain=lambda: self.worker.log()[-3000:],
        )

    def wait_for_dispatches(self, count: int = 2) -> None:
        self.wait_for_runs("notifications.tasks.dispatch_due_notifications", count)

    def wait_for_sweeps(self, count: int = 2) -> None:
        self.wait_for_runs("tracker.tasks.sweep_reminders", count)

    # time

    def set_clock(self, moment: object) -> None:
        self.clock.set(moment)

    def advance(self, delta: timedelta) -> None:
        self.clock.set(shared_clock.now() + delta)

    # deliveries

    def unsettled(self, queryset: object = None) -> list[str]:
        """What is still to happen: rows due and not sent, sent rows a server has not got."""
        rows = Notification.objects.all() if queryset is None else queryset
        problems = []
        now = shared_clock.now()
        due = rows.filter(send_after__lte=now).exclude(status=NotificationStatus.SENT)
        for status in due.values("status").annotate(n=Count("pk")).order_by("status"):
            problems.append(f"{status['n']} due rows {status['status']}")
        got = {"email": set(self.smtp.counts()), "sms": set(self.sms.counts())}
        for channel, ids in got.items():
            sent = set(
                rows.filter(channel=channel, status=NotificationStatus.SENT).values_list(
                    "pk", flat=True
                )
            )
            if sent - ids:
                problems.append(f"{len(sent - ids)} sent {channel} rows not at the server")
        return problems

    def settle(self, queryset: object = None, *, timeout: float = 20, count: int | None = None):
        """Waits until every due row (of the queryset) is sent and at its server; with
        `count`, also until that many rows exist."""
        rows = Notification.objects.all() if queryset is None else queryset

        def done() -> bool:
            if count is not None and rows.count() != count:
                return False
            return not self.unsettled(rows)

        def explain() -> str:
            lines = [f"rows: {rows.count()} (want {count})", *self.unsettled(rows)]
            for row in rows.exclude(status=NotificationStatus.SENT)[:10]:
                lines.append(
                    f"  #{row.pk} {row.channel} {row.status} after {row.send_after} "
                    f"attempts {row.attempts} {row.last_error[:200]}"
                )
            return "\n".join(lines)

        wait_until(done, timeout=timeout, what="deliveries to settle", explain=explain)


def _point_celery_at(broker_url: str, options: dict) -> tuple[object, object]:
    """The test process sends to the same broker as the worker (recording enqueues the
    dispatcher on commit): settings were read before the broker existed."""
    previous = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    celery_app.conf.broker_url = broker_url
    celery_app.conf.broker_transport_options = options
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    return previous


@pytest.fixture
def system(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    settings: object,
    clock: Clock,
    smtp_server: SmtpServer,
    sms_gateway: SmsGateway,
    redis_server: RedisServer,
    reminder_defaults: None,
) -> Iterator[System]:
    """Not started: a test records its data first, then calls system.start()."""
    _require(
        connection.vendor == "postgresql",
        "the worker and beat processes need the PostgreSQL test database (DATABASE_URL)",
    )
    settings.NOTIFICATION_MAX_ATTEMPTS = MAX_ATTEMPTS
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 1
    settings.NOTIFICATION_CLAIM_LEASE_SECONDS = CLAIM_LEASE
    settings.OFFICE_DEPARTMENT_CODE = "VP"
    the_system = System(request, tmp_path, clock, smtp_server, sms_gateway, redis_server)
    previous = _point_celery_at(redis_server.url(0), {"visibility_timeout": VISIBILITY_TIMEOUT})
    try:
        yield the_system
    finally:
        the_system.stop()
        _point_celery_at(*previous)
