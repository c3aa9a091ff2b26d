"""What a checked task import writes (the plan: its directives and task rows, built by
directives.imports.checking, written by directives.imports.writing) and the look-ups of the
directives and tasks the database already holds."""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from directives.models import Directive
from tracker.models import Task

DirectiveKey = tuple[str, int]  # number, issue year


@dataclass(frozen=True, slots=True)
class _DirectiveSpec:
    row: int
    number: str
    kind: str
    issued_on: date
    signer: str
    title: str


@dataclass(frozen=True, slots=True)
class _TaskSpec:
    row: int
    directive: DirectiveKey
    title: str
    content: str
    lead_id: int
    coordinating_ids: tuple[int, ...]
    assigned_on: date
    deadline: date | None
    status: str
    completed_on: date | None


# The checked rows are kept on disk in chunks of this many, and written in chunks as large.
CHUNK_ROWS = 5_000


class _TaskSpool:
    """The checked task rows of a file, in a temporary file: a province's history of 200,000
    rows is not held as 200,000 sets of objects while the rest are checked and written.
    Each chunk is one `marshal` record of plain tuples (dates as ordinals): the fastest
    round trip the standard library has, for data this process wrote itself."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._pending: list[tuple[Any, ...]] = []
        self.count = 0
        self.first_deadline: date | None = None
        self.last_deadline: date | None = None

    def add(self, spec: _TaskSpec) -> None:
        deadline = spec.deadline
        if deadline is not None:
            if self.first_deadline is None or deadline < self.first_deadline:
                self.first_deadline = deadline
            if self.last_deadline is None or deadline > self.last_deadline:
                self.last_deadline = deadline
        self._pending.append(
            (
                spec.row,
                *spec.directive,
                spec.title,
                spec.content,
                spec.lead_id,
                spec.coordinating_ids,
                spec.assigned_on.toordinal(),
                None if deadline is None else deadline.toordinal(),
                spec.status,
                None if spec.completed_on is None else spec.completed_on.toordinal(),
            )
        )
        self.count += 1
        if len(self._pending) >= CHUNK_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            # Length-prefixed: marshal.load on a file reads it a few bytes at a time.
            record = marshal.dumps(self._pending)
            self._file.write(len(record).to_bytes(8, "little"))
            self._file.write(record)
            self._pending = []

    def chunks(self) -> Iterator[list[_TaskSpec]]:
        """The rows in the order they were added, CHUNK_ROWS at a time."""
        self._flush()
        self._file.seek(0)
        day = _Days()
        while size := int.from_bytes(self._file.read(8), "little"):
            records = marshal.loads(self._file.read(size))
            yield [
                _TaskSpec(
                    row=row,
                    directive=(number, year),
                    title=title,
                    content=content,
                    lead_id=lead_id,
                    coordinating_ids=coordinating_ids,
                    assigned_on=day[assigned_on],
                    deadline=day[deadline],
                    status=status,
                    completed_on=day[completed_on],
                )
                for (
                    row,
                    number,
                    year,
                    title,
                    content,
                    lead_id,
                    coordinating_ids,
                    assigned_on,
                    deadline,
                    status,
                    completed_on,
                ) in records
            ]

    def close(self) -> None:
        self._file.close()


class _Days(dict[Any, Any]):
    """Dates by ordinal (None for None), each made once: a file has a few thousand dates."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, ordinal: int) -> date:
        day = self[ordinal] = date.fromordinal(ordinal)
        return day


@dataclass
class _Plan:
    directives: dict[DirectiveKey, _DirectiveSpec]
    existing: dict[DirectiveKey, int]  # directive ids of the keys the database has
    tasks: _TaskSpool


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _existing_directives(keys: Iterable[DirectiveKey]) -> dict[DirectiveKey, int]:
    wanted = set(keys)
    numbers = sorted({number for number, _year in wanted})
    found: dict[DirectiveKey, int] = {}
    for chunk in _chunks(numbers, 5_000):
        rows = Directive.objects.filter(number__in=chunk).values_list("number", "issued_year", "id")
        found.update({(n, y): pk for n, y, pk in rows if (n, y) in wanted})
    return found


def _existing_tasks(directive_ids: Iterable[int]) -> set[tuple[int, str, int]]:
    held: set[tuple[int, str, int]] = set()
    for chunk in _chunks(sorted(set(directive_ids)), 5_000):
        held.update(
            Task.objects.filter(directive_id__in=chunk)
            .order_by()
            .values_list("directive_id", "title", "lead_department_id")
        )
    return held
