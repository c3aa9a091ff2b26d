"""Files attached to progress and completion reports: stored through Django's storage API,
limited in size (settings.ATTACHMENT_MAX_BYTES), accepted only when their content is one of
pdf, doc, docx, xls, xlsx, odt, ods, jpg, png and their name says so; a rejected request
saves nothing at all. Downloads follow the task's visibility: 404 for a department that is
not on the task, 403 for a role that reads no tasks, 401 without credentials.

Every file here is built for real, by hand, in tests/samples.py: a PDF with a correct
cross-reference table, a 1×1 PNG and baseline JPEG, OOXML and OpenDocument packages, and
OLE compound files whose WordDocument / Workbook stream starts the way Word's and Excel's
do; an XLSX comes from openpyxl."""

import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import DepartmentFactory, TaskFactory, UserFactory
from tests.samples import (
    doc_bytes,
    docx_bytes,
    jpeg_bytes,
    odf_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xls_bytes,
    xlsx_bytes,
    zip_bytes,
)
from tracker.models import (
    Attachment,
    CompletionReport,
    Department,
    ProgressReport,
    Role,
    Task,
    TaskHistory,
    TaskStatus,
    User,
)
from tracker.services import lifecycle
from tracker.services.attachments import ALLOWED, attachment_kind, attachments_save

pytestmark = pytest.mark.django_db

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


# --- the world -------------------------------------------------------------------------------


@pytest.fixture
def coordinating_department() -> Department:
    return DepartmentFactory(code="SXD", name="Sở Xây dựng")


@pytest.fixture
def coordinating_officer(coordinating_department: Department) -> User:
    return UserFactory(
        role=Role.DEPARTMENT_OFFICER, department=coordinating_department, username="sxd_officer"
    )


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
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = "<!DOCTYPE html><html><body><script>alert('xin chào')</script></body></html>".encode()
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
