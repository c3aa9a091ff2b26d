"""The office's own changes to the working-day calendar: they win over the statutory days
and over the official notices' days shipped as data (tracker.services.official_calendar),
so the office can still undo an official day or a holiday (24/11 should a notice say so).

An adjustment takes effect at once: the calendar selectors read the adjustments on every
call. Deadlines already stored on tasks are dates and do not move when the calendar
changes; only later computations (new deadlines, due-soon reminders) see the change.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tracker.models import CalendarAdjustment, CalendarAdjustmentKind
from tracker.selectors.calendar import is_working_day


def calendar_adjustment_errors(*, day: dt.date, kind: str) -> dict[str, list[str]]:
    """Why an adjustment of `kind` for `day` cannot be added, as `{field: [message]}` (empty
    when it can). Shared by the API validator and the service: a date holds at most one
    adjustment, and an adjustment must change something (a "working_day" on a day that is
    already a working day, or a "day_off" on a day already off, is a slip)."""
    if CalendarAdjustment.objects.filter(date=day).exists():
        return {
            "date": [
                _("The calendar already has an adjustment for %(date)s; delete it first.")
                % {"date": day.isoformat()}
            ]
        }
    working = is_working_day(day)  # no adjustment for the day: the official and statutory days
    if kind == CalendarAdjustmentKind.WORKING_DAY and working:
        return {
            "kind": [
                _("%(date)s is already a working day; this adjustment would change nothing.")
                % {"date": day.isoformat()}
            ]
        }
    if kind == CalendarAdjustmentKind.DAY_OFF and not working:
        return {
            "kind": [
                _("%(date)s is already a day off; this adjustment would change nothing.")
                % {"date": day.isoformat()}
            ]
        }
    return {}


@transaction.atomic
def calendar_adjustment_create(*, date: dt.date, kind: str, note: str = "") -> CalendarAdjustment:
    """Adds an adjustment; raises ValidationError (a 400) when the rules above fail,
    including when a concurrent request took the date first."""
    errors = calendar_adjustment_errors(day=date, kind=kind)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return CalendarAdjustment.objects.create(date=date, kind=kind, note=note)
    except IntegrityError:
        # The unique date, taken by a concurrent request between the check and the insert.
        errors = calendar_adjustment_errors(day=date, kind=kind)
        if not errors:
            raise
        raise ValidationError(errors) from None


@transaction.atomic
def calendar_adjustment_delete(*, adjustment: CalendarAdjustment) -> None:
    """Removes an adjustment: the statutory calendar applies to that date again."""
    adjustment.delete()
