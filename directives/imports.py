"""Importing tasks from a spreadsheet (CSV or XLSX, the columns of API.md): the one code path
behind `POST /api/v1/tasks/import/` and `manage.py import_tasks FILE`.

All rows or none. The file is read (the format decided by its content, not its name), every
row is checked and every error collected; only a file without any error is written, in one
transaction, with bulk writes (COPY on PostgreSQL, bulk_create in batches elsewhere; no query
per row). Directives are matched by
number + issue year and created when missing. A task is recorded in the state the file gives
(an import records history that happened elsewhere; it does not replay the transitions):

- `completed`: the task's `completed_on`, and an accepted completion report of that date
  (author none: the system recorded it; decided by the importing user), so the task counts
  as accepted on its `completed_on`;
- `awaiting_acceptance`: a pending completion report of the file's `completed_on`;
- every task: one history entry "created", field `status`, with the file and row it came from.

A task that the database already holds (same directive number + year, title and lead
department) is an error, so importing a file twice never duplicates anything. Imports run one
at a time on PostgreSQL (a transaction-level advisory lock), so two concurrent imports of one
file cannot both pass that check.

Error messages follow the active language (the request's); the texts stored in the database
(history reason, report result) are written in the site's language (settings.LANGUAGE_CODE).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directives.models import Directive, DirectiveKind
from tracker.api.fields import EARLIEST_DATE, LATEST_DATE
from tracker.models import (
    CompletionReport,
    CompletionReportStatus,
    Department,
    Priority,
    Task,
    TaskCoordination,
    TaskHistory,
    TaskHistoryAction,
    TaskStatus,
    User,
)
from tracker.services.tasks import task_rule_errors

COLUMNS = (
    "directive_number",
    "directive_kind",
    "directive_issued_on",
    "directive_signer",
    "directive_title",
    "task_title",
    "task_content",
    "lead_department_code",
    "coordinating_department_codes",
    "assigned_on",
    "deadline",
    "status",
    "completed_on",
)
# The columns a file may leave out: their cells would all be empty anyway (no content, no
# coordinating department, no deadline, state `assigned`, no completion date).
OPTIONAL_COLUMNS = frozenset(
    {"task_content", "coordinating_department_codes", "deadline", "status", "completed_on"}
)
REQUIRED_COLUMNS = tuple(c for c in COLUMNS if c not in OPTIONAL_COLUMNS)
COORDINATING_SEPARATOR = ";"

MAX_ROWS = 200_000  # a province's whole history (API.md)
# Beyond this many errors only their number is reported: the first ones tell what is wrong.
MAX_ERRORS = 10_000
BATCH_SIZE = 2_000
# An XLSX is a zip: its unpacked size is bounded too, so a small file cannot unpack to gigabytes.
MAX_UNPACKED_RATIO = 20

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) format
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})

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
# Where a task rule (tracker.services.tasks.task_rule_errors) points, by its field. A
# completion before the assigned date is reported on `completed_on`, the cell the status asks for.
RULE_COLUMNS = {
    "coordinating_departments": "coordinating_department_codes",
    "deadline": "deadline",
    "assigned_on": "completed_on",
}

# Serialises imports: the check "not already imported" and the inserts happen under it.
IMPORT_LOCK_KEY = 0x646F6E646F632D69  # "dondoc-i"

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DMY_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


# --- Public API --------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportError_:  # the trailing _: the builtin ImportError is another thing
    """One problem of the file: its row (the header is row 1; None: the whole file), its
    column (None: the whole row or file) and a message in the active language."""

    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where) or 'file'}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    created: int
    directives_created: int


class ImportRejected(Exception):
    """The file was refused; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: Sequence[ImportError_]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def import_tasks(
    *,
    file: IO[bytes] | UploadedFile,
    filename: str,
    actor: User | None,
    today: date | None = None,
) -> ImportResult:
    """Imports every row of the file or none (ImportRejected with all the errors).

    `actor` is the importing user (None: the system); `today`, the day completion dates are
    judged against (not in the future), defaults to the local date."""
    filename = _clean_filename(filename)
    today = today or timezone.localdate()
    data = _read_limited(file)
    checker = _RowChecker(today=today)
    for row in read_rows(data, filename):
        checker.check(row)
    checker.check_not_empty()
    with transaction.atomic():
        _lock_imports()
        plan = checker.plan()
        return _write(plan, actor=actor, filename=filename)


# --- Reading the file --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SheetRow:
    """A data row: its number in the file, its cells by column name (stripped text, "" when
    empty) and whether it has a value under no column."""

    number: int
    values: dict[str, str]
    overflow: bool = False


def _reject(message: str, row: int | None = None, column: str | None = None) -> ImportRejected:
    return ImportRejected([ImportError_(row, column, message)])


def _clean_filename(filename: str) -> str:
    name = PurePath(filename.replace("\\", "/")).name if filename else ""
    return name.replace("\x00", "")[:255] or "upload"


def _read_limited(file: IO[bytes] | UploadedFile) -> bytes:
    """The file's bytes, or an error when it is over IMPORT_MAX_BYTES (judged by the size an
    upload declares when it has one, before reading anything)."""
    limit = settings.IMPORT_MAX_BYTES
    too_large = _reject(
        _("The file is larger than the limit of %(max)s.") % {"max": filesizeformat(limit)}
    )
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise too_large
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data


def read_rows(data: bytes, filename: str) -> Iterator[SheetRow]:
    """The data rows of a CSV or XLSX file, whichever its content is (a zip is taken for an
    XLSX workbook, anything else for CSV text). File-level problems (not a workbook, not
    UTF-8 text, no header, bad header) raise ImportRejected."""
    suffix = PurePath(filename).suffix.lower()
    if data.startswith(ZIP_MAGIC):
        cells = _xlsx_cells(data, filename)
    elif suffix in XLSX_SUFFIXES:
        raise _reject(_("“%(name)s” is not an XLSX workbook.") % {"name": filename})
    elif data.startswith(OLE_MAGIC) or suffix == ".xls":
        raise _reject(
            _("“%(name)s” is an old Excel (.xls) file; save it as XLSX or as CSV UTF-8.")
            % {"name": filename}
        )
    else:
        cells = _csv_cells(data)
    return _as_rows(cells)


def _csv_text(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode text"
    else:
        encoding = "utf-8-sig"  # with or without the BOM Excel writes in "CSV UTF-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _reject(_("The file is not UTF-8 text; save it as “CSV UTF-8”."), row=line) from None


def _delimiter(text: str) -> str:
    """Comma, semicolon (Excel's choice where the decimal mark is a comma) or tab, whichever
    the header line holds most of."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def _csv_cells(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _csv_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    number = 0
    try:
        # Rows are counted as records (what a spreadsheet shows), not as lines: a quoted
        # cell may hold line breaks.
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as exc:
        raise _reject(
            _("The CSV file cannot be read here: %(error)s.") % {"error": exc}, row=number + 1
        ) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _xlsx_cells(data: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows as text. openpyxl raises many kinds of exceptions for content
    that is not a workbook (a zip of something else, damaged XML): each is the file's fault."""
    from openpyxl import load_workbook  # imported here: the CSV path does not need it

    not_a_workbook = _reject(_("“%(name)s” is not an XLSX workbook.") % {"name": filename})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_RATIO * settings.IMPORT_MAX_BYTES:
            raise _reject(
                _("The file is larger than the limit of %(max)s.")
                % {"max": filesizeformat(settings.IMPORT_MAX_BYTES)}
            )
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportRejected:
        raise
    except Exception:
        raise not_a_workbook from None
    try:
        if not workbook.worksheets:
            raise not_a_workbook
        sheet = workbook.worksheets[0]
        # The stored dimensions may be wrong (some writers put "A1"): read every row there is.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                break
            except Exception:
                raise not_a_workbook from None
            number += 1
            yield number, [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _header_errors(header: list[str], row: int) -> list[ImportError_]:
    errors = []
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name not in COLUMNS:
            errors.append(
                ImportError_(
                    row,
                    name,
                    _("Unknown column; the columns are: %(columns)s.")
                    % {"columns": ", ".join(COLUMNS)},
                )
            )
        elif name in seen:
            errors.append(ImportError_(row, name, _("This column is listed twice.")))
        seen.add(name)
    errors += [
        ImportError_(row, name, _("This column is missing."))
        for name in REQUIRED_COLUMNS
        if name not in seen
    ]
    return errors


def _as_rows(cells: Iterator[tuple[int, list[str]]]) -> Iterator[SheetRow]:
    """Checks the header (row 1) and turns the following rows into SheetRows; blank rows are
    skipped (spreadsheets end with some), rows past MAX_ROWS are an error."""
    first = next(cells, None)
    while first is not None and not any(c.strip() for c in first[1]):
        first = next(cells, None)  # leading blank lines
    if first is None:
        raise _reject(_("The file is empty: it has no header row."))
    header_row, header_cells = first
    header = [c.strip().lower() for c in header_cells]
    errors = _header_errors(header, header_row)
    if errors:
        raise ImportRejected(errors)
    named = [(i, name) for i, name in enumerate(header) if name]
    width = len(header)
    data_rows = 0
    for number, row in cells:
        if not any(row):
            continue
        stripped = [c.strip() for c in row]
        if not any(stripped):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise _reject(
                _("The file has more than %(max)s task rows.") % {"max": f"{MAX_ROWS:,}"},
                row=number,
            )
        if len(stripped) < width:
            stripped += [""] * (width - len(stripped))
        overflow = any(stripped[width:]) or any(stripped[i] for i in range(width) if not header[i])
        yield SheetRow(number, {name: stripped[i] for i, name in named}, overflow)


# --- Checking the rows -------------------------------------------------------------------

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


@dataclass
class _Plan:
    directives: dict[DirectiveKey, _DirectiveSpec]
    existing: dict[DirectiveKey, int]  # directive ids of the keys the database has
    tasks: list[_TaskSpec]


_INVALID = object()


def _choices(choices: type[TaskStatus] | type[DirectiveKind]) -> dict[str, str]:
    """A code by its code or its label in either language (casefolded)."""
    by_text: dict[str, str] = {}
    for language in ("en", "vi"):
        with translation.override(language):
            for member in choices:
                by_text.setdefault(str(member.label).casefold(), member.value)
    for member in choices:
        by_text[member.value] = member.value
    return by_text


class _RowChecker:
    """Checks the rows one at a time (departments preloaded in one query) and keeps what is
    needed to write them; the checks that need the directives and tasks already in the
    database run once all rows are read (`plan`)."""

    def __init__(self, *, today: date) -> None:
        self.today = today
        self.errors: list[ImportError_] = []
        self.error_count = 0
        departments = list(Department.objects.only("id", "code", "active"))
        self.departments = {d.code: d for d in departments}
        self.departments_casefolded = {d.code.casefold(): d for d in departments}
        self.kinds = _choices(DirectiveKind)
        self.statuses = _choices(TaskStatus)
        self.dates: dict[str, object] = {}
        self.directives: dict[DirectiveKey, _DirectiveSpec] = {}
        self.seen_tasks: dict[tuple[DirectiveKey, str, int], int] = {}
        self.tasks: list[_TaskSpec] = []
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
                % {"value": value[:40]},
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
        department = self.departments.get(code) or self.departments_casefolded.get(code.casefold())
        if department is None:
            self.error(
                row.number,
                column,
                _("Unknown department “%(value)s”.") % {"value": code[:64]},
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
                    % {"value": kind_text[:40], "choices": ", ".join(DirectiveKind.values)},
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
                    % {"value": status_text[:40], "choices": ", ".join(TaskStatus.values)},
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
            elif completed_on is not None and completed_on > self.today:
                self.error(n, "completed_on", _("The completion date is in the future."))

        dates_valid = _INVALID not in (assigned_on, deadline, completed_on)
        if lead is not None and dates_valid:
            rule_errors = task_rule_errors(
                assigned_on=assigned_on,
                deadline=deadline,
                lead_department=lead,
                coordinating_departments=coordinating,
                completed_on=completed_on,
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
            task_key = (key, title, lead.pk)
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

    def check_not_empty(self) -> None:
        if self.rows == 0:
            raise _reject(_("The file has no task rows, only a header."))

    def plan(self) -> _Plan:
        """Matches the directives with the database's and refuses the tasks it already holds;
        raises with every error of the file. Runs inside the import's transaction."""
        existing = _existing_directives(self.directives.keys())
        if existing:
            held = _existing_tasks(existing.values())
            for task in self.tasks:
                directive_id = existing.get(task.directive)
                if directive_id is not None and (directive_id, task.title, task.lead_id) in held:
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
        if self.errors:
            raise ImportRejected(self.all_errors())
        return _Plan(directives=self.directives, existing=existing, tasks=self.tasks)


_OUT_OF_RANGE = object()


def _parse_date(text: str) -> object:
    """YYYY-MM-DD or DD/MM/YYYY (the way Vietnamese documents write dates) as a date;
    _INVALID or _OUT_OF_RANGE otherwise."""
    match = _ISO_DATE.fullmatch(text)
    if match:
        year, month, day = match.groups()
    else:
        match = _DMY_DATE.fullmatch(text)
        if not match:
            return _INVALID
        day, month, year = match.groups()
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return _INVALID
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        return _OUT_OF_RANGE
    return value


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


# --- Writing -----------------------------------------------------------------------------

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

    rows = _Rows(directive_ids=directive_ids, actor=actor, note=note, filename=filename, now=now)
    if COPY_ON_POSTGRESQL and connection.vendor == "postgresql":
        ids = _next_ids(Task, len(plan.tasks))
        _copy(Task, TASK_COLUMNS, map(rows.task, ids, plan.tasks))
        _copy(TaskCoordination, COORDINATION_COLUMNS, rows.coordinations(ids, plan.tasks))
        _copy(TaskHistory, HISTORY_COLUMNS, map(rows.history_json, ids, plan.tasks))
        _copy(CompletionReport, REPORT_COLUMNS, rows.reports(ids, plan.tasks))
    else:
        for chunk in _chunks(plan.tasks, BATCH_SIZE):
            tasks = _bulk(Task, TASK_COLUMNS, (rows.task(None, spec) for spec in chunk))
            ids = [task.pk for task in tasks]
            _bulk(TaskCoordination, COORDINATION_COLUMNS, rows.coordinations(ids, chunk))
            _bulk(TaskHistory, HISTORY_COLUMNS, map(rows.history, ids, chunk))
            _bulk(CompletionReport, REPORT_COLUMNS, rows.reports(ids, chunk))
    return ImportResult(created=len(plan.tasks), directives_created=len(new_directives))


@dataclass(frozen=True)
class _Rows:
    """The column values (in the order of the *_COLUMNS above) of what a task row writes."""

    directive_ids: dict[DirectiveKey, int]
    actor: User | None
    note: str
    filename: str
    now: datetime

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


def _copy(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for values in rows:
            copy.write_row(values)


def _bulk(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[Any]:
    return model.objects.bulk_create(
        [model(**dict(zip(fields, values, strict=True))) for values in rows],
        batch_size=BATCH_SIZE,
    )
