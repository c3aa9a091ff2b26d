"""Receivers of tracker's signals (tracker/signals.py), connected by DirectivesConfig.ready."""

from typing import Any

from django.dispatch import receiver

from directives.edxml.reporting import directive_completion_report
from tracker.models import Task
from tracker.signals import task_closed


@receiver(task_closed, sender=Task)
def report_directive_completion(sender: type[Task], task: Task, **kwargs: Any) -> None:
    directive_completion_report(task.directive_id)
