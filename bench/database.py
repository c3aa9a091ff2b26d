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


def insert_directives(first: int, count: int, issued_from: str, spread_days: int) -> list[int]:
    """`count` directives numbered from `first`, issued over `spread_days` days from
    `issued_from`, in one statement; their ids."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO directives_directive "
            "(number, kind, title, issued_on, signer, summary, created_at, updated_at, "
            "external_id, higher_body, higher_body_name, higher_number, higher_organ_id, "
            "issuing_body) "
            "SELECT n || '/TB-UBND', 'thong_bao_ket_luan', "
            "'Kết luận của Chủ tịch UBND tỉnh tại cuộc họp số ' || n, "
            "%s::date + (n %% %s), 'Nguyễn Văn An', '', now(), now(), '', 'none', '', '', '', '' "
            "FROM generate_series(%s, %s) AS n RETURNING id",
            [issued_from, spread_days, first, first + count - 1],
        )
        return [row[0] for row in cursor.fetchall()]
