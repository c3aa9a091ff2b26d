"""Sign-in security reads: the office's settings and the audit log."""

from django.db.models import QuerySet

from tracker.models import SecuritySettings, SignInEvent
from tracker.models.security import SECURITY_SETTINGS_PK


def security_settings_get() -> SecuritySettings:
    """The office's row (a migration creates it), or the defaults if it was never created."""
    return SecuritySettings.objects.filter(pk=SECURITY_SETTINGS_PK).first() or SecuritySettings()


def sign_in_events_list() -> QuerySet[SignInEvent]:
    """Newest first (the API's filters narrow it: tracker/api/auth.py)."""
    return SignInEvent.objects.select_related("user").order_by("-at", "-id")
