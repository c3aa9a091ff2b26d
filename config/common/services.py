from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(
    instance: M, *, fields: Iterable[str], data: Mapping[str, Any]
) -> tuple[M, dict[str, tuple[Any, Any]]]:
    """Sets the given fields that are present in `data` and saves only those that changed.
    Returns the instance and `{field: (old, new)}` of what changed."""
    changes: dict[str, tuple[Any, Any]] = {}
    for name in fields:
        if name not in data:
            continue
        old = getattr(instance, name)
        new = data[name]
        if old != new:
            changes[name] = (old, new)
            setattr(instance, name, new)
    if changes:
        update_fields = list(changes)
        if any(f.name == "updated_at" for f in instance._meta.fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    return instance, changes
