"""Checking the rows of a task import: every cell of every row (departments preloaded), every
error collected by row and column in the active language; and, chunk by chunk inside the
import's transaction, the directives matched with the database's and the tasks it already
holds refused."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from config.common.text import excerpt
from directives.imports.plan import (
    DirectiveKey,
    _DirectiveSpec,
    _existing_directives,
    _existing_tasks,
    _TaskSpec,
)
from directives.imports.reading import COLUMNS, SheetRow
from directives.imports.results import ImportError_, ImportRejected, _reject
from directives.imports.values import _INVALID, _OUT_OF_RANGE, _choices, _parse_date
from directives.models import Directive, DirectiveKind
from tracker.models import EARLIEST_DATE, LATEST_DATE, Department, Task, TaskStatus
from tracker.selectors.directory import department_code_key, departments_by_code_key
from tracker.services.tasks import completion_date_errors, task_rule_errors

COORDINATING_SEPARATOR = ";"
# Beyond this many errors only their number is reported: the first ones tell what is wrong.
MAX_ERRORS = 10_000

# Statuses whose task carries a completion date (the report's), and those with inactive
# departments allowed (a finished task of a unit that no longer exists is history).
WITH_COMPLETION = frozenset({TaskStatus.COMPLETED, TaskStatus.AWAITING_ACCEPTANCE})
FINISHED = frozenset({TaskStatus.COMPLETED, TaskStatus.CANCELLED})

# Model field limits, checked here so the database never refuses a row.
MAX_LENGTHS = {
    "directive_number": Directive._meta.get_field("number").max_length,
    "directive_title": Directive._meta.get_field("title").max_length,
    "directive_signer": Directive._meta.get_field("signer").max_length,
    "task_title": Task._meta.get_field("title").max_length,
}
TEXT_COLUMNS = frozenset(
    {"directive_number", "directive_signer", "directive_title", "task_title", "task_content"}
)
# Where a task rule (tracker.services.tasks.task_rule_errors) points, by its field.
RULE_COLUMNS = {
    "coordinating_departments": "coordinating_department_codes",
    "deadline": "deadline",
}


def _task_digest(directive: DirectiveKey, title: str, lead_id: int) -> bytes:
    # No part holds a null character (text_cell refuses them): the joined text is unambiguous.
    number, year = directive
    text = f"{number}\x00{year}\x00{title}\x00{lead_id}"
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class _RowChecker:
    """Checks the rows one at a time (departments preloaded in one query) and keeps what is
    needed to write them until the chunk they belong to is taken (`take_chunk`, which runs
    the checks that need the directives and tasks already in the database)."""

    def __init__(self, *, today: date) -> None:
        self.today = today
        self.errors: list[ImportError_] = []
        self.error_count = 0
        self.departments = departments_by_code_key(Department.objects.only("id", "code", "active"))
        self.kinds = _choices(DirectiveKind)
        self.statuses = _choices(TaskStatus)
        self.dates: dict[str, object] = {}
        self.directives: dict[DirectiveKey, _DirectiveSpec] = {}
        # A row's task (directive, title, lead department) by a 128-bit digest, to its first
        # row: a few dozen bytes a row instead of the texts (a collision is as likely as
        # none in 2**100 files).
        self.seen_tasks: dict[bytes, int] = {}
        # The rows without errors since the last chunk was taken (`take_chunk`).
        self.tasks: list[_TaskSpec] = []
        # What the database held before the import: the directives of the keys looked up so
        # far and the tasks of those directives (directive, title, lead department).
        self.looked_up: set[DirectiveKey] = set()
        self.existing: dict[DirectiveKey, int] = {}
        self.held: set[tuple[int, str, int]] = set()
        self.rows = 0

    # errors

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(ImportError_(row, column, message))

    def all_errors(self) -> list[ImportError_]:
        order = {name: i for i, name in enumerate(COLUMNS)}
        errors = sorted(
            self.errors,
            key=lambda e: (
                e.row is not None,
                e.row or 0,
                e.column is not None,
                order.get(e.column or "", len(order)),
            ),
        )
        if self.error_count > len(errors):
            errors.append(
                ImportError_(
                    None,
                    None,
                    _("…and %(count)s more errors.")
                    % {"count": f"{self.error_count - len(errors):,}"},
                )
            )
        return errors

    # cells

    def text_cell(self, row: SheetRow, column: str, *, required: bool) -> str | None:
        value = row.values.get(column, "")
        if "\x00" in value:
            self.error(row.number, column, _("Null characters are not allowed."))
            return None
        if column in TEXT_COLUMNS and not value.isascii():
            value = unicodedata.normalize("NFC", value)
        if required and not value:
            self.error(row.number, column, _("This field is required."))
            return None
        limit = MAX_LENGTHS.get(column)
        if limit is not None and len(value) > limit:
            self.error(
                row.number,
                column,
                _("Ensure this field has no more than {max_length} characters.").format(
                    max_length=limit
                ),
            )
            return None
        return value

    def date_cell(self, row: SheetRow, column: str, *, required: bool) -> Any:
        """The cell's date; None when empty; _INVALID (with an error) when not a date."""
        value = row.values.get(column, "")
        if not value:
            if required:
                self.error(row.number, column, _("This field is required."))
                return _INVALID
            return None
        parsed = self.dates.get(value)
        if parsed is None:
            parsed = self.dates[value] = _parse_date(value)
        if parsed is _INVALID:
            self.error(
                row.number,
                column,
                _("“%(value)s” is not a date; write it as YYYY-MM-DD or DD/MM/YYYY.")
                % {"value": excerpt(value)},
            )
        elif parsed is _OUT_OF_RANGE:
            self.error(
                row.number,
                column,
                _("Enter a date from %(earliest)s to %(latest)s.")
                % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
            )
            return _INVALID
        return parsed

    def department(
        self, row: SheetRow, column: str, code: str, status: str | None
    ) -> Department | None:
        department = self.departments.get(department_code_key(code))
        if department is None:
            self.error(
                row.number,
                column,
                _("Unknown department “%(value)s”.") % {"value": excerpt(code)},
            )
        elif not department.active and status not in FINISHED:
            self.error(
                row.number,
                column,
                _("Department “{value}” is no longer active.").format(value=department.code),
            )
            return None
        return department

    # rows

    def check(self, row: SheetRow) -> None:
        self.rows += 1
        before = self.error_count
        n = row.number
        if row.overflow:
            self.error(n, None, _("This row has a value in a column without a name."))

        number = self.text_cell(row, "directive_number", required=True)
        kind_text = self.text_cell(row, "directive_kind", required=True)
        kind = None
        if kind_text:
            kind = self.kinds.get(kind_text.casefold())
            if kind is None:
                self.error(
                    n,
                    "directive_kind",
                    _("Unknown directive kind “%(value)s”; use one of: %(choices)s.")
                    % {"value": excerpt(kind_text), "choices": ", ".join(DirectiveKind.values)},
                )
        issued_on = self.date_cell(row, "directive_issued_on", required=True)
        signer = self.text_cell(row, "directive_signer", required=True)
        directive_title = self.text_cell(row, "directive_title", required=True)
        title = self.text_cell(row, "task_title", required=True)
        content = self.text_cell(row, "task_content", required=False)

        status_text = row.values.get("status", "")
        status: str | None = TaskStatus.ASSIGNED
        if status_text:
            status = self.statuses.get(status_text.casefold())
            if status is None:
                self.error(
                    n,
                    "status",
                    _("Unknown status “%(value)s”; use one of: %(choices)s.")
                    % {"value": excerpt(status_text), "choices": ", ".join(TaskStatus.values)},
                )

        lead = None
        lead_code = row.values.get("lead_department_code", "")
        if not lead_code:
            self.error(n, "lead_department_code", _("This field is required."))
        else:
            lead = self.department(row, "lead_department_code", lead_code, status)
        coordinating: list[Department] = []
        codes = row.values.get("coordinating_department_codes", "")
        for code in codes.split(COORDINATING_SEPARATOR) if codes else ():
            code = code.strip()
            if code:
                department = self.department(row, "coordinating_department_codes", code, status)
                if department is not None:
                    coordinating.append(department)

        assigned_on = self.date_cell(row, "assigned_on", required=True)
        deadline = self.date_cell(row, "deadline", required=False)
        completed_on = self.date_cell(row, "completed_on", required=False)

        if status is not None and completed_on is not _INVALID:
            label = TaskStatus(status).label
            if status in WITH_COMPLETION and completed_on is None:
                self.error(
                    n,
                    "completed_on",
                    _("A task in state “%(state)s” needs its completion date.") % {"state": label},
                )
            elif status not in WITH_COMPLETION and completed_on is not None:
                self.error(
                    n,
                    "completed_on",
                    _(
                        "A task in state “%(state)s” has no completion date: "
                        "leave this cell empty or correct the status."
                    )
                    % {"state": label},
                )
            elif completed_on is not None:
                for message in completion_date_errors(
                    completed_on=completed_on,
                    assigned_on=None if assigned_on is _INVALID else assigned_on,
                    today=self.today,
                ):
                    self.error(n, "completed_on", message)

        dates_valid = _INVALID not in (assigned_on, deadline, completed_on)
        if lead is not None and dates_valid:
            rule_errors = task_rule_errors(
                assigned_on=assigned_on,
                deadline=deadline,
                lead_department=lead,
                coordinating_departments=coordinating,
            )
            for field, messages in rule_errors.items():
                for message in messages:
                    self.error(n, RULE_COLUMNS.get(field, field), message)

        key = None
        if number and issued_on not in (None, _INVALID):
            key = (number, issued_on.year)
            if kind is not None and signer is not None and directive_title is not None:
                self.check_directive(
                    _DirectiveSpec(n, number, kind, issued_on, signer, directive_title)
                )
        if key is not None and title and lead is not None:
            task_key = _task_digest(key, title, lead.pk)
            earlier = self.seen_tasks.setdefault(task_key, n)
            if earlier != n:
                self.error(
                    n,
                    "task_title",
                    _(
                        "Row %(row)d already holds this task "
                        "(same directive, title and lead department)."
                    )
                    % {"row": earlier},
                )

        if self.error_count == before:
            # A row without errors has every required value: each missing one is an error.
            assert key is not None and title is not None and lead is not None
            assert status is not None
            self.tasks.append(
                _TaskSpec(
                    row=n,
                    directive=key,
                    title=title,
                    content=content or "",
                    lead_id=lead.pk,
                    coordinating_ids=tuple(d.pk for d in coordinating),
                    assigned_on=assigned_on,
                    deadline=deadline,
                    status=status,
                    completed_on=completed_on,
                )
            )

    def check_directive(self, spec: _DirectiveSpec) -> None:
        """The first row of a directive gives its columns; a later row may not contradict."""
        key = (spec.number, spec.issued_on.year)
        first = self.directives.setdefault(key, spec)
        if first is spec:
            return
        for column, attribute in (
            ("directive_kind", "kind"),
            ("directive_issued_on", "issued_on"),
            ("directive_signer", "signer"),
            ("directive_title", "title"),
        ):
            if getattr(first, attribute) != getattr(spec, attribute):
                self.error(
                    spec.row,
                    column,
                    _("Directive %(number)s is given a different value here than in row %(row)d.")
                    % {"number": spec.number, "row": first.row},
                )

    def already_imported(self, task: _TaskSpec) -> None:
        number, year = task.directive
        self.error(
            task.row,
            "task_title",
            _(
                "Already imported: directive %(number)s of %(year)d has a task "
                "with this title and lead department."
            )
            % {"number": number, "year": year},
        )

    def check_not_empty(self) -> None:
        if self.rows == 0:
            raise _reject(_("The file has no task rows, only a header."))

    def take_chunk(self) -> list[_TaskSpec]:
        """The rows checked without error since the last call, once checked against the
        database too: the directives it already holds are looked up (and their tasks), and a
        task it already holds is an error. Runs inside the import's transaction, before any
        row of the directives it looks up is written."""
        tasks, self.tasks = self.tasks, []
        keys = {task.directive for task in tasks} - self.looked_up
        if keys:
            self.looked_up |= keys
            found = _existing_directives(keys)
            self.existing.update(found)
            if found:
                self.held |= _existing_tasks(found.values())
        if self.held:
            for task in tasks:
                directive_id = self.existing.get(task.directive)
                if (
                    directive_id is not None
                    and (directive_id, task.title, task.lead_id) in self.held
                ):
                    self.already_imported(task)
        return tasks

    def raise_errors(self) -> None:
        if self.error_count:
            raise ImportRejected(self.all_errors())
