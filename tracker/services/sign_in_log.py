"""The sign-in audit log: one append-only row per sign-in, failed sign-in, refusal for a
lockout, sign-out and revocation of API tokens (tracker.SignInEvent)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from tracker.models import RevocationReason, SignInChannel, SignInEvent, SignInKind, User
from tracker.models.security import USER_AGENT_MAX_LENGTH, USERNAME_MAX_LENGTH


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies that each
    append the address they received from to X-Forwarded-For (nginx's
    `$proxy_add_x_forwarded_for`), that many entries from the right. Entries further left
    are whatever the client wrote, so they are never trusted."""
    remote = _valid_address(request.META.get("REMOTE_ADDR", ""))
    count: int = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if len(entries) < count:
        return remote
    candidate = entries[-count]
    return _valid_address(candidate) or remote


def _valid_address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def request_channel(request: HttpRequest | None) -> SignInChannel:
    if request is None:
        return SignInChannel.SYSTEM
    if request.path.startswith("/api/"):
        return SignInChannel.API
    if request.path.startswith(reverse("admin:index")):
        return SignInChannel.ADMIN
    return SignInChannel.WEB


def request_address(request: HttpRequest | None) -> str | None:
    """The address axes worked out for the sign-in (behind the trusted proxy), else ours."""
    if request is None:
        return None
    address = getattr(request, "axes_ip_address", None)
    return address if address is not None else client_address(request)


def sign_in_event_record(
    *,
    kind: SignInKind,
    request: HttpRequest | None,
    username: str,
    user: User | None,
    reason: RevocationReason | str = "",
) -> SignInEvent:
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    user_agent = user_agent.replace("\x00", "")  # PostgreSQL text holds no NUL
    return SignInEvent.objects.create(
        kind=kind,
        channel=request_channel(request),
        username=username[:USERNAME_MAX_LENGTH],
        user=user,
        address=request_address(request),
        user_agent=user_agent[:USER_AGENT_MAX_LENGTH],
        reason=reason,
    )
