"""The admin, in Vietnamese, writes through the same services as the API."""

import html
import re

import pytest
from django.utils import timezone

from directives.models import Directive
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory
from tracker.models import (
    CalendarAdjustment,
    Department,
    Task,
    TaskHistory,
    TaskHistoryAction,
)

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/tracker/user/",
    "/admin/tracker/user/add/",
    "/admin/tracker/department/",
    "/admin/tracker/department/add/",
    "/admin/tracker/task/",
    "/admin/tracker/task/add/",
    "/admin/tracker/taskhistory/",
    "/admin/tracker/calendaradjustment/",
    "/admin/directives/directive/",
    "/admin/directives/directive/add/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_render(admin_client_vi, url):
    TaskFactory()
    response = admin_client_vi.get(url)
    assert response.status_code == 200


def test_admin_labels_are_vietnamese(admin_client_vi):
    TaskFactory()
    page = admin_client_vi.get("/admin/tracker/task/").content.decode()
    assert "nhiệm vụ" in page.lower()
    assert "Đơn vị chủ trì" in page or "đơn vị chủ trì" in page


def test_admin_task_edit_goes_through_the_service(admin_client_vi):
    lead, coordinating = DepartmentFactory(code="SYT"), DepartmentFactory(code="STC")
    task = TaskFactory(lead_department=lead)
    response = admin_client_vi.post(
        f"/admin/tracker/task/{task.pk}/change/",
        {
            "directive": task.directive_id,
            "title": task.title,
            "content": "",
            "lead_department": lead.pk,
            "coordinating": [coordinating.pk],
            "assigned_on": "2026-03-02",
            "deadline": "2026-05-29",
            "priority": "urgent",
            "history-TOTAL_FORMS": "0",
            "history-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert task.effective_deadline.isoformat() == "2026-05-29"
    assert list(task.coordinating_departments.values_list("code", flat=True)) == ["STC"]
    assert task.version == 2
    actions = set(TaskHistory.objects.filter(task=task).values_list("action", flat=True))
    assert {TaskHistoryAction.DEADLINE_CHANGED, TaskHistoryAction.COORDINATING_CHANGED} <= actions


def test_admin_refuses_the_lead_as_coordinating(admin_client_vi):
    lead = DepartmentFactory(code="SYT")
    directive = DirectiveFactory()
    response = admin_client_vi.post(
        "/admin/tracker/task/add/",
        {
            "directive": directive.pk,
            "title": "Nhiệm vụ thử",
            "lead_department": lead.pk,
            "coordinating": [lead.pk],
            "assigned_on": "2026-03-02",
            "priority": "normal",
            "history-TOTAL_FORMS": "0",
            "history-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Task.objects.filter(title="Nhiệm vụ thử").exists()


def test_admin_refuses_a_duplicate_directive_number(admin_client_vi):
    DirectiveFactory(number="125/TB-UBND", issued_on="2026-03-02")
    response = admin_client_vi.post(
        "/admin/directives/directive/add/",
        {
            "number": "125/TB-UBND",
            "kind": "chi_thi",
            "title": "Trùng số",
            "issued_on": "2026-07-01",
            "signer": "Nguyễn Văn An",
            "summary": "",
            "tasks-TOTAL_FORMS": "0",
            "tasks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "125/TB-UBND" in response.content.decode()


def test_admin_task_add_goes_through_the_service(admin_client_vi):
    lead = DepartmentFactory(code="SYT")
    directive = DirectiveFactory()
    response = admin_client_vi.post(
        "/admin/tracker/task/add/",
        {
            "directive": directive.pk,
            "title": "Rà soát cơ sở y tế",
            "lead_department": lead.pk,
            "assigned_on": "2026-03-02",
            "deadline": "2026-03-31",
            "priority": "normal",
            "history-TOTAL_FORMS": "0",
            "history-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Task.objects.get(title="Rà soát cơ sở y tế")
    assert (task.original_deadline, task.effective_deadline) == (task.effective_deadline,) * 2
    entry = TaskHistory.objects.get(task=task)
    assert (entry.action, entry.actor.username) == (TaskHistoryAction.CREATED, "quantri")


def test_admin_directive_add_records_who_created_it(admin_client_vi):
    response = admin_client_vi.post(
        "/admin/directives/directive/add/",
        {
            "number": "08/CT-UBND",
            "kind": "chi_thi",
            "title": "Tăng cường phòng, chống sốt xuất huyết",
            "issued_on": "2026-07-01",
            "signer": "Nguyễn Văn An",
            "summary": "",
            "tasks-TOTAL_FORMS": "0",
            "tasks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    directive = Directive.objects.get(number="08/CT-UBND")
    assert (directive.issued_year, directive.created_by.username) == (2026, "quantri")


def test_admin_actions_run_the_lifecycle_with_a_reason(admin_client_vi):
    task = TaskFactory()
    response = admin_client_vi.post(
        "/admin/tracker/task/",
        {"action": "pause", "_selected_action": [task.pk], "reason": "Chờ ý kiến Bộ"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "paused"
    entry = TaskHistory.objects.get(task=task, action=TaskHistoryAction.STATUS_CHANGED)
    assert (entry.old, entry.new, entry.reason) == ("assigned", "paused", "Chờ ý kiến Bộ")


def test_admin_action_without_reason_or_in_a_wrong_state_changes_nothing(admin_client_vi):
    task = TaskFactory()
    admin_client_vi.post(
        "/admin/tracker/task/", {"action": "cancel", "_selected_action": [task.pk], "reason": ""}
    )
    admin_client_vi.post(
        "/admin/tracker/task/",
        {"action": "resume", "_selected_action": [task.pk], "reason": "Tiếp tục"},
    )
    task.refresh_from_db()
    assert task.status == "assigned"
    assert not TaskHistory.objects.filter(task=task, action=TaskHistoryAction.STATUS_CHANGED)


def _text(response) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", response.content.decode())
    return " ".join(html.unescape(re.sub(r"(?s)<[^>]+>", " ", page)).split())


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


@pytest.fixture
def paused_task(admin_client_vi):
    task = TaskFactory(title="Rà soát cơ sở y tế")
    admin_client_vi.post(
        "/admin/tracker/task/",
        {"action": "pause", "_selected_action": [task.pk], "reason": "Chờ ý kiến Bộ"},
    )
    return task


def test_the_task_page_shows_its_history_in_words_with_local_times(admin_client_vi, paused_task):
    text = _text(admin_client_vi.get(f"/admin/tracker/task/{paused_task.pk}/change/"))

    created, paused = paused_task.history.order_by("at", "id")
    assert "Lịch sử nhiệm vụ" in text
    assert f"{_local(created.at)} hệ thống Giao nhiệm vụ." in text
    by = paused.actor.full_name
    assert f"{_local(paused.at)} {by} Tạm dừng nhiệm vụ. Chờ ý kiến Bộ" in text
    for raw in ("status_changed", "paused", '"assigned"', "UTC", paused.at.isoformat()[:16]):
        assert raw not in text


def test_the_history_list_says_each_entry_in_words(admin_client_vi, paused_task):
    entry = paused_task.history.get(action=TaskHistoryAction.STATUS_CHANGED)

    text = _text(admin_client_vi.get("/admin/tracker/taskhistory/"))

    assert f"{_local(entry.at)} {paused_task.title} {entry.actor.full_name}" in text
    assert "Tạm dừng nhiệm vụ. Chờ ý kiến Bộ" in text
    assert "status_changed" not in text and "Status changed" not in text
    filtered = _text(admin_client_vi.get("/admin/tracker/taskhistory/?action__exact=created"))
    assert "Giao nhiệm vụ." in filtered and "Tạm dừng nhiệm vụ." not in filtered


def test_an_entry_is_read_on_its_task_page_and_never_written(admin_client_vi, paused_task):
    entry = paused_task.history.get(action=TaskHistoryAction.STATUS_CHANGED)
    url = f"/admin/tracker/taskhistory/{entry.pk}/change/"

    response = admin_client_vi.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/tracker/task/{paused_task.pk}/change/#history"

    admin_client_vi.post(url, {"reason": "Sửa lịch sử"})
    admin_client_vi.post(f"/admin/tracker/taskhistory/{entry.pk}/delete/", {"post": "yes"})
    admin_client_vi.post("/admin/tracker/taskhistory/add/", {"reason": "Thêm lịch sử"})
    entry.refresh_from_db()
    assert entry.reason == "Chờ ý kiến Bộ"
    assert paused_task.history.count() == 2
    assert TaskHistory.objects.count() == 2
    page = admin_client_vi.get(f"/admin/tracker/task/{paused_task.pk}/change/").content.decode()
    assert 'name="history-TOTAL_FORMS"' not in page  # no inline form: nothing to submit


# --- the rules the API keeps hold in the admin too ------------------------------------------


def _form_errors(response) -> dict[str, list[str]]:
    return response.context["adminform"].form.errors


def test_admin_refuses_a_calendar_adjustment_that_changes_nothing(admin_client_vi):
    sunday = {"date": "2026-03-08", "kind": "day_off", "note": "Nhầm"}
    response = admin_client_vi.post("/admin/tracker/calendaradjustment/add/", sunday)
    assert response.status_code == 200  # the form again, with the error beside the kind
    assert _form_errors(response)["kind"] == [
        "Ngày 2026-03-08 đã là ngày nghỉ; điều chỉnh này không thay đổi gì."
    ]
    assert not CalendarAdjustment.objects.exists()

    saturday = {"date": "2026-03-07", "kind": "working_day", "note": "Làm bù"}
    response = admin_client_vi.post("/admin/tracker/calendaradjustment/add/", saturday)
    assert response.status_code == 302, _text(response)[:2000]
    assert list(CalendarAdjustment.objects.values_list("kind", flat=True)) == ["working_day"]
    again = admin_client_vi.post("/admin/tracker/calendaradjustment/add/", saturday)
    assert list(_form_errors(again)) == ["date"]
    assert CalendarAdjustment.objects.count() == 1


def test_admin_refuses_a_department_under_itself_or_one_of_its_units(admin_client_vi):
    syt = DepartmentFactory(code="SYT", name="Sở Y tế")
    unit = DepartmentFactory(code="TTYT", name="Trung tâm Y tế", parent=syt)
    below = DepartmentFactory(code="TRAM", name="Trạm Y tế", parent=unit)
    fields = {"code": "SYT", "name": "Sở Y tế", "kind": "so", "active": "on"}
    for parent in (syt, below):
        response = admin_client_vi.post(
            f"/admin/tracker/department/{syt.pk}/change/", {**fields, "parent": parent.pk}
        )
        assert response.status_code == 200
        assert list(_form_errors(response)) == ["parent"]
        syt.refresh_from_db()
        assert syt.parent_id is None


def test_admin_refuses_a_department_code_differing_only_in_case(admin_client_vi):
    syt = DepartmentFactory(code="SYT", name="Sở Y tế")
    fields = {"name": "Sở Y tế (bản trùng)", "kind": "so", "active": "on"}
    response = admin_client_vi.post("/admin/tracker/department/add/", {**fields, "code": "syt"})
    assert response.status_code == 200  # a message beside the code, not an IntegrityError
    assert _form_errors(response)["code"] == ["Đã có cơ quan, đơn vị mang mã này."]
    assert list(Department.objects.values_list("code", flat=True)) == ["SYT"]

    own = {**fields, "name": "Sở Y tế", "code": "Syt"}  # its own code, in another case
    response = admin_client_vi.post(f"/admin/tracker/department/{syt.pk}/change/", own)
    assert response.status_code == 302, _text(response)[:2000]
    syt.refresh_from_db()
    assert syt.code == "Syt"
