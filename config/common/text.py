"""The type of a text that may still be waiting for its translation (gettext_lazy), for the
labels handed to Django and DRF, which accept either."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # The stubs' own name for it: Django's lazy strings are typed as strings there.
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    from django.utils.functional import Promise

    StrOrPromise = str | Promise

__all__ = ["StrOrPromise"]
