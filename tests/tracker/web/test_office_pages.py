"""The office's pages: the review queue, the overdue board, the working-day calendar and
the closed periods, by role, with their forms' errors, their query counts and the browser."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.browser_harness import SCREENSHOTS, check_page
from tests.factories import DepartmentFactory, TaskFactory
from tests.samples import pdf_bytes, upload
from tests.web_world import World
from tracker.models import CalendarAdjustment, Period, Task, User
from tracker.selectors.calendar import add_working_days, working_days_between
from tracker.selectors.overdue import late_limit, overdue_by_department
from tracker.selectors.tasks import OPEN_STATUSES, local_today
from tracker.services import lifecycle
from tracker.services.periods import period_close, period_reopen
from tracker.web.office.review import EXTENSION_ACTIONS, REPORT_ACTIONS

pytestmark = pytest.mark.django_db

PAGES = ("/review/", "/overdue/", "/calendar/", "/periods/")
# Who may open each page (by the world's usernames); everyone else signed in gets 403.
ALLOWED = {
    "/review/": {"vanphong", "chanhvp", "chutich", "pct"},
    "/overdue/": {"vanphong", "chanhvp", "chutich", "pct"},
    "/calendar/": {"vanphong", "chanhvp"},
    "/periods/": {"vanphong", "chanhvp", "chutich", "pct", "sonoivu"},
}


def text(response) -> str:
    return response.content.decode()


def task_for(world: World, lead, title: str, deadline: date, **extra) -> Task:
    return TaskFactory(
        directive=world.within.directive,
        title=title,
        lead_department=lead,
        assigned_on=deadline - timedelta(days=60),
        deadline=deadline,
        supervising_leader=lead.supervising_leader,
        **extra,
    )


# --- who may open what ------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_each_page_by_role(world: World, signed_in, path):
    for user in world.users():
        status = signed_in(user).get(path).status_code
        assert status == (200 if user.username in ALLOWED[path] else 403), (user.username, path)


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, path):
    assert client.get(path)["Location"] == f"/signin/?next={path}"


# --- review queue -------------------------------------------------------------------------


def test_office_review_lists_every_pending_report_and_request_oldest_first(world, signed_in):
    newer = task_for(world, world.stc, "Quyết toán kinh phí năm trước", world.today)
    lifecycle.completion_report_create(
        task_id=newer.pk,
        actor=world.stc_head,
        completed_on=world.today,
        result="Đã quyết toán xong.",
        attachments=[upload("quyet-toan.pdf", pdf_bytes(), "application/pdf")],
    )
    page = text(signed_in(world.office).get("/review/"))
    # The pending ones only: the accepted report of `completed` is not there.
    assert page.count('action="/tasks/') == 2 * 2  # accept + return per report
    assert world.completed.title not in page
    assert page.index(world.awaiting.title) < page.index(newer.title)
    assert "Đã tổng hợp 37 trạm y tế xuống cấp" in page and "Đã quyết toán xong." in page
    attachment = newer.completion_reports.get().attachments.get()
    assert f'href="/files/{attachment.pk}/"' in page and "quyet-toan.pdf" in page
    assert f'action="/tasks/{world.awaiting.pk}/accept/"' in page
    assert f'action="/tasks/{world.awaiting.pk}/return/"' in page
    world.awaiting.refresh_from_db()
    assert f'name="version" value="{world.awaiting.version}"' in page
    assert 'name="next" value="/review/"' in page
    assert re.search(r'<textarea[^>]*name="reason"[^>]*required', page)
    # The extension request, with approve and reject on one note.
    assert world.extension.reason in page
    assert f'action="/extension-requests/{world.extension.pk}/approve/"' in page
    assert f'formaction="/extension-requests/{world.extension.pk}/reject/"' in page
    assert "Đúng hạn (trước thời hạn)" in page  # completed today, deadline in 5 working days


def test_leader_sees_only_the_extension_requests_they_supervise(world, signed_in):
    stc_request = lifecycle.extension_request_create(
        task_id=world.stc_task.pk,
        actor=world.stc_head,
        requested_deadline=world.stc_task.effective_deadline + timedelta(days=14),
        reason="Chờ Sở Kế hoạch thẩm định.",
    )
    vice = text(signed_in(world.vice_chairman).get("/review/"))  # supervises SYT
    chairman = text(signed_in(world.chairman).get("/review/"))  # supervises STC
    assert world.extension.reason in vice and stc_request.reason not in vice
    assert stc_request.reason in chairman and world.extension.reason not in chairman
    for page in (vice, chairman):
        assert "/accept/" not in page and world.awaiting.title not in page
        assert page.count("/approve/") == 1


def test_empty_queue_says_so(world, signed_in):
    lifecycle.completion_accept(task_id=world.awaiting.pk, actor=world.office)
    lifecycle.extension_reject(request_id=world.extension.pk, actor=world.office)
    page = text(signed_in(world.office).get("/review/"))
    assert "Không có báo cáo hoàn thành nào chờ xác nhận." in page
    assert "Không có đề nghị gia hạn nào chờ quyết định." in page


def test_allowed_actions_among_a_pages_actions_is_the_whole_answer_narrowed(world):
    for user in world.users():
        for task in Task.objects.all():
            allowed = lifecycle.allowed_actions(user, task)
            for names in (REPORT_ACTIONS, EXTENSION_ACTIONS):
                narrowed = lifecycle.allowed_actions(user, task, among=names)
                assert narrowed == allowed & set(names)


def add_pending(world: World, count: int) -> None:
    for n in range(count):
        task = task_for(world, world.syt, f"Nhiệm vụ chờ xác nhận {n}", world.today)
        lifecycle.completion_report_create(
            task_id=task.pk,
            actor=world.syt_head,
            completed_on=world.today,
            result=f"Kết quả {n}",
            attachments=[upload(f"bao-cao-{n}.pdf", pdf_bytes(), "application/pdf")],
        )
        other = task_for(world, world.syt, f"Nhiệm vụ xin gia hạn {n}", world.today)
        lifecycle.extension_request_create(
            task_id=other.pk,
            actor=world.syt_head,
            requested_deadline=world.today + timedelta(days=30),
            reason=f"Lý do {n}",
        )
        task_for(
            world, DepartmentFactory(), f"Nhiệm vụ quá hạn {n}", world.today - timedelta(n + 1)
        )


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", PAGES)
def test_query_count_does_not_grow_with_the_items(world, signed_in, path):
    client = signed_in(world.office)
    before = queries(client, path)
    add_pending(world, 4)
    for n in range(3):
        day = date(world.today.year, 3, 2 + n)
        CalendarAdjustment.objects.create(date=day, kind="day_off", note=f"Ghi chú {n}")
        period_close(actor=world.office, date_from=day, date_to=day, as_of=world.today)
    assert queries(client, path) == before


# --- overdue board --------------------------------------------------------------------


def test_overdue_board_counts_agree_with_the_task_list_api(world, signed_in):
    today = world.today
    for n, late in enumerate((1, 5, 6, 10, 12)):
        task_for(world, world.stc, f"Quá hạn {n}", add_working_days(today, -late))
    api = APIClient()
    api.force_authenticate(world.office)
    board = overdue_by_department(today)
    assert [row.code for row in board.rows] == ["STC", "SYT"]  # 5 overdue, then 1
    for row in board.rows:
        answer = api.get(f"/api/v1/tasks/?lead_department={row.code}&overdue=true").json()
        assert row.overdue == answer["count"]
        tasks = Task.objects.filter(pk__in=[task["id"] for task in answer["results"]])
        lateness = [working_days_between(task.effective_deadline, today) for task in tasks]
        assert row.late_5 == sum(days >= 5 for days in lateness)
        assert row.late_10 == sum(days >= 10 for days in lateness)
        assert row.oldest_deadline == min(task.effective_deadline for task in tasks)
    assert (
        board.overdue
        == Task.objects.filter(status__in=OPEN_STATUSES, effective_deadline__lt=today).count()
    )
    page = text(signed_in(world.chairman).get("/overdue/"))
    assert 'href="/tasks/?lead_department=STC&amp;overdue=true"' in page
    assert "Sở Tài chính" in page and "Nguyễn Văn An" in page  # STC's supervising leader
    assert "Tổng cộng (2 đơn vị)" in page


@pytest.mark.parametrize("today", [date(2025, 4, 28), date(2025, 5, 3), date(2026, 2, 23)])
def test_late_limit_is_the_escalation_step_for_every_deadline(db, today):
    # Around Tết, a swapped Saturday and weekends: every deadline of the 40 days before.
    for days in (5, 10):
        limit = late_limit(today, days)
        for back in range(1, 41):
            deadline = today - timedelta(days=back)
            reached = add_working_days(deadline, days) <= today
            assert (deadline < limit) == reached, (today, days, deadline)
            assert reached == (working_days_between(deadline, today) >= days)


def test_overdue_board_without_overdue_tasks(world, signed_in):
    lifecycle.task_pause(task_id=world.overdue.pk, actor=world.office, reason="Chờ chỉ đạo.")
    assert "Không có nhiệm vụ nào quá hạn." in text(signed_in(world.office).get("/overdue/"))


# --- calendar ----------------------------------------------------------------------------


def test_calendar_shows_the_year_its_holidays_and_swaps(world, signed_in):
    page = text(signed_in(world.office).get("/calendar/?year=2025"))
    assert "Lịch làm việc năm 2025" in page
    assert "Tết Nguyên Đán" in page  # the holidays package's Vietnamese names
    assert "26/04/2025" in page  # the official swap: Saturday 26/4 worked
    assert page.count('class="office-month"') == 12
    default = text(signed_in(world.office).get("/calendar/?year=not-a-year"))
    assert f"?year={local_today().year + 1}" in default


def test_office_adds_and_removes_an_adjustment(world, signed_in):
    client = signed_in(world.office)
    monday = date(2030, 6, 3)
    response = client.post(
        "/calendar/adjustments/",
        {"date": "2030-06-03", "kind": "day_off", "note": "Công văn 99/VPCP", "year": "2030"},
    )
    assert response.status_code == 302 and response["Location"] == "/calendar/?year=2030"
    adjustment = CalendarAdjustment.objects.get(date=monday)
    page = text(client.get("/calendar/?year=2030"))
    assert "Công văn 99/VPCP" in page and f"/calendar/adjustments/{adjustment.pk}/remove/" in page
    response = client.post(f"/calendar/adjustments/{adjustment.pk}/remove/")
    assert response.status_code == 302
    assert not CalendarAdjustment.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "2030-06-04", "kind": "working_day"}, "kind", "đã là ngày làm việc"),
        ({"date": "2030-06-08", "kind": "day_off"}, "kind", "đã là ngày nghỉ"),
        ({"date": "2030-06-03", "kind": "working_day"}, "date", "đã có điều chỉnh"),
        ({"date": "", "kind": "day_off"}, "date", "bắt buộc"),
    ],
)
def test_adjustment_errors_are_beside_their_fields(world, signed_in, data, field, message):
    CalendarAdjustment.objects.create(date=date(2030, 6, 3), kind="day_off")
    response = signed_in(world.office).post("/calendar/adjustments/", {**data, "year": "2030"})
    page = text(response)
    assert response.status_code == 400
    error = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    assert error and message in error.group(1).lower()
    assert CalendarAdjustment.objects.count() == 1


def test_only_the_office_changes_the_calendar(world, signed_in):
    adjustment = CalendarAdjustment.objects.create(date=date(2030, 6, 3), kind="day_off")
    client = signed_in(world.chairman)
    assert client.post("/calendar/adjustments/", {"date": "2030-06-04"}).status_code == 403
    assert client.post(f"/calendar/adjustments/{adjustment.pk}/remove/").status_code == 403
    assert CalendarAdjustment.objects.count() == 1


# --- periods -----------------------------------------------------------------------------


def close(client, start: str, end: str, as_of: str = "") -> object:
    return client.post("/periods/close/", {"from": start, "to": end, "as_of": as_of})


def test_office_closes_and_reopens_a_period(world, signed_in):
    client = signed_in(world.office)
    start = date(world.today.year, 1, 1)
    response = close(client, start.isoformat(), world.today.isoformat())
    assert response.status_code == 302 and response["Location"] == "/periods/"
    period = Period.objects.get()
    assert (period.as_of, period.closed_by) == (world.today, world.office)
    page = text(client.get("/periods/"))
    assert f"/dashboard/?from={start.isoformat()}&amp;to={world.today.isoformat()}" in page
    assert "Đã công bố" in page
    again = close(client, start.isoformat(), world.today.isoformat())
    assert again.status_code == 400 and "đã được chốt" in text(again)
    empty = client.post(f"/periods/{period.pk}/reopen/", {f"reopen-{period.pk}-reason": " "})
    assert empty.status_code == 400 and f'id="id_reopen-{period.pk}-reason_error"' in text(empty)
    reason = {f"reopen-{period.pk}-reason": "Sở Y tế bổ sung báo cáo."}
    assert client.post(f"/periods/{period.pk}/reopen/", reason).status_code == 302
    period.refresh_from_db()
    assert period.reopened_by == world.office and not period.is_closed
    page = text(signed_in(world.scoring).get("/periods/"))
    assert "Sở Y tế bổ sung báo cáo." in page and str(world.office) in page
    assert "/reopen/" not in page and "/periods/close/" not in page  # reads only
    conflict = client.post(f"/periods/{period.pk}/reopen/", reason)
    assert conflict.status_code == 409 and "đã được mở lại" in text(conflict)


@pytest.mark.parametrize(
    ("start", "end", "as_of", "field"),
    [
        ("2026-03-31", "2026-03-01", "", "to"),
        ("2026-01-01", "2026-03-31", "2025-12-31", "as_of"),
        ("2026-01-01", "2026-03-31", "2099-12-31", "as_of"),
        ("", "2026-03-31", "", "from"),
    ],
)
def test_period_close_errors_are_beside_their_fields(world, signed_in, start, end, as_of, field):
    response = close(signed_in(world.office), start, end, as_of)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in text(response)
    assert not Period.objects.exists()


def test_only_the_office_closes_periods(world, signed_in):
    assert close(signed_in(world.scoring), "2026-01-01", "2026-01-31").status_code == 403
    assert not Period.objects.exists()


# --- in the browser ------------------------------------------------------------------------


def test_review_in_the_browser(live_world: World, open_page):
    late = task_for(live_world, live_world.stc, "Báo cáo quyết toán quý III", live_world.today)
    lifecycle.completion_report_create(
        task_id=late.pk,
        actor=live_world.stc_head,
        completed_on=live_world.today,
        result="Đã gửi báo cáo quyết toán.\nKèm bảng tổng hợp.",
        attachments=[upload("bao-cao-quyet-toan-quy-III.pdf", pdf_bytes(), "application/pdf")],
    )
    page = open_page(live_world.office)
    page.goto("/review/")
    assert page.get_by_role("heading", name=live_world.awaiting.title).is_visible()
    check_page(page, "office-review")
    leader = open_page(live_world.vice_chairman)
    leader.goto("/review/")
    assert leader.get_by_role("button", name=re.compile("Phê duyệt gia hạn")).is_visible()
    check_page(leader, "office-review-leader")


def test_overdue_in_the_browser(live_world: World, open_page):
    for n, late in enumerate((3, 7, 12)):
        task_for(
            live_world, live_world.stc, f"Quá hạn {n}", add_working_days(live_world.today, -late)
        )
    page = open_page(live_world.chairman)
    page.goto("/overdue/")
    assert page.get_by_role(
        "link", name=re.compile("3 nhiệm vụ quá hạn của Sở Tài chính")
    ).is_visible()
    check_page(page, "office-overdue")
    page.emulate_media(media="print")  # printed, it stays a table without the menus
    page.screenshot(path=str(SCREENSHOTS / "office-overdue-print.png"), full_page=True)
    assert not page.get_by_role("navigation").is_visible()


def test_calendar_in_the_browser(live_world: World, open_page):
    page = open_page(live_world.office)
    page.goto("/calendar/?year=2025")
    page.locator("#id_date").fill("2025-06-02")
    page.get_by_label("Ngày nghỉ", exact=True).check()
    page.get_by_label("Ghi chú").fill("Thông báo 25/TB-VP")
    page.get_by_role("button", name="Lưu điều chỉnh").click()
    assert page.get_by_text("Ngày 02/06/2025 đã được chuyển thành ngày nghỉ.").is_visible()
    check_page(page, "office-calendar")
    page.locator("#id_date").fill("2025-06-02")  # the same day again
    page.get_by_label("Ngày làm việc", exact=True).check()
    page.get_by_role("button", name="Lưu điều chỉnh").click()
    assert page.locator("#id_date_error").is_visible()
    check_page(page, "office-calendar-error")


def test_periods_in_the_browser(live_world: World, open_page):
    user: User = live_world.office
    start = date(live_world.today.year, 1, 1)
    earlier = period_close(actor=user, date_from=start, date_to=start, as_of=start)
    period_reopen(actor=user, period=earlier, reason="Sở Tài chính bổ sung số liệu tháng 1.")
    period_close(actor=user, date_from=start, date_to=live_world.today, as_of=live_world.today)
    page = open_page(user)
    page.goto("/periods/")
    page.get_by_text("Mở lại…").click()
    assert page.get_by_label(re.compile("Lý do mở lại")).is_visible()
    check_page(page, "office-periods")
    scoring = open_page(live_world.scoring)
    scoring.goto("/periods/")
    assert scoring.get_by_text("Sở Tài chính bổ sung số liệu tháng 1.").is_visible()
    check_page(scoring, "office-periods-scoring")
