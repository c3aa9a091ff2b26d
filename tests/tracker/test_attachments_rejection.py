"""Files refused: over the size limit (settings.ATTACHMENT_MAX_BYTES), a name that lies
about the content, empty files and fields that are no file; a rejected request saves
nothing at all.

Every file here is built for real, by hand, in tests/samples.py (an XLSX comes from
openpyxl); the helpers are in tests/tracker/attachment_support.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.samples import docx_bytes, pdf_bytes, png_bytes, upload, xls_bytes, zip_bytes
from tests.tracker import attachment_support
from tests.tracker.attachment_support import (
    EXE,
    HTML,
    assert_nothing_saved,
    post_progress,
    snapshot,
)
from tracker.models import Attachment, Task, TaskStatus
from tracker.services.attachments import ALLOWED

pytestmark = pytest.mark.django_db


task = attachment_support.task


# --- refused files ---------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_saved(settings, task, officer):
    settings.ATTACHMENT_MAX_BYTES = 1000
    big = pdf_bytes(padding=2000)
    assert len(big) > 1000
    before = snapshot(task)
    response = post_progress(officer, task, [upload("Báo cáo đầy đủ.pdf", big)])
    assert response.status_code == 400
    assert list(response.data) == ["attachments"]
    assert "Báo cáo đầy đủ.pdf" in str(response.data["attachments"])
    assert_nothing_saved(task, before)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.ASSIGNED


def test_the_size_limit_itself_is_allowed(settings, task, officer):
    data = pdf_bytes(padding=500)
    settings.ATTACHMENT_MAX_BYTES = len(data) - 1
    assert post_progress(officer, task, [upload("Báo cáo.pdf", data)]).status_code == 400
    settings.ATTACHMENT_MAX_BYTES = len(data)
    assert post_progress(officer, task, [upload("Báo cáo.pdf", data)]).status_code == 201
    assert Attachment.objects.get().size == len(data)


def test_the_default_size_limit_is_20_megabytes():
    """Read in a process of its own without the variable, so the default itself is tested."""
    env = {k: v for k, v in os.environ.items() if k != "ATTACHMENT_MAX_BYTES"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.ATTACHMENT_MAX_BYTES)",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 20 * 1024 * 1024


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 40


TEXT = "Báo cáo tiến độ: đã hoàn thành 50% khối lượng.\n".encode()


@pytest.mark.parametrize(
    ("name", "data", "claimed_type"),
    [
        pytest.param("Báo cáo.pdf", EXE, "application/pdf", id="exe-as-pdf"),
        pytest.param("Biên bản.docx", ELF, ALLOWED["docx"], id="elf-as-docx"),
        pytest.param("Báo cáo.pdf", HTML, "application/pdf", id="html-as-pdf"),
        pytest.param("Ảnh.png", HTML, "image/png", id="html-as-png"),
        pytest.param(
            "Biên bản.docx",
            zip_bytes([("readme.txt", "không phải văn bản Word")]),
            ALLOWED["docx"],
            id="zip-as-docx",
        ),
        pytest.param("Ảnh.png", TEXT, "image/png", id="text-as-png"),
        pytest.param("Báo cáo.pdf", TEXT, "application/pdf", id="text-as-pdf"),
        # Allowed content under a name that says something else.
        pytest.param("Báo cáo.pdf", png_bytes(), "application/pdf", id="png-as-pdf"),
        pytest.param("Số liệu.xlsx", docx_bytes(), ALLOWED["xlsx"], id="docx-as-xlsx"),
        pytest.param("Ảnh.jpg", png_bytes(), "image/jpeg", id="png-as-jpg"),
        pytest.param("Công văn.doc", xls_bytes(), ALLOWED["doc"], id="xls-as-doc"),
        pytest.param("Báo cáo", pdf_bytes(), "application/pdf", id="pdf-without-extension"),
        pytest.param("Báo cáo.pdf.exe", pdf_bytes(), "application/pdf", id="pdf-as-exe"),
    ],
)
def test_a_file_whose_name_lies_about_its_content_is_refused(
    name, data, claimed_type, task, officer
):
    before = snapshot(task)
    response = post_progress(officer, task, [upload(name, data, claimed_type)])
    assert response.status_code == 400, response.content
    assert list(response.data) == ["attachments"]
    assert name in str(response.data["attachments"])
    assert_nothing_saved(task, before)


def test_an_empty_file_is_refused(task, officer):
    before = snapshot(task)
    response = post_progress(officer, task, [upload("Báo cáo.pdf", b"", "application/pdf")])
    assert response.status_code == 400
    assert list(response.data) == ["attachments"]
    assert_nothing_saved(task, before)


def test_a_field_that_is_not_a_file_is_refused(task, officer):
    before = snapshot(task)
    response = post_progress(officer, task, ["%PDF-1.4 không phải tệp"])
    assert response.status_code == 400
    assert list(response.data) == ["attachments"]
    assert_nothing_saved(task, before)


def test_one_bad_file_among_good_ones_saves_nothing_not_even_the_good_ones(task, officer):
    before = snapshot(task)
    files = [
        upload("Báo cáo.pdf", pdf_bytes()),
        upload("Cài đặt.pdf", EXE, "application/pdf"),
        upload("Sơ đồ.png", png_bytes()),
    ]
    response = post_progress(officer, task, files)
    assert response.status_code == 400
    errors = str(response.data["attachments"])
    assert "Cài đặt.pdf" in errors
    assert "Báo cáo.pdf" not in errors and "Sơ đồ.png" not in errors
    assert_nothing_saved(task, before)
