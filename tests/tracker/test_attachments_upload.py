"""Files attached to progress reports: each allowed kind (pdf, doc, docx, xls, xlsx, odt,
ods, jpg, png) stored through Django's storage API and served to the task's readers only
(404 for a department not on the task, 403 for a role that reads no tasks, 401 without
credentials), names and extensions, several files at once.

Every file here is built for real, by hand, in tests/samples.py (an XLSX comes from
openpyxl); the helpers are in tests/tracker/attachment_support.py."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from tests.conftest import client_for
from tests.samples import pdf_bytes, png_bytes, upload
from tests.tracker import attachment_support
from tests.tracker.attachment_support import (
    FILES,
    assert_nothing_saved,
    disposition_filename,
    download,
    download_url,
    media_files,
    post_progress,
    progress_url,
    snapshot,
)
from tracker.models import Attachment, Task, TaskStatus
from tracker.services.attachments import ALLOWED

pytestmark = pytest.mark.django_db


task = attachment_support.task


# --- allowed files ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FILES))
def test_each_allowed_kind_is_stored_and_served_to_the_task_readers_only(
    kind,
    task,
    officer,
    head,
    coordinating_officer,
    other_officer,
    office_user,
    leader_user,
    scoring_user,
):
    name, build = FILES[kind]
    data = build()
    # What the client says the type is counts for nothing: the content decides.
    response = post_progress(officer, task, [upload(name, data, "text/plain")])
    assert response.status_code == 201, response.content

    attachment = Attachment.objects.get()
    assert attachment.progress_report_id == response.data["id"]
    assert attachment.completion_report_id is None
    assert attachment.original_name == name
    assert attachment.content_type == ALLOWED[kind]
    assert attachment.size == len(data)
    assert attachment.uploaded_by == officer
    assert response.data["attachments"] == [
        {
            "id": attachment.pk,
            "name": name,
            "content_type": ALLOWED[kind],
            "size": len(data),
            "url": f"http://testserver{download_url(attachment.pk)}",
        }
    ]
    # Stored through the storage API under MEDIA_ROOT, by a generated name, not the client's.
    stored = attachment.file.name
    assert stored.startswith("attachments/") and stored.endswith(f".{kind}")
    assert name.rsplit(".", 1)[0] not in stored
    assert default_storage.exists(stored)
    assert Path(default_storage.path(stored)).is_relative_to(Path(settings.MEDIA_ROOT))
    assert media_files() == [Path(default_storage.path(stored))]
    assert Path(default_storage.path(stored)).read_bytes() == data
    # The lead's first progress report started the task.
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS

    for reader in (officer, head, coordinating_officer, office_user, leader_user, scoring_user):
        response, body = download(reader, attachment.pk)
        assert response.status_code == 200, reader.username
        assert body == data
        assert response["Content-Type"] == ALLOWED[kind]
        assert response["Content-Length"] == str(len(data))
        assert disposition_filename(response["Content-Disposition"]) == name

    response, body = download(other_officer, attachment.pk)
    assert response.status_code == 404
    assert data not in body
    assert download(None, attachment.pk)[0].status_code == 401


def test_an_unknown_attachment_is_not_found(office_user):
    assert download(office_user, 987654)[0].status_code == 404


def test_the_progress_list_links_each_file_for_those_who_may_read_the_task(
    task, officer, coordinating_officer, other_officer
):
    pdf, png = pdf_bytes(), png_bytes()
    assert post_progress(officer, task, [upload("Báo cáo.pdf", pdf)]).status_code == 201
    response = post_progress(coordinating_officer, task, [upload("Ảnh.png", png)], note="Phối hợp")
    assert response.status_code == 201, response.content

    listed = client_for(officer).get(progress_url(task))
    assert listed.status_code == 200
    reports = listed.data["results"]
    assert [[a["name"] for a in r["attachments"]] for r in reports] == [
        ["Ảnh.png"],
        ["Báo cáo.pdf"],
    ]
    for report, data in zip(reports, (png, pdf), strict=True):
        url = report["attachments"][0]["url"]
        file_response = client_for(officer).get(url)
        assert file_response.status_code == 200
        assert b"".join(file_response.streaming_content) == data
    # A department that is not on the task sees neither the list nor the files.
    assert client_for(other_officer).get(progress_url(task)).status_code == 404


def test_a_progress_report_without_files_has_none(task, officer):
    response = client_for(officer).post(progress_url(task), {"note": "Chưa có tài liệu"})
    assert response.status_code == 201, response.content
    assert response.data["attachments"] == []
    assert Attachment.objects.count() == 0 and media_files() == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("BÁO CÁO TIẾN ĐỘ.PDF", "pdf"),
        ("Ảnh chụp.JPEG", "jpg"),
        ("Ảnh chụp.jpeg", "jpg"),
        ("Sơ đồ.Png", "png"),
    ],
)
def test_the_extension_is_compared_without_regard_to_case_or_jpeg_spelling(
    name, kind, task, officer
):
    data = FILES[kind][1]()
    response = post_progress(officer, task, [upload(name, data)])
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    assert attachment.original_name == name
    assert attachment.content_type == ALLOWED[kind]
    assert attachment.file.name.endswith(f".{kind}")


def test_a_path_in_the_client_file_name_is_dropped(task, officer):
    response = post_progress(officer, task, [upload("../../etc/Báo cáo.pdf", pdf_bytes())])
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Báo cáo.pdf"
    assert media_files() == [Path(default_storage.path(attachment.file.name))]


def test_several_files_at_once(task, officer):
    files = {name: build() for name, build in FILES.values()}
    response = post_progress(officer, task, [upload(n, d) for n, d in files.items()])
    assert response.status_code == 201, response.content
    attachments = list(Attachment.objects.filter(progress_report_id=response.data["id"]))
    assert [a.original_name for a in attachments] == list(files)
    assert [a["name"] for a in response.data["attachments"]] == list(files)
    assert len(media_files()) == len(files)
    for attachment in attachments:
        response, body = download(officer, attachment.pk)
        assert response.status_code == 200 and body == files[attachment.original_name]


def test_ten_files_are_accepted_and_eleven_are_refused(task, officer):
    before = snapshot(task)
    eleven = [upload(f"Ảnh {n}.png", png_bytes()) for n in range(11)]
    response = post_progress(officer, task, eleven)
    assert response.status_code == 400
    assert "attachments" in response.data
    assert_nothing_saved(task, before)

    ten = [upload(f"Ảnh {n}.png", png_bytes()) for n in range(10)]
    response = post_progress(officer, task, ten)
    assert response.status_code == 201, response.content
    assert Attachment.objects.count() == 10 and len(media_files()) == 10
