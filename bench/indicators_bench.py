"""Compliance indicators benchmark: `GET /api/v1/indicators/` against one hand-written SQL
aggregation of the same buckets, on PostgreSQL.

    .venv/bin/python bench/indicators_bench.py --sizes 10000 100000 1000000

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/dondoc_bench_indicators) names a
database of its own: created when missing, migrated, and its task, extension request,
directive, department and user tables emptied at the start. Never point it at a database
whose data matters.

1,000 departments; the task table is filled with COPY up to each size (the sizes grow one
table: 10,000, then 90,000 more, then 900,000 more). The tasks are a province's mix as of
TODAY (2026-11-21), assigned over the two years before it: ~60 % completed (early, on the
deadline, late), ~20 % open within their deadline, 8 % overdue, 5 % without a deadline, 3 %
paused, 2 % cancelled; 3 % of those with a deadline had it extended (an approved extension
request, a third of them two), so their effective deadline differs from the original one;
1 % have a rejected request. One directive per 20 tasks. At each size, interleaved, median
of --runs runs:

- endpoint: `GET /api/v1/indicators/?from=2026-01-01&to=2026-12-31&as_of=2026-10-31` through
  Django's test `Client` (the whole handler: middleware, token authentication, the view,
  the JSON rendered to bytes) as an office user with a token, DEBUG off. The as-of date lies
  before TODAY, so completions and extensions decided after it are judged as not there yet.
  Its SQL statements are counted with a connection.execute_wrapper;
- raw: ONE hand-written statement on the psycopg cursor of Django's connection: the same
  population, the deadline in force at the as-of date (the latest extension approved on or
  before it), `count(*) FILTER (WHERE …)` per bucket and for `due` (deadline in force on or
  before the as-of date, paused aside) grouped by lead department, LEFT JOINed
  to every department. Its result is asserted equal to the endpoint's JSON counts for every
  department.

The ratio is endpoint / raw. The plans (EXPLAIN, or EXPLAIN ANALYZE with --analyze) of the
endpoint's aggregation and of the raw statement are printed for the largest size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import production_like  # noqa: E402

production_like("dondoc_bench_indicators")


from bench.common import counted, explain, print_table  # noqa: E402
from bench.database import migrated_django  # noqa: E402
from bench.province import (  # noqa: E402
    AS_OF,
    DATE_FROM,
    DATE_TO,
    DEPARTMENTS,
    TODAY,
    World,
    empty_tables,
)

# The buckets of DOMAIN.md by hand. `deadline` is the deadline in force at the as-of date:
# the original one unless the effective one differs (only an extension makes them differ),
# then the latest extension approved on or before the as-of date.
RAW = """
WITH judged AS (
    SELECT t.lead_department_id AS department_id,
           t.status = 'completed' AND t.completed_on <= %(as_of)s AS done,
           t.status,
           t.completed_on,
           t.original_deadline IS NULL AS no_deadline,
           CASE WHEN t.original_deadline IS NULL OR t.effective_deadline = t.original_deadline
                THEN t.original_deadline
                ELSE coalesce(x.requested_deadline, t.original_deadline) END AS deadline
    FROM tracker_task t
    LEFT JOIN (
        SELECT DISTINCT ON (task_id) task_id, requested_deadline
        FROM tracker_extensionrequest
        WHERE status = 'approved' AND decided_on <= %(as_of)s
        ORDER BY task_id, decided_on DESC, id DESC
    ) x ON x.task_id = t.id
    WHERE t.assigned_on >= %(from)s AND t.assigned_on <= %(until)s
      AND t.status <> 'cancelled'
), counted AS (
    SELECT department_id,
        count(*) AS assigned,
        count(*) FILTER (WHERE done AND completed_on <= deadline) AS completed_on_time,
        count(*) FILTER (WHERE done AND completed_on < deadline) AS completed_early,
        count(*) FILTER (WHERE done AND completed_on > deadline) AS completed_late,
        count(*) FILTER (WHERE done AND no_deadline) AS completed_no_deadline,
        count(*) FILTER (WHERE NOT done AND status <> 'paused' AND deadline >= %(as_of)s)
            AS open_within_deadline,
        count(*) FILTER (WHERE NOT done AND status <> 'paused' AND deadline < %(as_of)s)
            AS open_overdue,
        count(*) FILTER (WHERE NOT done AND status <> 'paused' AND no_deadline)
            AS open_no_deadline,
        count(*) FILTER (WHERE NOT done AND status = 'paused') AS paused,
        count(*) FILTER (WHERE status <> 'paused' AND deadline <= %(as_of)s) AS due
    FROM judged
    GROUP BY department_id
)
SELECT d.id, coalesce(c.assigned, 0), coalesce(c.completed_on_time, 0),
       coalesce(c.completed_early, 0), coalesce(c.completed_late, 0),
       coalesce(c.completed_no_deadline, 0), coalesce(c.open_within_deadline, 0),
       coalesce(c.open_overdue, 0), coalesce(c.open_no_deadline, 0), coalesce(c.paused, 0),
       coalesce(c.due, 0)
FROM tracker_department d LEFT JOIN counted c ON c.department_id = d.id
ORDER BY d.code
"""
RAW_PARAMS = {"as_of": AS_OF, "from": DATE_FROM, "until": min(DATE_TO, AS_OF)}
URL = (
    f"/api/v1/indicators/?from={DATE_FROM.isoformat()}&to={DATE_TO.isoformat()}"
    f"&as_of={AS_OF.isoformat()}"
)


# --- database --------------------------------------------------------------------------


# --- measures --------------------------------------------------------------------------


def raw_counts() -> list[tuple[int, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.cursor.execute(RAW, RAW_PARAMS)
        return cursor.cursor.fetchall()


def endpoint(client: Any, token: str) -> bytes:
    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200, response.content[:500]
    return response.content


def selector(client: Any, token: str) -> bytes:
    """--selector: `indicator_report` alone, its rows dumped as the endpoint's JSON would be
    (for use while the endpoint does not exist, and to split the endpoint's time)."""
    from tracker.models import Department
    from tracker.selectors.indicators import indicator_report

    report = indicator_report(
        date_from=DATE_FROM,
        date_to=DATE_TO,
        as_of=AS_OF,
        today=TODAY,
        departments=Department.objects.all(),
    )
    body = {
        "departments": [
            {"department": {"id": row.department.pk}, **row.counts.as_dict()} for row in report.rows
        ],
        "total": report.total.as_dict(),
    }
    return json.dumps(body).encode()


def check_same(content: bytes, rows: list[tuple[int, ...]]) -> dict[str, int]:
    """The endpoint's counts are the raw statement's, department by department (the raw
    statement's columns: the bucket counts in the order of BUCKET_COUNTS, then `due`)."""
    from tracker.models import BUCKET_COUNTS

    counted = (*BUCKET_COUNTS, "due")

    body = json.loads(content)
    served = {
        row["department"]["id"]: tuple(row[name] for name in counted) for row in body["departments"]
    }
    raw = {row[0]: tuple(row[1:]) for row in rows}
    assert served.keys() == raw.keys(), "not the same departments"
    differing = [pk for pk in raw if served[pk] != raw[pk]]
    assert not differing, [(pk, served[pk], raw[pk]) for pk in differing[:5]]
    assert body["total"]["assigned"] == sum(r[0] for r in raw.values())
    return {name: body["total"][name] for name in counted}


def measure(world: World, runs: int, served_by: Callable[[Any, str], bytes]) -> dict[str, Any]:
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    content, rows = served_by(client, world.token), raw_counts()  # warm-up: caches, plans
    totals = check_same(content, rows)
    endpoint_times, raw_times, queries = [], [], set()
    aggregations: list[tuple[str, Any]] = []
    for _ in range(runs):
        with counted() as statements:
            started = time.perf_counter()
            content = served_by(client, world.token)
            endpoint_times.append(time.perf_counter() - started)
        queries.add(len(statements))
        aggregations = [s for s in statements if "GROUP BY" in s[0]] or aggregations
        started = time.perf_counter()
        rows = raw_counts()
        raw_times.append(time.perf_counter() - started)
    check_same(content, rows)
    served, raw = statistics.median(endpoint_times), statistics.median(raw_times)
    return {
        "endpoint": served,
        "raw": raw,
        "ratio": served / raw,
        "best_ratio": min(endpoint_times) / min(raw_times),
        "queries": sorted(queries),
        "totals": totals,
        "aggregations": aggregations,
        "bytes": len(content),
    }


# --- main ------------------------------------------------------------------------------


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=30, help="interleaved runs per size")
    parser.add_argument("--analyze", action="store_true", help="EXPLAIN ANALYZE instead of EXPLAIN")
    parser.add_argument(
        "--selector",
        action="store_true",
        help="measure tracker.selectors.indicators.indicator_report instead of the endpoint",
    )
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    served_by = selector if args.selector else endpoint

    migrated_django()
    from django.db import connection

    empty_tables()
    world = World()
    lines, totals = [], []
    result: dict[str, Any] = {}
    for size in sizes:
        generated = world.add_tasks(size - world.tasks)
        result = measure(world, args.runs, served_by)
        totals.append((size, result["totals"]))
        lines.append(
            (
                f"{size:,}",
                f"{result['totals']['assigned']:,}",
                f"{world.extensions:,}",
                f"{generated:.1f}",
                f"{result['endpoint'] * 1000:.1f}",
                "/".join(str(q) for q in result["queries"]),
                f"{result['raw'] * 1000:.1f}",
                f"{result['ratio']:.2f} ({result['best_ratio']:.2f})",
            )
        )
        print(
            f"size {size:,}: COPY {generated:.1f} s, endpoint {result['endpoint'] * 1000:.1f} ms "
            f"({'/'.join(str(q) for q in result['queries'])} queries, {result['bytes']:,} bytes), "
            f"raw {result['raw'] * 1000:.1f} ms, ratio {result['ratio']:.2f}",
            flush=True,
        )

    version = connection.pg_version
    print()
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"PostgreSQL {version // 10000}.{version % 10000}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores; {DEPARTMENTS:,} departments; {URL}; "
        f"median of {args.runs} interleaved runs"
        + ("; the selector alone, not the endpoint" if args.selector else "")
    )
    header = (
        "tasks",
        "population",
        "extensions",
        "COPY s",
        "endpoint ms",
        "queries",
        "raw ms",
        "endpoint/raw (best)",
    )
    print_table(header, lines)
    print()
    print("Totals at the as-of date (the endpoint's, equal to the raw statement's):")
    for size, counts in totals:
        print(f"  {size:,}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print()
    print(f"Plans at the largest size ({'EXPLAIN ANALYZE' if args.analyze else 'EXPLAIN'}):")
    plans = [
        (f"endpoint's aggregation {number}", explain(sql, params, args.analyze))
        for number, (sql, params) in enumerate(result["aggregations"], start=1)
    ]
    for name, plan in (*plans, ("raw", explain(RAW, RAW_PARAMS, args.analyze))):
        print(f"  {name}:")
        for line in plan.splitlines():
            print(f"    {line}")
    print()
    print(
        "Reproduce: .venv/bin/python bench/indicators_bench.py --sizes "
        + " ".join(str(s) for s in sizes)
        + (f" --runs {args.runs}" if args.runs != 30 else "")
        + (" --analyze" if args.analyze else "")
        + (" --selector" if args.selector else "")
    )


if __name__ == "__main__":
    main(sys.argv[1:])
