"""The dates the product accepts, and the one strict reading of a date written as text."""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator

# The range of dates an official document or deadline can plausibly carry; year 1 or 9999 is
# a typing slip, not a deadline.
EARLIEST_DATE = dt.date(1975, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)

# Every entry point that takes a date checks it against these (the API's fields and filters,
# the web forms, the admin).
DATE_VALIDATORS: list[Callable[[Any], None]] = [
    MinValueValidator(EARLIEST_DATE),
    MaxValueValidator(LATEST_DATE),
]

# `YYYY-MM-DD` and nothing else: Python's `date.fromisoformat` (and so Django's `parse_date`
# and DRF's ISO reading) also takes `20260101`, and `strptime("%Y-%m-%d")` takes `2026-1-1`.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# The same shape and range as a pattern, for the served schema: years 1975 to 2099, months
# 01 to 12, days 01 to 31 (`format: date` rules out the days a month does not have).
ISO_DATE_IN_RANGE_PATTERN = (
    r"^(19(7[5-9]|[89][0-9])|20[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
)


def parse_iso_date(text: str) -> dt.date | None:
    """The date `text` writes as exactly `YYYY-MM-DD`, or None (another shape, or a day the
    calendar does not have). The range is the validators' to judge."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
