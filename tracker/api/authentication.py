import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication as DRFSessionAuthentication
from rest_framework.request import Request

from tracker.models import User


def integration_confined(request: Request, user: object) -> None:
    """An integration account (another system's) reaches only the views that say they take
    it (`integration_allowed = True`: the edXML endpoints, signing out); every other
    endpoint answers 403, whatever its own permissions would allow a signed-in user. Asked
    here, where every API request's user is found, so that no endpoint can forget it."""
    if not getattr(user, "is_integration", False):
        return
    match = request._request.resolver_match
    view_class = getattr(match.func, "cls", None) if match is not None else None
    if not getattr(view_class, "integration_allowed", False):
        raise exceptions.PermissionDenied(
            _("An integration account may only deliver edXML packages and read their status.")
        )


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's hashed tokens, sent as `Authorization: Token <token>`. Unlike knox's own check
    it costs one query (knox also reads every other token of the user to delete the expired
    ones: token_issue does that at sign-in), and refuses a key the database could not even
    look up (a NUL byte) or that is not text."""

    def authenticate_credentials(self, token: bytes) -> tuple[User, AuthToken]:
        invalid = exceptions.AuthenticationFailed(_("Invalid token."))
        if b"\x00" in token:
            raise invalid
        try:
            key = token.decode("utf-8")
            digest = hash_token(key)
        except (UnicodeError, TypeError, binascii.Error):
            raise invalid from None
        candidates = AuthToken.objects.filter(
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user")
        for auth_token in candidates:
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry <= timezone.now():
                auth_token.delete()
                raise exceptions.AuthenticationFailed(_("The token has expired; sign in again."))
            user, _token = self.validate_user(auth_token)
            return user, auth_token
        raise invalid

    def authenticate(self, request: Request) -> tuple[User, AuthToken] | None:
        found = super().authenticate(request)
        if found is not None:
            integration_confined(request, found[0])
        return found


class SessionAuthentication(DRFSessionAuthentication):
    """DRF's session authentication (the web pages' session, with its CSRF check), with the
    integration account confined as the token's is."""

    def authenticate(self, request: Request) -> tuple[object, None] | None:
        found = super().authenticate(request)
        if found is not None:
            integration_confined(request, found[0])
        return found


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema's word for it: the scheme DRF's token had, `Authorization: Token <token>`."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: object) -> dict:
        scheme: dict = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )
        return scheme


class ProjectSessionScheme(SessionScheme):
    """The schema's word for the session: DRF's cookie scheme, for the subclass above."""

    target_class = "tracker.api.authentication.SessionAuthentication"
    priority = 0
