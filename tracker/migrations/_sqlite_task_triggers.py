"""Migration 0002's SQLite triggers that name the task table. SQLite rebuilds a table to
change its constraints, which drops or breaks them, so a migration that does so drops them
first and creates them again afterwards. PostgreSQL needs nothing of this."""

from importlib import import_module
from typing import Any

_TRIGGERS = import_module("tracker.migrations.0002_database_triggers").SQLITE
TASK_TRIGGERS = [
    statements
    for statements in _TRIGGERS
    if "tracker_task " in statements[0] or "tracker_task\n" in statements[0]
]


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for _create, drop_sql in TASK_TRIGGERS:
            schema_editor.execute(drop_sql, params=None)


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for create_sql, _drop in TASK_TRIGGERS:
            schema_editor.execute(create_sql, params=None)
