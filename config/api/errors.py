"""One error shape for the whole API: DRF's `{field: [message, ...]}` for 400s and
`{"detail": message}` otherwise, with domain errors from services mapped to their status."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.exceptions import server_error as drf_server_error
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.common.errors import PreconditionFailed, TransitionNotAllowed


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
    return drf_exception_handler(_as_api_exception(exc), context)


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
