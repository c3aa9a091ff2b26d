"""What every web form shares: date inputs, errors tied to their fields for screen readers,
and the services' errors shown beside the fields they name."""

from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from config.common.dates import DATE_VALIDATORS, EARLIEST_DATE, LATEST_DATE
from config.common.search import SEARCH_MAX_LENGTH, validate_search_text
from config.common.text import excerpt

FieldT = TypeVar("FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's own copy of its field `name`, as the class it was declared with:
    `form.fields` knows every field as a plain Field, and choices or a queryset are set on
    the field's own class."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is not a {kind.__name__}")
    return field


class DateInput(forms.DateInput):
    """The browser's date picker; its value is ISO (YYYY-MM-DD) whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat(), **(attrs or {})}
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FastSelect(forms.Select):
    """A select whose options are joined in Python instead of one template each: a list's
    filter bar may offer hundreds of directives or departments (Django renders a template
    per option, milliseconds per hundred)."""

    def options_html(self, value: Any) -> SafeString:
        chosen = "" if value is None else str(value)
        return mark_safe(  # every piece is escaped by format_html
            "".join(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    key,
                    mark_safe(" selected") if str(key) == chosen else "",
                    label,
                )
                for key, label in self.choices
            )
        )

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs or {})
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final), self.options_html(value)
        )


class DateField(forms.DateField):
    """A date within the range every entry point accepts (the API's OfficialDateField)."""

    widget = DateInput
    default_validators = DATE_VALIDATORS

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(**kwargs)


def errors_by_label(errors: Mapping[str, Any], form: forms.BaseForm) -> dict[str, Any]:
    """A list's filter errors under the labels its page shows (the search box's, not `q`);
    a parameter the form has no field for keeps its name."""
    return {
        str(form.fields[name].label) if name in form.fields else name: messages
        for name, messages in errors.items()
    }


class SearchField(forms.CharField):
    """A list's search box: the API's `q` (config.common.search), optional."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Search"))
        super().__init__(
            required=False,
            max_length=SEARCH_MAX_LENGTH,
            validators=[validate_search_text],
            **kwargs,
        )


class AccessibleForm(forms.Form):
    """Errors and help are announced with their field: aria-invalid and aria-describedby
    point at the messages the shared field template (includes/field.html) writes."""

    def full_clean(self) -> None:
        super().full_clean()
        self._quote_briefly()
        self._describe()

    def _quote_briefly(self) -> None:
        """Django's messages quote the bad value whole ("Select a valid choice. … is not one
        of the available choices."): the value they quote is cut to its excerpt."""
        for errors in self.errors.values():
            for error in errors.as_data():
                if isinstance(error.params, dict):
                    error.params = {
                        key: excerpt(value) if isinstance(value, str) else value
                        for key, value in error.params.items()
                    }

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's ValidationError (`{field: [messages]}`) beside the fields it names;
        what names no field of this form goes on top of the form."""
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, texts in messages.items():
            target = field if field in self.fields else None
            for text in texts:
                self.add_error(target, text)
        self._describe()

    def _describe(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            described = [f"{bound.auto_id}_helptext"] if field.help_text else []
            if name in self.errors:
                described.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
