"""The in-app inbox: a user marks their delivered messages read. Marking is a conditional
update, so `read_at` is set once and a repeated request changes nothing."""

from django.db import transaction

from config.common import clock
from config.common.users import AuthUser
from notifications.models import Notification
from notifications.selectors import inbox_list


@transaction.atomic
def inbox_mark_read(*, user: AuthUser, notification: Notification) -> Notification:
    """Marks one of the user's inbox messages read (again: no change). Raises
    Notification.DoesNotExist for a message that is not in the user's inbox."""
    notification = inbox_list(user).get(pk=notification.pk)
    if notification.read_at is None:
        inbox_list(user).filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=clock.now()
        )
        notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def inbox_mark_all_read(*, user: AuthUser) -> int:
    """Marks every unread message of the user's inbox read. Returns how many."""
    return inbox_list(user).filter(read_at__isnull=True).update(read_at=clock.now())
