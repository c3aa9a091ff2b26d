"""The benchmarks' own PostgreSQL database, created when missing."""

import os
from typing import Any

import django
import psycopg
from psycopg import sql


def ensure_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url.replace("postgres://", "postgresql://", 1))
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def migrated_django() -> None:
    """Django on the benchmark's own database (DATABASE_URL), created when missing and
    migrated; the real clock, never a test's CLOCK_FILE."""
    os.environ.pop("CLOCK_FILE", None)
    ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def execute(statement: str, params: Any = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
