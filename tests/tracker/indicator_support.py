"""Building tasks for the indicator tests through the project's services, at the dates the
story needs: the clock every process reads (config.common.clock, via settings.CLOCK_FILE) is
moved to each action's day, so completion reports, extension requests and their approvals
carry those dates exactly as they would in use."""

import datetime as dt
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.factories import DirectiveFactory, TaskFactory, UserFactory
from tracker.models import Department, Role, ScoringRule, Task, User
from tracker.services import lifecycle

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 11, 21)
FROM, TO = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
DAY = dt.timedelta(days=1)
URL = "/api/v1/indicators/"
SCORE_URL = "/api/v1/leadership-score/"
TASKS_URL = "/api/v1/tasks/"
COUNTS = (
    "assigned",
    "completed_on_time",
    "completed_early",
    "completed_on_deadline_day",
    "completed_late",
    "completed_no_deadline",
    "open_within_deadline",
    "open_overdue",
    "open_no_deadline",
    "paused",
    "due",
)
RATES = ("completion_rate", "on_time_rate", "assigned_on_time_rate")


class Clock:
    """Sets the local date every process reads; `today` is where it rests between actions."""

    def __init__(self, path: Path, today: dt.date = TODAY) -> None:
        self.path, self.today = path, today
        self.at(today)

    def at(self, day: dt.date) -> None:
        self.path.write_text(dt.datetime.combine(day, dt.time(9, 0), LOCAL).isoformat())

    def rest(self) -> None:
        self.at(self.today)


@dataclass
class Story:
    """What happens to one task: completion reported on `completed_on` (accepted, returned
    or left awaiting acceptance), an extension to `extended_to` approved on `approved_on`,
    then a pause or a cancellation."""

    assigned_on: dt.date
    deadline: dt.date | None
    completed_on: dt.date | None = None
    decision: str = "accept"  # accept, return, await
    extended_to: dt.date | None = None
    approved_on: dt.date | None = None
    then: str = ""  # pause, cancel
    coordinating: tuple[Department, ...] = ()


class Builder:
    def __init__(self, clock: Clock, office: User) -> None:
        self.clock, self.office = clock, office
        self.directive = DirectiveFactory()
        self.officers: dict[int, User] = {}

    def officer(self, department: Department) -> User:
        if department.pk not in self.officers:
            self.officers[department.pk] = UserFactory(
                role=Role.DEPARTMENT_OFFICER,
                department=department,
                username=f"officer_{department.code.lower()}",
            )
        return self.officers[department.pk]

    def task(self, department: Department, story: Story) -> Task:
        task = TaskFactory(
            directive=self.directive,
            lead_department=department,
            assigned_on=story.assigned_on,
            deadline=story.deadline,
            coordinating_departments=list(story.coordinating),
        )
        lead = self.officer(department)
        if story.extended_to is not None:
            assert story.deadline is not None and story.approved_on is not None
            self.clock.at(min(story.approved_on, story.deadline))  # asked on or before it
            request = lifecycle.extension_request_create(
                task_id=task.pk, actor=lead, requested_deadline=story.extended_to, reason="Chờ"
            )
            self.clock.at(story.approved_on)
            lifecycle.extension_approve(request_id=request.pk, actor=self.office)
        self.clock.rest()
        if story.completed_on is not None:
            lifecycle.completion_report_create(
                task_id=task.pk, actor=lead, completed_on=story.completed_on, result="Xong"
            )
            if story.decision == "accept":
                lifecycle.completion_accept(task_id=task.pk, actor=self.office)
            elif story.decision == "return":
                lifecycle.completion_return(task_id=task.pk, actor=self.office, reason="Thiếu")
        if story.then == "pause":
            lifecycle.task_pause(task_id=task.pk, actor=self.office, reason="Chờ vốn")
        elif story.then == "cancel":
            lifecycle.task_cancel(task_id=task.pk, actor=self.office, reason="Không phù hợp")
        return Task.objects.get(pk=task.pk)


def example_rules(year: int) -> dict[str, ScoringRule]:
    """DOMAIN.md's two example rules for `year`, as migration 0008 installs them (a
    transactional test elsewhere may have flushed them)."""
    migration = importlib.import_module("tracker.migrations.0008_example_scoring_rules")
    for rule in migration.EXAMPLE_RULES:
        ScoringRule.objects.get_or_create(year=year, code=rule["code"], defaults=rule)
    return {rule.code: rule for rule in ScoringRule.objects.filter(year=year)}


def params(**extra: Any) -> dict[str, str]:
    values = {"from": FROM.isoformat(), "to": TO.isoformat(), "as_of": TODAY.isoformat()}
    values.update({key: str(value) for key, value in extra.items()})
    return {key: value for key, value in values.items() if value != "None"}


def row_of(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(row for row in data["departments"] if row["department"]["code"] == code)


def nonzero(row: dict[str, Any]) -> dict[str, int]:
    return {name: row[name] for name in COUNTS if row[name]}


def stable_id(value: object) -> str:
    """A parameter's test id that is the same in every process (a set's repr is not: its
    order follows the string hash, which each pytest-xdist worker seeds anew)."""
    if isinstance(value, set | frozenset):
        return repr(sorted(value))
    return repr(value)
