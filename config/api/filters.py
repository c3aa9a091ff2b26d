"""Query filters every app's API uses, and the filter backend every list goes through."""

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.drainage import set_override
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from config.api.fields import OFFICIAL_DATE_SCHEMA
from config.common.dates import DATE_VALIDATORS, EARLIEST_DATE, LATEST_DATE, parse_iso_date
from config.common.search import (
    SEARCH_MAX_LENGTH,
    SEARCH_MIN_LENGTH,
    SEARCH_PATTERN,
    validate_search_text,
)

EMPTY_VALUE = _("This field may not be blank.")


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, except that a filter given with an empty value (`?to=`,
    `?department=`) is a 400 naming it: django-filter would ignore it, and a client that
    meant to filter would get every row instead. (The web pages' filter bars, which send
    their empty fields, use the filter sets directly, not this backend.)"""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: APIView) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            empty = {
                name: [EMPTY_VALUE]
                for name in filterset_class.base_filters
                if "" in request.query_params.getlist(name)
            }
            if empty:
                raise ValidationError(empty)
        filtered: QuerySet = super().filter_queryset(request, queryset, view)
        return filtered


class ISODateFormField(forms.DateField):
    """A date written exactly `YYYY-MM-DD` (config.common.dates.parse_iso_date), whatever
    the language's DATE_INPUT_FORMATS, within the accepted range."""

    default_error_messages = {
        "invalid": _("Date has wrong format. Use one of these formats instead: {format}.")
    }
    default_validators = DATE_VALIDATORS

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        parsed = parse_iso_date(value) if isinstance(value, str) else None
        if parsed is None:
            message = str(self.error_messages["invalid"]).format(format="YYYY-MM-DD")
            raise forms.ValidationError(message, code="invalid")
        return parsed


class OfficialDateFilter(django_filters.DateFilter):
    """A date parameter: `YYYY-MM-DD` within the accepted range, as the schema states (the
    API's OfficialDateField for query strings)."""

    field_class = ISODateFormField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_override(self, "field", OFFICIAL_DATE_SCHEMA)


class TrueFalseFilter(django_filters.ChoiceFilter):
    """`true` or `false`, and nothing else (django-filter's BooleanFilter ignores junk)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A whole year (a NumberFilter alone takes "2025.5"). By default a year the accepted
    dates can carry (config.common.dates: the first is EARLIEST_DATE's); `min_value` and
    `max_value` give another range (a scoring rule's version years). The schema states it."""

    field_class = forms.IntegerField

    def __init__(
        self,
        *args: Any,
        min_value: int = EARLIEST_DATE.year,
        max_value: int = LATEST_DATE.year,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)
        schema = {"type": "integer", "minimum": min_value, "maximum": max_value}
        set_override(self, "field", schema)


class SearchTextFilter(django_filters.CharFilter):
    """A search text (config.common.search): at most 200 characters, at least 3 letters or
    digits. The schema states both (the pattern is the same rule)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *args, max_length=SEARCH_MAX_LENGTH, validators=[validate_search_text], **kwargs
        )
        schema = {
            "type": "string",
            "minLength": SEARCH_MIN_LENGTH,
            "maxLength": SEARCH_MAX_LENGTH,
            "pattern": SEARCH_PATTERN,
        }
        set_override(self, "field", schema)
