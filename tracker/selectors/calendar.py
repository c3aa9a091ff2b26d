"""The working-day calendar: which local dates (Asia/Ho_Chi_Minh) are working days.

A date is a working day when, in order of precedence:

1. the office has a `CalendarAdjustment` row for it: kind "working_day" makes it a working
   day, kind "day_off" makes it a day off, whatever the rules below say (so the office can
   still undo an official day, or make 24/11 a working day if a notice says so);
2. otherwise an official notice shipped as data (`OfficialCalendarDay`, loaded from
   tracker/data/calendar/ by `tracker.services.official_calendar`) decides it: "day_off"
   or "working_day", with the notice's number and date (e.g. New Year 2026: Friday 2/1 off,
   Saturday 10/1 worked, dispatch 12729/VPCP-KGVX);
3. otherwise it is a Saturday or Sunday that an official swap notice the `holidays`
   package knows turns into a makeup working day (its `weekend_workdays`);
4. otherwise it is a working day when it is Monday to Friday and not one of Vietnam's
   public holidays in the `holidays` package (country "VN"): New Year's Day, Tết, Hùng
   Kings' day, 30/4, 1/5, 2/9 and its adjacent day, 24/11 from 2026, the compensatory days
   for holidays falling on a weekend, and the substituted days off of the swap notices it
   knows (for example 2025: Friday 2/5 off for Saturday 26/4; 2026: Monday 31/8 off for
   Saturday 22/8, which the shipped data holds too, with their notices).

The statutory part never changes for a given package version and is cached per year for
the life of the process. The office's adjustments and the official days are read from the
database on every call (one query per `WorkingCalendar`, both tables in one UNION), never
cached across requests, so a new adjustment or a newly loaded year changes the answer at
once.

All dates are `datetime.date` values in local time; use `django.utils.timezone.localdate()`
to get today's date. Passing a `datetime` raises `TypeError`, since its date would depend
on its timezone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.db.models import IntegerField, Value

from tracker.models import CalendarAdjustment, CalendarAdjustmentKind, OfficialCalendarDay

__all__ = [
    "MAX_WORKING_DAYS",
    "WorkingCalendar",
    "add_working_days",
    "is_working_day",
    "statutory_days_off",
    "statutory_weekend_working_days",
    "working_days_between",
]

COUNTRY = "VN"

# Largest |days| that add_working_days accepts (about 14 years of working days).
MAX_WORKING_DAYS = 3650
# Largest number of calendar days any walk over the calendar may cover (about 20 years);
# guards against unbounded loops, e.g. when adjustments mark a very long span as days off.
MAX_SPAN_DAYS = 7305
# Calendar days loaded per extra query when a walk leaves the range loaded up front.
_EXTEND_CHUNK_DAYS = 366
_ONE_DAY = timedelta(days=1)
_SATURDAY = 5
# Which table a row of the calendar's one query comes from.
_OFFICE, _OFFICIAL = 0, 1


@lru_cache(maxsize=128)
def _statutory_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Vietnam's statutory days off and makeup working weekend days known for `year`.

    Returns `(days_off, weekend_working_days)`. Cached: the data depends only on the
    installed `holidays` package version."""
    calendar = holidays.country_holidays(COUNTRY, years=year)
    days_off = frozenset(day for day in calendar if day.year == year)
    weekend_working_days = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return days_off, weekend_working_days


# The languages the `holidays` package names Vietnam's days off in, by the site's language.
_HOLIDAY_LANGUAGES = {"vi": "vi", "en": "en_US"}


@lru_cache(maxsize=64)
def _named_days_off(year: int, language: str) -> tuple[tuple[date, str], ...]:
    calendar = holidays.country_holidays(COUNTRY, years=year, language=language)
    return tuple(sorted((day, name) for day, name in calendar.items() if day.year == year))


def statutory_days_off(year: int, language: str = "vi") -> tuple[tuple[date, str], ...]:
    """Vietnam's statutory days off of `year` (the days `_statutory_year` holds), each with
    its name in `language` ("vi" or "en"; another falls back to Vietnamese), by date."""
    return _named_days_off(year, _HOLIDAY_LANGUAGES.get(language, "vi"))


def statutory_weekend_working_days(year: int) -> tuple[date, ...]:
    """The Saturdays and Sundays of `year` that official swap notices make working days."""
    return tuple(sorted(_statutory_year(year)[1]))


def _is_statutory_working_day(day: date) -> bool:
    days_off, weekend_working_days = _statutory_year(day.year)
    if day.weekday() >= _SATURDAY:
        return day in weekend_working_days
    return day not in days_off


def _check_date(value: date, name: str) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date (a local date), not {type(value)!r}")


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, not {type(days)!r}")
    if abs(days) > MAX_WORKING_DAYS:
        raise ValueError(f"days must be between -{MAX_WORKING_DAYS} and {MAX_WORKING_DAYS}")


class WorkingCalendar:
    """The working-day calendar for a range of dates, loaded with one query.

    The constructor reads every `CalendarAdjustment` and `OfficialCalendarDay` row in
    `[start, end]` with a single query; the statutory holidays come from the `holidays`
    package (cached per year, no query). Asking about a date outside the loaded range
    loads a further chunk with one more query, so answers are always right, and a walk
    that stays within the range makes no query at all.

    An instance reflects the adjustments and official days as they were when it loaded
    them: create one per request or per computation, never keep one across requests.
    """

    def __init__(self, start: date, end: date) -> None:
        _check_date(start, "start")
        _check_date(end, "end")
        self._adjustments: dict[date, bool] = {}
        self._official: dict[date, bool] = {}
        self._loaded: list[tuple[date, date]] = []
        self._load(min(start, end), max(start, end))

    def _load(self, first: date, last: date) -> None:
        office = (
            CalendarAdjustment.objects.filter(date__range=(first, last))
            .annotate(source=Value(_OFFICE, output_field=IntegerField()))
            .values_list("date", "kind", "source")
            .order_by()
        )
        official = (
            OfficialCalendarDay.objects.filter(date__range=(first, last))
            .annotate(source=Value(_OFFICIAL, output_field=IntegerField()))
            .values_list("date", "kind", "source")
            .order_by()
        )
        for day, kind, source in office.union(official, all=True):
            target = self._adjustments if source == _OFFICE else self._official
            target[day] = kind == CalendarAdjustmentKind.WORKING_DAY
        self._loaded.append((first, last))

    def _is_loaded(self, day: date) -> bool:
        return any(first <= day <= last for first, last in self._loaded)

    def _ensure_loaded(self, day: date) -> None:
        """Loads the adjustments and official days around `day` when it lies outside the
        loaded range, with a chunk running away from the range already loaded (a walk
        continues that way)."""
        if self._is_loaded(day):
            return
        chunk = timedelta(days=_EXTEND_CHUNK_DAYS)
        if day > max(last for _, last in self._loaded):
            first, last = day, _clamp_add(day, chunk)
        elif day < min(first for first, _ in self._loaded):
            first, last = _clamp_add(day, -chunk), day
        else:
            first, last = day, day
        self._load(first, last)

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a working day (the office's adjustments first, then the official
        notices' days, then the statutory calendar)."""
        _check_date(day, "day")
        self._ensure_loaded(day)
        adjusted = self._adjustments.get(day)
        if adjusted is not None:
            return adjusted
        official = self._official.get(day)
        if official is not None:
            return official
        return _is_statutory_working_day(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (before it when `days` is negative).
        `start` itself never counts; `days=0` returns `start`."""
        _check_date(start, "start")
        _check_days(days)
        step = _ONE_DAY if days > 0 else -_ONE_DAY
        remaining = abs(days)
        day = start
        walked = 0
        while remaining:
            day += step
            walked += 1
            if walked > MAX_SPAN_DAYS:
                raise ValueError(
                    f"no {abs(days)} working days within {MAX_SPAN_DAYS} days of {start}"
                )
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days `d` with `start < d <= end`; when `end < start`, minus
        the number with `end < d <= start`."""
        _check_date(start, "start")
        _check_date(end, "end")
        if end < start:
            return -self.working_days_between(end, start)
        span = (end - start).days
        if span > MAX_SPAN_DAYS:
            raise ValueError(f"the span from {start} to {end} exceeds {MAX_SPAN_DAYS} days")
        return sum(self.is_working_day(start + timedelta(days=n)) for n in range(1, span + 1))


def _clamp_add(day: date, delta: timedelta) -> date:
    try:
        return day + delta
    except OverflowError:
        return date.max if delta > timedelta(0) else date.min


def _window_for(start: date, days: int) -> tuple[date, date]:
    """A calendar range that almost surely holds `days` working days from `start`: there
    are about 250 working days in 365 calendar days (ratio 1.46), and the longest run of
    days off (Tết) is 9 days."""
    span = timedelta(days=abs(days) * 8 // 5 + 31)
    if days >= 0:
        return start, _clamp_add(start, span)
    return _clamp_add(start, -span), start


def is_working_day(day: date, *, calendar: WorkingCalendar | None = None) -> bool:
    """Whether `day` is a working day. Without `calendar` this makes one query; pass a
    `WorkingCalendar` covering the dates when asking about many of them."""
    _check_date(day, "day")
    if calendar is None:
        calendar = WorkingCalendar(day, day)
    return calendar.is_working_day(day)


def add_working_days(start: date, days: int, *, calendar: WorkingCalendar | None = None) -> date:
    """The date `days` working days after `start`; negative `days` counts backwards (e.g.
    a reminder N working days before a deadline). `start` never counts, and `days=0`
    returns `start` (without a query). Rejects `|days| > MAX_WORKING_DAYS` with
    `ValueError`. Without `calendar` it loads the needed range with a single query."""
    _check_date(start, "start")
    _check_days(days)
    if days == 0:
        return start
    if calendar is None:
        calendar = WorkingCalendar(*_window_for(start, days))
    return calendar.add_working_days(start, days)


def working_days_between(start: date, end: date, *, calendar: WorkingCalendar | None = None) -> int:
    """The number of working days `d` with `start < d <= end`, negative when `end < start`
    (then minus the number with `end < d <= start`), so that
    `working_days_between(a, b) == -working_days_between(b, a)` and
    `working_days_between(s, add_working_days(s, n)) == n` for `n >= 0`.
    Rejects spans longer than `MAX_SPAN_DAYS` with `ValueError`. One query."""
    _check_date(start, "start")
    _check_date(end, "end")
    if start == end:
        return 0
    if abs((end - start).days) > MAX_SPAN_DAYS:
        raise ValueError(f"the span from {start} to {end} exceeds {MAX_SPAN_DAYS} days")
    if calendar is None:
        calendar = WorkingCalendar(start, end)
    return calendar.working_days_between(start, end)
