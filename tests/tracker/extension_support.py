"""What the extension request tests share (test_extension_*.py): the API calls that ask
and decide, and a snapshot of a task's deadlines."""

import datetime as dt
from typing import Any

from tests.conftest import client_for
from tracker.models import ExtensionRequest, Task, TaskHistory

DAY = dt.timedelta(days=1)


def client(people, caller: str, language: str = "en"):
    return client_for(people[caller], language)


def ask(people, task: Task, requested: dt.date | str | None, caller: str = "lead_officer", **extra):
    sent: dict[str, Any] = {"reason": "Chờ phân bổ vốn đợt 2", **extra}
    if requested is not None:
        sent["requested_deadline"] = (
            requested if isinstance(requested, str) else requested.isoformat()
        )
    return client(people, caller).post(
        f"/api/v1/tasks/{task.pk}/extension-requests/", sent, format="json"
    )


def decide(people, extension_id: int, decision: str, caller: str, **sent: Any):
    return client(people, caller).post(
        f"/api/v1/extension-requests/{extension_id}/{decision}/", sent, format="json"
    )


def snapshot(task: Task) -> dict[str, Any]:
    fresh = Task.objects.get(pk=task.pk)
    return {
        "status": fresh.status,
        "version": fresh.version,
        "effective_deadline": fresh.effective_deadline,
        "original_deadline": fresh.original_deadline,
        "history": list(TaskHistory.objects.filter(task=task).values_list("id", flat=True)),
        "requests": list(
            ExtensionRequest.objects.filter(task=task)
            .order_by("id")
            .values_list("id", "status", "requested_deadline", "decided_by", "note")
        ),
    }
