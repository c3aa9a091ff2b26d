"""Task list benchmark: the requests officials make all day on `GET /api/v1/tasks/`, each
against hand-written SQL returning the same page and count on the best index.

    .venv/bin/python bench/task_list_bench.py --sizes 10000 100000 1000000

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/dondoc_bench_lists) names a
database of its own: created when missing, migrated, and emptied at the start. Never point
it at a database whose data matters.

The province is the indicators benchmark's (bench/province.py: 1,000 departments,
a task table filled with COPY up to each size, every state, extensions, one directive per
20 tasks; one task in twelve is about "quản lý đất đai và khoáng sản"), plus 1.2
coordinating departments per task on average (0 to 3), and B0001 made to lead exactly one
task in a hundred, with its officer. For each request, interleaved, median of --runs runs:

- request: the whole request through Django's test `Client` (middleware, token
  authentication, filters, the page serialized to JSON bytes), DEBUG off;
- its SQL: the time of the request's statements on the task tables (a
  connection.execute_wrapper; the token's and the user's are the authentication's);
- raw: hand-written statements on the same connection: the count, the page (joined to the
  lead department and the directive) and the page's coordinating departments. The page's
  ids and the count are asserted equal to the endpoint's.

The ratio is the request's SQL / raw (is the ORM's query as good as the best one?); the
request's own time is printed beside it. Statements are counted at page sizes 50 and 500.
At every size the plans of the officer's requests and of the drill-down are checked: no
sequential scan of the task table (EXPLAIN printed at the largest size with --explain).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import production_like  # noqa: E402

production_like("dondoc_bench_lists")

from bench.common import explain, print_table  # noqa: E402
from bench.database import execute, migrated_django  # noqa: E402
from bench.province import DATE_FROM, DATE_TO, World, empty_tables  # noqa: E402
from bench.web_pages_bench import busy_department as lead_share  # noqa: E402

SHARE = 100  # B0001 leads one task in SHARE
TASKS = "tracker_task"  # the list's statements (the others authenticate the caller)
OPEN = "t.status IN ('assigned', 'in_progress', 'awaiting_acceptance')"
SCOPE = (
    "(t.lead_department_id = %(dept)s OR t.id = ANY(ARRAY("
    "SELECT task_id FROM tracker_taskcoordination WHERE department_id = %(dept)s)))"
)
SEARCH = (
    "(t.search_title LIKE %(p)s OR t.search_content LIKE %(p)s OR t.directive_id = ANY(ARRAY("
    "SELECT id FROM directives_directive WHERE search_text LIKE %(p)s)))"
)
RANKED = (
    "CASE WHEN t.search_title LIKE %(p)s THEN 0 WHEN t.search_content LIKE %(p)s THEN 1 "
    "ELSE 2 END, t.assigned_on DESC, t.id DESC"
)
LATEST = "t.assigned_on DESC, t.id DESC"
# The indicators' open_overdue at as_of (tracker.selectors.indicators), by hand: judged
# (assigned in the period, not cancelled), neither completed by as_of nor paused, and the
# deadline in force at as_of before it (a moved task's latest approved extension).
DEADLINE_AT = (
    "CASE WHEN t.effective_deadline > t.original_deadline THEN COALESCE(("
    "SELECT e.requested_deadline FROM tracker_extensionrequest e WHERE e.task_id = t.id "
    "AND e.status = 'approved' AND e.decided_on <= %(as_of)s "
    "ORDER BY e.decided_on DESC, e.id DESC LIMIT 1), t.original_deadline) "
    "ELSE t.original_deadline END"
)
OPEN_OVERDUE = (
    "t.assigned_on BETWEEN %(from)s AND %(until)s AND t.original_deadline < %(as_of)s "
    f"AND ({OPEN} OR (t.status = 'completed' AND t.completed_on > %(as_of)s)) "
    f"AND {DEADLINE_AT} < %(as_of)s"
)


def requests(today: Any, due_soon_until: Any) -> list[tuple[str, str, str, str, str]]:
    """(name, role, query string, raw WHERE, raw ORDER BY) of every request measured."""
    overdue = f"{OPEN} AND t.effective_deadline < %(today)s"
    due_soon = f"{OPEN} AND t.effective_deadline BETWEEN %(today)s AND %(until_due)s"
    period = f"from={DATE_FROM}&to={DATE_TO}"
    return [
        ("search đất đai", "office", "q=đất đai", SEARCH, RANKED),
        ("search dat dai", "office", "q=dat dai", SEARCH, RANKED),
        (
            "drill-down open_overdue",
            "office",
            f"indicator=open_overdue&{period}",
            OPEN_OVERDUE,
            LATEST,
        ),
        ("all tasks", "office", "", "TRUE", LATEST),
        ("department=B0001", "office", "department=B0001", SCOPE, LATEST),
        ("overdue", "office", "overdue=true", overdue, LATEST),
        ("my tasks", "officer", "", SCOPE, LATEST),
        (
            "my overdue (500)",
            "officer",
            "overdue=true&page_size=500",
            f"{SCOPE} AND {overdue}",
            LATEST,
        ),
        ("my due soon", "officer", "due_soon=true", f"{SCOPE} AND {due_soon}", LATEST),
        ("my search", "officer", "q=dat dai", f"{SCOPE} AND {SEARCH}", RANKED),
    ]


@contextmanager
def timed_statements() -> Iterator[list[tuple[str, Any, float]]]:
    from django.db import connection

    statements: list[tuple[str, Any, float]] = []

    def timing(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            statements.append((sql, params, time.perf_counter() - started))

    with connection.execute_wrapper(timing):
        yield statements


def raw(where: str, order: str, params: dict[str, Any], size: int) -> tuple[int, list[int]]:
    """The count, the page and its coordinating departments, by hand."""
    from django.db import connection

    with connection.cursor() as cursor:
        cur = cursor.cursor
        cur.execute(f"SELECT count(*) FROM tracker_task t WHERE {where}", params)
        count = cur.fetchone()[0]
        cur.execute(
            "SELECT t.*, d.code, d.name, r.number, r.title FROM tracker_task t "
            "JOIN tracker_department d ON d.id = t.lead_department_id "
            "JOIN directives_directive r ON r.id = t.directive_id "
            f"WHERE {where} ORDER BY {order} LIMIT {size}",
            params,
        )
        ids = [row[0] for row in cur.fetchall()]
        cur.execute(
            "SELECT c.task_id, d.id, d.code, d.name FROM tracker_taskcoordination c "
            "JOIN tracker_department d ON d.id = c.department_id WHERE c.task_id = ANY(%s)",
            [ids],
        )
        cur.fetchall()
    return count, ids


def add_coordinations(world: World) -> int:
    """0–3 coordinating departments per task (1.2 on average), never the lead. Triggers off
    for the fill (the lead is excluded here), as a restore would."""
    execute("TRUNCATE tracker_taskcoordination")
    execute("SET session_replication_role = replica")
    execute(
        "INSERT INTO tracker_taskcoordination (task_id, department_id) "
        "SELECT t.id, (%s::bigint[])[1 + (t.id * 7919 + j * 104729) %% %s] "
        "FROM tracker_task t, generate_series(1, (ARRAY[0, 1, 1, 1, 3])[1 + t.id %% 5]) AS j "
        "WHERE (%s::bigint[])[1 + (t.id * 7919 + j * 104729) %% %s] <> t.lead_department_id "
        "ON CONFLICT DO NOTHING",
        [world.departments, len(world.departments), world.departments, len(world.departments)],
    )
    execute("SET session_replication_role = DEFAULT")
    execute("VACUUM ANALYZE tracker_taskcoordination")
    from tracker.models import TaskCoordination

    return TaskCoordination.objects.count()


def busy_department(world: World) -> int:
    """B0001 made to lead one task in SHARE (bench/web_pages_bench.py)."""
    lead_share(world, SHARE)
    return world.departments[0]


def clients(world: World) -> dict[str, tuple[Any, dict[str, str]]]:
    from django.test import Client

    from tracker.models import User
    from tracker.services.tokens import token_issue

    officer = User.objects.get(pk=world.officer)
    tokens = {"office": world.token, "officer": token_issue(user=officer)[1]}
    return {
        role: (Client(SERVER_NAME="localhost"), {"HTTP_AUTHORIZATION": f"Token {token}"})
        for role, token in tokens.items()
    }


def measure(world: World, dept: int, runs: int, show_plans: bool) -> list[tuple[str, ...]]:
    from tracker.selectors.tasks import due_soon_limit, local_today

    today = local_today()
    params = {
        "dept": dept,
        "p": "%dat dai%",
        "today": today,
        "until_due": due_soon_limit(today),
        "from": DATE_FROM,
        "until": min(DATE_TO, today),
        "as_of": today,
    }
    made = clients(world)
    lines = []
    for name, role, query, where, order in requests(today, params["until_due"]):
        client, headers = made[role]
        size = 500 if "page_size=500" in query else 50
        url = f"/api/v1/tasks/?{query}"
        other = (
            url.replace("page_size=500", "page_size=50")
            if size == 500
            else (f"{url}&page_size=500" if query else f"{url}page_size=500")
        )
        statements = {}
        for address in (url, other):
            with timed_statements() as ran:
                response = client.get(address, **headers)
            assert response.status_code == 200, (name, response.content[:300])
            statements[address] = len(ran)
            if address == url:
                body = response.json()
        count, ids = raw(where, order, params, size)
        assert body["count"] == count, (name, body["count"], count)
        assert [task["id"] for task in body["results"]] == ids, name
        whole, sql, by_hand = [], [], []
        for _ in range(runs):
            with timed_statements() as ran:
                started = time.perf_counter()
                client.get(url, **headers)
                whole.append(time.perf_counter() - started)
            sql.append(sum(seconds for statement, _params, seconds in ran if TASKS in statement))
            started = time.perf_counter()
            raw(where, order, params, size)
            by_hand.append(time.perf_counter() - started)
        if role == "officer" or name.startswith("drill-down"):
            check_plans(name, ran, show_plans)
        median = {
            key: statistics.median(v) * 1000
            for key, v in (("whole", whole), ("sql", sql), ("raw", by_hand))
        }
        lines.append(
            (
                name,
                role,
                f"{count:,}",
                f"{median['whole']:.1f}",
                f"{median['sql']:.1f}",
                f"{median['raw']:.1f}",
                f"{median['sql'] / median['raw']:.2f}",
                f"{statements[url]} / {statements[other]}",
            )
        )
        print("  ".join(lines[-1]), flush=True)
    return lines


def check_plans(name: str, ran: list[tuple[str, Any, float]], show: bool) -> None:
    """No sequential scan of the task table in any statement of an officer's request (nor
    of the drill-down's)."""
    for sql, params, _seconds in ran:
        if "tracker_task" not in sql or sql.lstrip().startswith(("SET", "UPDATE")):
            continue
        plan = explain(sql, params)
        if show:
            print(f"--- {name}\n{sql[:300]}\n{plan}")
        assert "Seq Scan on tracker_task " not in plan + " ", (name, sql[:200], plan)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=10, help="interleaved runs per request")
    parser.add_argument("--explain", action="store_true", help="print the officer's plans")
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    migrated_django()
    from django.db import connection

    empty_tables()
    world = World()
    header = (
        "request",
        "role",
        "rows",
        "request ms",
        "its SQL ms",
        "raw ms",
        "SQL / raw",
        "statements 50 / 500",
    )
    for size in sizes:
        world.add_tasks(size - world.tasks)
        dept = busy_department(world)
        coordinations = add_coordinations(world)
        print(f"\nsize {size:,}: {coordinations:,} coordinations", flush=True)
        lines = measure(world, dept, args.runs, args.explain and size == sizes[-1])
        print_table(header, lines)
    version = connection.pg_version
    print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"PostgreSQL {version // 10000}.{version % 10000}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores; median of {args.runs} interleaved runs"
    )
    print(
        "Reproduce: .venv/bin/python bench/task_list_bench.py --sizes "
        + " ".join(str(s) for s in sizes)
    )


if __name__ == "__main__":
    main(sys.argv[1:])
