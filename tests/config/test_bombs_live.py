"""Decompression bombs sent to a live gunicorn (one sync worker, the production command's
timeout, DEBUG off) on the test database, through HTTP as an attacker would (issue 11):

- three XLSX imports: one 500 MB shared string (0.5 MB), 30 million shared strings
  (1.3 MB), 1,000,000 rows (4.9 MB);
- two report attachments: an ODT whose `mimetype` unpacks to 500 MB (0.5 MB), a DOCX whose
  document part declares the billion laughs entities.

Each answer is a 400 within a few seconds, its body under 10 KB, the worker's resident
memory (VmRSS of /proc/<pid>/status) back within 50 MB of what it was before, and nothing
saved: no task, directive, attachment row or stored file. Before the fix the first one took
the worker from 113 MB to 3.5 GB and answered 524 MB; the second and third ran past the
worker's timeout; the ODT was accepted (201) at 1 GB of memory.

Measured on 2 shared cores (2026-11-30; bench/README.md keeps the figures): each bomb is
refused in 0.02–0.1 s (the rows one, which unpacks rows until the limit, in 0.2–0.4 s) with
a body of 120–160 bytes, the worker's RSS unchanged to within 2 MB (its peak 104 MB).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests import bombs
from tests.factories import PASSWORD, TaskFactory, UserFactory
from tests.integration.conftest import database_url
from tests.integration.support import PROJECT_DIR, Process, free_port, wait_until
from tests.samples import zip_bytes
from tracker.models import Attachment, Role, Task

pytestmark = pytest.mark.django_db(transaction=True)

MB = 1024 * 1024
RSS_MARGIN = 50 * MB
SECONDS = 5.0
BODY_BYTES = 10_000


@dataclass
class LiveServer:
    process: Process
    url: str
    media: Path

    def worker_pid(self) -> int:
        master = self.process.pid
        listed = Path(f"/proc/{master}/task/{master}/children")
        if listed.exists():
            children = listed.read_text().split()
        else:  # a kernel without CONFIG_PROC_CHILDREN: the parent field of every process
            children = [
                stat.parent.name
                for stat in Path("/proc").glob("[0-9]*/stat")
                if _parent(stat) == master
            ]
        assert len(children) == 1, f"one gunicorn worker expected, got {children}"
        return int(children[0])

    def memory(self) -> dict[str, int]:
        """The worker's VmRSS (now) and VmHWM (its peak), in bytes."""
        status = Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines()
        fields = dict(line.split(":", 1) for line in status)
        return {key: int(fields[key].split()[0]) * 1024 for key in ("VmRSS", "VmHWM")}

    def stored_files(self) -> list[Path]:
        return [p for p in self.media.rglob("*") if p.is_file()]


def _parent(stat: Path) -> int | None:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _with_password(url: str) -> str:
    scheme, rest = url.split("://", 1)
    credentials, place = rest.split("@", 1)
    if ":" in credentials:
        return url
    return f"{scheme}://{credentials}:{secrets.token_urlsafe(24)}@{place}"


def _accepting(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def server(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    var = tmp_path_factory.mktemp("live-var")
    port = free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.live_settings",
        PYTHONPATH=str(PROJECT_DIR),
        DATABASE_URL=_with_password(database_url()),
        VAR_DIR=str(var),
        DEBUG="0",
        # Production refuses a weak key or database password (config/deployment.py): a
        # random key, a password the local trust authentication ignores; plain HTTP here.
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1",
    )
    process = Process(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "60",
        ],
        var / "gunicorn.log",
        env=env,
        cwd=PROJECT_DIR,
    )
    process.start()
    try:
        wait_until(
            lambda: _accepting(port),
            timeout=30,
            what="gunicorn to accept connections",
            explain=process.log,
        )
        yield LiveServer(process, f"http://127.0.0.1:{port}", var / "media")
    finally:
        process.kill(signal.SIGQUIT)  # gunicorn's quick shutdown: nothing is in flight
        process.finish(grace=5)


def _token(server: LiveServer, username: str) -> dict[str, str]:
    response = requests.post(
        f"{server.url}/api/v1/auth/token/",
        json={"username": username, "password": PASSWORD},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Token {response.json()['token']}", "Accept-Language": "en"}


@dataclass
class Doors:
    """The two ways in: the import (as the office) and a progress report (as the lead
    department's officer), each posting one file."""

    server: LiveServer
    office: dict[str, str]
    officer: dict[str, str]
    task: Task

    def import_file(self, name: str, data: bytes) -> requests.Response:
        return requests.post(
            f"{self.server.url}/api/v1/tasks/import/",
            files={"file": (name, data)},
            headers=self.office,
            timeout=70,
        )

    def attach(self, name: str, data: bytes) -> requests.Response:
        return requests.post(
            f"{self.server.url}/api/v1/tasks/{self.task.pk}/progress/",
            data={"note": "Đã triển khai 50%"},
            files={"attachments": (name, data)},
            headers=self.officer,
            timeout=70,
        )


@pytest.fixture
def doors(server: LiveServer, department, officer) -> Doors:
    UserFactory(role=Role.OFFICE, username="office")
    task = TaskFactory(lead_department=department)
    result = Doors(server, _token(server, "office"), _token(server, officer.username), task)
    # The first request of each kind loads its modules (openpyxl, the parsers): the memory
    # measured is the worker's after them.
    assert result.import_file("warm.xlsx", zip_bytes([("a.txt", "x")])).status_code == 400
    assert result.attach("warm.docx", zip_bytes([("a.txt", "x")])).status_code == 400
    return result


BOMBS: dict[str, tuple[str, str, Callable[[], bytes], str]] = {
    "xlsx-one-500-MB-string": ("import_file", "tasks.xlsx", bombs.xlsx_one_huge_string, "ratio"),
    "xlsx-30-million-strings": ("import_file", "tasks.xlsx", bombs.xlsx_many_strings, "ratio"),
    "xlsx-million-rows": ("import_file", "tasks.xlsx", bombs.xlsx_many_rows, "rows"),
    "odt-500-MB-mimetype": ("attach", "to-trinh.odt", bombs.odt_huge_mimetype, "ratio"),
    "docx-billion-laughs": ("attach", "bien-ban.docx", bombs.docx_billion_laughs, "entities"),
}
REASONS = {
    "ratio": "times its packed size",
    "rows": "has more than 201,000 rows",
    "entities": "declares a document type or entities",
}


@pytest.mark.parametrize("bomb", BOMBS)
def test_a_bomb_is_a_small_quick_400_that_costs_no_memory_and_saves_nothing(
    bomb: str, doors: Doors
) -> None:
    door, name, build, reason = BOMBS[bomb]
    data = build()
    before = doors.server.memory()
    started = time.monotonic()

    response = getattr(doors, door)(name, data)

    elapsed = time.monotonic() - started
    after = doors.server.memory()
    figures = (
        f"{bomb}: {len(data) / MB:.2f} MB sent, {response.status_code} in {elapsed:.2f} s, "
        f"{len(response.content)} bytes; RSS {before['VmRSS'] / MB:.0f} → "
        f"{after['VmRSS'] / MB:.0f} MB (peak {after['VmHWM'] / MB:.0f} MB)"
    )
    print(figures)
    assert response.status_code == 400, figures + "\n" + response.text[:2000]
    assert REASONS[reason] in response.text, response.text
    assert elapsed < SECONDS, figures
    assert len(response.content) < BODY_BYTES, figures
    assert after["VmRSS"] - before["VmRSS"] < RSS_MARGIN, figures
    assert Task.objects.count() == 1  # the report's task, none imported
    assert not Attachment.objects.exists()
    assert doors.server.stored_files() == []
