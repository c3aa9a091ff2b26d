"""Who may deliver edXML packages and read status packages: the office and the integration
account; the integration account nothing else, at any endpoint or page."""

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from directives.models import Directive
from tests.directives.edxml_support import Package, counts, post, status_url
from tests.factories import PASSWORD, DirectiveFactory, UserFactory
from tracker.models import Role, User

pytestmark = pytest.mark.django_db

# The endpoints an integration account may call (and those anyone may: signing in, the
# schema and its page).
INTEGRATION_PATHS = {
    "/api/v1/directives/edxml/",
    "/api/v1/directives/{id}/edxml-status/",
    "/api/v1/auth/logout/",
    "/api/v1/auth/logoutall/",
}
OPEN_PATHS = {"/api/v1/auth/token/", "/api/v1/schema/", "/api/v1/docs/"}
PAGES = [
    "/",
    "/tasks/",
    "/directives/",
    "/directives/new/",
    "/import/",
    "/inbox/",
    "/inbox/preferences/",
    "/deliveries/failed/",
    "/review/",
    "/dashboard/",
]


@pytest.fixture
def integration() -> User:
    return UserFactory(role=Role.INTEGRATION, username="exchange", full_name="Trục liên thông")


def _operations(client: APIClient) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    return [
        (method, path)
        for path, operations in schema.json()["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def test_the_integration_account_delivers_a_package(
    api: Callable[..., APIClient], integration: User
) -> None:
    response = post(api(integration), Package().xml())
    assert response.status_code == 201, response.data
    directive = Directive.objects.get()
    assert directive.created_by == integration
    # It sees the directive it delivered, with its progress but none of the tasks.
    assert response.data["tasks"] == []
    assert response.data["tasks_count"] == 0


def test_the_integration_account_is_refused_everywhere_else(
    api: Callable[..., APIClient], integration: User
) -> None:
    client = api(integration)
    directive = DirectiveFactory()
    operations = _operations(client)
    assert ("post", "/api/v1/directives/edxml/") in operations
    refused = [
        (method, path) for method, path in operations if path not in INTEGRATION_PATHS | OPEN_PATHS
    ]
    assert len(refused) > 40
    for method, path in refused:
        url = (
            path.replace("{id}", str(directive.pk)).replace("{name}", "x").replace("{file_id}", "1")
        )
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 403, (method, path, response.status_code)


def test_the_integration_account_is_refused_with_a_session_too(integration: User) -> None:
    client = APIClient()
    client.force_login(integration)
    assert client.get("/api/v1/tasks/").status_code == 403
    assert client.get("/api/v1/notifications/").status_code == 403
    assert (
        client.post("/api/v1/directives/edxml/", b"", content_type="application/xml").status_code
        != 403
    )


@pytest.mark.parametrize("url", PAGES)
def test_the_integration_account_has_no_page(integration: User, url: str) -> None:
    client = Client()
    client.force_login(integration)
    assert client.get(url).status_code == 403


def test_the_integration_account_signs_in_for_a_token(integration: User) -> None:
    client = APIClient()
    signed_in = client.post(
        "/api/v1/auth/token/", {"username": "exchange", "password": PASSWORD}, format="json"
    )
    assert signed_in.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {signed_in.data['token']}")
    assert post(client, Package().xml()).status_code == 201
    assert client.get("/api/v1/directives/").status_code == 403
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert post(client, Package().xml()).status_code == 401


@pytest.mark.parametrize("role", ["leader_user", "scoring_user", "officer", "head"])
def test_others_may_not_deliver_packages(
    api: Callable[..., APIClient], request: pytest.FixtureRequest, role: str
) -> None:
    user = request.getfixturevalue(role)
    assert post(api(user), Package().xml()).status_code == 403
    assert counts() == (0, 0, 0)


def test_signed_out_may_not_deliver_packages(api: Callable[..., APIClient]) -> None:
    assert post(api(None), Package().xml()).status_code == 401


def test_the_status_package_is_read_as_directives_are(
    api: Callable[..., APIClient],
    office_user: User,
    integration: User,
    officer: User,
    leader_user: User,
) -> None:
    pk = post(api(office_user), Package().xml()).data["id"]
    assert api(office_user).get(status_url(pk)).status_code == 200
    assert api(leader_user).get(status_url(pk)).status_code == 200
    assert api(integration).get(status_url(pk)).status_code == 200
    # A department sees no directive without a task of its own.
    assert api(officer).get(status_url(pk)).status_code == 404
    # A directive not received by edXML has no status package; the integration account
    # does not even see it.
    own = DirectiveFactory()
    missing = api(office_user).get(status_url(own.pk))
    assert missing.status_code == 404
    assert "not received by edXML" in missing.json()["detail"]
    assert api(integration).get(status_url(own.pk)).status_code == 404
    assert api(office_user).get(status_url(10**9)).status_code == 404
