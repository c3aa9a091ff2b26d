"""Serializer fields every app's API shares."""

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils import html

from config.common.dates import DATE_VALIDATORS, ISO_DATE_IN_RANGE_PATTERN, parse_iso_date

# What the schema states of a date the API takes: the shape and the range it enforces.
OFFICIAL_DATE_SCHEMA = {"type": "string", "format": "date", "pattern": ISO_DATE_IN_RANGE_PATTERN}


@extend_schema_field(OFFICIAL_DATE_SCHEMA)
class OfficialDateField(serializers.DateField):
    """A date as API.md writes it, `YYYY-MM-DD` exactly, that an official document or
    deadline can plausibly carry (config.common.dates)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators += DATE_VALIDATORS

    def get_value(self, dictionary: Any) -> Any:
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            # DRF reads an empty optional form field (or query parameter) as not given: the
            # default would silently stand in for it. Empty is not a date, here as in JSON.
            return ""
        return super().get_value(dictionary)

    def to_internal_value(self, value: Any) -> dt.date:
        if isinstance(value, dt.date):  # a date given in code (a datetime is refused)
            date: dt.date = super().to_internal_value(value)
            return date
        parsed = parse_iso_date(value) if isinstance(value, str) else None
        if parsed is None:
            self.fail("invalid", format="YYYY-MM-DD")
        return parsed
