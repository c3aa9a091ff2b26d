"""Revoking a user's API tokens when their password changes or the account is deactivated.

A model signal is the one place every path meets: the API and the web password page save
through tracker.services.users, but the admin's password and user forms and Django's
`changepassword` command save the user directly, and would each need a call of their own."""

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from tracker.models import RevocationReason, User
from tracker.services.tokens import tokens_revoke_all

WATCHED = {"password", "is_active"}


@receiver(pre_save, sender=User)
def note_credentials_change(
    sender: type[User], instance: User, update_fields: frozenset[str] | None = None, **_: Any
) -> None:
    instance._tokens_revoked_for = None  # type: ignore[attr-defined]
    if instance.pk is None or (update_fields is not None and not WATCHED & set(update_fields)):
        return
    stored = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    if stored["is_active"] and not instance.is_active:
        instance._tokens_revoked_for = RevocationReason.DEACTIVATED  # type: ignore[attr-defined]
    elif stored["password"] != instance.password:
        instance._tokens_revoked_for = RevocationReason.PASSWORD_CHANGED  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def revoke_tokens_on_credentials_change(sender: type[User], instance: User, **_: Any) -> None:
    reason = getattr(instance, "_tokens_revoked_for", None)
    if reason is not None:
        instance._tokens_revoked_for = None  # type: ignore[attr-defined]
        tokens_revoke_all(user=instance, reason=reason)
