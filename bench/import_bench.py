"""Task import benchmark: `import_tasks` on a generated CSV against a raw `COPY` of the same
task rows into tracker_task, on PostgreSQL.

    .venv/bin/python bench/import_bench.py --sizes 10000 100000

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/dondoc_bench) names a database of its
own: it is created when missing, migrated, and its directive and task tables are emptied
(TRUNCATE … CASCADE) before each size. Never point it at a database whose data matters.

For each size N the script generates N realistic rows (Vietnamese text, every state, ~1,000
departments, ~N/20 directives, 0–3 coordinating departments), then measures:

- import: `directives.imports.import_tasks` on the CSV bytes, end to end (parsing, checking,
  writing directives, tasks, coordinations, history and completion reports in one
  transaction); its queries are counted (with a `connection.execute_wrapper`, which costs
  nothing, rather than CaptureQueriesContext, which would format megabytes of SQL; the
  import's 4 COPY statements bypass both and are listed apart);
- COPY: the same N task rows (same column values) written with psycopg's
  `COPY tracker_task (…) FROM STDIN` into the emptied table, in a transaction rolled back.

The ratio is import time / COPY time: how far the whole import is from the fastest way to
put its tasks alone into the table.

With `--rss-sizes`, each of those sizes is also imported in a fresh Python process of its own
(so that no size's peak masks another's): the CSV written to a temporary file and opened as
the endpoint's upload is (a file on disk), the import's peak RSS read after it (the kernel's
VmHWM; `ru_maxrss` where there is none: Linux carries that one over from the parent across
exec), against the same process's RSS just before it (Django set up, departments loaded).
IMPORT_MAX_BYTES is lifted in that process for files over the limit (200,000 of these rows
make ~91 MB) and reading has no time budget (as in `manage.py import_tasks`).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dondoc_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

from bench.common import print_table  # noqa: E402
from bench.database import ensure_database  # noqa: E402
from bench.import_rows import departments, generate, office_user  # noqa: E402

if TYPE_CHECKING:
    from directives.imports import ImportResult
    from tracker.models import User


def setup() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def truncate() -> None:
    from django.db import connection

    from directives.models import Directive
    from tracker.models import CompletionReport, Task, TaskCoordination, TaskHistory

    tables = [
        m._meta.db_table for m in (CompletionReport, TaskHistory, TaskCoordination, Task, Directive)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        cursor.execute("VACUUM ANALYZE")


def copy_tables() -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """Every row the import wrote (tasks, coordinating departments, history, completion
    reports), read back with the import's own columns, as (table, columns, rows): the raw
    COPY writes exactly the same values into the same columns (the JSON ones as text)."""
    from directives.imports import writing
    from tracker.models import CompletionReport, Task, TaskCoordination, TaskHistory

    tables = []
    for model, fields in (
        (Task, writing.TASK_COLUMNS),
        (TaskCoordination, writing.COORDINATION_COLUMNS),
        (TaskHistory, writing.HISTORY_COLUMNS),
        (CompletionReport, writing.REPORT_COLUMNS),
    ):
        rows = list(model._default_manager.order_by("pk").values_list(*fields))
        if model is TaskHistory:
            json_at = [fields.index("old"), fields.index("new")]
            rows = [
                tuple(json.dumps(v) if i in json_at else v for i, v in enumerate(row))
                for row in rows
            ]
        columns = [writing._column(model, name) for name in fields]
        tables.append((model._meta.db_table, columns, rows))
    return tables


def time_copy(tables: list[tuple[str, list[str], list[tuple[Any, ...]]]]) -> float:
    """A raw COPY of each table's rows, into the emptied tables, foreign keys checked at
    once, rolled back."""
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            # The tables as the import found them: empty (the rollback below restores them).
            cursor.execute(f"TRUNCATE {', '.join(table for table, _c, _r in tables)} CASCADE")
            # The foreign keys are deferred to the commit, which a rolled back COPY never
            # reaches: checked at once, the COPY pays for them as the import does.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            raw = cursor.cursor
            started = time.perf_counter()
            for table, columns, rows in tables:
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)
            elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def time_import(content: bytes, actor: User, profile: bool) -> tuple[float, int, ImportResult]:
    from django.db import connection

    from directives.imports import import_tasks

    queries = 0

    def count(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    profiler = cProfile.Profile() if profile else None
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        result = import_tasks(file=io.BytesIO(content), filename="bench.csv", actor=actor)
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return elapsed, queries, result


def peak_rss_mb() -> float:
    """This process's peak RSS. Linux keeps `ru_maxrss` across exec, so a child started by
    this (large) benchmark would report the parent's peak: the kernel's high-water mark of
    the process's own memory (VmHWM, reset by exec) is read where there is one."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def rss_child(path: str) -> None:
    """Runs in its own process: imports the CSV at `path`, prints its figures as JSON. The
    parent migrated the database: `migrate` here would hold some 400 MB of migration states
    and mask the import's own peak."""
    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    from directives.imports import import_tasks
    from directives.imports.workbook import Deadline

    actor = office_user()
    truncate()
    before = peak_rss_mb()
    size = os.path.getsize(path)
    started = time.perf_counter()
    with (
        open(path, "rb") as file,
        override_settings(IMPORT_MAX_BYTES=max(settings.IMPORT_MAX_BYTES, size)),
    ):
        result = import_tasks(
            file=file, filename="bench.csv", actor=actor, deadline=Deadline.unlimited()
        )
    seconds = time.perf_counter() - started
    figures = {"created": result.created, "before": before, "peak": peak_rss_mb()}
    print(json.dumps({**figures, "seconds": seconds}))


def measure_rss(size: int, codes: list[str]) -> dict[str, float]:
    content = generate(size, codes)
    with tempfile.NamedTemporaryFile(suffix=".csv") as file:
        file.write(content)
        file.flush()
        del content
        out = subprocess.run(
            [sys.executable, __file__, "--rss-child", file.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    assert figures["created"] == size, figures
    return figures


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the import")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds per size; the best time of each is kept"
    )
    parser.add_argument(
        "--rss-sizes",
        type=int,
        nargs="*",
        default=[],
        help="also measure the import's peak RSS at these sizes, each in a fresh process",
    )
    parser.add_argument("--rss-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child:
        rss_child(args.rss_child)
        return

    setup()
    from django.db import connection

    from directives.imports import service

    # The rows per chunk, each written with 4 COPY statements (one COPY each before chunks).
    chunk_rows = getattr(service, "CHUNK_ROWS", None)

    codes = departments()
    actor = office_user()
    lines = []
    for size in args.sizes:
        content = generate(size, codes)
        # Best of --repeat rounds (each an import, then both COPYs), so that a busy moment
        # of a shared machine does not weigh on one side only.
        rounds = []
        for _round in range(args.repeat):
            truncate()
            seconds, queries, result = time_import(content, actor, args.profile)
            assert result.created == size, result
            tables = copy_tables()
            rounds.append((seconds, time_copy(tables[:1]), time_copy(tables)))
            del tables
        seconds = min(r[0] for r in rounds)
        copy_seconds = min(r[1] for r in rounds)
        all_seconds = min(r[2] for r in rounds)
        statements = 4 * (-(-size // chunk_rows) if chunk_rows else 1)
        lines.append(
            (
                f"{size:,}",
                f"{len(content) / 1e6:.1f} MB",
                f"{result.directives_created:,}",
                f"{seconds:.2f}",
                f"{size / seconds:,.0f}",
                f"{copy_seconds:.2f}",
                f"{seconds / copy_seconds:.1f}",
                f"{all_seconds:.2f}",
                f"{seconds / all_seconds:.1f}",
                f"{queries} + {statements} COPY",
            )
        )
        print(
            f"size {size:,}: import {seconds:.2f} s, COPY of the tasks {copy_seconds:.2f} s, "
            f"of every row {all_seconds:.2f} s",
            flush=True,
        )

    header = (
        "rows",
        "file",
        "directives",
        "import s",
        "import rows/s",
        "COPY tasks s",
        "ratio",
        "COPY all s",
        "ratio all",
        "import queries",
    )
    # directives.imports.writing writes tasks, coordinations, history and reports: a COPY
    # each, for each chunk of CHUNK_ROWS rows.
    print()
    version = connection.pg_version
    print(f"PostgreSQL {version // 10000}.{version % 10000}, Python {sys.version.split()[0]}")
    print_table(header, lines)
    rss_lines = []
    for size in args.rss_sizes:
        figures = measure_rss(size, codes)
        rss_lines.append(
            (
                f"{size:,}",
                f"{figures['before']:.0f} MB",
                f"{figures['peak']:.0f} MB",
                f"{figures['peak'] - figures['before']:.0f} MB",
                f"{figures['seconds']:.2f}",
            )
        )
        print(f"size {size:,}: peak RSS {figures['peak']:.0f} MB", flush=True)
    if rss_lines:
        print()
        print_table(("rows", "RSS before", "peak RSS", "growth", "import s"), rss_lines)
    print()
    command = "Reproduce: .venv/bin/python bench/import_bench.py --sizes " + " ".join(
        str(s) for s in args.sizes
    )
    if args.repeat != 1:
        command += f" --repeat {args.repeat}"
    if args.rss_sizes:
        command += " --rss-sizes " + " ".join(str(s) for s in args.rss_sizes)
    print(command)


if __name__ == "__main__":
    main(sys.argv[1:])
