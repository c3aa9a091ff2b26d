"""The time the reminder sweep and delivery read. In production it is the real clock; a
test moves time for every process at once (web, worker, beat) by writing an ISO 8601
timestamp into the file named by the CLOCK_FILE setting, instead of sleeping for days."""

from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

MESSAGES_FROM = time(8, 0)  # reminders go out from 08:00 local time on their day


def now() -> datetime:
    path = getattr(settings, "CLOCK_FILE", "")
    if path and Path(path).exists():
        text = Path(path).read_text().strip()
        if text:
            return datetime.fromisoformat(text)
    return timezone.now()


def reminder_day(moment: datetime) -> date:
    """The last local day whose 08:00 has come: steps of that day and before are due."""
    since = timedelta(hours=MESSAGES_FROM.hour, minutes=MESSAGES_FROM.minute)
    return timezone.localtime(moment - since).date()
