"""JSON bodies within bounds (config/api/parsers.py): a body nested deeper than 32 levels
is a 400 saying why, one larger than DATA_UPLOAD_MAX_MEMORY_SIZE a 400 too, signed in or
not, on every endpoint that reads JSON; bodies of the contract's shape are read as before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.api.parsers import JSON_MAX_DEPTH, json_depth_exceeds
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_a_thousand_levels_are_a_400_not_a_500_even_anonymous(opening, closing):
    body = opening * 1000 + "1" + closing * 1000

    response = client_for(None).post(TOKEN, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "The JSON body is nested deeper than 32 levels."}


def test_the_message_is_vietnamese_by_default():
    response = client_for(None, language="vi").post(
        TOKEN, "[" * 100 + "]" * 100, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "Nội dung JSON lồng sâu quá 32 cấp."


def test_a_signed_in_write_is_bounded_too(office_user):
    response = client_for(office_user).post(
        "/api/v1/directives/", "[" * 5000 + "]" * 5000, content_type="application/json"
    )

    assert response.status_code == 400
    assert "nested deeper" in response.json()["detail"]


def test_a_body_over_the_size_limit_is_a_400(settings):
    """Django's own limit, which `request.body` applies before any parser reads it."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"username": "' + "x" * 2000 + '", "password": "y"}'

    response = client_for(None).post(
        TOKEN, body, content_type="application/json", headers={"accept-language": "en"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request body is larger than the limit of 1000\xa0bytes."
    }


def test_bodies_of_the_contracts_shape_are_read_as_before(office_user):
    office_user.set_password("x-Passw0rd!")
    office_user.save()

    response = client_for(None).post(
        TOKEN, {"username": office_user.username, "password": "x-Passw0rd!"}, format="json"
    )
    broken = client_for(None).post(TOKEN, '{"username": ', content_type="application/json")

    assert response.status_code == 200 and response.json()["token"]
    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("JSON parse error")


def test_brackets_inside_strings_do_not_count():
    deep_text = '"' + "[" * 100 + '"'
    assert not json_depth_exceeds("[" + deep_text + "]", JSON_MAX_DEPTH)
    assert not json_depth_exceeds('["\\"[[[[", 1]', 2)
    assert json_depth_exceeds("[[[1]]]", 2)
    assert not json_depth_exceeds("[[1]]", 2)


def test_too_many_fields_or_files_are_a_400_saying_which_limit(settings):
    """Django refuses them before any view reads the request (handler400): the API says
    which limit, in its error shape."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    client = client_for(None)
    english = {"accept-language": "en"}

    fields = client.post(TOKEN, {f"f{i}": "x" for i in range(5)}, headers=english)
    files = client.post(
        TOKEN,
        {f"f{i}": SimpleUploadedFile(f"{i}.txt", b"x") for i in range(2)},
        headers=english,
    )

    assert (fields.status_code, fields.json()) == (
        400,
        {"detail": "The request has more than 3 fields."},
    )
    assert (files.status_code, files.json()) == (
        400,
        {"detail": "The request has more than 1 files."},
    )


def test_a_request_django_refuses_otherwise_is_a_plain_400(settings):
    """A host not allowed: the API answers its error shape, a page Django's 400 page."""
    settings.ALLOWED_HOSTS = ["dondoc.example.vn"]
    client = client_for(None)

    api = client.get("/api/v1/users/me/", headers={"accept-language": "en"})
    page = client.get("/signin/")

    assert (api.status_code, api.json()) == (400, {"detail": "Bad request."})
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
