"""Attachments and storage: the kind detected by content, no file left behind when the row
fails, every file checked before any is stored, late main parts in a docx, and the size
limit in readable units.

Every file here is built for real, by hand, in tests/samples.py (an XLSX comes from
openpyxl); the helpers are in tests/tracker/attachment_support.py."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import UserFactory
from tests.samples import docx_bytes, pdf_bytes, png_bytes, upload, zip_bytes
from tests.tracker import attachment_support
from tests.tracker.attachment_support import (
    EXE,
    FILES,
    assert_nothing_saved,
    media_files,
    post_progress,
    snapshot,
)
from tracker.models import Attachment, ProgressReport, Role, Task, TaskStatus, User
from tracker.services import lifecycle
from tracker.services.attachments import attachment_kind, attachments_save

pytestmark = pytest.mark.django_db


task = attachment_support.task


# --- detection at the unit level -------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FILES))
def test_attachment_kind_detects_each_allowed_kind_by_content(kind):
    name, build = FILES[kind]
    assert attachment_kind(upload(name, build())) == kind


def test_attachment_kind_reads_the_file_from_its_start_and_leaves_it_there():
    data = pdf_bytes()
    file = upload("Báo cáo.pdf", data)
    file.read(100)
    assert attachment_kind(file) == "pdf"
    assert file.read() == data


# --- a failure after a file was stored -------------------------------------------------------


def test_a_file_stored_before_the_row_fails_is_deleted_again(task, officer):
    """The report was never saved: the first attachment's file is stored, then its row
    cannot be written; the file must go too, and no row stays."""
    never_saved = ProgressReport(task=task, department=officer.department, author=officer)
    with pytest.raises(ValueError, match="unsaved related object"):
        attachments_save(
            [upload("Báo cáo.pdf", pdf_bytes()), upload("Sơ đồ.png", png_bytes())],
            actor=officer,
            progress_report=never_saved,
        )
    assert media_files() == []
    assert Attachment.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_report_the_database_refuses_at_commit_leaves_no_file(task, officer):
    """The report row is gone by the time the files are attached (deleted by someone else):
    PostgreSQL checks the foreign key only at commit, after the files were stored."""
    report = ProgressReport.objects.create(
        task=task, department=officer.department, author=officer, note="Sẽ bị xoá"
    )
    ProgressReport.objects.filter(pk=report.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        attachments_save(
            [upload("Báo cáo.pdf", pdf_bytes())], actor=officer, progress_report=report
        )
    assert media_files() == []
    assert Attachment.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_progress_report_whose_author_is_gone_leaves_no_file(task, department):
    """Through the service, as the API calls it (its transaction is the outermost one): the
    author's account was deleted while the report was being sent, so the database refuses
    the rows, and only at commit."""
    author = UserFactory(role=Role.DEPARTMENT_OFFICER, department=department, username="syt_cu")
    User.objects.filter(pk=author.pk).delete()
    with pytest.raises(IntegrityError):
        lifecycle.progress_report_create(
            task_id=task.pk,
            actor=author,
            note="Báo cáo của người đã nghỉ",
            attachments=[upload("Báo cáo.pdf", pdf_bytes()), upload("Sơ đồ.png", png_bytes())],
        )
    assert media_files() == []
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.ASSIGNED


def test_attachments_save_checks_every_file_before_storing_any(task, officer):
    report = ProgressReport.objects.create(
        task=task, department=officer.department, author=officer, note="Kiểm tra"
    )
    with pytest.raises(ValidationError) as caught:
        attachments_save(
            [upload("Báo cáo.pdf", pdf_bytes()), upload("Mã độc.png", EXE)],
            actor=officer,
            progress_report=report,
        )
    assert list(caught.value.message_dict) == ["attachments"]
    assert media_files() == []
    assert Attachment.objects.count() == 0


def test_a_docx_whose_main_part_comes_late_in_the_archive_is_accepted(task, officer):
    """Writers order a package's entries their own way (LibreOffice puts docProps, styles
    and media first): the kind is read from the archive's directory."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    filler = [(f"docProps/part{n}.xml", "<x/>" * 200) for n in range(8)]
    entries = [(info.filename, source.read(info)) for info in source.infolist()]
    late = sorted(entries, key=lambda entry: entry[0] == "word/document.xml")
    response = post_progress(officer, task, [upload("Báo cáo.docx", zip_bytes(filler + late))])
    assert response.status_code == 201, response.data


def test_a_zip_that_is_no_office_document_is_refused(task, officer):
    before = snapshot(task)
    fake = zip_bytes([("word/notes.txt", "không phải văn bản Word")])
    response = post_progress(officer, task, [upload("ke-hoach.docx", fake)])
    assert response.status_code == 400
    assert_nothing_saved(task, before)


def test_the_size_limit_is_stated_in_readable_units(settings, task, officer):
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = post_progress(officer, task, [upload("lon.pdf", pdf_bytes(padding=5000))])
    assert response.status_code == 400
    message = str(response.data["attachments"][0])
    assert "1000" in message  # “1000 bytes”, not a limit rounded down to “0 MB”
    assert "0 MB" not in message
