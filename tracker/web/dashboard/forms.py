"""The dashboard's period: the form that shows it, and the reading of the query string. The
dates are judged by the API's own query validation (`IndicatorQuery`), so the page and
`GET /api/v1/indicators/` refuse the same dates with the same words."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from config.common.text import StrOrPromise
from config.web.forms import AccessibleForm, DateInput
from tracker.api.indicator_queries import IndicatorQuery


def _date_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    # Text, not a DateField: the API's validator parses the dates, and one message per
    # mistake is enough (a DateField would add Django's own beside the API's).
    return forms.CharField(label=label, help_text=help_text, required=False, widget=DateInput)


class PeriodForm(AccessibleForm):
    # `from` is a Python keyword: declared through the class namespace.
    locals()["from"] = _date_field(_("From"), _("Tasks assigned from this day."))
    to = _date_field(_("To"), _("Tasks assigned up to this day."))
    as_of = _date_field(
        _("As of"),
        _("The day the tasks are judged at. Empty: today, or the closed period's own date."),
    )


@dataclass(frozen=True)
class PeriodChoice:
    date_from: date
    date_to: date
    as_of: date | None  # None: as the indicators default it

    def query(self) -> dict[str, str]:
        """The dates as the user chose them, for links that keep them (sorting)."""
        values = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        if self.as_of is not None:
            values["as_of"] = self.as_of.isoformat()
        return values


def year_bounds(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), date(today.year, 12, 31)


def read_period(params: QueryDict, today: date) -> tuple[PeriodForm, PeriodChoice | None]:
    """The form as the user filled it (this year by default) and, when the API's rules
    accept the dates, the period; otherwise None and the form carries the errors."""
    first, last = year_bounds(today)
    form = PeriodForm(
        {
            "from": params.get("from") or first.isoformat(),
            "to": params.get("to") or last.isoformat(),
            "as_of": params.get("as_of", ""),
        }
    )
    form.is_valid()  # text fields: always valid; the API's validator judges the dates
    given = {name: value for name, value in form.cleaned_data.items() if value}
    query = IndicatorQuery(data=given, context={"today": today})
    if not query.is_valid():
        errors = {name: [str(text) for text in texts] for name, texts in query.errors.items()}
        form.add_service_errors(ValidationError(errors))
        return form, None
    valid = query.validated_data
    return form, PeriodChoice(valid["from"], valid["to"], valid.get("as_of"))
