"""`manage.py import_tasks FILE [--as USERNAME]`: the task import of the API, from the shell."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from directives.imports import ImportRejected, import_tasks
from directives.imports.workbook import Deadline
from tracker.models import User


class Command(BaseCommand):
    help = (
        "Imports tasks (and their directives) from a CSV or XLSX file with the columns of the "
        "API's task import: every row or none. Prints the numbers created, or every error "
        "(row, column, message) and exits with an error status."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument(
            "--as",
            dest="username",
            help="The user recorded as the importer (history, accepted reports); "
            "default: none (the system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(f"No user named {options['username']}.")
        path = Path(options["file"])
        try:
            file = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        try:
            with file:
                result = import_tasks(
                    file=file, filename=path.name, actor=actor, deadline=Deadline.unlimited()
                )
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{path.name}: nothing was imported ({len(exc.errors)} errors)."
            ) from exc
        self.stdout.write(f"created {result.created} tasks, {result.directives_created} directives")
