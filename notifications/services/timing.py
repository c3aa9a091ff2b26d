from datetime import datetime, time, timedelta

from django.utils import timezone

from notifications.models import QUIET_CHANNELS

SMS_FROM = time(7, 0)
SMS_UNTIL = time(21, 0)


def allowed_moment(moment: datetime, channel: str) -> datetime:
    """The first moment from `moment` on when the channel may be used: the channels that
    reach a phone (SMS, Zalo) never between 21:00 and 07:00 local time (deferred to 07:00);
    other channels at once."""
    if channel not in QUIET_CHANNELS:
        return moment
    local = timezone.localtime(moment)
    if SMS_FROM <= local.time() < SMS_UNTIL:
        return moment
    day = local.date() if local.time() < SMS_FROM else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, SMS_FROM))
