"""The plan PostgreSQL makes for a queryset's rows when only bitmap scans are cheap: a
condition no index serves still needs a sequential scan, and shows as one even on the tiny
tables of a test."""

from django.db import connection
from django.db.models import QuerySet


def bitmap_plan(queryset: QuerySet) -> str:
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        for method in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
