from typing import Any

from tracker.models import Task, TaskHistory, TaskHistoryAction, User


def history_record(
    *,
    task: Task,
    actor: User | None,
    action: TaskHistoryAction,
    field: str = "",
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> TaskHistory:
    """Appends one entry; callers run it inside the transaction of the change it records."""
    return TaskHistory.objects.create(
        task=task, actor=actor, action=action, field=field, old=old, new=new, reason=reason
    )
