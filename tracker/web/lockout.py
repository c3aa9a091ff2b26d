"""The sign-in forms' word for a lockout (the web page's and the admin's): the page then
answers 429 with Retry-After (tracker.services.lockout.lockout_response)."""

from typing import Any

from django import forms
from django.http import HttpRequest

from tracker.services.lockout import is_locked_out, lockout_message, lockout_seconds_left

LOCKED_OUT = "locked_out"


class LockoutMessageMixin:
    """For a Django AuthenticationForm: when axes refused the sign-in, say how long to wait
    instead of "wrong password" (the right password is refused too while locked)."""

    request: HttpRequest | None

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc]  # AuthenticationForm's
        except forms.ValidationError:
            if self.request is not None and is_locked_out(self.request):
                credentials = {"username": self.cleaned_data.get("username")}  # type: ignore[attr-defined]
                seconds = lockout_seconds_left(self.request, credentials)
                raise forms.ValidationError(lockout_message(seconds), code=LOCKED_OUT) from None
            raise
