"""What the bad-input tests share (test_validation_*.py): the huge ids, the counts and
state the database must keep, good task and directive payloads, and `assert_refused`."""

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from directives.models import Directive
from tests.conftest import client_for
from tests.factories import TaskFactory
from tracker.models import Department, Task, TaskCoordination, TaskHistory, User

HUGE = 10**30  # beyond any database integer


HUGE_ID = str(HUGE)


@pytest.fixture
def task(directive, department, other_department, sxd) -> Task:
    """SYT leads, STC coordinates, assigned 2026-03-02, deadline 2026-04-30."""
    return TaskFactory(
        directive=directive,
        title="Triển khai tiêm chủng mở rộng",
        lead_department=department,
        coordinating_departments=[other_department],
        assigned_on=dt.date(2026, 3, 2),
        deadline=dt.date(2026, 4, 30),
    )


@pytest.fixture
def office(office_user) -> APIClient:
    return client_for(office_user)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Directive, Task, TaskCoordination, TaskHistory, Department, User)
    }


def task_state(task: Task) -> dict[str, Any]:
    fresh = Task.objects.get(pk=task.pk)
    return {
        "title": fresh.title,
        "lead": fresh.lead_department_id,
        "coordinating": sorted(fresh.coordinating_departments.values_list("code", flat=True)),
        "assigned_on": fresh.assigned_on,
        "deadline": (fresh.original_deadline, fresh.effective_deadline),
        "priority": fresh.priority,
        "version": fresh.version,
        "updated_at": fresh.updated_at,
        "history": fresh.history.count(),
    }


def task_payload(directive: Directive, /, **overrides: Any) -> dict[str, Any]:
    payload = {
        "directive": directive.pk,
        "title": "Rà soát danh sách đối tượng",
        "content": "",
        "lead_department": "SYT",
        "coordinating_departments": ["STC"],
        "assigned_on": "2026-03-02",
        "deadline": "2026-04-30",
        "priority": "normal",
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not OMIT}


def directive_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "number": "130/TB-UBND",
        "kind": "thong_bao_ket_luan",
        "title": "Kết luận của Chủ tịch UBND tỉnh",
        "issued_on": "2026-03-10",
        "signer": "Nguyễn Văn An",
        "summary": "",
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not OMIT}


OMIT = object()


def assert_refused(response, fields: set[str], before: dict[str, int]) -> None:
    assert response.status_code == 400, response.content
    assert fields <= set(response.data), response.data
    for field in fields:
        messages = response.data[field]
        assert messages, response.data
    assert counts() == before
