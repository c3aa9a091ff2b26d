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
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import production_like  # noqa: E402

production_like("dondoc_bench_reminders")
DEFAULT_BROKER = "redis://127.0.0.1:6379/15"


from bench.common import counted, explain, print_table  # noqa: E402
from bench.database import migrated_django  # noqa: E402
from bench.delivery_run import measure_delivery  # noqa: E402
from bench.reminder_world import (  # noqa: E402
    BATCH,
    DUE,
    NOW,
    TODAY,
    World,
    empty_tables,
    reset_due,
)

# --- database --------------------------------------------------------------------------


def setup(broker: str) -> None:
    os.environ["CELERY_BROKER_URL"] = broker  # the sweep's on-commit enqueue goes there too
    migrated_django()


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
