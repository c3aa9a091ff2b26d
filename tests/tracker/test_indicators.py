"""GET /api/v1/indicators/ (API.md "Indicators"): the answer's shape and its agreement with
the served schema, the query parameters (400 naming each failing one, in the caller's
language), who reads which rows, a fixed number of queries, and a closed period's frozen
figures."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.conftest import client_for
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tests.tracker.indicator_support import (
    COUNTS,
    FROM,
    TO,
    TODAY,
    URL,
    Builder,
    Story,
    nonzero,
    params,
    row_of,
    stable_id,
)
from tracker.models import Role, Task
from tracker.services import lifecycle
from tracker.services.periods import period_close

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def world(builder: Builder, department, other_department) -> dict[str, Any]:
    """SYT: one task on time (early), one overdue; STC: one late, one without deadline."""
    sxd = DepartmentFactory(code="SXD", name="Sở Xây dựng")
    story = {"assigned_on": D(2026, 3, 2), "deadline": D(2026, 4, 30)}
    builder.task(department, Story(**story, completed_on=D(2026, 4, 10)))
    builder.task(department, Story(**story))
    builder.task(other_department, Story(**story, completed_on=D(2026, 5, 4)))
    builder.task(other_department, Story(D(2026, 3, 2), deadline=None))
    return {"SYT": department, "STC": other_department, "SXD": sxd}


def get(user, language: str = "en", **extra: Any):
    return client_for(user, language).get(URL, params(**extra))


# --- the answer --------------------------------------------------------------------------


def test_the_answer_lists_every_department_by_code_with_counts_and_rates(world, office_user):
    response = get(office_user)
    assert response.status_code == 200
    data = response.json()
    assert {key: data[key] for key in ("from", "to", "as_of", "frozen", "period")} == {
        "from": "2026-01-01",
        "to": "2026-12-31",
        "as_of": "2026-11-21",
        "frozen": False,
        "period": None,
    }
    assert [row["department"]["code"] for row in data["departments"]] == ["STC", "SXD", "SYT"]
    syt = row_of(data, "SYT")
    assert syt == {
        "department": {"id": world["SYT"].pk, "code": "SYT", "name": "Sở Y tế"},
        **dict.fromkeys(COUNTS, 0),
        "assigned": 2,
        "completed_on_time": 1,
        "completed_early": 1,
        "open_overdue": 1,
        "due": 2,
        "completion_rate": 0.5,
        "on_time_rate": 0.5,
        "assigned_on_time_rate": 0.5,
        "named_rates": {
            "early_of_due": 0.5,
            "on_day_of_due": 0.0,
            "late_of_due": 0.0,
            "early_of_assigned": 0.5,
            "on_day_of_assigned": 0.0,
            "late_of_assigned": 0.0,
        },
    }
    assert nonzero(row_of(data, "STC")) == {
        "assigned": 2,
        "completed_late": 1,
        "open_no_deadline": 1,
        "due": 1,
    }
    assert data["total"] == {
        **dict.fromkeys(COUNTS, 0),
        "assigned": 4,
        "completed_on_time": 1,
        "completed_early": 1,
        "completed_late": 1,
        "open_overdue": 1,
        "open_no_deadline": 1,
        "due": 3,
        "completion_rate": 0.6667,
        "on_time_rate": 0.3333,
        "assigned_on_time_rate": 0.3333,
        "named_rates": {
            "early_of_due": 0.3333,
            "on_day_of_due": 0.0,
            "late_of_due": 0.3333,
            "early_of_assigned": 0.25,
            "on_day_of_assigned": 0.0,
            "late_of_assigned": 0.25,
        },
    }


def test_as_of_defaults_to_today(world, office_user):
    data = client_for(office_user).get(URL, {"from": "2026-01-01", "to": "2026-12-31"}).json()
    assert data["as_of"] == TODAY.isoformat()
    assert data == get(office_user).json()


def test_department_by_code_or_id(world, office_user):
    by_code = get(office_user, department="STC").json()
    by_id = get(office_user, department=world["STC"].pk).json()
    assert by_code == by_id
    assert [row["department"]["code"] for row in by_code["departments"]] == ["STC"]
    assert by_code["total"] == {
        k: v for k, v in by_code["departments"][0].items() if k != "department"
    }


def test_the_answer_agrees_with_the_served_schema(world, office_user, api):
    schema = client_for(None).get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    def check(value: Any, component: str) -> None:
        spec = components[component]
        assert set(value) == set(spec["properties"]) == set(spec["required"]), component
        for name, prop in spec["properties"].items():
            ref = prop.get("$ref") or (prop.get("allOf") or [{}])[0].get("$ref")
            item_ref = prop.get("items", {}).get("$ref")
            if ref:
                check(value[name], ref.rsplit("/", 1)[1])
            elif item_ref:
                for item in value[name]:
                    check(item, item_ref.rsplit("/", 1)[1])
            elif value[name] is None:
                assert prop.get("nullable"), f"{component}.{name}"
            else:
                kinds = {"integer": int, "number": (int, float), "string": str, "boolean": bool}
                kinds["array"] = list
                if prop["type"] == "object":  # the named rates: code → rate or null
                    values = prop["additionalProperties"]
                    assert values["type"] == "number" and values.get("nullable"), name
                    assert all(v is None or isinstance(v, float) for v in value[name].values())
                    continue
                assert isinstance(value[name], kinds[prop["type"]]), f"{component}.{name}"

    operation = schema["paths"]["/api/v1/indicators/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    check(get(office_user).json(), ref.rsplit("/", 1)[1])


# --- bad input ---------------------------------------------------------------------------

BAD = [
    ({"from": None}, {"from"}),
    ({"to": None}, {"to"}),
    ({"from": "2026-13-01"}, {"from"}),
    ({"to": "31/12/2026"}, {"to"}),
    ({"as_of": "hôm nay"}, {"as_of"}),
    ({"from": "0001-01-01"}, {"from"}),
    ({"to": "2025-12-31"}, {"to"}),
    ({"as_of": "2025-12-31"}, {"as_of"}),
    ({"as_of": "2026-11-22"}, {"as_of"}),
    ({"from": "2026-11-22", "as_of": None}, {"from"}),
    ({"department": "XXX"}, {"department"}),
    ({"department": "987654"}, {"department"}),
    ({"department": "x" * 65}, {"department"}),
    ({"department": "a\x00b"}, {"department"}),
    ({"from": None, "as_of": "2030-01-01", "department": "XXX"}, {"from", "as_of", "department"}),
    ({"from": "2026-12-01", "to": "2026-06-01", "as_of": "2026-11-01"}, {"to", "as_of"}),
]


@pytest.mark.parametrize(("extra", "failing"), BAD, ids=stable_id)
def test_bad_parameters_are_400_naming_each_failing_one(world, office_user, extra, failing):
    response = get(office_user, **extra)
    assert response.status_code == 400, response.content
    assert set(response.json()) == failing
    assert all(isinstance(m, str) and m for ms in response.json().values() for m in ms)


def test_messages_in_english_and_in_vietnamese(world, office_user):
    extra = {"from": None, "to": "2025-12-31", "as_of": "2030-01-01", "department": "XXX"}
    english = get(office_user, "en", **extra)
    assert english["Content-Language"] == "en"
    assert english.json() == {
        "from": ["This field is required."],
        "as_of": ["The as-of date cannot be in the future."],
        "department": ["Unknown department “XXX”."],
    }
    vietnamese = get(office_user, "vi", **extra)
    assert vietnamese["Content-Language"] == "vi"
    with translation.override("vi"):
        assert vietnamese.json() == {
            "from": [translation.gettext("This field is required.")],
            "as_of": [translation.gettext("The as-of date cannot be in the future.")],
            "department": [
                translation.gettext("Unknown department “%(value)s”.") % {"value": "XXX"}
            ],
        }
    # Messages already in the catalog are Vietnamese indeed.
    assert vietnamese.json()["from"] != english.json()["from"]
    assert vietnamese.json()["department"] != english.json()["department"]
    crossed = get(
        office_user, "en", **{"from": "2026-12-01", "to": "2026-06-01", "as_of": "2026-11-01"}
    )
    assert crossed.json() == {
        "to": ["The end of the period is before its start."],
        "as_of": ["The as-of date cannot be before the start of the period."],
    }


# --- who reads what ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["office", "superuser", "leader", "scoring"])
def test_office_leaders_and_scoring_read_every_department(
    world, role, office_user, leader_user, scoring_user
):
    user = {"office": office_user, "leader": leader_user, "scoring": scoring_user}.get(role)
    if role == "superuser":
        user = UserFactory(role=Role.DEPARTMENT_OFFICER, department=world["SXD"], username="root")
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    response = get(user)
    assert response.status_code == 200
    assert response.json() == get(office_user).json()
    assert [r["department"]["code"] for r in get(user, department="SYT").json()["departments"]] == [
        "SYT"
    ]


@pytest.mark.parametrize("role", ["head", "officer"])
def test_a_department_reads_its_own_row_only(world, role, head, officer, office_user):
    user = {"head": head, "officer": officer}[role]
    data = get(user).json()
    own = row_of(get(office_user).json(), "SYT")
    assert data["departments"] == [own]
    assert data["total"] == {k: v for k, v in own.items() if k != "department"}
    assert get(user, department="SYT").json() == data
    assert get(user, department=world["SYT"].pk).json() == data


def test_a_department_asking_for_another_is_403(world, officer):
    response = get(officer, department="STC")
    assert response.status_code == 403
    assert "detail" in response.json()
    assert get(officer, department="STC", format="xlsx").status_code == 403


def test_without_credentials_401(world):
    assert client_for(None).get(URL, params()).status_code == 401


# --- queries -------------------------------------------------------------------------------


def populate(first: int, departments: int, tasks_each: int, office) -> None:
    directive = DirectiveFactory()
    for index in range(first, first + departments):
        department = DepartmentFactory(code=f"Q{index:02d}")
        officer = UserFactory(role=Role.DEPARTMENT_OFFICER, department=department)
        for number in range(tasks_each):
            task = TaskFactory(
                directive=directive,
                lead_department=department,
                assigned_on=D(2026, 3, 2),
                deadline=None if number % 5 == 4 else D(2026, 4, 30),
            )
            if number % 3 == 0:
                lifecycle.completion_report_create(
                    task_id=task.pk, actor=officer, completed_on=D(2026, 4, 1), result="Xong"
                )
                lifecycle.completion_accept(task_id=task.pk, actor=office)
            if number % 7 == 1:
                lifecycle.task_pause(task_id=task.pk, actor=office, reason="Chờ")


def queries(user) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params()).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_departments_or_tasks(
    story_clock, office_user, officer
):
    def syt_tasks(count: int) -> None:
        for _ in range(count):
            TaskFactory(lead_department=officer.department, assigned_on=D(2026, 3, 2))

    populate(0, 2, 3, office_user)
    syt_tasks(4)  # 3 departments, 10 tasks
    small = queries(office_user), queries(officer)
    populate(2, 27, 10, office_user)
    syt_tasks(20)  # 30 departments, 300 tasks
    assert len(get(office_user).json()["departments"]) == 30
    assert get(office_user).json()["total"]["assigned"] == 300
    assert (queries(office_user), queries(officer)) == small
    assert max(small) <= 6  # sign-in, the closed period, the departments, the counts


# --- a closed period -----------------------------------------------------------------------


def test_a_closed_period_answers_with_its_published_figures(world, builder, office_user, officer):
    before = get(office_user, as_of="2026-11-01").json()
    period = period_close(actor=office_user, date_from=FROM, date_to=TO, as_of=D(2026, 11, 1))
    # Afterwards SYT's overdue task is completed (dated before the as-of date) and a new task
    # is assigned to it: a live answer would change.
    overdue = Task.objects.get(lead_department=world["SYT"], status="assigned")
    lifecycle.completion_report_create(
        task_id=overdue.pk, actor=officer, completed_on=D(2026, 10, 20), result="Xong"
    )
    lifecycle.completion_accept(task_id=overdue.pk, actor=office_user)
    builder.task(world["SYT"], Story(D(2026, 10, 1), D(2026, 10, 31), completed_on=D(2026, 10, 5)))
    for as_of in ("2026-11-01", None):
        data = get(office_user, as_of=as_of).json()
        assert data["frozen"] is True and data["period"] == period.pk
        assert data["as_of"] == "2026-11-01"
        assert data["departments"] == before["departments"]
        assert data["total"] == before["total"]
    own = get(officer, as_of=None).json()  # as_of omitted: the period's own
    assert own["frozen"] is True and own["departments"] == [row_of(before, "SYT")]
    # Another as-of date is a live answer.
    live = row_of(get(office_user, as_of="2026-11-02").json(), "SYT")
    assert nonzero(live) == {
        "assigned": 3,
        "completed_on_time": 2,
        "completed_early": 2,
        "completed_late": 1,
        "due": 3,
    }
