from datetime import date
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from config.common import clock
from config.common.queries import InSubquery
from config.common.search import folded_contains
from tracker.models import OPEN_STATUSES, Role, Task, TaskCoordination, TaskHistory, User
from tracker.selectors.calendar import add_working_days

DUE_SOON_WORKING_DAYS = 3


def local_today() -> date:
    """Today in Asia/Ho_Chi_Minh, by the clock every process reads (config.common.clock)."""
    return timezone.localdate(clock.now())


def due_soon_limit(today: date, working_days: int = DUE_SOON_WORKING_DAYS) -> date:
    """The last deadline that counts as due soon: within 3 working days of today (the
    morning digest looks `working_days` = 5 ahead)."""
    return add_working_days(today, working_days)


def open_filter() -> Q:
    """Open: assigned, in progress or awaiting acceptance (the work still to be done)."""
    return Q(status__in=OPEN_STATUSES)


def overdue_filter(today: date) -> Q:
    """Overdue (a display overlay, DOMAIN.md): open and past the deadline in force."""
    return Q(status__in=OPEN_STATUSES, effective_deadline__lt=today)


def due_soon_filter(today: date, working_days: int = DUE_SOON_WORKING_DAYS) -> Q:
    """Due soon: open, with the deadline in force from today to 3 working days ahead (or
    `working_days` ahead: the morning digest's 5)."""
    return Q(
        status__in=OPEN_STATUSES,
        effective_deadline__gte=today,
        effective_deadline__lte=due_soon_limit(today, working_days),
    )


def no_deadline_filter() -> Q:
    """No deadline (nhiệm vụ không thời hạn / thường xuyên)."""
    return Q(effective_deadline__isnull=True)


OVERDUE, DUE_SOON, NO_DEADLINE = "overdue", "due_soon", "no_deadline"


def task_overlay(task: Task, today: date, due_soon_until: date) -> str | None:
    """The display overlay of one loaded task, by the same rules as the filters above:
    OVERDUE, DUE_SOON, NO_DEADLINE or None. `due_soon_until` is `due_soon_limit(today)`,
    computed once for a page of tasks."""
    deadline = task.effective_deadline
    if deadline is None:
        return NO_DEADLINE
    if task.status not in OPEN_STATUSES:
        return None
    if deadline < today:
        return OVERDUE
    return DUE_SOON if deadline <= due_soon_until else None


def department_task_filter(department_id: int) -> Q:
    """Tasks where the department leads or coordinates: both served by an index (the lead's,
    and the primary key probed with the coordinated ids), never a scan of the table."""
    coordinated = TaskCoordination.objects.filter(department_id=department_id).values("task_id")
    return Q(lead_department_id=department_id) | Q(InSubquery("pk", coordinated))


def _directive_model() -> Any:
    # The tasks' foreign key's model: this app does not import the directives app above it.
    return Task._meta.get_field("directive").related_model


def task_search_filter(text: str) -> Q:
    """Tasks whose title or content, or whose directive's number, title or summary, contains
    `text`, ignoring case and diacritics (config/common/search.py)."""
    directives = _directive_model()._default_manager.filter(folded_contains("search_text", text))
    return (
        folded_contains("search_title", text)
        | folded_contains("search_content", text)
        | Q(InSubquery("directive_id", directives.values("pk")))
    )


# The alias a searched list carries its rank under (TaskFilter sets it; the task list page
# orders by it before its own order).
SEARCH_RANK = "search_rank"


def task_search_rank(text: str) -> Case:
    """A found task's rank (lower first): found in its title, in its content, else in its
    directive."""
    return Case(
        When(folded_contains("search_title", text), then=Value(0)),
        When(folded_contains("search_content", text), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def reads_every_task(user: User) -> bool:
    """The office, the leaders and the scoring users (who verify the counts behind the
    scores) read every task, and so every directive."""
    return user.is_office or user.role in (Role.LEADER, Role.SCORING)


def task_visible_to(user: User) -> QuerySet[Task]:
    """Those who read every task see them all; a department sees the tasks it leads or
    coordinates; anyone else sees none."""
    tasks = Task.objects.select_related("lead_department", "directive").prefetch_related(
        "coordinating_departments"
    )
    if reads_every_task(user):
        return tasks
    if user.is_department_member and user.department_id is not None:
        return tasks.filter(department_task_filter(user.department_id))
    return tasks.none()


def directives_in_scope(user: User) -> QuerySet[Any]:
    """The directives a user may see: every one for those who read every task, else those
    holding a task the user may see. (The directive model is the tasks' foreign key's: this
    app does not import the directives app, which sits above it.)"""
    directives = _directive_model()._default_manager.all()
    if reads_every_task(user):
        return directives
    return directives.filter(pk__in=task_visible_to(user).values("directive_id"))


def directive_choices(user: User, limit: int, pk: int | None = None) -> list[tuple[int, str, str]]:
    """(id, number, title) of the user's most recent directives (or of the one `pk`, if in
    the user's scope): a task list's filter choices."""
    directives = directives_in_scope(user).order_by("-issued_on", "-pk")
    if pk is not None:
        directives = directives.filter(pk=pk)
    return list(directives.values_list("pk", "number", "title")[:limit])


def task_history_list(*, task: Task) -> QuerySet[TaskHistory]:
    return task.history.select_related("actor__department").order_by("at", "id")
