"""What a task import returns (ImportResult) and what it raises when it refuses a file
(ImportRejected, with every problem of the file as an ImportError_)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


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


def _reject(message: str, row: int | None = None, column: str | None = None) -> ImportRejected:
    return ImportRejected([ImportError_(row, column, message)])
