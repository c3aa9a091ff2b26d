"""Settings from the environment: embedded defaults, and a clear stop without SECRET_KEY."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _django_setup(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL,"
            " settings.TIME_ZONE, settings.LANGUAGE_CODE, settings.DEBUG)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_any_variable_it_runs_on_embedded_defaults(tmp_path):
    result = _django_setup(VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "Asia/Ho_Chi_Minh",
        "vi",
        "True",
    ]


def test_debug_off_without_secret_key_stops_with_a_clear_message(tmp_path):
    result = _django_setup(VAR_DIR=str(tmp_path), DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_with_secret_key_starts(tmp_path):
    key = secrets.token_urlsafe(50)  # a weak one stops it (test_production_settings.py)
    result = _django_setup(VAR_DIR=str(tmp_path), DEBUG="false", SECRET_KEY=key)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit():
    """JIT compilation would cost the indicators' aggregation hundreds of milliseconds a
    request (bench/README.md); the sessions turn it off, options given in the URL kept."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_options_in_the_database_url_are_kept(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.DATABASES['default']['OPTIONS']['options'])",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": "postgres://u@h:5432/d?options=-c%20statement_timeout%3D5000",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-c statement_timeout=5000 -c jit=off"


@pytest.mark.parametrize(
    ("environment", "expected"), [({}, "60 True"), ({"CONN_MAX_AGE": "0"}, "0 True")]
)
def test_database_sessions_are_kept_and_checked(environment, expected):
    """A web process keeps its database session for CONN_MAX_AGE seconds (60 unless set),
    checked before a request uses it (docs/deployment.md)."""
    clean = {k: v for k, v in os.environ.items() if k != "CONN_MAX_AGE"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        ],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": "postgres://u@h:5432/d",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
