"""The drill-down (`GET /api/v1/tasks/?indicator=<count>&from&to&as_of`) lists exactly the
tasks each count of the indicators counts, on a random data set from a seeded generator:
tasks in every state, with and without deadlines, extensions approved at random dates,
coordinating departments, judged at several as-of dates, as the office and as a department.
A plain-Python reading of DOMAIN.md's bucket table checks both; then the drill-down's own
parameters and who may use it."""

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest

from tests.conftest import client_for
from tests.factories import DepartmentFactory
from tests.tracker.indicator_support import (
    COUNTS,
    FROM,
    TASKS_URL,
    TO,
    TODAY,
    URL,
    Builder,
    Story,
    params,
    row_of,
    stable_id,
)
from tracker.models import Department, Task, TaskStatus, User
from tracker.services.periods import period_close

pytestmark = pytest.mark.django_db

SEED = 20261121
CODES = ("SGD", "SKH", "SNN", "STP", "SYT")


def random_story(rng: random.Random, departments: list[Department], lead: Department) -> Story:
    assigned = FROM + dt.timedelta(days=rng.randint(-40, (TODAY - FROM).days))
    deadline = None if rng.random() < 0.12 else assigned + dt.timedelta(days=rng.randint(0, 90))
    story = Story(assigned, deadline)
    if deadline is not None and rng.random() < 0.25:
        story.approved_on = assigned + dt.timedelta(days=rng.randint(0, (TODAY - assigned).days))
        story.extended_to = deadline + dt.timedelta(days=rng.randint(1, 60))
    outcome = rng.random()
    if outcome < 0.62:
        story.completed_on = assigned + dt.timedelta(days=rng.randint(0, (TODAY - assigned).days))
        story.decision = "accept" if outcome < 0.48 else ("return" if outcome < 0.55 else "await")
    if outcome >= 0.55 and rng.random() < 0.25:
        story.then = "pause" if rng.random() < 0.65 else "cancel"
    if rng.random() < 0.2:
        story.coordinating = (rng.choice([d for d in departments if d != lead]),)
    return story


def bucket(story: Story, task: Task, as_of: dt.date) -> str | None:
    """DOMAIN.md's table read literally, from the story rather than from the database."""
    if not FROM <= story.assigned_on <= min(TO, as_of) or task.status == TaskStatus.CANCELLED:
        return None
    deadline = story.deadline
    if story.extended_to is not None and story.approved_on <= as_of:
        deadline = story.extended_to
    completed = task.status == TaskStatus.COMPLETED and story.completed_on <= as_of
    if completed:
        if deadline is None:
            return "completed_no_deadline"
        if story.completed_on < deadline:
            return "completed_early"
        return "completed_on_time" if story.completed_on == deadline else "completed_late"
    if task.status == TaskStatus.PAUSED:
        return "paused"
    if deadline is None:
        return "open_no_deadline"
    return "open_within_deadline" if deadline >= as_of else "open_overdue"


def is_due(story: Story, task: Task, as_of: dt.date) -> bool:
    """DOMAIN.md's `due`, read literally: a task judged whose deadline in force at the as-of
    date is on or before it, completed or not, unless it is paused."""
    deadline = story.deadline
    if story.extended_to is not None and story.approved_on <= as_of:
        deadline = story.extended_to
    judged = bucket(story, task, as_of) is not None
    return (
        judged and task.status != TaskStatus.PAUSED and deadline is not None and deadline <= as_of
    )


def members(buckets: dict[int, str | None], wanted: str, due: set[int]) -> set[int]:
    if wanted == "due":
        return {pk for pk in buckets if pk in due}
    names = {
        "assigned": set(COUNTS),
        "completed_on_time": {"completed_on_time", "completed_early"},
        "completed_on_deadline_day": {"completed_on_time"},  # the oracle's name for it
    }.get(wanted, {wanted})
    return {pk for pk, name in buckets.items() if name in names}


def drill(user: User, indicator: str, as_of: dt.date, **extra: Any) -> set[int]:
    response = client_for(user).get(
        TASKS_URL, params(as_of=as_of, indicator=indicator, page_size=500, **extra)
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == len(data["results"])
    return {task["id"] for task in data["results"]}


@pytest.fixture
def random_world(builder: Builder) -> dict[str, Any]:
    rng = random.Random(SEED)
    departments = [DepartmentFactory(code=code) for code in CODES]
    stories: dict[int, tuple[Story, Department]] = {}
    for _ in range(240):
        lead = rng.choice(departments)
        story = random_story(rng, departments, lead)
        task = builder.task(lead, story)
        stories[task.pk] = (story, lead)
    as_ofs = sorted(
        {FROM + dt.timedelta(days=rng.randint(0, (TODAY - FROM).days)) for _ in range(3)}
    )
    return {"departments": departments, "stories": stories, "as_ofs": [*as_ofs, TODAY]}


def test_drill_down_lists_exactly_what_each_count_counts(random_world, builder, office_user):
    departments, stories = random_world["departments"], random_world["stories"]
    tasks = {task.pk: task for task in Task.objects.filter(pk__in=stories)}
    states = Counter(task.status for task in tasks.values())
    assert all(states[status] >= 5 for status in TaskStatus.values), states  # every state
    own = builder.officer(departments[0])
    for as_of in random_world["as_ofs"]:
        data = client_for(office_user).get(URL, params(as_of=as_of)).json()
        buckets = {pk: bucket(story, tasks[pk], as_of) for pk, (story, _lead) in stories.items()}
        due = {pk for pk, (story, _lead) in stories.items() if is_due(story, tasks[pk], as_of)}
        seen = Counter()
        for department in departments:
            row = row_of(data, department.code)
            led = {pk: b for pk, b in buckets.items() if stories[pk][1] == department}
            for name in COUNTS:
                expected = members(led, name, due)
                assert row[name] == len(expected), (as_of, department.code, name)
                listed = drill(office_user, name, as_of, lead_department=department.code)
                assert listed == expected, (as_of, department.code, name)
                seen[name] += row[name]
        for name in COUNTS:
            assert data["total"][name] == seen[name]
            assert drill(office_user, name, as_of) == members(buckets, name, due)
        # A department member: the tasks of its own row, never those it only coordinates.
        own_row = row_of(data, departments[0].code)
        for name in COUNTS:
            listed = drill(own, name, as_of)
            assert len(listed) == own_row[name]
            assert all(stories[pk][1] == departments[0] for pk in listed)
    assert any(story.coordinating for story, lead in stories.values() if lead == departments[0])


def test_as_of_defaults_to_today_or_to_the_closed_periods_own(builder, office_user, department):
    story = Story(dt.date(2026, 9, 1), dt.date(2026, 10, 31), completed_on=dt.date(2026, 10, 20))
    task = builder.task(department, story)
    no_as_of = {"from": FROM.isoformat(), "to": TO.isoformat(), "page_size": 500}
    listed = client_for(office_user).get(TASKS_URL, {**no_as_of, "indicator": "completed_early"})
    assert [t["id"] for t in listed.json()["results"]] == [task.pk]  # judged today
    period_close(actor=office_user, date_from=FROM, date_to=TO, as_of=dt.date(2026, 10, 15))
    listed = client_for(office_user).get(TASKS_URL, {**no_as_of, "indicator": "completed_early"})
    assert listed.json()["count"] == 0
    listed = client_for(office_user).get(
        TASKS_URL, {**no_as_of, "indicator": "open_within_deadline"}
    )
    assert [t["id"] for t in listed.json()["results"]] == [task.pk]  # judged at 15/10


def test_the_drill_down_composes_with_the_other_filters(builder, office_user, department):
    on_time = Story(dt.date(2026, 9, 1), dt.date(2026, 9, 30), completed_on=dt.date(2026, 9, 3))
    first = builder.task(department, on_time)
    builder.task(department, on_time)
    other = builder.task(DepartmentFactory(code="SXD"), on_time)
    Task.objects.filter(pk=first.pk).update(title="Tiêm chủng mở rộng")
    base = params(indicator="completed_on_time", page_size=500)
    client = client_for(office_user)
    assert client.get(TASKS_URL, base).json()["count"] == 3
    assert (
        client.get(TASKS_URL, {**base, "lead_department": "SXD"}).json()["results"][0]["id"]
        == other.pk
    )
    found = client.get(TASKS_URL, {**base, "q": "tiêm chủng"}).json()["results"]
    assert [t["id"] for t in found] == [first.pk]
    assert client.get(TASKS_URL, {**base, "status": "in_progress"}).json()["count"] == 0


BAD = [
    ({"indicator": "late"}, {"indicator"}),
    ({"indicator": "assigned", "from": None}, {"from"}),
    ({"indicator": "assigned", "from": None, "to": None, "as_of": None}, {"from", "to"}),
    ({"indicator": None}, {"indicator"}),  # a period without an indicator
    ({"indicator": "assigned", "to": "2025-12-31"}, {"to"}),
    ({"indicator": "assigned", "as_of": "2025-12-31"}, {"as_of"}),
    ({"indicator": "assigned", "as_of": "2026-11-22"}, {"as_of"}),
    ({"indicator": "assigned", "from": "2026-11-22", "as_of": None}, {"from"}),
    ({"indicator": "assigned", "from": "2026-02-30"}, {"from"}),
    ({"indicator": "assigned", "as_of": "0001-01-01"}, {"as_of"}),
]


@pytest.mark.parametrize(("extra", "failing"), BAD, ids=stable_id)
def test_bad_drill_down_parameters_are_400_naming_each_one(
    story_clock, office_user, extra, failing
):
    response = client_for(office_user).get(TASKS_URL, params(**extra))
    assert response.status_code == 400, response.content
    assert set(response.json()) == failing


def test_drill_down_messages_in_english_and_in_vietnamese(story_clock, office_user):
    query = params(indicator="assigned", to=None, as_of="2026-11-22")
    english = client_for(office_user, "en").get(TASKS_URL, query).json()
    assert english == {
        "to": ["The indicator's period needs this date."],
        "as_of": ["The as-of date cannot be in the future."],
    }
    vietnamese = client_for(office_user, "vi").get(TASKS_URL, query)
    assert vietnamese.status_code == 400 and vietnamese["Content-Language"] == "vi"
    assert set(vietnamese.json()) == {"to", "as_of"}


def test_scoring_users_read_tasks_and_drill_down_but_write_nothing(
    builder, scoring_user, office_user, department
):
    story = Story(dt.date(2026, 9, 1), dt.date(2026, 9, 30), completed_on=dt.date(2026, 9, 3))
    task = builder.task(department, story)
    client = client_for(scoring_user)
    assert drill(scoring_user, "completed_on_time", TODAY) == {task.pk}
    assert client.get(f"{TASKS_URL}{task.pk}/").status_code == 200
    assert client.get(f"{TASKS_URL}{task.pk}/history/").status_code == 200
    assert client.get(f"/api/v1/directives/{task.directive_id}/").status_code == 200
    assert client.patch(f"{TASKS_URL}{task.pk}/", {"title": "Sửa"}).status_code == 403
    assert client.post(f"{TASKS_URL}{task.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert client.post(TASKS_URL, {"title": "Mới"}).status_code == 403
    assert Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED


def test_a_department_drills_down_into_its_own_row_only(builder, officer, department):
    other = DepartmentFactory(code="SXD")
    on_time = Story(dt.date(2026, 9, 1), dt.date(2026, 9, 30), completed_on=dt.date(2026, 9, 3))
    own = builder.task(department, on_time)
    coordinated = Story(**{**on_time.__dict__, "coordinating": (department,)})
    builder.task(other, coordinated)  # SYT coordinates it: visible, yet not in SYT's row
    assert drill(officer, "completed_on_time", TODAY) == {own.pk}
    assert drill(officer, "completed_on_time", TODAY, lead_department="SXD") == set()
