"""Writes for directives: issuing one with its tasks, and editing it."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from directives.models import Directive
from tracker.models import User
from tracker.services.common import model_update
from tracker.services.tasks import task_create

DIRECTIVE_FIELDS = ("number", "kind", "title", "issued_on", "signer", "summary")


def duplicate_number_error(number: str, year: int) -> ValidationError:
    return ValidationError(
        {
            "number": [
                _("A directive numbered %(number)s was already issued in %(year)d.")
                % {"number": number, "year": year}
            ]
        }
    )


@transaction.atomic
def directive_create(
    *, actor: User | None, tasks: Iterable[Mapping[str, Any]] = (), **data: Any
) -> Directive:
    """Creates the directive and all its tasks, or nothing at all."""
    fields = {k: v for k, v in data.items() if k in DIRECTIVE_FIELDS}
    try:
        with transaction.atomic():
            directive = Directive.objects.create(created_by=actor, **fields)
    except IntegrityError as exc:
        if "directive_number_unique_per_year" in str(exc):
            raise duplicate_number_error(fields["number"], fields["issued_on"].year) from exc
        raise
    for task in tasks:
        task_create(actor=actor, directive=directive, **task)
    directive.refresh_from_db(fields=["issued_year"])
    return directive


@transaction.atomic
def directive_update(*, directive: Directive, data: Mapping[str, Any]) -> Directive:
    try:
        with transaction.atomic():
            directive, _changes = model_update(directive, fields=DIRECTIVE_FIELDS, data=data)
    except IntegrityError as exc:
        if "directive_number_unique_per_year" in str(exc):
            raise duplicate_number_error(directive.number, directive.issued_on.year) from exc
        raise
    directive.refresh_from_db(fields=["issued_year"])
    return directive
