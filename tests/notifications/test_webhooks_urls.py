"""Where a webhook may be sent (SSRF): https only in production, no loopback, link-local,
private, reserved or IPv4-mapped private address (a host name is judged by what it resolves
to) unless the endpoint allows the private network."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from notifications.services.webhook_urls import webhook_target, webhook_url_errors

PUBLIC = "https://93.184.215.14/hooks"  # a public address: no DNS needed

REFUSED = [
    "https://127.0.0.1/hook",
    "https://127.8.9.10:8443/hook",
    "https://[::1]/hook",
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
    "https://10.1.2.3/hook",
    "https://172.16.0.9/hook",
    "https://192.168.1.20/hook",
    "https://100.64.0.1/hook",  # shared address space (carrier NAT)
    "https://0.0.0.0/hook",
    "https://[fc00::1]/hook",
    "https://[fe80::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
    "https://[::ffff:10.0.0.1]/hook",  # IPv4-mapped private
    "https://224.0.0.1/hook",  # multicast
    "https://240.0.0.1/hook",  # reserved
    "https://localhost/hook",  # a name resolving to loopback
]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def production(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_HTTP = False


@pytest.mark.parametrize("url", REFUSED)
def test_private_and_special_addresses_are_refused(url: str, production: None) -> None:
    errors = webhook_url_errors(url, allow_private_network=False)
    assert errors and "private, loopback or reserved" in errors[0], errors


@pytest.mark.parametrize("url", REFUSED)
def test_the_office_may_allow_the_private_network(url: str, production: None) -> None:
    assert webhook_url_errors(url, allow_private_network=True) == []


def test_a_public_https_address_is_allowed(production: None) -> None:
    assert webhook_url_errors(PUBLIC, allow_private_network=False) == []
    target = webhook_target(PUBLIC + "?a=1", allow_private_network=False)
    assert (target.host, target.port, target.target, target.address) == (
        "93.184.215.14",
        443,
        "/hooks?a=1",
        "93.184.215.14",
    )


def test_http_only_where_the_setting_allows_it(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_HTTP = False
    errors = webhook_url_errors("http://93.184.215.14/hooks", allow_private_network=False)
    assert errors == ["The URL must begin with https://."]
    # Not even for the private network: the scheme is a rule of its own.
    assert webhook_url_errors("http://127.0.0.1:8000/", allow_private_network=True)
    settings.WEBHOOK_ALLOW_HTTP = True
    assert webhook_url_errors("http://93.184.215.14/hooks", allow_private_network=False) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://93.184.215.14/", "The URL must begin with https://."),
        ("https:///path-only", "The URL must name a host."),
        ("https://user:pw@93.184.215.14/", "The URL may not carry a user name or password."),
        ("https://93.184.215.14:99999/", "Enter a valid URL."),
        ("https://no-such-host.invalid/", "The host no-such-host.invalid was not found."),
    ],
)
def test_malformed_urls_are_refused_with_a_reason(url: str, message: str, production: None) -> None:
    assert webhook_url_errors(url, allow_private_network=True) == [message]
