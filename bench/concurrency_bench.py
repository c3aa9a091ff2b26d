"""Concurrency benchmark: gunicorn as the Dockerfile runs it, under 20 concurrent clients
for 30 s over a mix of the API's most used reads, against the same mix one request at a
time, on PostgreSQL.

    .venv/bin/python bench/concurrency_bench.py --variants before config

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/dondoc_bench_concurrency) names a
database of its own: created when missing, migrated, and emptied at the start. Never point
it at a database whose data matters.

The data is the indicators benchmark's province (bench/province.py: 1,000
departments, --tasks tasks filled with COPY, every state and bucket, extensions). For each
variant a gunicorn is started on 127.0.0.1 as a subprocess (DEBUG off, the production
settings), warmed up, then measured:

- serial: one client, one request after the other, for --serial-seconds;
- concurrent: --clients clients (threads of this process) for --seconds.

Each client repeats the mix in turn, from a random place in it, as the office with a token:
`GET /api/v1/tasks/` (the first page of 50 and its count), `GET /api/v1/tasks/<id>/` (a
random task), `GET /api/v1/indicators/?from=2026-01-01&to=2026-12-31` (every department's
counts). Every request is a new HTTP connection, as nginx makes them (deploy/nginx.conf
keeps no upstream connections). A request counts as an error when it raises or answers
anything but 200.

Reported per phase: requests/s, latency p50/p95/p99, errors, and the PostgreSQL sessions
opened (the `sessions` counter of pg_stat_database for the database, exact, PostgreSQL 14
and later), with the sessions still open at the end. The ratio is the concurrent
throughput / (serial rate x worker processes): 1 when each process serves as fast under
load as one alone, which two cores cannot give beyond two busy processes.

Variants (--variants):
- before: the command of the Dockerfile before issue 12 (gunicorn's flags, 3 sync workers
  from WEB_CONCURRENCY, CONN_MAX_AGE=0: a database session per request);
- config: config/gunicorn.conf.py as it stands, with the settings' CONN_MAX_AGE;
- sync-N, gthread-NxT: that config with N sync workers, or N gthread workers of T threads
  (GUNICORN_CMD_ARGS, which gunicorn puts over its config file);
- any of them followed by @S: CONN_MAX_AGE=S (e.g. sync-3@0).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import runpy
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import production_like  # noqa: E402

production_like("dondoc_bench_concurrency")

from bench.common import print_table  # noqa: E402
from bench.database import migrated_django  # noqa: E402
from bench.load import MIX, Mix, Phase, monitor_connection, run_phase  # noqa: E402
from bench.province import World, empty_tables  # noqa: E402

GUNICORN_CONF = ROOT / "config" / "gunicorn.conf.py"
# The Dockerfile's CMD before issue 12, with its WEB_CONCURRENCY=3.
BEFORE_FLAGS = [
    "--timeout",
    "60",
    "--graceful-timeout",
    "30",
    "--worker-tmp-dir",
    "/dev/shm",
    "--forwarded-allow-ips",
    "*",
    "--access-logfile",
    "-",
]
BEFORE_WORKERS = 3


# --- the server ------------------------------------------------------------------------


@dataclass
class Variant:
    name: str
    flags: list[str]  # after `gunicorn`, before the application
    env: dict[str, str]
    workers: int
    threads: int
    conn_max_age: str
    worker_class: str = "?"  # as gunicorn's log says, once run


def variant(spec: str) -> Variant:
    name, _, age = spec.partition("@")
    config = ["-c", str(GUNICORN_CONF)]
    env: dict[str, str] = {}
    if name == "before":
        flags, workers, threads = BEFORE_FLAGS, BEFORE_WORKERS, 1
        env["WEB_CONCURRENCY"] = str(BEFORE_WORKERS)
        age = age or "0"
    elif name == "config":
        flags = config
        settings = runpy.run_path(str(GUNICORN_CONF))
        workers = settings["workers"]
        threads = settings["threads"] if settings["worker_class"] == "gthread" else 1
    elif match := re.fullmatch(r"sync-(\d+)", name):
        flags, workers, threads = config, int(match.group(1)), 1
        # --threads 1: gunicorn makes sync workers with threads gthread ones.
        env["GUNICORN_CMD_ARGS"] = f"--worker-class sync --workers {workers} --threads 1"
    elif match := re.fullmatch(r"gthread-(\d+)x(\d+)", name):
        flags, workers, threads = config, int(match.group(1)), int(match.group(2))
        env["GUNICORN_CMD_ARGS"] = f"--worker-class gthread --workers {workers} --threads {threads}"
    else:
        raise SystemExit(f"unknown variant {spec!r}")
    if age:
        env["CONN_MAX_AGE"] = age
    settings_age = age or "60 (settings)"
    return Variant(spec, flags, env, workers, threads, settings_age)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn in a session of its own, its output in a log file."""

    def __init__(self, chosen: Variant, var: Path) -> None:
        self.port = free_port()
        self.log_path = var / f"gunicorn-{chosen.name}.log"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "VAR_DIR": str(var),
            "ALLOWED_HOSTS": "127.0.0.1",
            **chosen.env,
        }
        # The bind address replaces the container's 0.0.0.0:8000.
        extra = env.get("GUNICORN_CMD_ARGS", "")
        env["GUNICORN_CMD_ARGS"] = f"{extra} --bind 127.0.0.1:{self.port}".strip()
        command = [sys.executable, "-m", "gunicorn", *chosen.flags, "config.wsgi:application"]
        with self.log_path.open("w") as log:
            log.write(f"GUNICORN_CMD_ARGS={shlex.quote(env['GUNICORN_CMD_ARGS'])} ")
            log.write(" ".join(shlex.quote(part) for part in command) + "\n")
            log.flush()
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                start_new_session=True,
            )  # fmt: skip
        limit = time.monotonic() + 60
        while not self._accepting():
            if self.process.poll() is not None or time.monotonic() > limit:
                self.stop()
                raise SystemExit(f"gunicorn did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.2)

    def worker_class(self) -> str:
        """The worker class gunicorn says it uses."""
        found = re.search(r"Using worker: (\S+)", self.log_path.read_text())
        return found.group(1) if found else "?"

    def _accepting(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: nothing is in flight
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- main ------------------------------------------------------------------------------


def measure(chosen: Variant, args: argparse.Namespace, world: World, ids: tuple[int, int]) -> Any:
    with tempfile.TemporaryDirectory(prefix="dondoc-concurrency-") as var:
        server = Server(chosen, Path(var))
        monitor = monitor_connection()
        try:
            mix = Mix(server.port, world.token, ids)
            rng = random.Random(1)
            for _ in range(2 * chosen.workers * chosen.threads):  # imports, plans, caches
                for kind in MIX:
                    status, _elapsed = mix.fetch(mix.path(kind, rng))
                    assert status == 200, (kind, status, server.log_path.read_text()[-3000:])
            serial = run_phase(mix, 1, args.serial_seconds, 1, monitor)
            concurrent = run_phase(mix, args.clients, args.seconds, 2, monitor)
            chosen.worker_class = server.worker_class()
        finally:
            monitor.close()
            server.stop()
    return serial, concurrent


def phase_line(each: Variant, round_number: int, name: str, phase: Phase) -> tuple[str, ...]:
    return (
        each.name,
        f"{each.worker_class} {each.workers}x{each.threads}",
        each.conn_max_age,
        str(round_number),
        name,
        f"{phase.requests:,}",
        f"{phase.rate:.1f}",
        *(f"{phase.percentile(p) * 1000:.0f}" for p in (50, 95, 99)),
        str(len(phase.errors)),
        f"{phase.sessions:,}",
        str(phase.open_at_end),
        " ".join(f"{x:.2f}" for x in phase.load),
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", nargs="+", default=["before", "config"])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--serial-seconds", type=float, default=30.0)
    parser.add_argument(
        "--rounds", type=int, default=1, help="the variants measured in turn, this many times"
    )
    args = parser.parse_args(argv)
    chosen = [variant(spec) for spec in args.variants]

    migrated_django()
    from django.db import connection

    empty_tables()
    world = World()
    world.add_tasks(args.tasks)
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM tracker_task")
        ids = cursor.fetchone()

    lines, kinds = [], []
    results: dict[str, list[tuple[Phase, Phase]]] = {each.name: [] for each in chosen}
    for round_number in range(1, args.rounds + 1):
        for each in chosen:
            serial, concurrent = measure(each, args, world, ids)
            results[each.name].append((serial, concurrent))
            for name, phase in (("serial", serial), (f"{args.clients} clients", concurrent)):
                lines.append(phase_line(each, round_number, name, phase))
                kinds.append(
                    (
                        each.name,
                        str(round_number),
                        name,
                        *(
                            f"{statistics.median(phase.by_kind[k]) * 1000:.0f}"
                            if phase.by_kind[k]
                            else "-"
                            for k in MIX
                        ),
                    )
                )
                for error in phase.errors[:5]:
                    print(f"  error ({each.name}, {name}): {error}")
            speedup = concurrent.rate / serial.rate
            print(
                f"round {round_number}, {each.name}: serial {serial.rate:.1f} req/s, "
                f"{args.clients} clients {concurrent.rate:.1f} req/s "
                f"(p50 {concurrent.percentile(50) * 1000:.0f} ms), "
                f"ratio {speedup / each.workers:.2f} (x{speedup:.2f}), "
                f"sessions {serial.sessions} + {concurrent.sessions} for "
                f"{serial.requests} + {concurrent.requests} requests",
                flush=True,
            )

    summary = []
    for each in chosen:
        pairs = results[each.name]
        serial_rates = [s.rate for s, _c in pairs]
        rates = [c.rate for _s, c in pairs]
        ratios = [c.rate / s.rate / each.workers for s, c in pairs]
        summary.append(
            (
                each.name,
                f"{each.worker_class} {each.workers}x{each.threads}",
                each.conn_max_age,
                f"{statistics.median(serial_rates):.1f}",
                f"{statistics.median(rates):.1f} ({min(rates):.1f}-{max(rates):.1f})",
                f"{statistics.median(c.percentile(50) for _s, c in pairs) * 1000:.0f}",
                f"{statistics.median(c.percentile(95) for _s, c in pairs) * 1000:.0f}",
                f"{statistics.median(c.percentile(99) for _s, c in pairs) * 1000:.0f}",
                str(sum(len(s.errors) + len(c.errors) for s, c in pairs)),
                " / ".join(f"{c.sessions}:{c.requests}" for _s, c in pairs),
                f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})",
            )
        )

    version = connection.pg_version
    print()
    print(
        f"PostgreSQL {version // 10000}.{version % 10000}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores; {args.tasks:,} tasks; mix {', '.join(MIX)} as the office; "
        f"serial {args.serial_seconds:g} s, {args.clients} clients {args.seconds:g} s; "
        f"{args.rounds} round(s), the variants in turn"
    )
    header = (
        "variant",
        "worker, procs x threads",
        "CONN_MAX_AGE",
        "round",
        "phase",
        "requests",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "sessions opened",
        "open at end",
        "load (1, 5, 15 min)",
    )
    print_table(header, lines)
    print()
    print_table(("variant", "round", "phase", *(f"{k} p50 ms" for k in MIX)), kinds)
    print()
    print(
        "Summary, median of the rounds (range): the ratio is concurrent req/s / "
        "(serial req/s x processes); sessions opened : requests of each concurrent phase."
    )
    print_table(
        (
            "variant",
            "worker, procs x threads",
            "CONN_MAX_AGE",
            "serial req/s",
            f"{args.clients} clients req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "errors",
            "sessions:requests",
            "ratio",
        ),
        summary,
    )
    print()
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        "Reproduce: .venv/bin/python bench/concurrency_bench.py --variants "
        + " ".join(args.variants)
        + (f" --tasks {args.tasks}" if args.tasks != 100_000 else "")
        + (f" --clients {args.clients}" if args.clients != 20 else "")
        + (f" --seconds {args.seconds:g}" if args.seconds != 30 else "")
        + (f" --serial-seconds {args.serial_seconds:g}" if args.serial_seconds != 30 else "")
        + (f" --rounds {args.rounds}" if args.rounds != 1 else "")
    )


if __name__ == "__main__":
    main(sys.argv[1:])
