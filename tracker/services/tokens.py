"""API tokens (django-rest-knox): issued at each sign-in with the office's lifetime, stored
as a digest, revoked by sign-out, by a password change and by deactivation."""

from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from knox.models import AuthToken

from tracker.models import (
    RevocationReason,
    SecuritySettings,
    SignInKind,
    User,
)
from tracker.models.security import SECURITY_SETTINGS_PK
from tracker.selectors.security import security_settings_get
from tracker.services.sign_in_log import sign_in_event_record


@transaction.atomic
def token_issue(*, user: User) -> tuple[AuthToken, str]:
    """A new token (and the user's expired ones deleted): the token in clear is returned
    once, to the caller; the database keeps its SHA-512 digest."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    lifetime = timedelta(days=security_settings_get().token_lifetime_days)
    instance, token = AuthToken.objects.create(user=user, expiry=lifetime)
    return instance, token


def token_revoke(*, token: AuthToken) -> None:
    """Sign-out: the token used stops working (the sign-out is logged by the caller's
    `user_logged_out`, as the web pages' is)."""
    token.delete()


@transaction.atomic
def tokens_revoke_all(
    *, user: User, reason: RevocationReason, request: HttpRequest | None = None
) -> int:
    """Every API token of the user stops working; logged when there was one."""
    count, _deleted = AuthToken.objects.filter(user=user).delete()
    if count:
        sign_in_event_record(
            kind=SignInKind.TOKENS_REVOKED,
            request=request,
            username=user.username,
            user=user,
            reason=reason,
        )
    return count


def security_settings_update(*, token_lifetime_days: int) -> SecuritySettings:
    current, _created = SecuritySettings.objects.update_or_create(
        pk=SECURITY_SETTINGS_PK, defaults={"token_lifetime_days": token_lifetime_days}
    )
    return current
