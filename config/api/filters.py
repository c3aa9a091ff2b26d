"""Query filters every app's API uses."""

from typing import Any

import django_filters
from django import forms
from drf_spectacular.drainage import set_override

from config.common.dates import EARLIEST_DATE, LATEST_DATE


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
