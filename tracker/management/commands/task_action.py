"""Runs one lifecycle action on a task from the command line, through the same state
machine as the API and the admin: `manage.py task_action 42 pause --reason "..."`."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.common.errors import TransitionNotAllowed
from tracker.models import Task, User
from tracker.services import lifecycle

# Each takes the task's id and the actor, and a reason except accept-completion.
ACTIONS: dict[str, Callable[..., Task]] = {
    "accept-completion": lifecycle.completion_accept,
    "return": lifecycle.completion_return,
    "pause": lifecycle.task_pause,
    "resume": lifecycle.task_resume,
    "cancel": lifecycle.task_cancel,
}


class Command(BaseCommand):
    help = "Accept, return, pause, resume or cancel a task, with the history it leaves."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("task_id", type=int)
        parser.add_argument("action", choices=sorted(ACTIONS))
        parser.add_argument("--reason", default="", help="required except for accept-completion")
        parser.add_argument("--as", dest="username", help="act as this user (default: system)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(f"No user {options['username']!r}.")
        name = options["action"]
        kwargs = {} if name == "accept-completion" else {"reason": options["reason"]}
        if kwargs and not kwargs["reason"].strip():
            raise CommandError("--reason is required for this action.")
        try:
            task = ACTIONS[name](task_id=options["task_id"], actor=actor, **kwargs)
        except Task.DoesNotExist as exc:
            raise CommandError(f"No task {options['task_id']}.") from exc
        except (PermissionDenied, TransitionNotAllowed, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Task {task.pk}: {task.status}")
