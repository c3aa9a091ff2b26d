"""Writes for directives: issuing one with its tasks, adding tasks to one, and editing it."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from config.common.services import model_update
from directives.models import Directive
from directives.selectors import directive_external_id_taken, directive_number_taken
from tracker.models import Task, User
from tracker.services.tasks import deadline_from_working_days, task_create, task_rule_errors

DIRECTIVE_FIELDS = (
    *("number", "kind", "title", "issued_on", "signer", "summary"),
    # Where it came from: the edXML package's sender and identifier, and the higher body
    # it reports back to (directives/edxml).
    *("issuing_body", "external_id", "default_deadline", "higher_body", "higher_body_name"),
    *("higher_number", "higher_deadline", "higher_organ_id"),
)


def directive_number_errors(
    *, number: str | None, issued_on: date | None, directive: Directive | None = None
) -> dict[str, list[str]]:
    """A directive is unique by number + issue year (numbers restart each year): the number
    is taken when another directive than `directive` (the one being edited) of that year
    holds it. `{"number": [message]}`, empty when free or when a field is missing (its own
    error). Every entry point asks here: the API's validator, the admin's form, the issue
    page (through `directive_check`) and the services."""
    if not number or issued_on is None:
        return {}
    pk = directive.pk if directive is not None else None
    if not directive_number_taken(number, issued_on.year, exclude_pk=pk):
        return {}
    message = _("A directive numbered %(number)s was already issued in %(year)d.")
    return {"number": [message % {"number": number, "year": issued_on.year}]}


def directive_external_id_errors(
    *, external_id: str | None, directive: Directive | None = None
) -> dict[str, list[str]]:
    """An external identifier (edXML's DocumentId) names one directive: `{"external_id":
    [message]}` when another than `directive` holds it; blank is never taken."""
    if not external_id:
        return {}
    pk = directive.pk if directive is not None else None
    if not directive_external_id_taken(external_id, exclude_pk=pk):
        return {}
    return {"external_id": [_("Another directive has this external identifier.")]}


def _external_id_taken_meanwhile(
    exc: IntegrityError, external_id: str, directive: Directive | None = None
) -> ValidationError | None:
    if "directive_external_id_unique" not in str(exc):
        return None
    errors = directive_external_id_errors(external_id=external_id, directive=directive)
    return ValidationError(errors) if errors else None


def _number_taken_meanwhile(
    exc: IntegrityError, number: str, issued_on: date, directive: Directive | None = None
) -> ValidationError | None:
    """When a concurrent request took the number between the check and the write, the
    unique constraint refuses: the same 400 as the check's. None: another error."""
    if "directive_number_unique_per_year" not in str(exc):
        return None
    errors = directive_number_errors(number=number, issued_on=issued_on, directive=directive)
    return ValidationError(errors) if errors else None


class DirectiveInvalid(ValidationError):
    """What `directive_check` found wrong: the directive's own fields (`directive_errors`)
    and each task's, by its position in the list given (`task_errors`). As a plain
    ValidationError its messages name the directive's fields, and `tasks` for the tasks."""

    def __init__(
        self,
        directive_errors: Mapping[str, list[str]],
        task_errors: Mapping[int, Mapping[str, list[str]]],
    ) -> None:
        self.directive_errors = {field: list(texts) for field, texts in directive_errors.items()}
        self.task_errors = {
            position: {field: list(texts) for field, texts in errors.items()}
            for position, errors in task_errors.items()
        }
        summary: dict[str, list[str]] = dict(self.directive_errors)
        if self.task_errors:
            summary["tasks"] = [
                _("Task %(position)d: %(message)s") % {"position": position + 1, "message": text}
                for position, errors in sorted(self.task_errors.items())
                for texts in errors.values()
                for text in texts
            ]
        super().__init__(summary)


def directive_task_errors(task: Mapping[str, Any]) -> dict[str, list[str]]:
    """The rules a task of a directive must keep across its fields (the API's
    TaskFieldsInput applies the same): a deadline as a date or as working days, not both,
    then task_rule_errors on the deadline it gives."""
    if task.get("deadline") is not None and task.get("deadline_working_days") is not None:
        return {
            "deadline_working_days": [_("Give a deadline or a number of working days, not both.")]
        }
    assigned_on = task.get("assigned_on")
    lead_department = task.get("lead_department")
    if assigned_on is None or lead_department is None:
        return {}  # nothing to compare: the missing field is the caller's parsing error
    deadline = task.get("deadline")
    if task.get("deadline_working_days") is not None:
        deadline = deadline_from_working_days(assigned_on, task["deadline_working_days"])
    return task_rule_errors(
        assigned_on=assigned_on,
        deadline=deadline,
        lead_department=lead_department,
        coordinating_departments=task.get("coordinating_departments") or (),
    )


def directive_check(*, tasks: Sequence[Mapping[str, Any]] = (), **data: Any) -> None:
    """Raises DirectiveInvalid with every error of the directive and of all its tasks at
    once (a form shows each beside its field); fields not given are not judged."""
    issued_on = data.get("issued_on")
    if isinstance(issued_on, str):  # the model takes ISO text too (fixtures, the shell)
        issued_on = parse_date(issued_on)
    errors = directive_number_errors(number=data.get("number"), issued_on=issued_on)
    errors.update(directive_external_id_errors(external_id=data.get("external_id")))
    task_errors = {
        position: found
        for position, task in enumerate(tasks)
        if (found := directive_task_errors(task))
    }
    if errors or task_errors:
        raise DirectiveInvalid(errors, task_errors)


@transaction.atomic
def directive_create(
    *, actor: User | None, tasks: Iterable[Mapping[str, Any]] = (), **data: Any
) -> Directive:
    """Creates the directive and all its tasks, or nothing at all (DirectiveInvalid, with
    every error of the directive and its tasks, before anything is written)."""
    tasks = list(tasks)
    fields = {k: v for k, v in data.items() if k in DIRECTIVE_FIELDS}
    directive_check(tasks=tasks, **fields)
    try:
        with transaction.atomic():
            directive = Directive.objects.create(created_by=actor, **fields)
    except IntegrityError as exc:
        refusal = _number_taken_meanwhile(
            exc, fields["number"], fields["issued_on"]
        ) or _external_id_taken_meanwhile(exc, fields.get("external_id", ""))
        if refusal is None:
            raise
        raise refusal from exc
    for task in tasks:
        task_create(actor=actor, directive=directive, **task)
    directive.refresh_from_db(fields=["issued_year"])
    return directive


@transaction.atomic
def directive_tasks_add(
    *, actor: User | None, directive: Directive, tasks: Iterable[Mapping[str, Any]]
) -> list[Task]:
    """Breaks an existing directive (one received without tasks, say) into tasks: every task
    judged first by the rules a directive's tasks keep when it is issued (DirectiveInvalid,
    each task's errors by its position), then all created, or nothing. Adding no task at all
    is refused: there is nothing to save."""
    tasks = list(tasks)
    if not tasks:
        raise DirectiveInvalid({"tasks": [_("Add at least one task.")]}, {})
    directive_check(tasks=tasks)  # no directive field given: only the tasks are judged
    return [task_create(actor=actor, directive=directive, **task) for task in tasks]


@transaction.atomic
def directive_update(*, directive: Directive, data: Mapping[str, Any]) -> Directive:
    number = data.get("number", directive.number)
    issued_on = data.get("issued_on", directive.issued_on)
    external_id = data.get("external_id", directive.external_id)
    errors = {
        **directive_number_errors(number=number, issued_on=issued_on, directive=directive),
        **directive_external_id_errors(external_id=external_id, directive=directive),
    }
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            directive, _changes = model_update(directive, fields=DIRECTIVE_FIELDS, data=data)
    except IntegrityError as exc:
        refusal = _number_taken_meanwhile(
            exc, number, issued_on, directive
        ) or _external_id_taken_meanwhile(exc, external_id, directive)
        if refusal is None:
            raise
        raise refusal from exc
    directive.refresh_from_db(fields=["issued_year"])
    return directive
