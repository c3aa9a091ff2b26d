"""Bad input in the caller's language, and never a 500 for anything a client sends: bodies
that are no JSON object, NUL characters, unknown ids, huge integers, media types. The
database is left exactly as it was (helpers: tests/tracker/validation_support.py)."""

import json

import pytest
from rest_framework.test import APIClient

from directives.models import Directive
from tests.conftest import client_for
from tests.tracker import validation_support
from tests.tracker.validation_support import (
    HUGE,
    HUGE_ID,
    counts,
    directive_payload,
    task_payload,
    task_state,
)
from tracker.services.tokens import token_issue

pytestmark = pytest.mark.django_db


task = validation_support.task
office = validation_support.office


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
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=office_user)[1]}")
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
