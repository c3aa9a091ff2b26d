from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from config.common.services import model_update
from tracker.models import Role, User

USER_FIELDS = ("username", "full_name", "email", "phone", "role", "department", "language")
# What lets its holder take over any account (the admin's user pages, every permission):
# only a superuser grants or withdraws it.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


def user_change_refusal(
    *, actor: User | None, user: User, fields: Iterable[str] = ()
) -> str | None:
    """Why the actor may not change these fields of the user's account (None: they may).
    Only a superuser changes a superuser (any field: password, role, department, active,
    username, e-mail...) or grants `PRIVILEGE_FIELDS`: whoever could would become one. The
    user's stored rights count, not a form's unsaved ones. Nor does anyone but a superuser
    set another office member's password. The system (None) may."""
    if actor is None or actor.is_superuser:
        return None
    stored = User.objects.filter(pk=user.pk).values("is_superuser", "role").first()
    if stored is None:  # an account being created: nothing stored to protect yet
        stored = {"is_superuser": False, "role": ""}
    if stored["is_superuser"]:
        return _("Only a superuser may change a superuser's account.")
    if set(fields) & set(PRIVILEGE_FIELDS):
        return _("Only a superuser may grant superuser or staff status, groups or permissions.")
    # Whoever sets a colleague's password can sign in as them, and so decide on what they
    # themselves reported (separation of duties): the office's accounts are a superuser's.
    if "password" in fields and stored["role"] == Role.OFFICE and user.pk != actor.pk:
        return _("Only a superuser may set the password of another member of the office.")
    return None


def group_change_refusal(*, actor: User | None) -> str | None:
    """Why the actor may not add, change or delete a group (None: they may): a group's
    permissions are granted to its members, so it is a privilege as `PRIVILEGE_FIELDS` are."""
    if actor is None or actor.is_superuser:
        return None
    return _("Only a superuser may change groups: their members receive their permissions.")


def user_change_check(*, actor: User | None, user: User, fields: Iterable[str] = ()) -> None:
    """`user_change_refusal` as an error: PermissionDenied (a 403) with its reason."""
    refusal = user_change_refusal(actor=actor, user=user, fields=fields)
    if refusal is not None:
        raise PermissionDenied(refusal)


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
def user_update(*, actor: User | None, user: User, data: Mapping[str, Any]) -> User:
    """The actor (None: the system) changes the user's account, if `user_change_check`
    allows it."""
    user_change_check(actor=actor, user=user, fields=data)
    data = dict(data)
    if "active" in data:
        data["is_active"] = data.pop("active")
    user, _changes = model_update(user, fields=(*USER_FIELDS, "is_active"), data=data)
    if data.get("password"):
        user.set_password(data["password"])
        user.save(update_fields=["password"])
    return user
