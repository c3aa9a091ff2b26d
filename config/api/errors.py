"""One error shape for the whole API: DRF's `{field: [message, ...]}` for 400s and
`{"detail": message}` otherwise, with domain errors from services mapped to their status."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tracker.errors import PreconditionFailed, TransitionNotAllowed


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
