"""Input not as the contract writes it is a 400 naming it, never a silent partial success:
nested tasks in a form or multipart directive, dates not written `YYYY-MM-DD` or outside
1975–2099 (bodies and query strings alike), empty filter values; and the served schema
states each of these rules (helpers: tests/tracker/validation_support.py)."""

from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from tests.config.schema_support import SCHEMA_URL
from tests.tracker import validation_support
from tests.tracker.validation_support import assert_refused, counts, directive_payload

pytestmark = pytest.mark.django_db

task = validation_support.task
office = validation_support.office

TASK = {"title": "Rà soát", "lead_department": "SYT", "assigned_on": "2026-03-02"}


# --- nested input only in JSON -----------------------------------------------------------


@pytest.mark.parametrize("form", ["multipart", "urlencoded"])
@pytest.mark.parametrize(
    "tasks", [{"tasks": '[{"title": "Rà soát"}]'}, {"tasks[0]title": "Rà soát"}, {"tasks": ""}]
)
def test_a_directive_with_tasks_in_a_form_is_refused(office, department, form, tasks):
    before = counts()
    data = {**directive_payload(), **tasks}
    if form == "multipart":
        response = office.post("/api/v1/directives/", data, format="multipart")
    else:
        response = office.post(
            "/api/v1/directives/", urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    assert_refused(response, {"tasks"}, before)


def test_a_form_directive_names_every_failing_field(office, department):
    data = {**directive_payload(issued_on="20260310"), "tasks": "[]"}
    response = office.post("/api/v1/directives/", data, format="multipart")
    assert response.status_code == 400
    assert set(response.data) == {"tasks", "issued_on"}


def test_a_directive_without_tasks_may_still_come_as_a_form(office, department):
    response = office.post("/api/v1/directives/", directive_payload(), format="multipart")
    assert response.status_code == 201, response.data
    assert response.data["tasks"] == [] and response.data["tasks_count"] == 0


def test_json_tasks_are_still_created(office, department):
    payload = {**directive_payload(), "tasks": [TASK]}
    response = office.post("/api/v1/directives/", payload, format="json")
    assert response.status_code == 201, response.data
    assert response.data["tasks_count"] == 1


def test_values_come_as_their_json_type(office, department, directive):
    """DRF would read 12 as the text "12", "5" as the integer 5 and 0 as false; the schema
    says a string, an integer, a boolean."""
    before = counts()
    task = {**TASK, "title": 7, "deadline_working_days": "5", "follow_up_officer": "1"}
    payload = {**directive_payload(summary=12, signer=1.5), "tasks": [task]}
    response = office.post("/api/v1/directives/", payload, format="json")
    assert_refused(response, {"summary", "signer", "tasks"}, before)
    assert set(response.data["tasks"][0]) == {"title", "deadline_working_days", "follow_up_officer"}
    task = {**TASK, "directive": str(directive.pk), "deadline_working_days": 5.0}
    response = office.post("/api/v1/tasks/", task, format="json")
    assert_refused(response, {"directive", "deadline_working_days"}, before)
    department = {"code": "SNV", "name": "Sở Nội vụ", "kind": "so", "active": 0}
    response = office.post("/api/v1/departments/", department, format="json")
    assert_refused(response, {"active"}, before)


# --- dates: YYYY-MM-DD within 1975–2099 ------------------------------------------------------

NOT_ISO = ["20260310", "2026-3-10", "2026-03-1", " 2026-03-10", "2026-03-10T00:00", "٢٠٢٦-03-10"]
OUT_OF_RANGE = ["1974-12-31", "2100-01-01"]


@pytest.mark.parametrize("value", NOT_ISO + OUT_OF_RANGE)
def test_a_body_date_is_iso_and_in_range(office, department, value):
    before = counts()
    payload = {**directive_payload(issued_on=value), "tasks": [{**TASK, "deadline": value}]}
    response = office.post("/api/v1/directives/", payload, format="json")
    assert_refused(response, {"issued_on", "tasks"}, before)
    assert "deadline" in response.data["tasks"][0]


DATE_QUERIES = [
    "tasks/?deadline_from={}",
    "tasks/?deadline_to={}",
    "calendar/adjustments/?from={}",
    "calendar/adjustments/?to={}",
    "periods/?from={}",
    "indicators/?from={}&to=2026-12-31",
    "calendar/add-working-days/?days=1&start={}",
]


def _parameter(query: str) -> str:
    """The parameter a query's `{}` (or its trailing `=`) belongs to."""
    return query.split("{}")[0].rsplit("?", 1)[-1].rsplit("&", 1)[-1].rstrip("=")


@pytest.mark.parametrize("value", ["20260310", "2026-3-10", "10/03/2026", *OUT_OF_RANGE])
def test_a_query_date_is_iso_and_in_range(api, office_user, value):
    client = api(office_user)
    for query in DATE_QUERIES:
        response = client.get("/api/v1/" + query.format(value))
        assert response.status_code == 400, (query, response.content)
        assert _parameter(query) in response.data, (query, response.data)


def test_an_empty_date_is_no_date_in_a_form_or_a_query_either(api, office_user):
    """DRF reads an empty optional form field as not given: the default (today) would
    silently stand in for it."""
    client = api(office_user)
    period = {"from": "2026-01-01", "to": "2026-01-31", "as_of": ""}
    response = client.post("/api/v1/periods/", period, format="multipart")
    assert response.status_code == 400 and set(response.data) == {"as_of"}
    response = client.get("/api/v1/indicators/?from=2026-01-01&to=2026-01-31&as_of=")
    assert response.status_code == 400 and set(response.data) == {"as_of"}


@pytest.mark.parametrize("value", ["1975-01-01", "2099-12-31"])
def test_the_bounds_themselves_are_dates(api, office_user, value):
    client = api(office_user)
    for query in ("tasks/?deadline_from=", "calendar/adjustments/?to=", "periods/?from="):
        assert client.get(f"/api/v1/{query}{value}").status_code == 200, query


# --- empty filter values -----------------------------------------------------------------------

EMPTY = [
    "tasks/?to=",
    "tasks/?deadline_from=",
    "tasks/?department=",
    "tasks/?status=",
    "tasks/?q=",
    "tasks/?ordering=",
    "tasks/?overdue=true&overdue=",
    "tasks/?page=",
    "directives/?kind=",
    "directives/?number=",
    "directives/?year=",
    "calendar/adjustments/?from=",
    "periods/?to=",
    "scoring-rules/?code=",
    "extension-requests/?status=",
    "notifications/?unread=",
    "notifications/failed/?channel=",
    "users/?page=",
]


def test_an_empty_filter_value_is_refused(api, office_user, task):
    client = api(office_user)
    for query in EMPTY:
        response = client.get("/api/v1/" + query)
        assert response.status_code == 400, (query, response.content)
        assert _parameter(query) in response.data, (query, response.data)


def test_the_web_task_list_still_takes_its_empty_filter_bar(client, office_user, task):
    """The pages use the filter set directly: their forms send the fields left empty."""
    client.force_login(office_user)
    response = client.get("/tasks/?status=&lead_department=&directive=&q=&when=")
    assert response.status_code == 200


# --- the schema says so --------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict:
    response = APIClient().get(SCHEMA_URL, {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_states_the_date_bounds(schema):
    body = schema["components"]["schemas"]["DirectiveInputRequest"]["properties"]["issued_on"]
    parameters = schema["paths"]["/api/v1/tasks/"]["get"]["parameters"]
    query = next(p["schema"] for p in parameters if p["name"] == "deadline_from")
    for stated in (body, query):
        assert stated["format"] == "date"
        assert stated["pattern"].startswith("^(19(7[5-9]|[89][0-9])|20[0-9]{2})-")


def test_the_schema_refuses_empty_query_values(schema):
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            stated = parameter["schema"]
            if parameter["in"] == "query" and stated.get("type") == "string":
                assert "enum" in stated or stated.get("minLength", 0) >= 1, (path, parameter)


def test_the_schema_states_the_types_an_attachment_is_served_as(schema):
    served = schema["paths"]["/api/v1/attachments/{id}/"]["get"]["responses"]["200"]["content"]
    assert "application/pdf" in served and "image/png" in served
    assert "application/octet-stream" not in served


def test_the_schema_takes_tasks_only_in_json(schema):
    content = schema["paths"]["/api/v1/directives/"]["post"]["requestBody"]["content"]
    components = schema["components"]["schemas"]
    for media, body in content.items():
        properties = components[body["schema"]["$ref"].rsplit("/", 1)[-1]]["properties"]
        assert ("tasks" in properties) == (media == "application/json"), media
