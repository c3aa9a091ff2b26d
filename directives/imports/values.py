"""A cell's text as a value, for directives.imports.checking: a date (YYYY-MM-DD or DD/MM/YYYY,
within the range an official document can carry) or a choice's code (by code or label)."""

from __future__ import annotations

import re
from datetime import date

from django.utils import translation

from directives.models import DirectiveKind
from tracker.models import EARLIEST_DATE, LATEST_DATE, TaskStatus

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DMY_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


_INVALID = object()


def _choices(choices: type[TaskStatus] | type[DirectiveKind]) -> dict[str, str]:
    """A code by its code or its label in either language (casefolded)."""
    by_text: dict[str, str] = {}
    for language in ("en", "vi"):
        with translation.override(language):
            for member in choices:
                by_text.setdefault(str(member.label).casefold(), member.value)
    for member in choices:
        by_text[member.value] = member.value
    return by_text


_OUT_OF_RANGE = object()


def _parse_date(text: str) -> object:
    """YYYY-MM-DD or DD/MM/YYYY (the way Vietnamese documents write dates) as a date;
    _INVALID or _OUT_OF_RANGE otherwise."""
    match = _ISO_DATE.fullmatch(text)
    if match:
        year, month, day = match.groups()
    else:
        match = _DMY_DATE.fullmatch(text)
        if not match:
            return _INVALID
        day, month, year = match.groups()
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return _INVALID
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        return _OUT_OF_RANGE
    return value
