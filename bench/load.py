"""The concurrency benchmark's clients (bench/concurrency_bench.py): a mix of requests
repeated by N threads for a time, each request on a new HTTP connection, with latencies per
kind; and PostgreSQL's own count of the sessions opened meanwhile."""

from __future__ import annotations

import http.client
import os
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any

LIST, DETAIL, INDICATORS = "list", "detail", "indicators"
MIX = (LIST, DETAIL, INDICATORS)
INDICATORS_URL = "/api/v1/indicators/?from=2026-01-01&to=2026-12-31"

# --- the clients -----------------------------------------------------------------------


@dataclass
class Phase:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    sessions: int = 0
    open_at_end: int = 0
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


class Mix:
    def __init__(self, port: int, token: str, task_ids: tuple[int, int]) -> None:
        self.port, self.token, self.task_ids = port, token, task_ids

    def path(self, kind: str, rng: random.Random) -> str:
        if kind == LIST:
            return "/api/v1/tasks/"
        if kind == DETAIL:
            return f"/api/v1/tasks/{rng.randint(*self.task_ids)}/"
        return INDICATORS_URL

    def fetch(self, path: str) -> tuple[int, float]:
        """One request on a connection of its own: (status, seconds)."""
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
        try:
            connection.request(
                "GET",
                path,
                headers={"Authorization": f"Token {self.token}", "Connection": "close"},
            )
            response = connection.getresponse()
            response.read()
            return response.status, time.perf_counter() - started
        finally:
            connection.close()


def run_phase(mix: Mix, clients: int, seconds: float, seed: int, monitor: Any) -> Phase:
    phase = Phase(by_kind={kind: [] for kind in MIX})
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        turn = rng.randrange(len(MIX))
        start_gate.wait()
        while time.perf_counter() < deadline:
            kind = MIX[turn % len(MIX)]
            turn += 1
            path = mix.path(kind, rng)
            try:
                status, elapsed = mix.fetch(path)
            except Exception as exc:  # an error of the run, reported
                with lock:
                    phase.errors.append(f"{path}: {exc!r}")
                continue
            with lock:
                if status == 200:
                    phase.latencies.append(elapsed)
                    phase.by_kind[kind].append(elapsed)
                else:
                    phase.errors.append(f"{path}: {status}")

    sessions_before = sessions(monitor)
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline = started + seconds
    start_gate.wait()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    phase.load = os.getloadavg()
    time.sleep(2.5)  # a kept session reports its start within a second or two of going idle
    phase.sessions = sessions(monitor) - sessions_before
    phase.open_at_end = open_sessions(monitor)
    return phase


# --- PostgreSQL's own count of sessions ------------------------------------------------


def monitor_connection() -> Any:
    """A psycopg connection of its own, opened before any phase (it is one session)."""
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    )


def sessions(monitor: Any) -> int:
    row = monitor.execute(
        "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
    ).fetchone()
    return int(row[0])


def open_sessions(monitor: Any) -> int:
    """Client sessions on the database besides the monitor and this process's Django one."""
    from django.db import connection

    django_pid = connection.connection.info.backend_pid if connection.connection else 0
    row = monitor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_type = 'client backend' AND pid NOT IN (pg_backend_pid(), %s)",
        [django_pid],
    ).fetchone()
    return int(row[0])
