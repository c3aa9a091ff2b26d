"""Webhooks benchmark (issue 14, bench/README.md "Webhooks"): recording the task import's
task.assigned events against a raw COPY of the same delivery rows, delivering them against
bare signed POSTs to the same receiver, and the daily overdue check's selection against a
hand-written SQL of the same rows.

    .venv/bin/python bench/webhooks_bench.py --sizes 10000 100000 --deliveries 2000 \
        --overdue-sizes 100000 1000000

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/dondoc_bench_f) names a database of
its own: created when missing, migrated, its tables emptied. The broker is kombu's in-memory
one (CELERY_BROKER_URL=memory://): what recording enqueues on commit stays in this process.

- import: `import_tasks` (as bench/import_bench.py runs it) with no endpoint, then with one
  active endpoint subscribed to task.assigned (a loopback URL, the private network allowed:
  nothing is sent). Then, in transactions rolled back on the imported tasks: the recording
  alone (`tasks_assigned_record`, as the import's writer calls it) against a raw psycopg
  COPY of the webhook_delivery rows it wrote, read back with the same values.
- delivery: N deliveries recorded for a ThreadingHTTPServer in this process (204), handed
  out as the dispatcher does (`webhooks_due`, `batches`) and delivered by `webhooks_deliver`
  in this process, against the same N bodies signed (standardwebhooks) and POSTed with
  http.client, one connection each, to the same receiver, no database. Medians of
  --repeats interleaved runs.
- overdue: on bench/province.py's province, the statement `overdue_events_record` selects
  its tasks with (captured as it runs) against a hand-written SQL of the same ids; medians
  of --runs interleaved runs; EXPLAIN must show no sequential scan of the task table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import production_like  # noqa: E402

production_like("dondoc_bench_f")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("WEBHOOK_ALLOW_HTTP", "true")  # the loopback receiver is plain HTTP

from bench.common import counted, explain, print_table  # noqa: E402
from bench.database import execute, migrated_django  # noqa: E402

ASSIGNED, OVERDUE = "task.assigned", "task.overdue"
IMPORT_HEADER = (
    *("rows", "import s", "with endpoint s", "difference µs/task", "recording s"),
    *("recording µs/task", "COPY s", "recording/COPY", "recording statements"),
)


def endpoint_new(url: str, events: list[str]) -> Any:
    from notifications.services.webhooks import webhook_endpoint_create

    execute("TRUNCATE notifications_webhookendpoint CASCADE")
    return webhook_endpoint_create(
        data={
            "name": "Bench receiver",
            "url": url,
            "event_types": events,
            "allow_private_network": True,
        }
    )


def delivery_columns() -> tuple[list[str], list[str]]:
    from notifications.models import WebhookDelivery

    fields = [f for f in WebhookDelivery._meta.concrete_fields if not f.primary_key]
    return [f.attname for f in fields], [f.column for f in fields]


def time_recording(task_ids: list[int]) -> tuple[float, int, int]:
    """`tasks_assigned_record` on the imported tasks, their deliveries emptied first, foreign
    keys checked at once (as in the import), rolled back. Returns seconds, deliveries,
    statements."""
    from django.db import transaction

    from tracker.services.events import tasks_assigned_record

    with transaction.atomic():
        execute("TRUNCATE notifications_webhookdelivery")
        execute("SET CONSTRAINTS ALL IMMEDIATE")
        with counted() as statements:
            started = time.perf_counter()
            recorded = tasks_assigned_record(task_ids)
            elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, recorded, len(statements)


def time_copy(rows: list[tuple[Any, ...]]) -> float:
    """A raw COPY of the same delivery rows into the emptied table, rolled back."""
    from django.db import connection, transaction

    _attnames, columns = delivery_columns()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_webhookdelivery")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        statement = f"COPY notifications_webhookdelivery ({', '.join(columns)}) FROM STDIN"
        started = time.perf_counter()
        with cursor.cursor.copy(statement) as copy:
            for values in rows:
                copy.write_row(values)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def measure_import(size: int, codes: list[str], actor: Any, url: str) -> tuple[str, ...]:
    from django.test.utils import override_settings

    from bench.import_bench import time_import, truncate
    from bench.import_rows import generate
    from notifications.models import WebhookDelivery
    from tracker.models import Task

    content = generate(size, codes)
    truncate()
    execute("TRUNCATE notifications_webhookendpoint CASCADE")
    # Reading has no time budget (as in `manage.py import_tasks`): a loaded machine's
    # 100,000 rows may pass the endpoint's.
    with override_settings(IMPORT_TIME_BUDGET_SECONDS=3600):
        plain, _queries, result = time_import(content, actor, profile=False)
        assert result.created == size, result
        truncate()
        endpoint_new(url, [ASSIGNED])
        subscribed, _queries, result = time_import(content, actor, profile=False)
    assert WebhookDelivery.objects.count() == size, "one delivery per imported task"
    task_ids = list(Task.objects.order_by("pk").values_list("pk", flat=True))
    attnames, _columns = delivery_columns()
    rows = list(WebhookDelivery.objects.order_by("pk").values_list(*attnames))
    recording, recorded, statements = time_recording(task_ids)
    assert recorded == size, recorded
    copy = time_copy(rows)
    print(
        f"size {size:,}: import {plain:.2f} s, with an endpoint {subscribed:.2f} s; "
        f"recording {recording:.2f} s, COPY {copy:.2f} s",
        flush=True,
    )
    return (
        f"{size:,}",
        f"{plain:.2f}",
        f"{subscribed:.2f}",
        f"{(subscribed - plain) / size * 1e6:,.0f}",
        f"{recording:.2f}",
        f"{recording / size * 1e6:,.0f}",
        f"{copy:.2f}",
        f"{recording / copy:.1f}",
        str(statements),
    )


# --- delivery ------------------------------------------------------------------------


class Receiver(BaseHTTPRequestHandler):
    """Reads the body and answers 204, as a quick receiver would."""

    received = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.end_headers()
        with Receiver.lock:
            Receiver.received += 1

    def log_message(self, format: str, *args: Any) -> None:
        pass


def deliveries_new(count: int) -> None:
    """`count` pending task.assigned deliveries of real tasks, committed."""
    from django.db import transaction

    from tracker.models import Task
    from tracker.services.events import tasks_assigned_record

    execute("TRUNCATE notifications_webhookdelivery")
    ids = list(Task.objects.order_by("pk").values_list("pk", flat=True)[:count])
    assert len(ids) == count, f"{count} tasks needed, {len(ids)} imported"
    with transaction.atomic():
        assert tasks_assigned_record(ids) == count


def deliver_service() -> float:
    from config.common import clock
    from notifications.models import WebhookDelivery
    from notifications.services.delivery import batches, webhooks_deliver, webhooks_due

    started = time.perf_counter()
    for batch in batches(webhooks_due(clock.now())):
        webhooks_deliver(batch)
    elapsed = time.perf_counter() - started
    statuses = set(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses == {"sent"}, statuses
    return elapsed


def deliver_raw(port: int, messages: list[tuple[str, str, str]]) -> float:
    """The same bodies signed and POSTed, one connection each (as webhook_send makes)."""
    import http.client

    from standardwebhooks import Webhook

    started = time.perf_counter()
    for secret, message_id, body in messages:
        moment = datetime.now(UTC).replace(microsecond=0)
        headers = {
            "webhook-id": message_id,
            "webhook-timestamp": str(int(moment.timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, moment, body),
            "Content-Type": "application/json",
        }
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", "/hook", body=body.encode(), headers=headers)
        answer = connection.getresponse()
        answer.read()
        connection.close()
        assert answer.status == 204, answer.status
    return time.perf_counter() - started


def measure_delivery(count: int, repeats: int) -> dict[str, Any]:
    from notifications.models import WebhookDelivery

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    endpoint_new(f"http://127.0.0.1:{port}/hook", [ASSIGNED])
    service, raw = [], []
    try:
        for _ in range(repeats):
            deliveries_new(count)
            messages = list(
                WebhookDelivery.objects.order_by("pk").values_list(
                    "endpoint__secret", "message_id", "body"
                )
            )
            Receiver.received = 0
            raw.append(deliver_raw(port, messages))
            service.append(deliver_service())
            assert Receiver.received == 2 * count, Receiver.received
    finally:
        server.shutdown()
        server.server_close()
    service_rate, raw_rate = count / statistics.median(service), count / statistics.median(raw)
    return {"service": service_rate, "raw": raw_rate, "runs": (service, raw)}


# --- overdue ---------------------------------------------------------------------------

RAW_OVERDUE = (
    "SELECT id FROM tracker_task WHERE status IN ('assigned', 'in_progress', "
    "'awaiting_acceptance') AND effective_deadline < %s AND effective_deadline >= %s "
    "ORDER BY id"
)


def overdue_statement() -> tuple[str, Any, float, int]:
    """The statement `overdue_events_record` selects the tasks with, captured as it runs
    (rolled back), and that whole run's seconds and deliveries."""
    from django.db import transaction

    from bench.province import TODAY
    from tracker.services.events import overdue_events_record

    with transaction.atomic():
        with counted() as statements:
            started = time.perf_counter()
            recorded = overdue_events_record(TODAY)
            elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    selection = [
        (sql, params)
        for sql, params in statements
        if sql.startswith('SELECT "tracker_task"."id" AS "pk" FROM "tracker_task" WHERE')
    ]
    assert len(selection) == 1, statements[:3]
    return *selection[0], elapsed, recorded


def fetched(sql: str, params: Any) -> tuple[float, list[int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.cursor.execute(sql, params)
        ids = [row[0] for row in cursor.cursor.fetchall()]
        return time.perf_counter() - started, ids


def measure_overdue(world: Any, size: int, runs: int, show_plan: bool) -> tuple[str, ...]:
    from datetime import timedelta

    from bench.province import TODAY
    from tracker.services.events import OVERDUE_LOOKBACK_DAYS

    world.add_tasks(size - world.tasks)
    sql, params, whole, recorded = overdue_statement()
    raw_params = [TODAY, TODAY - timedelta(days=OVERDUE_LOOKBACK_DAYS)]
    ours, raws = [], []
    for _ in range(runs):
        seconds, ids = fetched(sql, params)
        ours.append(seconds)
        seconds, raw_ids = fetched(RAW_OVERDUE, raw_params)
        raws.append(seconds)
        assert ids == raw_ids and len(ids) == recorded, (len(ids), len(raw_ids), recorded)
    plan = explain(sql, params, analyze=True)
    assert "Seq Scan on tracker_task" not in plan, plan
    if show_plan:
        print(f"EXPLAIN ANALYZE at {size:,} tasks:\n{plan}\n")
    ours_ms, raw_ms = statistics.median(ours) * 1e3, statistics.median(raws) * 1e3
    return (
        f"{size:,}",
        f"{recorded:,}",
        f"{ours_ms:.2f}",
        f"{raw_ms:.2f}",
        f"{ours_ms / raw_ms:.2f}",
        f"{whole:.2f}",
        ", ".join(
            line.split("  (")[0].replace("->", "").strip()
            for line in plan.splitlines()
            if " Scan " in line
        ),
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--deliveries", type=int, default=2_000, help="0: no delivery part")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--overdue-sizes", type=int, nargs="*", default=[])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    migrated_django()
    from django.db import connection
    from django.urls import reverse

    from bench.import_rows import departments, office_user

    version = connection.pg_version
    print(f"PostgreSQL {version // 10000}.{version % 10000}, Python {sys.version.split()[0]}")
    codes, actor = departments(), office_user()
    # The URLconf, which a web process has loaded before any request, not timed with the
    # first size's recording (its links are reversed).
    reverse("task-detail", args=[1])
    lines = [measure_import(size, codes, actor, "http://127.0.0.1:9/hook") for size in args.sizes]
    if lines:
        print()
        print_table(IMPORT_HEADER, lines)
    if args.deliveries:
        if not args.sizes or max(args.sizes) < args.deliveries:
            measure_import(args.deliveries, codes, actor, "http://127.0.0.1:9/hook")
        figures = measure_delivery(args.deliveries, args.repeats)
        service, raw = figures["service"], figures["raw"]
        print()
        print(f"delivery of {args.deliveries:,} (median of {args.repeats}):")
        print(f"  webhooks_deliver {service:,.0f}/s, raw signed POSTs {raw:,.0f}/s")
        print(f"  ratio {service / raw:.2f}; runs (service, raw) s: {figures['runs']}")
    if args.overdue_sizes:
        from bench.province import World, empty_tables

        empty_tables()
        endpoint_new("http://127.0.0.1:9/hook", [OVERDUE])
        world = World()
        overdue = [
            measure_overdue(world, size, args.runs, size == max(args.overdue_sizes))
            for size in sorted(args.overdue_sizes)
        ]
        print_table(
            ("tasks", "overdue ids", "ours ms", "raw ms", "ratio", "whole check s", "plan"),
            overdue,
        )
    print()
    command = "Reproduce: .venv/bin/python bench/webhooks_bench.py --sizes " + " ".join(
        map(str, args.sizes)
    )
    command += f" --deliveries {args.deliveries} --repeats {args.repeats}"
    if args.overdue_sizes:
        command += " --overdue-sizes " + " ".join(map(str, args.overdue_sizes))
        command += f" --runs {args.runs}"
    print(command)


if __name__ == "__main__":
    main(sys.argv[1:])
