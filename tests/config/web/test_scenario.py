"""The day's work end to end, as the users do it, in Debian's Chromium against the live
server on PostgreSQL: the office issues a directive with three tasks (one deadline given
as working days, the date shown equal to the calendar endpoint's); the lead department's
officer finds the task in "my tasks", reports progress with a PDF, then completion; the
office reads the report and returns it; the officer reports again; the office accepts. On
another task the officer asks for an extension and the supervising leader approves it. The
chairman's dashboard equals `GET /api/v1/indicators/` and each count's link lists exactly
that many tasks. Another department's officer who types a task's URL gets the 404 page."""

import re
from datetime import date
from typing import Any

import pytest

from tests.browser_harness import check_page, sign_in
from tests.factories import PASSWORD
from tests.samples import pdf_bytes
from tests.web_world import World
from tracker.models import (
    INDICATOR_COUNTS,
    CompletionReportStatus,
    ExtensionRequestStatus,
    Task,
    TaskStatus,
)
from tracker.selectors.calendar import add_working_days

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PDF = pdf_bytes()
NUMBER = "45/TB-UBND"
TITLES = (
    "Kiểm tra công tác phòng, chống dịch sốt xuất huyết tại các xã",
    "Đề xuất danh mục trạm y tế cần sửa chữa năm 2027",
    "Bố trí kinh phí mua sắm trang thiết bị y tế",
)


def signed_in_page(open_page: Any, live_server: Any, username: str) -> Any:
    page = open_page()
    sign_in(page, live_server.url, username, PASSWORD)
    return page


def fill_row(page: Any, row: Any, title: str, lead: str, **deadline: Any) -> None:
    row.get_by_label("Tên nhiệm vụ").fill(title)
    lead_picker = row.get_by_role("group", name=re.compile("Đơn vị chủ trì"))
    lead_picker.get_by_label("Tìm đơn vị (mã hoặc tên)").fill(lead)
    lead_picker.get_by_label(re.compile(rf"^\s*{lead} ")).check()
    for coordinating in deadline.pop("coordinating", ()):
        picker = row.get_by_role("group", name=re.compile("Đơn vị phối hợp"))
        picker.get_by_label(re.compile(rf"^\s*{coordinating} ")).check()
    if "working_days" in deadline:
        row.get_by_label("hoặc số ngày làm việc").fill(str(deadline["working_days"]))
    if "date" in deadline:
        row.get_by_label("Thời hạn (ngày)").fill(deadline["date"].isoformat())
    if "leader" in deadline:
        row.get_by_label("Lãnh đạo UBND tỉnh phụ trách").select_option(label=deadline["leader"])


def issue_directive(page: Any, world: World) -> tuple[Task, Task, Task]:
    page.goto("/directives/new/")
    page.get_by_label("Số, ký hiệu").fill(NUMBER)
    page.get_by_label("Loại văn bản").select_option("thong_bao_ket_luan")
    page.get_by_label("Tiêu đề").fill("Kết luận của Chủ tịch UBND tỉnh về công tác y tế cơ sở")
    page.get_by_label("Ngày ban hành").fill(world.today.isoformat())
    page.get_by_label("Người ký").fill(world.chairman.full_name)
    add = page.get_by_role("button", name=re.compile("Thêm nhiệm vụ"))
    add.click()
    add.click()
    rows = page.locator("li.task-row")
    rows.nth(2).wait_for()
    assert rows.count() == 3

    fill_row(page, rows.nth(0), TITLES[0], "SYT", coordinating=("STC",), working_days=10)
    preview = rows.nth(0).locator("[data-deadline-preview]")
    answer = page.request.get(
        f"/api/v1/calendar/add-working-days/?start={world.today.isoformat()}&days=10"
    ).json()
    expected = date.fromisoformat(answer["date"])
    page.wait_for_function(
        "([el, text]) => el.textContent.includes(text)",
        arg=[preview.element_handle(), expected.strftime("%d/%m/%Y")],
    )
    later = add_working_days(world.today, 15)
    fill_row(page, rows.nth(1), TITLES[1], "SYT", date=later, leader=world.vice_chairman.full_name)
    last = add_working_days(world.today, 20)
    fill_row(page, rows.nth(2), TITLES[2], "STC", date=last)
    page.wait_for_function(
        "([el, text]) => el.textContent.includes(text)",
        arg=[rows.nth(2).locator("[data-deadline-preview]").element_handle(), f"{last:%d/%m/%Y}"],
    )
    check_page(page, "scenario-issue-directive")
    page.get_by_role("button", name="Ban hành văn bản").click()
    page.wait_for_url(re.compile(r"/directives/\d+/$"))
    assert page.get_by_text(NUMBER).first.is_visible()
    tasks = tuple(Task.objects.get(title=title) for title in TITLES)
    assert tasks[0].effective_deadline == expected
    assert tasks[1].supervising_leader_id == world.vice_chairman.pk
    return tasks


def report_completion(page: Any, task: Task, result: str) -> None:
    page.goto(f"/tasks/{task.pk}/")
    panel = page.locator("#report-completion")
    panel.get_by_label("Ngày hoàn thành").fill(date.today().isoformat())
    panel.get_by_label("Kết quả thực hiện").fill(result)
    panel.get_by_role("button", name="Gửi báo cáo hoàn thành").click()
    assert page.get_by_text("Đã gửi báo cáo hoàn thành").is_visible()


def review_item(page: Any, title: str) -> Any:
    page.goto("/review/")
    return page.locator("article, .panel, li").filter(has=page.get_by_role("link", name=title)).last


def test_the_days_work(live_world: World, open_page, live_server, tmp_path):
    world = live_world
    office = signed_in_page(open_page, live_server, "vanphong")
    first, second, _third = issue_directive(office, world)

    officer = signed_in_page(open_page, live_server, "syt_officer")
    assert officer.url.endswith("/tasks/")
    officer.get_by_label("Tìm kiếm").fill("sốt xuất huyết tại các xã")
    officer.wait_for_function("() => location.search.includes('q=')")
    officer.get_by_role("link", name=TITLES[0]).click()
    pdf = tmp_path / "bien-ban-kiem-tra.pdf"
    pdf.write_bytes(PDF)
    progress = officer.locator("#report-progress")
    progress.get_by_label("Nội dung báo cáo tiến độ").fill("Đã kiểm tra 12/20 xã.")
    progress.get_by_label("Tỷ lệ hoàn thành (%)").fill("60")
    progress.get_by_label("Tệp đính kèm").set_input_files(str(pdf))
    progress.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    assert officer.get_by_role("link", name="bien-ban-kiem-tra.pdf").is_visible()
    report_completion(officer, first, "Đã kiểm tra 20/20 xã, gửi kèm biên bản.")
    check_page(officer, "scenario-task-awaiting")

    item = review_item(office, TITLES[0])
    assert item.get_by_text("Đã kiểm tra 20/20 xã, gửi kèm biên bản.").is_visible()
    check_page(office, "scenario-review")
    item.get_by_label(re.compile("Lý do trả lại")).fill("Chưa có biên bản của 3 xã miền núi.")
    item.get_by_role("button", name="Trả lại báo cáo").click()
    assert Task.objects.get(pk=first.pk).status == TaskStatus.IN_PROGRESS

    officer.goto(f"/tasks/{first.pk}/")
    assert officer.get_by_text("Chưa có biên bản của 3 xã miền núi.").first.is_visible()
    report_completion(officer, first, "Đã bổ sung biên bản của 3 xã miền núi.")

    item = review_item(office, TITLES[0])
    item.get_by_role("button", name=re.compile("Xác nhận")).click()
    done = Task.objects.get(pk=first.pk)
    assert done.status == TaskStatus.COMPLETED
    reports = list(done.completion_reports.order_by("created_at").values_list("status", flat=True))
    assert reports == [CompletionReportStatus.RETURNED, CompletionReportStatus.ACCEPTED]

    officer.goto(f"/tasks/{second.pk}/")
    asked = add_working_days(world.today, 25)
    extension = officer.locator("#request-extension")
    extension.get_by_label("Thời hạn đề nghị").fill(asked.isoformat())
    extension.get_by_label("Lý do").fill("Chờ số liệu khảo sát của các xã.")
    extension.get_by_role("button", name="Gửi đề nghị gia hạn").click()
    assert officer.get_by_text("Đã gửi đề nghị gia hạn.").is_visible()

    leader = signed_in_page(open_page, live_server, "pct")
    item = review_item(leader, TITLES[1])
    item.get_by_role("button", name=re.compile("Phê duyệt|Đồng ý")).click()
    request = second.extension_requests.get()
    assert request.status == ExtensionRequestStatus.APPROVED
    assert Task.objects.get(pk=second.pk).effective_deadline == asked

    chairman = signed_in_page(open_page, live_server, "chutich")
    check_dashboard(chairman, world)

    stranger = open_page()
    sign_in(stranger, live_server.url, "stc_officer", PASSWORD)
    response = stranger.goto(f"/tasks/{second.pk}/")
    assert response.status == 404
    assert stranger.get_by_role("heading", name="Không tìm thấy trang").is_visible()
    check_page(stranger, "scenario-not-found")


def check_dashboard(page: Any, world: World) -> None:
    period = f"from={world.today.year}-01-01&to={world.today.year}-12-31"
    page.goto(f"/dashboard/?{period}")
    check_page(page, "scenario-dashboard")
    api = page.request.get(f"/api/v1/indicators/?{period}").json()
    shown = page.eval_on_selector_all(
        "table.dashboard-indicators td[data-count]",
        """cells => cells.map(cell => {
            const link = cell.querySelector('a');
            const hidden = cell.querySelector('.visually-hidden');
            const words = hidden ? hidden.textContent : '';
            return [cell.closest('tr').dataset.department || 'total', cell.dataset.count,
                    cell.textContent.replace(words, '').trim(), link ? link.href : null];
        })""",
    )
    expected = {
        (row["department"]["code"], name): row[name]
        for row in api["departments"]
        for name in INDICATOR_COUNTS
    }
    expected |= {("total", name): api["total"][name] for name in INDICATOR_COUNTS}
    seen = {(code, name): (int(text), link) for code, name, text, link in shown}
    assert {key: value for key, (value, _link) in seen.items()} == expected
    linked = [(key, value, link) for key, (value, link) in seen.items() if value]
    assert linked, "the scenario's tasks are counted"
    for key, value, link in linked:
        listed = page.request.get(link).text()
        count = re.search(r"(\d+) nhiệm vụ", listed)
        assert count is not None and int(count.group(1)) == value, (key, value, link)
