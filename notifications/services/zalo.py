"""Zalo Notification Service (ZNS): what the Zalo sender (channels.ZaloSender) needs besides
the HTTP call of a message. The phone in ZNS's form; the template parameters of a message,
read from its Zalo text file and cut to ZNS's limits; what to do with each error code (the
data file notifications/data/zns.yaml); and the Official Account's access token, refreshed
with its single-use refresh token once, however many workers find it expiring at the same
moment. Tokens are never logged nor written into an error."""

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.template import Context
from django.template.loader import get_template

from config.common import clock
from notifications.models import ZALO_TOKEN_PK, ZaloToken

ZNS_DATA = Path(__file__).resolve().parents[1] / "data" / "zns.yaml"

REFRESH, RETRY, GIVE_UP = "refresh", "retry", "give_up"

# A parameter line of a Zalo text file: `name: value`.
PARAMETER_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$")


class ZaloTokenError(Exception):
    """No access token could be had (no refresh token, Zalo refused, Zalo unreachable)."""


@cache
def zns_rules() -> dict[str, Any]:
    """The data file, read once per process."""
    with ZNS_DATA.open(encoding="utf-8") as data:
        rules: dict[str, Any] = yaml.safe_load(data)
    return rules


def zns_action(code: int) -> str:
    """What an error code of the send endpoint calls for: REFRESH, RETRY or GIVE_UP (a code
    the data file does not list is retried, within the attempts allowed)."""
    entry = zns_rules()["errors"].get(code)
    return str(entry["action"]) if entry else RETRY


def zns_meaning(code: int) -> str:
    entry = zns_rules()["errors"].get(code)
    return str(entry["meaning"]) if entry else ""


def zns_phone(phone: str) -> str:
    """A Vietnamese phone number as ZNS wants it, international without '+':
    0912 345 678 → 84912345678, +84912345678 → 84912345678; "" if there is no number."""
    digits = re.sub(r"[^\d+]", "", phone)
    if digits.startswith("+"):
        return digits[1:]
    if digits.startswith("0"):
        return "84" + digits[1:]
    return digits


def template_data(name: str, context: Mapping[str, Any]) -> dict[str, str]:
    """The template parameters of a message from its Zalo text file `name`: one
    `name: {{ value }}` a line (other lines ignored), each value rendered on its own, as
    plain text, so that no value (a task's title) can add or change a parameter; then put
    on one line, trimmed and cut to its limit."""
    rules = zns_rules()
    limits, default = rules["parameter_limits"], int(rules["default_limit"])
    source: Any = get_template(name)
    template = source.template  # the Django engine's own template: its source and engine
    parameters: dict[str, str] = {}
    for line in template.source.splitlines():
        match = PARAMETER_LINE.match(line)
        if match:
            key, fragment = match.group(1), match.group(2)
            plain = template.engine.from_string(
                "{% autoescape off %}" + fragment + "{% endautoescape %}"
            )
            value = " ".join(plain.render(Context(dict(context))).split())
            parameters[key] = value[: int(limits.get(key, default))]
    return parameters


def template_data_json(name: str, context: Mapping[str, Any]) -> str:
    """The parameters as the notification's body: what was sent, readable in the admin."""
    return json.dumps(template_data(name, context), ensure_ascii=False)


def post(request: urllib.request.Request) -> dict[str, Any]:
    """Sends a request to Zalo and reads its JSON answer. A network failure raises an
    OSError (URLError), an answer that is not a JSON object a ValueError."""
    with urllib.request.urlopen(request, timeout=settings.ZALO_TIMEOUT) as reply:
        answer = json.loads(reply.read() or b"{}")
    if not isinstance(answer, dict):
        raise ValueError("the answer is not a JSON object")
    return answer


def _fresh(token: ZaloToken | None) -> bool:
    margin = timedelta(seconds=settings.ZALO_REFRESH_MARGIN)
    return bool(
        token
        and token.access_token
        and token.expires_at
        and token.expires_at - clock.now() > margin
    )


def zalo_access_token() -> str:
    """The access token to send with: the stored one while it has more than
    ZALO_REFRESH_MARGIN seconds to live, else a refreshed one."""
    token = ZaloToken.objects.filter(pk=ZALO_TOKEN_PK).first()
    if token is not None and _fresh(token):
        return token.access_token
    return zalo_token_refresh(seen=token.access_token if token else "")


def zalo_token_refresh(*, seen: str) -> str:
    """Replaces the access token `seen` (expiring, or refused by Zalo) and returns the new
    one. The token row stays locked from its read to the new pair's write, the call to Zalo
    included: a second worker waits, then finds a token other than the one it saw and takes
    it, so the single-use refresh token is spent once. Its own short transaction, so the
    new pair is committed (and the refresh token spent) whatever the caller does next."""
    with transaction.atomic():
        ZaloToken.objects.get_or_create(pk=ZALO_TOKEN_PK)
        token = ZaloToken.objects.select_for_update().get(pk=ZALO_TOKEN_PK)
        if token.access_token and token.access_token != seen and _fresh(token):
            return token.access_token  # another worker refreshed it meanwhile
        refresh_token = token.refresh_token or settings.ZALO_REFRESH_TOKEN
        if not refresh_token:
            raise ZaloTokenError("no Zalo refresh token: enter one in the admin (Zalo tokens)")
        answer = _refreshed(refresh_token)
        now = clock.now()
        token.access_token = str(answer["access_token"])
        token.refresh_token = str(answer.get("refresh_token") or "")
        token.expires_at = now + timedelta(seconds=int(answer["expires_in"]))
        token.refreshed_at = now
        token.save()
        return token.access_token


def _refreshed(refresh_token: str) -> dict[str, Any]:
    """Zalo's answer to a refresh: access_token, refresh_token, expires_in (seconds)."""
    form = urllib.parse.urlencode(
        {
            "refresh_token": refresh_token,
            "app_id": settings.ZALO_APP_ID,
            "grant_type": "refresh_token",
        }
    ).encode()
    request = urllib.request.Request(
        settings.ZALO_OAUTH_URL,
        data=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "secret_key": settings.ZALO_SECRET_KEY,
        },
        method="POST",
    )
    try:
        answer = post(request)
        int(answer["expires_in"])
        if not answer["access_token"]:
            raise KeyError("access_token")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ZaloTokenError(f"Zalo token refresh failed: {type(exc).__name__}: {exc}") from exc
    except (KeyError, TypeError) as exc:
        # The answer of a refused refresh: its error fields only, never a token.
        refused = {
            key: answer.get(key) for key in ("error", "error_name", "error_description", "message")
        }
        raise ZaloTokenError(f"Zalo refused the token refresh: {refused}") from exc
    return answer


def zalo_refresh_token_set(*, refresh_token: str) -> ZaloToken:
    """The office enters a refresh token (a new one from Zalo for Developers, when the stored
    one was spent or revoked): the access token goes, so the next message refreshes with it."""
    with transaction.atomic():
        ZaloToken.objects.get_or_create(pk=ZALO_TOKEN_PK)
        token = ZaloToken.objects.select_for_update().get(pk=ZALO_TOKEN_PK)
        token.refresh_token, token.access_token, token.expires_at = refresh_token, "", None
        token.save()
    return token
