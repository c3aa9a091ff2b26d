"""Bad query parameters of the lists (tasks, directives, page sizes): a 400 naming the
parameter. The database is left
exactly as it was (helpers: tests/tracker/validation_support.py)."""

import pytest
from django.utils import timezone

from directives.models import Directive
from tests.factories import DirectiveFactory, TaskFactory
from tests.tracker import validation_support
from tests.tracker.validation_support import HUGE_ID

pytestmark = pytest.mark.django_db


task = validation_support.task


# --- Query parameters ------------------------------------------------------------------


@pytest.fixture
def hidden_directive(other_department) -> Directive:
    """A directive whose only task is STC's: SYT's officer may not see it."""
    hidden = DirectiveFactory(number="900/TB-UBND")
    TaskFactory(directive=hidden, lead_department=other_department)
    return hidden


BAD_TASK_FILTERS = [
    ("status=foo", "status"),
    ("lead_department=XXX", "lead_department"),
    (f"lead_department={HUGE_ID}", "lead_department"),
    ("lead_department=%00", "lead_department"),
    ("department=XXX", "department"),
    (f"department={HUGE_ID}", "department"),
    ("overdue=maybe", "overdue"),
    ("overdue=1", "overdue"),
    ("due_soon=perhaps", "due_soon"),
    ("deadline_from=garbage", "deadline_from"),
    ("deadline_from=2026-02-30", "deadline_from"),
    ("deadline_to=30/04/2026", "deadline_to"),
    ("directive=999999", "directive"),
    ("directive=abc", "directive"),
    (f"directive={HUGE_ID}", "directive"),
    ("ordering=bogus", "ordering"),
    ("ordering=title", "ordering"),
    ("q=%00", "q"),
    ("q=" + "x" * 201, "q"),
    ("page_size=501", "page_size"),
    ("page_size=0", "page_size"),
    ("page_size=-1", "page_size"),
    ("page_size=abc", "page_size"),
    (f"page_size={HUGE_ID}", "page_size"),
]


@pytest.mark.parametrize(("query", "parameter"), BAD_TASK_FILTERS)
def test_task_list_rejects_bad_query_parameter(api, officer, task, query, parameter):
    response = api(officer).get(f"/api/v1/tasks/?{query}")
    assert response.status_code == 400, response.content
    assert parameter in response.data


def test_task_filter_by_a_directive_the_caller_cannot_see_is_400(
    api, officer, office_user, task, hidden_directive
):
    response = api(officer).get(f"/api/v1/tasks/?directive={hidden_directive.pk}")
    assert response.status_code == 400
    assert "directive" in response.data
    # The same answer as for a directive that does not exist: nothing leaks.
    missing = api(officer).get("/api/v1/tasks/?directive=999999")
    assert str(hidden_directive.pk) not in str(missing.data)
    # The office sees the directive, so the same filter works for it.
    response = api(office_user).get(f"/api/v1/tasks/?directive={hidden_directive.pk}")
    assert response.status_code == 200
    assert response.data["count"] == 1


def test_task_filter_by_a_visible_directive_is_accepted(api, officer, task, office_user):
    for user in (officer, office_user):
        response = api(user).get(f"/api/v1/tasks/?directive={task.directive_id}")
        assert response.status_code == 200
        assert [t["id"] for t in response.data["results"]] == [task.pk]


def test_good_filters_are_accepted(api, officer, task):
    query = {
        "status": "assigned",
        "lead_department": "SYT",
        "department": "STC",
        "overdue": "true" if task.effective_deadline < timezone.localdate() else "false",
        "due_soon": "false",
        "deadline_from": "2026-04-01",
        "deadline_to": "2026-05-01",
        "ordering": "-deadline",
        "page_size": "500",
        "q": "tiêm chủng",
    }
    response = api(officer).get("/api/v1/tasks/", query)
    assert response.status_code == 200, response.data
    assert [t["id"] for t in response.data["results"]] == [task.pk]


@pytest.mark.parametrize("path", ["tasks", "directives", "departments", "users"])
@pytest.mark.parametrize("page_size", ["501", "0", "abc", "1.5"])
def test_page_size_out_of_range_is_400_on_every_list(api, office_user, path, page_size):
    response = api(office_user).get(f"/api/v1/{path}/?page_size={page_size}")
    assert response.status_code == 400
    assert "page_size" in response.data


@pytest.mark.parametrize("path", ["tasks", "directives", "departments", "users"])
def test_page_size_500_is_accepted(api, office_user, path):
    response = api(office_user).get(f"/api/v1/{path}/?page_size=500")
    assert response.status_code == 200
    assert "results" in response.data


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("kind=foo", "kind"), ("year=abc", "year"), ("year=NaN", "year"), ("year=1e400", "year")],
)
def test_directive_list_rejects_bad_query_parameter(api, office_user, query, parameter):
    response = api(office_user).get(f"/api/v1/directives/?{query}")
    assert response.status_code == 400, response.content
    assert parameter in response.data


@pytest.mark.parametrize("year", ["2025.5", "1900", "2999"])
def test_directive_list_takes_a_whole_year_a_date_can_have(api, office_user, year):
    response = api(office_user).get(f"/api/v1/directives/?year={year}")
    assert response.status_code == 400, response.content
    assert "year" in response.data
