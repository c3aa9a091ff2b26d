"""The real parts the integration tests run against: an SMTP server and an SMS gateway on
loopback that collect what they receive, a private redis-server, and `celery worker` /
`celery beat` subprocesses. Nothing here imports Django models: conftest.py wires these
parts to the test database."""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import redis
from aiosmtpd.controller import Controller

PROJECT_DIR = Path(__file__).resolve().parents[2]

# aiosmtpd logs every SMTP command at INFO; the tests' output is long enough without it.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(
    predicate: Callable[[], object],
    *,
    timeout: float,
    what: str,
    interval: float = 0.1,
    explain: Callable[[], str] | None = None,
) -> object:
    """Polls `predicate` until it returns something true; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f"\n{explain()}" if explain else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{detail}")
        time.sleep(interval)


class Clock:
    """The CLOCK_FILE every process reads "now" from (config/common/clock.py). Absent: real time."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def set(self, moment: datetime) -> None:
        assert moment.tzinfo is not None, "the clock takes aware datetimes"
        partial = self.path.with_suffix(".partial")
        partial.write_text(moment.isoformat())
        partial.replace(self.path)  # atomic: a reader never sees half a timestamp

    def read(self) -> datetime | None:
        try:
            text = self.path.read_text().strip()
        except FileNotFoundError:
            return None
        return datetime.fromisoformat(text) if text else None


# --- the SMTP server -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedEmail:
    notification: int | None
    message_id: str
    recipients: tuple[str, ...]
    subject: str
    body: str
    clock: datetime | None  # the test clock when the server accepted the message


class _Collector:
    def __init__(self, sink: SmtpServer) -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        number = message.get("X-Dondoc-Notification")
        self.sink.add(
            ReceivedEmail(
                notification=int(number) if number else None,
                message_id=str(message.get("Message-ID", "")),
                recipients=tuple(envelope.rcpt_tos),
                # compat32 folds right after "Subject:": unfolded, the value starts with a space
                subject=" ".join(str(message.get("Subject", "")).split()),
                body=body.get_content().replace("\r\n", "\n").strip() if body else "",
                clock=self.sink.clock.read(),
            )
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on a free loopback port; stopped and started again on the same port."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.port = free_port()
        self.received: list[ReceivedEmail] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def add(self, message: ReceivedEmail) -> None:
        with self._lock:
            self.received.append(message)

    def messages(self) -> list[ReceivedEmail]:
        with self._lock:
            return list(self.received)

    def counts(self) -> Counter[int | None]:
        """How many times each notification id arrived."""
        return Counter(m.notification for m in self.messages())

    def start(self) -> None:
        assert self._controller is None
        controller = Controller(_Collector(self), hostname="127.0.0.1", port=self.port)
        deadline = time.monotonic() + 10
        while True:  # the port may linger for a moment after a stop
            try:
                controller.start()
                break
            except (OSError, RuntimeError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None


# --- the SMS gateway -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedSms:
    notification: int | None
    phone: str
    text: str
    payload: dict
    clock: datetime | None


class SmsGateway:
    """A threading http.server that answers every JSON post like a brandname SMS provider:
    {"code": "0", "message_id": "gw-<n>"}."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.port = free_port()
        self.received: list[ReceivedSms] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms/send"

    def messages(self) -> list[ReceivedSms]:
        with self._lock:
            return list(self.received)

    def counts(self) -> Counter[int | None]:
        return Counter(m.notification for m in self.messages())

    def _record(self, payload: dict) -> str:
        reference = payload.get("reference")
        with self._lock:
            self.received.append(
                ReceivedSms(
                    notification=int(reference) if reference else None,
                    phone=str(payload.get("phone", "")),
                    text=str(payload.get("message", "")),
                    payload=payload,
                    clock=self.clock.read(),
                )
            )
            return f"gw-{len(self.received)}"

    def start(self) -> None:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    payload = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    answer = {"code": "99", "message": "bad json"}
                else:
                    answer = {"code": "0", "message_id": gateway._record(payload)}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


# --- processes -----------------------------------------------------------------------------


@dataclass
class Process:
    """A subprocess in its own session (so its pool children are killed with it), its
    output in a log file."""

    name: str
    command: list[str]
    log_path: Path
    env: dict[str, str] | None = None
    cwd: Path | None = None
    popen: subprocess.Popen | None = field(default=None, repr=False)
    starts: int = 0

    def start(self) -> None:
        assert not self.alive, f"{self.name} is already running"
        self.starts += 1
        log = self.log_path.open("a")
        log.write(f"\n===== start #{self.starts}: {' '.join(self.command)}\n")
        log.flush()
        self.popen = subprocess.Popen(
            self.command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,
        )
        log.close()

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_since_start(self) -> str:
        text = self.log()
        return text[text.rfind("===== start #") :]

    def wait_for_log(self, needle: str, *, timeout: float) -> None:
        def seen() -> bool:
            if self.popen is not None and self.popen.poll() is not None:
                raise AssertionError(
                    f"{self.name} exited with {self.popen.returncode}:\n{self.log()[-4000:]}"
                )
            return needle in self.log_since_start()

        wait_until(
            seen,
            timeout=timeout,
            what=f"{self.name} to log {needle!r}",
            explain=lambda: self.log()[-4000:],
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signals the whole process group (the main process and its pool children)."""
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        if sig == signal.SIGKILL:
            self.popen.wait(10)

    def terminate(self) -> None:
        """SIGTERM to the main process only (Celery's warm shutdown: it lets its pool
        finish its tasks; a SIGTERM to the pool children would kill them mid-task)."""
        if self.alive:
            self.popen.terminate()

    def finish(self, grace: float = 10) -> None:
        """Waits for the process to exit, then SIGKILLs the group in any case: a hung
        process, or pool children left behind, must not outlive the test."""
        if self.popen is None:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(grace)
        self.kill(signal.SIGKILL)

    def stop(self, grace: float = 10) -> None:
        self.terminate()
        self.finish(grace)


class RedisServer:
    """A private `redis-server` on a free port, without persistence: stopping it loses
    every message it held, as a real restart without AOF does."""

    def __init__(self, log_path: Path, workdir: Path) -> None:
        self.port = free_port()
        self.process = Process(
            "redis-server",
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ],
            log_path,
            cwd=workdir,
        )

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process.start()
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def pong() -> bool:
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        wait_until(pong, timeout=10, what="redis-server to answer PING")
        client.close()

    def stop(self) -> None:
        self.process.stop(grace=5)


def celery_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "config", *args]
