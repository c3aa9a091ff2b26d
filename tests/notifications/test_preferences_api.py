"""The notification preferences through the API: the defaults, replacing them, bad ones
named, and escalations ignoring opt-outs in the schema."""

import pytest

from notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db


PREFERENCES = "/api/v1/notifications/preferences/"


# --- preferences -------------------------------------------------------------------------


def test_preferences_default_to_every_channel(api, officer):
    response = api(officer).get(PREFERENCES)
    assert response.status_code == 200
    assert response.json() == {
        "language": "vi",
        "channels": {
            "reminder": ["inbox", "email", "sms"],
            "escalation": ["inbox", "email", "sms"],
            "digest": ["inbox", "email", "sms"],
        },
    }


def test_preferences_are_replaced(api, head):
    body = {
        "language": "en",
        "channels": {"reminder": ["email", "inbox", "email"], "escalation": []},
    }
    response = api(head).put(PREFERENCES, body, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "language": "en",
        "channels": {
            "reminder": ["inbox", "email"],
            "escalation": [],
            "digest": ["inbox", "email", "sms"],
        },
    }
    head.refresh_from_db()
    assert head.language == "en"
    stored = dict(NotificationPreference.objects.filter(user=head).values_list("kind", "channels"))
    assert stored == {"reminder": ["inbox", "email"], "escalation": []}

    # A kind left out goes back to the default.
    api(head).put(PREFERENCES, {"language": "vi", "channels": {}}, format="json")
    assert not NotificationPreference.objects.filter(user=head).exists()
    assert api(head).get(PREFERENCES).json()["language"] == "vi"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"language": "fr", "channels": {}}, ["language"]),
        ({"language": "vi", "channels": {"newsletter": ["inbox"]}}, ["channels", "newsletter"]),
        ({"language": "vi", "channels": {"reminder": ["fax"]}}, ["channels", "reminder"]),
        ({"language": "vi", "channels": {"reminder": "inbox"}}, ["channels", "reminder"]),
        ({"language": "vi", "channels": ["inbox"]}, ["channels"]),
        ({"channels": {}}, ["language"]),
        ({"language": "vi"}, ["channels"]),
    ],
)
def test_bad_preferences_are_refused_naming_the_field(api, officer, body, path):
    response = api(officer).put(PREFERENCES, body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    for key in path:
        assert key in errors, errors
        errors = errors[key]
    assert not NotificationPreference.objects.filter(user=officer).exists()
    officer.refresh_from_db()
    assert officer.language == "vi"


def test_the_schema_says_escalations_ignore_opt_outs(api):
    schema = api(None).get("/api/v1/schema/", {"format": "json"}).json()
    inbox = schema["paths"]["/api/v1/notifications/"]["get"]["responses"]["200"]
    page = schema["components"]["schemas"][
        inbox["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    ]
    assert "unread_count" in page["properties"]
    assert "unread_count" in page["required"]
    channels = schema["components"]["schemas"]["KindChannelsInputRequest"]["properties"]
    assert "escalation" in channels["escalation"]["description"].lower()
    retry = schema["paths"]["/api/v1/notifications/{id}/retry/"]["post"]["responses"]
    assert "409" in retry
