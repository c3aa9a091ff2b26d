"""The calendar API's add-working-days calculator: known sums, the Tết holidays, a new or
deleted adjustment seen at once, bad queries named, the extremes of the range."""

from datetime import date

import pytest

from tests.tracker.calendar_api_support import (
    ADD,
    ADJUSTMENTS,
    DAY_OFF,
    WORKING_DAY,
    Api,
    added,
    detail,
)
from tracker.models import User

pytestmark = pytest.mark.django_db


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
