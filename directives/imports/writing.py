"""Writing a checked task import, inside its transaction: one import at a time (a
transaction-level advisory lock on PostgreSQL), the new directives, then the tasks and what
hangs on them (coordinating departments, history, completion reports)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from psycopg.pq import TransactionStatus

from config.common.statistics import statistics_refresh_on_commit
from directives.imports.plan import (
    DirectiveKey,
    _DirectiveSpec,
    _existing_directives,
    _TaskSpec,
)
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
from tracker.services.events import tasks_assigned_record
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


class _ImportWriter:
    """Writes a checked file chunk by chunk, inside the import's transaction: each chunk's
    new directives, then its tasks, coordinating departments, history and completion reports.

    On PostgreSQL the foreign keys are checked as each COPY ends (not all at the commit),
    and a chunk's COPY statements run in a thread of their own while the caller reads and
    checks the next chunk: the database's work (the rows, their indexes and those checks)
    overlaps the file's. The thread uses the import's connection only between `write` and
    the next `wait`, when the caller does not (psycopg releases the GIL while it waits for
    the server). Elsewhere (SQLite in development) each chunk is written at once with
    bulk_create."""

    def __init__(self, *, actor: User | None, filename: str) -> None:
        self.actor = actor
        self.now = timezone.now()
        with translation.override(settings.LANGUAGE_CODE):
            note = _("Imported from %(file)s, row %(row)d")
        self.directive_ids: dict[DirectiveKey, int] = {}
        self.reminders = _FirstReminders()
        self.rows = _Rows(
            directive_ids=self.directive_ids,
            actor=actor,
            note=note,
            filename=filename,
            now=self.now,
            first_reminder=self.reminders.of,
        )
        self.created = 0
        self.task_ids: list[int] = []  # for the webhooks' task.assigned, once all are written
        self.directives_created = 0
        self.copy = COPY_ON_POSTGRESQL and connection.vendor == "postgresql"
        self._thread: ThreadPoolExecutor | None = None
        self._writing: Future[None] | None = None
        if self.copy:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-copy")

    def write(
        self,
        tasks: list[_TaskSpec],
        directives: dict[DirectiveKey, _DirectiveSpec],
        existing: dict[DirectiveKey, int],
    ) -> None:
        """Writes the chunk `tasks`: their directives are `existing` ones (ids by key) or
        created here from their `directives` spec."""
        self.wait()
        self.directive_ids.update(existing)
        self._create_directives(
            [directives[key] for key in dict.fromkeys(t.directive for t in tasks)]
        )
        self.reminders.load(tasks)
        self.created += len(tasks)
        if self._thread is not None:
            ids = _next_ids(Task, len(tasks))
            self.task_ids.extend(ids)
            raw = connection.connection
            self._writing = self._thread.submit(self._copy_chunk, raw, ids, tasks)
            return
        rows = self.rows
        written = _bulk(Task, TASK_COLUMNS, (rows.task(None, spec) for spec in tasks))
        ids = [task.pk for task in written]
        self.task_ids.extend(ids)
        _bulk(TaskCoordination, COORDINATION_COLUMNS, rows.coordinations(ids, tasks))
        _bulk(TaskHistory, HISTORY_COLUMNS, map(rows.history, ids, tasks))
        _bulk(CompletionReport, REPORT_COLUMNS, rows.reports(ids, tasks))

    def _copy_chunk(self, raw: Any, ids: list[int], tasks: list[_TaskSpec]) -> None:
        rows = self.rows
        _copy(raw, Task, TASK_COLUMNS, map(rows.task, ids, tasks))
        _copy(raw, TaskCoordination, COORDINATION_COLUMNS, rows.coordinations(ids, tasks))
        _copy(raw, TaskHistory, HISTORY_COLUMNS, map(rows.history_json, ids, tasks))
        _copy(raw, CompletionReport, REPORT_COLUMNS, rows.reports(ids, tasks))

    def wait(self) -> None:
        """Until the chunk being written is (its error, if any, raised here)."""
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.result()

    def finish(self) -> ImportResult:
        self.wait()
        statistics_refresh_on_commit(
            Directive, Task, TaskCoordination, TaskHistory, CompletionReport
        )
        # Imported tasks are announced as assigned (their status in the data); a task
        # imported as completed is history, not a completion happening now.
        tasks_assigned_record(self.task_ids)
        return ImportResult(created=self.created, directives_created=self.directives_created)

    def close(self) -> None:
        """Ends the thread, once its chunk is written or failed; the foreign keys are
        deferred again (the transaction may be a caller's, which expects them so)."""
        if self._thread is None:
            return
        try:
            self.wait()
        finally:
            self._thread.shutdown()
            self._thread = None
            if connection.connection.info.transaction_status != TransactionStatus.INERROR:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _create_directives(self, specs: list[_DirectiveSpec]) -> None:
        new = [
            Directive(
                number=spec.number,
                kind=spec.kind,
                title=spec.title,
                issued_on=spec.issued_on,
                signer=spec.signer,
                created_by=self.actor,
                created_at=self.now,
                updated_at=self.now,
            )
            for spec in specs
            if (spec.number, spec.issued_on.year) not in self.directive_ids
        ]
        if not new:
            return
        try:
            with transaction.atomic():
                Directive.objects.bulk_create(new, batch_size=BATCH_SIZE)
        except IntegrityError as exc:
            if "directive_number_unique_per_year" not in str(exc):
                raise
            raise _reject(
                _(
                    "A directive of this file was created by someone else meanwhile; "
                    "import it again."
                )
            ) from exc
        keys = [(d.number, d.issued_on.year) for d in new]
        if any(d.pk is None for d in new):  # a backend without INSERT … RETURNING
            self.directive_ids.update(_existing_directives(keys))
        else:
            self.directive_ids.update(zip(keys, (d.pk for d in new), strict=True))
        self.directives_created += len(new)


class _FirstReminders:
    """The day each imported task's reminder steps start from: the lifecycle's own rule
    (tracker.services.reminders.next_reminder_day) for the priority the row is written with,
    each (state, deadline) worked out once (a province's history has a few thousand of them
    for its 200,000 rows). `load` runs the queries (the policies, one calendar around the
    chunk's new deadlines) before a chunk is written: no query may run while COPY writes."""

    def __init__(self) -> None:
        self.days: dict[tuple[str, date | None], date | None] = {}

    def load(self, tasks: Iterable[_TaskSpec]) -> None:
        missing = {(t.status, t.deadline) for t in tasks} - self.days.keys()
        if not missing:
            return
        days = ReminderDays(deadline for _status, deadline in missing)
        for status, deadline in missing:
            self.days[status, deadline] = days.of(
                priority=Priority.NORMAL.value, status=status, deadline=deadline
            )

    def of(self, spec: _TaskSpec) -> date | None:
        return self.days[spec.status, spec.deadline]


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


def _copy(
    raw: Any, model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """COPY of `rows` on the psycopg connection `raw` (the import's, from its thread)."""
    columns = ", ".join(_quote(_column(model, name)) for name in fields)
    statement = f"COPY {_quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for values in rows:
            copy.write_row(values)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _bulk(model: type[M], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[M]:
    return model._default_manager.bulk_create(
        [model(**dict(zip(fields, values, strict=True))) for values in rows],
        batch_size=BATCH_SIZE,
    )
