"""Breaking an existing directive into tasks: the office's page, with the issue page's rows
(every error beside its field, all or nothing, rows added and removed without JavaScript),
who may open it, the directive page's way to it, the service it calls, and the page in the
browser (htmx rows, axe-core, screenshots)."""

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages
from playwright.sync_api import expect

from directives.models import Directive, DirectiveKind
from directives.selectors import default_task_deadline
from directives.services import DirectiveInvalid, directive_tasks_add
from directives.web.task_rows import new_row
from tests.browser_harness import check_page
from tests.directives.web.directives_support import HTMX, page_text, task_row
from tests.factories import DirectiveFactory
from tests.web_world import World
from tracker.models import Priority, Task, TaskStatus
from tracker.selectors.calendar import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(world: World) -> Directive:
    """A directive received without tasks (as the document system will send them)."""
    return DirectiveFactory(
        number="45/CT-UBND",
        kind=DirectiveKind.CHI_THI,
        title="Chỉ thị về tăng cường phòng, chống dịch bệnh mùa mưa",
        summary="Các sở, ngành triển khai ngay các biện pháp phòng dịch",
        issued_on=date(2026, 3, 2),
        signer=world.chairman.full_name,
    )


def url(directive: Directive) -> str:
    return f"/directives/{directive.pk}/tasks/new/"


def rows_form(world: World, rows: dict[str, dict[str, object]]) -> dict[str, object]:
    data: dict[str, object] = {"rows": list(rows)}
    for key, values in rows.items():
        data.update(task_row(key, world, **values))
    return data


# --- the page -------------------------------------------------------------------------------


def test_the_page_shows_the_directive_and_one_empty_row(world: World, received, signed_in):
    text = page_text(signed_in(world.office).get(url(received)))
    assert "45/CT-UBND" in text and received.title in text
    assert "02/03/2026" in text and received.summary in text
    assert text.count('name="rows"') == 1
    assert f'hx-get="/directives/{received.pk}/tasks/new/task-row/"' in text
    assert f'action="/directives/{received.pk}/tasks/new/"' in text
    assert f'value="{world.today.isoformat()}"' in text  # assigned today
    assert "data-deadline-preview" in text and 'data-remove-closest=".task-row"' in text
    assert 'name="task-' in text and "-deadline" in text
    assert not re.search(r'name="task-[a-z0-9]+-deadline" value=', text)  # no default yet


def test_the_office_adds_two_tasks(world: World, received, signed_in):
    client = signed_in(world.office)
    data = rows_form(
        world,
        {
            "a1": {"deadline": "2026-04-30", "priority": "urgent"},
            "b2": {
                "lead_department": world.stc.pk,
                "coordinating_departments": [world.syt.pk],
                "deadline_working_days": "10",
                "supervising_leader": world.chairman.pk,
            },
        },
    )
    response = client.post(url(received), data)
    assert response.status_code == 302
    assert response["Location"] == f"/directives/{received.pk}/"
    [message] = get_messages(response.wsgi_request)
    assert "45/CT-UBND" in str(message) and "2" in str(message)
    first, second = received.tasks.order_by("id")
    assert first.title == "Nhiệm vụ a1" and first.effective_deadline == date(2026, 4, 30)
    assert first.priority == Priority.URGENT and first.follow_up_officer == world.office
    assert first.status == TaskStatus.ASSIGNED and first.lead_department == world.syt
    assert second.lead_department == world.stc
    assert second.original_deadline == add_working_days(date(2026, 3, 3), 10)
    assert list(second.coordinating_departments.all()) == [world.syt]
    assert second.supervising_leader == world.chairman
    assert first.history.filter(actor=world.office).exists()
    page = page_text(client.get(response["Location"]))
    assert "Nhiệm vụ a1" in page and "Nhiệm vụ b2" in page


def test_errors_are_shown_beside_their_fields_and_nothing_is_created(
    world: World, received, signed_in
):
    data = rows_form(
        world,
        {
            "a": {},
            "b": {"deadline": "2026-03-01"},  # before the assigned date
            "c": {"title": "", "coordinating_departments": [world.syt.pk]},
            "d": {"lead_department": world.stc.pk, "coordinating_departments": [world.stc.pk]},
        },
    )
    response = signed_in(world.office).post(url(received), data)
    text = page_text(response)
    assert response.status_code == 400
    assert received.tasks.count() == 0
    error = re.search(r'<ul class="errorlist" id="id_task-b-deadline_error">(.*?)</ul>', text, re.S)
    assert error and "2026-03-01" in error.group(1)
    assert 'aria-describedby="id_task-b-deadline_error"' in text
    assert 'id="id_task-c-title_error"' in text  # a parsing error...
    assert 'id="id_task-d-coordinating_departments_error"' in text  # ...hides no rule's
    assert not re.search(r'id="id_task-a-\w+_error"', text)
    assert "Chưa lưu gì" in text
    assert all(f'href="#task-{key}"' in text for key in "bcd")  # the summary links each row
    assert 'value="Nhiệm vụ a"' in text and "45/CT-UBND" in text  # typed rows are kept


def test_no_task_at_all_is_refused(world: World, received, signed_in):
    response = signed_in(world.office).post(url(received), {})
    text = page_text(response)
    assert response.status_code == 400
    assert 'id="issue-errors"' in text and "<li>" in text.split('id="issue-errors"')[1]
    assert received.tasks.count() == 0


def test_rows_are_added_and_removed_without_javascript(world: World, received, signed_in):
    client = signed_in(world.office)
    data = rows_form(world, {"a": {}, "b": {"title": "Giữa"}, "c": {"title": "Cuối"}})
    added = page_text(client.post(url(received), {**data, "add_row": "1"}))
    assert added.count('name="rows"') == 4
    assert "errorlist" not in added  # nothing judged yet
    removed = client.post(url(received), {**data, "remove_row": "b"})
    text = page_text(removed)
    assert removed.status_code == 200
    assert text.count('name="rows"') == 2
    assert 'value="Giữa"' not in text and 'value="Cuối"' in text
    assert received.tasks.count() == 0


def test_a_new_row_for_the_directive(world: World, received, signed_in):
    client = signed_in(world.office)
    response = client.get(f"/directives/{received.pk}/tasks/new/task-row/", **HTMX)
    text = page_text(response)
    assert response.status_code == 200 and "<html" not in text
    key = re.search(r'name="rows" value="([a-z0-9]+)"', text).group(1)
    assert f'name="task-{key}-title"' in text and "autofocus" in text
    assert client.get("/directives/999999/tasks/new/task-row/", **HTMX).status_code == 404


def test_a_new_row_takes_the_directive_default_deadline(world: World, received, signed_in):
    """A directive received with a DueDate gives it to every new row (the official may
    change it), on the page and in each row added; without one the rows start empty."""
    assert default_task_deadline(received) is None
    assert new_row(world.office)["deadline"].value() is None
    received.default_deadline = date(2026, 5, 15)
    received.save(update_fields=["default_deadline"])
    assert default_task_deadline(received) == date(2026, 5, 15)
    row = new_row(world.office, deadline=default_task_deadline(received))
    assert 'value="2026-05-15"' in str(row["deadline"]) and row.preview.date == date(2026, 5, 15)
    client = signed_in(world.office)
    assert 'value="2026-05-15"' in page_text(client.get(url(received)))
    added = client.get(f"{url(received)}task-row/", **HTMX)
    assert 'value="2026-05-15"' in page_text(added)


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["chairman", "scoring", "syt_head", "syt_officer", "stc_officer"])
def test_only_the_office_adds_tasks(world: World, received, signed_in, who: str):
    client = signed_in(getattr(world, who))
    in_scope = world.within.directive  # the departments see this one
    for directive in (received, in_scope):
        assert client.get(url(directive)).status_code == 403
        assert client.post(url(directive), rows_form(world, {"a": {}})).status_code == 403
        assert client.get(f"{url(directive)}task-row/").status_code == 403
    assert received.tasks.count() == 0


def test_a_directive_that_does_not_exist_is_not_found(world: World, signed_in, client):
    office = signed_in(world.office)
    missing = "/directives/999999/tasks/new/"
    assert office.get(missing).status_code == 404
    assert office.post(missing, rows_form(world, {"a": {}})).status_code == 404
    response = client.get(url(world.within.directive))
    assert response.status_code == 302 and response["Location"].startswith("/signin/")


# --- the directive page ---------------------------------------------------------------------


def test_a_directive_without_tasks_asks_the_office_to_add_them(world: World, received, signed_in):
    text = page_text(signed_in(world.office).get(f"/directives/{received.pk}/"))
    panel = re.search(r'<div class="panel panel--action">(.*?)</div>', text, re.S)
    assert panel and f'href="/directives/{received.pk}/tasks/new/"' in panel.group(1)
    assert 'class="empty"' not in text


def test_a_directive_with_tasks_keeps_the_office_link(world: World, signed_in):
    directive = world.within.directive
    text = page_text(signed_in(world.office).get(f"/directives/{directive.pk}/"))
    assert f'href="/directives/{directive.pk}/tasks/new/"' in text
    assert "panel--action" not in text
    for who in ("chairman", "syt_officer"):
        other = page_text(signed_in(getattr(world, who)).get(f"/directives/{directive.pk}/"))
        assert "/tasks/new/" not in other


# --- the service ----------------------------------------------------------------------------


def test_the_service_names_every_wrong_task_by_position_and_writes_nothing(world: World, received):
    good = {"title": "Đúng", "lead_department": world.syt, "assigned_on": date(2026, 3, 3)}
    with pytest.raises(DirectiveInvalid) as caught:
        directive_tasks_add(
            actor=world.office,
            directive=received,
            tasks=[
                good,
                {**good, "deadline": date(2026, 3, 2)},
                {**good, "deadline": date(2026, 4, 1), "deadline_working_days": 5},
                {**good, "coordinating_departments": [world.syt]},
            ],
        )
    error = caught.value
    assert error.directive_errors == {}
    assert {p: set(e) for p, e in error.task_errors.items()} == {
        1: {"deadline"},
        2: {"deadline_working_days"},
        3: {"coordinating_departments"},
    }
    assert received.tasks.count() == 0


def test_the_service_refuses_no_task_and_adds_to_a_directive_with_tasks(world: World):
    directive = world.within.directive
    with pytest.raises(DirectiveInvalid) as caught:
        directive_tasks_add(actor=world.office, directive=directive, tasks=[])
    assert set(caught.value.directive_errors) == {"tasks"}
    before = directive.tasks.count()
    task = {"title": "Thêm", "lead_department": world.stc, "assigned_on": date(2026, 3, 3)}
    added = directive_tasks_add(actor=world.office, directive=directive, tasks=[task, task])
    assert [t.directive_id for t in added] == [directive.pk, directive.pk]
    assert directive.tasks.count() == before + 2
    assert Task.objects.filter(pk__in=[t.pk for t in added], title="Thêm").count() == 2


# --- in the browser -------------------------------------------------------------------------


ADD_TASKS = re.compile("Add tasks|Giao nhiệm vụ")
SAVE = re.compile("Save the tasks|Lưu các nhiệm vụ")


def test_adding_two_tasks_in_the_browser(live_world: World, open_page):
    world = live_world
    directive = DirectiveFactory(
        number="46/CT-UBND",
        kind=DirectiveKind.CHI_THI,
        title="Chỉ thị về công tác phòng, chống thiên tai năm 2026",
        summary="Các sở, ngành chủ động phương án ứng phó bão lũ",
        issued_on=world.today,
        signer=world.chairman.full_name,
    )
    page = open_page(world.office)
    page.goto(f"/directives/{directive.pk}/")
    check_page(page, "directive-page-no-tasks")
    page.locator(".panel--action").get_by_role("link", name=ADD_TASKS).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.endswith(f"/directives/{directive.pk}/tasks/new/")
    rows = page.locator(".task-row")
    first = rows.nth(0)
    first.get_by_label("Tên nhiệm vụ").fill("Rà soát hệ thống đê điều")
    lead = first.locator("fieldset.picker").nth(0)
    lead.get_by_label("Tìm đơn vị").fill("so tai chinh")  # without diacritics
    lead.get_by_label("STC – Sở Tài chính").check()
    first.get_by_label("Thời hạn (ngày)").fill(add_working_days(world.today, 5).isoformat())
    check_page(page, "directive-add-tasks")

    page.get_by_role("button", name="Thêm nhiệm vụ").click()  # htmx: one more row
    expect(rows).to_have_count(2)
    second = rows.nth(1)
    expect(second.get_by_label("Tên nhiệm vụ")).to_be_focused()
    page.keyboard.type("Dự trữ vật tư cứu hộ")
    second.locator("fieldset.picker").nth(0).get_by_label("SYT – Sở Y tế").check()
    second.get_by_label("hoặc số ngày làm việc").fill("10")
    expected = add_working_days(world.today, 10)
    expect(second.locator("[data-deadline-preview]")).to_have_text(expected.strftime("%d/%m/%Y"))

    # a wrong row, sent by Enter in a field (as the main button, not a row's "Remove"): the
    # error beside its field, nothing saved
    second.get_by_label("Thời hạn (ngày)").fill(world.today.isoformat())
    second.get_by_label("hoặc số ngày làm việc").press("Enter")
    expect(rows).to_have_count(2)
    expect(page.locator(".task-row").nth(1).locator(".errorlist")).to_contain_text(
        "không nhập cả hai"
    )
    expect(page.get_by_role("alert")).to_contain_text("Chưa lưu gì")
    assert not directive.tasks.exists()
    check_page(page, "directive-add-tasks-errors")

    page.locator(".task-row").nth(1).get_by_label("Thời hạn (ngày)").fill("")
    page.get_by_role("button", name=SAVE).click()
    expect(page.locator(".message")).to_contain_text("46/CT-UBND")
    assert page.url.endswith(f"/directives/{directive.pk}/")
    expect(page.locator("tbody tr")).to_have_count(2)
    check_page(page, "directive-page-tasks-added")
    tasks = list(directive.tasks.order_by("id"))
    assert [t.title for t in tasks] == ["Rà soát hệ thống đê điều", "Dự trữ vật tư cứu hộ"]
    assert [t.effective_deadline for t in tasks] == [add_working_days(world.today, 5), expected]
    assert [t.lead_department for t in tasks] == [world.stc, world.syt]
