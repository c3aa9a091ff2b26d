from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


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


def written_or_refused(
    write: Callable[[], T], constraint: str, refusal: Callable[[], Mapping[str, list[str]]]
) -> T:
    """`write()` in a savepoint. A concurrent request may take a unique value between the
    rules' check and the write: the database's constraint `constraint` then refuses it,
    and the caller hears the check's own 400 (`refusal()`), not a 500."""
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as exc:
        if constraint not in str(exc):
            raise
        raise ValidationError(dict(refusal())) from exc
