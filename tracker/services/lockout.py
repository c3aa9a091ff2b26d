"""Sign-in throttling and lockout, with django-axes (settings: SIGN_IN_*): per account and
per address, on the token endpoint, the web sign-in page and the admin's, which all sign in
through Django's `authenticate`. This module holds what axes leaves to the project: a limit
for each of the two, the client's address behind the proxy, how long a lock has left, the
429 answer, and the audit log of every attempt (the guard is the one place each sign-in,
failure and sign-out passes through, whatever the door)."""

import math
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import ngettext

from tracker.models import SignInKind, User
from tracker.services.sign_in_log import sign_in_event_record

RETRY_AFTER = "Retry-After"


def failures_allowed() -> dict[str, int]:
    """How many failures each lockout parameter tolerates; the next attempt is refused."""
    return {
        "username": settings.SIGN_IN_ACCOUNT_FAILURES,
        "ip_address": settings.SIGN_IN_ADDRESS_FAILURES,
    }


class SignInGuard(AxesDatabaseHandler):
    """axes' database handler with a limit of its own for the account and the address, an
    account-only reset on success, and the audit log of each attempt."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # axes compares one count with one limit (AXES_FAILURE_LIMIT, the account's allowance
        # plus one). Each parameter's count is shifted by its own allowance onto that scale,
        # so the answer reaches the limit as soon as either parameter is over its allowance.
        allowed = failures_allowed()
        excess = max(
            self._count(attempts) - allowed[str(parameter)]
            for parameter, attempts in zip(
                get_lockout_parameters(request, credentials),
                self.get_user_attempts(request, credentials),
                strict=True,
            )
        )
        return excess + settings.SIGN_IN_ACCOUNT_FAILURES

    @staticmethod
    def _count(attempts: QuerySet[AccessAttempt]) -> int:
        return sum(attempts.values_list("failures_since_start", flat=True))

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # axes would also forget every failure from the address, letting whoever holds one
        # account wipe the count of the accounts they guess at between two guesses.
        username = get_client_username(request, credentials)
        count, _deleted = AccessAttempt.objects.filter(username=username).delete()
        return count

    def user_login_failed(
        self, sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        locked = bool(getattr(request, "axes_locked_out", False))
        sign_in_event_record(
            kind=SignInKind.LOCKED_OUT if locked else SignInKind.FAILED,
            request=request,
            username=get_client_username(request, credentials) or "",
            user=None,
        )

    def user_logged_in(self, sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        sign_in_event_record(
            kind=SignInKind.SIGNED_IN, request=request, username=user.username, user=user
        )

    def user_logged_out(
        self, sender: Any, request: HttpRequest, user: User | None, **kwargs: Any
    ) -> None:
        super().user_logged_out(sender, request, user, **kwargs)
        if user is not None:
            sign_in_event_record(
                kind=SignInKind.SIGNED_OUT, request=request, username=user.username, user=user
            )


def _lock_end(attempts: QuerySet[AccessAttempt], allowed: int, cool_off: timedelta) -> datetime:
    """When attempts counted within the cool-off (newest first) stop exceeding `allowed`:
    the attempt that takes the running total over it leaves the window then."""
    total = 0
    for attempt_time, failures in attempts.order_by("-attempt_time").values_list(
        "attempt_time", "failures_since_start"
    ):
        total += failures
        if total > allowed:
            return attempt_time + cool_off
    return timezone.now()


def lockout_seconds_left(request: HttpRequest, credentials: dict | None = None) -> int:
    """Seconds until the account and the address of this attempt may sign in again (at
    least 1: only asked about an attempt that was refused)."""
    cool_off = get_cool_off(request) or timedelta(0)
    guard = SignInGuard()
    allowed = failures_allowed()
    ends = [
        _lock_end(attempts, allowed[str(parameter)], cool_off)
        for parameter, attempts in zip(
            get_lockout_parameters(request, credentials),
            guard.get_user_attempts(request, credentials),
            strict=True,
        )
    ]
    return max(1, math.ceil((max(ends) - timezone.now()).total_seconds()))


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-ins for this account or from this address. Try again in "
        "%(minutes)d minute.",
        "Too many failed sign-ins for this account or from this address. Try again in "
        "%(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def is_locked_out(request: HttpRequest) -> bool:
    """Whether axes refused (or has just locked) this request's sign-in."""
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """axes' lockout answer (AXES_LOCKOUT_CALLABLE): the page or body the view already gave
    for the refused sign-in (which says how long to wait), as a 429 with Retry-After."""
    seconds = lockout_seconds_left(request, credentials)
    response = original_response or HttpResponse(lockout_message(seconds))
    response.status_code = 429
    response[RETRY_AFTER] = str(seconds)
    return response
