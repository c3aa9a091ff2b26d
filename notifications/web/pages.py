"""What the notification pages share: one page of a list, and the way back after a form."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

PAGE_SIZE = 20


def page_of(request: HttpRequest, rows: Any) -> Page:
    """The page the request asks for (`?page=`); a page out of range is the last one."""
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def without_page(query: QueryDict) -> str:
    """The list's other parameters (its filters), for the page links."""
    kept = query.copy()
    kept.pop("page", None)
    return kept.urlencode()


def back_to(request: HttpRequest, default: str) -> str:
    """Where a form sent without JavaScript returns: the page it came from (`next`, a path
    of this site only), else `default`."""
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default
