"""A received directive's page: where it came from and its files, downloaded by whoever may
read it (the selectors' scope); in the browser (axe-core, screenshots)."""

import re
from datetime import date

import pytest
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.utils import translation
from playwright.sync_api import expect

from directives.edxml.service import directive_receive_edxml
from directives.models import Directive, HigherBody
from notifications.models import WebhookDelivery, WebhookEvent
from notifications.services.webhooks import webhook_endpoint_create
from tests.browser_harness import check_page
from tests.directives.edxml_support import Attachment, Package
from tests.directives.web.directives_support import page_text
from tests.factories import TaskFactory
from tests.samples import pdf_bytes, png_bytes
from tests.web_world import World

pytestmark = pytest.mark.django_db


def received_directive(world: World) -> Directive:
    """A Prime Minister's directive received by edXML with two files; SYT leads its task."""
    scan = Attachment(name="Phụ lục kèm theo.png", content_type="image/png", content=png_bytes())
    package = Package(attachments=[Attachment(), scan]).xml()
    directive = directive_receive_edxml(actor=world.office, package=package).directive
    TaskFactory(
        directive=directive,
        title="Giải ngân vốn đầu tư công ngành y tế",
        lead_department=world.syt,
        assigned_on=date(2026, 3, 3),
        deadline=date(2026, 6, 30),
    )
    return directive


def received_block(html: str) -> str:
    start = html.index('aria-labelledby="directive-received"')
    return html[start : html.index("</section>", start)]


def test_the_page_shows_where_the_directive_came_from_and_its_files(
    world: World, signed_in
) -> None:
    directive = received_directive(world)
    pdf, scan = directive.files.order_by("id")
    response = signed_in(world.syt_officer).get(f"/directives/{directive.pk}/")
    assert response.status_code == 200
    block = received_block(page_text(response))
    # The officials' language: the labels are Vietnamese, as are the kind and the sizes.
    with translation.override("vi"):
        higher = f"{HigherBody.OTHER.label}: Văn phòng Chính phủ"
        sizes = [filesizeformat(pdf.size), filesizeformat(scan.size)]
    assert re.findall(r"<dd>(.*?)</dd>", block) == [
        "Văn phòng Chính phủ",  # the issuing body
        higher,
        "12/CT-TTg",  # its number
        "30/06/2026",  # its deadline
        "30/06/2026",  # the tasks' default deadline
        '<small class="muted">000.00.00.G01,2026/03/02,12/CT-TTg</small>',
    ]
    links = re.findall(r'<a href="([^"]+)" download>([^<]+)</a> <span[^>]*>\(([^)]+)\)', block)
    assert links == [
        (f"/directives/{directive.pk}/files/{pdf.pk}/", pdf.name, sizes[0]),
        (f"/directives/{directive.pk}/files/{scan.pk}/", scan.name, sizes[1]),
    ]


def test_a_directive_not_received_shows_no_received_block(world: World, signed_in) -> None:
    response = signed_in(world.office).get(f"/directives/{world.within.directive_id}/")
    assert response.status_code == 200
    assert "directive-received" not in page_text(response)


def test_a_file_is_downloaded_from_the_page_in_scope_only(world: World, signed_in) -> None:
    directive = received_directive(world)
    pdf = directive.files.order_by("id").first()
    assert pdf is not None
    url = f"/directives/{directive.pk}/files/{pdf.pk}/"
    response = signed_in(world.syt_officer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # STC has no task in it; another directive's address does not reach this file.
    assert signed_in(world.stc_officer).get(url).status_code == 404
    other = f"/directives/{world.within.directive_id}/files/{pdf.pk}/"
    assert signed_in(world.office).get(other).status_code == 404
    # Signed out: to the sign-in page.
    assert Client().get(url).status_code == 302


def test_a_received_directive_in_the_browser(live_world: World, open_page) -> None:
    directive = received_directive(live_world)
    page = open_page(live_world.syt_officer)
    assert page.goto(f"/directives/{directive.pk}/").status == 200
    block = page.locator("section[aria-labelledby=directive-received]")
    expect(block).to_contain_text("Văn phòng Chính phủ")
    files = block.get_by_role("list", name=re.compile(".+"))
    expect(files.get_by_role("link")).to_have_count(2)
    check_page(page, "directive-received")
    with page.expect_download() as waiting:
        files.get_by_role("link", name="Chỉ thị 12-CT-TTg.pdf").click()
    download = waiting.value
    assert download.suggested_filename == "Chỉ thị 12-CT-TTg.pdf"
    with open(download.path(), "rb") as saved:
        assert saved.read() == pdf_bytes()


def test_the_office_reports_the_status_from_the_page(world: World, signed_in, settings) -> None:
    """The office's button records the status package for the document exchange's endpoint
    (the API's service); without an endpoint the page says what to register; others see no
    button and may not post."""
    directive = received_directive(world)
    url = f"/directives/{directive.pk}/status-report/"
    office = signed_in(world.office)
    assert "status-report" in page_text(office.get(f"/directives/{directive.pk}/"))
    assert "status-report" not in page_text(
        signed_in(world.syt_officer).get(f"/directives/{directive.pk}/")
    )

    refused = office.post(url, follow=True)
    assert "Chưa có điểm nhận webhook nào nhận gói tin trạng thái" in page_text(refused)
    assert not WebhookDelivery.objects.exists()

    settings.WEBHOOK_ALLOW_HTTP = True
    webhook_endpoint_create(
        data={
            "name": "Trục liên thông văn bản",
            "url": "http://127.0.0.1:9/edxml",
            "event_types": [WebhookEvent.DIRECTIVE_STATUS],
            "allow_private_network": True,
        }
    )
    sent = office.post(url, follow=True)
    assert sent.redirect_chain == [(f"/directives/{directive.pk}/", 302)]
    assert "Đang gửi tình trạng của văn bản 12/CT-TTg" in page_text(sent)
    assert WebhookDelivery.objects.get().event == WebhookEvent.DIRECTIVE_STATUS
    assert signed_in(world.syt_officer).post(url).status_code == 403
