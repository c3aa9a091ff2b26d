"""The working-day calendar: statutory holidays, official swaps, office adjustments."""

from datetime import date, datetime, timedelta

import holidays
import pytest

from tracker.models import CalendarAdjustment, CalendarAdjustmentKind
from tracker.selectors.calendar import (
    MAX_WORKING_DAYS,
    WorkingCalendar,
    add_working_days,
    is_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def adjust(day: date, kind: str, note: str = "test") -> CalendarAdjustment:
    return CalendarAdjustment.objects.create(date=day, kind=kind, note=note)


# --- Official 2025 swap (working Saturday 26/4, day off Friday 2/5), from the package ---


def test_official_2025_swap_comes_from_the_holidays_package():
    # No office rows: the swap is known to the `holidays` package itself.
    assert not CalendarAdjustment.objects.exists()
    assert is_working_day(date(2025, 4, 26))  # Saturday, makeup working day
    assert not is_working_day(date(2025, 5, 2))  # Friday, substituted day off
    assert not is_working_day(date(2025, 4, 30))
    assert not is_working_day(date(2025, 5, 1))


def test_ten_working_days_from_2025_04_25():
    assert add_working_days(date(2025, 4, 25), 10) == date(2025, 5, 13)


def test_ten_working_days_back_to_2025_04_25():
    assert add_working_days(date(2025, 5, 13), -10) == date(2025, 4, 25)


# --- Statutory holidays ---


TET_2026 = [date(2026, 2, 16) + timedelta(days=n) for n in range(5)]  # Mon 16 to Fri 20 Feb


@pytest.mark.parametrize("day", TET_2026, ids=str)
def test_tet_2026_is_off(day: date):
    assert not is_working_day(day)


def test_tet_2026_matches_the_package_and_spans_new_year_day():
    statutory = holidays.country_holidays("VN", years=2026)
    assert date(2026, 2, 17) in statutory  # Tết Nguyên Đán 2026
    assert all(day in statutory for day in TET_2026)
    # Friday before and Monday after the Tết break are working days.
    assert is_working_day(date(2026, 2, 13))
    assert is_working_day(date(2026, 2, 23))
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_every_weekday_holiday_of_the_package_is_off(year: int):
    statutory = holidays.country_holidays("VN", years=year)
    calendar = WorkingCalendar(date(year, 1, 1), date(year, 12, 31))
    for day in statutory:
        assert not calendar.is_working_day(day), (day, statutory[day])


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 4, 27), False),  # Hùng Kings' day (Sunday 26/4) observed on Monday
        (date(2026, 8, 22), True),  # Saturday, makeup working day for Monday 31/8
        (date(2026, 8, 31), False),  # Monday, substituted day off
        (date(2026, 9, 1), False),  # National Day, adjacent day
        (date(2026, 9, 2), False),  # National Day
        (date(2026, 11, 24), False),  # Vietnam Cultural Day, from 2026
        (date(2025, 11, 24), True),  # not yet a holiday in 2025 (a Monday)
        (date(2026, 8, 29), False),  # ordinary Saturday
    ],
    ids=str,
)
def test_2026_statutory_days(day: date, working: bool):
    assert is_working_day(day) is working


# --- Weekends and basic arithmetic ---


def test_weekends_are_off_and_weekdays_are_on():
    assert is_working_day(date(2025, 6, 2))  # Monday
    assert is_working_day(date(2025, 6, 6))  # Friday
    assert not is_working_day(date(2025, 6, 7))  # Saturday
    assert not is_working_day(date(2025, 6, 8))  # Sunday


def test_friday_plus_one_is_monday():
    assert add_working_days(date(2025, 6, 6), 1) == date(2025, 6, 9)


def test_start_on_a_weekend_does_not_count():
    assert add_working_days(date(2025, 6, 7), 1) == date(2025, 6, 9)  # Saturday -> Monday
    assert add_working_days(date(2025, 6, 8), 5) == date(2025, 6, 13)  # Sunday -> Friday


def test_zero_days_returns_start_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert add_working_days(date(2025, 6, 7), 0) == date(2025, 6, 7)
        assert add_working_days(date(2025, 6, 9), 0) == date(2025, 6, 9)


def test_negative_days_count_backwards():
    assert add_working_days(date(2025, 6, 9), -1) == date(2025, 6, 6)  # Monday -> Friday
    assert add_working_days(date(2025, 6, 8), -1) == date(2025, 6, 6)  # Sunday -> Friday
    # A reminder 2 working days before a deadline on Monday 5/5/2025 (after the long break).
    assert add_working_days(date(2025, 5, 5), -2) == date(2025, 4, 28)


def test_working_days_between():
    assert working_days_between(date(2025, 4, 25), date(2025, 5, 13)) == 10
    assert working_days_between(date(2025, 5, 13), date(2025, 4, 25)) == -10
    assert working_days_between(date(2025, 6, 6), date(2025, 6, 6)) == 0
    assert working_days_between(date(2025, 6, 6), date(2025, 6, 8)) == 0  # Fri -> Sun
    assert working_days_between(date(2025, 6, 6), date(2025, 6, 9)) == 1  # Fri -> Mon
    assert working_days_between(date(2025, 6, 2), date(2025, 6, 6)) == 4  # Mon -> Fri
    assert working_days_between(date(2025, 6, 6), date(2025, 6, 2)) == -4


@pytest.mark.parametrize("days", [1, 7, 10, 45, 250])
@pytest.mark.parametrize("start", [date(2025, 4, 25), date(2025, 12, 27), date(2026, 2, 14)])
def test_working_days_between_inverts_add_working_days(start: date, days: int):
    assert working_days_between(start, add_working_days(start, days)) == days


# --- Office adjustments ---


def test_office_adjustment_takes_effect_at_once():
    start = date(2025, 4, 25)
    assert add_working_days(start, 10) == date(2025, 5, 13)

    extra_day_off = adjust(date(2025, 5, 6), CalendarAdjustmentKind.DAY_OFF)
    assert not is_working_day(date(2025, 5, 6))
    assert add_working_days(start, 10) == date(2025, 5, 14)
    assert working_days_between(start, date(2025, 5, 13)) == 9

    extra_day_off.delete()
    assert is_working_day(date(2025, 5, 6))
    assert add_working_days(start, 10) == date(2025, 5, 13)


def test_office_working_day_on_a_weekend():
    sunday = date(2025, 6, 8)
    assert add_working_days(date(2025, 6, 6), 1) == date(2025, 6, 9)
    adjust(sunday, CalendarAdjustmentKind.WORKING_DAY)
    assert is_working_day(sunday)
    assert add_working_days(date(2025, 6, 6), 1) == sunday


def test_office_adjustments_override_the_statutory_calendar():
    # Cancel the 2025 swap: Saturday 26/4 off again, Friday 2/5 back to work.
    adjust(date(2025, 4, 26), CalendarAdjustmentKind.DAY_OFF)
    adjust(date(2025, 5, 2), CalendarAdjustmentKind.WORKING_DAY)
    assert not is_working_day(date(2025, 4, 26))
    assert is_working_day(date(2025, 5, 2))
    assert add_working_days(date(2025, 4, 25), 10) == date(2025, 5, 13)
    # Even a statutory holiday can be overridden.
    adjust(date(2026, 2, 17), CalendarAdjustmentKind.WORKING_DAY)
    assert is_working_day(date(2026, 2, 17))


def test_a_calendar_instance_sees_adjustments_made_before_it_was_created():
    adjust(date(2025, 6, 4), CalendarAdjustmentKind.DAY_OFF)
    calendar = WorkingCalendar(date(2025, 6, 1), date(2025, 6, 30))
    assert not calendar.is_working_day(date(2025, 6, 4))
    assert is_working_day(date(2025, 6, 4), calendar=calendar) is False


# --- Guards and query counts ---


@pytest.mark.parametrize("days", [MAX_WORKING_DAYS + 1, -MAX_WORKING_DAYS - 1, 10**9])
def test_too_many_days_is_rejected(days: int, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(ValueError):
        add_working_days(date(2025, 1, 1), days)


def test_the_largest_allowed_span_works():
    start = date(2025, 1, 2)  # a working day, so going back lands on it again
    end = add_working_days(start, MAX_WORKING_DAYS)
    assert working_days_between(start, end) == MAX_WORKING_DAYS
    assert add_working_days(end, -MAX_WORKING_DAYS) == start


def test_datetimes_are_rejected():
    with pytest.raises(TypeError):
        add_working_days(datetime(2025, 1, 1, 8, 0), 1)
    with pytest.raises(TypeError):
        is_working_day(datetime(2025, 1, 1, 8, 0))


def test_add_300_working_days_makes_one_query(django_assert_num_queries):
    adjust(date(2025, 9, 10), CalendarAdjustmentKind.DAY_OFF)
    adjust(date(2025, 10, 11), CalendarAdjustmentKind.WORKING_DAY)
    with django_assert_num_queries(1):
        end = add_working_days(date(2025, 4, 25), 300)
    with django_assert_num_queries(1):
        back = add_working_days(end, -300)
    with django_assert_num_queries(1):
        assert working_days_between(date(2025, 4, 25), end) == 300
    assert back == date(2025, 4, 25)


def test_a_shared_calendar_answers_without_further_queries(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = WorkingCalendar(date(2025, 1, 1), date(2025, 12, 31))
    with django_assert_num_queries(0):
        assert is_working_day(date(2025, 4, 26), calendar=calendar)
        assert add_working_days(date(2025, 4, 25), 10, calendar=calendar) == date(2025, 5, 13)
        assert working_days_between(date(2025, 1, 1), date(2025, 12, 31), calendar=calendar) > 0


def test_a_calendar_loads_more_when_asked_outside_its_range(django_assert_num_queries):
    adjust(date(2026, 3, 3), CalendarAdjustmentKind.DAY_OFF)
    calendar = WorkingCalendar(date(2025, 1, 1), date(2025, 1, 31))
    with django_assert_num_queries(1):
        assert not calendar.is_working_day(date(2026, 3, 3))
    with django_assert_num_queries(0):
        assert calendar.is_working_day(date(2026, 3, 4))
