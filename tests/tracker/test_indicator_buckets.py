"""DOMAIN.md's bucket table, one rule at a time, through GET /api/v1/indicators/: each task
built through the lifecycle services at the dates of its story, then judged at an as-of
date; the drill-down lists exactly the task its count counts."""

import datetime as dt
from typing import Any

import pytest

from tests.conftest import client_for
from tests.factories import DepartmentFactory
from tests.tracker.indicator_support import (
    COUNTS,
    FROM,
    RATES,
    TASKS_URL,
    TODAY,
    URL,
    Builder,
    Story,
    nonzero,
    params,
    row_of,
)
from tracker.models import Department, Task, User

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 10, 15)
D = dt.date


def judged(office_user: User, department: Department, as_of: dt.date = AS_OF) -> dict[str, Any]:
    response = client_for(office_user).get(URL, params(as_of=as_of, department=department.code))
    assert response.status_code == 200, response.content
    (row,) = response.json()["departments"]
    return row


def drilled(office_user: User, bucket: str, as_of: dt.date = AS_OF) -> list[int]:
    response = client_for(office_user).get(
        TASKS_URL, params(as_of=as_of, indicator=bucket, page_size=500)
    )
    assert response.status_code == 200, response.content
    return [task["id"] for task in response.json()["results"]]


def assert_only(office_user: User, task: Task, expected: dict[str, int]) -> dict[str, Any]:
    """The task falls in the expected counts and no other, and each of those counts'
    drill-down lists it (and only it)."""
    row = judged(office_user, task.lead_department)
    assert nonzero(row) == expected
    for bucket in COUNTS:
        assert drilled(office_user, bucket) == ([task.pk] if bucket in expected else [])
    return row


def test_a_deadline_on_the_as_of_date_is_within_the_deadline(
    builder: Builder, office_user, department
):
    task = builder.task(department, Story(D(2026, 9, 1), deadline=AS_OF))
    # Due by the as-of date all the same: its deadline is not after it.
    expected = {"assigned": 1, "open_within_deadline": 1, "due": 1}
    row = assert_only(office_user, task, expected)
    # Within its deadline: left out of the completion and on-time rates, not of the strict one.
    assert (row["completion_rate"], row["on_time_rate"], row["assigned_on_time_rate"]) == (
        None,
        None,
        0.0,
    )


def test_a_deadline_the_day_before_the_as_of_date_is_overdue(
    builder: Builder, office_user, department
):
    task = builder.task(department, Story(D(2026, 9, 1), deadline=AS_OF - dt.timedelta(days=1)))
    row = assert_only(office_user, task, {"assigned": 1, "open_overdue": 1, "due": 1})
    assert [row[rate] for rate in RATES] == [0.0, 0.0, 0.0]


def test_completed_on_the_deadline_day_is_on_time_not_early(
    builder: Builder, office_user, department
):
    story = Story(D(2026, 9, 1), deadline=D(2026, 9, 30), completed_on=D(2026, 9, 30))
    task = builder.task(department, story)
    expected = {"assigned": 1, "completed_on_time": 1, "completed_on_deadline_day": 1, "due": 1}
    row = assert_only(office_user, task, expected)
    assert [row[rate] for rate in RATES] == [1.0, 1.0, 1.0]


def test_completed_before_the_deadline_is_early_and_on_time(
    builder: Builder, office_user, department
):
    story = Story(D(2026, 9, 1), deadline=D(2026, 9, 30), completed_on=D(2026, 9, 29))
    task = builder.task(department, story)
    expected = {"assigned": 1, "completed_on_time": 1, "completed_early": 1, "due": 1}
    assert_only(office_user, task, expected)


def test_completed_after_the_deadline_is_late(builder: Builder, office_user, department):
    story = Story(D(2026, 9, 1), deadline=D(2026, 9, 30), completed_on=D(2026, 10, 1))
    task = builder.task(department, story)
    row = assert_only(office_user, task, {"assigned": 1, "completed_late": 1, "due": 1})
    assert [row[rate] for rate in RATES] == [1.0, 0.0, 0.0]


def test_a_completion_dated_after_the_as_of_date_is_still_open_at_it(
    builder: Builder, office_user, department
):
    # Completed on time on 20/10, judged at 15/10: open, within the deadline then.
    story = Story(D(2026, 9, 1), deadline=D(2026, 10, 31), completed_on=D(2026, 10, 20))
    task = builder.task(department, story)
    assert_only(office_user, task, {"assigned": 1, "open_within_deadline": 1})
    # Judged at 31/10, the same task is completed on time (and early).
    later = judged(office_user, department, as_of=D(2026, 10, 31))
    expected = {"assigned": 1, "completed_on_time": 1, "completed_early": 1, "due": 1}
    assert nonzero(later) == expected


def test_a_returned_completion_report_does_not_count(builder: Builder, office_user, department):
    story = Story(
        D(2026, 9, 1), deadline=D(2026, 9, 30), completed_on=D(2026, 9, 10), decision="return"
    )
    task = builder.task(department, story)
    assert task.status == "in_progress" and task.completed_on is None
    assert_only(office_user, task, {"assigned": 1, "open_overdue": 1, "due": 1})


def test_a_task_awaiting_acceptance_is_not_completed(builder: Builder, office_user, department):
    story = Story(
        D(2026, 9, 1), deadline=D(2026, 10, 31), completed_on=D(2026, 9, 10), decision="await"
    )
    task = builder.task(department, story)
    assert task.status == "awaiting_acceptance"
    assert_only(office_user, task, {"assigned": 1, "open_within_deadline": 1})


def test_a_paused_task_is_counted_apart_and_left_out_of_every_rate(
    builder: Builder, office_user, department
):
    # Overdue at the as-of date, but paused now: the pause takes precedence.
    task = builder.task(department, Story(D(2026, 9, 1), deadline=D(2026, 9, 30), then="pause"))
    row = assert_only(office_user, task, {"assigned": 1, "paused": 1})
    assert [row[rate] for rate in RATES] == [None, None, None]


def test_a_cancelled_task_is_left_out_entirely(builder: Builder, office_user, department):
    task = builder.task(department, Story(D(2026, 9, 1), deadline=D(2026, 9, 30), then="cancel"))
    assert task.status == "cancelled"
    row = judged(office_user, department)
    assert nonzero(row) == {}
    assert drilled(office_user, "assigned") == []


def test_tasks_without_deadline_have_buckets_of_their_own_outside_the_rates(
    builder: Builder, office_user, department
):
    done = builder.task(department, Story(D(2026, 9, 1), deadline=None, completed_on=D(2026, 9, 5)))
    still_open = builder.task(department, Story(D(2026, 9, 1), deadline=None))
    row = judged(office_user, department)
    assert nonzero(row) == {"assigned": 2, "completed_no_deadline": 1, "open_no_deadline": 1}
    assert [row[rate] for rate in RATES] == [None, None, None]
    assert drilled(office_user, "completed_no_deadline") == [done.pk]
    assert drilled(office_user, "open_no_deadline") == [still_open.pk]


def test_an_extension_approved_before_the_as_of_date_moves_the_deadline(
    builder: Builder, office_user, department
):
    story = Story(
        D(2026, 9, 1),
        deadline=D(2026, 9, 30),
        extended_to=D(2026, 10, 31),
        approved_on=D(2026, 9, 25),
    )
    task = builder.task(department, story)
    assert_only(office_user, task, {"assigned": 1, "open_within_deadline": 1})


def test_an_extension_approved_on_the_as_of_date_counts_at_it(
    builder: Builder, office_user, department
):
    story = Story(
        D(2026, 9, 1), deadline=D(2026, 9, 30), extended_to=D(2026, 10, 31), approved_on=AS_OF
    )
    task = builder.task(department, story)
    assert_only(office_user, task, {"assigned": 1, "open_within_deadline": 1})


def test_an_extension_approved_after_the_as_of_date_does_not_count_at_it(
    builder: Builder, office_user, department
):
    # Asked for on its deadline day (15/10), approved on 25/10: judged at 20/10 the old
    # deadline holds (overdue); judged at 25/10 the new one does.
    story = Story(
        D(2026, 9, 1),
        deadline=D(2026, 10, 15),
        extended_to=D(2026, 11, 30),
        approved_on=D(2026, 10, 25),
    )
    task = builder.task(department, story)
    before = judged(office_user, department, as_of=D(2026, 10, 20))
    assert nonzero(before) == {"assigned": 1, "open_overdue": 1, "due": 1}
    assert drilled(office_user, "open_overdue", as_of=D(2026, 10, 20)) == [task.pk]
    after = judged(office_user, department, as_of=D(2026, 10, 25))
    assert nonzero(after) == {"assigned": 1, "open_within_deadline": 1}


def test_completion_is_judged_against_the_deadline_in_force_at_the_as_of_date(
    builder: Builder, office_user, department
):
    # Completed on 10/10, after the original deadline (30/09) and before the extended one.
    story = Story(
        D(2026, 9, 1),
        deadline=D(2026, 9, 30),
        extended_to=D(2026, 10, 31),
        approved_on=D(2026, 9, 20),
        completed_on=D(2026, 10, 10),
    )
    task = builder.task(department, story)
    assert_only(office_user, task, {"assigned": 1, "completed_on_time": 1, "completed_early": 1})


@pytest.mark.parametrize(
    ("assigned_on", "counted"),
    [
        (D(2025, 12, 31), False),  # before `from`
        (FROM, True),  # on `from`
        (AS_OF, True),  # on the as-of date
        (AS_OF + dt.timedelta(days=1), False),  # after the as-of date, within `to`
    ],
)
def test_only_tasks_assigned_within_from_and_the_as_of_date_are_judged(
    builder: Builder, office_user, department, assigned_on, counted
):
    task = builder.task(department, Story(assigned_on, deadline=D(2026, 12, 31)))
    row = judged(office_user, department)
    assert row["assigned"] == (1 if counted else 0)
    assert drilled(office_user, "assigned") == ([task.pk] if counted else [])


def test_tasks_assigned_after_to_are_not_judged(builder: Builder, office_user, department):
    builder.task(department, Story(D(2026, 6, 1), deadline=D(2026, 12, 31)))
    response = client_for(office_user).get(
        URL, {"from": "2026-01-01", "to": "2026-05-31", "as_of": TODAY.isoformat()}
    )
    assert row_of(response.json(), "SYT")["assigned"] == 0


def test_a_department_without_tasks_has_zeros_and_no_rates(
    builder: Builder, office_user, department
):
    empty = DepartmentFactory(code="SNV", name="Sở Nội vụ", active=False)
    builder.task(
        department, Story(D(2026, 9, 1), deadline=D(2026, 9, 30), completed_on=D(2026, 9, 3))
    )
    data = client_for(office_user).get(URL, params()).json()
    row = row_of(data, "SNV")  # inactive departments are listed too
    assert row["department"] == {"id": empty.pk, "code": "SNV", "name": "Sở Nội vụ"}
    assert {name: row[name] for name in COUNTS} == dict.fromkeys(COUNTS, 0)
    assert [row[rate] for rate in RATES] == [None, None, None]


def test_the_total_sums_the_counts_and_recomputes_the_rates(
    builder: Builder, office_user, department, other_department
):
    # SYT: 1 on time of 1 judged (rate 1.0); STC: 1 on time, 3 late (rate 0.25).
    completed = {"deadline": D(2026, 9, 30), "completed_on": D(2026, 9, 3)}
    late = {"deadline": D(2026, 9, 30), "completed_on": D(2026, 10, 3)}
    builder.task(department, Story(D(2026, 9, 1), **completed))
    builder.task(other_department, Story(D(2026, 9, 1), **completed))
    for _ in range(3):
        builder.task(other_department, Story(D(2026, 9, 1), **late))
    data = client_for(office_user).get(URL, params(as_of=AS_OF)).json()
    assert row_of(data, "SYT")["on_time_rate"] == 1.0
    assert row_of(data, "STC")["on_time_rate"] == 0.25
    total = data["total"]
    for name in COUNTS:
        assert total[name] == sum(row[name] for row in data["departments"])
    assert total["on_time_rate"] == 0.4  # 2 / 5, not the mean of 1.0 and 0.25
    assert total["completion_rate"] == 1.0


def test_rates_are_rounded_half_up_to_four_decimals(builder: Builder, office_user, department):
    # 2 on time, 1 late: 2/3 → 0.6667. With 29 more late tasks: 2/32 = 0.0625 exactly; with
    # 1 on time of 32 (0.03125) half up gives 0.0313 where half-even would give 0.0312.
    builder.task(department, Story(D(2026, 9, 1), D(2026, 9, 30), completed_on=D(2026, 9, 3)))
    builder.task(department, Story(D(2026, 9, 1), D(2026, 9, 30), completed_on=D(2026, 9, 3)))
    builder.task(department, Story(D(2026, 9, 1), D(2026, 9, 30), completed_on=D(2026, 10, 3)))
    row = judged(office_user, department)
    assert (row["on_time_rate"], row["completion_rate"]) == (0.6667, 1.0)
    other = DepartmentFactory(code="SXD")
    builder.task(other, Story(D(2026, 9, 1), D(2026, 9, 30), completed_on=D(2026, 9, 3)))
    for _ in range(31):
        builder.task(other, Story(D(2026, 9, 1), D(2026, 9, 30), completed_on=D(2026, 10, 3)))
    assert judged(office_user, other)["on_time_rate"] == 0.0313
    response = client_for(office_user).get(URL, params(as_of=AS_OF, department="SXD"))
    assert b'"on_time_rate":0.0313' in response.content.replace(b" ", b"")
