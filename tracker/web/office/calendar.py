"""The working-day calendar of a year: the month grids, the statutory days off, the
official notices' days (shipped as data), the swaps the `holidays` package knows and the
office's adjustments, which the office adds and removes (an adjustment wins over the rest)."""

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, translation
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from config.web.access import AuthenticatedHttpRequest, page
from tracker.models import CalendarAdjustment, CalendarAdjustmentKind
from tracker.permissions import user_is_office
from tracker.selectors.calendar_year import CalendarDay, DayKind, calendar_year
from tracker.selectors.tasks import local_today
from tracker.services.calendar import calendar_adjustment_create, calendar_adjustment_delete
from tracker.web.office.forms import CalendarAdjustmentForm, YearForm

# Column headings, Monday first (FIRST_DAY_OF_WEEK = 1 in both languages' formats).
WEEKDAY_SHORT = (
    pgettext_lazy("weekday, short", "Mo"),
    pgettext_lazy("weekday, short", "Tu"),
    pgettext_lazy("weekday, short", "We"),
    pgettext_lazy("weekday, short", "Th"),
    pgettext_lazy("weekday, short", "Fr"),
    pgettext_lazy("weekday, short", "Sa"),
    pgettext_lazy("weekday, short", "Su"),
)

# What a day is, in words, and the symbol the grid shows for it (never colour alone).
DAY_KINDS: dict[DayKind, tuple[str | Promise, str]] = {
    DayKind.WORKING_DAY: (gettext_lazy("Working day"), ""),
    DayKind.WEEKEND: (gettext_lazy("Weekend, day off"), ""),
    DayKind.HOLIDAY: (gettext_lazy("Statutory day off"), "★"),
    DayKind.SWAP_WORKING_DAY: (gettext_lazy("Working day by an official swap"), "⇄"),
    DayKind.OFFICIAL_DAY_OFF: (gettext_lazy("Day off by an official notice"), "◆"),
    DayKind.OFFICIAL_WORKING_DAY: (gettext_lazy("Working day by an official notice"), "◆"),
    DayKind.OFFICE_DAY_OFF: (gettext_lazy("Day off set by the office"), "✎"),
    DayKind.OFFICE_WORKING_DAY: (gettext_lazy("Working day set by the office"), "✎"),
}


# Ngày Văn hóa Việt Nam (24/11), a holiday by law from 2026 (the `holidays` package's);
# the page tells the office how to undo it should a notice say otherwise.
CULTURAL_DAY_FROM = 2026

LEGEND = (
    ("★", DAY_KINDS[DayKind.HOLIDAY][0]),
    ("⇄", DAY_KINDS[DayKind.SWAP_WORKING_DAY][0]),
    ("◆", gettext_lazy("An official notice's day (a day off or a working day), listed below")),
    ("✎", gettext_lazy("The office's adjustment (a day off or a working day)")),
)


@dataclass(frozen=True)
class Cell:
    day: CalendarDay
    label: str | Promise
    symbol: str


@dataclass(frozen=True)
class Month:
    number: int
    name: str | Promise
    weeks: list[list[Cell | None]]
    working_days: int


def _months(days: dict[date, CalendarDay], year: int) -> list[Month]:
    weeks_of = month_calendar.Calendar(firstweekday=0).monthdatescalendar
    months = []
    for number in range(1, 13):
        weeks = [
            [_cell(days[day]) if day.month == number else None for day in week]
            for week in weeks_of(year, number)
        ]
        working = sum(1 for day in days.values() if day.day.month == number and day.working)
        months.append(Month(number, MONTHS[number], weeks, working))
    return months


def _cell(day: CalendarDay) -> Cell:
    label, symbol = DAY_KINDS[day.kind]
    return Cell(day, label, symbol)


def _year(value: str | None) -> int:
    """The year asked for; the current one when none or not a plausible year."""
    form = YearForm({"year": value})
    return form.cleaned_data["year"] if form.is_valid() else local_today().year


def _render(
    request: HttpRequest, year: int, form: CalendarAdjustmentForm, status: int = 200
) -> TemplateResponse:
    data = calendar_year(year, translation.get_language() or "vi")
    context = {
        "year": year,
        "previous_year": year - 1,
        "next_year": year + 1,
        "months": _months(data.days, year),
        "working_days": sum(1 for day in data.days.values() if day.working),
        "weekdays": list(zip(WEEKDAY_SHORT, (WEEKDAYS[n] for n in range(7)), strict=True)),
        "legend": LEGEND,
        "days_off": data.days_off,
        "weekend_working_days": data.weekend_working_days,
        "adjustments": data.adjustments,
        "official_notices": data.official_notices,
        "cultural_day": date(year, 11, 24) if year >= CULTURAL_DAY_FROM else None,
        "form": form,
    }
    return TemplateResponse(request, "tracker/office/calendar.html", context, status=status)


def _back_to(year: int) -> HttpResponse:
    return redirect(f"{reverse('calendar')}?year={year}")


@page(user_is_office)
def calendar_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year"))
    today = local_today()
    initial = {"date": today if today.year == year else date(year, 1, 1)}
    return _render(request, year, CalendarAdjustmentForm(initial=initial))


@require_POST
@page(user_is_office)
def adjustment_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The same service as POST /api/v1/calendar/adjustments/: a date holds one adjustment,
    and an adjustment must change something; its errors go beside the fields."""
    form = CalendarAdjustmentForm(request.POST)
    year = _year(request.POST.get("year"))
    if form.is_valid():
        try:
            adjustment = calendar_adjustment_create(
                date=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _added_message(adjustment))
            return _back_to(adjustment.date.year)
    return _render(request, year, form, status=400)


def _added_message(adjustment: CalendarAdjustment) -> str:
    day = formats.date_format(adjustment.date, "d/m/Y")
    if adjustment.kind == CalendarAdjustmentKind.DAY_OFF:
        return _("%(date)s is now a day off.") % {"date": day}
    return _("%(date)s is now a working day.") % {"date": day}


@require_POST
@page(user_is_office)
def adjustment_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    adjustment = get_object_or_404(CalendarAdjustment, pk=pk)
    day = adjustment.date
    calendar_adjustment_delete(adjustment=adjustment)
    messages.success(
        request,
        _("The adjustment of %(date)s was removed; the statutory calendar applies again.")
        % {"date": formats.date_format(day, "d/m/Y")},
    )
    return _back_to(day.year)
