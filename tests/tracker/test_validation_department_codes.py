"""Department codes: unique ignoring case and found ignoring case, from the API, the service
and the database; a department never under its own unit. The database is left
exactly as it was (helpers: tests/tracker/validation_support.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.tracker import validation_support
from tests.tracker.validation_support import assert_refused, counts, task_payload
from tracker.models import Department, Task
from tracker.services.departments import department_create, department_update

pytestmark = pytest.mark.django_db


task = validation_support.task
office = validation_support.office


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


def test_an_inactive_department_is_given_no_task(office, directive, department):
    """A department no longer active keeps its history but takes no new task: a 400 naming
    the field, nothing written."""
    department_update(department=department, data={"active": False})
    before = counts()

    response = office.post(
        "/api/v1/tasks/",
        task_payload(directive, lead_department=department.code, coordinating_departments=[]),
        format="json",
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400
    assert set(response.data) == {"lead_department"}
    assert counts() == before
