"""Issuing a directive with its task rows: every error beside its field (a field of any
row), all or nothing, deadlines as dates or working days with their preview, rows added
and removed without JavaScript."""

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages

from directives.models import Directive, DirectiveKind
from directives.services import DirectiveInvalid, directive_create
from tests.directives.web.directives_support import HTMX, page_text, task_row
from tests.factories import DepartmentFactory, DirectiveFactory
from tests.web_world import World
from tracker.models import CalendarAdjustmentKind, Priority, Task
from tracker.selectors.calendar import add_working_days
from tracker.services.calendar import calendar_adjustment_create

pytestmark = pytest.mark.django_db


# --- issuing a directive --------------------------------------------------------------------


def directive_fields(**extra: str) -> dict[str, str]:
    return {
        "number": "99/TB-UBND",
        "kind": "thong_bao_ket_luan",
        "title": "Kết luận của Chủ tịch UBND tỉnh về phòng chống dịch",
        "issued_on": "2026-03-02",
        "signer": "Nguyễn Văn An",
        "summary": "Tăng cường phòng chống dịch bệnh mùa mưa",
        **extra,
    }


def issue_form(world: World, rows: dict[str, dict[str, object]], **fields: str) -> dict:
    data: dict[str, object] = {**directive_fields(**fields), "rows": list(rows)}
    for key, values in rows.items():
        data.update(task_row(key, world, **values))
    return data


def test_the_issue_page_starts_with_one_row_and_searchable_department_lists(
    world: World, signed_in
):
    department = DepartmentFactory(code="SXD", name="Sở Xây dựng")
    gone = DepartmentFactory(code="SCU", name="Sở Cũ")
    gone.active = False
    gone.save()
    text = page_text(signed_in(world.office).get("/directives/new/"))
    assert text.count('name="rows"') == 1
    assert 'data-filter-list="task-' in text
    assert 'data-filter-text="SXD – Sở Xây dựng"' in text
    assert f'value="{department.pk}"' in text
    assert "SCU" not in text  # only active departments
    assert f'value="{world.today.isoformat()}"' in text  # assigned today
    assert "data-deadline-preview" in text and 'aria-live="polite"' in text
    assert 'data-remove-closest=".task-row"' in text
    assert 'hx-get="/directives/new/task-row/"' in text


def test_issuing_with_an_error_in_one_row_saves_nothing_and_shows_it_beside_the_field(
    world: World, signed_in
):
    before = (Directive.objects.count(), Task.objects.count())
    data = issue_form(
        world,
        {
            "a": {},
            "b": {"deadline": "2026-03-01"},  # before the assigned date
        },
    )
    response = signed_in(world.office).post("/directives/new/", data)
    text = page_text(response)
    assert response.status_code == 400
    assert (Directive.objects.count(), Task.objects.count()) == before
    error = re.search(r'<ul class="errorlist" id="id_task-b-deadline_error">(.*?)</ul>', text, re.S)
    assert error and "2026-03-01" in error.group(1)
    assert "id_task-a-deadline_error" not in text
    assert 'aria-describedby="id_task-b-deadline_error"' in text
    assert 'href="#task-b"' in text  # the summary on top links to the row
    assert "Chưa lưu gì" in text
    # what was typed is kept
    assert 'value="Nhiệm vụ a"' in text and 'value="99/TB-UBND"' in text


def test_every_row_error_is_shown_at_once_parsing_and_rules(world: World, signed_in):
    data = issue_form(
        world,
        {
            "a": {"coordinating_departments": [world.syt.pk]},  # the lead coordinates too
            "b": {},
            "c": {"title": "", "deadline_working_days": "ba"},
        },
        number="",
    )
    response = signed_in(world.office).post("/directives/new/", data)
    text = page_text(response)
    assert response.status_code == 400
    assert 'id="id_task-a-coordinating_departments_error"' in text
    assert 'id="id_task-c-title_error"' in text
    assert 'id="id_task-c-deadline_working_days_error"' in text
    assert 'id="id_number_error"' in text
    assert not re.search(r'id="id_task-b-\w+_error"', text)
    assert Directive.objects.filter(title=directive_fields()["title"]).count() == 0


def test_a_deadline_as_a_date_and_as_working_days_is_an_error(world: World, signed_in):
    data = issue_form(world, {"a": {"deadline": "2026-04-30", "deadline_working_days": "10"}})
    response = signed_in(world.office).post("/directives/new/", data)
    text = page_text(response)
    assert response.status_code == 400
    error = re.search(r'id="id_task-a-deadline_working_days_error">(.*?)</ul>', text, re.S)
    assert error and "không nhập cả hai" in error.group(1)
    assert not Directive.objects.filter(number="99/TB-UBND").exists()


def test_a_number_already_issued_that_year_is_an_error_beside_it(world: World, signed_in):
    DirectiveFactory(number="99/TB-UBND", issued_on=date(2026, 1, 5))
    response = signed_in(world.office).post("/directives/new/", issue_form(world, {"a": {}}))
    text = page_text(response)
    assert response.status_code == 400
    error = re.search(r'id="id_number_error">(.*?)</ul>', text, re.S)
    assert error and "99/TB-UBND" in error.group(1) and "2026" in error.group(1)


def test_issuing_three_tasks_with_a_deadline_in_working_days(world: World, signed_in):
    client = signed_in(world.office)
    data = issue_form(
        world,
        {
            "k1": {"deadline": "2026-04-30", "priority": "urgent"},
            "k2": {
                "lead_department": world.stc.pk,
                "coordinating_departments": [world.syt.pk, world.office_department.pk],
                "deadline_working_days": "10",
                "supervising_leader": world.chairman.pk,
            },
            "k3": {"follow_up_officer": ""},
        },
    )
    response = client.post("/directives/new/", data)
    directive = Directive.objects.get(number="99/TB-UBND")
    assert response.status_code == 302
    assert response["Location"] == f"/directives/{directive.pk}/"
    [message] = get_messages(response.wsgi_request)
    assert "99/TB-UBND" in str(message) and "3" in str(message)
    first, second, third = directive.tasks.order_by("id")
    assert first.title == "Nhiệm vụ k1" and first.effective_deadline == date(2026, 4, 30)
    assert first.priority == Priority.URGENT and first.follow_up_officer == world.office
    assert second.lead_department == world.stc
    assert second.original_deadline == add_working_days(date(2026, 3, 3), 10)
    assert set(second.coordinating_departments.all()) == {world.syt, world.office_department}
    assert second.supervising_leader == world.chairman
    assert third.effective_deadline is None and third.follow_up_officer is None
    assert directive.created_by == world.office
    assert first.history.filter(actor=world.office).exists()
    page = page_text(client.get(response["Location"]))
    assert "Đã ban hành văn bản 99/TB-UBND với 3 nhiệm vụ." in page


def test_rows_are_added_and_removed_without_javascript(world: World, signed_in):
    client = signed_in(world.office)
    data = issue_form(world, {"a": {}, "b": {"title": "Giữa"}, "c": {"title": "Cuối"}})
    added = page_text(client.post("/directives/new/", {**data, "add_row": "1"}))
    assert added.count('name="rows"') == 4
    assert "errorlist" not in added  # nothing judged yet
    removed = client.post("/directives/new/", {**data, "remove_row": "b"})
    text = page_text(removed)
    assert removed.status_code == 200
    assert text.count('name="rows"') == 2
    assert 'value="Giữa"' not in text and 'value="Cuối"' in text
    assert 'value="99/TB-UBND"' in text
    assert not Directive.objects.filter(number="99/TB-UBND").exists()


def test_a_new_row_fragment(world: World, signed_in):
    response = signed_in(world.office).get("/directives/new/task-row/", **HTMX)
    text = page_text(response)
    assert response.status_code == 200 and "<html" not in text
    key = re.search(r'name="rows" value="([a-z0-9]+)"', text).group(1)
    assert f'name="task-{key}-title"' in text and "autofocus" in text


@pytest.mark.parametrize(
    ("start", "days", "day_off"),
    [
        ("2026-04-24", 5, None),  # over 30/4 and 1/5
        ("2026-12-30", 3, None),  # over New Year
        ("2026-03-03", 0, None),
        ("2026-03-03", 4, "2026-03-05"),  # the office's day off counts
    ],
)
def test_the_deadline_preview_counts_working_days_as_the_calendar(
    world: World, signed_in, start: str, days: int, day_off: str | None
):
    if day_off is not None:
        calendar_adjustment_create(
            date=date.fromisoformat(day_off), kind=CalendarAdjustmentKind.DAY_OFF
        )
    client = signed_in(world.office)
    response = client.get(
        "/directives/new/deadline-preview/",
        {"prefix": "task-x", "task-x-assigned_on": start, "task-x-deadline_working_days": days},
    )
    expected = add_working_days(date.fromisoformat(start), days)
    assert page_text(response).strip() == expected.strftime("%d/%m/%Y")
    api = client.get("/api/v1/calendar/add-working-days/", {"start": start, "days": days})
    assert api.status_code == 200 and api.json()["date"] == expected.isoformat()


def test_the_deadline_preview_says_what_is_wrong(world: World, signed_in):
    client = signed_in(world.office)

    def preview(**values: str) -> str:
        params = {"prefix": "task-x", **{f"task-x-{k}": v for k, v in values.items()}}
        return page_text(client.get("/directives/new/deadline-preview/", params)).strip()

    assert preview(assigned_on="2026-03-03") == "Không có thời hạn"
    assert preview(assigned_on="2026-03-03", deadline="2026-04-30") == "30/04/2026"
    assert "không nhập cả hai" in preview(
        assigned_on="2026-03-03", deadline="2026-04-30", deadline_working_days="4"
    )
    assert preview(assigned_on="2026-03-03", deadline_working_days="-1") == "—"


def test_directive_create_names_every_wrong_task_by_position_and_writes_nothing(world: World):
    """The service the page calls: every row judged before anything is written."""
    good = {"title": "Đúng", "lead_department": world.syt, "assigned_on": date(2026, 3, 3)}
    with pytest.raises(DirectiveInvalid) as caught:
        directive_create(
            actor=world.office,
            tasks=[
                good,
                {**good, "deadline": date(2026, 3, 2)},
                {**good, "deadline": date(2026, 4, 1), "deadline_working_days": 5},
                {**good, "coordinating_departments": [world.syt]},
            ],
            number="12/TB-UBND",  # the world's, same year
            kind=DirectiveKind.CHI_THI,
            title="Trùng số",
            issued_on=world.within.directive.issued_on,
            signer="Nguyễn Văn An",
        )
    error = caught.value
    assert set(error.directive_errors) == {"number"}
    assert {p: set(e) for p, e in error.task_errors.items()} == {
        1: {"deadline"},
        2: {"deadline_working_days"},
        3: {"coordinating_departments"},
    }
    assert len(error.message_dict["tasks"]) == 3  # a plain ValidationError for the API
    assert not Directive.objects.filter(title="Trùng số").exists()
