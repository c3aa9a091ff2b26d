"""Bad input: 400 naming every failing field (nested positions included), the database
left exactly as it was, messages in the caller's language, and never a 500."""

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from directives.models import Directive
from tests.conftest import client_for
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory
from tracker.models import Department, Task, TaskCoordination, TaskHistory, User
from tracker.services.departments import department_create, department_update

pytestmark = pytest.mark.django_db

HUGE = 10**30  # beyond any database integer
HUGE_ID = str(HUGE)


@pytest.fixture
def sxd() -> Department:
    return DepartmentFactory(code="SXD", name="Sở Xây dựng")


@pytest.fixture
def directive() -> Directive:
    return DirectiveFactory(number="125/TB-UBND", issued_on=dt.date(2026, 3, 2))


@pytest.fixture
def task(directive, department, other_department, sxd) -> Task:
    """SYT leads, STC coordinates, assigned 2026-03-02, deadline 2026-04-30."""
    return TaskFactory(
        directive=directive,
        title="Triển khai tiêm chủng mở rộng",
        lead_department=department,
        coordinating_departments=[other_department],
        assigned_on=dt.date(2026, 3, 2),
        deadline=dt.date(2026, 4, 30),
    )


@pytest.fixture
def office(office_user) -> APIClient:
    return client_for(office_user)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Directive, Task, TaskCoordination, TaskHistory, Department, User)
    }


def task_state(task: Task) -> dict[str, Any]:
    fresh = Task.objects.get(pk=task.pk)
    return {
        "title": fresh.title,
        "lead": fresh.lead_department_id,
        "coordinating": sorted(fresh.coordinating_departments.values_list("code", flat=True)),
        "assigned_on": fresh.assigned_on,
        "deadline": (fresh.original_deadline, fresh.effective_deadline),
        "priority": fresh.priority,
        "version": fresh.version,
        "updated_at": fresh.updated_at,
        "history": fresh.history.count(),
    }


def task_payload(directive: Directive, /, **overrides: Any) -> dict[str, Any]:
    payload = {
        "directive": directive.pk,
        "title": "Rà soát danh sách đối tượng",
        "content": "",
        "lead_department": "SYT",
        "coordinating_departments": ["STC"],
        "assigned_on": "2026-03-02",
        "deadline": "2026-04-30",
        "priority": "normal",
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not OMIT}


def directive_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "number": "130/TB-UBND",
        "kind": "thong_bao_ket_luan",
        "title": "Kết luận của Chủ tịch UBND tỉnh",
        "issued_on": "2026-03-10",
        "signer": "Nguyễn Văn An",
        "summary": "",
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not OMIT}


OMIT = object()


def assert_refused(response, fields: set[str], before: dict[str, int]) -> None:
    assert response.status_code == 400, response.content
    assert fields <= set(response.data), response.data
    for field in fields:
        messages = response.data[field]
        assert messages, response.data
    assert counts() == before


# --- Task create -----------------------------------------------------------------------

BAD_TASK_INPUTS = [
    ({"assigned_on": "2026-02-30"}, "assigned_on"),
    ({"assigned_on": "30/01/2026"}, "assigned_on"),
    ({"assigned_on": ""}, "assigned_on"),
    ({"deadline": "2026-02-30"}, "deadline"),
    ({"deadline": "30/01/2026"}, "deadline"),
    ({"deadline": ""}, "deadline"),
    ({"lead_department": "XXX"}, "lead_department"),
    ({"lead_department": HUGE}, "lead_department"),
    ({"lead_department": HUGE_ID}, "lead_department"),
    ({"lead_department": "SYT\x00"}, "lead_department"),
    ({"lead_department": True}, "lead_department"),
    ({"lead_department": None}, "lead_department"),
    ({"lead_department": OMIT}, "lead_department"),
    ({"coordinating_departments": ["STC", "XXX"]}, "coordinating_departments"),
    ({"coordinating_departments": [HUGE]}, "coordinating_departments"),
    ({"coordinating_departments": "STC"}, "coordinating_departments"),
    ({"coordinating_departments": ["SYT"]}, "coordinating_departments"),
    ({"coordinating_departments": ["STC", "SYT"]}, "coordinating_departments"),
    ({"coordinating_departments": ["STC", "STC"]}, "coordinating_departments"),
    ({"deadline": "2026-03-01"}, "deadline"),
    ({"deadline_working_days": 10}, "deadline_working_days"),
    ({"deadline": OMIT, "deadline_working_days": -1}, "deadline_working_days"),
    ({"deadline": OMIT, "deadline_working_days": HUGE}, "deadline_working_days"),
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": OMIT}, "title"),
    ({"title": "x" * 501}, "title"),
    ({"title": "Nhiệm vụ\x00ẩn"}, "title"),
    ({"content": "Nội dung\x00"}, "content"),
    ({"priority": "critical"}, "priority"),
    ({"directive": 999999}, "directive"),
    ({"directive": HUGE}, "directive"),
    ({"directive": "abc"}, "directive"),
    ({"directive": OMIT}, "directive"),
    ({"follow_up_officer": HUGE}, "follow_up_officer"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_TASK_INPUTS)
def test_task_create_rejects_bad_input(
    office, directive, department, other_department, overrides, field
):
    before = counts()
    response = office.post("/api/v1/tasks/", task_payload(directive, **overrides), format="json")
    assert_refused(response, {field}, before)


def test_task_create_names_every_failing_field(office, directive, department):
    before = counts()
    payload = task_payload(
        directive,
        title="",
        lead_department="XXX",
        assigned_on="2026-02-30",
        priority="critical",
        coordinating_departments=["YYY"],
    )
    response = office.post("/api/v1/tasks/", payload, format="json")
    assert_refused(
        response,
        {"title", "lead_department", "assigned_on", "priority", "coordinating_departments"},
        before,
    )


def test_task_create_with_good_input_is_201(office, directive, department, other_department):
    response = office.post(
        "/api/v1/tasks/",
        task_payload(directive, deadline=OMIT, deadline_working_days=10),
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["deadline"] == "2026-03-16"


def test_task_create_deadline_from_working_days_near_the_end_of_time_is_400(
    office, directive, department
):
    before = counts()
    payload = task_payload(
        directive,
        coordinating_departments=[],
        assigned_on="9999-12-30",
        deadline=OMIT,
        deadline_working_days=10,
    )
    response = office.post("/api/v1/tasks/", payload, format="json")
    assert response.status_code == 400, response.content
    assert counts() == before


# --- Directive create ------------------------------------------------------------------

BAD_DIRECTIVE_INPUTS = [
    ({"issued_on": "2026-02-30"}, "issued_on"),
    ({"issued_on": "30/01/2026"}, "issued_on"),
    ({"issued_on": ""}, "issued_on"),
    ({"issued_on": OMIT}, "issued_on"),
    ({"title": ""}, "title"),
    ({"title": OMIT}, "title"),
    ({"title": "Kết luận\x00"}, "title"),
    ({"number": ""}, "number"),
    ({"kind": "nghi_quyet"}, "kind"),
    ({"signer": ""}, "signer"),
    ({"tasks": "not a list"}, "tasks"),
    ({"tasks": {"title": "x"}}, "tasks"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_DIRECTIVE_INPUTS)
def test_directive_create_rejects_bad_input(office, overrides, field):
    before = counts()
    response = office.post("/api/v1/directives/", directive_payload(**overrides), format="json")
    assert_refused(response, {field}, before)


def test_directive_number_is_unique_within_its_year(office, directive):
    before = counts()
    response = office.post(
        "/api/v1/directives/",
        directive_payload(number="125/TB-UBND", issued_on="2026-11-20"),
        format="json",
    )
    assert_refused(response, {"number"}, before)
    assert "125/TB-UBND" in response.data["number"][0]


def test_same_directive_number_in_another_year_is_accepted(office, directive):
    response = office.post(
        "/api/v1/directives/",
        directive_payload(number="125/TB-UBND", issued_on="2025-11-20"),
        format="json",
    )
    assert response.status_code == 201, response.data
    assert Directive.objects.filter(number="125/TB-UBND").count() == 2


def test_directive_patch_to_a_taken_number_is_400(office, directive):
    other = DirectiveFactory(number="126/TB-UBND", issued_on=dt.date(2026, 5, 1))
    response = office.patch(
        f"/api/v1/directives/{other.pk}/", {"number": "125/TB-UBND"}, format="json"
    )
    assert response.status_code == 400
    assert "number" in response.data
    assert Directive.objects.get(pk=other.pk).number == "126/TB-UBND"


def test_directive_patch_into_the_year_of_a_taken_number_is_400(office, directive):
    other = DirectiveFactory(number="125/TB-UBND", issued_on=dt.date(2025, 5, 1))
    response = office.patch(
        f"/api/v1/directives/{other.pk}/", {"issued_on": "2026-01-05"}, format="json"
    )
    assert response.status_code == 400
    assert "number" in response.data
    assert Directive.objects.get(pk=other.pk).issued_on == dt.date(2025, 5, 1)


def good_nested_task(title: str, /, **overrides: Any) -> dict[str, Any]:
    task = {
        "title": title,
        "lead_department": "SYT",
        "coordinating_departments": ["STC"],
        "assigned_on": "2026-03-10",
        "deadline": "2026-04-10",
    }
    task.update(overrides)
    return {k: v for k, v in task.items() if v is not OMIT}


BAD_THIRD_TASK = [
    ({"lead_department": "XXX"}, "lead_department"),
    ({"coordinating_departments": ["STC", "XXX"]}, "coordinating_departments"),
    ({"coordinating_departments": ["SYT"]}, "coordinating_departments"),
    ({"deadline": "2026-03-09"}, "deadline"),
    ({"deadline": "2026-02-30"}, "deadline"),
    ({"assigned_on": "10/03/2026"}, "assigned_on"),
    ({"deadline_working_days": 5}, "deadline_working_days"),
    ({"title": ""}, "title"),
    ({"title": "Nhiệm vụ\x00"}, "title"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_THIRD_TASK)
def test_directive_with_a_bad_third_task_creates_nothing(
    office, department, other_department, overrides, field
):
    before = counts()
    tasks = [
        good_nested_task("Nhiệm vụ một"),
        good_nested_task("Nhiệm vụ hai", lead_department="STC", coordinating_departments=[]),
        good_nested_task("Nhiệm vụ ba", **overrides),
    ]
    response = office.post("/api/v1/directives/", directive_payload(tasks=tasks), format="json")
    assert_refused(response, {"tasks"}, before)
    # Only the third task (index 2) is named, with only its failing field.
    errors = response.json()["tasks"]
    assert list(errors) == ["2"]
    assert set(errors["2"]) == {field}
    assert not Directive.objects.filter(number="130/TB-UBND").exists()
    assert not Task.objects.filter(title__startswith="Nhiệm vụ").exists()


def test_directive_with_three_good_tasks_creates_all(office, department, other_department):
    tasks = [
        good_nested_task("Nhiệm vụ một"),
        good_nested_task("Nhiệm vụ hai", lead_department="STC", coordinating_departments=[]),
        good_nested_task("Nhiệm vụ ba", deadline=OMIT, deadline_working_days=5),
    ]
    response = office.post("/api/v1/directives/", directive_payload(tasks=tasks), format="json")
    assert response.status_code == 201, response.data
    directive = Directive.objects.get(number="130/TB-UBND")
    assert directive.tasks.count() == 3
    assert TaskHistory.objects.filter(task__directive=directive).count() == 3


# --- Task update: validated against the task's current values --------------------------


def test_patch_lead_to_a_coordinating_department_is_400(office, task):
    before = task_state(task)
    response = office.patch(f"/api/v1/tasks/{task.pk}/", {"lead_department": "STC"}, format="json")
    assert response.status_code == 400
    assert {"lead_department", "coordinating_departments"} & set(response.data)
    assert task_state(task) == before


@pytest.mark.parametrize(
    ("coordinating", "expected"), [([], []), (["SYT"], ["SYT"]), (["SXD", "SYT"], ["SXD", "SYT"])]
)
def test_patch_lead_with_new_coordinating_departments_is_accepted(
    office, task, coordinating, expected
):
    response = office.patch(
        f"/api/v1/tasks/{task.pk}/",
        {"lead_department": "STC", "coordinating_departments": coordinating},
        format="json",
    )
    assert response.status_code == 200, response.data
    state = task_state(task)
    assert Task.objects.get(pk=task.pk).lead_department.code == "STC"
    assert state["coordinating"] == expected
    assert state["version"] == task.version + 1


def test_patch_coordinating_to_include_the_current_lead_is_400(office, task):
    before = task_state(task)
    response = office.patch(
        f"/api/v1/tasks/{task.pk}/", {"coordinating_departments": ["STC", "SYT"]}, format="json"
    )
    assert response.status_code == 400
    assert "coordinating_departments" in response.data
    assert task_state(task) == before


@pytest.mark.parametrize(
    "patch",
    [
        {"deadline": "2026-03-01"},
        {"assigned_on": "2026-05-04"},  # after the current deadline 2026-04-30
        {"assigned_on": "2026-05-04", "deadline": "2026-05-01"},
    ],
    ids=["deadline-before-assigned", "assigned-after-deadline", "both"],
)
def test_patch_deadline_before_assigned_date_is_400(office, task, patch):
    before = task_state(task)
    response = office.patch(f"/api/v1/tasks/{task.pk}/", patch, format="json")
    assert response.status_code == 400
    assert "deadline" in response.data
    assert task_state(task) == before


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"deadline": "2026-05-10", "deadline_working_days": 3}, "deadline_working_days"),
        ({"deadline": "2026-02-30"}, "deadline"),
        ({"deadline": "30/04/2026"}, "deadline"),
        ({"assigned_on": ""}, "assigned_on"),
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"title": "A\x00B"}, "title"),
        ({"lead_department": "XXX"}, "lead_department"),
        ({"lead_department": HUGE}, "lead_department"),
        ({"lead_department": None}, "lead_department"),
        ({"coordinating_departments": ["XXX"]}, "coordinating_departments"),
        ({"priority": "later"}, "priority"),
        ({"lead_department": "STC\x00"}, "lead_department"),
        ({"coordinating_departments": ["SXD\x00"]}, "coordinating_departments"),
        ({"assigned_on": "9999-12-31", "deadline_working_days": 1}, "assigned_on"),
        ({"deadline": "0001-01-01"}, "deadline"),
    ],
)
def test_patch_task_rejects_bad_input(office, task, patch, field):
    before = task_state(task)
    response = office.patch(f"/api/v1/tasks/{task.pk}/", patch, format="json")
    assert response.status_code == 400, response.content
    assert field in response.data
    assert task_state(task) == before


def test_patch_deadline_to_none_is_accepted(office, task):
    response = office.patch(f"/api/v1/tasks/{task.pk}/", {"deadline": None}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["deadline"] is None
    assert task_state(task)["deadline"] == (None, None)


# --- Query parameters ------------------------------------------------------------------


@pytest.fixture
def hidden_directive(other_department) -> Directive:
    """A directive whose only task is STC's: SYT's officer may not see it."""
    hidden = DirectiveFactory(number="900/TB-UBND")
    TaskFactory(directive=hidden, lead_department=other_department)
    return hidden


BAD_TASK_FILTERS = [
    ("status=foo", "status"),
    ("lead_department=XXX", "lead_department"),
    (f"lead_department={HUGE_ID}", "lead_department"),
    ("lead_department=%00", "lead_department"),
    ("department=XXX", "department"),
    (f"department={HUGE_ID}", "department"),
    ("overdue=maybe", "overdue"),
    ("overdue=1", "overdue"),
    ("due_soon=perhaps", "due_soon"),
    ("deadline_from=garbage", "deadline_from"),
    ("deadline_from=2026-02-30", "deadline_from"),
    ("deadline_to=30/04/2026", "deadline_to"),
    ("directive=999999", "directive"),
    ("directive=abc", "directive"),
    (f"directive={HUGE_ID}", "directive"),
    ("ordering=bogus", "ordering"),
    ("ordering=title", "ordering"),
    ("q=%00", "q"),
    ("q=" + "x" * 201, "q"),
    ("page_size=501", "page_size"),
    ("page_size=0", "page_size"),
    ("page_size=-1", "page_size"),
    ("page_size=abc", "page_size"),
    (f"page_size={HUGE_ID}", "page_size"),
]


@pytest.mark.parametrize(("query", "parameter"), BAD_TASK_FILTERS)
def test_task_list_rejects_bad_query_parameter(api, officer, task, query, parameter):
    response = api(officer).get(f"/api/v1/tasks/?{query}")
    assert response.status_code == 400, response.content
    assert parameter in response.data


def test_task_filter_by_a_directive_the_caller_cannot_see_is_400(
    api, officer, office_user, task, hidden_directive
):
    response = api(officer).get(f"/api/v1/tasks/?directive={hidden_directive.pk}")
    assert response.status_code == 400
    assert "directive" in response.data
    # The same answer as for a directive that does not exist: nothing leaks.
    missing = api(officer).get("/api/v1/tasks/?directive=999999")
    assert str(hidden_directive.pk) not in str(missing.data)
    # The office sees the directive, so the same filter works for it.
    response = api(office_user).get(f"/api/v1/tasks/?directive={hidden_directive.pk}")
    assert response.status_code == 200
    assert response.data["count"] == 1


def test_task_filter_by_a_visible_directive_is_accepted(api, officer, task, office_user):
    for user in (officer, office_user):
        response = api(user).get(f"/api/v1/tasks/?directive={task.directive_id}")
        assert response.status_code == 200
        assert [t["id"] for t in response.data["results"]] == [task.pk]


def test_good_filters_are_accepted(api, officer, task):
    query = {
        "status": "assigned",
        "lead_department": "SYT",
        "department": "STC",
        "overdue": "true" if task.effective_deadline < timezone.localdate() else "false",
        "due_soon": "false",
        "deadline_from": "2026-04-01",
        "deadline_to": "2026-05-01",
        "ordering": "-deadline",
        "page_size": "500",
        "q": "tiêm chủng",
    }
    response = api(officer).get("/api/v1/tasks/", query)
    assert response.status_code == 200, response.data
    assert [t["id"] for t in response.data["results"]] == [task.pk]


@pytest.mark.parametrize("path", ["tasks", "directives", "departments", "users"])
@pytest.mark.parametrize("page_size", ["501", "0", "abc", "1.5"])
def test_page_size_out_of_range_is_400_on_every_list(api, office_user, path, page_size):
    response = api(office_user).get(f"/api/v1/{path}/?page_size={page_size}")
    assert response.status_code == 400
    assert "page_size" in response.data


@pytest.mark.parametrize("path", ["tasks", "directives", "departments", "users"])
def test_page_size_500_is_accepted(api, office_user, path):
    response = api(office_user).get(f"/api/v1/{path}/?page_size=500")
    assert response.status_code == 200
    assert "results" in response.data


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("kind=foo", "kind"), ("year=abc", "year"), ("year=NaN", "year"), ("year=1e400", "year")],
)
def test_directive_list_rejects_bad_query_parameter(api, office_user, query, parameter):
    response = api(office_user).get(f"/api/v1/directives/?{query}")
    assert response.status_code == 400, response.content
    assert parameter in response.data


# --- Language of the messages -----------------------------------------------------------

BLANK_EN = "This field may not be blank."
BLANK_VI = "Trường này không được bỏ trống."  # DRF's own Vietnamese catalogue
UNKNOWN_EN = "Unknown department “XXX”."


def bad_request(client: APIClient, directive: Directive):
    return client.post(
        "/api/v1/tasks/",
        task_payload(directive, title="", lead_department="XXX"),
        format="json",
    )


def test_messages_in_english_with_accept_language_en(office_user, directive, department):
    response = bad_request(client_for(office_user, language="en"), directive)
    assert response.status_code == 400
    assert response.data["title"] == [BLANK_EN]
    assert response.data["lead_department"] == [UNKNOWN_EN]
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("language", ["vi", "vi-VN,vi;q=0.9,en;q=0.5", None])
def test_messages_in_vietnamese_by_default_and_with_accept_language_vi(
    office_user, directive, department, language
):
    if language is None:
        client = APIClient()  # no Accept-Language header at all
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=office_user)}")
    else:
        client = client_for(office_user, language=language)
    response = bad_request(client, directive)
    assert response.status_code == 400
    assert response.data["title"] == [BLANK_VI]
    [unknown] = response.data["lead_department"]
    assert unknown != UNKNOWN_EN
    assert "XXX" in unknown
    assert response["Content-Language"] == "vi"


# --- Never a 500 for anything a client sends ---------------------------------------------

NOT_AN_OBJECT = [[], [{"title": "x"}], "a string", 42, None, True]


@pytest.mark.parametrize("body", NOT_AN_OBJECT, ids=repr)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/tasks/"),
        ("patch", "/api/v1/tasks/{task}/"),
        ("post", "/api/v1/directives/"),
        ("patch", "/api/v1/directives/{directive}/"),
        ("post", "/api/v1/users/"),
        ("patch", "/api/v1/users/{user}/"),
        ("post", "/api/v1/departments/"),
        ("patch", "/api/v1/departments/{department}/"),
        ("post", "/api/v1/auth/token/"),
    ],
)
def test_json_body_that_is_not_an_object_is_400(
    office, task, officer, department, method, path, body
):
    before, state = counts(), task_state(task)
    url = path.format(
        task=task.pk, directive=task.directive_id, user=officer.pk, department=department.pk
    )
    response = getattr(office, method)(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content
    assert counts() == before
    assert task_state(task) == state


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"title": "x",}', b"\xff\xfe garbage", b'{"title": "\\ud800"}', b"NaN"],
    ids=["broken", "trailing-comma", "not-utf8", "lone-surrogate", "nan"],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/tasks/"),
        ("patch", "/api/v1/tasks/{task}/"),
        ("post", "/api/v1/directives/"),
        ("post", "/api/v1/auth/token/"),
    ],
)
def test_body_that_is_not_json_is_400(office, task, method, path, raw):
    before, state = counts(), task_state(task)
    response = getattr(office, method)(
        path.format(task=task.pk), raw, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert counts() == before
    assert task_state(task) == state


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/tasks/", "task"),
        ("patch", "/api/v1/tasks/{task}/", {"title": "Sửa\x00"}),
        ("patch", "/api/v1/tasks/{task}/", {"content": "\x00"}),
        ("post", "/api/v1/directives/", "directive"),
        ("patch", "/api/v1/directives/{directive}/", {"title": "\x00", "signer": "A\x00"}),
        ("post", "/api/v1/departments/", {"code": "SNV", "name": "Sở\x00", "kind": "so"}),
        ("post", "/api/v1/auth/token/", {"username": "office\x00", "password": "x"}),
    ],
)
def test_nul_characters_are_400(office, task, method, path, body):
    if body == "task":
        body = task_payload(task.directive, title="Nhiệm\x00vụ")
    elif body == "directive":
        body = directive_payload(title="Kết\x00luận", number="1\x00/TB")
    before, state = counts(), task_state(task)
    url = path.format(task=task.pk, directive=task.directive_id)
    response = getattr(office, method)(url, body, format="json")
    assert response.status_code == 400, response.content
    assert counts() == before
    assert task_state(task) == state


@pytest.mark.parametrize("resource", ["tasks", "directives", "users", "departments"])
@pytest.mark.parametrize("pk", [HUGE_ID, "-1", "0", "abc", "%00", "1e3"])
def test_unknown_or_malformed_id_in_the_path_is_404(office, task, resource, pk):
    before = counts()
    assert office.get(f"/api/v1/{resource}/{pk}/").status_code == 404
    response = office.patch(f"/api/v1/{resource}/{pk}/", {"title": "x"}, format="json")
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.parametrize("pk", [HUGE_ID, "-1", "abc"])
def test_unknown_id_in_the_history_path_is_404(office, pk):
    assert office.get(f"/api/v1/tasks/{pk}/history/").status_code == 404


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/v1/users/",
            {"username": "u1", "role": "department_officer", "department": HUGE},
            "department",
        ),
        (
            "/api/v1/departments/",
            {"code": "SNV", "name": "Sở Nội vụ", "kind": "so", "parent": HUGE},
            "parent",
        ),
        (
            "/api/v1/departments/",
            {"code": "SNV", "name": "Sở Nội vụ", "kind": "so", "head": HUGE},
            "head",
        ),
        (
            "/api/v1/departments/",
            {"code": "SNV", "name": "Sở Nội vụ", "kind": "so", "supervising_leader": -HUGE},
            "supervising_leader",
        ),
    ],
)
def test_huge_integer_references_are_400(office, path, body, field):
    before = counts()
    response = office.post(path, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.data
    assert counts() == before


def test_huge_integer_as_lead_department_on_patch_is_400(office, task):
    before = task_state(task)
    response = office.patch(
        f"/api/v1/tasks/{task.pk}/",
        {"lead_department": HUGE, "coordinating_departments": [-HUGE]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert {"lead_department", "coordinating_departments"} <= set(response.data)
    assert task_state(task) == before


def test_unsupported_media_type_is_not_a_500(office, directive):
    response = office.post("/api/v1/tasks/", "title=x", content_type="text/plain")
    assert response.status_code == 415


def test_empty_patch_body_changes_nothing(office, task):
    before = task_state(task)
    response = office.patch(f"/api/v1/tasks/{task.pk}/", b"", content_type="application/json")
    assert response.status_code == 200
    assert response["ETag"] == task.etag
    assert task_state(task) == before


def test_department_cannot_be_placed_under_its_own_unit(office, department, other_department):
    office.patch(
        f"/api/v1/departments/{other_department.pk}/", {"parent": department.code}, format="json"
    )
    response = office.patch(
        f"/api/v1/departments/{department.pk}/", {"parent": other_department.code}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.data
    department.refresh_from_db()
    assert department.parent_id is None


def test_token_with_a_null_character_is_401(api):
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION="Token abc\x00def")
    response = client.get("/api/v1/tasks/")
    assert response.status_code == 401


# --- Department codes: unique ignoring case, found ignoring case ----------------------------


def test_a_department_is_found_by_its_code_in_any_case(office, task, directive):
    created = office.post(
        "/api/v1/tasks/",
        task_payload(directive, lead_department="syt", coordinating_departments=["Stc"]),
        format="json",
    )
    assert created.status_code == 201, created.data
    fresh = Task.objects.get(pk=created.data["id"])
    assert fresh.lead_department.code == "SYT"
    assert list(fresh.coordinating_departments.values_list("code", flat=True)) == ["STC"]
    listed = office.get("/api/v1/tasks/", {"lead_department": "syt"})
    assert listed.status_code == 200, listed.data
    assert {item["id"] for item in listed.data["results"]} == {task.pk, fresh.pk}


def test_a_code_differing_only_in_case_is_400_from_the_api_and_the_service(office, department):
    before = counts()
    response = office.post(
        "/api/v1/departments/", {"code": "syt", "name": "Sở Y tế 2", "kind": "so"}, format="json"
    )
    assert_refused(response, {"code"}, before)
    with pytest.raises(ValidationError) as caught:
        department_create(code="Syt", name="Sở Y tế 2", kind="so")
    assert set(caught.value.message_dict) == {"code"}
    assert counts() == before


def test_the_database_refuses_a_code_differing_only_in_case(department):
    with (
        pytest.raises(IntegrityError, match="department_code_unique_ignoring_case"),
        transaction.atomic(),
    ):
        Department.objects.create(code="syt", name="Sở Y tế 2", kind="so")
    assert list(Department.objects.values_list("code", flat=True)) == ["SYT"]


def test_the_service_refuses_a_department_under_its_own_unit(department, other_department):
    department_update(department=other_department, data={"parent": department})
    with pytest.raises(ValidationError) as caught:
        department_update(department=department, data={"parent": other_department})
    assert set(caught.value.message_dict) == {"parent"}
    department.refresh_from_db()
    assert department.parent_id is None


@pytest.mark.parametrize("year", ["2025.5", "1900", "2999"])
def test_directive_list_takes_a_whole_year_a_date_can_have(api, office_user, year):
    response = api(office_user).get(f"/api/v1/directives/?year={year}")
    assert response.status_code == 400, response.content
    assert "year" in response.data
