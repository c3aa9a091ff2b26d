"""`import_tasks`: the one code path of the task import (see the package's docstring)."""

from __future__ import annotations

from datetime import date
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from directives.imports.checking import _RowChecker
from directives.imports.reading import _clean_filename, _open_limited, read_rows
from directives.imports.results import ImportResult
from directives.imports.workbook import Deadline
from directives.imports.writing import _ImportWriter, _lock_imports
from tracker.models import User
from tracker.selectors.tasks import local_today

# Rows are checked, then written, this many at a time: memory holds one chunk's rows (and
# a digest per row for the duplicates), whatever the size of the file.
CHUNK_ROWS = 5_000


def import_tasks(
    *,
    file: IO[bytes] | UploadedFile,
    filename: str,
    actor: User | None,
    today: date | None = None,
    deadline: Deadline | None = None,
) -> ImportResult:
    """Imports every row of the file or none (ImportRejected with all the errors).

    `actor` is the importing user (None: the system); `today`, the day completion dates are
    judged against (not in the future), defaults to today by the clock every process reads;
    `deadline`, when reading and checking the rows (and writing all but the last chunk of
    them, which goes on meanwhile) must end (default: in IMPORT_TIME_BUDGET_SECONDS)."""
    filename = _clean_filename(filename)
    today = today or local_today()
    source = _open_limited(file)
    checker = _RowChecker(today=today)
    # One transaction from the first row: each chunk is written as soon as it is checked,
    # while the next is read. Once a row has an error nothing more is written, the rest is
    # still checked, and the rejection listing every error rolls everything back.
    with transaction.atomic():
        _lock_imports()
        writer = _ImportWriter(actor=actor, filename=filename)
        try:
            for row in read_rows(source, filename, deadline):
                checker.check(row)
                if len(checker.tasks) >= CHUNK_ROWS:
                    _write_chunk(checker, writer)
            _write_chunk(checker, writer)
            checker.check_not_empty()
            checker.raise_errors()
            return writer.finish()
        finally:
            writer.close()


def _write_chunk(checker: _RowChecker, writer: _ImportWriter) -> None:
    """The checked rows so far, written unless the file has an error (then only checked:
    the rest of the file is read for its errors, and nothing is kept)."""
    writer.wait()  # the connection is the previous chunk's until it is written
    tasks = checker.take_chunk()
    if tasks and not checker.error_count:
        writer.write(tasks, checker.directives, checker.existing)
