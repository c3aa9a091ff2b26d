"""A directive's files over the API: downloaded as received, by whoever may read the
directive (the selectors' scope), listed with their URL in the directive's answer, never
downloaded by the integration account."""

import hashlib
from collections.abc import Callable
from urllib.parse import quote

import pytest
from rest_framework.test import APIClient

from directives.edxml.service import directive_receive_edxml
from directives.models import Directive, DirectiveFile
from tests.directives.edxml_support import Attachment, Package
from tests.factories import TaskFactory, UserFactory
from tests.samples import pdf_bytes, png_bytes
from tracker.models import Department, Role, User

pytestmark = pytest.mark.django_db

SCAN = Attachment(name="Phụ lục 1.png", content_type="image/png", content=png_bytes())


def file_url(directive_id: int, file_id: int) -> str:
    return f"/api/v1/directives/{directive_id}/files/{file_id}/"


def received(office_user: User, **values: object) -> Directive:
    package = Package(attachments=[Attachment(), SCAN], **values)  # type: ignore[arg-type]
    return directive_receive_edxml(actor=office_user, package=package.xml()).directive


def download(client: APIClient, url: str) -> tuple[int, bytes, dict[str, str]]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, body, dict(response.headers)


def test_a_file_is_downloaded_as_it_was_received(
    api: Callable[..., APIClient], office_user: User
) -> None:
    directive = received(office_user)
    pdf, scan = directive.files.order_by("id")
    code, body, headers = download(api(office_user), file_url(directive.pk, pdf.pk))
    assert code == 200
    assert body == pdf_bytes()
    assert hashlib.sha256(body).hexdigest() == pdf.sha256
    assert headers["Content-Type"] == "application/pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    # As an attachment under its own name (not ASCII: RFC 5987's filename*).
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(pdf.name)}" in disposition
    code, body, headers = download(api(office_user), file_url(directive.pk, scan.pk))
    assert (code, body, headers["Content-Type"]) == (200, png_bytes(), "image/png")


def test_the_directive_answer_gives_each_file_its_url(
    api: Callable[..., APIClient], office_user: User
) -> None:
    directive = received(office_user)
    client = api(office_user)
    answer = client.get(f"/api/v1/directives/{directive.pk}/").data
    urls = [f["url"] for f in answer["files"]]
    assert urls == [
        f"http://testserver{file_url(directive.pk, f.pk)}" for f in directive.files.order_by("id")
    ]
    # The URL is the download itself.
    code, body, _headers = download(client, urls[0].removeprefix("http://testserver"))
    assert (code, body) == (200, pdf_bytes())


def test_a_department_reads_the_files_of_a_directive_it_has_a_task_in(
    api: Callable[..., APIClient],
    office_user: User,
    officer: User,
    other_officer: User,
    department: Department,
) -> None:
    directive = received(office_user)
    TaskFactory(directive=directive, lead_department=department)
    pdf = directive.files.order_by("id").first()
    assert pdf is not None
    url = file_url(directive.pk, pdf.pk)
    assert download(api(officer), url)[:2] == (200, pdf_bytes())
    # A department with no task in it does not know the directive exists.
    code, body, _headers = download(api(other_officer), url)
    assert (code, body) == (404, b"")


def test_a_file_of_another_directive_is_not_found(
    api: Callable[..., APIClient], office_user: User
) -> None:
    first = received(office_user)
    second = received(
        office_user,
        document_id="000.00.00.G01,2026/03/09,15/CT-TTg",
        code_number="15",
        subject="Về việc phòng, chống thiên tai",
    )
    others = second.files.order_by("id").first()
    assert others is not None
    client = api(office_user)
    assert client.get(file_url(first.pk, others.pk)).status_code == 404
    assert client.get(file_url(second.pk, others.pk)).status_code == 200
    missing = DirectiveFile.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    assert client.get(file_url(first.pk, missing)).status_code == 404
    assert client.get(file_url(first.pk + second.pk, others.pk)).status_code == 404


def test_the_integration_account_downloads_no_file(
    api: Callable[..., APIClient], office_user: User
) -> None:
    integration = UserFactory(role=Role.INTEGRATION, username="exchange")
    # Even a directive it delivered itself: it reads only the status package.
    package = Package(attachments=[Attachment()]).xml()
    directive = directive_receive_edxml(actor=integration, package=package).directive
    pdf = directive.files.get()
    response = api(integration).get(file_url(directive.pk, pdf.pk))
    assert response.status_code == 403
    assert download(api(office_user), file_url(directive.pk, pdf.pk))[0] == 200
