"""What the task lifecycle tests share (test_lifecycle_*.py): the action matrix and its
states and callers, the world of departments and callers with a task in any state, and
the helpers that call an action and read the task and its history."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import DirectiveFactory, TaskFactory
from tracker.models import (
    CompletionReport,
    Department,
    ExtensionRequest,
    ProgressReport,
    Task,
    TaskHistory,
    User,
)
from tracker.services import lifecycle

STATE_LABELS = {
    "assigned": "Assigned",
    "in_progress": "In progress",
    "awaiting_acceptance": "Awaiting acceptance",
    "completed": "Completed",
    "paused": "Paused",
    "cancelled": "Cancelled",
}


BUILD_RESULT = "Báo cáo hoàn thành lập khi dựng trạng thái"


BUILD_COMPLETED_DAYS_AGO = 2


# --- the world: departments, callers, a task in any state ----------------------------------


@dataclass
class World:
    today: dt.date
    lead: Department
    coordinating: Department
    users: dict[str, User | None]

    def client(self, caller: str, language: str = "en"):
        return client_for(self.users[caller], language)

    def task(self, state: str = "assigned", **overrides: Any) -> Task:
        """A task SYT leads and SXD coordinates, moved to `state` through the services."""
        fields = {
            "directive": DirectiveFactory(),
            "title": "Triển khai tiêm chủng mở rộng",
            "lead_department": self.lead,
            "coordinating_departments": [self.coordinating],
            "supervising_leader": self.users["supervising_leader"],
            "assigned_on": self.today - dt.timedelta(days=20),
            "deadline": self.today + dt.timedelta(days=10),
            **overrides,
        }
        task = TaskFactory(**fields)
        office, lead = self.users["office"], self.users["lead_officer"]
        if state == "in_progress":
            lifecycle.progress_report_create(task_id=task.pk, actor=lead, note="Đã bắt đầu")
        if state in ("awaiting_acceptance", "completed"):
            lifecycle.completion_report_create(
                task_id=task.pk,
                actor=lead,
                completed_on=self.today - dt.timedelta(days=BUILD_COMPLETED_DAYS_AGO),
                result=BUILD_RESULT,
            )
        if state == "completed":
            lifecycle.completion_accept(task_id=task.pk, actor=office)
        if state == "paused":
            lifecycle.task_pause(task_id=task.pk, actor=office, reason="Chờ kinh phí")
        if state == "cancelled":
            lifecycle.task_cancel(task_id=task.pk, actor=office, reason="Không còn phù hợp")
        task = Task.objects.get(pk=task.pk)
        assert task.status == state
        return task


@pytest.fixture
def world(department, people) -> World:
    """The actors of tests/tracker/conftest.py's `people`, around a task SYT leads."""
    users = {role: user for role, user in people.items() if role != "coordinating_department"}
    return World(
        today=timezone.localdate(),
        lead=department,
        coordinating=people["coordinating_department"],
        users=users,
    )


def url(task: Task, action: str) -> str:
    return f"/api/v1/tasks/{task.pk}/{action}/"


def body(action: str, today: dt.date) -> dict[str, Any]:
    return {
        "progress": {"note": "Đã họp triển khai với các xã", "percent": 40},
        "report-completion": {
            "completed_on": (today - dt.timedelta(days=1)).isoformat(),
            "result": "Đã tiêm đủ 95% trẻ em trong độ tuổi",
        },
        "accept-completion": {},
        "extension-requests": {
            "requested_deadline": (today + dt.timedelta(days=30)).isoformat(),
            "reason": "Chờ vắc xin về đợt 2",
        },
    }.get(action, {"reason": f"Lý do {action}"})


def snapshot(task: Task) -> dict[str, Any]:
    fresh = Task.objects.get(pk=task.pk)
    return {
        "status": fresh.status,
        "version": fresh.version,
        "completed_on": fresh.completed_on,
        "effective_deadline": fresh.effective_deadline,
        "original_deadline": fresh.original_deadline,
        "history": list(TaskHistory.objects.filter(task=task).values_list("id", flat=True)),
        "progress": list(ProgressReport.objects.filter(task=task).values_list("id", flat=True)),
        "completion": list(
            CompletionReport.objects.filter(task=task).order_by("id").values_list("id", "status")
        ),
        "extension": list(
            ExtensionRequest.objects.filter(task=task).order_by("id").values_list("id", "status")
        ),
    }


def new_history(task: Task, before: dict[str, Any]) -> list[tuple]:
    entries = (
        TaskHistory.objects.filter(task=task)
        .exclude(id__in=before["history"])
        .select_related("actor")
        .order_by("at", "id")
    )
    return [
        (e.actor.username if e.actor else None, e.action, e.field, e.old, e.new, e.reason)
        for e in entries
    ]
