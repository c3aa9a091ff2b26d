"""config/gunicorn.conf.py, the web server's settings (the Dockerfile's CMD and compose's web
service read it): read by gunicorn's own loader, sized from the cores and the CPU quota,
overridden by WEB_CONCURRENCY and WEB_THREADS; and a live gunicorn started with it, whose
threads keep their database sessions from one request to the next (CONN_MAX_AGE)."""

from __future__ import annotations

import os
import runpy
import secrets
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import psycopg
import pytest
import requests
from gunicorn.app.wsgiapp import WSGIApplication
from gunicorn.config import Config

from tests.concurrency import connect
from tests.factories import PASSWORD, TaskFactory, UserFactory
from tests.integration.conftest import database_url
from tests.integration.support import PROJECT_DIR, Process, free_port, wait_until
from tracker.models import Role

CONF = PROJECT_DIR / "config" / "gunicorn.conf.py"


def loaded(monkeypatch: pytest.MonkeyPatch, **env: str) -> Config:
    """gunicorn's configuration as its command line builds it from `--config CONF` (and
    GUNICORN_CMD_ARGS), the application not loaded."""
    for name in ("WEB_CONCURRENCY", "WEB_THREADS", "GUNICORN_CMD_ARGS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["gunicorn", "--config", str(CONF), "config.wsgi:application"])
    return WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg


def module() -> dict[str, object]:
    return runpy.run_path(str(CONF))


def test_every_setting_it_names_is_one_gunicorn_knows():
    """gunicorn skips a name it does not know without a word: a misspelt setting would be
    a default silently kept."""
    names = {
        name
        for name, value in module().items()
        if not name.startswith("_")
        and name.islower()
        and not callable(value)
        and not isinstance(value, ModuleType)
    }
    assert names, "nothing read from the file"
    assert names <= set(Config().settings), names - set(Config().settings)


def test_the_production_settings(monkeypatch):
    cfg = loaded(monkeypatch)
    cores = module()["cores"]()
    assert cfg.worker_class_str == "gthread"
    assert cfg.workers == max(2, cores)
    assert cfg.threads == 4
    assert cfg.address == [("0.0.0.0", 8000)]
    assert cfg.timeout == 60
    assert cfg.graceful_timeout == 30
    assert cfg.worker_tmp_dir == "/dev/shm"
    assert cfg.forwarded_allow_ips == ["*"]
    assert cfg.accesslog == "-"


def test_workers_and_threads_from_the_environment(monkeypatch):
    cfg = loaded(monkeypatch, WEB_CONCURRENCY="7", WEB_THREADS="2")
    assert (cfg.workers, cfg.threads) == (7, 2)
    monkeypatch.setenv("WEB_THREADS", "0")
    with pytest.raises(ValueError, match="WEB_THREADS must be at least 1"):
        module()


def test_the_command_line_goes_over_the_file(monkeypatch):
    """What the benchmark relies on to compare worker classes (bench/concurrency_bench.py)."""
    cfg = loaded(monkeypatch, GUNICORN_CMD_ARGS="--worker-class sync --workers 2 --threads 1")
    assert (cfg.worker_class_str, cfg.workers, cfg.threads) == ("sync", 2, 1)
    # Sync workers with the file's threads are gthread ones: gunicorn's rule.
    cfg = loaded(monkeypatch, GUNICORN_CMD_ARGS="--worker-class sync")
    assert cfg.worker_class_str == "gthread"


@pytest.mark.parametrize(
    ("cpu_max", "expected"),
    [
        (None, "all"),  # no cgroup v2 file
        ("max 100000\n", "all"),  # no quota
        ("50000 100000\n", 1),  # half a core: one
        ("150000 100000\n", 2),  # a core and a half: two, if there are two
        ("garbage\n", "all"),
    ],
)
def test_cores_under_a_cpu_quota(tmp_path, cpu_max, expected):
    path = tmp_path / "cpu.max"
    if cpu_max is not None:
        path.write_text(cpu_max)
    available = len(os.sched_getaffinity(0))
    want = available if expected == "all" else min(expected, available)
    assert module()["cores"](path) == want


# --- live ------------------------------------------------------------------------------


def _accepting(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def server(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """gunicorn with the project's file (one process of two threads) on the test database."""
    port = free_port()
    db = database_url()
    scheme, rest = db.split("://", 1)
    credentials, place = rest.split("@", 1)
    if ":" not in credentials:  # production refuses an empty or weak password
        db = f"{scheme}://{credentials}:{secrets.token_urlsafe(24)}@{place}"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.live_settings",
        PYTHONPATH=str(PROJECT_DIR),
        DATABASE_URL=db,
        VAR_DIR=str(tmp_path),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1",
        WEB_CONCURRENCY="1",
        WEB_THREADS="2",
        GUNICORN_CMD_ARGS=f"--bind 127.0.0.1:{port}",
    )
    env.pop("CONN_MAX_AGE", None)
    command = [sys.executable, "-m", "gunicorn", "--config", str(CONF), "config.wsgi:application"]
    process = Process("gunicorn", command, tmp_path / "gunicorn.log", env=env, cwd=PROJECT_DIR)
    process.start()
    try:
        wait_until(lambda: _accepting(port), timeout=30, what="gunicorn", explain=process.log)
        yield f"http://127.0.0.1:{port}"
        assert "Using worker: gthread" in process.log()
    finally:
        process.kill(signal.SIGQUIT)
        process.finish(grace=5)


def sessions_opened(monitor: psycopg.Connection) -> int:
    row = monitor.execute(
        "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
    ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.slow
def test_the_threads_keep_their_database_sessions(server):
    UserFactory(role=Role.OFFICE, username="office")
    task = TaskFactory()
    monitor = connect()
    monitor.autocommit = True
    try:
        before = sessions_opened(monitor)
        token = requests.post(
            f"{server}/api/v1/auth/token/",
            json={"username": "office", "password": PASSWORD},
            timeout=10,
        ).json()["token"]
        headers = {"Authorization": f"Token {token}"}
        for _ in range(3):  # the list, a detail, the indicators: each thread's first session
            for path in (
                "/api/v1/tasks/",
                f"/api/v1/tasks/{task.pk}/",
                "/api/v1/indicators/?from=2026-01-01&to=2026-12-31",
            ):
                response = requests.get(f"{server}{path}", headers=headers, timeout=30)
                assert response.status_code == 200, (path, response.text[:300])
        # A session's start is counted when its backend next reports (within seconds of
        # going idle); with CONN_MAX_AGE=0 each of the ten requests would open one.
        wait_until(lambda: sessions_opened(monitor) > before, timeout=15, what="a session")
        opened = sessions_opened(monitor) - before
    finally:
        monitor.close()
    assert 1 <= opened <= 2, opened  # one per thread at most
