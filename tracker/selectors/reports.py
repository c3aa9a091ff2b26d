from django.db.models import QuerySet

from tracker.models import (
    Attachment,
    CompletionReport,
    ExtensionRequest,
    ProgressReport,
    Task,
    User,
)
from tracker.selectors.tasks import task_visible_to


def progress_report_list(*, task: Task) -> QuerySet[ProgressReport]:
    return task.progress_reports.select_related("author").prefetch_related("attachments")


def completion_report_list(*, task: Task) -> QuerySet[CompletionReport]:
    return task.completion_reports.select_related("author", "decided_by").prefetch_related(
        "attachments"
    )


def extension_request_visible_to(user: User) -> QuerySet[ExtensionRequest]:
    """Extension requests of the tasks the user may see."""
    return ExtensionRequest.objects.filter(
        task__in=task_visible_to(user).values("pk")
    ).select_related("author", "decided_by")


def attachment_visible_to(user: User) -> QuerySet[Attachment]:
    """Files of the reports on tasks the user may see."""
    visible = task_visible_to(user).values("pk")
    return Attachment.objects.filter(progress_report__task__in=visible) | Attachment.objects.filter(
        completion_report__task__in=visible
    )
