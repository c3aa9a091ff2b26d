"""A user's language and the channels they want for each kind of message. Escalations are
sent on every channel of their step whatever the preference says (recording ignores
opt-outs for them); the preference is kept all the same."""

from collections.abc import Mapping, Sequence

from django.db import transaction

from config.common.services import model_update
from config.common.users import AuthUser
from notifications.models import NotificationKind, NotificationPreference, channels_in_order


@transaction.atomic
def preferences_update(
    *, user: AuthUser, language: str, channels: Mapping[str, Sequence[str]]
) -> None:
    """Replaces the user's preferences: a kind given gets exactly its channels (none: opted
    out), a kind left out goes back to the default (what the steps send; Zalo only where a
    step lists it). The language is the
    user's own field (settings.AUTH_USER_MODEL): the pages and the messages speak it."""
    model_update(user, fields=("language",), data={"language": language})
    for kind in NotificationKind.values:
        if kind not in channels:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
            continue
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channels": channels_in_order(channels[kind])}
        )
