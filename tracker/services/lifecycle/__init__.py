"""The task state machine: the one place that moves a task from one state to another and
decides who may. The API, the admin, the import and the management commands all call it.

Every function locks the task row, checks the actor's right (PermissionDenied, a 403) and
the task's state (TransitionNotAllowed, a 409), then writes the change and its history
entry in one transaction. An actor of None is the system itself (a management command).


Where each part lives: `rules` (who may act, in which states: `ACTIONS`, `authorize`,
`allowed_actions`, `TRANSITIONS`, and separation of duties: `own_decision`,
`withheld_actions`), `moves` (the locked row, the move and its history),
`department` (progress, completion and extension requests), `office` (accept, return,
pause, resume, cancel, extension decisions).
"""

from tracker.services.lifecycle.department import (
    completion_report_create,
    extension_request_check,
    extension_request_create,
    extension_request_refusal,
    progress_report_create,
)
from tracker.services.lifecycle.office import (
    completion_accept,
    completion_return,
    extension_approve,
    extension_decision_check,
    extension_reject,
    task_cancel,
    task_pause,
    task_resume,
)
from tracker.services.lifecycle.rules import (
    ACTIONS,
    NOTE_MAX_LENGTH,
    OPEN,
    REASON_MAX_LENGTH,
    TRANSITIONS,
    Action,
    Decided,
    allowed_actions,
    authorize,
    own_decision,
    withheld_actions,
)

__all__ = [
    "ACTIONS",
    "NOTE_MAX_LENGTH",
    "OPEN",
    "REASON_MAX_LENGTH",
    "TRANSITIONS",
    "Action",
    "Decided",
    "allowed_actions",
    "authorize",
    "completion_accept",
    "completion_report_create",
    "completion_return",
    "extension_approve",
    "extension_decision_check",
    "extension_reject",
    "extension_request_check",
    "extension_request_create",
    "extension_request_refusal",
    "own_decision",
    "progress_report_create",
    "task_cancel",
    "task_pause",
    "task_resume",
    "withheld_actions",
]
