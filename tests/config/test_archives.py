"""The zip inspector (config/common/archives.py): each limit of the directory refuses an
archive over it and lets one at it through; entries are read through a bounded reader that
refuses an entry lying about its size; XML parts are parsed with defusedxml, up to their root
element, and a document type declaration (billion laughs, XXE) is refused."""

import io
import struct
import zipfile

import openpyxl
import pytest

from config.common.archives import (
    ArchiveLimits,
    ArchiveRefused,
    declared_entry_count,
    inspect_zip,
    read_entry,
    xml_prolog_check,
)
from config.common.text import excerpt
from tests import bombs

LIMITS = ArchiveLimits(max_entries=5, max_entry_bytes=3000, max_total_bytes=5000, max_ratio=100)


def archive(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zipped:
        for name, data in entries:
            zipped.writestr(name, data)
    buffer.seek(0)
    return buffer


def refusal(file: io.BytesIO, limits: ArchiveLimits = LIMITS) -> str:
    with pytest.raises(ArchiveRefused) as caught:
        inspect_zip(file, limits).close()
    return caught.value.code


def test_an_archive_within_every_limit_is_opened():
    entries = [(f"part{n}.xml", b"x" * 1000) for n in range(5)]
    with inspect_zip(archive(entries), LIMITS) as opened:
        assert len(opened.infolist()) == 5


def test_the_entry_count_is_read_from_the_end_record_before_the_directory():
    file = archive([(f"p{n}", b"") for n in range(6)])
    assert declared_entry_count(file) == 6
    assert refusal(file) == "entries"


@pytest.mark.parametrize(
    "entries, code",
    [
        ([("big.xml", b"x" * 3001)], "entry_size"),
        ([(f"p{n}.xml", b"x" * 2000) for n in range(3)], "total_size"),
    ],
)
def test_sizes_over_the_limits_are_refused(entries, code):
    assert refusal(archive(entries)) == code


def test_the_compression_ratio_is_judged_past_the_first_megabyte(settings):
    limits = ArchiveLimits(10, 10**9, 10**9, 100)
    zeros = archive([("zeros.xml", b"\0" * (2 * 1024 * 1024))])  # ~1,000 times
    small_zeros = archive([("zeros.xml", b"\0" * (1024 * 1024))])
    assert refusal(zeros, limits) == "ratio"
    inspect_zip(small_zeros, limits).close()


def test_only_stored_and_deflated_entries_are_read():
    assert refusal(archive([("a.xml", b"x")], zipfile.ZIP_BZIP2)) == "method"
    inspect_zip(archive([("a.xml", b"x")], zipfile.ZIP_STORED), LIMITS).close()


def test_a_damaged_archive_is_refused():
    assert refusal(io.BytesIO(b"PK\x03\x04 not a zip at all")) == "damaged"


def test_a_damaged_directory_behind_a_sound_end_record_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.xml", "<a/>")
    broken = buffer.getvalue().replace(b"PK\x01\x02", b"PK\x00\x00")  # the directory's mark

    assert refusal(io.BytesIO(broken)) == "damaged"


def test_an_entry_unpacking_to_more_than_it_declares_is_refused_at_its_declared_size():
    data = bombs.zip_of([bombs.repeated("part.xml", b"<a>", b"x" * 1024, 1024, b"</a>")])
    # The directory (and the local header) now declare 2,000 bytes of the 1 MB.
    lying = data.replace(struct.pack("<I", 1024 * 1024 + 7), struct.pack("<I", 2000))
    assert lying != data
    with inspect_zip(io.BytesIO(lying), LIMITS) as opened, pytest.raises(ArchiveRefused) as caught:
        read_entry(opened, "part.xml", limit=10**9)
    assert caught.value.code == "size_lie"


def test_the_bounded_reader_stops_at_its_limit():
    with inspect_zip(archive([("a.xml", b"abcdef" * 100)]), LIMITS) as opened:
        assert read_entry(opened, "a.xml", limit=4) == b"abcd"


@pytest.mark.parametrize(
    "xml",
    [
        bombs.BILLION_LAUGHS,
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
        '<!DOCTYPE html><html lang="vi"/>',
    ],
    ids=["billion-laughs", "external-entity", "doctype"],
)
def test_a_document_type_declaration_is_refused(xml):
    file = archive([("word/document.xml", xml.encode())])
    with inspect_zip(file, LIMITS) as opened, pytest.raises(ArchiveRefused) as caught:
        xml_prolog_check(opened, "word/document.xml")
    assert caught.value.code == "dtd"


def test_a_part_is_read_up_to_its_root_element_only():
    """The rest of the part is not parsed: a part broken after its root's start tag passes
    (openpyxl or the reader of the file will judge it), one broken before does not."""
    good = '<?xml version="1.0"?><!-- made by hand --><w:document xmlns:w="urn:x"><broken'
    with inspect_zip(archive([("a.xml", good.encode()), ("b.xml", b"<<")]), LIMITS) as opened:
        xml_prolog_check(opened, "a.xml")
        with pytest.raises(ArchiveRefused) as caught:
            xml_prolog_check(opened, "b.xml")
    assert caught.value.code == "damaged"


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_an_excerpt_is_40_characters_and_an_ellipsis():
    assert excerpt("x" * 40) == "x" * 40
    assert excerpt("y" * 5000) == "y" * 40 + "…"
    assert excerpt(12345) == "12345"
