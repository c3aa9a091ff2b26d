"""The office's import page: the columns described, the samples offered, a file imported
(the sample) or refused with every error listed, the API's capped upload handler."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from directives.imports.uploads import CappedTemporaryFileUploadHandler
from directives.models import Directive
from tests.directives.web.directives_support import (
    HTMX,
    SAMPLES,
    add_sample_departments,
    broken_csv,
    page_text,
)
from tests.web_world import World
from tracker.models import Task

pytestmark = pytest.mark.django_db


# --- import ---------------------------------------------------------------------------------


@pytest.fixture
def sample_departments(world: World) -> None:
    add_sample_departments()


def test_the_import_page_describes_the_columns_and_offers_the_samples(world: World, signed_in):
    text = page_text(signed_in(world.office).get("/import/"))
    for column in ("directive_number", "lead_department_code", "completed_on"):
        assert f"<code>{column}</code>" in text
    assert 'accept=".csv,.xlsx"' in text and 'enctype="multipart/form-data"' in text
    assert 'hx-encoding="multipart/form-data"' in text
    assert 'data-upload-progress="import-progress"' in text
    assert '<progress id="import-progress" hidden' in text
    assert 'href="/import/samples/tasks.csv"' in text
    assert 'href="/import/samples/tasks.xlsx"' in text


def test_the_samples_download(world: World, signed_in):
    client = signed_in(world.office)
    for name in ("tasks.csv", "tasks.xlsx"):
        response = client.get(f"/import/samples/{name}")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == (SAMPLES / name).read_bytes()
        assert "attachment" in response["Content-Disposition"]
    assert client.get("/import/samples/..%2Fmodels.py").status_code == 404
    assert client.get("/import/samples/other.csv").status_code == 404


def test_importing_the_sample_csv(world: World, signed_in, sample_departments):
    client = signed_in(world.office)
    with (SAMPLES / "tasks.csv").open("rb") as file:
        response = client.post("/import/", {"file": file})
    assert response.status_code == 302 and response["Location"] == "/directives/"
    [message] = get_messages(response.wsgi_request)
    assert "16" in str(message) and "3" in str(message)
    assert Directive.objects.filter(number__in=["45/TB-UBND", "03/CT-UBND"]).count() == 2
    assert Task.objects.filter(directive__number="1789/KH-UBND").count() == 5


def test_importing_with_htmx_answers_the_result(world: World, signed_in, sample_departments):
    client = signed_in(world.office)
    with (SAMPLES / "tasks.xlsx").open("rb") as file:
        response = client.post("/import/", {"file": file}, **HTMX)
    text = page_text(response)
    assert response.status_code == 200 and "<html" not in text
    assert re.search(r"<dd>16</dd>", text) and re.search(r"<dd>3</dd>", text)
    assert 'href="/directives/"' in text


@pytest.mark.parametrize("htmx", [False, True])
def test_a_rejected_file_lists_every_error_and_imports_nothing(
    world: World, signed_in, sample_departments, htmx: bool, tmp_path
):
    path = tmp_path / "hong.csv"
    path.write_bytes(broken_csv())
    before = (Directive.objects.count(), Task.objects.count())
    with path.open("rb") as file:
        response = signed_in(world.office).post(
            "/import/", {"file": file}, **(HTMX if htmx else {})
        )
    text = page_text(response)
    assert response.status_code == 400
    assert (Directive.objects.count(), Task.objects.count()) == before
    assert "Không có dữ liệu nào được nhập" in text
    assert ("<html" in text) is not htmx
    cells = re.findall(
        r'<td data-label="Dòng" class="number">(\d+)</td>\s*'
        r'<td data-label="Cột"><code>(\w+)</code>',
        text,
    )
    assert ("2", "lead_department_code") in cells
    assert ("3", "deadline") in cells
    assert ("4", "status") in cells
    assert "KHONGCO" in text


def test_a_missing_file_is_said_beside_the_field(world: World, signed_in):
    response = signed_in(world.office).post("/import/", {})
    text = page_text(response)
    assert response.status_code == 400
    assert 'id="id_file_error"' in text


def test_the_web_import_uses_the_capped_upload_handler(world: World, signed_in, monkeypatch):
    """The page receives the file as the API does: a file over the limit is only counted
    (the capped handler), then refused by its size."""
    monkeypatch.setattr(settings, "IMPORT_MAX_BYTES", 1000)
    upload = SimpleUploadedFile("lon.csv", b"x" * 5000)
    response = signed_in(world.office).post("/import/", {"file": upload}, **HTMX)
    assert response.status_code == 400
    assert "Tệp lớn hơn giới hạn" in page_text(response)
    handlers = response.wsgi_request.upload_handlers
    assert any(isinstance(h, CappedTemporaryFileUploadHandler) for h in handlers)
