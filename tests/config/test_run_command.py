"""`make run`, started in a temporary copy of the project on its embedded defaults (SQLite,
filesystem broker), prints the web address on the port it was given and whom to sign in as,
serves the demo data and the web pages within two minutes and stops cleanly on Ctrl-C."""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_LIMIT = 120
IGNORED = shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", ".*_cache", "*.pyc")

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(url: str, data: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    body = json.dumps(data).encode() if data is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=5) as resp:
        return json.loads(resp.read())


def _sign_in(web: str, username: str, password: str) -> tuple[int, str, list[str]]:
    """Signs in on the web page as a browser would (the CSRF cookie and the form's token):
    the sign-in page's status, where the form led, and the cookies then held."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with browser.open(f"{web}signin/", timeout=5) as page:
        status, form = page.status, page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token, form[:2000]
    data = {"csrfmiddlewaretoken": token[1], "username": username, "password": password}
    body = urllib.parse.urlencode(data).encode()
    with browser.open(f"{web}signin/", body, timeout=5) as answer:
        return status, answer.url, [cookie.name for cookie in jar]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "dondoc"
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    (copy / ".venv").symlink_to(ROOT / ".venv")  # the dependencies are installed
    return copy


def test_make_run_serves_demo_data_and_stops_on_ctrl_c(project_copy: Path, tmp_path: Path):
    from directives.demo.seeds import DEMO_PASSWORD
    from directives.demo.seeds import MARKER_USERNAME as OFFICE_USERNAME

    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CELERY_", "DJANGO_", "REQUIRE_", "VAR_DIR"))
    }
    env.update(PORT=str(port))
    log_path = tmp_path / "run.log"
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["make", "run"],
            cwd=project_copy,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        tasks = None
        while time.monotonic() - started < STARTUP_LIMIT and process.poll() is None:
            try:
                token = _request(
                    f"{base}/auth/token/",
                    {"username": OFFICE_USERNAME, "password": DEMO_PASSWORD},
                )["token"]
                tasks = _request(f"{base}/tasks/", token=token)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
        log_text = log_path.read_text(errors="replace")
        assert tasks is not None, f"no answer within {STARTUP_LIMIT} s:\n{log_text[-3000:]}"
        assert tasks["count"] >= 40
        assert {"id", "status", "effective_deadline", "overdue"} <= set(tasks["results"][0])
        assert (project_copy / "var" / "dondoc.sqlite3").exists()
        assert DEMO_PASSWORD in log_text and OFFICE_USERNAME in log_text
        printed = re.search(r"^Web application: (http://\S+/)", log_text, re.M)
        assert printed, log_text[:3000]
        web = printed[1]
        assert web == f"http://127.0.0.1:{port}/"
        officer = re.search(r"^  Department officer .* (\S+)$", log_text, re.M)
        assert officer, log_text[:3000]
        status, landed, cookies = _sign_in(web, officer[1], DEMO_PASSWORD)
        assert status == 200
        assert "sessionid" in cookies and not landed.endswith("/signin/"), landed
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            log_text = log_path.read_text(errors="replace")
            if "ready." in log_text and "beat: Starting" in log_text:
                break
            time.sleep(1)
        assert "ready." in log_text, f"the Celery worker did not start:\n{log_text[-3000:]}"
        assert "beat: Starting" in log_text, f"Celery beat did not start:\n{log_text[-3000:]}"
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    stop_deadline = time.monotonic() + 15
    while _group_alive(process.pid) and time.monotonic() < stop_deadline:
        time.sleep(0.5)
    assert not _group_alive(process.pid), "a process of `make run` outlived Ctrl-C"
