"""A loopback Zalo: a real HTTP server in a thread that speaks the ZNS send endpoint and the
OAuth endpoint that refreshes the Official Account's access token, with their request and
response shapes. It checks the `access_token` header (an unknown or expired token gets the
-124 answer), counts the refreshes, rotates the refresh token and refuses one already used,
and answers the error codes a test sets for a phone number."""

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

APP_ID = "1234567890"
SECRET_KEY = "loopback-secret"
FIRST_REFRESH_TOKEN = "refresh-0"
EXPIRES_IN = 90000


@dataclass
class ZaloGateway:
    port: int = 0
    refresh_delay: float = 0.0  # seconds a refresh takes: room for concurrent callers
    sent: list[dict[str, Any]] = field(default_factory=list)
    refreshes: int = 0
    refused_refreshes: int = 0
    phone_errors: dict[str, int] = field(default_factory=dict)
    valid_tokens: set[str] = field(default_factory=set)
    refresh_token: str = FIRST_REFRESH_TOKEN
    used_refresh_tokens: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def zns_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/message/template"

    @property
    def oauth_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v4/oa/access_token"

    def expire_tokens(self) -> None:
        """Every access token given so far is refused from now on (-124)."""
        with self.lock:
            self.valid_tokens.clear()

    def send(self, headers: Any, body: bytes) -> dict[str, Any]:
        payload = json.loads(body)
        with self.lock:
            if headers.get("access_token") not in self.valid_tokens:
                return {"error": -124, "message": "Access token invalid"}
            error = self.phone_errors.get(payload.get("phone"))
            if error is not None:
                return {"error": error, "message": f"refused ({error})"}
            self.sent.append({**payload, "access_token": headers.get("access_token")})
            return {
                "error": 0,
                "message": "Success",
                "data": {"msg_id": f"zns-msg-{len(self.sent)}", "sent_time": "1764543600000"},
            }

    def refresh(self, headers: Any, body: bytes) -> dict[str, Any]:
        form = dict(urllib.parse.parse_qsl(body.decode()))
        time.sleep(self.refresh_delay)
        with self.lock:
            good = (
                headers.get("secret_key") == SECRET_KEY
                and headers.get("Content-Type") == "application/x-www-form-urlencoded"
                and form.get("app_id") == APP_ID
                and form.get("grant_type") == "refresh_token"
                and form.get("refresh_token") == self.refresh_token
                and form.get("refresh_token") not in self.used_refresh_tokens
            )
            if not good:
                self.refused_refreshes += 1
                return {
                    "error": -14014,
                    "error_name": "Invalid refresh token",
                    "error_description": "Refresh token is invalid or already used",
                }
            self.refreshes += 1
            self.used_refresh_tokens.add(self.refresh_token)
            access = f"access-{self.refreshes}"
            self.refresh_token = f"refresh-{self.refreshes}"
            self.valid_tokens.add(access)
            return {
                "access_token": access,
                "refresh_token": self.refresh_token,
                "expires_in": str(EXPIRES_IN),
            }


@contextmanager
def zalo_gateway(settings: Any, **options: Any) -> Iterator[ZaloGateway]:
    """The gateway, serving, with the Zalo settings pointing at it."""
    gateway = ZaloGateway(**options)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/message/template":
                answer = gateway.send(self.headers, body)
            elif self.path == "/v4/oa/access_token":
                answer = gateway.refresh(self.headers, body)
            else:
                self.send_error(404)
                return
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ZALO_ZNS_URL = gateway.zns_url
    settings.ZALO_OAUTH_URL = gateway.oauth_url
    settings.ZALO_APP_ID = APP_ID
    settings.ZALO_SECRET_KEY = SECRET_KEY
    settings.ZALO_REFRESH_TOKEN = FIRST_REFRESH_TOKEN
    settings.ZALO_TIMEOUT = 5
    settings.ZALO_REFRESH_MARGIN = 300
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
