from tracker.models.calendar import (
    EARLIEST_DATE,
    LATEST_DATE,
    CalendarAdjustment,
    CalendarAdjustmentKind,
    OfficialCalendarDay,
    OfficialNotice,
)
from tracker.models.departments import Department, DepartmentKind
from tracker.models.history import TaskHistory, TaskHistoryAction
from tracker.models.periods import (
    BUCKET_COUNTS,
    INDICATOR_COUNTS,
    Period,
    PublishedIndicator,
    PublishedScore,
)
from tracker.models.reminders import (
    Audience,
    ReminderPolicy,
    ReminderStep,
    StepKind,
)
from tracker.models.report_settings import (
    MAX_RATE_DECIMALS,
    REPORT_SETTINGS_PK,
    RateRounding,
    ReportSettings,
)
from tracker.models.reports import (
    Attachment,
    CompletionReport,
    CompletionReportStatus,
    ExtensionRequest,
    ExtensionRequestStatus,
    ProgressReport,
)
from tracker.models.scoring import Metric, NamedRate, ScoringRule, WhenNoTasks
from tracker.models.security import (
    ApiToken,
    RevocationReason,
    SecuritySettings,
    SignInChannel,
    SignInEvent,
    SignInKind,
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
    "BUCKET_COUNTS",
    "DEPARTMENT_ROLES",
    "EARLIEST_DATE",
    "INDICATOR_COUNTS",
    "LATEST_DATE",
    "MAX_RATE_DECIMALS",
    "OPEN_STATUSES",
    "REPORT_SETTINGS_PK",
    "ApiToken",
    "Attachment",
    "Audience",
    "CalendarAdjustment",
    "CalendarAdjustmentKind",
    "CompletionReport",
    "CompletionReportStatus",
    "Department",
    "DepartmentKind",
    "ExtensionRequest",
    "ExtensionRequestStatus",
    "Metric",
    "NamedRate",
    "OfficialCalendarDay",
    "OfficialNotice",
    "Period",
    "Priority",
    "ProgressReport",
    "PublishedIndicator",
    "PublishedScore",
    "RateRounding",
    "ReminderPolicy",
    "ReminderStep",
    "ReportSettings",
    "RevocationReason",
    "Role",
    "ScoringRule",
    "SecuritySettings",
    "SignInChannel",
    "SignInEvent",
    "SignInKind",
    "StepKind",
    "Task",
    "TaskCoordination",
    "TaskHistory",
    "TaskHistoryAction",
    "TaskStatus",
    "User",
    "WhenNoTasks",
]
