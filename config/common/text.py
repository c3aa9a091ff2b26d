"""Text helpers shared by every app: the type of a text that may still be waiting for its
translation (gettext_lazy), for the labels handed to Django and DRF, which accept either;
and `excerpt`, the short prefix of a value that an error message may quote."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # The stubs' own name for it: Django's lazy strings are typed as strings there.
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    from django.utils.functional import Promise

    StrOrPromise = str | Promise

EXCERPT_LENGTH = 40


def excerpt(value: object, length: int = EXCERPT_LENGTH) -> str:
    """The value as text, cut to its first `length` characters and "…" when longer: an error
    message names the bad value without sending back whatever size the client sent."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= length:
        return text
    return text[:length] + "…"


__all__ = ["EXCERPT_LENGTH", "StrOrPromise", "excerpt"]
