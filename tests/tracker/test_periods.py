"""Closing and reopening periods: what a close publishes, that a closed period's answers do
not move when tasks and rules change afterwards, reopening (audited, once), the database
keeping published figures final, races, the number of queries, the command and the admin.

Time is fixed (config.common.clock through settings.CLOCK_FILE) at 2026-11-21, 10:00 local."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.common.errors import TransitionNotAllowed
from tests.conftest import client_for
from tests.factories import DepartmentFactory, TaskFactory, UserFactory
from tests.race import run_behind
from tracker.models import (
    BUCKET_COUNTS,
    Department,
    Period,
    PublishedIndicator,
    PublishedScore,
    Role,
    ScoringRule,
    Task,
    User,
)
from tracker.selectors.indicators import computed_counts, indicator_report
from tracker.selectors.scoring import leadership_score, score
from tracker.services import lifecycle
from tracker.services.periods import period_close, period_reopen
from tracker.services.scoring import RULE_FIELDS, scoring_rule_create, scoring_rule_update

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 21)
FROM, TO = date(2026, 1, 1), date(2026, 12, 31)
URL = "/api/v1/periods/"

TEN_POINTS = [
    {"min_rate": 1.0, "points": 10},
    {"min_rate": 0.9, "points": 8},
    {"min_rate": 0.8, "points": 6},
    {"min_rate": 0.7, "points": 4},
    {"min_rate": 0.2, "points": 1},
]


@pytest.fixture
def clock_at(settings: Any, tmp_path: Path) -> Callable[[datetime], None]:
    path = tmp_path / "clock"
    settings.CLOCK_FILE = str(path)

    def move(moment: datetime) -> None:
        path.write_text(moment.isoformat())

    move(datetime(2026, 11, 21, 10, 0, tzinfo=LOCAL))
    return move


@pytest.fixture
def rules() -> list[ScoringRule]:
    """Two rules of 2026 of the test's own (the example rules may be of another year)."""
    common = {"year": 2026, "name": "Quy tắc thử nghiệm", "when_no_tasks": "not_applicable"}
    return [
        scoring_rule_create(
            data={
                **common,
                "code": "T-ON-TIME",
                "metric": "on_time_rate",
                "max_points": 10,
                "bands": TEN_POINTS,
            }
        ),
        scoring_rule_create(
            data={
                **common,
                "code": "T-DONE",
                "metric": "completion_rate",
                "max_points": 2,
                "bands": [{"min_rate": 0.9, "points": 2, "strict": True}],
            }
        ),
    ]


@dataclass
class World:
    office: User
    syt: Department
    stc: Department
    xa: Department
    tasks: dict[str, Task]
    extension_id: int


def complete(task: Task, on: date) -> None:
    head = task.lead_department.members.get(role=Role.DEPARTMENT_HEAD)
    lifecycle.completion_report_create(task_id=task.pk, actor=head, completed_on=on, result="Xong")
    lifecycle.completion_accept(task_id=task.pk, actor=None)


@pytest.fixture
def world(clock_at, rules, office_user) -> World:
    """SYT: one task completed early, one open within its deadline, three overdue at
    2026-11-21 (one of them with an extension asked for before its deadline, not yet
    decided). STC: one task within its deadline. XA: no task."""
    syt = DepartmentFactory(code="SYT", name="Sở Y tế")
    stc = DepartmentFactory(code="STC", name="Sở Tài chính")
    xa = DepartmentFactory(code="XA", name="UBND xã Tân An")
    for department in (syt, stc):
        UserFactory(role=Role.DEPARTMENT_HEAD, department=department)
    tasks = {
        "early": TaskFactory(lead_department=syt, deadline=date(2026, 4, 30)),
        "within": TaskFactory(lead_department=syt, deadline=date(2026, 12, 31)),
        "overdue": TaskFactory(lead_department=syt, deadline=date(2026, 4, 30)),
        "to_cancel": TaskFactory(lead_department=syt, deadline=date(2026, 6, 30)),
        "to_extend": TaskFactory(lead_department=syt, deadline=date(2026, 11, 18)),
        "stc": TaskFactory(lead_department=stc, deadline=date(2026, 12, 31)),
    }
    complete(tasks["early"], date(2026, 4, 20))
    clock_at(datetime(2026, 11, 15, 9, 0, tzinfo=LOCAL))
    request = lifecycle.extension_request_create(
        task_id=tasks["to_extend"].pk,
        actor=syt.members.get(),
        requested_deadline=date(2026, 12, 20),
        reason="Chờ kinh phí",
    )
    clock_at(datetime(2026, 11, 21, 10, 0, tzinfo=LOCAL))
    return World(office_user, syt, stc, xa, tasks, request.pk)


def edit_everything(world: World, rules: list[ScoringRule]) -> None:
    """After the close: a task completed, an extension approved, a task cancelled, a rule's
    bands changed."""
    complete(world.tasks["overdue"], date(2026, 11, 20))
    complete(world.tasks["stc"], date(2026, 11, 20))
    lifecycle.extension_approve(request_id=world.extension_id, actor=world.office)
    lifecycle.task_cancel(task_id=world.tasks["to_cancel"].pk, actor=world.office, reason="Thôi")
    scoring_rule_update(rule=rules[0], data={"bands": [{"min_rate": 0.1, "points": 10}]})


def report(as_of: date | None = None) -> Any:
    return indicator_report(
        date_from=FROM, date_to=TO, as_of=as_of, today=TODAY, departments=Department.objects.all()
    )


def counts_by_code(indicators: Any) -> dict[str, dict[str, int]]:
    return {row.department.code: row.counts.as_dict() for row in indicators.rows}


def live_counts() -> dict[str, dict[str, int]]:
    counts = computed_counts(FROM, TO, TODAY, Department.objects.all())
    return {
        department.code: counts[department.pk].as_dict() if department.pk in counts else None
        for department in Department.objects.all()
    }


def close(world: World, **dates: date) -> Period:
    return period_close(
        actor=world.office,
        date_from=dates.get("date_from", FROM),
        date_to=dates.get("date_to", TO),
        as_of=dates.get("as_of", TODAY),
    )


# --- what closing publishes ----------------------------------------------------------------


def test_closing_publishes_every_department_and_every_rule_of_the_year(world, rules):
    before = counts_by_code(report(TODAY))
    period = close(world)
    assert (period.from_date, period.to_date, period.as_of) == (FROM, TO, TODAY)
    assert period.closed_by == world.office and period.is_closed
    assert period.closed_at == datetime(2026, 11, 21, 10, 0, tzinfo=LOCAL)
    departments = Department.objects.count()
    assert departments == 3
    published = {
        row.department.code: {name: getattr(row, name) for name in BUCKET_COUNTS}
        for row in PublishedIndicator.objects.filter(period=period).select_related("department")
    }
    assert published == before
    assert published["SYT"] == {
        "assigned": 5,
        "completed_on_time": 1,
        "completed_early": 1,
        "completed_late": 0,
        "completed_no_deadline": 0,
        "open_within_deadline": 1,
        "open_overdue": 3,
        "open_no_deadline": 0,
        "paused": 0,
    }
    assert published["XA"] == dict.fromkeys(BUCKET_COUNTS, 0)
    year_rules = ScoringRule.objects.filter(year=2026).count()
    assert year_rules >= 2
    scores = PublishedScore.objects.filter(period=period)
    assert scores.count() == departments * year_rules
    on_time = scores.get(rule=rules[0], department=world.syt)
    # 1 on time of 4 judged: 0.25 reaches the 0.2 band only.
    assert (on_time.metric_value, on_time.points, on_time.applicable) == (0.25, 1, True)
    assert (on_time.rule_code, on_time.rule_year, on_time.rule_metric) == (
        "T-ON-TIME",
        2026,
        "on_time_rate",
    )
    assert on_time.rule_max_points == 10
    nothing = scores.get(rule=rules[0], department=world.xa)
    assert (nothing.metric_value, nothing.points, nothing.applicable) == (None, None, False)


def test_a_closed_period_answers_the_same_after_tasks_and_rules_change(world, rules):
    before = counts_by_code(report(TODAY))
    points_before = {
        row.department.code: row.score for row in score_report(rules[0], as_of=TODAY).rows
    }
    close(world)
    edit_everything(world, rules)

    live = live_counts()
    assert live["SYT"] != before["SYT"]  # the edits did change what a live answer gives
    assert live["STC"] != before["STC"]
    for as_of in (None, TODAY):
        frozen = report(as_of)
        assert frozen.frozen and frozen.as_of == TODAY
        assert counts_by_code(frozen) == before
        scored = score_report(ScoringRule.objects.get(pk=rules[0].pk), as_of=as_of)
        assert scored.published and scored.indicators.frozen
        assert {row.department.code: row.score for row in scored.rows} == points_before
    # The edited rule, applied live, would now give SYT full points.
    edited = ScoringRule.objects.get(pk=rules[0].pk)
    assert score(edited, report(date(2026, 11, 20)).rows[1].counts).points == 10


def score_report(rule: ScoringRule, as_of: date | None) -> Any:
    return leadership_score(
        rule=rule,
        date_from=FROM,
        date_to=TO,
        as_of=as_of,
        today=TODAY,
        departments=Department.objects.all(),
    )


def test_the_indicator_endpoints_answer_with_the_published_figures(world, rules):
    office = client_for(world.office)
    query = {"from": FROM.isoformat(), "to": TO.isoformat()}
    before = office.get("/api/v1/indicators/", query).json()
    score_query = {**query, "rule": "T-ON-TIME"}
    score_before = office.get("/api/v1/leadership-score/", score_query).json()
    assert before["frozen"] is False and score_before["frozen"] is False
    close(world)
    edit_everything(world, rules)
    after = office.get("/api/v1/indicators/", query).json()
    score_after = office.get("/api/v1/leadership-score/", score_query).json()
    assert after["frozen"] is True and score_after["frozen"] is True
    assert after["departments"] == before["departments"]
    assert after["total"] == before["total"]
    assert score_after["departments"] == score_before["departments"]
    syt = next(row for row in after["departments"] if row["department"]["code"] == "SYT")
    assert (syt["assigned"], syt["open_overdue"], syt["on_time_rate"]) == (5, 3, 0.25)


# --- reopening -----------------------------------------------------------------------------


def test_reopening_makes_the_answers_live_again_and_is_kept_on_the_period(world, rules, clock_at):
    period = close(world)
    edit_everything(world, rules)
    clock_at_noon = datetime(2026, 11, 21, 12, 0, tzinfo=LOCAL)
    clock_at(clock_at_noon)
    response = client_for(world.office).post(
        f"{URL}{period.pk}/reopen/", {"reason": "Sở Y tế báo cáo bổ sung"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["frozen"] is False
    assert body["reopened_by"] == world.office.pk
    assert body["reopen_reason"] == "Sở Y tế báo cáo bổ sung"
    assert datetime.fromisoformat(body["reopened_at"]) == clock_at_noon
    period.refresh_from_db()
    assert (period.reopened_by, period.reopened_at) == (world.office, clock_at_noon)
    live = report(TODAY)
    assert not live.frozen and live.period is None
    assert counts_by_code(live) == {
        code: counts or dict.fromkeys(BUCKET_COUNTS, 0) for code, counts in live_counts().items()
    }
    assert not score_report(rules[0], as_of=None).published
    # What it published stays, final.
    assert PublishedIndicator.objects.filter(period=period).count() == 3


def test_reopening_twice_is_a_409(world):
    period = close(world)
    office = client_for(world.office)
    assert office.post(f"{URL}{period.pk}/reopen/", {"reason": "Lần một"}).status_code == 200
    again = office.post(f"{URL}{period.pk}/reopen/", {"reason": "Lần hai"})
    assert again.status_code == 409
    assert "detail" in again.json()
    period.refresh_from_db()
    assert period.reopen_reason == "Lần một"


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 2001}])
def test_reopening_needs_a_reason(world, body):
    period = close(world)
    response = client_for(world.office).post(f"{URL}{period.pk}/reopen/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"reason"}
    period.refresh_from_db()
    assert period.is_closed


def test_the_service_refuses_a_blank_reason_and_a_second_reopening(world):
    period = close(world)
    with pytest.raises(ValidationError) as caught:
        period_reopen(actor=world.office, period=period, reason=" \n ")
    assert set(caught.value.message_dict) == {"reason"}
    period_reopen(actor=world.office, period=period, reason="Sai số liệu")
    with pytest.raises(TransitionNotAllowed):
        period_reopen(actor=world.office, period=period, reason="Lần nữa")


def test_closing_the_same_dates_twice_is_a_400_and_again_after_a_reopening_is_fine(world):
    office = client_for(world.office)
    body = {"from": FROM.isoformat(), "to": TO.isoformat(), "as_of": TODAY.isoformat()}
    first = office.post(URL, body, format="json")
    assert first.status_code == 201, first.json()
    twice = office.post(URL, {**body, "as_of": "2026-11-20"}, format="json")
    assert twice.status_code == 400
    assert set(twice.json()) == {"from", "to"}
    assert Period.objects.count() == 1
    reopened = office.post(f"{URL}{first.json()['id']}/reopen/", {"reason": "Bổ sung"})
    assert reopened.status_code == 200
    TaskFactory(lead_department=world.stc, deadline=date(2026, 12, 31))
    second = office.post(URL, body, format="json")
    assert second.status_code == 201, second.json()
    assert second.json()["id"] != first.json()["id"]
    assert Period.objects.count() == 2
    old, new = (
        PublishedIndicator.objects.get(period_id=p, department=world.stc)
        for p in (
            first.json()["id"],
            second.json()["id"],
        )
    )
    assert (old.assigned, new.assigned) == (1, 2)
    frozen = report(None)
    assert frozen.frozen and frozen.period.pk == second.json()["id"]


# --- the API: shapes, validation, permissions ----------------------------------------------


def test_close_answers_201_with_the_period(world):
    response = client_for(world.office).post(
        URL, {"from": "2026-01-01", "to": "2026-06-30"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    period = Period.objects.get()
    assert body == {
        "id": period.pk,
        "from": "2026-01-01",
        "to": "2026-06-30",
        "as_of": "2026-11-21",  # today, by default
        "closed_at": body["closed_at"],
        "closed_by": world.office.pk,
        "reopened_at": None,
        "reopened_by": None,
        "reopen_reason": "",
        "frozen": True,
    }
    assert datetime.fromisoformat(body["closed_at"]) == datetime(2026, 11, 21, 10, tzinfo=LOCAL)
    assert client_for(world.office).get(f"{URL}{period.pk}/").json() == body


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"from": "2026-06-30", "to": "2026-06-01"}, {"to"}),
        ({"from": "2026-12-31", "to": "2026-01-01"}, {"to", "as_of"}),  # as_of: today
        ({"from": "2026-06-01", "to": "2026-06-30", "as_of": "2026-05-31"}, {"as_of"}),
        ({"from": "2026-01-01", "to": "2026-12-31", "as_of": "2026-11-22"}, {"as_of"}),
        ({"from": "2026-02-30", "to": "2026-12-31"}, {"from"}),
        ({"from": "1/1/2026", "to": "soon", "as_of": 7}, {"from", "to", "as_of"}),
        ({"from": "0001-01-01", "to": "2026-12-31"}, {"from"}),
        ({}, {"from", "to"}),
    ],
)
def test_bad_dates_are_a_400_naming_each_field(world, body, fields):
    response = client_for(world.office).post(URL, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert not Period.objects.exists()


def test_the_service_checks_the_dates_too(world):
    with pytest.raises(ValidationError) as caught:
        close(world, date_to=date(2025, 12, 31), as_of=date(2026, 11, 22))
    assert set(caught.value.message_dict) == {"to", "as_of"}
    assert not Period.objects.exists()


@pytest.mark.parametrize("role", [Role.OFFICE, Role.LEADER, Role.SCORING, Role.DEPARTMENT_OFFICER])
def test_the_indicators_audience_reads_periods(world, role):
    period = close(world)
    user = UserFactory(role=role, department=world.syt if role == Role.DEPARTMENT_OFFICER else None)
    client = client_for(user)
    listed = client.get(URL)
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["results"]] == [period.pk]
    assert client.get(f"{URL}{period.pk}/").status_code == 200


@pytest.mark.parametrize("role", [Role.LEADER, Role.SCORING, Role.DEPARTMENT_HEAD])
def test_only_the_office_closes_and_reopens(world, role):
    period = close(world)
    user = UserFactory(role=role, department=world.stc if role == Role.DEPARTMENT_HEAD else None)
    client = client_for(user)
    body = {"from": "2026-01-01", "to": "2026-06-30"}
    assert client.post(URL, body, format="json").status_code == 403
    assert client.post(f"{URL}{period.pk}/reopen/", {"reason": "x"}).status_code == 403
    assert Period.objects.count() == 1
    period.refresh_from_db()
    assert period.is_closed


def test_anonymous_callers_get_401(world):
    period = close(world)
    anonymous = client_for(None)
    assert anonymous.get(URL).status_code == 401
    assert anonymous.get(f"{URL}{period.pk}/").status_code == 401
    assert anonymous.post(URL, {"from": "2026-01-01", "to": "2026-06-30"}).status_code == 401
    assert anonymous.post(f"{URL}{period.pk}/reopen/", {"reason": "x"}).status_code == 401


def test_an_unknown_period_is_404(world):
    office = client_for(world.office)
    assert office.get(f"{URL}999999/").status_code == 404
    assert office.post(f"{URL}999999/reopen/", {"reason": "x"}).status_code == 404


def test_the_list_filters_by_exact_dates(world):
    first = close(world)
    second = close(world, date_to=date(2026, 6, 30))
    office = client_for(world.office)
    only = office.get(URL, {"from": "2026-01-01", "to": "2026-06-30"}).json()["results"]
    assert [item["id"] for item in only] == [second.pk]
    newest_first = office.get(URL, {"from": "2026-01-01"}).json()["results"]
    assert [item["id"] for item in newest_first] == [second.pk, first.pk]
    bad = office.get(URL, {"from": "yesterday", "to": "2026-13-01"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"from", "to"}


# --- the database keeps published figures final --------------------------------------------


def refused(sql: str, params: list[Any]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return "final" in str(exc) or "reopened, once" in str(exc)
    return False


def test_the_database_refuses_to_change_published_rows_and_closing_fields(world):
    period = close(world)
    indicator = PublishedIndicator.objects.filter(period=period).first()
    published_score = PublishedScore.objects.filter(period=period).first()
    assert refused(
        "UPDATE tracker_publishedindicator SET assigned = 99 WHERE id = %s", [indicator.pk]
    )
    assert refused("DELETE FROM tracker_publishedindicator WHERE id = %s", [indicator.pk])
    assert refused(
        "UPDATE tracker_publishedscore SET points = 0 WHERE id = %s", [published_score.pk]
    )
    assert refused("DELETE FROM tracker_publishedscore WHERE id = %s", [published_score.pk])
    for assignment in ("as_of = '2026-11-01'", "to_date = '2026-11-30'", "closed_at = now()"):
        assert refused(f"UPDATE tracker_period SET {assignment} WHERE id = %s", [period.pk])
    assert refused("DELETE FROM tracker_period WHERE id = %s", [period.pk])
    # The one update allowed: recording the reopening, once.
    period_reopen(actor=world.office, period=period, reason="Bổ sung")
    assert refused("UPDATE tracker_period SET reopen_reason = 'khác' WHERE id = %s", [period.pk])
    assert PublishedIndicator.objects.get(pk=indicator.pk).assigned == indicator.assigned != 99
    assert Period.objects.get(pk=period.pk).reopen_reason == "Bổ sung"


# --- races ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_close_of_the_same_dates_is_a_400_not_a_500(clock_at, office_user):
    DepartmentFactory(code="SYT")
    _result, error = run_behind(
        "INSERT INTO tracker_period (from_date, to_date, as_of, closed_at, closed_by_id, "
        "reopen_reason) VALUES (%s, %s, %s, now(), %s, '')",
        [FROM, TO, TODAY, office_user.pk],
        lambda: period_close(actor=office_user, date_from=FROM, date_to=TO, as_of=TODAY),
    )
    assert isinstance(error, ValidationError), error
    assert set(error.message_dict) == {"from", "to"}
    assert Period.objects.count() == 1
    assert not PublishedIndicator.objects.exists()  # the one closed here published nothing


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_reopenings_one_succeeds(clock_at, office_user):
    DepartmentFactory(code="SYT")
    period = period_close(actor=office_user, date_from=FROM, date_to=TO, as_of=TODAY)
    _result, error = run_behind(
        "UPDATE tracker_period SET reopened_at = now(), reopened_by_id = %s, "
        "reopen_reason = 'Người kia' WHERE id = %s",
        [office_user.pk, period.pk],
        lambda: period_reopen(actor=office_user, period=period, reason="Người này"),
    )
    assert isinstance(error, TransitionNotAllowed), error
    assert Period.objects.get(pk=period.pk).reopen_reason == "Người kia"


# --- a fixed number of queries -------------------------------------------------------------


def test_closing_runs_as_many_queries_with_30_departments_as_with_3(clock_at, rules, office_user):
    def world_of(count: int, prefix: str) -> None:
        for index in range(count):
            department = DepartmentFactory(code=f"{prefix}{index:02d}")
            TaskFactory(lead_department=department, deadline=date(2026, 4, 30))
            TaskFactory(lead_department=department, deadline=None)

    def queries_of_closing(date_to: date) -> int:
        with CaptureQueriesContext(connection) as queries:
            period_close(actor=office_user, date_from=FROM, date_to=date_to, as_of=TODAY)
        return len(queries)

    world_of(3, "A")
    small = queries_of_closing(date(2026, 6, 30))
    world_of(27, "B")
    large = queries_of_closing(date(2026, 7, 31))
    for code in ("T-MORE-1", "T-MORE-2", "T-MORE-3"):
        scoring_rule_create(data={**model_to_dict(rules[0], fields=RULE_FIELDS), "code": code})
    more_rules = queries_of_closing(date(2026, 8, 31))
    assert small == large == more_rules
    period = Period.objects.get(to_date=date(2026, 8, 31))
    assert period.indicators.count() == 30
    assert period.scores.count() == 30 * ScoringRule.objects.filter(year=2026).count() >= 30 * 5


# --- the command and the admin -------------------------------------------------------------


def test_the_close_period_command(world, capsys):
    call_command("close_period", "--from", "2026-10-01", "--to", "2026-10-31", "--user", "office")
    period = Period.objects.get()
    assert (period.from_date, period.to_date, period.as_of) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        TODAY,
    )
    assert period.closed_by == world.office
    assert f"Period {period.pk} closed" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already closed"):
        call_command(
            "close_period", "--from", "2026-10-01", "--to", "2026-10-31", "--user", "office"
        )
    UserFactory(role=Role.LEADER, username="lanhdao")
    with pytest.raises(CommandError, match="not an office user"):
        call_command(
            "close_period", "--from", "2026-09-01", "--to", "2026-09-30", "--user", "lanhdao"
        )
    with pytest.raises(CommandError, match="No active user"):
        call_command("close_period", "--from", "2026-09-01", "--to", "2026-09-30", "--user", "ai")
    with pytest.raises(CommandError, match="Not a date"):
        call_command(
            "close_period", "--from", "2026-09-31", "--to", "2026-09-30", "--user", "office"
        )
    assert Period.objects.count() == 1


@pytest.fixture
def admin_client(world: World) -> Client:
    user = world.office
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client


def test_the_period_admin_is_read_only_and_reopens_with_a_reason(admin_client, world):
    period = close(world)
    assert admin_client.get("/admin/tracker/period/").status_code == 200
    page = admin_client.get(f"/admin/tracker/period/{period.pk}/change/")
    assert page.status_code == 200
    assert "SYT" in page.content.decode()  # the published rows are listed
    assert admin_client.get("/admin/tracker/period/add/").status_code == 403
    assert admin_client.get(f"/admin/tracker/period/{period.pk}/delete/").status_code == 403
    changelist = "/admin/tracker/period/"
    action = {"action": "reopen_periods", "_selected_action": [period.pk]}
    admin_client.post(changelist, {**action, "reason": "  "})
    period.refresh_from_db()
    assert period.is_closed
    response = admin_client.post(changelist, {**action, "reason": "Sai số liệu Sở Y tế"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.reopen_reason, period.reopened_by) == ("Sai số liệu Sở Y tế", world.office)
    again = admin_client.post(changelist, {**action, "reason": "Lần hai"}, follow=True)
    assert again.status_code == 200
    period.refresh_from_db()
    assert period.reopen_reason == "Sai số liệu Sở Y tế"


def test_the_scoring_rule_admin_validates_like_the_api(admin_client):
    url = "/admin/tracker/scoringrule/add/"
    assert admin_client.get(url).status_code == 200
    form = {
        "code": "ADMIN-1",
        "name": "Quy tắc nhập từ trang quản trị",
        "year": "2027",
        "metric": "on_time_rate",
        "max_points": "5",
        "when_no_tasks": "full",
    }
    not_json = admin_client.post(url, {**form, "bands": "[{min_rate: 0.9}"})
    assert not_json.status_code == 200
    assert not ScoringRule.objects.filter(code="ADMIN-1").exists()
    too_many_points = admin_client.post(url, {**form, "bands": '[{"min_rate": 0.9, "points": 6}]'})
    assert "không được vượt quá điểm tối đa" in too_many_points.content.decode()  # vi admin
    assert not ScoringRule.objects.filter(code="ADMIN-1").exists()
    created = admin_client.post(
        url, {**form, "bands": '[{"min_rate": 0.5, "points": 1}, {"min_rate": 1, "points": 5.0}]'}
    )
    assert created.status_code == 302
    rule = ScoringRule.objects.get(code="ADMIN-1")
    assert rule.bands == [
        {"min_rate": 1.0, "points": 5, "strict": False},
        {"min_rate": 0.5, "points": 1, "strict": False},
    ]
    taken = admin_client.post(url, {**form, "code": "admin-1", "bands": "[]"})
    assert "Đã có tiêu chí chấm điểm mã admin-1 cho năm 2027" in taken.content.decode()
    change = f"/admin/tracker/scoringrule/{rule.pk}/change/"
    edited = admin_client.post(change, {**form, "max_points": "6", "bands": "[]"})
    assert edited.status_code == 302
    rule.refresh_from_db()
    assert (rule.max_points, rule.bands) == (6, [])
