from django.db.models import Prefetch, Q, QuerySet

from directives.models import Directive
from tracker.models import Role, Task, User
from tracker.selectors.tasks import department_task_filter, task_visible_to


def directive_visible_to(user: User) -> QuerySet[Directive]:
    """Office and leaders see every directive; a department sees those with a task it leads
    or coordinates, and within them only those tasks."""
    directives = Directive.objects.prefetch_related(
        Prefetch("tasks", queryset=task_visible_to(user).order_by("id"))
    )
    if user.is_office or user.role == Role.LEADER:
        return directives
    if user.is_department_member and user.department_id is not None:
        visible_tasks = Task.objects.filter(department_task_filter(user.department_id))
        return directives.filter(Q(pk__in=visible_tasks.values("directive_id")))
    return directives.none()


def directive_number_taken(number: str, year: int, *, exclude_pk: int | None = None) -> bool:
    """Whether another directive of that issue year already has the number."""
    same = Directive.objects.filter(number=number, issued_year=year)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return same.exists()
