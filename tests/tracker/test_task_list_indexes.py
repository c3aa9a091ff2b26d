"""Every filter of the task list, and a department's scope, can be served by an index
(issue 12): with sequential and plain index scans priced out, the plan of each filtered
count has no sequential scan of the task table. Where no index could serve a condition,
PostgreSQL would still have to scan the table, and the test would fail."""

import pytest
from django.test import RequestFactory

from tests.factories import DirectiveFactory, TaskFactory
from tests.query_plans import bitmap_plan
from tracker.api.filters import TaskFilter
from tracker.models import BUCKET_COUNTS, Department, Task, User
from tracker.selectors.tasks import task_visible_to

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-01-01", "to": "2026-12-31"}
FILTERS = [
    {"status": "assigned"},
    {"status": "completed"},
    {"lead_department": "SYT"},
    {"department": "SYT"},
    {"directive": "DIRECTIVE"},
    {"deadline_from": "2026-06-01"},
    {"deadline_to": "2026-06-01"},
    {"open": "true"},
    {"overdue": "true"},
    {"due_soon": "true"},
    {"no_deadline": "true"},
    {"q": "dat dai"},
    *({"indicator": bucket, **PERIOD} for bucket in BUCKET_COUNTS),
]


def filtered(user: User, data: dict[str, str]) -> object:
    request = RequestFactory().get("/api/v1/tasks/")
    request.user = user
    filterset = TaskFilter(data, queryset=task_visible_to(user), request=request)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


@pytest.fixture
def directive_pk(department: Department) -> str:
    directive = DirectiveFactory()
    TaskFactory(directive=directive, lead_department=department)
    return str(directive.pk)


@pytest.mark.parametrize(
    "data", FILTERS, ids=lambda data: "&".join(f"{k}={v}" for k, v in data.items())
)
@pytest.mark.parametrize("role", ["office", "officer"])
def test_each_filter_is_served_by_an_index(
    data, role, office_user, officer, department, directive_pk
):
    assert department.code == "SYT"
    data = {key: directive_pk if value == "DIRECTIVE" else value for key, value in data.items()}
    user = office_user if role == "office" else officer
    shown = bitmap_plan(filtered(user, data))
    assert "Seq Scan on tracker_task " not in shown + " ", shown


def test_a_departments_scope_alone_is_served_by_an_index(officer):
    shown = bitmap_plan(task_visible_to(officer))
    assert "Seq Scan on tracker_task " not in shown + " ", shown
    assert Task.objects.count() == 0


def test_a_condition_no_index_serves_is_a_sequential_scan(office_user):
    """The control: the method above does see a condition no index can serve."""
    shown = bitmap_plan(Task.objects.filter(title__icontains="đất đai"))
    assert "Seq Scan on tracker_task" in shown, shown
