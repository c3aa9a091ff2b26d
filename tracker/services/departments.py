"""Writing departments. The rules a department keeps live here, in one function each, and
every entry point applies them: the API's validator, the admin's form and these services
(the demo, the shell). The database backs the code's uniqueness (a unique index on
lower(code)); `department_code_errors` says it in words first."""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from config.common.services import model_update
from tracker.models import Department
from tracker.selectors.directory import department_ancestors, department_code_taken

DEPARTMENT_FIELDS = (
    "code",
    "name",
    "kind",
    "parent",
    "head",
    "supervising_leader",
    "email",
    "phone",
    "active",
)
CODE_CONSTRAINT = "department_code_unique_ignoring_case"


def department_code_errors(
    *, code: str, department: Department | None = None
) -> dict[str, list[str]]:
    """A code is unique ignoring case: "syt" is taken when "SYT" exists. `department` is the
    one being edited (its own code is not taken)."""
    if code and department_code_taken(code, department=department):
        return {"code": [_("A department with this code already exists.")]}
    return {}


def department_parent_errors(
    *, parent: Department | None, department: Department | None = None
) -> dict[str, list[str]]:
    """A department is never its own ancestor: its parent may not be itself nor one of the
    units below it. A new department (`department` None) has nothing below it."""
    if parent is None or department is None or department.pk is None:
        return {}
    if parent.pk == department.pk or department.pk in department_ancestors(parent):
        return {
            "parent": [_("A department cannot be placed under itself or one of its own units.")]
        }
    return {}


def department_rule_errors(
    *, data: Mapping[str, Any], department: Department | None = None
) -> dict[str, list[str]]:
    """Every rule above on the fields `data` gives, as `{field: [message]}` (empty when all
    hold)."""
    errors: dict[str, list[str]] = {}
    if "code" in data:
        errors |= department_code_errors(code=data["code"], department=department)
    if "parent" in data:
        errors |= department_parent_errors(parent=data["parent"], department=department)
    return errors


def _checked_write(
    write: Callable[[], Department], data: Mapping[str, Any], department: Department | None
) -> Department:
    """Writes when every rule holds, else raises ValidationError (a 400) naming the fields."""
    errors = department_rule_errors(data=data, department=department)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as exc:
        # The code, taken by a concurrent request between the check and the write.
        errors = department_code_errors(code=data.get("code", ""), department=department)
        if CODE_CONSTRAINT not in str(exc) or not errors:
            raise
        raise ValidationError(errors) from None


@transaction.atomic
def department_create(**data: Any) -> Department:
    fields = {k: v for k, v in data.items() if k in DEPARTMENT_FIELDS}
    return _checked_write(lambda: Department.objects.create(**fields), fields, None)


@transaction.atomic
def department_update(*, department: Department, data: Mapping[str, Any]) -> Department:
    fields = {k: v for k, v in data.items() if k in DEPARTMENT_FIELDS}

    def write() -> Department:
        updated, _changes = model_update(department, fields=DEPARTMENT_FIELDS, data=fields)
        return updated

    return _checked_write(write, fields, department)
