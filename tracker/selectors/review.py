"""What awaits a decision, oldest first: the completion reports the office accepts or
returns, and the extension requests the office or the task's supervising leader decides.
Each list is read in a fixed number of queries, however many items it holds."""

from datetime import date
from enum import StrEnum

from django.db.models import Prefetch, QuerySet

from tracker.models import (
    Attachment,
    CompletionReport,
    CompletionReportStatus,
    ExtensionRequest,
    ExtensionRequestStatus,
    User,
)
from tracker.selectors.reports import extension_request_visible_to
from tracker.selectors.tasks import task_visible_to

_TASK_RELATIONS = ("task__directive", "task__lead_department")


def pending_completion_reports(user: User) -> QuerySet[CompletionReport]:
    """The pending completion reports of the tasks the user sees, with their task, author
    and files (two queries). Only the office decides them (the lifecycle's
    `accept_completion` and `return`), so anyone else gets none."""
    if not user.is_office:
        return CompletionReport.objects.none()
    visible = task_visible_to(user).values("pk")
    return (
        CompletionReport.objects.filter(status=CompletionReportStatus.PENDING, task__in=visible)
        .select_related(*_TASK_RELATIONS, "author", "department")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def pending_extension_requests(user: User) -> QuerySet[ExtensionRequest]:
    """The pending extension requests the user may decide, with their task (one query):
    the office's are all of them; a leader's are those of the tasks they supervise (the
    lifecycle's `decide_extension`: the office or the task's supervising leader)."""
    requests = extension_request_visible_to(user).filter(status=ExtensionRequestStatus.PENDING)
    if not user.is_office:
        requests = requests.filter(task__supervising_leader_id=user.pk)
    return requests.select_related(*_TASK_RELATIONS, "department").order_by("created_at", "id")


class Timeliness(StrEnum):
    """A completion date against the deadline, as the indicators judge it (DOMAIN.md)."""

    EARLY = "early"
    ON_DEADLINE_DAY = "on_deadline_day"
    LATE = "late"
    NO_DEADLINE = "no_deadline"


def completion_timeliness(completed_on: date, deadline: date | None) -> Timeliness:
    """Early (before the deadline) and on the deadline day are both on time; after it is
    late."""
    if deadline is None:
        return Timeliness.NO_DEADLINE
    if completed_on < deadline:
        return Timeliness.EARLY
    if completed_on == deadline:
        return Timeliness.ON_DEADLINE_DAY
    return Timeliness.LATE
