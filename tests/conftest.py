"""Fixtures every app's tests share: the settings every test runs with, an API client
signed in as anyone (`client_for`, `api`), the small API world (two departments and a user
of each role) and the in-memory Celery broker. The web pages' world is tests/web_world.py,
loaded below as a plugin; each app's own fixtures are in tests/<app>/conftest.py."""

import os
from collections.abc import Callable, Iterator

import psycopg
import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.factories import DepartmentFactory, UserFactory
from tracker.models import Department, Role, User
from tracker.services.tokens import token_issue

# The web pages' world and browser fixtures (`world`, `live_world`, `signed_in`, `browser`,
# `open_page`), used by the web tests of every app: see tests/README.md.
pytest_plugins = ["tests.web_world"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """With REQUIRE_SERVICES=1 (CI) a missing service fails the run; it never skips."""
    if os.environ.get("REQUIRE_SERVICES") != "1":
        return
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit("REQUIRE_SERVICES=1 but DATABASE_URL is not PostgreSQL", returncode=3)
    try:
        psycopg.connect(
            host=database["HOST"],
            port=database["PORT"] or 5432,
            user=database["USER"],
            password=database["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as exc:
        pytest.exit(f"REQUIRE_SERVICES=1 but PostgreSQL is unreachable: {exc}", returncode=3)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    """Users are created per test; the production hasher would take most of the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded attachments go to a temporary folder, never to the project's var/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


def client_for(user: User | None, language: str = "en") -> APIClient:
    """An API client signed in with the user's token (the real authentication path)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        _instance, token = token_issue(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def api() -> Callable[..., APIClient]:
    return client_for


@pytest.fixture
def department() -> Department:
    return DepartmentFactory(code="SYT", name="Sở Y tế")


@pytest.fixture
def other_department() -> Department:
    return DepartmentFactory(code="STC", name="Sở Tài chính")


@pytest.fixture
def office_user() -> User:
    return UserFactory(role=Role.OFFICE, username="office")


@pytest.fixture
def leader_user() -> User:
    return UserFactory(role=Role.LEADER, username="leader")


@pytest.fixture
def scoring_user() -> User:
    return UserFactory(role=Role.SCORING, username="scoring")


@pytest.fixture
def officer(department: Department) -> User:
    return UserFactory(role=Role.DEPARTMENT_OFFICER, department=department, username="syt_officer")


@pytest.fixture
def head(department: Department) -> User:
    return UserFactory(role=Role.DEPARTMENT_HEAD, department=department, username="syt_head")


@pytest.fixture
def other_officer(other_department: Department) -> User:
    return UserFactory(
        role=Role.DEPARTMENT_OFFICER, department=other_department, username="stc_officer"
    )


@pytest.fixture
def in_memory_broker() -> Iterator[None]:
    """The on-commit enqueue (`current_app.send_task`) goes to kombu's in-memory transport,
    never to the configured broker (a filesystem queue under var/ by default)."""
    from config.celery import app

    saved = app.conf.broker_url, app.conf.broker_transport_options

    def use(url: str, options: dict) -> None:
        app.conf.broker_url, app.conf.broker_transport_options = url, options
        app._pool = None  # the pools of kombu's registry stay open, keyed by URL
        app.amqp._producer_pool = None

    use("memory://", {})
    yield
    use(*saved)


@pytest.fixture(autouse=True)
def official_calendar(request: pytest.FixtureRequest) -> None:
    """The official calendar migration 0016 loads, loaded again when the flush after a
    transactional test removed it, so that every test with the database sees the calendar
    an installed product has (one query when it is there)."""
    if (
        request.node.get_closest_marker("django_db") is None
        and "_django_db_helper" not in request.fixturenames
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from tracker.models import OfficialCalendarDay
    from tracker.services.official_calendar import official_calendar_load, shipped_calendar_files

    if not OfficialCalendarDay.objects.exists():
        official_calendar_load(shipped_calendar_files())
