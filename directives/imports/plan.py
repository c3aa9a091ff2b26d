"""What a checked task import writes (its directives and task rows, checked by
directives.imports.checking, written chunk by chunk by directives.imports.writing) and the
look-ups of the directives and tasks the database already holds."""

from __future__ import annotations

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
