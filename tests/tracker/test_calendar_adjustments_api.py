"""The calendar API's adjustments: read by all, written by the office, validated (one per
date, a change to the day), and filtered by year and range."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.factories import UserFactory
from tests.tracker.calendar_api_support import (
    ADD,
    ADJUSTMENTS,
    DAY_OFF,
    WORKING_DAY,
    Api,
    added,
    adjust,
    detail,
)
from tracker.models import CalendarAdjustment, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(
    office_user: User,
    leader_user: User,
    scoring_user: User,
    officer: User,
    head: User,
) -> dict[str, User]:
    return {
        "office": office_user,
        "leader": leader_user,
        "scoring": scoring_user,
        "officer": officer,
        "head": head,
    }


NOT_OFFICE = ["leader", "scoring", "officer", "head"]


# --- permissions ---------------------------------------------------------------------------


def test_anonymous_callers_get_401_everywhere(api: Api):
    adjustment = adjust("2026-03-07", WORKING_DAY)
    client = api(None)
    assert client.get(ADJUSTMENTS).status_code == 401
    assert client.get(detail(adjustment.pk)).status_code == 401
    assert client.post(ADJUSTMENTS, {"date": "2026-03-14", "kind": WORKING_DAY}).status_code == 401
    assert client.delete(detail(adjustment.pk)).status_code == 401
    assert client.get(ADD, {"start": "2026-03-06", "days": 1}).status_code == 401
    assert CalendarAdjustment.objects.count() == 1


@pytest.mark.parametrize("role", ["office", *NOT_OFFICE])
def test_every_signed_in_user_reads_adjustments_and_adds_working_days(
    api: Api, everyone: dict[str, User], role: str
):
    adjustment = adjust("2026-03-07", WORKING_DAY, note="Làm bù")
    client = api(everyone[role])
    response = client.get(ADJUSTMENTS)
    assert response.status_code == 200
    assert response.data["count"] == 1
    expected = {"id": adjustment.pk, "date": "2026-03-07", "kind": "working_day", "note": "Làm bù"}
    assert response.data["results"] == [expected]
    assert client.get(detail(adjustment.pk)).data == expected
    assert added(client, "2026-03-06", 1) == "2026-03-07"


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_only_the_office_adds_adjustments(api: Api, everyone: dict[str, User], role: str):
    response = api(everyone[role]).post(ADJUSTMENTS, {"date": "2026-03-07", "kind": WORKING_DAY})
    assert response.status_code == 403
    assert not CalendarAdjustment.objects.exists()


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_only_the_office_deletes_adjustments(api: Api, everyone: dict[str, User], role: str):
    adjustment = adjust("2026-03-07", WORKING_DAY)
    assert api(everyone[role]).delete(detail(adjustment.pk)).status_code == 403
    assert CalendarAdjustment.objects.filter(pk=adjustment.pk).exists()


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_nobody_changes_an_adjustment_in_place(api: Api, everyone: dict[str, User], role: str):
    adjustment = adjust("2026-03-07", WORKING_DAY)
    for user in (everyone[role], everyone["office"]):
        client = api(user)
        assert client.patch(detail(adjustment.pk), {"note": "x"}).status_code in (403, 405)
        assert client.put(detail(adjustment.pk), {"note": "x"}).status_code in (403, 405)
    adjustment.refresh_from_db()
    assert adjustment.note != "x"


def test_the_office_adds_reads_and_deletes_an_adjustment(api: Api, office_user: User):
    client = api(office_user)
    body = {"date": "2026-03-07", "kind": "working_day", "note": "Làm bù cho ngày 31/8"}
    response = client.post(ADJUSTMENTS, body, format="json")
    assert response.status_code == 201, response.data
    assert response.data == {"id": response.data["id"], **body}
    adjustment_id = response.data["id"]
    assert client.get(detail(adjustment_id)).data == response.data
    assert client.delete(detail(adjustment_id)).status_code == 204
    assert not CalendarAdjustment.objects.exists()
    assert client.get(detail(adjustment_id)).status_code == 404


def test_the_note_is_optional(api: Api, office_user: User):
    response = api(office_user).post(ADJUSTMENTS, {"date": "2026-03-09", "kind": DAY_OFF})
    assert response.status_code == 201, response.data
    assert response.data["note"] == ""


@pytest.mark.parametrize("method", ["get", "delete"])
@pytest.mark.parametrize("adjustment_id", ["999999", "abc", "0"])
def test_an_unknown_adjustment_is_404(api: Api, office_user: User, method: str, adjustment_id: str):
    response = getattr(api(office_user), method)(f"{ADJUSTMENTS}{adjustment_id}/")
    assert response.status_code == 404


def test_a_superuser_has_the_office_rights(api: Api):
    superuser = UserFactory(role=Role.LEADER, username="root")
    superuser.is_superuser = True
    superuser.save(update_fields=["is_superuser"])
    response = api(superuser).post(ADJUSTMENTS, {"date": "2026-03-07", "kind": WORKING_DAY})
    assert response.status_code == 201, response.data


# --- adjustment validation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"date", "kind"}),
        ({"date": "2026-03-07"}, {"kind"}),
        ({"kind": WORKING_DAY}, {"date"}),
        ({"date": "07/03/2026", "kind": WORKING_DAY}, {"date"}),
        ({"date": "2026-02-30", "kind": WORKING_DAY}, {"date"}),
        ({"date": "1974-12-28", "kind": WORKING_DAY}, {"date"}),
        ({"date": "2100-01-02", "kind": WORKING_DAY}, {"date"}),
        ({"date": None, "kind": WORKING_DAY}, {"date"}),
        ({"date": "2026-03-07", "kind": "holiday"}, {"kind"}),
        ({"date": "2026-03-07", "kind": WORKING_DAY, "note": "x" * 256}, {"note"}),
        ({"date": "2026-03-07", "kind": WORKING_DAY, "note": "a\x00b"}, {"note"}),
    ],
)
def test_bad_adjustments_are_400_naming_each_field(
    api: Api, office_user: User, body: dict[str, Any], fields: set[str]
):
    response = api(office_user).post(ADJUSTMENTS, body, format="json")
    assert response.status_code == 400
    assert set(response.data) == fields
    assert not CalendarAdjustment.objects.exists()


def test_a_second_adjustment_for_the_same_date_is_400_on_date(api: Api, office_user: User):
    adjust("2026-03-09", DAY_OFF)
    # Even the opposite kind: delete the first one to change it.
    response = api(office_user).post(ADJUSTMENTS, {"date": "2026-03-09", "kind": WORKING_DAY})
    assert response.status_code == 400
    assert set(response.data) == {"date"}
    assert "2026-03-09" in response.data["date"][0]
    assert CalendarAdjustment.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        ("2026-03-09", WORKING_DAY),  # Monday: already a working day
        ("2025-04-26", WORKING_DAY),  # Saturday made a working day by the official swap
        ("2026-03-08", DAY_OFF),  # Sunday
        ("2026-03-07", DAY_OFF),  # Saturday
        ("2026-02-17", DAY_OFF),  # Tết
        ("2025-05-02", DAY_OFF),  # weekday given off by the official swap
    ],
)
def test_an_adjustment_that_changes_nothing_is_400_on_kind(
    api: Api, office_user: User, day: str, kind: str
):
    response = api(office_user).post(ADJUSTMENTS, {"date": day, "kind": kind})
    assert response.status_code == 400
    assert set(response.data) == {"kind"}
    assert "change nothing" in response.data["kind"][0]
    assert not CalendarAdjustment.objects.exists()


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        ("2026-03-09", DAY_OFF),  # Monday off
        ("2026-03-07", WORKING_DAY),  # Saturday worked
        ("2026-02-17", WORKING_DAY),  # working on Tết (odd, but the office's call)
        ("2025-05-02", WORKING_DAY),  # undoing the official swap
        ("2025-04-26", DAY_OFF),  # undoing the official swap
    ],
)
def test_an_adjustment_that_changes_the_day_is_accepted(
    api: Api, office_user: User, day: str, kind: str
):
    response = api(office_user).post(ADJUSTMENTS, {"date": day, "kind": kind})
    assert response.status_code == 201, response.data


def test_the_service_applies_the_same_rules():
    adjust("2026-03-09", DAY_OFF)
    with pytest.raises(ValidationError) as duplicate:
        adjust("2026-03-09", DAY_OFF)
    assert set(duplicate.value.message_dict) == {"date"}
    with pytest.raises(ValidationError) as useless:
        adjust("2026-03-10", WORKING_DAY)
    assert set(useless.value.message_dict) == {"kind"}


def test_messages_follow_the_language(api: Api, office_user: User):
    adjust("2026-03-09", DAY_OFF)
    for language in ("en", "vi"):
        response = api(office_user, language).post(
            ADJUSTMENTS, {"date": "2026-03-09", "kind": DAY_OFF}
        )
        assert response.status_code == 400
        assert response.data["date"][0]


def dates(response: Any) -> list[str]:
    assert response.status_code == 200, response.data
    return [row["date"] for row in response.data["results"]]


# --- list filters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["2025-12-27", "2026-01-05", "2026-03-07", "2026-12-31", "2027-01-04"]),
        ({"year": 2026}, ["2026-01-05", "2026-03-07", "2026-12-31"]),
        ({"year": 2024}, []),
        ({"from": "2026-01-05"}, ["2026-01-05", "2026-03-07", "2026-12-31", "2027-01-04"]),
        ({"to": "2026-01-05"}, ["2025-12-27", "2026-01-05"]),
        ({"from": "2026-01-06", "to": "2026-12-31"}, ["2026-03-07", "2026-12-31"]),
        ({"from": "2026-03-07", "to": "2026-03-07"}, ["2026-03-07"]),
        ({"year": 2026, "from": "2026-03-01"}, ["2026-03-07", "2026-12-31"]),
    ],
)
def test_adjustments_filter_by_year_and_range(
    api: Api,
    officer: User,
    adjustments: list[CalendarAdjustment],
    params: dict[str, Any],
    expected: list[str],
):
    assert dates(api(officer).get(ADJUSTMENTS, params)) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "2026.5"}, "year"),
        ({"year": "0"}, "year"),
        ({"year": "99999"}, "year"),
        ({"from": "2026-13-01"}, "from"),
        ({"from": "01/03/2026"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ],
)
def test_malformed_filters_are_400_naming_the_parameter(
    api: Api, officer: User, params: dict[str, str], field: str
):
    response = api(officer).get(ADJUSTMENTS, params)
    assert response.status_code == 400
    assert set(response.data) == {field}


@pytest.mark.parametrize(("year", "status"), [(1974, 400), (1975, 200), (2099, 200), (2100, 400)])
def test_the_year_filter_takes_the_years_a_date_can_have(
    api: Api, officer: User, year: int, status: int
):
    """The range of every date the application takes (config.common.dates), as the
    calendar page's year and the directives' year filter have it."""
    response = api(officer).get(ADJUSTMENTS, {"year": year})
    assert response.status_code == status, response.data
