"""The periods API: closing answers with the period, bad dates named, who reads and who
closes or reopens, unknown periods and the list's filters.

Time is fixed (config.common.clock through settings.CLOCK_FILE) at 2026-11-21, 10:00 local.
The world and the helpers are in tests/tracker/period_support.py."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.tracker import period_support
from tests.tracker.period_support import LOCAL, URL, close
from tracker.models import Period, Role

pytestmark = pytest.mark.django_db


world = period_support.world


# --- the API: shapes, validation, permissions ----------------------------------------------


def test_close_answers_201_with_the_period(world):
    response = client_for(world.office).post(
        URL, {"from": "2026-01-01", "to": "2026-06-30"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    period = Period.objects.get()
    assert body == {
        "id": period.pk,
        "from": "2026-01-01",
        "to": "2026-06-30",
        "as_of": "2026-11-21",  # today, by default
        "closed_at": body["closed_at"],
        "closed_by": world.office.pk,
        "reopened_at": None,
        "reopened_by": None,
        "reopen_reason": "",
        "frozen": True,
    }
    assert datetime.fromisoformat(body["closed_at"]) == datetime(2026, 11, 21, 10, tzinfo=LOCAL)
    assert client_for(world.office).get(f"{URL}{period.pk}/").json() == body


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"from": "2026-06-30", "to": "2026-06-01"}, {"to"}),
        ({"from": "2026-12-31", "to": "2026-01-01"}, {"to", "as_of"}),  # as_of: today
        ({"from": "2026-06-01", "to": "2026-06-30", "as_of": "2026-05-31"}, {"as_of"}),
        ({"from": "2026-01-01", "to": "2026-12-31", "as_of": "2026-11-22"}, {"as_of"}),
        ({"from": "2026-02-30", "to": "2026-12-31"}, {"from"}),
        ({"from": "1/1/2026", "to": "soon", "as_of": 7}, {"from", "to", "as_of"}),
        ({"from": "0001-01-01", "to": "2026-12-31"}, {"from"}),
        ({}, {"from", "to"}),
    ],
)
def test_bad_dates_are_a_400_naming_each_field(world, body, fields):
    response = client_for(world.office).post(URL, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert not Period.objects.exists()


def test_the_service_checks_the_dates_too(world):
    with pytest.raises(ValidationError) as caught:
        close(world, date_to=date(2025, 12, 31), as_of=date(2026, 11, 22))
    assert set(caught.value.message_dict) == {"to", "as_of"}
    assert not Period.objects.exists()


@pytest.mark.parametrize("role", [Role.OFFICE, Role.LEADER, Role.SCORING, Role.DEPARTMENT_OFFICER])
def test_the_indicators_audience_reads_periods(world, role):
    period = close(world)
    user = UserFactory(role=role, department=world.syt if role == Role.DEPARTMENT_OFFICER else None)
    client = client_for(user)
    listed = client.get(URL)
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["results"]] == [period.pk]
    assert client.get(f"{URL}{period.pk}/").status_code == 200


@pytest.mark.parametrize("role", [Role.LEADER, Role.SCORING, Role.DEPARTMENT_HEAD])
def test_only_the_office_closes_and_reopens(world, role):
    period = close(world)
    user = UserFactory(role=role, department=world.stc if role == Role.DEPARTMENT_HEAD else None)
    client = client_for(user)
    body = {"from": "2026-01-01", "to": "2026-06-30"}
    assert client.post(URL, body, format="json").status_code == 403
    assert client.post(f"{URL}{period.pk}/reopen/", {"reason": "x"}).status_code == 403
    assert Period.objects.count() == 1
    period.refresh_from_db()
    assert period.is_closed


def test_anonymous_callers_get_401(world):
    period = close(world)
    anonymous = client_for(None)
    assert anonymous.get(URL).status_code == 401
    assert anonymous.get(f"{URL}{period.pk}/").status_code == 401
    assert anonymous.post(URL, {"from": "2026-01-01", "to": "2026-06-30"}).status_code == 401
    assert anonymous.post(f"{URL}{period.pk}/reopen/", {"reason": "x"}).status_code == 401


def test_an_unknown_period_is_404(world):
    office = client_for(world.office)
    assert office.get(f"{URL}999999/").status_code == 404
    assert office.post(f"{URL}999999/reopen/", {"reason": "x"}).status_code == 404


def test_the_list_filters_by_exact_dates(world):
    first = close(world)
    second = close(world, date_to=date(2026, 6, 30))
    office = client_for(world.office)
    only = office.get(URL, {"from": "2026-01-01", "to": "2026-06-30"}).json()["results"]
    assert [item["id"] for item in only] == [second.pk]
    newest_first = office.get(URL, {"from": "2026-01-01"}).json()["results"]
    assert [item["id"] for item in newest_first] == [second.pk, first.pk]
    bad = office.get(URL, {"from": "yesterday", "to": "2026-13-01"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"from", "to"}
