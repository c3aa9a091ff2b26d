"""Query expressions the ORM lacks."""

from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F
from django.db.models.sql.compiler import SQLCompiler


class InSubquery(Expression):
    """`column IN (subquery)` that PostgreSQL can OR with indexed conditions: written
    `column = ANY(ARRAY(subquery))`, the subquery runs once and its ids probe the column's
    index (a bitmap scan), where `IN (subquery)` beside an OR is a filter over every row."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, subquery: Any) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.subquery: Any = subquery

    def get_source_expressions(self) -> list[Any]:
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.column, self.subquery = exprs

    def _parts(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[Any, ...]:
        column_sql, column_params = compiler.compile(self.column)
        subquery_sql, subquery_params = compiler.compile(self.subquery)
        # A subquery compiles in parentheses; the SQL around it supplies its own.
        return column_sql, subquery_sql[1:-1], (*column_params, *subquery_params)

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column_sql, subquery_sql, params = self._parts(compiler, connection)
        return f"{column_sql} IN ({subquery_sql})", params

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column_sql, subquery_sql, params = self._parts(compiler, connection)
        return f"{column_sql} = ANY(ARRAY({subquery_sql}))", params
