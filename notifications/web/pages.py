"""What the notification pages share: one page of a list."""

from typing import TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

PAGE_SIZE = 20

M = TypeVar("M", bound=Model)


def page_of(request: HttpRequest, rows: QuerySet[M]) -> Page[M]:
    """The page the request asks for (`?page=`); a page out of range is the last one."""
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
