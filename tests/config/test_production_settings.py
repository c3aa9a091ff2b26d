"""Production settings (DEBUG off): placeholder or weak secrets stop every process with a
message naming the variable, and under the settings docker-compose.yml gives
`manage.py check --deploy --fail-level WARNING` finds nothing (also run by .ci/run)."""

import os
import re
import secrets
import subprocess
import sys

import pytest

from config.deployment import database_password_problem, secret_key_problem
from tests.config.deployment_files import ROOT, compose, env_example

STRONG_KEY = secrets.token_urlsafe(50)
STRONG_PASSWORD = secrets.token_urlsafe(32)
# The same on every xdist worker: parametrized values name the tests.
FIXED_KEY = "k7Qm2Zp9Lx4Wv8Rt1Yn6Bc3Hd5Jf0Gs" * 2


def production_environment(**overrides: str) -> dict[str, str]:
    """The application containers' environment: .env.example's values with its two
    placeholders replaced, then docker-compose.yml's own variables interpolated."""
    values = {**env_example()[0], "SECRET_KEY": STRONG_KEY, "POSTGRES_PASSWORD": STRONG_PASSWORD}
    values |= overrides

    def value(match: re.Match) -> str:
        # As compose does: the variable when set, else the `:-default` written beside it.
        name, default = match.group(1), match.group(3)
        return values.get(name) or (default if default is not None else "")

    def interpolate(text: str) -> str:
        return re.sub(r"\$\{(\w+)(:?-([^}]*)|:?\?[^}]*)?\}", value, text)

    wiring = {k: interpolate(str(v)) for k, v in compose()["x-app"]["environment"].items()}
    inherited = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return {**inherited, **values, **wiring, "DJANGO_SETTINGS_MODULE": "config.settings"}


def run(args: list[str], env: dict[str, str], tmp_path: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**env, "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "key",
    [
        "change-me",
        "x" * 60 + "change-me",
        "django-insecure-" + FIXED_KEY,
        "an-insecure-key-" + FIXED_KEY,
        FIXED_KEY[:49],
        "abcd" * 20,
        "",
    ],
)
def test_weak_secret_keys_are_refused(key: str) -> None:
    assert secret_key_problem(key)


@pytest.mark.parametrize(
    "password", ["change-me-too", "CHANGEME-please-1234567", "short-random-pw", "ab" * 10, ""]
)
def test_weak_database_passwords_are_refused(password: str) -> None:
    assert database_password_problem(password)


def test_generated_secrets_are_accepted() -> None:
    assert secret_key_problem(FIXED_KEY) is None
    assert secret_key_problem(STRONG_KEY) is None
    assert database_password_problem(STRONG_PASSWORD) is None


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SECRET_KEY": "change-me"}, "SECRET_KEY is a placeholder"),
        ({"SECRET_KEY": "k" * 30 + "j" * 20}, "SECRET_KEY has fewer than 5 distinct"),
        ({"POSTGRES_PASSWORD": "change-me-too"}, "POSTGRES_PASSWORD"),
    ],
)
def test_production_stops_on_env_example_placeholders(tmp_path, overrides, named) -> None:
    result = run(["manage.py", "check"], production_environment(**overrides), tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr
    assert "secrets.token_urlsafe" in result.stderr  # and how to make a good one


def test_production_refuses_webhooks_over_http(tmp_path) -> None:
    env = production_environment(WEBHOOK_ALLOW_HTTP="true")
    result = run(["manage.py", "check"], env, tmp_path)
    assert result.returncode != 0
    assert "WEBHOOK_ALLOW_HTTP is for development" in result.stderr


def test_check_deploy_is_clean_under_production_settings(tmp_path) -> None:
    env = production_environment()
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
