"""Reminder sweep and delivery benchmark, on PostgreSQL and Redis.

    .venv/bin/python bench/reminders_bench.py --sizes 10000 100000 1000000 --also-reuse

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/dondoc_bench_reminders) names a
database of its own: created when missing, migrated, and its task, directive, department,
user and notification tables emptied at the start. Never point it at a database whose data
matters. The broker is redis://127.0.0.1:6379/15 (--broker): a Redis database of its own,
emptied (FLUSHDB, never FLUSHALL) before and after the delivery runs.

1. Sweep. The task table is filled with COPY up to each size (the sizes grow one table:
   10,000, then 90,000 more, then 900,000 more), of which exactly K=200 open tasks have a
   step due on the sweep's day (a mix of −5, −1, 0, +1, +5, +10 and +15) and the rest are
   not due: completed, paused or cancelled (next_reminder_on NULL), open without a deadline
   (NULL), or open with their next step on a later day. At each size:
   - `tracker.services.reminders.sweep(now=…)` end to end (select and lock, load related
     rows, plan, record ~900 notifications with their texts, commit, enqueue the dispatch):
     wall time and number of SQL statements (a connection.execute_wrapper counts them),
     median of --repeats runs; the due tasks are put back and their notifications deleted
     between runs;
   - the due-step selection: the sweep's own queryset (`Task.objects.select_for_update(…)`
     … `[:500]`, evaluated to model instances inside a transaction; its SQL is checked to be
     the one the sweep ran) against the same selection written by hand, `SELECT id FROM
     tracker_task WHERE next_reminder_on <= %s ORDER BY next_reminder_on, id LIMIT 500 FOR
     UPDATE SKIP LOCKED`, run in a transaction with the raw psycopg cursor of Django's connection
     (same type adapters), and, for reference, on a plain psycopg connection (psycopg's C
     loaders; Django's timestamptz loader is pure Python); medians of 100 interleaved runs.
     EXPLAIN confirms both queries use the partial index task_next_reminder_idx.
2. Delivery (once, after the largest size). A real worker, `celery -A config worker -c 2 -I
   bench.noop_tasks -l info` (as docker-compose.yml runs it, with the production settings:
   acks_late, prefetch multiplier 1; prefork, concurrency 2), on the Redis broker, with the
   null channel (bench/noop_tasks.py sets NOTIFICATION_NULL_CHANNELS in the worker only).
   M=2,000 due notifications (in-app and e-mail) are delivered end to end as in production:
   one `dispatch_due_notifications` message is published (what recording enqueues on
   commit), the worker's dispatcher hands the due rows out in `deliver_notifications`
   batches of delivery.BATCH_SIZE, and the clock stops when the broker holds no message
   (queue and unacked both empty) and all M rows are `sent`. Just before, the same worker
   runs M no-op tasks (same task options, one message each, published from here, same stop
   condition): their rate is the limit of Celery on this broker and worker; the ratio is
   delivery rate (notifications a second) / no-op rate (tasks a second). --also-reuse
   repeats it with a worker that keeps its database connection for 100 tasks (the default
   CELERY_DB_REUSE_MAX, so today the same as the first run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import production_like  # noqa: E402

production_like("dondoc_bench_reminders")
DEFAULT_BROKER = "redis://127.0.0.1:6379/15"


from bench.common import SUBJECTS, counted, explain, print_table  # noqa: E402
from bench.database import execute, insert_directives, migrated_django  # noqa: E402

SEED = 20260610
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 6, 10)  # a Wednesday; the sweep runs at 08:05 local
NOW = dt.datetime(2026, 6, 10, 8, 5, tzinfo=TZ)
DUE = 200  # K: tasks with a step due today, at every size
DUE_OFFSETS = (-5, -1, 0, 1, 5, 10, 15)
DEPARTMENTS = 200
TASKS_PER_DIRECTIVE = 100
BATCH = 500  # the sweep's batch size (tracker.services.reminders.BATCH_SIZE)
OPEN = ("assigned", "in_progress", "awaiting_acceptance")
TASK_COLUMNS = (
    "directive_id",
    "title",
    "content",
    "lead_department_id",
    "assigned_on",
    "original_deadline",
    "effective_deadline",
    "priority",
    "follow_up_officer_id",
    "supervising_leader_id",
    "status",
    "completed_on",
    "next_reminder_on",
    "version",
    "created_at",
    "updated_at",
)


# --- database --------------------------------------------------------------------------


def setup(broker: str) -> None:
    os.environ["CELERY_BROKER_URL"] = broker  # the sweep's on-commit enqueue goes there too
    migrated_django()


def empty_tables() -> None:
    execute(
        "TRUNCATE notifications_notification, notifications_notificationpreference, "
        "tracker_taskhistory, tracker_taskcoordination, tracker_task, directives_directive, "
        "tracker_department, tracker_user CASCADE"
    )


# --- the data --------------------------------------------------------------------------


class World:
    """~200 departments (head, 3 officers of whom one reads English, a supervising leader),
    the office (VP) with its director and 10 follow-up officers."""

    def __init__(self) -> None:
        from tracker.models import Department, DepartmentKind, Role, User

        def user(username: str, role: str, department: Any = None, language: str = "vi") -> Any:
            u = User(
                username=username,
                full_name=f"Cán bộ {username}",
                email=f"{username}@example.vn",
                phone="0912345678",
                role=role,
                department=department,
                language=language,
            )
            u.set_unusable_password()
            return u

        office = Department.objects.create(code="VP", name="Văn phòng UBND tỉnh", kind="khac")
        departments = Department.objects.bulk_create(
            Department(code=f"R{n:04d}", name=f"Sở thử nghiệm {n}", kind=DepartmentKind.SO)
            for n in range(DEPARTMENTS)
        )
        people = [user("director", Role.OFFICE, office)]
        people += [
            user(f"follow{n}", Role.OFFICE, office, "en" if n % 3 == 0 else "vi") for n in range(10)
        ]
        people += [user(f"leader{n}", Role.LEADER) for n in range(5)]
        for d in departments:
            people.append(user(f"{d.code}_head", Role.DEPARTMENT_HEAD, d))
            for n in range(3):
                people.append(
                    user(f"{d.code}_o{n}", Role.DEPARTMENT_OFFICER, d, "en" if n == 0 else "vi")
                )
        User.objects.bulk_create(people)
        by_name = {u.username: u for u in User.objects.all()}
        office.head = by_name["director"]
        office.save(update_fields=["head"])
        for n, d in enumerate(departments):
            d.head = by_name[f"{d.code}_head"]
            d.supervising_leader = by_name[f"leader{n % 5}"]
        Department.objects.bulk_update(departments, ["head", "supervising_leader"])
        self.departments = [d.pk for d in departments]
        self.follow_ups = [by_name[f"follow{n}"].pk for n in range(10)]
        self.leaders = [by_name[f"leader{n}"].pk for n in range(5)]
        self.recipients = [u.pk for u in by_name.values()]
        self.directives: list[int] = []
        self.tasks = 0
        self.due_ids: list[int] = []
        self.rng = random.Random(SEED)

    def add_directives(self, count: int) -> None:
        start = len(self.directives) + 1
        self.directives += insert_directives(start, count, "2021-01-04", 1900)

    def add_tasks(self, count: int, *, due: int = 0) -> float:
        """COPYs `count` more tasks, the first `due` of them due today. Returns seconds."""
        from django.db import connection

        from tracker.selectors.calendar import WorkingCalendar

        rng = self.rng
        needed = (self.tasks + count) // TASKS_PER_DIRECTIVE + 1
        if needed > len(self.directives):
            self.add_directives(needed - len(self.directives))
        calendar = WorkingCalendar(TODAY - dt.timedelta(days=60), TODAY + dt.timedelta(days=30))
        now = dt.datetime.now(dt.UTC).isoformat()
        started = time.perf_counter()
        buffer = io.StringIO()
        N = r"\N"
        for i in range(count):
            n = self.tasks + i
            directive = self.directives[n // TASKS_PER_DIRECTIVE]
            lead = self.departments[n % DEPARTMENTS]
            follow_up = self.follow_ups[n % 10]
            leader = self.leaders[n % 5] if n % 2 else N
            completed = N
            if i < due:
                offset = DUE_OFFSETS[i % len(DUE_OFFSETS)]
                deadline = calendar.add_working_days(TODAY, -offset)
                assigned = deadline - dt.timedelta(days=60)
                status, next_on = OPEN[i % 2], TODAY
            else:
                kind = rng.random()
                if kind < 0.45:  # completed: nothing more to send
                    deadline = TODAY - dt.timedelta(days=rng.randrange(1, 1500))
                    assigned = deadline - dt.timedelta(days=rng.randrange(10, 120))
                    status, next_on = "completed", N
                    completed = assigned + dt.timedelta(days=rng.randrange(1, 120))
                elif kind < 0.55:  # paused or cancelled
                    deadline = TODAY + dt.timedelta(days=rng.randrange(-300, 300))
                    assigned = deadline - dt.timedelta(days=rng.randrange(10, 120))
                    status, next_on = rng.choice(("paused", "cancelled")), N
                elif kind < 0.65:  # open, no deadline
                    deadline = N
                    assigned = TODAY - dt.timedelta(days=rng.randrange(1, 300))
                    status, next_on = rng.choice(OPEN), N
                else:  # open, its next step on a later day (before or after the deadline)
                    next_day = TODAY + dt.timedelta(days=rng.randrange(1, 200))
                    if rng.random() < 0.8:
                        deadline = next_day + dt.timedelta(days=7)
                    else:
                        deadline = next_day - dt.timedelta(days=rng.randrange(20, 100))
                    assigned = min(deadline, next_day) - dt.timedelta(days=30)
                    status, next_on = rng.choice(OPEN), next_day
            title = f"Rà soát, báo cáo {SUBJECTS[n % len(SUBJECTS)]} (nhiệm vụ {n + 1})"
            buffer.write(
                "\t".join(
                    str(v)
                    for v in (
                        directive,
                        title,
                        "Thực hiện theo chỉ đạo của Chủ tịch UBND tỉnh.",
                        lead,
                        assigned,
                        deadline,
                        deadline,
                        "normal",
                        follow_up,
                        leader,
                        status,
                        completed,
                        next_on,
                        1,
                        now,
                        now,
                    )
                )
                + "\n"
            )
        with connection.cursor() as cursor:
            first_id = None
            if due:
                cursor.execute("SELECT coalesce(max(id), 0) FROM tracker_task")
                first_id = cursor.fetchone()[0]
            with cursor.cursor.copy(
                f"COPY tracker_task ({', '.join(TASK_COLUMNS)}) FROM STDIN"
            ) as copy:
                data = buffer.getvalue().encode()
                for at in range(0, len(data), 1 << 20):
                    copy.write(data[at : at + (1 << 20)])
            if due:
                cursor.execute(
                    "SELECT id FROM tracker_task WHERE id > %s AND next_reminder_on = %s "
                    "ORDER BY id",
                    [first_id, TODAY],
                )
                self.due_ids += [row[0] for row in cursor.fetchall()]
        elapsed = time.perf_counter() - started
        execute("VACUUM ANALYZE tracker_task")
        self.tasks += count
        return elapsed


def reset_due(world: World) -> None:
    """The due tasks as they were before a sweep; no notification recorded."""
    execute("DELETE FROM notifications_notification")
    execute(
        "UPDATE tracker_task SET next_reminder_on = %s WHERE id = ANY(%s)",
        [TODAY, world.due_ids],
    )


# --- 1. the sweep ----------------------------------------------------------------------


# The same selection written by hand: the same rows, the same lock (FOR UPDATE SKIP
# LOCKED, without which concurrent sweeps would not share the work) from the same index.
RAW_SELECTION = (
    "SELECT id FROM tracker_task WHERE next_reminder_on <= %s "
    "ORDER BY next_reminder_on, id LIMIT 500 FOR UPDATE SKIP LOCKED"
)


def sweep_queryset() -> Any:
    """The sweep's own due-step selection (checked against the SQL the sweep really ran, in
    measure_sweep)."""
    from tracker.services.reminders import due_task_ids

    return due_task_ids(TODAY, BATCH)


def measure_sweep(world: World, repeats: int) -> dict[str, Any]:
    from tracker.services.reminders import sweep

    times, counts = [], []
    selection_sql = None
    for _ in range(repeats):
        reset_due(world)
        with counted() as statements:
            started = time.perf_counter()
            result = sweep(now=NOW)
            times.append(time.perf_counter() - started)
        counts.append(len(statements))
        assert result.tasks_seen == DUE and result.steps_recorded == DUE, result
        selection_sql = next(sql for sql, _params in statements if "FOR UPDATE" in sql)
    from notifications.models import Notification

    return {
        "seconds": statistics.median(times),
        "queries": max(counts),
        "queries_min": min(counts),
        "notifications": Notification.objects.count(),
        "selection_sql": selection_sql,
    }


def measure_selection(world: World, swept_sql: str, runs: int = 100) -> dict[str, Any]:
    from django.db import connection, transaction

    reset_due(world)
    with transaction.atomic():  # FOR UPDATE compiles only inside a transaction
        sql, params = sweep_queryset().query.sql_with_params()
    assert sql == swept_sql, f"the bench's queryset is not the sweep's:\n{sql}\n{swept_sql}"
    import psycopg

    settings = connection.settings_dict
    plain = psycopg.connect(  # no Django adapters (its timestamptz loader is pure Python)
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
    )
    orm_times, raw_times, plain_times = [], [], []
    for _ in range(runs):
        with transaction.atomic():
            started = time.perf_counter()
            tasks = list(sweep_queryset())
            orm_times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
        with transaction.atomic():
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.cursor.execute(RAW_SELECTION, [TODAY])
                rows = cursor.cursor.fetchall()
                raw_times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
        started = time.perf_counter()
        plain_rows = plain.execute(RAW_SELECTION, [TODAY]).fetchall()
        plain_times.append(time.perf_counter() - started)
        plain.rollback()
        assert len(tasks) == len(rows) == len(plain_rows) == DUE, (len(tasks), len(rows))
    plain.close()
    with transaction.atomic():
        plans = {"orm": explain(sql, params), "raw": explain(RAW_SELECTION, [TODAY])}
        transaction.set_rollback(True)
    for name, plan in plans.items():
        assert "task_next_reminder_idx" in plan, f"{name} does not use the index:\n{plan}"
    orm, raw = statistics.median(orm_times), statistics.median(raw_times)
    plain_raw = statistics.median(plain_times)
    return {
        "orm": orm,
        "raw": raw,
        "ratio": orm / raw,
        "best_ratio": min(orm_times) / min(raw_times),  # the least disturbed runs
        "plain": plain_raw,
        "plain_ratio": orm / plain_raw,
        "plans": plans,
    }


# --- 2. delivery -----------------------------------------------------------------------


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


def pending_notifications(world: World, count: int) -> list[int]:
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
    world: World, broker: str, count: int, repeats: int, db_reuse_max: int | None = None
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


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3, help="sweep and delivery runs")
    parser.add_argument("--messages", type=int, default=2_000, help="M, per delivery run")
    parser.add_argument("--broker", default=DEFAULT_BROKER)
    parser.add_argument("--no-delivery", action="store_true")
    parser.add_argument(
        "--also-reuse",
        action="store_true",
        help="measure delivery a second time with the worker keeping its database "
        "connection for 100 tasks (as the default CELERY_DB_REUSE_MAX = 100 does)",
    )
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    assert sizes[0] > DUE

    setup(args.broker)
    from django.conf import settings
    from django.db import connection

    empty_tables()
    world = World()
    lines = []
    plans = None
    for size in sizes:
        grow = size - world.tasks
        generated = world.add_tasks(grow, due=DUE if world.tasks == 0 else 0)
        assert len(world.due_ids) == DUE
        swept = measure_sweep(world, args.repeats)
        selection = measure_selection(world, swept["selection_sql"])
        plans = selection["plans"]
        lines.append(
            (
                f"{size:,}",
                f"{generated:.1f}",
                f"{swept['seconds'] * 1000:.0f}",
                str(swept["queries"]),
                f"{swept['notifications']:,}",
                f"{selection['orm'] * 1000:.2f}",
                f"{selection['raw'] * 1000:.2f}",
                f"{selection['ratio']:.2f} ({selection['best_ratio']:.2f})",
                f"{selection['plain'] * 1000:.2f}",
                f"{selection['plain_ratio']:.2f}",
            )
        )
        print(
            f"size {size:,}: COPY {generated:.1f} s, sweep {swept['seconds'] * 1000:.0f} ms "
            f"({swept['queries_min']}–{swept['queries']} queries), selection "
            f"{selection['orm'] * 1000:.2f} ms vs raw {selection['raw'] * 1000:.2f} ms",
            flush=True,
        )

    deliveries = []
    if not args.no_delivery:
        for db_reuse_max in [None] + ([100] if args.also_reuse else []):
            deliveries.append(
                measure_delivery(world, args.broker, args.messages, args.repeats, db_reuse_max)
            )

    version = connection.pg_version
    print()
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"PostgreSQL {version // 10000}.{version % 10000}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores; K = {DUE} due tasks at every size"
    )
    header = (
        "tasks",
        "COPY s",
        "sweep ms",
        "sweep queries",
        "notifications",
        "selection ms",
        "raw query ms",
        "selection/raw (best)",
        "plain psycopg ms",
        "selection/plain",
    )
    print_table(header, lines)
    print()
    print("Plans at the largest size:")
    for name, plan in (plans or {}).items():
        print(f"  {name}:")
        for line in plan.splitlines():
            print(f"    {line}")
    for delivery in deliveries:
        print()
        connections = (
            f"the settings as they are (CELERY_DB_REUSE_MAX={settings.CELERY_DB_REUSE_MAX})"
            if delivery["db_reuse_max"] is None
            else f"CELERY_DB_REUSE_MAX={delivery['db_reuse_max']}"
        )
        print(f"Delivery of {args.messages:,} notifications, null channel, {connections}; worker:")
        print(f"  {delivery['command']}")
        print(
            f"  {delivery['messages']:,} Celery messages (the dispatcher and its batches); "
            f"{delivery['sessions']:,.0f} new database sessions per {args.messages:,} deliveries"
        )
        print(
            f"  no-op tasks {delivery['noop']:,.0f}/s "
            f"(runs {', '.join(f'{r:,.0f}' for r in delivery['noop_rates'])}), "
            f"deliveries {delivery['deliver']:,.0f}/s "
            f"(runs {', '.join(f'{r:,.0f}' for r in delivery['deliver_rates'])}), "
            f"ratio {delivery['ratio']:.2f}"
        )
    print()
    print(
        "Reproduce: .venv/bin/python bench/reminders_bench.py --sizes "
        + " ".join(str(s) for s in sizes)
        + (f" --repeats {args.repeats}" if args.repeats != 3 else "")
        + (" --also-reuse" if args.also_reuse else "")
    )


if __name__ == "__main__":
    main(sys.argv[1:])
