"""The task pages in Debian's Chromium: my tasks, the task page, a progress report with a
PDF, a field error beside its field, a conflict explained; axe-core and screenshots."""

import re

import pytest

from tests.browser_harness import check_page
from tests.samples import pdf_bytes
from tests.web_world import World
from tracker.models import Task, TaskStatus

pytestmark = pytest.mark.django_db(transaction=True)

PDF = pdf_bytes()


def test_officer_works_a_task(live_world: World, open_page, tmp_path):
    world = live_world
    page = open_page(world.syt_officer)
    page.goto("/tasks/")
    check_page(page, "my-tasks")
    # The directive filter's options arrived, into the filter, the list still in place.
    assert page.locator("#id_directive option").count() == 2
    assert page.locator("#task-results tbody tr").count() == 5  # the open ones
    page.get_by_label("Thời hạn").select_option("overdue")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => location.search.includes('when=overdue')")
    assert page.locator("#task-results tbody tr").count() == 1
    page.get_by_role("link", name=world.overdue.title).click()
    check_page(page, "task-page")

    page.get_by_label("Nội dung báo cáo tiến độ").fill("")
    page.get_by_label("Tỷ lệ hoàn thành (%)").fill("150")
    page.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    assert page.locator("#progress-note_error").is_visible()
    check_page(page, "task-page-error")

    pdf = tmp_path / "bien-ban-kiem-tra.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Nội dung báo cáo tiến độ").fill("Đã gửi công văn đôn đốc các trạm.")
    page.get_by_label("Tỷ lệ hoàn thành (%)").fill("40")
    page.get_by_label("Tệp đính kèm").set_input_files(str(pdf))
    page.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    assert page.get_by_text("Đã gửi báo cáo tiến độ.").is_visible()
    assert page.get_by_role("link", name="bien-ban-kiem-tra.pdf").is_visible()
    assert Task.objects.get(pk=world.overdue.pk).status == TaskStatus.IN_PROGRESS


def test_stale_page_is_explained(live_world: World, open_page):
    world = live_world
    office = open_page(world.office)
    office.goto(f"/tasks/{world.awaiting.pk}/")
    director = open_page(world.director)
    director.goto(f"/tasks/{world.awaiting.pk}/")
    director.get_by_label("Lý do").first.fill("Thiếu danh sách trạm y tế xã miền núi.")
    director.get_by_role("button", name="Trả lại báo cáo").click()
    office.get_by_role("button", name=re.compile("Xác nhận")).click()
    notice = office.locator("#conflict")
    assert notice.is_visible()
    assert "Trả lại báo cáo hoàn thành" in notice.inner_text()
    assert "Lê Văn Chánh" in notice.inner_text()
    check_page(office, "task-page-conflict")


def test_officer_searches_without_diacritics(live_world: World, open_page):
    world = live_world
    page = open_page(world.syt_officer)
    page.goto("/tasks/")
    page.get_by_label("Tìm kiếm").fill("thuc pham")
    page.wait_for_function("() => location.search.includes('q=thuc')")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#task-results tbody tr")
    assert rows.count() == 1
    assert world.due_soon.title in rows.first.inner_text()
    check_page(page, "my-tasks-search")

    page.get_by_label("Tìm kiếm").fill("đ")
    page.wait_for_function("() => location.search.includes('q=%C4%91')")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Nhập ít nhất 3 chữ cái hoặc chữ số để tìm kiếm.").first.is_visible()
    assert page.locator("#task-results tbody tr").count() == 0
    check_page(page, "my-tasks-search-too-short")
