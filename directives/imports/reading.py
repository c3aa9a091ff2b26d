"""Reading the file of a task import: the size limit, CSV or XLSX (decided by the content, not
the name), the header row and the data rows as SheetRows. A problem of the whole file raises
ImportRejected; the cells are checked in directives.imports.checking."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from config.common.text import excerpt
from directives.imports.results import ImportError_, ImportRejected, _reject
from directives.imports.workbook import (
    Deadline,
    DeadlineFile,
    OverBudget,
    WorkbookLimits,
    check_workbook,
)

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

MAX_ROWS = 200_000  # a province's whole history (API.md)
# An XLSX sheet's rows, counted before it is parsed: the header, MAX_ROWS and room for the
# blank rows the import skips; its cells, twice the columns of each; its shared texts (one
# per cell at most): the same.
WORKBOOK_LIMITS = WorkbookLimits(
    sheet_rows=MAX_ROWS + 1_000,
    sheet_cells=2 * len(COLUMNS) * (MAX_ROWS + 1_000),
    shared_strings=2 * len(COLUMNS) * (MAX_ROWS + 1_000),
)
# A CSV line longer than this is no spreadsheet row (Excel holds 32,767 characters a cell).
MAX_CSV_LINE_CHARS = 1_000_000

READ_CHUNK_BYTES = 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) format
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


@dataclass(frozen=True, slots=True)
class SheetRow:
    """A data row: its number in the file, its cells by column name (stripped text, "" when
    empty) and whether it has a value under no column."""

    number: int
    values: dict[str, str]
    overflow: bool = False


def _clean_filename(filename: str) -> str:
    name = PurePath(filename.replace("\\", "/")).name if filename else ""
    return name.replace("\x00", "")[:255] or "upload"


def _open_limited(file: IO[bytes] | UploadedFile) -> IO[bytes]:
    """The file, seekable and at its start, or an error when it is over IMPORT_MAX_BYTES
    (judged by the size an upload declares when it has one, before reading anything). The
    file is read later, as its rows are: a seekable one (an upload on disk or in memory, a
    file the command opened) is not copied; a stream is read into memory."""
    limit = settings.IMPORT_MAX_BYTES
    too_large = _reject(
        _("The file is larger than the limit of %(max)s.") % {"max": filesizeformat(limit)}
    )
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise too_large
    if _seekable(file):
        file.seek(0, io.SEEK_END)
        if file.tell() > limit:
            raise too_large
        file.seek(0)
        return file
    data = file.read(limit + 1)  # a stream (none of this project's callers passes one)
    if len(data) > limit:
        raise too_large
    return io.BytesIO(data)


def _seekable(file: IO[bytes] | UploadedFile) -> bool:
    seekable = getattr(file, "seekable", None)
    return bool(seekable and seekable())


def read_rows(
    source: bytes | IO[bytes], filename: str, deadline: Deadline | None = None
) -> Iterator[SheetRow]:
    """The data rows of a CSV or XLSX file (its bytes, or a seekable binary file read as the
    rows are), whichever its content is (a zip is taken for an XLSX workbook, anything else
    for CSV text). File-level problems (not a workbook, not UTF-8 text, no header, bad
    header, over a limit or over the time budget) raise ImportRejected."""
    deadline = deadline or Deadline.from_settings()
    file = io.BytesIO(source) if isinstance(source, bytes) else source
    suffix = PurePath(filename).suffix.lower()
    file.seek(0)
    magic = file.read(len(OLE_MAGIC))
    file.seek(0)
    if magic.startswith(ZIP_MAGIC):
        cells = _xlsx_cells(file, filename, deadline)
    elif suffix in XLSX_SUFFIXES:
        raise _reject(_("“%(name)s” is not an XLSX workbook.") % {"name": excerpt(filename)})
    elif magic.startswith(OLE_MAGIC) or suffix == ".xls":
        raise _reject(
            _("“%(name)s” is an old Excel (.xls) file; save it as XLSX or as CSV UTF-8.")
            % {"name": excerpt(filename)}
        )
    else:
        cells = _csv_cells(file)
    return _within_budget(_as_rows(cells), deadline)


def _within_budget(rows: Iterator[SheetRow], deadline: Deadline) -> Iterator[SheetRow]:
    try:
        for row in rows:
            deadline.check()
            yield row
    except OverBudget:
        raise deadline.refusal() from None


def _csv_encoding(file: IO[bytes]) -> str:
    start = file.read(2)
    file.seek(0)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"
    return "utf-8-sig"  # with or without the BOM Excel writes in "CSV UTF-8"


def _not_text(file: IO[bytes], encoding: str) -> ImportRejected:
    """The refusal of a file that does not decode, naming the line of the first bad byte.
    Only a refused file is read whole here (within the size limit), to find that line."""
    file.seek(0)
    data = file.read()
    line = None
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    return _reject(_("The file is not UTF-8 text; save it as “CSV UTF-8”."), row=line)


def _within_line_limit(lines: Iterable[str]) -> Iterator[str]:
    """The lines, refused at the first one longer than MAX_CSV_LINE_CHARS (before the CSV
    reader builds a row of it: a line of a million commas is a million cells). A line ends
    at "\n"; the text reader also cuts at a lone "\r", so lengths add up to the "\n"."""
    number, length = 1, 0
    for line in lines:
        ends = line.endswith("\n")
        length += len(line) - ends
        if length > MAX_CSV_LINE_CHARS:
            raise _reject(
                _("This line is longer than %(max)s characters.")
                % {"max": f"{MAX_CSV_LINE_CHARS:,}"},
                row=number,
            )
        yield line
        if ends:
            number, length = number + 1, 0


def _csv_cells(file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    encoding = _csv_encoding(file)
    # Decoded as it is read: the text of a 50 MB file is never held whole.
    buffered = io.BufferedReader(_Unclosed(file), buffer_size=READ_CHUNK_BYTES)
    text = io.TextIOWrapper(buffered, encoding=encoding, newline="")
    number = 0
    try:
        # The delimiter is judged on the first line (to its "\n"), read ahead.
        first: list[str] = []
        while not first or not first[-1].endswith("\n"):
            line = text.readline()
            if not line:
                break
            first.append(line)
        header = "".join(first).split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=header.count)
        lines = _within_line_limit(itertools.chain(first, text))
        reader = csv.reader(lines, delimiter=delimiter)
        # Rows are counted as records (what a spreadsheet shows), not as lines: a quoted
        # cell may hold line breaks.
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except UnicodeDecodeError:
        raise _not_text(file, encoding) from None
    except csv.Error as exc:
        raise _reject(
            _("The CSV file cannot be read here: %(error)s.") % {"error": exc}, row=number + 1
        ) from None


class _Unclosed(io.RawIOBase):
    """The caller's file for the text reader: read through, never closed by it (closing
    this closes nothing else)."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._file.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


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


def _xlsx_cells(
    file: IO[bytes], filename: str, deadline: Deadline
) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows as text, once the workbook passed the checks made before
    parsing (directives.imports.workbook). openpyxl raises many kinds of exceptions for
    content that is not a workbook (a zip of something else, damaged XML): each is the
    file's fault."""
    from openpyxl import load_workbook  # imported here: the CSV path does not need it

    not_a_workbook = _reject(_("“%(name)s” is not an XLSX workbook.") % {"name": excerpt(filename)})
    check_workbook(file, WORKBOOK_LIMITS, deadline)
    source = DeadlineFile(file, deadline)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except OverBudget:
        raise  # the caller's refusal (_within_budget)
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
            except OverBudget:
                raise
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
                    excerpt(name),
                    _("Unknown column; the columns are: %(columns)s.")
                    % {"columns": ", ".join(COLUMNS)},
                )
            )
        elif name in seen:
            errors.append(ImportError_(row, excerpt(name), _("This column is listed twice.")))
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
