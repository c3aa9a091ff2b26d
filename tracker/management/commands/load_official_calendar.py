"""Loads the official calendar of a year from its file (tracker/data/calendar/vn-2027.yaml,
written as the shipped ones are): `manage.py load_official_calendar PATH...`. All files or
none; loading a file again changes nothing; every problem of a bad file is listed."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.services.official_calendar import OfficialCalendarError, official_calendar_load


class Command(BaseCommand):
    help = (
        "Load the official days off and working days of the government's notices from "
        "calendar files (one year each); the office's own adjustments still win."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="YAML calendar files")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = official_calendar_load(options["paths"])
        except OfficialCalendarError as exc:
            problems = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(f"{exc.path}: nothing was loaded.\n{problems}") from exc
        for result in results:
            if result.changed:
                self.stdout.write(str(result))
            else:
                self.stdout.write(f"{result.path.name} ({result.year}): already loaded, unchanged")
