from collections.abc import Mapping
from typing import Any

from django.db import transaction

from config.common.services import model_update
from tracker.models import Department

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


@transaction.atomic
def department_create(**data: Any) -> Department:
    return Department.objects.create(**{k: v for k, v in data.items() if k in DEPARTMENT_FIELDS})


@transaction.atomic
def department_update(*, department: Department, data: Mapping[str, Any]) -> Department:
    department, _changes = model_update(department, fields=DEPARTMENT_FIELDS, data=data)
    return department
