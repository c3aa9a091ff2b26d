"""Bad input on creation: a task or a directive (with its nested tasks) refused with a 400
naming every failing field, nested positions included. The database is left
exactly as it was (helpers: tests/tracker/validation_support.py)."""

import datetime as dt
from typing import Any

import pytest

from directives.models import Directive
from tests.factories import DirectiveFactory
from tests.tracker import validation_support
from tests.tracker.validation_support import (
    HUGE,
    HUGE_ID,
    OMIT,
    assert_refused,
    counts,
    directive_payload,
    task_payload,
)
from tracker.models import Task, TaskHistory

pytestmark = pytest.mark.django_db


task = validation_support.task
office = validation_support.office


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
