"""The directives list and a directive's page, in each role's scope; who may open the
office's pages; and the directives pages in the browser (axe-core, screenshots)."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import expect

from directives.models import Directive, DirectiveKind
from tests.browser_harness import check_page
from tests.directives.web.directives_support import (
    HTMX,
    SAMPLES,
    add_sample_departments,
    broken_csv,
    page_text,
)
from tests.factories import DirectiveFactory, TaskFactory
from tests.web_world import World
from tracker.selectors.calendar import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def stc_directive(world: World) -> Directive:
    """A directive only the Department of Finance (STC) works on."""
    directive = DirectiveFactory(
        number="08/CT-UBND",
        kind=DirectiveKind.CHI_THI,
        title="Chỉ thị về siết chặt kỷ luật tài chính",
        summary="Tăng cường kiểm soát chi ngân sách",
        issued_on=date(2025, 6, 2),
        signer="Phạm Thị Bình",
    )
    TaskFactory(
        directive=directive,
        title="Rà soát các khoản chi thường xuyên",
        lead_department=world.stc,
        assigned_on=date(2025, 6, 3),
        deadline=date(2025, 7, 31),
    )
    return directive


# --- the list -------------------------------------------------------------------------------


def test_the_office_lists_every_directive_with_kind_labels_and_progress_in_words(
    world: World, stc_directive: Directive, signed_in
):
    response = signed_in(world.office).get("/directives/")
    text = page_text(response)
    assert response.status_code == 200
    assert "12/TB-UBND" in text and "08/CT-UBND" in text
    assert "Thông báo kết luận" in text and "Chỉ thị" in text
    table = text[text.index("<tbody>") : text.index("</tbody>")]
    assert "chi_thi" not in table and "thong_bao_ket_luan" not in table
    # the world's directive: 8 tasks, one completed; the states by their labels
    assert "1/8 nhiệm vụ hoàn thành" in text
    assert re.search(r"Đang thực hiện</span>\s*1", text)
    assert re.search(r"Đã giao</span>\s*4", text)
    assert f'href="/directives/{stc_directive.pk}/"' in text
    assert "02/06/2025" in text
    assert 'href="/directives/new/"' in text  # the office issues directives
    # newest first
    assert text.index("12/TB-UBND") < text.index("08/CT-UBND")


def test_a_department_lists_only_the_directives_holding_its_tasks(
    world: World, stc_directive: Directive, signed_in
):
    syt = page_text(signed_in(world.syt_officer).get("/directives/"))
    assert "12/TB-UBND" in syt and "08/CT-UBND" not in syt
    assert 'href="/directives/new/"' not in syt
    stc = page_text(signed_in(world.stc_head).get("/directives/"))
    assert "12/TB-UBND" in stc and "08/CT-UBND" in stc
    leader = page_text(signed_in(world.chairman).get("/directives/"))
    assert "08/CT-UBND" in leader and 'href="/directives/new/"' not in leader


def test_search_and_filters(world: World, stc_directive: Directive, signed_in):
    client = signed_in(world.office)

    def numbers(**params: str) -> set[str]:
        text = page_text(client.get("/directives/", params))
        return {n for n in ("12/TB-UBND", "08/CT-UBND") if f"<strong>{n}</strong>" in text}

    assert numbers(q="ct-ubnd") == {"08/CT-UBND"}  # the number, ignoring case
    assert numbers(q="kỷ luật tài chính") == {"08/CT-UBND"}  # the title
    assert numbers(q="kiểm soát chi") == {"08/CT-UBND"}  # the summary
    assert numbers(q="KY LUAT  tai chinh") == {"08/CT-UBND"}  # without diacritics
    assert numbers(q="đ") == {"12/TB-UBND", "08/CT-UBND"}  # too short: named, not applied
    short = page_text(client.get("/directives/", {"q": "đ"}))
    assert "Nhập ít nhất 3 chữ cái hoặc chữ số để tìm kiếm." in short
    assert numbers(kind="thong_bao_ket_luan") == {"12/TB-UBND"}
    assert numbers(year="2025") == {"08/CT-UBND"}
    assert numbers(completed="true") == set()
    assert numbers(completed="false") == {"12/TB-UBND", "08/CT-UBND"}
    assert numbers(kind="not-a-kind") == {"12/TB-UBND", "08/CT-UBND"}  # ignored
    # the years offered are those of the directives the caller may see
    syt = page_text(signed_in(world.syt_officer).get("/directives/"))
    assert '<option value="2025">' not in syt


def test_the_filters_answer_htmx_with_the_results_only(
    world: World, stc_directive: Directive, signed_in
):
    response = signed_in(world.office).get("/directives/", {"q": "08/CT"}, **HTMX)
    text = page_text(response)
    assert response.status_code == 200
    assert "<html" not in text
    assert "08/CT-UBND" in text and "12/TB-UBND" not in text
    assert 'id="directive-count" hx-swap-oob="innerHTML"' in text
    assert "1 văn bản" in text
    assert "HX-Request" in response["Vary"]


def test_the_list_has_pages_of_50(world: World, signed_in):
    for n in range(50):
        DirectiveFactory(number=f"{n + 100}/TB-UBND", issued_on=date(2024, 1, 1))
    client = signed_in(world.office)
    first = page_text(client.get("/directives/"))
    assert first.count('class="directive-table__title"') == 50
    assert "Trang 1/2" in first
    second = page_text(client.get("/directives/", {"page": "2"}))
    assert second.count('class="directive-table__title"') == 1


def test_the_list_takes_the_same_queries_for_1_or_30_directives(
    world: World, signed_in, django_assert_max_num_queries
):
    client = signed_in(world.stc_officer)
    client.get("/directives/")
    with CaptureQueriesContext(connection) as one:
        client.get("/directives/")
    for n in range(30):
        directive = DirectiveFactory(number=f"{n + 200}/TB-UBND", issued_on=date(2026, 2, 2))
        TaskFactory(directive=directive, lead_department=world.stc)
    with django_assert_max_num_queries(len(one.captured_queries)):
        text = page_text(client.get("/directives/"))
    assert text.count('class="directive-table__title"') == 31


# --- a directive ----------------------------------------------------------------------------


def test_the_directive_page_shows_its_tasks_with_deadlines_and_overlays(world: World, signed_in):
    directive = world.within.directive
    response = signed_in(world.office).get(f"/directives/{directive.pk}/")
    text = page_text(response)
    assert response.status_code == 200
    assert directive.title in text
    for task in (world.within, world.overdue, world.stc_task, world.paused):
        assert f'href="/tasks/{task.pk}/"' in text
    assert "Sở Tài chính" in text  # STC coordinates `within`, leads stc_task
    assert world.overdue.effective_deadline.strftime("%d/%m/%Y") in text
    assert text.count('class="tag tag--overdue"') == 1
    assert text.count('class="tag tag--due-soon"') == 1  # `due_soon`; `awaiting` is 5 days off
    assert "Quá hạn" in text and "Sắp đến hạn" in text
    assert "Tạm dừng" in text and "Chờ xác nhận hoàn thành" in text
    assert "1/8 nhiệm vụ hoàn thành" in text
    assert "Chỉ liệt kê các nhiệm vụ của đơn vị bạn" not in text


def test_a_department_sees_its_tasks_and_the_whole_progress(
    world: World, stc_directive: Directive, signed_in
):
    client = signed_in(world.stc_officer)
    text = page_text(client.get(f"/directives/{world.within.directive_id}/"))
    assert f'href="/tasks/{world.stc_task.pk}/"' in text
    assert f'href="/tasks/{world.within.pk}/"' in text  # STC coordinates it
    assert f'href="/tasks/{world.overdue.pk}/"' not in text
    assert "1/8 nhiệm vụ hoàn thành" in text
    assert "Chỉ liệt kê các nhiệm vụ của đơn vị bạn (3/8 nhiệm vụ)" in text
    # another department's directive is not found, as in the API
    response = signed_in(world.syt_officer).get(f"/directives/{stc_directive.pk}/")
    assert response.status_code == 404
    assert signed_in(world.syt_officer).get("/directives/999999/").status_code == 404


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["chairman", "scoring", "syt_head", "stc_officer"])
@pytest.mark.parametrize(
    "url",
    [
        "/directives/new/",
        "/directives/new/task-row/",
        "/directives/new/deadline-preview/",
        "/import/",
        "/import/samples/tasks.csv",
    ],
)
def test_only_the_office_issues_and_imports(world: World, signed_in, who: str, url: str):
    client = signed_in(getattr(world, who))
    assert client.get(url).status_code == 403
    if url in ("/directives/new/", "/import/"):
        assert client.post(url, {}).status_code == 403


def test_signed_out_visitors_go_to_sign_in(client):
    for url in ("/directives/", "/directives/1/", "/directives/new/", "/import/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/signin/")


# --- in the browser -------------------------------------------------------------------------


def test_the_list_and_a_directive_in_the_browser(live_world: World, open_page):
    world = live_world
    DirectiveFactory(number="08/CT-UBND", kind=DirectiveKind.CHI_THI, issued_on=date(2025, 6, 2))
    page = open_page(world.office)
    page.goto("/directives/")
    check_page(page, "directives-list")
    assert page.locator("tbody tr").count() == 2
    # the filters narrow the list as they change (htmx) and the address follows them
    page.get_by_label("Loại văn bản").select_option("chi_thi")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("#directive-count")).to_have_text("1 văn bản")
    assert "kind=chi_thi" in page.url
    page.get_by_label("Tìm kiếm").fill("12/TB")
    expect(page.get_by_text("Không có văn bản nào phù hợp")).to_be_visible()
    page.get_by_role("link", name="Xóa bộ lọc").click()
    # without diacritics, as officials type on a phone
    page.get_by_label("Tìm kiếm").fill("phien hop thuong ky")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("#directive-count")).to_have_text("1 văn bản")
    check_page(page, "directives-list-search")
    page.get_by_label("Tìm kiếm").fill("đ")
    page.wait_for_function("() => location.search.includes('q=%C4%91')")
    # not applied, and said above the list the search left as it was
    expect(page.get_by_role("alert")).to_contain_text(
        "Tìm kiếm: Nhập ít nhất 3 chữ cái hoặc chữ số để tìm kiếm."
    )
    check_page(page, "directives-list-search-too-short")
    page.get_by_role("link", name="Xóa bộ lọc").click()
    page.get_by_role("link", name=world.within.directive.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("12/TB-UBND")
    expect(page.locator(".tag--overdue")).to_have_text("Quá hạn")
    check_page(page, "directive-page")

    department = open_page(world.stc_officer)
    department.goto(f"/directives/{world.within.directive_id}/")
    expect(department.get_by_text("Chỉ liệt kê các nhiệm vụ của đơn vị bạn")).to_be_visible()
    check_page(department, "directive-page-department")


def test_issuing_a_directive_in_the_browser(live_world: World, open_page):
    world = live_world
    page = open_page(world.office)
    page.goto("/directives/new/")
    page.get_by_label("Số, ký hiệu").fill("77/TB-UBND")
    page.get_by_label("Loại văn bản").select_option(label="Thông báo kết luận")
    page.get_by_label("Tiêu đề").fill("Kết luận về công tác phòng chống dịch")
    page.get_by_label("Ngày ban hành").fill(world.today.isoformat())
    page.get_by_label("Người ký").fill("Nguyễn Văn An")
    rows = page.locator(".task-row")
    first = rows.nth(0)
    first.get_by_label("Tên nhiệm vụ").fill("Rà soát trạm y tế")
    lead = first.locator("fieldset.picker").nth(0)
    lead.get_by_label("Tìm đơn vị").fill("so y te")  # without diacritics
    expect(lead.get_by_label("STC – Sở Tài chính")).to_be_hidden()
    lead.get_by_label("SYT – Sở Y tế").check()
    check_page(page, "directive-new")

    # a row added by keyboard takes the focus on its title
    page.evaluate("window.stayed = true")
    page.get_by_role("button", name="Thêm nhiệm vụ").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(2)
    second = rows.nth(1)
    expect(second.get_by_label("Tên nhiệm vụ")).to_be_focused()
    page.keyboard.type("Bố trí kinh phí")
    second.locator("fieldset.picker").nth(0).get_by_label("STC – Sở Tài chính").check()
    second.get_by_label("hoặc số ngày làm việc").fill("10")
    expected = add_working_days(world.today, 10)
    expect(second.locator("[data-deadline-preview]")).to_have_text(expected.strftime("%d/%m/%Y"))
    rows_list = page.get_by_role("list", name="Nhiệm vụ")
    expect(rows_list.get_by_role("listitem")).to_have_count(2)  # "2 of 2" to a screen reader

    # a third row, removed again by a click: nothing is sent, the others stay
    page.get_by_role("button", name="Thêm nhiệm vụ").click()
    expect(rows).to_have_count(3)
    rows.nth(2).get_by_role("button", name="Bỏ nhiệm vụ này").click()
    expect(rows).to_have_count(2)
    assert page.evaluate("window.stayed") is True
    expect(second.get_by_label("Tên nhiệm vụ")).to_have_value("Bố trí kinh phí")

    # a deadline given twice: the row says so beside the field, nothing is saved
    second.get_by_label("Thời hạn (ngày)").fill(world.today.isoformat())
    page.get_by_role("button", name="Ban hành văn bản").click()
    error = page.locator(".task-row").nth(1).locator(".errorlist")
    expect(error).to_contain_text("không nhập cả hai")
    expect(page.get_by_role("alert")).to_contain_text("Chưa lưu gì")
    assert not Directive.objects.filter(number="77/TB-UBND").exists()
    check_page(page, "directive-new-errors")

    page.locator(".task-row").nth(1).get_by_label("Thời hạn (ngày)").fill("")
    page.get_by_role("button", name="Ban hành văn bản").click()
    expect(page.get_by_text("Đã ban hành văn bản 77/TB-UBND với 2 nhiệm vụ.")).to_be_visible()
    directive = Directive.objects.get(number="77/TB-UBND")
    assert [t.effective_deadline for t in directive.tasks.order_by("id")] == [None, expected]


def test_a_rejected_import_in_the_browser(live_world: World, open_page, tmp_path):
    page = open_page(live_world.office)
    page.goto("/import/")
    check_page(page, "import")
    path = tmp_path / "hong.csv"
    path.write_bytes(broken_csv())
    page.get_by_label("Tệp (CSV hoặc XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Nhập dữ liệu", exact=True).click()
    expect(page.get_by_role("heading", name="Không có dữ liệu nào được nhập")).to_be_focused()
    assert page.locator(".import-errors tbody tr").count() >= 3
    expect(page.locator(".import-errors")).to_contain_text("KHONGCO")
    expect(page.locator("#import-progress")).to_be_visible()  # the upload showed its progress
    assert page.url.endswith("/import/")  # htmx: the page stayed
    check_page(page, "import-rejected")

    add_sample_departments()
    page.get_by_label("Tệp (CSV hoặc XLSX)").set_input_files(str(SAMPLES / "tasks.xlsx"))
    page.get_by_role("button", name="Nhập dữ liệu", exact=True).click()
    expect(page.get_by_role("heading", name="Đã nhập xong tệp")).to_be_focused()
    expect(page.locator(".import-result dd").first).to_have_text("16")
    check_page(page, "import-done")
    page.get_by_role("link", name="Xem danh sách văn bản chỉ đạo").click()
    expect(page.get_by_text("1789/KH-UBND")).to_be_visible()
