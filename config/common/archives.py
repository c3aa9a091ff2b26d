"""Zip archives read without trusting them: the task import's XLSX and the office-format
attachments (docx, xlsx, odt, ods) are zips, and a zip of a few hundred kilobytes can unpack
to gigabytes (a decompression bomb).

`inspect_zip` judges an archive by its central directory alone, before anything is
unpacked: the number of entries (read from the end record, before Python builds an object
per entry), each entry's declared size, their total and each entry's compression ratio,
against the ARCHIVE_* settings. Only stored and deflated entries are read (what office
writers use; bzip2 and lzma readers cannot be bounded per read) and none encrypted.

Entries are then read only through `read_entry`/`entry_chunks`, which stop at a limit and at
the entry's declared size: an entry that unpacks to more than it declares fails its CRC
there, and is refused as lying, without having been unpacked further.

XML parts are parsed only with defusedxml (openpyxl uses it when it is installed:
`openpyxl.DEFUSEDXML`): `xml_prolog_check` reads a part up to its root element and refuses a
document type declaration, where entities (billion laughs, external entities) are declared.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import XMLParser
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from config.common.text import excerpt

CHUNK = 64 * 1024
# An entry smaller than this may compress as well as it likes (a few kilobytes of empty
# cells do): the ratio limit protects memory, which such an entry cannot exhaust.
RATIO_FROM_BYTES = 1024 * 1024
# A well-formed part names its root element in its first bytes; a prolog longer than this
# (comments, processing instructions) is not an office writer's.
XML_PROLOG_MAX_BYTES = 64 * 1024
_READABLE = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_END_RECORD = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20


class ArchiveRefused(Exception):
    """The archive is refused; `message` says why, in the active language, and `code` names
    the limit (entries, entry_size, total_size, ratio, method, size_lie, dtd, damaged)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    max_entries: int
    max_entry_bytes: int
    max_total_bytes: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> ArchiveLimits:
        return cls(
            max_entries=settings.ARCHIVE_MAX_ENTRIES,
            max_entry_bytes=settings.ARCHIVE_MAX_ENTRY_BYTES,
            max_total_bytes=settings.ARCHIVE_MAX_TOTAL_BYTES,
            max_ratio=settings.ARCHIVE_MAX_RATIO,
        )


def _damaged() -> ArchiveRefused:
    return ArchiveRefused("damaged", _("The file is damaged: its zip structure cannot be read."))


def declared_entry_count(file: IO[bytes]) -> int:
    """The number of entries the archive's end record declares (zip64's when it has one),
    read from the file's tail without building the directory."""
    file.seek(0, 2)
    size = file.tell()
    tail_size = min(size, _END_RECORD_SIZE + 0xFFFF + _ZIP64_LOCATOR_SIZE)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < _END_RECORD_SIZE:
        raise _damaged()
    count = int(struct.unpack("<H", tail[at + 10 : at + 12])[0])
    locator = at - _ZIP64_LOCATOR_SIZE
    if count == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == _ZIP64_LOCATOR:
        offset = struct.unpack("<Q", tail[locator + 8 : locator + 16])[0]
        file.seek(offset)
        record = file.read(56)
        if len(record) < 56 or record[:4] != b"PK\x06\x06":
            raise _damaged()
        count = int(struct.unpack("<Q", record[32:40])[0])
    file.seek(0)
    return count


def inspect_zip(file: IO[bytes], limits: ArchiveLimits | None = None) -> zipfile.ZipFile:
    """The archive opened, once its directory is within the limits; ArchiveRefused otherwise.
    The caller closes it (a context manager)."""
    limits = limits or ArchiveLimits.from_settings()
    if declared_entry_count(file) > limits.max_entries:
        raise _too_many(limits)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _damaged() from None
    try:
        _check_directory(archive.infolist(), limits)
    except BaseException:
        archive.close()
        raise
    return archive


def _too_many(limits: ArchiveLimits) -> ArchiveRefused:
    return ArchiveRefused(
        "entries",
        _("The file holds more than %(max)s parts.") % {"max": f"{limits.max_entries:,}"},
    )


def _check_directory(entries: list[zipfile.ZipInfo], limits: ArchiveLimits) -> None:
    if len(entries) > limits.max_entries:
        raise _too_many(limits)
    total = 0
    for info in entries:
        name = excerpt(info.filename)
        if info.compress_type not in _READABLE or info.flag_bits & 0x1:
            raise ArchiveRefused(
                "method",
                _("The part “%(name)s” is encrypted or compressed in a way not accepted here.")
                % {"name": name},
            )
        if info.file_size > limits.max_entry_bytes:
            raise ArchiveRefused(
                "entry_size",
                _("The part “%(name)s” unpacks to more than %(max)s.")
                % {"name": name, "max": filesizeformat(limits.max_entry_bytes)},
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and ratio > limits.max_ratio:
            raise ArchiveRefused(
                "ratio",
                _(
                    "The part “%(name)s” unpacks to %(ratio)s times its packed size; at most "
                    "%(max)s times is accepted."
                )
                % {"name": name, "ratio": f"{ratio:,.0f}", "max": limits.max_ratio},
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ArchiveRefused(
                "total_size",
                _("The file unpacks to more than %(max)s.")
                % {"max": filesizeformat(limits.max_total_bytes)},
            )


def entry_chunks(
    archive: zipfile.ZipFile, name: str, *, limit: int | None = None
) -> Iterator[bytes]:
    """The entry's bytes in chunks of at most CHUNK, never more than `limit` of them (the
    reader stops there). zipfile's reader never yields more than the directory declares and
    checks the CRC at that size, so an entry whose data is not what the directory declares
    is refused without being unpacked further."""
    info = archive.getinfo(name)
    budget = info.file_size if limit is None else min(limit, info.file_size)
    try:
        with archive.open(info) as stream:
            while budget > 0:
                chunk = stream.read(min(CHUNK, budget))
                if not chunk:
                    return
                budget -= len(chunk)
                yield chunk
    except zipfile.BadZipFile:
        raise _size_lie(name) from None
    except (OSError, EOFError, ValueError, zlib.error):
        raise _damaged() from None


def _size_lie(name: str) -> ArchiveRefused:
    return ArchiveRefused(
        "size_lie",
        _("The part “%(name)s” does not hold what the file's directory declares.")
        % {"name": excerpt(name)},
    )


def read_entry(archive: zipfile.ZipFile, name: str, *, limit: int) -> bytes:
    """At most `limit` bytes of the entry (all of it when it is shorter)."""
    return b"".join(entry_chunks(archive, name, limit=limit))


class _RootReached(Exception):
    pass


class _StopAtRoot:
    """An ElementTree parser target that stops the parse at the root element's start tag:
    everything that may declare an entity comes before it."""

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        raise _RootReached

    def close(self) -> None:
        return None


def xml_prolog_check(archive: zipfile.ZipFile, name: str) -> None:
    """Refuses the part when its prolog declares a document type (the only place entities
    are declared) or is not XML; reads no further than its root element's start tag."""
    parser = XMLParser(target=_StopAtRoot(), forbid_dtd=True)
    try:
        for chunk in entry_chunks(archive, name, limit=XML_PROLOG_MAX_BYTES):
            parser.feed(chunk)
        parser.close()
    except _RootReached:
        return
    except DefusedXmlException:
        raise ArchiveRefused(
            "dtd",
            _("The part “%(name)s” declares a document type or entities, which are refused.")
            % {"name": excerpt(name)},
        ) from None
    except SyntaxError:  # ElementTree's ParseError
        pass
    raise ArchiveRefused(
        "damaged",
        _("The part “%(name)s” is not well-formed XML.") % {"name": excerpt(name)},
    )


def is_xml_part(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))
