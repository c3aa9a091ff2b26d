"""The search migrations' SQL (tracker 0014, directives 0003): PostgreSQL only; on SQLite
the fold function is registered on each connection (config/common/search.py)."""

from typing import Any

# IMMUTABLE so that generated columns may use it: it is, for a given unaccent dictionary
# (the extension's own, never edited here). Not inlined (unaccent is STABLE), so it runs
# where the columns are written, never in a search.
FOLD_FUNCTION = r"""
CREATE OR REPLACE FUNCTION dondoc_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT btrim(regexp_replace(
    lower(public.unaccent('public.unaccent'::regdictionary, $1)), '\s+', ' ', 'g'
)) $$
"""

def trigram_indexes_sql(indexes: list[tuple[str, str, str]], drop: bool = False) -> list[str]:
    if drop:
        return [f"DROP INDEX IF EXISTS {name}" for name, _table, _column in indexes]
    return [
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        for name, table, column in indexes
    ]


def on_postgresql(*statements: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run
