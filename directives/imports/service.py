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
from directives.imports.writing import _lock_imports, _write
from tracker.models import User
from tracker.selectors.tasks import local_today


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
    `deadline`, when reading and checking the rows must end (default: in
    IMPORT_TIME_BUDGET_SECONDS)."""
    filename = _clean_filename(filename)
    today = today or local_today()
    source = _open_limited(file)
    checker = _RowChecker(today=today)
    try:
        for row in read_rows(source, filename, deadline):
            checker.check(row)
        checker.check_not_empty()
        with transaction.atomic():
            _lock_imports()
            plan = checker.plan()
            return _write(plan, actor=actor, filename=filename)
    finally:
        checker.close()
