"""An import's XLSX checked before openpyxl parses any of it, and a time budget for reading.

openpyxl loads every shared string into memory when it opens a workbook, and scans each sheet
that declares no dimension to its end; a small zip can make either take gigabytes or
minutes. So before `load_workbook`, from the zip's directory and by streaming the parts:

- the archive within the ARCHIVE_* limits (config.common.archives.inspect_zip);
- no XML part declaring a document type or entities (billion laughs, external entities);
- XML parts other than the sheets and the shared strings (the workbook, styles, theme,
  properties: openpyxl reads them whole) at most XML_PART_MAX_BYTES unpacked;
- the shared strings: the count the part declares, then the strings it really holds,
  counted while unpacking and stopped as soon as the limit is passed;
- each sheet's rows and cells, counted the same way.

The counts are of tags in the unpacked bytes (`bytes.count`, C speed, over bounded chunks):
an office writer emits no comment or CDATA holding such a tag, and a count too high only
refuses a file, never lets one through.
"""

from __future__ import annotations

import math
import re
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from config.common.archives import (
    ArchiveRefused,
    entry_chunks,
    inspect_zip,
    is_xml_part,
    xml_prolog_check,
)
from config.common.text import excerpt
from directives.imports.results import ImportRejected, _reject

XML_PART_MAX_BYTES = 16 * 1024 * 1024
_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]{0,31}:)?(?:worksheet|sst)[\s>/]")
_SST_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?sst\b[^>]*>")
_UNIQUE_COUNT = re.compile(rb"\buniqueCount\s*=\s*[\"'](\d{1,20})[\"']")
_COUNT = re.compile(rb"\scount\s*=\s*[\"'](\d{1,20})[\"']")


class OverBudget(Exception):
    """Reading the file took longer than IMPORT_TIME_BUDGET_SECONDS."""


@dataclass(frozen=True, slots=True)
class Deadline:
    at: float
    seconds: float

    @classmethod
    def from_settings(cls) -> Deadline:
        seconds = float(settings.IMPORT_TIME_BUDGET_SECONDS)
        return cls(time.monotonic() + seconds, seconds)

    @classmethod
    def unlimited(cls) -> Deadline:
        """For `manage.py import_tasks`: a shell holds no web worker, so a large XLSX may
        take the time openpyxl needs (the file's limits still apply)."""
        return cls(math.inf, math.inf)

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise OverBudget

    def refusal(self) -> ImportRejected:
        return _reject(
            _(
                "Reading the file took longer than %(seconds)s seconds, the limit; split it "
                "into smaller files or save it as CSV UTF-8."
            )
            % {"seconds": f"{self.seconds:g}"}
        )


class DeadlineFile:
    """A binary file that raises OverBudget on a read past the deadline: openpyxl reads the
    zip through it chunk by chunk, so none of its phases (opening, the dimension scan,
    the rows) can outlast the budget by more than one chunk."""

    def __init__(self, file: IO[bytes], deadline: Deadline) -> None:
        self._file = file
        self._deadline = deadline

    def read(self, size: int = -1) -> bytes:
        self._deadline.check()
        return self._file.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def seekable(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class WorkbookLimits:
    sheet_rows: int
    sheet_cells: int
    shared_strings: int


def _count_tags(
    chunks: Iterable[bytes], limits: dict[bytes, int], deadline: Deadline
) -> dict[bytes, int]:
    """How many start tags of each name the part holds (with the part's own namespace
    prefix, if any, read from its root tag), in one pass; stops once a count is past its
    limit."""
    patterns: dict[bytes, list[bytes]] = {}
    counts = dict.fromkeys(limits, 0)
    carry = b""
    for chunk in chunks:
        deadline.check()
        if not patterns:
            match = _PREFIX.search(chunk[:4096])
            prefix = (match.group(1) or b"") if match else b""
            patterns = {
                name: [b"<" + prefix + name + end for end in (b" ", b">", b"/")] for name in limits
            }
        buffer = carry + chunk
        # The carry is shorter than any pattern: no match lies wholly inside it, so none is
        # counted twice, and one cut by the chunk's end is counted in the next buffer.
        for name, forms in patterns.items():
            counts[name] += sum(buffer.count(form) for form in forms)
        if any(counts[name] > limit for name, limit in limits.items()):
            break
        carry = buffer[-(min(len(f) for forms in patterns.values() for f in forms) - 1) :]
    return counts


def _declared_strings(first_chunk: bytes) -> tuple[int, int]:
    tag = _SST_TAG.search(first_chunk)
    if tag is None:
        return 0, 0
    unique = _UNIQUE_COUNT.search(tag.group())
    count = _COUNT.search(tag.group())
    return int(unique.group(1)) if unique else 0, int(count.group(1)) if count else 0


def _check_shared_strings(
    archive: zipfile.ZipFile, name: str, limits: WorkbookLimits, deadline: Deadline
) -> None:
    chunks = entry_chunks(archive, name)
    first = next(chunks, b"")
    unique, references = _declared_strings(first)
    if unique > limits.shared_strings or references > limits.sheet_cells:
        raise _reject(
            _("The workbook declares %(count)s shared texts; at most %(max)s are accepted.")
            % {"count": f"{max(unique, references):,}", "max": f"{limits.shared_strings:,}"}
        )

    def every_chunk() -> Iterable[bytes]:
        yield first
        yield from chunks

    held = _count_tags(every_chunk(), {b"si": limits.shared_strings}, deadline)
    if held[b"si"] > limits.shared_strings:
        raise _reject(
            _("The workbook holds more than %(max)s shared texts.")
            % {"max": f"{limits.shared_strings:,}"}
        )


def _check_sheet(
    archive: zipfile.ZipFile, name: str, limits: WorkbookLimits, deadline: Deadline
) -> None:
    counts = _count_tags(
        entry_chunks(archive, name),
        {b"row": limits.sheet_rows, b"c": limits.sheet_cells},
        deadline,
    )
    if counts[b"row"] > limits.sheet_rows:
        raise _reject(
            _("The sheet “%(name)s” has more than %(max)s rows.")
            % {"name": excerpt(name), "max": f"{limits.sheet_rows:,}"}
        )
    if counts[b"c"] > limits.sheet_cells:
        raise _reject(
            _("The sheet “%(name)s” has more than %(max)s cells.")
            % {"name": excerpt(name), "max": f"{limits.sheet_cells:,}"}
        )


def check_workbook(file: IO[bytes], limits: WorkbookLimits, deadline: Deadline) -> None:
    """ImportRejected unless the XLSX is within every limit above; reads no part whole."""
    try:
        with inspect_zip(file) as archive:
            for info in archive.infolist():
                name = info.filename
                lowered = name.lower()
                if not is_xml_part(name):
                    continue
                xml_prolog_check(archive, name)
                if lowered.endswith("sharedstrings.xml"):
                    _check_shared_strings(archive, name, limits, deadline)
                elif lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
                    _check_sheet(archive, name, limits, deadline)
                elif info.file_size > XML_PART_MAX_BYTES:
                    raise _reject(
                        _("The part “%(name)s” unpacks to more than %(max)s.")
                        % {"name": excerpt(name), "max": filesizeformat(XML_PART_MAX_BYTES)}
                    )
    except ArchiveRefused as exc:
        raise _reject(exc.message) from None
    finally:
        file.seek(0)
