"""A directive received as an edXML package: created once with its files, the same package
or the same document again creating nothing."""

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from directives.edxml.mapping import document_types
from directives.edxml.service import directive_receive_edxml
from directives.models import Directive, DirectiveKind, HigherBody
from tests.directives.edxml_support import Attachment, Package, counts, media_files, post
from tests.samples import pdf_bytes, png_bytes
from tracker.models import User

pytestmark = pytest.mark.django_db


def test_a_package_creates_the_directive_with_its_files(
    api: Callable[..., APIClient], office_user: User
) -> None:
    scan = Attachment(name="Phụ lục.png", content_type="image/png", content=png_bytes())
    response = post(api(office_user), Package(attachments=[Attachment(), scan]).xml())
    assert response.status_code == 201, response.data
    body = response.data
    assert body["note"] == ""
    directive = Directive.objects.get(pk=body["id"])
    assert (directive.number, directive.kind) == ("12/CT-TTg", DirectiveKind.CHI_THI)
    assert directive.title == "Về việc đẩy mạnh giải ngân vốn đầu tư công năm 2026"
    assert directive.summary.startswith("Thủ tướng Chính phủ yêu cầu")
    assert directive.issued_on == dt.date(2026, 3, 2)
    assert directive.signer == "Phạm Minh Chính"
    assert directive.default_deadline == dt.date(2026, 6, 30)
    assert directive.issuing_body == "Văn phòng Chính phủ"
    assert directive.external_id == "000.00.00.G01,2026/03/02,12/CT-TTg"
    assert directive.created_by == office_user
    # Its sender is the body it reports back to.
    assert directive.higher_body == HigherBody.OTHER
    assert directive.higher_body_name == "Văn phòng Chính phủ"
    assert directive.higher_organ_id == "000.00.00.G01"
    assert directive.higher_number == "12/CT-TTg"
    assert directive.higher_deadline == dt.date(2026, 6, 30)
    files = list(directive.files.all())
    assert [(f.name, f.content_type) for f in files] == [
        ("Chỉ thị 12-CT-TTg.pdf", "application/pdf"),
        ("Phụ lục.png", "image/png"),
    ]
    pdf = files[0]
    with pdf.file.open("rb") as stored:
        assert stored.read() == pdf_bytes()
    assert pdf.size == len(pdf_bytes())
    assert pdf.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
    assert [f["name"] for f in body["files"]] == ["Chỉ thị 12-CT-TTg.pdf", "Phụ lục.png"]
    assert body["higher_organ_id"] == "000.00.00.G01"
    assert counts() == (1, 2, 2)


def test_the_same_package_again_creates_nothing(
    api: Callable[..., APIClient], office_user: User
) -> None:
    client = api(office_user)
    first = post(client, Package().xml())
    assert first.status_code == 201
    before = counts()
    again = post(client, Package().xml(), content_type="text/xml")
    assert again.status_code == 200, again.data
    assert again.data["id"] == first.data["id"]
    assert "already received" in again.data["note"]
    assert counts() == before == (1, 1, 1)


def test_the_same_number_in_the_same_year_under_another_id_creates_nothing(
    api: Callable[..., APIClient], office_user: User
) -> None:
    client = api(office_user)
    first = post(client, Package().xml())
    other = post(client, Package(document_id="another-exchange-id", subject="Bản gửi lại").xml())
    assert other.status_code == 200, other.data
    assert other.data["id"] == first.data["id"]
    assert "under another DocumentId" in other.data["note"]
    assert Directive.objects.get().external_id == "000.00.00.G01,2026/03/02,12/CT-TTg"
    assert counts() == (1, 1, 1)


def test_the_same_number_in_another_year_is_another_directive(
    api: Callable[..., APIClient], office_user: User
) -> None:
    client = api(office_user)
    assert post(client, Package().xml()).status_code == 201
    next_year = Package(document_id="G01,2027/01/05,12/CT-TTg", promulgation_date="2027/01/05")
    assert post(client, next_year.xml()).status_code == 201
    assert Directive.objects.count() == 2


def test_a_package_without_attachments_and_iso_dates(
    api: Callable[..., APIClient], office_user: User
) -> None:
    package = Package(attachments=[], promulgation_date="2026-03-02", omit=("DueDate",))
    response = post(api(office_user), package.xml())
    assert response.status_code == 201, response.data
    directive = Directive.objects.get()
    assert directive.issued_on == dt.date(2026, 3, 2)
    assert directive.default_deadline is None
    assert response.data["files"] == []
    assert media_files() == []


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("18", "", DirectiveKind.CONG_VAN),
        ("", "CÔNG VĂN", DirectiveKind.CONG_VAN),
        ("", "quyet dinh", DirectiveKind.QUYET_DINH),
        ("", "Kế hoạch", DirectiveKind.KE_HOACH),
        ("", "Thông báo kết luận", DirectiveKind.THONG_BAO_KET_LUAN),
    ],
)
def test_the_document_type_by_its_name_or_code(
    office_user: User, code: str, name: str, kind: str
) -> None:
    package = Package(type_code=code, type_name=name).xml()
    receipt = directive_receive_edxml(actor=office_user, package=package)
    assert receipt.created
    assert receipt.directive.kind == kind


def test_the_document_types_file_names_only_known_kinds() -> None:
    names, codes = document_types()
    assert set(names.values()) | set(codes.values()) <= set(DirectiveKind.values)
    assert names["chi thi"] == DirectiveKind.CHI_THI


def test_the_office_marks_the_higher_body_through_the_api(
    api: Callable[..., APIClient], office_user: User
) -> None:
    client = api(office_user)
    pk = post(client, Package().xml()).data["id"]
    response = client.patch(
        f"/api/v1/directives/{pk}/",
        {"higher_body": "prime_minister", "higher_body_name": "Thủ tướng Chính phủ"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["higher_body"] == "prime_minister"
    assert Directive.objects.get().higher_body == HigherBody.PRIME_MINISTER
    refused = client.patch(f"/api/v1/directives/{pk}/", {"higher_body": "king"}, format="json")
    assert refused.status_code == 400
    assert set(refused.data) == {"higher_body"}


def test_an_external_id_names_one_directive(
    api: Callable[..., APIClient], office_user: User
) -> None:
    client = api(office_user)
    post(client, Package().xml())
    other = client.post(
        "/api/v1/directives/",
        {
            "number": "5/KH-UBND",
            "kind": "ke_hoach",
            "title": "Kế hoạch",
            "issued_on": "2026-03-05",
            "signer": "Nguyễn Văn An",
            "external_id": "000.00.00.G01,2026/03/02,12/CT-TTg",
        },
        format="json",
    )
    assert other.status_code == 400
    assert set(other.data) == {"external_id"}
    created = client.post(
        "/api/v1/directives/",
        {
            "number": "5/KH-UBND",
            "kind": "ke_hoach",
            "title": "Kế hoạch",
            "issued_on": "2026-03-05",
            "signer": "Nguyễn Văn An",
        },
        format="json",
    )
    assert created.status_code == 201
    assert created.data["external_id"] == ""
    patched = client.patch(
        f"/api/v1/directives/{created.data['id']}/",
        {"external_id": "000.00.00.G01,2026/03/02,12/CT-TTg"},
        format="json",
    )
    assert patched.status_code == 400
    assert set(patched.data) == {"external_id"}


def test_a_large_attachment_is_received_whole(
    api: Callable[..., APIClient], office_user: User
) -> None:
    """Base64 text over libxml2's 10 MB per text node, and a body over Django's in-memory
    request limit: both taken, up to the attachments' own limit (20 MB)."""
    large = pdf_bytes(padding=15 * 1024 * 1024)
    response = post(api(office_user), Package(attachments=[Attachment(content=large)]).xml())
    assert response.status_code == 201, response.data
    stored = Directive.objects.get().files.get()
    assert stored.size == len(large)
    assert stored.sha256 == hashlib.sha256(large).hexdigest()
