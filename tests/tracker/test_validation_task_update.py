"""Bad input on a task update, validated against the task's current values: a 400 naming
the field. The database is left
exactly as it was (helpers: tests/tracker/validation_support.py)."""

import pytest

from tests.tracker import validation_support
from tests.tracker.validation_support import HUGE, task_state
from tracker.models import Task

pytestmark = pytest.mark.django_db


task = validation_support.task
office = validation_support.office


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
