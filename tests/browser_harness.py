"""Driving Debian's Chromium with Playwright: the browser, signing in, and the check every
page gets (no Content-Security-Policy violation, axe-core's serious and critical rules,
screenshots at desktop and phone size).
axe-core itself is the npm package in tests/browser/ (installed by .ci/browser.sh); the
fixtures that open the browser and its tabs are in tests/web_world.py."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

PROJECT_DIR = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE_SCRIPT = PROJECT_DIR / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", PROJECT_DIR / "var" / "screenshots"))
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
# As the machine's notes say: without the background-networking flags Chromium keeps
# calling Google's hosts, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=vi-VN",  # the date pickers and file inputs of a Vietnamese desktop
]
BLOCKING_IMPACTS = ("serious", "critical")
# Run in every document before its own scripts (the tabs' init script, tests/web_world.py):
# records what the Content-Security-Policy blocked, which the page cannot hide.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push({
    directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile,
    line: e.lineNumber, sample: e.sample}));
"""


def csp_violations(page: Page) -> list[dict[str, Any]]:
    """What the Content-Security-Policy blocked in the page's document so far."""
    return page.evaluate("() => window.__cspViolations || null") or []


def assert_keeps_the_policy(page: Page, name: str) -> None:
    assert page.evaluate("() => Array.isArray(window.__cspViolations)"), "no CSP listener"
    violations = csp_violations(page)
    assert not violations, f"{name}: {json.dumps(violations, ensure_ascii=False, indent=1)}"


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated by the browser's debugging protocol, which the page's
        # Content-Security-Policy does not govern (an inline <script> tag it would block).
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in violations
        ],
        ensure_ascii=False,
        indent=1,
    )


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def check_page(page: Page, name: str) -> list[Path]:
    """The page broke no rule of the Content-Security-Policy; then at each viewport: a
    full-page screenshot under var/screenshots/ and axe-core, which must find no serious or
    critical violation. Returns the screenshots' paths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    assert_keeps_the_policy(page, name)
    paths = []
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.wait_for_load_state("networkidle")
        path = SCREENSHOTS / f"{slug(name)}-{size}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
        violations = axe_violations(page)
        assert not violations, f"{name} ({size}): {describe(violations)}"
    page.set_viewport_size(VIEWPORTS["desktop"])
    return paths


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Signs in through the sign-in page, as an official does."""
    page.goto(f"{base_url}/signin/")
    page.get_by_label(re.compile("Tên đăng nhập|Username")).fill(username)
    page.get_by_label(re.compile("Mật khẩu|Password")).fill(password)
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in")).click()
    page.wait_for_load_state("networkidle")
