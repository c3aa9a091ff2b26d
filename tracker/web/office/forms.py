"""The office's forms: they parse the input; the services decide (their errors go beside
the fields they name, with the API's field names)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.web.forms import AccessibleForm, DateField
from tracker.models import EARLIEST_DATE, LATEST_DATE, CalendarAdjustmentKind
from tracker.services.periods import MAX_REASON_LENGTH


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=EARLIEST_DATE.year, max_value=LATEST_DATE.year
    )


class CalendarAdjustmentForm(AccessibleForm):
    date = DateField(label=_("Date"))
    kind = forms.ChoiceField(
        label=_("The day becomes"),
        choices=CalendarAdjustmentKind.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        help_text=_("For example the number and date of the official notice."),
    )


class PeriodCloseForm(AccessibleForm):
    # The API's and the service's field names: `from` is a Python keyword.
    locals()["from"] = DateField(label=_("From"))
    to = DateField(label=_("To"))
    as_of = DateField(
        label=_("As of"),
        required=False,
        help_text=_("The day the figures are judged at; today when left empty."),
    )


class PeriodReopenForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
