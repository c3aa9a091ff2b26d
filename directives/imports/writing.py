"""Writing a checked task import, inside its transaction: one import at a time (a
transaction-level advisory lock on PostgreSQL), the new directives, then the tasks and what
hangs on them (coordinating departments, history, completion reports)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.common.statistics import statistics_refresh_on_commit
from directives.imports.plan import DirectiveKey, _existing_directives, _Plan, _TaskSpec
from directives.imports.results import ImportResult, _reject
from directives.models import Directive
from tracker.models import (
    CompletionReport,
    CompletionReportStatus,
    Priority,
    Task,
    TaskCoordination,
    TaskHistory,
    TaskHistoryAction,
    TaskStatus,
    User,
)
from tracker.services.reminders import ReminderDays

BATCH_SIZE = 2_000

M = TypeVar("M", bound=Model)

# Serialises imports: the check "not already imported" and the inserts happen under it.
IMPORT_LOCK_KEY = 0x646F6E646F632D69  # "dondoc-i"

# On PostgreSQL the tasks and what hangs on them are written with COPY (task ids taken from
# the sequence first): several times faster than INSERT for a province's history. Elsewhere
# (SQLite in development) with bulk_create in batches. Same values, same tables either way.
COPY_ON_POSTGRESQL = True

TASK_COLUMNS = (
    "id",
    "directive_id",
    "title",
    "content",
    "lead_department_id",
    "assigned_on",
    "original_deadline",
    "effective_deadline",
    "priority",
    "status",
    "completed_on",
    "version",
    "created_at",
    "updated_at",
    "next_reminder_on",
)
COORDINATION_COLUMNS = ("task_id", "department_id")
HISTORY_COLUMNS = ("task_id", "at", "actor_id", "action", "field", "old", "new", "reason")
REPORT_COLUMNS = (
    "task_id",
    "department_id",
    "author_id",
    "completed_on",
    "result",
    "status",
    "decided_by_id",
    "decided_at",
    "decision_reason",
    "created_at",
)


def _lock_imports() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def _write(plan: _Plan, *, actor: User | None, filename: str) -> ImportResult:
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Imported from %(file)s, row %(row)d")
    directive_ids = dict(plan.existing)
    new_directives = [
        Directive(
            number=spec.number,
            kind=spec.kind,
            title=spec.title,
            issued_on=spec.issued_on,
            signer=spec.signer,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        for key, spec in plan.directives.items()
        if key not in directive_ids
    ]
    try:
        with transaction.atomic():
            Directive.objects.bulk_create(new_directives, batch_size=BATCH_SIZE)
    except IntegrityError as exc:
        if "directive_number_unique_per_year" not in str(exc):
            raise
        raise _reject(
            _("A directive of this file was created by someone else meanwhile; import it again.")
        ) from exc
    if any(d.pk is None for d in new_directives):  # a backend without INSERT … RETURNING
        directive_ids = _existing_directives(plan.directives.keys())
    else:
        directive_ids.update({(d.number, d.issued_on.year): d.pk for d in new_directives})

    rows = _Rows(
        directive_ids=directive_ids,
        actor=actor,
        note=note,
        filename=filename,
        now=now,
        first_reminder=first_reminder_days(plan.tasks.first_deadline, plan.tasks.last_deadline),
    )
    copy = COPY_ON_POSTGRESQL and connection.vendor == "postgresql"
    # Chunk by chunk (the spool's): memory holds one chunk's rows, whatever the file's size.
    for chunk in plan.tasks.chunks():
        if copy:
            ids = _next_ids(Task, len(chunk))
            _copy(Task, TASK_COLUMNS, map(rows.task, ids, chunk))
            _copy(TaskCoordination, COORDINATION_COLUMNS, rows.coordinations(ids, chunk))
            _copy(TaskHistory, HISTORY_COLUMNS, map(rows.history_json, ids, chunk))
            _copy(CompletionReport, REPORT_COLUMNS, rows.reports(ids, chunk))
        else:
            tasks = _bulk(Task, TASK_COLUMNS, (rows.task(None, spec) for spec in chunk))
            ids = [task.pk for task in tasks]
            _bulk(TaskCoordination, COORDINATION_COLUMNS, rows.coordinations(ids, chunk))
            _bulk(TaskHistory, HISTORY_COLUMNS, map(rows.history, ids, chunk))
            _bulk(CompletionReport, REPORT_COLUMNS, rows.reports(ids, chunk))
    statistics_refresh_on_commit(Directive, Task, TaskCoordination, TaskHistory, CompletionReport)
    return ImportResult(created=plan.tasks.count, directives_created=len(new_directives))


def first_reminder_days(
    first: date | None, last: date | None
) -> Callable[[_TaskSpec], date | None]:
    """The day each imported task's reminder steps start from: the lifecycle's own rule
    (tracker.services.reminders.next_reminder_day) for the priority the row is written with,
    with the policies and one calendar (from the file's first to its last deadline) loaded
    once for the whole file, and each (state, deadline) worked out once: a province's
    history has a few thousand of them for its 200,000 rows."""
    days = ReminderDays([first, last])
    known: dict[tuple[str, date | None], date | None] = {}

    def first_day(spec: _TaskSpec) -> date | None:
        key = (spec.status, spec.deadline)
        if key not in known:
            known[key] = days.of(
                priority=Priority.NORMAL.value, status=spec.status, deadline=spec.deadline
            )
        return known[key]

    return first_day


@dataclass(frozen=True)
class _Rows:
    """The column values (in the order of the *_COLUMNS above) of what a task row writes."""

    directive_ids: dict[DirectiveKey, int]
    actor: User | None
    note: str
    filename: str
    now: datetime
    first_reminder: Callable[[_TaskSpec], date | None]

    def task(self, task_id: int | None, spec: _TaskSpec) -> tuple[Any, ...]:
        return (
            task_id,
            self.directive_ids[spec.directive],
            spec.title,
            spec.content,
            spec.lead_id,
            spec.assigned_on,
            spec.deadline,
            spec.deadline,
            Priority.NORMAL.value,
            spec.status,
            spec.completed_on if spec.status == TaskStatus.COMPLETED else None,
            1,
            self.now,
            self.now,
            self.first_reminder(spec),
        )

    def coordinations(
        self, ids: Iterable[int], specs: Iterable[_TaskSpec]
    ) -> Iterator[tuple[int, int]]:
        for task_id, spec in zip(ids, specs, strict=True):
            for department_id in spec.coordinating_ids:
                yield (task_id, department_id)

    def reason(self, spec: _TaskSpec) -> str:
        return self.note % {"file": self.filename, "row": spec.row}

    def history(self, task_id: int, spec: _TaskSpec) -> tuple[Any, ...]:
        actor_id = self.actor.pk if self.actor is not None else None
        action = TaskHistoryAction.CREATED.value
        return (task_id, self.now, actor_id, action, "status", None, spec.status, self.reason(spec))

    def history_json(self, task_id: int, spec: _TaskSpec) -> tuple[Any, ...]:
        """The same for COPY, which takes the JSON columns' text."""
        values = self.history(task_id, spec)
        return (*values[:6], json.dumps(values[6]), values[7])

    def reports(self, ids: Iterable[int], specs: Iterable[_TaskSpec]) -> Iterator[tuple[Any, ...]]:
        actor_id = self.actor.pk if self.actor is not None else None
        for task_id, spec in zip(ids, specs, strict=True):
            decision: tuple[str, int | None, datetime | None]
            if spec.status == TaskStatus.COMPLETED:
                decision = (CompletionReportStatus.ACCEPTED.value, actor_id, self.now)
            elif spec.status == TaskStatus.AWAITING_ACCEPTANCE:
                decision = (CompletionReportStatus.PENDING.value, None, None)
            else:
                continue
            yield (
                task_id,
                spec.lead_id,
                None,
                spec.completed_on,
                self.reason(spec),
                *decision,
                "",
                self.now,
            )


def _next_ids(model: type[Model], count: int) -> list[int]:
    """`count` fresh primary keys from the table's sequence (an identity column's too)."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a column")  # only columns are copied
    return field.column


def _copy(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for values in rows:
            copy.write_row(values)


def _bulk(model: type[M], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[M]:
    return model._default_manager.bulk_create(
        [model(**dict(zip(fields, values, strict=True))) for values in rows],
        batch_size=BATCH_SIZE,
    )
