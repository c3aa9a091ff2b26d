"""The calendar API: the office's adjustments (read by all, written by the office) and the
add-working-days calculator, which sees a new or deleted adjustment at once."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tracker.models import CalendarAdjustment, CalendarAdjustmentKind, Role, User
from tracker.services.calendar import calendar_adjustment_create

pytestmark = pytest.mark.django_db

ADJUSTMENTS = "/api/v1/calendar/adjustments/"
ADD = "/api/v1/calendar/add-working-days/"
DAY_OFF = CalendarAdjustmentKind.DAY_OFF
WORKING_DAY = CalendarAdjustmentKind.WORKING_DAY

Api = Callable[..., APIClient]


def detail(adjustment_id: int) -> str:
    return f"{ADJUSTMENTS}{adjustment_id}/"


def adjust(day: str, kind: str, note: str = "Thông báo hoán đổi ngày làm việc") -> Any:
    return calendar_adjustment_create(date=date.fromisoformat(day), kind=kind, note=note)


def added(client: APIClient, start: str, days: Any) -> str:
    response = client.get(ADD, {"start": start, "days": days})
    assert response.status_code == 200, response.data
    assert response.data == {"start": start, "days": int(days), "date": response.data["date"]}
    return response.data["date"]


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


# --- list filters --------------------------------------------------------------------------


@pytest.fixture
def adjustments() -> list[CalendarAdjustment]:
    return [
        adjust("2025-12-27", WORKING_DAY),
        adjust("2026-01-02", DAY_OFF),
        adjust("2026-03-07", WORKING_DAY),
        adjust("2026-12-31", DAY_OFF),
        adjust("2027-01-04", DAY_OFF),
    ]


def dates(response: Any) -> list[str]:
    assert response.status_code == 200, response.data
    return [row["date"] for row in response.data["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["2025-12-27", "2026-01-02", "2026-03-07", "2026-12-31", "2027-01-04"]),
        ({"year": 2026}, ["2026-01-02", "2026-03-07", "2026-12-31"]),
        ({"year": 2024}, []),
        ({"from": "2026-01-02"}, ["2026-01-02", "2026-03-07", "2026-12-31", "2027-01-04"]),
        ({"to": "2026-01-02"}, ["2025-12-27", "2026-01-02"]),
        ({"from": "2026-01-03", "to": "2026-12-31"}, ["2026-03-07", "2026-12-31"]),
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


# --- add working days ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2025-04-25", 10, "2025-05-13"),  # over the 2025 swap, 30/4 and 1/5
        ("2025-05-13", -10, "2025-04-25"),
        ("2025-04-25", 1, "2025-04-26"),  # Saturday 26/4/2025 is a working day
        ("2025-04-29", 1, "2025-05-05"),  # 30/4, 1/5 and Friday 2/5 off, then the weekend
        ("2025-05-05", -1, "2025-04-29"),
        ("2026-02-13", 1, "2026-02-23"),  # Tết 2026: Monday 16 to Friday 20 February off
        ("2026-02-23", -1, "2026-02-13"),
        ("2026-02-17", 0, "2026-02-17"),  # zero days: the start itself, even on a day off
        ("2026-03-06", 1, "2026-03-09"),  # Friday to Monday
    ],
)
def test_known_working_day_sums(api: Api, officer: User, start: str, days: int, expected: str):
    assert added(api(officer), start, days) == expected


@pytest.mark.parametrize(
    "day", ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"]
)
def test_no_tet_2026_day_is_ever_reached(api: Api, leader_user: User, day: str):
    client = api(leader_user)
    reached = {added(client, "2026-02-13", n) for n in range(1, 4)}
    reached |= {added(client, "2026-02-27", -n) for n in range(1, 10)}
    assert day not in reached


def test_an_adjustment_changes_the_answer_at_once_and_delete_restores_it(
    api: Api, office_user: User, officer: User
):
    office, reader = api(office_user), api(officer)
    assert added(reader, "2026-02-13", 1) == "2026-02-23"

    # The office gives Monday 23/2 off: the next working day after Tết is Tuesday.
    response = office.post(ADJUSTMENTS, {"date": "2026-02-23", "kind": DAY_OFF})
    assert response.status_code == 201, response.data
    assert added(reader, "2026-02-13", 1) == "2026-02-24"
    assert added(reader, "2026-02-25", -2) == "2026-02-13"

    # And makes Saturday 14/2 a working day: it comes first.
    saturday = office.post(ADJUSTMENTS, {"date": "2026-02-14", "kind": WORKING_DAY})
    assert saturday.status_code == 201, saturday.data
    assert added(reader, "2026-02-13", 1) == "2026-02-14"
    assert added(reader, "2026-02-13", 2) == "2026-02-24"

    assert office.delete(detail(saturday.data["id"])).status_code == 204
    assert added(reader, "2026-02-13", 1) == "2026-02-24"
    assert office.delete(detail(response.data["id"])).status_code == 204
    assert added(reader, "2026-02-13", 1) == "2026-02-23"


def test_the_2025_swap_can_be_undone_by_the_office(api: Api, office_user: User, officer: User):
    office, reader = api(office_user), api(officer)
    assert added(reader, "2025-04-25", 10) == "2025-05-13"
    for day, kind in (("2025-04-26", DAY_OFF), ("2025-05-02", WORKING_DAY)):
        assert office.post(ADJUSTMENTS, {"date": day, "kind": kind}).status_code == 201
    # Saturday 26/4 off, Friday 2/5 worked: the same count of days, a different path.
    assert added(reader, "2025-04-25", 1) == "2025-04-28"
    assert added(reader, "2025-04-29", 1) == "2025-05-02"
    assert added(reader, "2025-04-25", 10) == "2025-05-13"


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, {"start", "days"}),
        ({"days": "1"}, {"start"}),
        ({"start": "2026-03-06"}, {"days"}),
        ({"start": "", "days": "1"}, {"start"}),
        ({"start": "06/03/2026", "days": "1"}, {"start"}),
        ({"start": "2026-02-30", "days": "1"}, {"start"}),
        ({"start": "2026-03-06T00:00:00", "days": "1"}, {"start"}),
        ({"start": "1974-12-31", "days": "1"}, {"start"}),
        ({"start": "2100-01-01", "days": "1"}, {"start"}),
        ({"start": "0001-01-01", "days": "-1"}, {"start"}),
        ({"start": "9999-12-31", "days": "1"}, {"start"}),
        ({"start": "2026-03-06", "days": ""}, {"days"}),
        ({"start": "2026-03-06", "days": "ten"}, {"days"}),
        ({"start": "2026-03-06", "days": "1.5"}, {"days"}),
        ({"start": "2026-03-06", "days": "3651"}, {"days"}),
        ({"start": "2026-03-06", "days": "-3651"}, {"days"}),
        ({"start": "2026-03-06", "days": "99999999999999999999999"}, {"days"}),
        ({"start": "x", "days": "y"}, {"start", "days"}),
    ],
)
def test_bad_add_working_days_queries_are_400_naming_each_parameter(
    api: Api, officer: User, params: dict[str, str], fields: set[str]
):
    response = api(officer).get(ADD, params)
    assert response.status_code == 400
    assert set(response.data) == fields


@pytest.mark.parametrize(
    ("start", "days"), [("1975-01-01", -3650), ("2099-12-31", 3650), ("2026-03-09", 3650)]
)
def test_the_extremes_of_the_range_answer(api: Api, officer: User, start: str, days: int):
    result = date.fromisoformat(added(api(officer), start, days))
    # About 250 working days a year: 3650 of them take between 14 and 15 years.
    assert 14 * 365 < abs((result - date.fromisoformat(start)).days) < 15 * 366


@pytest.mark.parametrize(("year", "status"), [(1974, 400), (1975, 200), (2099, 200), (2100, 400)])
def test_the_year_filter_takes_the_years_a_date_can_have(
    api: Api, officer: User, year: int, status: int
):
    """The range of every date the application takes (config.common.dates), as the
    calendar page's year and the directives' year filter have it."""
    response = api(officer).get(ADJUSTMENTS, {"year": year})
    assert response.status_code == status, response.data
