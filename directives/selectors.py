from datetime import date
from typing import TypedDict

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce

from config.common.search import folded_contains
from directives.models import Directive, DirectiveFile
from tracker.models import OPEN_STATUSES, Task, TaskStatus, User
from tracker.selectors.tasks import (
    directives_in_scope,
    due_soon_filter,
    overdue_filter,
    reads_every_task,
    task_visible_to,
)


class DirectiveProgress(TypedDict):
    total: int
    by_status: dict[str, int]
    completed: bool


PROGRESS_COMPLETED = "progress_completed"
VISIBLE_TASK_COUNT = "visible_task_count"
SHOWN_TASKS = "shown_tasks"  # a sliced prefetch is kept in an attribute, not the manager
UNFINISHED_STATUSES = (*OPEN_STATUSES, TaskStatus.PAUSED)


def _count_name(status: str) -> str:
    return f"task_count_{status}"


def _task_count(status: str) -> Coalesce:
    """The number of the directive's tasks in `status`: a correlated subquery, so it never
    joins the directive rows to their tasks (no duplicated rows, whatever else the
    queryset filters, joins or prefetches)."""
    counts = (
        Task.objects.filter(directive=OuterRef("pk"), status=status)
        .order_by()
        .values("directive")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def directive_progress_annotate(directives: QuerySet[Directive]) -> QuerySet[Directive]:
    """Annotates each directive with its progress: `task_count_<status>` for every task
    state, and `progress_completed`, true when the directive has at least one task that is
    not cancelled and all of those are completed (a directive whose only tasks are
    cancelled is not completed).

    The counts cover ALL the directive's tasks, whoever asks: they are the directive's own
    progress. A department that sees only its own tasks of a directive still sees the
    directive's overall counts (a number per state, not the other tasks themselves).

    Everything is a correlated subquery (counts) or EXISTS (the flag, cheap to filter on),
    never a join, so the directive rows are never duplicated and the list takes the same
    number of queries however many directives it holds."""
    tasks = Task.objects.filter(directive=OuterRef("pk"))
    completed = Exists(tasks.filter(status=TaskStatus.COMPLETED)) & ~Exists(
        tasks.filter(status__in=UNFINISHED_STATUSES)
    )
    return directives.annotate(
        **{_count_name(status): _task_count(status) for status in TaskStatus.values},
        **{PROGRESS_COMPLETED: ExpressionWrapper(completed, output_field=BooleanField())},
    )


def directive_progress(directive: Directive) -> DirectiveProgress:
    """A directive's progress, from the annotations of `directive_progress_annotate` (one
    more query when the directive was loaded without them)."""
    if not hasattr(directive, PROGRESS_COMPLETED):
        directive = directive_progress_annotate(Directive.objects.filter(pk=directive.pk)).get()
    by_status = {status: getattr(directive, _count_name(status)) for status in TaskStatus.values}
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "completed": getattr(directive, PROGRESS_COMPLETED),
    }


def directive_edxml_visible_to(user: User) -> QuerySet[Directive]:
    """The directives of the edXML endpoints: the caller's (`directive_visible_to`); for an
    integration account (the sender's system), every directive received by edXML, with
    its progress but none of its tasks."""
    if not user.is_integration:
        return directive_visible_to(user)
    return (
        directive_progress_annotate(Directive.objects.exclude(external_id=""))
        .annotate(**{VISIBLE_TASK_COUNT: Value(0)})
        .prefetch_related(
            Prefetch("tasks", queryset=Task.objects.none(), to_attr=SHOWN_TASKS), "files"
        )
    )


def directive_completed_filter(completed: bool) -> Q:
    """Directives (annotated by `directive_progress_annotate`) whose progress is or is not
    completed."""
    return Q(**{PROGRESS_COMPLETED: completed})


def directive_visible_to(user: User) -> QuerySet[Directive]:
    """The directives in the user's scope (`directives_in_scope`), each with its progress
    over all its tasks (`directive_progress_annotate`), `visible_task_count` (the tasks the
    user may see in it: a department, only its own) and, as `shown_tasks`, the first
    settings.DIRECTIVE_TASKS_SHOWN of those by id: an answer never holds every task of a
    directive of 200,000 (the rest: the paginated task list, `directive_tasks_query`)."""
    shown = task_visible_to(user).order_by("id")[: settings.DIRECTIVE_TASKS_SHOWN]
    return (
        directive_progress_annotate(directives_in_scope(user))
        .annotate(**{VISIBLE_TASK_COUNT: _visible_task_count(user)})
        .prefetch_related(Prefetch("tasks", queryset=shown, to_attr=SHOWN_TASKS), "files")
    )


def directive_file_visible_to(user: User, directive_id: int) -> QuerySet[DirectiveFile]:
    """The files of the directive `directive_id` if it is in the user's scope
    (`directives_in_scope`), else none: a file is found in the scoped directive, never
    fetched first and checked after."""
    directive = directives_in_scope(user).filter(pk=directive_id)
    return DirectiveFile.objects.filter(directive__in=directive.values("pk"))


def _visible_task_count(user: User) -> Expression:
    """The directive's tasks `user` may see, counted in SQL for a department; None for
    those who read every task, whose count is the progress' total (not a second pass over
    the directive's tasks): see `directive_visible_task_count`."""
    if reads_every_task(user):
        return Value(None, output_field=IntegerField())
    visible = (
        task_visible_to(user)
        .filter(directive=OuterRef("pk"))
        .order_by()
        .values("directive")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(visible, output_field=IntegerField()), Value(0))


def directive_visible_task_count(directive: Directive) -> int:
    """How many of the directive's tasks the caller of `directive_visible_to` may see."""
    count: int | None = getattr(directive, VISIBLE_TASK_COUNT)
    return directive_progress(directive)["total"] if count is None else count


def directive_tasks_query(directive: Directive) -> str:
    """The query string of the task list holding all the directive's tasks the caller may
    see, in the order of the directive's `tasks` (so its first page is those)."""
    return f"directive={directive.pk}&ordering=id"


def directive_number_taken(number: str, year: int, *, exclude_pk: int | None = None) -> bool:
    """Whether another directive of that issue year already has the number."""
    same = Directive.objects.filter(number=number, issued_year=year)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return same.exists()


def directive_external_id_taken(external_id: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another directive already has the external identifier (edXML's DocumentId)."""
    same = Directive.objects.filter(external_id=external_id)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return same.exists()


def directive_already_received(*, external_id: str, number: str, year: int) -> Directive | None:
    """The directive a received document already is: the one of its external identifier,
    else the one of its number in its issue year (the same document sent again under
    another identifier); None when it is new."""
    if external_id:
        found = Directive.objects.filter(external_id=external_id).first()
        if found is not None:
            return found
    return Directive.objects.filter(number=number, issued_year=year).first()


def directive_search_filter(text: str) -> Q:
    """Directives whose number, title or summary contains the text, ignoring case and
    diacritics (config/common/search.py)."""
    return folded_contains("search_text", text)


def directive_list(
    user: User,
    *,
    search: str = "",
    kind: str = "",
    year: int | None = None,
    completed: bool | None = None,
) -> QuerySet[Directive]:
    """The directives `user` may see, newest first, narrowed by the filters given, each
    with its progress (`directive_progress`); without the tasks (a page of the list does
    not show them)."""
    directives = directive_visible_to(user).prefetch_related(None)
    if search:
        directives = directives.filter(directive_search_filter(search))
    if kind:
        directives = directives.filter(kind=kind)
    if year is not None:
        directives = directives.filter(issued_year=year)
    if completed is not None:
        directives = directives.filter(directive_completed_filter(completed))
    return directives.order_by("-issued_on", "-id")


def directive_years(user: User) -> list[int]:
    """The issue years of the directives `user` may see, latest first."""
    years = directive_visible_to(user).prefetch_related(None).order_by()
    return list(years.values_list("issued_year", flat=True).distinct().order_by("-issued_year"))


def directive_task_list(*, user: User, directive: Directive, today: date) -> QuerySet[Task]:
    """The directive's tasks that `user` may see, in the order they were given, each with
    `is_overdue` and `is_due_soon` (the overlays of tracker.selectors.tasks) as of `today`."""
    return (
        task_visible_to(user)
        .filter(directive=directive)
        .annotate(
            is_overdue=ExpressionWrapper(overdue_filter(today), output_field=BooleanField()),
            is_due_soon=ExpressionWrapper(due_soon_filter(today), output_field=BooleanField()),
        )
        .order_by("id")
    )


def default_task_deadline(directive: Directive) -> date | None:
    """The deadline a new task of the directive starts with on the page that breaks it into
    tasks (the official may change it): the one the directive set for its tasks (an edXML
    package's DueDate), if any."""
    return directive.default_deadline
