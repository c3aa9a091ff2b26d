"""Where a webhook may be sent (SSRF): the one rule the admin's form, the API's validator
and each delivery call. An https URL (http only where WEBHOOK_ALLOW_HTTP: development),
with a host whose every address is public, unless the office allowed the private network
for this endpoint. A delivery connects to the very address checked here, so a name that
resolves elsewhere between the check and the connection (DNS rebinding) gains nothing."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class WebhookUrlRefused(Exception):
    """The URL may not be delivered to; the message says why, for the office."""


@dataclass(frozen=True)
class WebhookTarget:
    """A checked URL: where to connect (`address`) and what to ask for there."""

    scheme: str
    host: str
    port: int
    target: str  # the path and query of the request
    address: str


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, link-local (cloud metadata), private, shared, reserved, multicast or
    unspecified: anything but the public Internet. An IPv4-mapped IPv6 address is judged as
    the IPv4 address it maps."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        not ip.is_global
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def _addresses(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise WebhookUrlRefused(_("The host %(host)s was not found.") % {"host": host}) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def webhook_target(url: str, *, allow_private_network: bool) -> WebhookTarget:
    """The checked URL, or WebhookUrlRefused. Every address the host resolves to must be
    allowed (a name with one private address among public ones is refused)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise WebhookUrlRefused(_("Enter a valid URL.")) from exc
    schemes = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in schemes:
        raise WebhookUrlRefused(_("The URL must begin with https://."))
    if not parts.hostname:
        raise WebhookUrlRefused(_("The URL must name a host."))
    if parts.username or parts.password:
        raise WebhookUrlRefused(_("The URL may not carry a user name or password."))
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _addresses(parts.hostname, port)
    if not addresses:
        raise WebhookUrlRefused(_("The host %(host)s was not found.") % {"host": parts.hostname})
    if not allow_private_network:
        for address in addresses:
            if _refused(ipaddress.ip_address(address.split("%")[0])):
                raise WebhookUrlRefused(
                    _(
                        "%(host)s is a private, loopback or reserved address (%(address)s): "
                        "allow the private network for this endpoint if it is meant."
                    )
                    % {"host": parts.hostname, "address": address}
                )
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return WebhookTarget(parts.scheme, parts.hostname, port, target, addresses[0])


def webhook_url_errors(url: str, *, allow_private_network: bool) -> list[str]:
    """The reasons the URL is refused (none: it may be used)."""
    try:
        webhook_target(url, allow_private_network=allow_private_network)
    except WebhookUrlRefused as refusal:
        return [str(refusal)]
    return []
