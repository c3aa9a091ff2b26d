"""A webhook receiver on loopback for the tests: a real HTTP server in a thread that keeps
every request (headers and body, in order) and answers 500 to the first `failures` of
them, or waits while `stalled` is set or once it has received `stall_from` requests,
until `released` (a receiver that hangs: a delivery in flight)."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]

    def verified(self, secret: str) -> Any:
        """The payload, if the signature is valid (the library's own verifier)."""
        return Webhook(secret).verify(self.body, self.headers)


class Receiver:
    def __init__(
        self, *, failures: int = 0, status: int = 204, stall_from: int | None = None
    ) -> None:
        self.failures, self.status, self.stall_from = failures, status, stall_from
        self.requests: list[Received] = []
        self.stalled = threading.Event()
        self.released = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.requests.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    failing = receiver.failures > 0
                    receiver.failures -= failing
                    limit = receiver.stall_from
                    stalling = limit is not None and len(receiver.requests) > limit
                if (receiver.stalled.is_set() or stalling) and not receiver.released.is_set():
                    receiver.released.wait(timeout=60)
                try:
                    self.send_response(500 if failing else receiver.status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except ConnectionError:
                    pass  # the sender is gone (a killed worker): what it sent is kept

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/dondoc"

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def received(self) -> list[Received]:
        with self.lock:
            return list(self.requests)

    def ids(self) -> Counter[str]:
        return Counter(request.message_id for request in self.received())
