"""Signing in and out, the password and language of one's account, `/` by role,
createsuperuser, and the admin's word to officials who are not system administrators."""

import os
import re

import pytest
from django.core.management import call_command
from django.test import Client

from tests.browser_harness import check_page, sign_in
from tests.factories import PASSWORD, UserFactory
from tests.web_world import World
from tracker.models import Role, User
from tracker.services.users import user_update

pytestmark = pytest.mark.django_db


def post_signin(username: str, password: str) -> tuple[Client, object]:
    client = Client()
    return client, client.post("/signin/", {"username": username, "password": password})


def test_anonymous_visitor_is_sent_to_sign_in():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=/"


def test_sign_in_page_is_vietnamese_whatever_the_browser_asks():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/signin/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    assert "csrfmiddlewaretoken" in page


@pytest.mark.parametrize(
    ("username", "start"),
    [
        ("vanphong", "/review/"),
        ("chutich", "/dashboard/"),
        ("sonoivu", "/dashboard/"),
        ("syt_head", "/tasks/"),
        ("syt_officer", "/tasks/"),
    ],
)
def test_every_role_signs_in_and_lands_on_its_start_page(world: World, username, start):
    client, response = post_signin(username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/")["Location"] == start


def test_wrong_password_is_said_in_words(world: World):
    _client, response = post_signin("syt_officer", "not-the-password")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_inactive_account_is_told_so_only_with_the_right_password(world: World):
    user_update(actor=None, user=world.stc_officer, data={"active": False})
    _client, right = post_signin("stc_officer", PASSWORD)
    assert "Tài khoản này đã bị khóa" in right.content.decode()
    _client, wrong = post_signin("stc_officer", "guess")
    assert "Tài khoản này đã bị khóa" not in wrong.content.decode()
    assert "không đúng" in wrong.content.decode()


def test_sign_out_ends_the_session(world: World):
    client, _response = post_signin("syt_officer", PASSWORD)
    assert client.post("/signout/")["Location"] == "/signin/"
    assert client.get("/tasks/")["Location"].startswith("/signin/")


def test_password_change_goes_through_the_validators_then_signs_in_with_the_new_one(
    world: World,
):
    client, _response = post_signin("syt_officer", PASSWORD)
    short = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"},
    )
    assert short.status_code == 200
    assert "errorlist" in short.content.decode()
    new = "Mật-khẩu-mới-2027"
    done = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    assert client.get("/tasks/").status_code == 200  # still signed in
    _client, again = post_signin("syt_officer", new)
    assert again.status_code == 302


def test_language_switch_is_saved_as_the_users_language(world: World, signed_in):
    client = signed_in(world.syt_officer)
    response = client.post("/account/language/", {"language": "en", "next": "/tasks/"})
    assert response["Location"] == "/tasks/"
    world.syt_officer.refresh_from_db()
    assert world.syt_officer.language == "en"
    page = client.get("/signin/", follow=True).content.decode()
    assert '<html lang="en">' in page
    # a foreign `next` is not followed
    assert (
        client.post("/account/language/", {"language": "vi", "next": "https://evil.example/"})[
            "Location"
        ]
        == "/"
    )


def test_createsuperuser_noinput_gives_an_office_account_that_signs_in(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Quản-trị-2026!")
    call_command(
        "createsuperuser", "--noinput", username="quantri", email="qt@example.vn", verbosity=0
    )
    user = User.objects.get(username="quantri")
    assert user.is_superuser and user.is_staff and user.role == Role.OFFICE
    client, response = post_signin("quantri", os.environ["DJANGO_SUPERUSER_PASSWORD"])
    assert response.status_code == 302
    assert client.get("/")["Location"] == "/review/"
    assert client.get("/admin/").status_code == 200


def test_official_at_the_admin_is_told_where_to_go(world: World):
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "syt_officer", "password": PASSWORD}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "dành cho quản trị viên hệ thống" in page
    assert 'href="/"' in page
    # already signed in to the web pages
    signed = Client()
    signed.force_login(world.syt_officer)
    page = signed.get("/admin/", follow=True).content.decode()
    assert "dành cho quản trị viên hệ thống" in page


def test_wrong_admin_password_is_not_the_staff_message(world: World):
    UserFactory(username="root", role=Role.OFFICE)
    response = Client().post("/admin/login/", {"username": "root", "password": "bad"})
    assert "dành cho quản trị viên hệ thống" not in response.content.decode()


def test_sign_in_in_the_browser(live_world: World, open_page, live_server):
    page = open_page()
    page.goto("/")
    check_page(page, "signin")
    sign_in(page, live_server.url, "syt_officer", "wrong")
    assert page.get_by_text(re.compile("không đúng")).is_visible()
    check_page(page, "signin-error")
    sign_in(page, live_server.url, "syt_officer", PASSWORD)
    assert page.url.endswith("/tasks/")
