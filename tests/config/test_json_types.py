"""JSON values of the type the schema states (config/api/inputs.py): another type is a 400
naming each such field beside the other failing fields; a form body, whose values are all
strings, is read as before, but a field sent empty there is refused where the schema does
not allow it (DRF would take it for not sent)."""

import pytest

from tests.conftest import client_for
from tracker.models import Department, User

pytestmark = pytest.mark.django_db

DEPARTMENTS = "/api/v1/departments/"


def test_values_of_another_type_are_named(office_user: User) -> None:
    body = {"code": "SXD", "name": 5, "kind": "so", "active": 0, "email": "not an e-mail"}

    response = client_for(office_user).post(DEPARTMENTS, body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "name": ["Must be a string."],
        "active": ["Must be true or false."],
        "email": ["Enter a valid email address."],
    }
    assert not Department.objects.filter(code="SXD").exists()


def test_a_boolean_spelled_as_a_string_is_refused_in_json(office_user: User) -> None:
    body = {"username": "moi", "role": "office", "password": "Đôn-đốc-2026!", "active": "true"}

    response = client_for(office_user).post("/api/v1/users/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"active": ["Must be true or false."]}
    assert not User.objects.filter(username="moi").exists()


def test_a_form_body_is_read_as_strings(office_user: User) -> None:
    body = {"code": "SXD", "name": "Sở Xây dựng", "kind": "so", "active": "false"}

    response = client_for(office_user).post(DEPARTMENTS, body)  # multipart

    assert response.status_code == 201, response.json()
    assert response.json()["active"] is False


def test_a_form_field_sent_empty_is_refused_where_blank_is_not_allowed(office_user: User) -> None:
    body = {"username": "moi", "role": "leader", "password": ""}

    response = client_for(office_user).post("/api/v1/users/", body)  # multipart

    assert response.status_code == 400
    assert response.json() == {"password": ["This field may not be blank."]}
    assert not User.objects.filter(username="moi").exists()
