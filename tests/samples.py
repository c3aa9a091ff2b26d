"""Sample files for the tests, built for real, by hand: a PDF with a correct
cross-reference table, a 1×1 PNG and baseline JPEG, OOXML (DOCX) and OpenDocument
packages, and OLE compound files (v3, 512-byte sectors, a FAT and a directory) whose
WordDocument / Workbook stream starts the way Word's and Excel's do; an XLSX comes from
openpyxl. `upload` wraps bytes as an uploaded file for the API, the services and the
web forms."""

import io
import struct
import zipfile
import zlib

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(padding: int = 0) -> bytes:
    """A one-page PDF with a text line; `padding` adds a comment line of that many bytes to
    the page's content stream (a bigger file that is still a valid PDF)."""
    content = b"BT /F1 12 Tf 20 100 Td (Bao cao tien do) Tj ET\n%" + b"x" * padding + b"\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png_bytes() -> bytes:
    """A 1×1 red RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    """A 1×1 grey baseline JFIF: one Huffman code each for DC category 0 and end-of-block."""

    def segment(marker: int, data: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data

    one_code = bytes([1] + [0] * 15) + b"\x00"
    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + b"\x01" * 64)
        + segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
        + segment(0xC4, b"\x00" + one_code)
        + segment(0xC4, b"\x10" + one_code)
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"
        + b"\xff\xd9"
    )


def zip_bytes(entries: list[tuple[str, str | bytes]], *, first_stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            stored = first_stored and index == 0
            archive.writestr(
                name, data, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """The three parts Word needs to open a document."""
    package = "http://schemas.openxmlformats.org/package/2006"
    officedocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return zip_bytes(
        [
            (
                "[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<Types xmlns="{package}/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
            ),
            (
                "_rels/.rels",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<Relationships xmlns="{package}/relationships">'
                f'<Relationship Id="rId1" Type="{officedocument}/officeDocument" '
                'Target="word/document.xml"/></Relationships>',
            ),
            (
                "word/document.xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                "<w:body><w:p><w:r><w:t>Báo cáo tiến độ</w:t></w:r></w:p></w:body></w:document>",
            ),
        ]
    )


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Tiến độ thực hiện"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odf_bytes(mime: str) -> bytes:
    """An OpenDocument package: `mimetype` first and uncompressed, as the format requires."""
    return zip_bytes(
        [
            ("mimetype", mime),
            (
                "META-INF/manifest.xml",
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                'manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>',
            ),
            (
                "content.xml",
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                'office:1.0" office:version="1.2"><office:body/></office:document-content>',
            ),
        ],
        first_stored=True,
    )


END_OF_CHAIN, FREE, FAT_SECTOR, NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole_bytes(stream_name: str, stream: bytes) -> bytes:
    """An OLE compound file (version 3) with one stream in regular sectors starting at sector
    0, right after the header, where Word and Excel put their main stream: the header, the
    stream's sectors, one FAT sector and one directory sector (root entry and the stream)."""
    assert len(stream) >= 4096  # smaller streams would belong in the mini stream
    sectors = -(-len(stream) // 512)
    fat = [*range(1, sectors), END_OF_CHAIN, FAT_SECTOR, END_OF_CHAIN]
    fat += [FREE] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1 if name else 0)
            + struct.pack("<III", NO_STREAM, NO_STREAM, child)
            + b"\x00" * 36  # class id, state bits, creation and modification times
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, END_OF_CHAIN, 0)
        + entry(stream_name, 2, NO_STREAM, 0, len(stream))
        + entry("", 0, NO_STREAM, 0, 0) * 2
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        # directory sectors, FAT sectors, first directory sector, transaction, mini stream
        # cutoff, first mini FAT sector, mini FAT sectors, first DIFAT sector, DIFAT sectors
        + struct.pack("<9I", 0, 1, sectors + 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
        + struct.pack("<109I", sectors, *[FREE] * 108)
    )
    assert len(header) == 512
    return header + stream.ljust(sectors * 512, b"\x00") + struct.pack("<128I", *fat) + directory


def doc_bytes() -> bytes:
    """Word 97: the WordDocument stream opens with the FIB's wIdent 0xA5EC, nFib 0x00C1."""
    return ole_bytes("WordDocument", b"\xec\xa5\xc1\x00".ljust(4096, b"\x00"))


def xls_bytes() -> bytes:
    """Excel 97: the Workbook stream opens with a BIFF8 BOF record (workbook globals) and
    ends with EOF; INTERFACEEND records (no data) fill it to the regular-sector size."""
    bof = b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\x00" * 12
    end = b"\x0a\x00\x00\x00"
    filler = b"\xe2\x00\x00\x00" * ((4096 - len(bof) - len(end)) // 4)
    return ole_bytes("Workbook", bof + filler + end)


def upload(
    name: str, data: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    """The bytes as a file uploaded under `name`."""
    return SimpleUploadedFile(name, data, content_type=content_type)
