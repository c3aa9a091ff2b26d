"""A task's history in words, as officials read it (the web pages and the admin): who, when
(local time), what happened in a sentence with the state and field labels of the active
language, never a raw code like "in_progress", and why."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Field, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tracker.models import Department, Task, TaskHistory, TaskHistoryAction, TaskStatus, User

S = TaskStatus

# What a change of state means, in the words of DOMAIN.md.
# Keyed by the stored values of a history entry: state codes, or None.
TRANSITION_WORDS: dict[tuple[str | None, str | None], Callable[[], str]] = {
    (S.ASSIGNED, S.IN_PROGRESS): lambda: _("Started the task (first progress report)."),
    (S.ASSIGNED, S.AWAITING_ACCEPTANCE): lambda: _("Reported the task completed."),
    (S.IN_PROGRESS, S.AWAITING_ACCEPTANCE): lambda: _("Reported the task completed."),
    (S.AWAITING_ACCEPTANCE, S.COMPLETED): lambda: _("Accepted the completion report."),
    (S.AWAITING_ACCEPTANCE, S.IN_PROGRESS): lambda: _("Returned the completion report."),
    (S.PAUSED, S.IN_PROGRESS): lambda: _("Resumed the task."),
}
TARGET_WORDS: dict[str | None, Callable[[], str]] = {
    S.PAUSED: lambda: _("Paused the task."),
    S.CANCELLED: lambda: _("Cancelled the task."),
}


@dataclass(frozen=True)
class HistoryLine:
    at: datetime  # local time
    actor: str
    text: str
    reason: str


def _state(code: Any) -> str:
    try:
        return str(TaskStatus(code).label)
    except ValueError:
        return str(code)


def _date(value: Any) -> str:
    if not value:
        return _("none")
    try:
        return formats.date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(value)


def _departments(codes: Any, names: dict[str, str]) -> str:
    if not codes:
        return _("none")
    if isinstance(codes, str):
        codes = [codes]
    return ", ".join(names.get(code, code) for code in codes)


def _field_label(name: str) -> str:
    try:
        field = Task._meta.get_field(name)
    except Exception:  # a field that no longer exists keeps its stored name
        return name
    # A reverse relation has no label of its own: it keeps its stored name as well.
    return str(field.verbose_name) if isinstance(field, Field) else name


def _text(entry: TaskHistory, names: dict[str, str]) -> str:
    action = entry.action
    if action == TaskHistoryAction.CREATED:
        if entry.field == "status" and entry.new:
            return _("Recorded the task (imported) as “%(state)s”.") % {"state": _state(entry.new)}
        return _("Assigned the task.")
    if action == TaskHistoryAction.STATUS_CHANGED:
        words = TRANSITION_WORDS.get((entry.old, entry.new)) or TARGET_WORDS.get(entry.new)
        if words is not None:
            return words()
        return _("Changed the state from “%(old)s” to “%(new)s”.") % {
            "old": _state(entry.old),
            "new": _state(entry.new),
        }
    if action == TaskHistoryAction.DEADLINE_CHANGED:
        return _("Changed the deadline from %(old)s to %(new)s.") % {
            "old": _date(entry.old),
            "new": _date(entry.new),
        }
    if action == TaskHistoryAction.LEAD_CHANGED:
        return _("Changed the lead department from %(old)s to %(new)s.") % {
            "old": _departments(entry.old, names),
            "new": _departments(entry.new, names),
        }
    if action == TaskHistoryAction.COORDINATING_CHANGED:
        return _("Changed the coordinating departments from %(old)s to %(new)s.") % {
            "old": _departments(entry.old, names),
            "new": _departments(entry.new, names),
        }
    old, new = entry.old, entry.new
    if entry.field in ("assigned_on",):
        old, new = _date(old), _date(new)
    return _("Changed “%(field)s” from “%(old)s” to “%(new)s”.") % {
        "field": _field_label(entry.field),
        "old": _("none") if old in (None, "") else old,
        "new": _("none") if new in (None, "") else new,
    }


def actor_name(user: User | None) -> str:
    if user is None:
        return _("the system")
    name = user.full_name or user.username
    department = user.department
    return f"{name} ({department.code})" if department is not None else name


def history_in_words(entries: QuerySet[TaskHistory] | list[TaskHistory]) -> list[HistoryLine]:
    """The entries (oldest first, with their actor and the actor's department loaded) as
    lines to read. One more query resolves the department codes they mention to names."""
    entries = list(entries)
    codes: set[str] = set()
    for entry in entries:
        if entry.action in (TaskHistoryAction.LEAD_CHANGED, TaskHistoryAction.COORDINATING_CHANGED):
            for value in (entry.old, entry.new):
                codes.update([value] if isinstance(value, str) else value or [])
    names = dict(Department.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        HistoryLine(
            at=timezone.localtime(entry.at),
            actor=actor_name(entry.actor),
            text=_text(entry, names),
            reason=entry.reason,
        )
        for entry in entries
    ]


def history_entry_in_words(entry: TaskHistory) -> str:
    """One entry as a sentence (the admin's list)."""
    return history_in_words([entry])[0].text
