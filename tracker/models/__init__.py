from tracker.models.calendar import (
    EARLIEST_DATE,
    LATEST_DATE,
    CalendarAdjustment,
    CalendarAdjustmentKind,
)
from tracker.models.departments import Department, DepartmentKind
from tracker.models.history import TaskHistory, TaskHistoryAction
from tracker.models.reminders import (
    Audience,
    Channel,
    ReminderPolicy,
    ReminderStep,
    StepKind,
)
from tracker.models.reports import (
    Attachment,
    CompletionReport,
    CompletionReportStatus,
    ExtensionRequest,
    ExtensionRequestStatus,
    ProgressReport,
)
from tracker.models.tasks import (
    OPEN_STATUSES,
    Priority,
    Task,
    TaskCoordination,
    TaskStatus,
)
from tracker.models.users import DEPARTMENT_ROLES, Role, User

__all__ = [
    "DEPARTMENT_ROLES",
    "EARLIEST_DATE",
    "LATEST_DATE",
    "OPEN_STATUSES",
    "Attachment",
    "Audience",
    "CalendarAdjustment",
    "CalendarAdjustmentKind",
    "Channel",
    "CompletionReport",
    "CompletionReportStatus",
    "Department",
    "DepartmentKind",
    "ExtensionRequest",
    "ExtensionRequestStatus",
    "Priority",
    "ProgressReport",
    "ReminderPolicy",
    "ReminderStep",
    "Role",
    "StepKind",
    "Task",
    "TaskCoordination",
    "TaskHistory",
    "TaskHistoryAction",
    "TaskStatus",
    "User",
]
