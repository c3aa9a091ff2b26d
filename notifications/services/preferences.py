"""A user's language and the channels they want for each kind of message. Escalations are
sent on every channel of their step whatever the preference says (recording ignores
opt-outs for them); the preference is kept all the same."""

from collections.abc import Mapping, Sequence

from django.db import transaction

from notifications.models import NotificationKind, NotificationPreference
from tracker.models import Channel, User
from tracker.services.users import user_update


@transaction.atomic
def preferences_update(*, user: User, language: str, channels: Mapping[str, Sequence[str]]) -> None:
    """Replaces the user's preferences: a kind given gets exactly its channels (none: opted
    out), a kind left out goes back to the default (every channel)."""
    user_update(user=user, data={"language": language})
    for kind in NotificationKind.values:
        if kind not in channels:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
            continue
        wanted = [c for c in Channel.values if c in set(channels[kind])]  # choice order, once
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channels": wanted}
        )
