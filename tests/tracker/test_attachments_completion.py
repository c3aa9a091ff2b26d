"""Files attached to completion reports: carried by the report, and a bad one saves
nothing.

Every file here is built for real, by hand, in tests/samples.py (an XLSX comes from
openpyxl); the helpers are in tests/tracker/attachment_support.py."""

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tests.samples import pdf_bytes, upload, xlsx_bytes
from tests.tracker import attachment_support
from tests.tracker.attachment_support import (
    HTML,
    assert_nothing_saved,
    disposition_filename,
    download,
    download_url,
    media_files,
    snapshot,
)
from tracker.models import CompletionReport, Task, TaskStatus
from tracker.services.attachments import ALLOWED

pytestmark = pytest.mark.django_db


task = attachment_support.task


# --- completion reports ----------------------------------------------------------------------


def completion_url(task: Task) -> str:
    return f"/api/v1/tasks/{task.pk}/report-completion/"


def test_a_completion_report_carries_its_files(
    task, officer, coordinating_officer, other_officer, office_user
):
    pdf, xlsx = pdf_bytes(), xlsx_bytes()
    response = client_for(officer).post(
        completion_url(task),
        {
            "completed_on": timezone.localdate().isoformat(),
            "result": "Đã hoàn thành toàn bộ khối lượng",
            "attachments": [upload("Báo cáo kết quả.pdf", pdf), upload("Số liệu.xlsx", xlsx)],
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.data["status"] == TaskStatus.AWAITING_ACCEPTANCE

    report = CompletionReport.objects.get(task=task)
    attachments = list(report.attachments.all())
    assert [(a.original_name, a.content_type, a.size) for a in attachments] == [
        ("Báo cáo kết quả.pdf", ALLOWED["pdf"], len(pdf)),
        ("Số liệu.xlsx", ALLOWED["xlsx"], len(xlsx)),
    ]
    assert all(a.progress_report_id is None for a in attachments)
    assert len(media_files()) == 2

    listed = client_for(office_user).get(f"/api/v1/tasks/{task.pk}/completion-reports/")
    assert listed.status_code == 200
    [entry] = listed.data["results"]
    assert entry["id"] == report.pk
    assert [(a["id"], a["name"], a["url"]) for a in entry["attachments"]] == [
        (a.pk, a.original_name, f"http://testserver{download_url(a.pk)}") for a in attachments
    ]
    for reader in (officer, coordinating_officer, office_user):
        response, body = download(reader, attachments[0].pk)
        assert response.status_code == 200 and body == pdf
        assert disposition_filename(response["Content-Disposition"]) == "Báo cáo kết quả.pdf"
    assert download(other_officer, attachments[0].pk)[0].status_code == 404


def test_a_completion_report_with_a_bad_file_saves_nothing(task, officer):
    before = snapshot(task)
    response = client_for(officer).post(
        completion_url(task),
        {
            "completed_on": timezone.localdate().isoformat(),
            "result": "Đã hoàn thành",
            "attachments": [upload("Báo cáo.pdf", pdf_bytes()), upload("Kết quả.docx", HTML)],
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert list(response.data) == ["attachments"]
    assert_nothing_saved(task, before)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.ASSIGNED
