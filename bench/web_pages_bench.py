"""Web pages benchmark: the indicators dashboard against `GET /api/v1/indicators/` for the
same period, and "my tasks" of a department leading 20,000 tasks against
`GET /api/v1/tasks/?department=` for the same page, measured in the same run.

    .venv/bin/python bench/web_pages_bench.py --sizes 10000 100000 1000000

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/dondoc_bench_web) names a
database of its own: created when missing, migrated, and emptied at the start. Never point
it at a database whose data matters.

The data is the indicators benchmark's province (bench/province.py: 1,000
departments, a task table filled with COPY up to each size, every state and bucket,
extensions), plus one department, B0001, made to lead exactly one task in fifty (20,000
at 1,000,000 tasks), with its officer. At each size, interleaved, median of --runs runs,
through Django's test `Client` (middleware, authentication, the view, the response rendered
to bytes), DEBUG off:

- dashboard: `GET /dashboard/?from=2026-01-01&to=2026-12-31&as_of=2026-10-31` as a leader
  signed in with the session (the page: indicators table, chart, leadership score of every
  rule of the year);
- indicators endpoint: `GET /api/v1/indicators/` with the same dates, as the office with a
  token (the JSON the dashboard's numbers must equal);
- my tasks: `GET /tasks/` as B0001's officer (the first page of 50 of its open tasks, sorted
  by the deadline in force);
- tasks endpoint: `GET /api/v1/tasks/?department=B0001&open=true&ordering=deadline` as the
  same officer with a token (the same 50 tasks of the same scope in the same order).

Ratios: dashboard / indicators endpoint, my tasks / tasks endpoint. SQL statements of each
request are counted with a connection.execute_wrapper: they must not grow with the data.
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

production_like("dondoc_bench_web")

from bench.common import counted, print_table  # noqa: E402
from bench.database import execute, migrated_django  # noqa: E402
from bench.province import AS_OF, DATE_FROM, DATE_TO, World, empty_tables  # noqa: E402

PERIOD = f"from={DATE_FROM}&to={DATE_TO}&as_of={AS_OF}"
DASHBOARD = f"/dashboard/?{PERIOD}"
INDICATORS = f"/api/v1/indicators/?{PERIOD}"
MY_TASKS = "/tasks/"
SHARE = 50  # B0001 leads one task in SHARE


def busy_department(world: World, share: int = SHARE) -> str:
    """B0001, the officer's department, made to lead exactly one task in `share` (its other
    tasks go to B0002)."""
    busy, other = world.departments[0], world.departments[1]
    execute(
        "UPDATE tracker_task SET lead_department_id = %s "
        "WHERE lead_department_id = %s AND id %% %s <> 0",
        [other, busy, share],
    )
    execute("UPDATE tracker_task SET lead_department_id = %s WHERE id %% %s = 0", [busy, share])
    execute("VACUUM ANALYZE tracker_task")
    return "B0001"


def clients(world: World) -> dict[str, tuple[Any, dict[str, str]]]:
    """A client and its headers for each request: the session for pages, tokens for the API."""
    from django.test import Client

    from tracker.models import Role, User
    from tracker.services.tokens import token_issue

    leader, _created = User.objects.get_or_create(
        username="bench_leader", defaults={"full_name": "Chủ tịch UBND tỉnh", "role": Role.LEADER}
    )
    officer = User.objects.get(pk=world.officer)
    officer_token = token_issue(user=officer)[1]
    made = {}
    for name, user in (("dashboard", leader), ("my tasks", officer)):
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        made[name] = (client, {})
    made["indicators"] = (
        Client(SERVER_NAME="localhost"),
        {"HTTP_AUTHORIZATION": f"Token {world.token}"},
    )
    made["tasks endpoint"] = (
        Client(SERVER_NAME="localhost"),
        {"HTTP_AUTHORIZATION": f"Token {officer_token}"},
    )
    return made


def measure(world: World, department: str, runs: int) -> dict[str, dict[str, Any]]:
    urls = {
        "dashboard": DASHBOARD,
        "indicators": INDICATORS,
        "my tasks": MY_TASKS,
        "tasks endpoint": f"/api/v1/tasks/?department={department}&open=true&ordering=deadline",
    }
    made = clients(world)
    times: dict[str, list[float]] = {name: [] for name in urls}
    queries: dict[str, set[int]] = {name: set() for name in urls}
    sizes: dict[str, int] = {}
    for name, url in urls.items():  # warm-up: caches, plans
        client, headers = made[name]
        response = client.get(url, **headers)
        assert response.status_code == 200, (name, response.status_code, response.content[:300])
    for _ in range(runs):
        for name, url in urls.items():
            client, headers = made[name]
            with counted() as statements:
                started = time.perf_counter()
                response = client.get(url, **headers)
                times[name].append(time.perf_counter() - started)
            queries[name].add(len(statements))
            sizes[name] = len(response.content)
    result = {
        name: {
            "median": statistics.median(times[name]),
            "best": min(times[name]),
            "queries": sorted(queries[name]),
            "bytes": sizes[name],
        }
        for name in urls
    }
    return result


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=20, help="interleaved runs per size")
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)

    migrated_django()
    from django.db import connection

    from tracker.models import Task

    empty_tables()
    world = World()
    lines = []
    for size in sizes:
        world.add_tasks(size - world.tasks)
        department = busy_department(world)
        led = Task.objects.filter(lead_department_id=world.departments[0]).count()
        result = measure(world, department, args.runs)
        dashboard, indicators = result["dashboard"], result["indicators"]
        mine, api = result["my tasks"], result["tasks endpoint"]
        lines.append(
            (
                f"{size:,}",
                f"{led:,}",
                f"{dashboard['median'] * 1000:.1f}",
                f"{indicators['median'] * 1000:.1f}",
                f"{dashboard['median'] / indicators['median']:.2f}",
                f"{mine['median'] * 1000:.1f}",
                f"{api['median'] * 1000:.1f}",
                f"{mine['median'] / api['median']:.2f}",
                " / ".join(
                    "-".join(str(q) for q in result[name]["queries"])
                    for name in ("dashboard", "indicators", "my tasks", "tasks endpoint")
                ),
            )
        )
        print(f"size {size:,}: {lines[-1]}", flush=True)

    version = connection.pg_version
    print()
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"PostgreSQL {version // 10000}.{version % 10000}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores; median of {args.runs} interleaved runs"
    )
    header = (
        "tasks",
        "B0001 leads",
        "dashboard ms",
        "indicators ms",
        "ratio",
        "my tasks ms",
        "tasks API ms",
        "ratio",
        "statements (dash / ind / mine / API)",
    )
    print_table(header, lines)
    print()
    print(
        "Reproduce: .venv/bin/python bench/web_pages_bench.py --sizes "
        + " ".join(str(s) for s in sizes)
        + (f" --runs {args.runs}" if args.runs != 20 else "")
    )


if __name__ == "__main__":
    main(sys.argv[1:])
