"""Who may take which action on a task, in which states: the table every entry point
reads (`authorize` before acting, `allowed_actions` to offer the actions on a page)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.errors import TransitionNotAllowed
from config.common.text import StrOrPromise
from tracker.models import (
    DEPARTMENT_ROLES,
    OPEN_STATUSES,
    CompletionReport,
    ExtensionRequest,
    Role,
    Task,
    TaskStatus,
    User,
)

S = TaskStatus
# The longest texts a report (note, result) or a decision (reason, note) may carry: every
# entry point's input validation uses these.
NOTE_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000
OPEN = frozenset(OPEN_STATUSES)  # the model's open states, as a set the table below joins

# The states a task may move between; pause and cancel apply to every open state, and a
# paused task resumes to in_progress or is cancelled. Completed and cancelled are final.
TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.AWAITING_ACCEPTANCE, S.PAUSED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.AWAITING_ACCEPTANCE, S.PAUSED, S.CANCELLED}),
    S.AWAITING_ACCEPTANCE: frozenset({S.COMPLETED, S.IN_PROGRESS, S.PAUSED, S.CANCELLED}),
    S.PAUSED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}


def _acts_for(user: User | None) -> int | None:
    """The department a user acts for: department staff, and office staff when the office
    (Văn phòng UBND tỉnh) itself leads or coordinates a task."""
    if user is None or user.role not in (*DEPARTMENT_ROLES, Role.OFFICE):
        return None
    return user.department_id


def is_lead(user: User | None, task: Task) -> bool:
    department = _acts_for(user)
    return department is not None and department == task.lead_department_id


def _is_coordinating(user: User | None, task: Task) -> bool:
    department = _acts_for(user)
    return department is not None and task.coordinations.filter(department_id=department).exists()


def _is_office(user: User | None, task: Task) -> bool:
    return user is not None and user.is_office


def _is_office_or_supervisor(user: User | None, task: Task) -> bool:
    return _is_office(user, task) or (
        user is not None and user.pk is not None and task.supervising_leader_id == user.pk
    )


Decided = CompletionReport | ExtensionRequest


@dataclass(frozen=True)
class Action:
    """An action on a task: who may take it and in which states; for a decision, what it
    decides (the task's pending report or request), which its own author may not."""

    name: str
    allowed: Callable[[User | None, Task], bool]
    states: frozenset[TaskStatus]
    who: StrOrPromise  # lazily translated
    decides: type[Decided] | None = None
    own: StrOrPromise = ""  # why its author may not decide it, lazily translated


OWN_REPORT = gettext_lazy(
    "You reported this completion yourself: another member of the office must decide on it."
)
OWN_REQUEST = gettext_lazy(
    "You asked for this extension yourself: another member of the office or the task's "
    "supervising leader must decide on it."
)


ACTIONS = {
    action.name: action
    for action in (
        Action(
            "progress",
            lambda u, t: is_lead(u, t) or _is_coordinating(u, t),
            OPEN,
            gettext_lazy("the lead or a coordinating department"),
        ),
        Action(
            "report_completion",
            is_lead,
            frozenset({S.ASSIGNED, S.IN_PROGRESS}),
            gettext_lazy("the lead department"),
        ),
        Action(
            "accept_completion",
            _is_office,
            frozenset({S.AWAITING_ACCEPTANCE}),
            gettext_lazy("the office"),
            CompletionReport,
            OWN_REPORT,
        ),
        Action(
            "return",
            _is_office,
            frozenset({S.AWAITING_ACCEPTANCE}),
            gettext_lazy("the office"),
            CompletionReport,
            OWN_REPORT,
        ),
        Action("pause", _is_office, OPEN, gettext_lazy("the office")),
        Action("resume", _is_office, frozenset({S.PAUSED}), gettext_lazy("the office")),
        Action("cancel", _is_office, OPEN | {S.PAUSED}, gettext_lazy("the office")),
        Action(
            "request_extension",
            is_lead,
            frozenset({S.ASSIGNED, S.IN_PROGRESS}),
            gettext_lazy("the lead department"),
        ),
        Action(
            "decide_extension",
            _is_office_or_supervisor,
            OPEN,
            gettext_lazy("the office or the task's supervising leader"),
            ExtensionRequest,
            OWN_REQUEST,
        ),
    )
}


def _author_id(decides: type[Decided], task: Task, subject: Decided | None) -> int | None:
    if isinstance(subject, decides):
        return subject.author_id
    pending = decides.objects.filter(task=task, status="pending")  # one at most
    return pending.values_list("author_id", flat=True).first()


def own_decision(
    action_name: str, actor: User | None, task: Task, subject: Decided | None = None
) -> StrOrPromise | None:
    """Why the actor may not take this decision (None: nothing stops them here): it decides
    a report or request they made themselves (separation of duties, superusers included).
    `subject` is the report or request decided, when the caller has it; else the task's
    pending one. The system (None) may."""
    if actor is None:
        return None
    return _withheld(actor, task, [action_name], subject).get(action_name)


def authorize(
    action_name: str, actor: User | None, task: Task, subject: Decided | None = None
) -> None:
    """Raises PermissionDenied when the actor may not take the action (their role, or
    `own_decision`), TransitionNotAllowed when the task's state does not allow it. The
    system (actor None) may do anything."""
    action = ACTIONS[action_name]
    if actor is not None and not action.allowed(actor, task):
        raise PermissionDenied(_("Only %(who)s may do this.") % {"who": action.who})
    if task.status not in action.states:
        raise TransitionNotAllowed(
            _("Not allowed while the task is “%(state)s”.")
            % {"state": TaskStatus(task.status).label}
        )
    own = own_decision(action_name, actor, task, subject)
    if own is not None:
        raise PermissionDenied(own)


def _open_to(actor: User, task: Task, names: Iterable[str]) -> list[str]:
    return [
        name
        for name in names
        if task.status in ACTIONS[name].states and ACTIONS[name].allowed(actor, task)
    ]


def allowed_actions(
    actor: User,
    task: Task,
    among: Iterable[str] | None = None,
    subject: Decided | None = None,
) -> frozenset[str]:
    """The actions the actor may take on the task in its current state: what a page offers,
    by the same rules as `authorize`, which every action checks again under the row lock.
    `among` narrows the question to the actions a page offers (some actions' rules read the
    database, as whether the actor's department coordinates the task); `subject` is the
    report or request a page offers to decide, when it has it."""
    names = _open_to(actor, task, ACTIONS if among is None else among)
    withheld = _withheld(actor, task, names, subject)
    return frozenset(name for name in names if name not in withheld)


def withheld_actions(
    actor: User,
    task: Task,
    among: Iterable[str] | None = None,
    subject: Decided | None = None,
) -> dict[str, StrOrPromise]:
    """The decisions the actor's role would allow now but that are their own report's or
    request's (`own_decision`), each with why: what a page explains instead of a form."""
    names = _open_to(actor, task, ACTIONS if among is None else among)
    return _withheld(actor, task, names, subject)


def _withheld(
    actor: User, task: Task, names: Iterable[str], subject: Decided | None
) -> dict[str, StrOrPromise]:
    authors: dict[type[Decided], int | None] = {}  # accept and return decide one report
    withheld: dict[str, StrOrPromise] = {}
    for name in names:
        action = ACTIONS[name]
        if action.decides is None:
            continue
        if action.decides not in authors:
            authors[action.decides] = _author_id(action.decides, task, subject)
        if authors[action.decides] == actor.pk:
            withheld[name] = action.own
    return withheld
