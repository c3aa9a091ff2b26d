"""Closes a reporting period from the command line (the office's month-end cron), through
the same service as the API: `manage.py close_period --from 2026-10-01 --to 2026-10-31
--user vanphong` (`--as-of` defaults to today)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.models import User
from tracker.selectors.tasks import local_today
from tracker.services.periods import period_close


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}.") from exc


class Command(BaseCommand):
    help = "Close a reporting period: publish its indicators and every scoring rule's points."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--user", required=True, help="the office user who closes it")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {options['user']!r}.")
        if not actor.is_office:
            raise CommandError(f"{actor.username!r} is not an office user.")
        date_from, date_to = iso_date(options["date_from"]), iso_date(options["date_to"])
        as_of = iso_date(options["as_of"]) if options["as_of"] else local_today()
        try:
            period = period_close(actor=actor, date_from=date_from, date_to=date_to, as_of=as_of)
        except ValidationError as exc:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
            )
            raise CommandError(problems) from exc
        self.stdout.write(
            f"Period {period.pk} closed: {period.from_date} – {period.to_date}, "
            f"as of {period.as_of}: {period.indicators.count()} departments, "
            f"{period.scores.count()} scores published."
        )
