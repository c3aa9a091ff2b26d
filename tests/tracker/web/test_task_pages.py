"""The task list and the task page: scope, filters, overlays in words, the action forms the
state machine allows, and every action through the lifecycle service."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.samples import pdf_bytes
from tests.web_world import World
from tracker.models import (
    OPEN_STATUSES,
    CompletionReportStatus,
    ExtensionRequestStatus,
    Task,
    TaskStatus,
)
from tracker.selectors.calendar import add_working_days

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


def titles(response) -> list[str]:
    return re.findall(r'<a href="/tasks/\d+/">([^<]+)</a>', response.content.decode())


def test_my_tasks_lists_what_the_department_leads_or_coordinates(world: World, signed_in):
    listed = titles(signed_in(world.stc_officer).get("/tasks/?status=all"))
    assert world.stc_task.title in listed and world.paused.title in listed
    assert world.within.title in listed  # STC coordinates it
    assert world.overdue.title not in listed


def test_the_open_tasks_by_the_deadline_in_force_none_last(world: World, signed_in):
    page = signed_in(world.syt_officer).get("/tasks/")
    listed = [Task.objects.get(title=title) for title in titles(page)]
    assert {t.status for t in listed} <= set(OPEN_STATUSES)
    assert world.completed.title not in [t.title for t in listed]
    deadlines = [t.effective_deadline for t in listed]
    dated = [d for d in deadlines if d is not None]
    assert dated == sorted(dated) and deadlines[-1] is None


def test_every_state_lists_the_open_tasks_first(world: World, signed_in):
    page = signed_in(world.syt_officer).get("/tasks/?status=all")
    listed = [Task.objects.get(title=title) for title in titles(page)]
    groups = [0 if t.status in OPEN_STATUSES else 2 for t in listed]
    assert groups == sorted(groups) and listed[-1].pk == world.completed.pk


def test_overlays_are_words_not_colour_alone(world: World, signed_in):
    page = signed_in(world.syt_officer).get("/tasks/").content.decode()
    assert 'class="tag tag--overdue">Quá hạn<' in page
    assert 'class="tag tag--due-soon">Sắp đến hạn<' in page
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S))
    assert "in_progress" not in text and "due_soon" not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("when=overdue", {"overdue"}),
        ("overdue=true", {"overdue"}),
        ("when=due_soon", {"due_soon"}),
        ("when=no_deadline", {"no_deadline"}),
        ("status=awaiting_acceptance", {"awaiting"}),
        ("q=thực phẩm", {"due_soon"}),
    ],
)
def test_filters(world: World, signed_in, query, expected):
    listed = set(titles(signed_in(world.syt_officer).get(f"/tasks/?{query}")))
    assert listed == {getattr(world, name).title for name in expected}


def test_bad_filter_is_a_400_naming_it(world: World, signed_in):
    response = signed_in(world.office).get("/tasks/?status=nope")
    assert response.status_code == 400
    assert "status" in response.content.decode()


def test_htmx_filter_answers_the_results_only(world: World, signed_in):
    response = signed_in(world.office).get(
        "/tasks/?when=overdue", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="task-results"
    )
    page = response.content.decode()
    assert "<html" not in page and world.overdue.title in page


def test_another_departments_task_is_the_404_page(world: World, signed_in):
    response = signed_in(world.stc_officer).get(f"/tasks/{world.overdue.pk}/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_task_page_shows_the_task_in_words(world: World, signed_in):
    page = signed_in(world.syt_officer).get(f"/tasks/{world.due_soon.pk}/").content.decode()
    assert world.due_soon.title in page and "Sở Y tế" in page
    assert "Đang thực hiện" in page  # the state's label
    assert "Bắt đầu thực hiện nhiệm vụ" in page  # the history in words
    assert "Đã kiểm tra 12/20 bếp ăn." in page


def test_forms_follow_the_state_machine(world: World, signed_in):
    officer = signed_in(world.syt_officer).get(f"/tasks/{world.due_soon.pk}/").content.decode()
    assert 'id="report-progress"' in officer and 'id="report-completion"' in officer
    assert 'id="review-completion"' not in officer
    coordinating = signed_in(world.stc_officer).get(f"/tasks/{world.within.pk}/")
    page = coordinating.content.decode()
    assert 'id="report-progress"' in page and 'id="report-completion"' not in page
    office = signed_in(world.office).get(f"/tasks/{world.awaiting.pk}/").content.decode()
    assert 'id="review-completion"' in office and 'id="report-progress"' not in office
    leader = signed_in(world.chairman).get(f"/tasks/{world.within.pk}/").content.decode()
    assert 'id="decide-extension"' not in leader  # not the task's supervising leader
    vice = signed_in(world.vice_chairman).get(f"/tasks/{world.within.pk}/").content.decode()
    assert 'id="decide-extension"' in vice


def test_progress_with_a_file_goes_through_the_service(world: World, signed_in):
    client = signed_in(world.syt_officer)
    response = client.post(
        f"/tasks/{world.within.pk}/progress/",
        {
            "note": "Đã khảo sát 5 xã.",
            "percent": "30",
            "version": world.within.version,
            "attachments": [SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf")],
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/tasks/{world.within.pk}/"
    task = Task.objects.get(pk=world.within.pk)
    assert task.status == TaskStatus.IN_PROGRESS
    report = task.progress_reports.get()
    assert report.attachments.get().original_name == "bien-ban.pdf"
    page = client.get(response["Location"]).content.decode()
    assert "Đã khảo sát 5 xã." in page and "bien-ban.pdf" in page


def test_bad_input_is_shown_beside_the_field(world: World, signed_in):
    response = signed_in(world.syt_officer).post(
        f"/tasks/{world.within.pk}/progress/",
        {
            "note": "",
            "percent": "130",
            "attachments": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", "application/pdf")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="progress-note_error"' in page and 'id="progress-percent_error"' in page
    assert 'id="progress-attachments_error"' in page
    assert not world.within.progress_reports.exists()


def test_completion_in_the_future_is_refused_beside_the_date(world: World, signed_in):
    tomorrow = add_working_days(world.today, 1)
    response = signed_in(world.syt_officer).post(
        f"/tasks/{world.due_soon.pk}/completion/",
        {"completed_on": tomorrow.isoformat(), "result": "Xong"},
    )
    assert response.status_code == 400
    assert 'id="completion-completed_on_error"' in response.content.decode()


def test_stale_page_is_a_412_explained_with_what_changed(world: World, signed_in):
    version = Task.objects.get(pk=world.awaiting.pk).version
    Client().logout()
    signed_in(world.office).post(
        f"/tasks/{world.awaiting.pk}/return/", {"reason": "Thiếu danh sách", "version": version}
    )
    response = signed_in(world.director).post(
        f"/tasks/{world.awaiting.pk}/accept/", {"version": version}
    )
    assert response.status_code == 412
    page = response.content.decode()
    assert "Trả lại báo cáo hoàn thành" in page and "Trần Thị Theo Dõi" in page
    assert "Thiếu danh sách" in page
    assert Task.objects.get(pk=world.awaiting.pk).status == TaskStatus.IN_PROGRESS


def test_state_that_no_longer_allows_it_is_a_409_explained(world: World, signed_in):
    response = signed_in(world.office).post(f"/tasks/{world.completed.pk}/pause/", {"reason": "x"})
    assert response.status_code == 409
    assert "Hoàn thành" in response.content.decode()


def test_action_not_theirs_is_the_403_page(world: World, signed_in):
    response = signed_in(world.syt_officer).post(f"/tasks/{world.awaiting.pk}/accept/", {})
    assert response.status_code == 403
    assert "Không được phép" in response.content.decode()


def test_office_accepts_and_returns(world: World, signed_in):
    office = signed_in(world.office)
    response = office.post(f"/tasks/{world.awaiting.pk}/accept/", {"next": "/review/"})
    assert response["Location"] == "/review/"
    task = Task.objects.get(pk=world.awaiting.pk)
    assert task.status == TaskStatus.COMPLETED
    assert task.completion_reports.get().status == CompletionReportStatus.ACCEPTED


def test_next_may_not_leave_the_site(world: World, signed_in):
    response = signed_in(world.office).post(
        f"/tasks/{world.awaiting.pk}/accept/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/tasks/{world.awaiting.pk}/"


def test_supervising_leader_approves_the_extension(world: World, signed_in):
    response = signed_in(world.vice_chairman).post(
        f"/extension-requests/{world.extension.pk}/approve/", {"note": "Đồng ý"}
    )
    assert response.status_code == 302
    world.extension.refresh_from_db()
    assert world.extension.status == ExtensionRequestStatus.APPROVED
    task = Task.objects.get(pk=world.within.pk)
    assert task.effective_deadline == world.extension.requested_deadline
    assert signed_in(world.chairman).post(
        f"/extension-requests/{world.extension.pk}/reject/", {}
    ).status_code in (403, 409)


def test_another_leader_may_not_decide(world: World, signed_in):
    response = signed_in(world.chairman).post(
        f"/extension-requests/{world.extension.pk}/approve/", {}
    )
    assert response.status_code == 403


def test_extension_request_from_the_page(world: World, signed_in):
    later = add_working_days(world.today, 15)
    response = signed_in(world.syt_officer).post(
        f"/tasks/{world.due_soon.pk}/extension/",
        {"requested_deadline": later.isoformat(), "reason": "Chờ kết quả xét nghiệm"},
    )
    assert response.status_code == 302
    assert world.due_soon.extension_requests.get().requested_deadline == later


def test_attachment_download_is_scoped(world: World, signed_in):
    signed_in(world.syt_officer).post(
        f"/tasks/{world.overdue.pk}/progress/",
        {"note": "x", "attachments": [SimpleUploadedFile("a.pdf", PDF, "application/pdf")]},
    )
    attachment = world.overdue.progress_reports.get().attachments.get()
    own = signed_in(world.syt_head).get(f"/files/{attachment.pk}/")
    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF
    assert signed_in(world.stc_officer).get(f"/files/{attachment.pk}/").status_code == 404


def test_short_link_opens_the_task_page(world: World, signed_in):
    assert signed_in(world.syt_officer).get(f"/t/{world.overdue.pk}/")["Location"] == (
        f"/tasks/{world.overdue.pk}/"
    )


def test_directive_filter_options_come_in_their_own_request(world: World, signed_in):
    client = signed_in(world.stc_officer)
    page = client.get(f"/tasks/?directive={world.within.directive_id}").content.decode()
    assert 'hx-trigger="load"' in page
    assert f'value="{world.within.directive_id}" selected' in page  # the current one
    options = client.get(
        f"/tasks/directive-options/?directive={world.within.directive_id}"
    ).content.decode()
    assert options.startswith('<option value="">')
    assert f'<option value="{world.within.directive_id}" selected>12/TB-UBND' in options
