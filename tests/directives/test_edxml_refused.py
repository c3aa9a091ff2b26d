"""Bad edXML packages: each a 400 naming what is wrong, and nothing saved (no directive, no
file row, no file); the XML bombs refused fast without being expanded."""

import base64
import datetime as dt
import time
import tracemalloc
from collections.abc import Callable

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from directives.edxml.reading import EdxmlStatus, Organ, ResponseFor, StaffInfo
from directives.edxml.writing import status_write
from tests.directives.edxml_support import Attachment, Package, counts, post
from tests.samples import pdf_bytes
from tracker.models import User

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
 <edXML:edXMLHeader><edXML:MessageHeader><edXML:Subject>&lol9;</edXML:Subject>
 </edXML:MessageHeader></edXML:edXMLHeader>
</edXML:edXMLEnvelope>
"""


def _with_doctype(package: bytes, doctype: bytes, entity: bytes) -> bytes:
    """The package with a document type declared after its XML declaration and the
    entity used in its subject."""
    declaration, rest = package.split(b"?>", 1)
    subject = "Về việc đẩy mạnh".encode()
    return declaration + b"?>\n" + doctype + rest.replace(subject, entity, 1)


EXTERNAL_ENTITY = _with_doctype(
    Package().xml(),
    b'<!DOCTYPE edXML [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
    b"&secret;",
)

M = "MessageHeader"
BAD = {
    "not XML": (b"%PDF-1.4 this is no XML", "package", "well-formed"),
    "broken XML": (Package().xml()[:-40], "package", "well-formed"),
    "empty element tree": (b"<?xml version='1.0'?><!-- nothing -->", "package", ""),
    "wrong namespace": (
        Package(namespace="http://www.e-doc.vn/Schema/").xml(),
        "package",
        "namespace",
    ),
    "no envelope": (
        b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><Other/></edXML>',
        "edXMLEnvelope",
        "",
    ),
    "missing CodeNumber": (Package(omit=("Code/CodeNumber",)).xml(), f"{M}/Code/CodeNumber", ""),
    "missing Subject": (Package(omit=("Subject",)).xml(), f"{M}/Subject", "required"),
    "empty Subject": (Package(subject="   ").xml(), f"{M}/Subject", "required"),
    "missing DocumentId": (Package(omit=("DocumentId",)).xml(), f"{M}/DocumentId", ""),
    "missing signer": (Package(omit=("SignerInfo",)).xml(), f"{M}/SignerInfo/FullName", ""),
    "no document type": (Package(omit=("DocumentType",)).xml(), f"{M}/DocumentType", ""),
    "unknown document type": (
        Package(type_code="99", type_name="Nghị quyết").xml(),
        f"{M}/DocumentType",
        "Nghị quyết",
    ),
    "bad date": (
        Package(promulgation_date="2026/02/30").xml(),
        f"{M}/PromulgationInfo/PromulgationDate",
        "2026/02/30",
    ),
    "date out of range": (Package(due_date="1900/01/01").xml(), f"{M}/DueDate", "between"),
    "subject too long": (Package(subject="Nội dung " * 60).xml(), f"{M}/Subject", "500"),
    "number too long": (Package(code_notation="X" * 70).xml(), f"{M}/Code", "64"),
    "external entity": (EXTERNAL_ENTITY, "package", "document type"),
    "billion laughs": (BILLION_LAUGHS, "package", "document type"),
    "bad base64": (
        Package(attachments=[Attachment(encoded="JVBERi0x!!!not base64")]).xml(),
        "AttachmentEncoded/Attachment[1]",
        "Chỉ thị 12-CT-TTg.pdf",
    ),
    "exe said to be a PDF": (
        Package(attachments=[Attachment(content=b"MZ\x90\x00\x03" + b"\x00" * 200)]).xml(),
        "AttachmentEncoded",
        "Chỉ thị 12-CT-TTg.pdf",
    ),
    "garbage said to be a PDF": (
        Package(attachments=[Attachment(content=b"just some text, no PDF")]).xml(),
        "AttachmentEncoded",
        "Chỉ thị 12-CT-TTg.pdf",
    ),
    "a PDF named as a Word file": (
        Package(attachments=[Attachment(name="Chỉ thị.docx")]).xml(),
        "AttachmentEncoded",
        "Chỉ thị.docx",
    ),
    "a status package": (
        status_write(
            EdxmlStatus(
                sender=Organ("000.00.00.H00", "Ủy ban nhân dân tỉnh"),
                response_for=ResponseFor("G01", "12/CT-TTg", dt.date(2026, 3, 2), "G01,12"),
                status_code="06",
                description="Đã hoàn thành 1/1 nhiệm vụ.",
                timestamp=dt.datetime(2026, 6, 1, 9, 0),
                staff=StaffInfo("Văn phòng", "Trần Thị Bình"),
            )
        ),
        "edXMLHeader",
        "status package",
    ),
    "an empty status package": (
        b'<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">'
        b"<edXML:edXMLHeader><edXML:Status/></edXML:edXMLHeader></edXML:edXMLEnvelope>",
        "Status/ResponseFor/DocumentId",
        "required",
    ),
}


@pytest.mark.parametrize(("body", "path", "says"), BAD.values(), ids=BAD.keys())
def test_a_bad_package_is_refused_naming_what_is_wrong(
    api: Callable[..., APIClient], office_user: User, body: bytes, path: str, says: str
) -> None:
    response = post(api(office_user), body)
    assert response.status_code == 400, response.data
    assert path in response.data, response.data
    assert says in " ".join(response.data[path])
    assert counts() == (0, 0, 0)


def test_every_missing_element_is_named_at_once(
    api: Callable[..., APIClient], office_user: User
) -> None:
    package = Package(omit=("Subject", "Code/CodeNumber", "DocumentId"), due_date="30/06/2026")
    response = post(api(office_user), package.xml())
    assert response.status_code == 400
    assert set(response.data) == {
        f"{M}/Subject",
        f"{M}/Code/CodeNumber",
        f"{M}/DocumentId",
        f"{M}/DueDate",
    }


def test_an_external_entity_is_never_read(api: Callable[..., APIClient], office_user: User) -> None:
    response = post(api(office_user), EXTERNAL_ENTITY)
    assert response.status_code == 400
    assert "root:" not in str(response.data)


def test_a_billion_laughs_is_refused_fast_with_flat_memory(office_user: User) -> None:
    from directives.edxml.reading import EdxmlInvalid, edxml_read

    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(EdxmlInvalid) as refused:
        edxml_read(BILLION_LAUGHS)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "package" in refused.value.message_dict
    assert elapsed < 1.0
    assert peak < 2 * 1024 * 1024  # expanded, lol9 alone is 3 GB


def test_a_billion_laughs_through_the_api_in_under_a_second(
    api: Callable[..., APIClient], office_user: User
) -> None:
    client = api(office_user)
    started = time.perf_counter()
    response = post(client, BILLION_LAUGHS)
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 400


@override_settings(ATTACHMENT_MAX_BYTES=4096)
def test_an_oversized_attachment_is_refused_by_name(
    api: Callable[..., APIClient], office_user: User
) -> None:
    package = Package(
        attachments=[Attachment(), Attachment(name="Lớn.pdf", content=pdf_bytes(padding=8000))]
    )
    response = post(api(office_user), package.xml())
    assert response.status_code == 400
    assert "Lớn.pdf" in " ".join(response.data["AttachmentEncoded"])
    assert counts() == (0, 0, 0)


@override_settings(EDXML_MAX_BYTES=10_000)
def test_an_oversized_package_is_refused_before_it_is_read(
    api: Callable[..., APIClient], office_user: User
) -> None:
    package = Package(attachments=[Attachment(content=pdf_bytes(padding=20_000))]).xml()
    assert len(package) > 10_000
    response = post(api(office_user), package)
    assert response.status_code == 400
    assert "larger than" in str(response.data)
    assert counts() == (0, 0, 0)


def test_a_body_that_is_not_xml_by_its_type(
    api: Callable[..., APIClient], office_user: User
) -> None:
    client = api(office_user)
    as_json = client.post("/api/v1/directives/edxml/", {"xml": "x"}, format="json")
    assert as_json.status_code == 415
    empty = post(client, b"")
    assert empty.status_code == 400
    assert counts() == (0, 0, 0)


def test_base64_of_nothing_is_an_empty_attachment(
    api: Callable[..., APIClient], office_user: User
) -> None:
    package = Package(attachments=[Attachment(encoded=base64.b64encode(b"").decode())])
    response = post(api(office_user), package.xml())
    assert response.status_code == 400
    assert "AttachmentEncoded/Attachment[1]" in response.data


def test_the_header_and_the_files_are_named_together(
    api: Callable[..., APIClient], office_user: User
) -> None:
    package = Package(
        type_name="Nghị quyết", type_code="99", attachments=[Attachment(content=b"not a pdf")]
    )
    response = post(api(office_user), package.xml())
    assert response.status_code == 400
    assert set(response.data) == {f"{M}/DocumentType", "AttachmentEncoded"}
    assert counts() == (0, 0, 0)
