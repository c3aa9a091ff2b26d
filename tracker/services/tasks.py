"""Creating tasks and editing their assignment (lead, coordinating departments, deadline)."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config.common.errors import PreconditionFailed
from config.common.services import model_update
from tracker.models import Department, Priority, Task, TaskCoordination, TaskHistoryAction, User
from tracker.selectors.calendar import add_working_days
from tracker.services.events import task_assigned_record
from tracker.services.history import history_record
from tracker.services.reminders import reminder_reschedule

EDITABLE_FIELDS = (
    "title",
    "content",
    "assigned_on",
    "priority",
    "follow_up_officer",
    "supervising_leader",
)


def task_rule_errors(
    *,
    assigned_on: date,
    deadline: date | None,
    lead_department: Department,
    coordinating_departments: Iterable[Department],
    completed_on: date | None = None,
) -> dict[str, list[str]]:
    """The assignment rules that span fields, as `{field: [message]}` (empty when all hold).
    Shared by the API validators and the services, so every entry point applies the same."""
    errors: dict[str, list[str]] = {}
    coordinating = list(coordinating_departments)
    if lead_department in coordinating:
        errors["coordinating_departments"] = [
            _("The lead department %(code)s cannot also be a coordinating department.")
            % {"code": lead_department.code}
        ]
    elif len({d.pk for d in coordinating}) != len(coordinating):
        errors["coordinating_departments"] = [_("A coordinating department is listed twice.")]
    if deadline is not None and deadline < assigned_on:
        errors["deadline"] = [
            _("The deadline %(deadline)s is before the assigned date %(assigned)s.")
            % {"deadline": deadline.isoformat(), "assigned": assigned_on.isoformat()}
        ]
    if completed_on is not None:  # a completed task's assigned date, edited
        found = completion_date_errors(completed_on=completed_on, assigned_on=assigned_on)
        if found:
            errors["assigned_on"] = found
    return errors


def completion_date_errors(
    *, completed_on: date, assigned_on: date | None, today: date | None = None
) -> list[str]:
    """Why a task cannot have been completed on `completed_on`: a day still to come (after
    `today`; None: not judged, the completion is already recorded) or before the task was
    assigned (`assigned_on` None: not known). Empty when the date holds. The completion
    report, the import and the edit of a completed task (`task_rule_errors`) judge by this;
    each puts the messages on its own field."""
    if today is not None and completed_on > today:
        return [_("The completion date is in the future.")]
    if assigned_on is not None and completed_on < assigned_on:
        return [
            _("The assigned date %(assigned)s is after the completion date %(completed)s.")
            % {"assigned": assigned_on.isoformat(), "completed": completed_on.isoformat()}
        ]
    return []


def deadline_from_working_days(assigned_on: date, working_days: int) -> date:
    return add_working_days(assigned_on, working_days)


@transaction.atomic
def task_create(
    *,
    actor: User | None,
    directive: Any,
    title: str,
    lead_department: Department,
    assigned_on: date,
    content: str = "",
    coordinating_departments: Iterable[Department] = (),
    deadline: date | None = None,
    deadline_working_days: int | None = None,
    priority: str = Priority.NORMAL,
    follow_up_officer: User | None = None,
    supervising_leader: User | None = None,
) -> Task:
    if deadline_working_days is not None:
        deadline = deadline_from_working_days(assigned_on, deadline_working_days)
    coordinating = list(coordinating_departments)
    errors = task_rule_errors(
        assigned_on=assigned_on,
        deadline=deadline,
        lead_department=lead_department,
        coordinating_departments=coordinating,
    )
    if errors:
        raise ValidationError(errors)
    task = Task.objects.create(
        directive=directive,
        title=title,
        content=content,
        lead_department=lead_department,
        assigned_on=assigned_on,
        original_deadline=deadline,
        effective_deadline=deadline,
        priority=priority,
        follow_up_officer=follow_up_officer,
        supervising_leader=supervising_leader,
    )
    TaskCoordination.objects.bulk_create(
        TaskCoordination(task=task, department=d) for d in coordinating
    )
    history_record(task=task, actor=actor, action=TaskHistoryAction.CREATED)
    reminder_reschedule(task)
    task_assigned_record(task)
    return task


def _locked_task(task_id: int, expected_version: int | None) -> Task:
    task = Task.objects.select_for_update().get(pk=task_id)
    if expected_version is not None and task.version != expected_version:
        raise PreconditionFailed
    return task


def _history_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Department):
        return value.code
    if isinstance(value, User):
        return value.username
    return value


@transaction.atomic
def task_update(
    *,
    task_id: int,
    actor: User | None,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Task:
    """Edits a task's assignment. `expected_version` (from If-Match) makes the write
    conditional: the row is locked, so of two concurrent edits of one version the second
    raises PreconditionFailed instead of overwriting the first."""
    task = _locked_task(task_id, expected_version)
    data = dict(data)
    assigned_on = data.get("assigned_on", task.assigned_on)
    if data.get("deadline_working_days") is not None:
        data["deadline"] = deadline_from_working_days(assigned_on, data["deadline_working_days"])
    lead = data.get("lead_department", task.lead_department)
    old_coordinating = list(task.coordinating_departments.order_by("code"))
    coordinating = list(data.get("coordinating_departments", old_coordinating))
    deadline = data.get("deadline", task.effective_deadline)
    errors = task_rule_errors(
        assigned_on=assigned_on,
        deadline=deadline,
        lead_department=lead,
        coordinating_departments=coordinating,
        completed_on=task.completed_on,
    )
    if errors:
        raise ValidationError(errors)

    if "deadline" in data:
        # The office's correction of the deadline replaces both the original and the
        # effective one (an extension goes through an extension request instead).
        data["original_deadline"] = data["effective_deadline"] = data["deadline"]
    old_deadline = task.effective_deadline
    task, changes = model_update(
        task,
        fields=(*EDITABLE_FIELDS, "lead_department", "original_deadline", "effective_deadline"),
        data=data,
    )
    changed = bool(changes)
    for name, (old, new) in changes.items():
        if name in ("original_deadline", "effective_deadline"):
            continue
        action = (
            TaskHistoryAction.LEAD_CHANGED
            if name == "lead_department"
            else TaskHistoryAction.UPDATED
        )
        history_record(
            task=task,
            actor=actor,
            action=action,
            field=name,
            old=_history_value(old),
            new=_history_value(new),
        )
    if old_deadline != task.effective_deadline:
        history_record(
            task=task,
            actor=actor,
            action=TaskHistoryAction.DEADLINE_CHANGED,
            field="deadline",
            old=_history_value(old_deadline),
            new=_history_value(task.effective_deadline),
        )
    if {d.pk for d in coordinating} != {d.pk for d in old_coordinating}:
        TaskCoordination.objects.filter(task=task).delete()
        TaskCoordination.objects.bulk_create(
            TaskCoordination(task=task, department=d) for d in coordinating
        )
        history_record(
            task=task,
            actor=actor,
            action=TaskHistoryAction.COORDINATING_CHANGED,
            field="coordinating_departments",
            old=sorted(d.code for d in old_coordinating),
            new=sorted(d.code for d in coordinating),
        )
        changed = True
    if changed:
        task_bump_version(task)
    if old_deadline != task.effective_deadline or "priority" in changes:
        reminder_reschedule(task)
    if "lead_department" in changes:
        task_assigned_record(task)  # the new lead's assignment
    return task


def task_bump_version(task: Task) -> None:
    task.version += 1
    task.save(update_fields=["version", "updated_at"])
