"""Query filters every app's API uses."""

from typing import Any

import django_filters


class TrueFalseFilter(django_filters.ChoiceFilter):
    """`true` or `false`, and nothing else (django-filter's BooleanFilter ignores junk)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        super().__init__(*args, **kwargs)
