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
  before it), `count(*) FILTER (WHERE …)` per bucket grouped by lead department, LEFT JOINed
  to every department. Its result is asserted equal to the endpoint's JSON counts for every
  department.

The ratio is endpoint / raw. The plans (EXPLAIN, or EXPLAIN ANALYZE with --analyze) of the
endpoint's aggregation and of the raw statement are printed for the largest size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
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


from bench.common import SUBJECTS, counted, explain, print_table  # noqa: E402
from bench.database import execute, insert_directives, migrated_django  # noqa: E402

SEED = 20261121
TODAY = dt.date(2026, 11, 21)
DATE_FROM, DATE_TO, AS_OF = dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 10, 31)
SPAN = 730  # assigned over the two years before TODAY
DEPARTMENTS = 1_000
TASKS_PER_DIRECTIVE = 20
# (kind, share in ‰): the task's state at TODAY.
KINDS = (
    ("early", 360),
    ("on_deadline", 90),
    ("late", 150),
    ("within", 200),
    ("overdue", 80),
    ("no_deadline", 50),
    ("paused", 30),
    ("cancelled", 20),
    ("awaiting", 20),  # awaiting acceptance, within its deadline
)
EXTENDED = 0.03  # of the tasks with a deadline
REJECTED = 0.01
TASK_COLUMNS = (
    "id",
    "directive_id",
    "title",
    "content",
    "lead_department_id",
    "assigned_on",
    "original_deadline",
    "effective_deadline",
    "priority",
    "status",
    "completed_on",
    "version",
    "created_at",
    "updated_at",
)
EXTENSION_COLUMNS = (
    "task_id",
    "department_id",
    "author_id",
    "previous_deadline",
    "requested_deadline",
    "reason",
    "status",
    "decided_by_id",
    "decided_at",
    "decided_on",
    "note",
    "created_at",
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
        count(*) FILTER (WHERE NOT done AND status = 'paused') AS paused
    FROM judged
    GROUP BY department_id
)
SELECT d.id, coalesce(c.assigned, 0), coalesce(c.completed_on_time, 0),
       coalesce(c.completed_early, 0), coalesce(c.completed_late, 0),
       coalesce(c.completed_no_deadline, 0), coalesce(c.open_within_deadline, 0),
       coalesce(c.open_overdue, 0), coalesce(c.open_no_deadline, 0), coalesce(c.paused, 0)
FROM tracker_department d LEFT JOIN counted c ON c.department_id = d.id
ORDER BY d.code
"""
RAW_PARAMS = {"as_of": AS_OF, "from": DATE_FROM, "until": min(DATE_TO, AS_OF)}
URL = (
    f"/api/v1/indicators/?from={DATE_FROM.isoformat()}&to={DATE_TO.isoformat()}"
    f"&as_of={AS_OF.isoformat()}"
)


# --- database --------------------------------------------------------------------------


def empty_tables() -> None:
    execute(
        "TRUNCATE tracker_extensionrequest, tracker_taskhistory, tracker_taskcoordination, "
        "tracker_task, directives_directive, tracker_department, tracker_user CASCADE"
    )


def copy_rows(table: str, columns: tuple[str, ...], buffer: io.StringIO) -> None:
    from django.db import connection

    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        data = buffer.getvalue().encode()
        for at in range(0, len(data), 1 << 20):
            copy.write(data[at : at + (1 << 20)])


# --- the data --------------------------------------------------------------------------


class World:
    """1,000 departments, an office user with a token, an officer who requests extensions."""

    def __init__(self) -> None:
        from tracker.models import Department, DepartmentKind, Role, User
        from tracker.services.tokens import token_issue

        departments = Department.objects.bulk_create(
            Department(
                code=f"B{n:04d}",
                name=f"Cơ quan thử nghiệm số {n}",
                kind=DepartmentKind.SO if n % 3 else DepartmentKind.UBND_XA,
            )
            for n in range(1, DEPARTMENTS + 1)
        )
        office = User(username="bench_office", full_name="Chuyên viên VP", role=Role.OFFICE)
        officer = User(
            username="bench_officer",
            full_name="Chuyên viên Sở",
            role=Role.DEPARTMENT_OFFICER,
            department=departments[0],
        )
        for user in (office, officer):
            user.set_unusable_password()
            user.save()
        self.token = token_issue(user=office)[1]
        self.office, self.officer = office.pk, officer.pk
        self.departments = [d.pk for d in departments]
        # A few departments carry most tasks, as the big sở do.
        self.weights = [8 if n < 50 else 1 for n in range(DEPARTMENTS)]
        self.directives: list[int] = []
        self.tasks = 0
        self.extensions = 0
        self.rng = random.Random(SEED)
        self.kinds = [kind for kind, share in KINDS for _ in range(share)]

    def add_directives(self, count: int) -> None:
        start = len(self.directives) + 1
        self.directives += insert_directives(start, count, "2024-11-01", 730)

    def dates(self, kind: str) -> tuple[str, dt.date, dt.date | None, dt.date | None]:
        """(status, assigned_on, deadline in force today, completed_on) for a kind."""
        rng, day = self.rng, dt.timedelta(days=1)
        assigned = TODAY - rng.randrange(2, SPAN) * day
        waited = (TODAY - assigned).days
        if kind == "early":
            completed = assigned + rng.randrange(0, min(60, waited)) * day
            return "completed", assigned, completed + rng.randrange(1, 30) * day, completed
        if kind == "on_deadline":
            completed = assigned + rng.randrange(0, min(60, waited)) * day
            return "completed", assigned, completed, completed
        if kind == "late":
            deadline = assigned + rng.randrange(0, min(60, waited - 1)) * day
            late = min(30, (TODAY - deadline).days)
            return "completed", assigned, deadline, deadline + rng.randrange(1, late + 1) * day
        if kind in ("within", "awaiting"):
            assigned = TODAY - rng.randrange(0, 365) * day
            status = "awaiting_acceptance" if kind == "awaiting" else rng.choice(OPEN)
            return status, assigned, TODAY + rng.randrange(0, 120) * day, None
        if kind == "overdue":
            return rng.choice(OPEN), assigned, assigned + rng.randrange(0, waited) * day, None
        if kind == "no_deadline":
            if rng.random() < 0.4:
                return "completed", assigned, None, assigned + rng.randrange(0, waited) * day
            return rng.choice(OPEN), assigned, None, None
        deadline = assigned + rng.randrange(10, 120) * day if rng.random() < 0.9 else None
        return kind, assigned, deadline, None  # paused or cancelled

    def extensions_for(
        self, task: int, department: int, assigned: dt.date, deadline: dt.date
    ) -> tuple[dt.date, list[str]]:
        """The original deadline of a task extended to `deadline`, and its approved requests
        (one, or two for a third of them)."""
        rng, day = self.rng, dt.timedelta(days=1)
        original = assigned + rng.randrange(0, (deadline - assigned).days) * day
        steps = [original]
        if (deadline - original).days >= 2 and rng.random() < 1 / 3:
            steps.append(original + rng.randrange(1, (deadline - original).days) * day)
        steps.append(deadline)
        last = min(TODAY, deadline)
        decided = sorted(
            assigned + rng.randrange(0, (last - assigned).days + 1) * day
            for _ in range(len(steps) - 1)
        )
        rows = [
            self.extension_row(task, department, previous, requested, "approved", on)
            for previous, requested, on in zip(steps[:-1], steps[1:], decided, strict=True)
        ]
        return original, rows

    def extension_row(
        self,
        task: int,
        department: int,
        previous: dt.date,
        requested: dt.date,
        status: str,
        decided_on: dt.date,
    ) -> str:
        at = dt.datetime.combine(decided_on, dt.time(9, 30), tzinfo=dt.UTC).isoformat()
        values = (
            task,
            department,
            self.officer,
            previous,
            requested,
            "Khối lượng công việc lớn, cần thêm thời gian phối hợp.",
            status,
            self.office,
            at,
            decided_on,
            "",
            at,
        )
        return "\t".join(str(v) for v in values) + "\n"

    def add_tasks(self, count: int) -> float:
        """COPYs `count` more tasks and their extension requests. Returns seconds."""
        from django.db import connection

        rng, N = self.rng, r"\N"
        needed = (self.tasks + count) // TASKS_PER_DIRECTIVE + 1
        if needed > len(self.directives):
            self.add_directives(needed - len(self.directives))
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM tracker_task")
            first_id = cursor.fetchone()[0] + 1
        now = dt.datetime.now(dt.UTC).isoformat()
        started = time.perf_counter()
        tasks, extensions = io.StringIO(), io.StringIO()
        leads = rng.choices(self.departments, weights=self.weights, k=count)
        for i in range(count):
            n, task = self.tasks + i, first_id + i
            lead = leads[i]
            status, assigned, deadline, completed = self.dates(rng.choice(self.kinds))
            original = deadline
            if deadline is not None and deadline > assigned and status != "cancelled":
                draw = rng.random()
                if draw < EXTENDED:
                    original, rows = self.extensions_for(task, lead, assigned, deadline)
                    extensions.writelines(rows)
                    self.extensions += len(rows)
                elif draw < EXTENDED + REJECTED:
                    asked = deadline + dt.timedelta(days=rng.randrange(5, 60))
                    decided = min(TODAY, deadline)
                    extensions.write(
                        self.extension_row(task, lead, deadline, asked, "rejected", decided)
                    )
            title = f"Rà soát, báo cáo {SUBJECTS[n % len(SUBJECTS)]} (nhiệm vụ {n + 1})"
            values = (
                task,
                self.directives[n // TASKS_PER_DIRECTIVE],
                title,
                "Thực hiện theo chỉ đạo của Chủ tịch UBND tỉnh.",
                lead,
                assigned,
                N if original is None else original,
                N if deadline is None else deadline,
                "normal",
                status,
                N if completed is None else completed,
                1,
                now,
                now,
            )
            tasks.write("\t".join(str(v) for v in values) + "\n")
        copy_rows("tracker_task", TASK_COLUMNS, tasks)
        copy_rows("tracker_extensionrequest", EXTENSION_COLUMNS, extensions)
        elapsed = time.perf_counter() - started
        execute(
            "SELECT setval(pg_get_serial_sequence('tracker_task', 'id'), max(id)) FROM tracker_task"
        )
        execute("VACUUM ANALYZE tracker_task")
        execute("VACUUM ANALYZE tracker_extensionrequest")
        # As autovacuum would in a minute: plans made on 72 departments where there are
        # 1,000 are nested loops over all of them (bench/README.md, "Task lists").
        execute("ANALYZE tracker_department, tracker_user, directives_directive")
        self.tasks += count
        return elapsed


OPEN = ("assigned", "in_progress")


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
    statement's columns in the order of BUCKET_COUNTS)."""
    from tracker.models import BUCKET_COUNTS

    body = json.loads(content)
    served = {
        row["department"]["id"]: tuple(row[name] for name in BUCKET_COUNTS)
        for row in body["departments"]
    }
    raw = {row[0]: tuple(row[1:]) for row in rows}
    assert served.keys() == raw.keys(), "not the same departments"
    differing = [pk for pk in raw if served[pk] != raw[pk]]
    assert not differing, [(pk, served[pk], raw[pk]) for pk in differing[:5]]
    assert body["total"]["assigned"] == sum(r[0] for r in raw.values())
    return {name: body["total"][name] for name in BUCKET_COUNTS}


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
