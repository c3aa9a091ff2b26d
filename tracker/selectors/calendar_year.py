"""One year of the working-day calendar as the office reviews it: every day with whether
it is a working day and why, the statutory days off with their names, the official
notices' days (shipped as data) with their notices, the swaps the `holidays` package
knows, and the office's adjustments. The rules are tracker.selectors.calendar's."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import QuerySet

from tracker.models import (
    CalendarAdjustment,
    CalendarAdjustmentKind,
    OfficialCalendarDay,
    OfficialNotice,
)
from tracker.selectors.calendar import (
    WorkingCalendar,
    statutory_days_off,
    statutory_weekend_working_days,
)

_SATURDAY = 5


class DayKind(StrEnum):
    """Why a day is, or is not, a working day (the calendar's order of precedence)."""

    OFFICE_WORKING_DAY = "office_working_day"  # the office's adjustment
    OFFICE_DAY_OFF = "office_day_off"  # the office's adjustment
    OFFICIAL_WORKING_DAY = "official_working_day"  # an official notice's, shipped as data
    OFFICIAL_DAY_OFF = "official_day_off"  # an official notice's, shipped as data
    SWAP_WORKING_DAY = "swap_working_day"  # a weekend day an official swap makes worked
    HOLIDAY = "holiday"  # a statutory day off (holiday, compensatory or swapped day)
    WEEKEND = "weekend"
    WORKING_DAY = "working_day"  # Monday to Friday


@dataclass(frozen=True)
class CalendarDay:
    day: date
    working: bool
    kind: DayKind
    name: str  # the holiday's name, the notice's label and number, or the office's note


@dataclass(frozen=True)
class CalendarYear:
    year: int
    days: dict[date, CalendarDay]
    days_off: tuple[tuple[date, str], ...]
    weekend_working_days: tuple[date, ...]
    adjustments: list[CalendarAdjustment]
    official_notices: list[tuple[OfficialNotice, list[OfficialCalendarDay]]]


def official_calendar_day_list(year: int) -> list[OfficialCalendarDay]:
    """The official notices' days of `year` with their notices (one query), by date."""
    return list(
        OfficialCalendarDay.objects.filter(date__range=(date(year, 1, 1), date(year, 12, 31)))
        .select_related("notice")
        .order_by("date")
    )


def _by_notice(
    days: list[OfficialCalendarDay],
) -> list[tuple[OfficialNotice, list[OfficialCalendarDay]]]:
    notices: dict[int, tuple[OfficialNotice, list[OfficialCalendarDay]]] = {}
    for day in days:
        notices.setdefault(day.notice_id, (day.notice, []))[1].append(day)
    return sorted(notices.values(), key=lambda item: (item[0].issued_on, item[0].number))


def calendar_adjustment_list(year: int) -> QuerySet[CalendarAdjustment]:
    return CalendarAdjustment.objects.filter(date__year=year).order_by("date")


def calendar_year(year: int, language: str = "vi") -> CalendarYear:
    """Every day of `year` (three queries: the calendar's own, the office's adjustments and
    the official days with their notices); holiday names in `language`."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    calendar = WorkingCalendar(first, last)
    adjustments = list(calendar_adjustment_list(year))
    adjusted = {adjustment.date: adjustment for adjustment in adjustments}
    official_days = official_calendar_day_list(year)
    official = {day.date: day for day in official_days}
    days_off = statutory_days_off(year, language)
    names = dict(days_off)
    swaps = statutory_weekend_working_days(year)
    days = {}
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        adjustment = adjusted.get(day)
        if adjustment is not None:
            kind = (
                DayKind.OFFICE_WORKING_DAY
                if adjustment.kind == CalendarAdjustmentKind.WORKING_DAY
                else DayKind.OFFICE_DAY_OFF
            )
            name = adjustment.note
        elif day in official:
            decided = official[day]
            kind = (
                DayKind.OFFICIAL_WORKING_DAY
                if decided.kind == CalendarAdjustmentKind.WORKING_DAY
                else DayKind.OFFICIAL_DAY_OFF
            )
            name = f"{decided.label} ({decided.notice.number})"
        elif day in swaps:
            kind, name = DayKind.SWAP_WORKING_DAY, ""
        elif day in names:
            kind, name = DayKind.HOLIDAY, names[day]
        elif day.weekday() >= _SATURDAY:
            kind, name = DayKind.WEEKEND, ""
        else:
            kind, name = DayKind.WORKING_DAY, ""
        days[day] = CalendarDay(day, calendar.is_working_day(day), kind, name)
    return CalendarYear(year, days, days_off, swaps, adjustments, _by_notice(official_days))
