"""What the attachment tests share (test_attachments_*.py): the sample file of each kind,
the URLs, posting a progress report, downloading, and checking that nothing was saved."""

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.forms.models import model_to_dict

from tests.conftest import client_for
from tests.factories import TaskFactory
from tests.samples import (
    doc_bytes,
    docx_bytes,
    jpeg_bytes,
    odf_bytes,
    pdf_bytes,
    png_bytes,
    xls_bytes,
    xlsx_bytes,
)
from tracker.models import (
    Attachment,
    CompletionReport,
    Department,
    ProgressReport,
    Task,
    TaskHistory,
    User,
)
from tracker.services.attachments import ALLOWED

# --- real files (built in tests/samples.py) ----------------------------------------------

# kind → (a Vietnamese file name, its content)
FILES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "pdf": ("Báo cáo tiến độ.pdf", pdf_bytes),
    "doc": ("Công văn số 12.doc", doc_bytes),
    "docx": ("Biên bản họp Sở Y tế.docx", docx_bytes),
    "xls": ("Bảng tổng hợp quý I.xls", xls_bytes),
    "xlsx": ("Số liệu tiến độ.xlsx", xlsx_bytes),
    "odt": ("Tờ trình điều chỉnh.odt", lambda: odf_bytes(ALLOWED["odt"])),
    "ods": ("Kế hoạch triển khai.ods", lambda: odf_bytes(ALLOWED["ods"])),
    "jpg": ("Ảnh hiện trường công trình.jpg", jpeg_bytes),
    "png": ("Sơ đồ mặt bằng.png", png_bytes),
}


@pytest.fixture
def task(department: Department, coordinating_department: Department) -> Task:
    """Led by SYT (the `officer`), coordinated by SXD; STC (`other_officer`) is not on it."""
    return TaskFactory(
        title="Triển khai tiêm chủng mở rộng",
        lead_department=department,
        coordinating_departments=[coordinating_department],
    )


def progress_url(task: Task) -> str:
    return f"/api/v1/tasks/{task.pk}/progress/"


def download_url(attachment_id: int) -> str:
    return f"/api/v1/attachments/{attachment_id}/"


def post_progress(user: User, task: Task, files: list, note: str = "Đã triển khai 50%"):
    return client_for(user).post(
        progress_url(task), {"note": note, "attachments": files}, format="multipart"
    )


def media_files() -> list[Path]:
    return sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def download(user: User | None, attachment_id: int):
    """The response and its body. Reading a file response to its end closes it (the test
    client closes it then, as a WSGI server would); closing it again would also close the
    test's database connection."""
    response = client_for(user).get(download_url(attachment_id))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def disposition_filename(header: str) -> str:
    """The file name a Content-Disposition names, RFC 6266 `filename*` first."""
    assert header.startswith("attachment;"), header
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "filename*":
            charset, _, encoded = value.partition("''")
            assert charset.lower() == "utf-8"
            return unquote(encoded)
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "filename":
            return value.strip('"')
    raise AssertionError(header)


def snapshot(task: Task) -> dict:
    """What a rejected request must not have changed."""
    return {
        "task": model_to_dict(Task.objects.get(pk=task.pk)),
        "history": list(TaskHistory.objects.filter(task=task).values_list("id", flat=True)),
        "progress": ProgressReport.objects.count(),
        "completion": CompletionReport.objects.count(),
        "attachments": Attachment.objects.count(),
        "media": media_files(),
    }


def assert_nothing_saved(task: Task, before: dict) -> None:
    assert snapshot(task) == before
    assert before["attachments"] == 0 and before["media"] == []


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


HTML = "<!DOCTYPE html><html><body><script>alert('xin chào')</script></body></html>".encode()
