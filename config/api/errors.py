"""One error shape for the whole API: DRF's `{field: [message, ...]}` for 400s and
`{"detail": message}` otherwise, with domain errors from services mapped to their status."""

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.exceptions import server_error as drf_server_error
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.common.errors import PreconditionFailed, TransitionNotAllowed
from config.common.text import EXCERPT_LENGTH, excerpt


class PreconditionFailedError(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The task was changed by someone else; reload it and try again.")
    default_code = "precondition_failed"


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, PreconditionFailed):
        return PreconditionFailedError()
    if isinstance(exc, TransitionNotAllowed):
        return ConflictError(str(exc))
    if isinstance(exc, DataError):
        # Values the database rejects (out-of-range numbers) are the client's input.
        return exceptions.ValidationError({"non_field_errors": [_("A value is out of range.")]})
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(_as_api_exception(exc), context)
    request = context.get("request")
    if response is not None and response.status_code == 400 and request is not None:
        long_values = sorted(_long_inputs(request), key=len, reverse=True)[:MAX_QUOTED_VALUES]
        if long_values:
            response.data = _without_echoes(response.data, long_values)
    return response


# An error message quotes at most a short prefix of a bad value (config.common.text.excerpt):
# DRF's and django-filter's messages quote the value whole ("“…” is not a valid choice.",
# `Invalid pk "…"`), which for a body of megabytes sent the megabytes back. Every input value
# longer than the excerpt (body and query, at any depth) is cut wherever a message quotes it:
# the MAX_QUOTED_VALUES longest, so that a body of thousands of bad items costs no more than
# a bounded number of searches per message; a message still over MESSAGE_MAX_CHARS after
# that (it quoted one of the shorter ones, many times) is cut itself.
MAX_QUOTED_VALUES = 100
MESSAGE_MAX_CHARS = 1000


def _scalars(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        yield str(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _scalars(key)
            yield from _scalars(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _scalars(item)


def _long_inputs(request: Any) -> set[str]:
    sources: list[object] = [getattr(request, "query_params", {})]
    # A body that could not be parsed: its error quotes none of it.
    with contextlib.suppress(Exception):
        sources.append(request.data)
    values: set[str] = set()
    for source in sources:
        if isinstance(source, QueryDict):
            source = dict(source.lists())
        values.update(v for v in _scalars(source) if len(v) > EXCERPT_LENGTH)
    return values


def _without_echoes(detail: Any, long_values: list[str]) -> Any:
    if isinstance(detail, str):
        text = str(detail)
        for value in long_values:
            if len(value) <= len(text) and value in text:
                text = text.replace(value, excerpt(value))
        text = excerpt(text, MESSAGE_MAX_CHARS)
        if text == detail:
            return detail
        return ErrorDetail(text, code=getattr(detail, "code", None))
    if isinstance(detail, Mapping):
        return {key: _without_echoes(item, long_values) for key, item in detail.items()}
    if isinstance(detail, list):
        return [_without_echoes(item, long_values) for item in detail]
    return detail


# Django's error views, for errors no API view answered (no route matched `/api/v1/users/0.5/`,
# a request Django itself rejects, a crash): JSON under /api/, Django's pages elsewhere.


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _bad_request_detail(exception: Exception) -> str:
    """What Django refused before any view read the request, said so the client can fix it."""
    if isinstance(exception, RequestDataTooBig):
        return _("The request body is larger than the limit of %(max)s.") % {
            "max": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
    if isinstance(exception, TooManyFieldsSent):
        return _("The request has more than %(max)d fields.") % {
            "max": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    if isinstance(exception, TooManyFilesSent):
        return _("The request has more than %(max)d files.") % {
            "max": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    return str(_("Bad request."))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _bad_request_detail(exception)}, status=400)
    return defaults.bad_request(request, exception)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return drf_server_error(request)
    return defaults.server_error(request)
