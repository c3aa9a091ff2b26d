"""Sign-in security reads: the office's settings and the audit log."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from tracker.models import SecuritySettings, SignInEvent
from tracker.models.security import SECURITY_SETTINGS_PK


def security_settings_get() -> SecuritySettings:
    """The office's row (a migration creates it), or the defaults if it was never created."""
    return SecuritySettings.objects.filter(pk=SECURITY_SETTINGS_PK).first() or SecuritySettings()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def sign_in_events_list(
    *,
    user_id: int | None = None,
    kind: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[SignInEvent]:
    """Newest first; `date_from` and `date_to` are local dates, both included."""
    events = SignInEvent.objects.select_related("user").order_by("-at", "-id")
    if user_id is not None:
        events = events.filter(user_id=user_id)
    if kind:
        events = events.filter(kind=kind)
    if date_from is not None:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to is not None:
        events = events.filter(at__lt=_day_start(date_to) + timedelta(days=1))
    return events
