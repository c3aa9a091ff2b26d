import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions

from tracker.models import User


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


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema's word for it: the scheme DRF's token had, `Authorization: Token <token>`."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: object) -> dict:
        scheme: dict = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )
        return scheme
