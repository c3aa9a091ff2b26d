"""Decompression bombs for the tests, built in a fraction of a second without ever holding
their unpacked content: a zip written by hand, whose big entries are raw deflate streams
made of one compressed block repeated (each block ends with a full flush, which resets the
compressor, so the same input compresses to the same bytes every time) or compressed on
the fly from generated pieces. The CRC and sizes are computed over the pieces.

- `xlsx_one_huge_string`: an XLSX of ~0.5 MB whose single shared string is 500 MB;
- `xlsx_many_strings`: ~1.3 MB, 30 million shared strings (declared so, too);
- `xlsx_many_rows`: 1,000,000 rows, each numbered, at a plausible compression ratio;
- `odt_huge_mimetype`: an ODT of ~0.5 MB whose `mimetype` entry unpacks to 500 MB;
- `docx_billion_laughs`: a DOCX whose document part declares the billion laughs entities.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MB = 1024 * 1024
SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"


@dataclass(frozen=True)
class Entry:
    name: str
    data: bytes  # the raw deflate stream
    crc: int
    size: int  # unpacked


def small(name: str, text: str | bytes) -> Entry:
    raw = text.encode() if isinstance(text, str) else text
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Entry(name, packer.compress(raw) + packer.flush(), zlib.crc32(raw), len(raw))


def repeated(name: str, head: bytes, piece: bytes, times: int, tail: bytes) -> Entry:
    """head + piece × times + tail, the piece compressed once."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = bytearray(packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH))
    block = packer.compress(piece) + packer.flush(zlib.Z_FULL_FLUSH)
    data += block * times
    data += packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(piece, crc)
    crc = zlib.crc32(tail, crc)
    return Entry(name, bytes(data), crc, len(head) + len(piece) * times + len(tail))


def streamed(name: str, pieces: Iterable[bytes], level: int = 6) -> Entry:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    data, crc, size = bytearray(), 0, 0
    for piece in pieces:
        data += packer.compress(piece)
        crc = zlib.crc32(piece, crc)
        size += len(piece)
    data += packer.flush()
    return Entry(name, bytes(data), crc, size)


def zip_of(entries: list[Entry]) -> bytes:
    """A zip archive of deflated entries (sizes under 4 GB: no zip64)."""
    out, directory = bytearray(), bytearray()
    for entry in entries:
        name = entry.name.encode()
        sizes = struct.pack("<III", entry.crc, len(entry.data), entry.size)
        directory += (
            struct.pack("<IHHHHHH", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21)
            + sizes
            + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, len(out))
            + name
        )
        out += struct.pack("<IHHHHH", 0x04034B50, 20, 0x800, 8, 0, 0x21) + sizes
        out += struct.pack("<HH", len(name), 0) + name + entry.data
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(out), 0
    )
    return bytes(out + directory + end)


def xlsx(sheet: Entry, strings: Entry) -> bytes:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return zip_of(
        [
            small(
                "[Content_Types].xml",
                f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PACKAGE}/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" '
                f'ContentType="{main}.worksheet+xml"/>'
                '<Override PartName="/xl/sharedStrings.xml" '
                f'ContentType="{main}.sharedStrings+xml"/></Types>',
            ),
            small(
                "_rels/.rels",
                f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}/relationships">'
                f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
                'Target="xl/workbook.xml"/></Relationships>',
            ),
            small(
                "xl/workbook.xml",
                f'<?xml version="1.0"?><workbook xmlns="{SPREADSHEET}" '
                f'xmlns:r="{RELATIONSHIPS}"><sheets>'
                '<sheet name="Tasks" sheetId="1" r:id="rId1"/></sheets></workbook>',
            ),
            small(
                "xl/_rels/workbook.xml.rels",
                f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}/relationships">'
                f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
                'Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" '
                'Target="sharedStrings.xml"/></Relationships>',
            ),
            sheet,
            strings,
        ]
    )


def sheet_of(rows: Iterable[bytes]) -> Iterator[bytes]:
    yield f'<?xml version="1.0"?><worksheet xmlns="{SPREADSHEET}"><sheetData>'.encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def one_cell_sheet() -> Entry:
    return streamed(
        "xl/worksheets/sheet1.xml", sheet_of([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])
    )


def sst_head(count: int) -> bytes:
    return (
        f'<?xml version="1.0"?><sst xmlns="{SPREADSHEET}" count="{count}" uniqueCount="{count}">'
    ).encode()


def xlsx_one_huge_string(size: int = 500 * MB) -> bytes:
    piece = b"A" * MB
    strings = repeated(
        "xl/sharedStrings.xml", sst_head(1) + b"<si><t>", piece, size // MB, b"</t></si></sst>"
    )
    return xlsx(one_cell_sheet(), strings)


def xlsx_many_strings(count: int = 30_000_000) -> bytes:
    per_piece = 65_536
    piece = b"<si><t>a</t></si>" * per_piece
    strings = repeated(
        "xl/sharedStrings.xml", sst_head(count), piece, count // per_piece, b"</sst>"
    )
    return xlsx(one_cell_sheet(), strings)


def xlsx_many_rows(count: int = 1_000_000) -> bytes:
    """A header row of the import's first column, then `count` rows naming a directive:
    numbered rows compress about as well as a real sheet does."""

    def rows() -> Iterator[bytes]:
        yield b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        for start in range(2, count + 2, 10_000):
            yield b"".join(
                b'<row r="%d"><c r="A%d" t="s"><v>1</v></c></row>' % (n, n)
                for n in range(start, min(start + 10_000, count + 2))
            )

    strings = small(
        "xl/sharedStrings.xml",
        sst_head(2).decode() + "<si><t>directive_number</t></si><si><t>12/CT-UBND</t></si></sst>",
    )
    return xlsx(streamed("xl/worksheets/sheet1.xml", sheet_of(rows()), level=1), strings)


ODT = b"application/vnd.oasis.opendocument.text"


def odt_huge_mimetype(size: int = 500 * MB) -> bytes:
    mimetype = repeated("mimetype", ODT, b" " * MB, size // MB, b"")
    manifest = small(
        "META-INF/manifest.xml",
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="{ODT.decode()}"/></manifest:manifest>',
    )
    return zip_of([mimetype, manifest])


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def docx_billion_laughs() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return zip_of(
        [
            small(
                "[Content_Types].xml",
                f'<?xml version="1.0"?><Types xmlns="{PACKAGE}/content-types">'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
            ),
            small(
                "_rels/.rels",
                f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}/relationships">'
                f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
                'Target="word/document.xml"/></Relationships>',
            ),
            small("word/document.xml", BILLION_LAUGHS),
        ]
    )
