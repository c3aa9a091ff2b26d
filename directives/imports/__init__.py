"""Importing tasks from a spreadsheet (CSV or XLSX, the columns of API.md): the one code path
behind `POST /api/v1/tasks/import/` and `manage.py import_tasks FILE`.

All rows or none. The file is read (the format decided by its content, not its name), every
row is checked and every error collected; only a file without any error is kept. The file is
streamed: read as its rows are, checked rows written a chunk at a time (`service.CHUNK_ROWS`)
while the next chunk is read, with bulk writes (COPY on PostgreSQL, bulk_create in batches
elsewhere; no query per row), all in one transaction that the first error found rolls back
once every row is checked; so memory does not grow with the rows. Directives are matched by
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

Where each part lives (the package's modules, in the order an import runs through them):

- `service`: `import_tasks`, the one entry point: in one transaction under the import lock,
  reads the file, checks every row and writes each chunk of checked rows;
- `results`: what an import returns (`ImportResult`) or raises (`ImportRejected`, with every
  `ImportError_` of the file);
- `reading`: reading the file: the size limit, CSV or XLSX (by content), the header and the
  columns (`COLUMNS`), the data rows (`read_rows`, `SheetRow`, at most `MAX_ROWS`), within
  the time budget;
- `workbook`: an XLSX checked before openpyxl parses it (the zip's limits, shared strings,
  rows and cells of each sheet, no DTD) and the time budget (`Deadline`, `DeadlineFile`);
- `checking`: checking the rows: every cell of every row, dates, departments, states and task
  rules, every error collected (`MAX_ERRORS` of them listed); each chunk's directives and
  tasks matched with the database's;
- `values`: a cell's text as a date (YYYY-MM-DD or DD/MM/YYYY, within the plausible range)
  or as a choice's code, for `checking`;
- `plan`: what a checked row writes (its directive and task) and the look-ups of the
  directives and tasks the database already holds;
- `writing`: writing: the advisory lock, then for each chunk its new directives, tasks,
  coordinating departments, history and completion reports (COPY on PostgreSQL, in a thread
  while the next chunk is read; bulk_create elsewhere).

The limits are read in the module that defines them (`reading.MAX_ROWS`,
`checking.MAX_ERRORS`, `service.CHUNK_ROWS`, `writing.BATCH_SIZE`,
`writing.COPY_ON_POSTGRESQL`): change them there; the names re-exported here are for
reading only.
"""

from directives.imports.checking import MAX_ERRORS
from directives.imports.reading import COLUMNS, MAX_ROWS, OPTIONAL_COLUMNS, SheetRow, read_rows
from directives.imports.results import ImportError_, ImportRejected, ImportResult
from directives.imports.service import import_tasks

__all__ = [
    "COLUMNS",
    "MAX_ERRORS",
    "MAX_ROWS",
    "OPTIONAL_COLUMNS",
    "ImportError_",
    "ImportRejected",
    "ImportResult",
    "SheetRow",
    "import_tasks",
    "read_rows",
]
