from collections.abc import Mapping
from typing import Any

from django.db import transaction

from config.common.services import model_update
from tracker.models import User

USER_FIELDS = ("username", "full_name", "email", "phone", "role", "department", "language")


@transaction.atomic
def user_create(*, password: str | None = None, active: bool = True, **data: Any) -> User:
    user = User(is_active=active, **{k: v for k, v in data.items() if k in USER_FIELDS})
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, data: Mapping[str, Any]) -> User:
    data = dict(data)
    if "active" in data:
        data["is_active"] = data.pop("active")
    user, _changes = model_update(user, fields=(*USER_FIELDS, "is_active"), data=data)
    if data.get("password"):
        user.set_password(data["password"])
        user.save(update_fields=["password"])
    return user
