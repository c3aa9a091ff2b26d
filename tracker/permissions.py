"""Who may do what, by role. Visibility of single objects is the selectors' job: a
queryset scoped to the caller answers 404 for what they may not see at all; these classes
answer 403 for what they may see but not change."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from config.common.permissions import IsOffice, is_office, user_is_office
from tracker.models import DEPARTMENT_ROLES, Role

__all__ = [
    "TASK_READERS",
    "IndicatorReadersWriteOffice",
    "IsOffice",
    "ReadAllWriteOffice",
    "TaskReaders",
    "TaskReadersWriteOffice",
    "is_office",
    "user_is_office",
    "user_is_office_or_leader",
    "user_reads_periods",
    "user_reads_tasks",
]

# Who reads tasks, and the indicators counted from them: one audience (what each sees is
# the selectors' decision: tracker.selectors.tasks.task_visible_to, indicator_access).
# Scoring users (the Department of Home Affairs) read every task: they verify the counts
# behind the scores. They write nothing: every write is the office's or a department's.
TASK_READERS = (Role.OFFICE, Role.LEADER, Role.SCORING, *DEPARTMENT_ROLES)


def user_reads_tasks(user: Any) -> bool:
    """Tasks, directives and the indicators: the pages' and the API's audience of them."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in TASK_READERS))


def user_is_office_or_leader(user: Any) -> bool:
    """The review queue and the overdue board: the office, and the provincial leaders who
    decide extensions and answer for overdue work."""
    return user_is_office(user) or bool(user and user.is_authenticated and user.role == Role.LEADER)


def user_reads_periods(user: Any) -> bool:
    """Closed periods: the office closes them; leaders and the scoring department read."""
    return user_is_office(user) or bool(
        user and user.is_authenticated and user.role in (Role.LEADER, Role.SCORING)
    )


class ReadAllWriteOffice(BasePermission):
    """Any signed-in user reads; only the office writes."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return is_office(request)


class TaskReaders(BasePermission):
    """Office, leaders, scoring users and departments: the tasks and the indicators. What
    each may do to a task is the lifecycle's decision (tracker.services.lifecycle.authorize),
    after the scoped lookup; which indicator rows each sees, the selectors'
    (tracker.selectors.indicator_access)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return user_reads_tasks(request.user)


class TaskReadersWriteOffice(TaskReaders):
    """Office, leaders, scoring users and departments read (what their querysets hold); only
    the office writes. Writes to one object are judged after the lookup, so an object the
    caller may not see answers 404 and one they may see answers 403."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return is_office(request)

    def has_object_permission(self, request: Request, view: APIView, obj: object) -> bool:
        return request.method in SAFE_METHODS or is_office(request)


class IndicatorReadersWriteOffice(BasePermission):
    """The indicators' audience (`user_reads_tasks`) reads scoring rules and closed periods
    (nothing secret); only the office writes, and a write is judged before any lookup."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return user_reads_tasks(request.user)
        return is_office(request)
