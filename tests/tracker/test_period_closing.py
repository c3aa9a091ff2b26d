"""Closing and reopening periods: what a close publishes, that a closed period's answers do
not move when tasks and rules change afterwards, and reopening (audited, once).

Time is fixed (config.common.clock through settings.CLOCK_FILE) at 2026-11-21, 10:00 local.
The world and the helpers are in tests/tracker/period_support.py."""

from datetime import date, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from config.common.errors import TransitionNotAllowed
from tests.conftest import client_for
from tests.factories import TaskFactory
from tests.tracker import period_support
from tests.tracker.period_support import FROM, LOCAL, TO, TODAY, URL, World, close, complete
from tracker.models import (
    BUCKET_COUNTS,
    Department,
    Period,
    PublishedIndicator,
    PublishedScore,
    ScoringRule,
)
from tracker.selectors.indicators import computed_counts, indicator_report
from tracker.selectors.scoring import leadership_score, score
from tracker.services import lifecycle
from tracker.services.periods import period_reopen
from tracker.services.scoring import scoring_rule_update

pytestmark = pytest.mark.django_db


world = period_support.world


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
    return {row.department.code: row.counts.stored() for row in indicators.rows}


def live_counts() -> dict[str, dict[str, int]]:
    counts = computed_counts(FROM, TO, TODAY, Department.objects.all())
    return {
        department.code: counts[department.pk].stored() if department.pk in counts else None
        for department in Department.objects.all()
    }


STORED = (*BUCKET_COUNTS, "due")  # what a published row keeps


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
        row.department.code: {name: getattr(row, name) for name in STORED}
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
        "due": 4,
    }
    assert published["XA"] == dict.fromkeys(STORED, 0)
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
    assert score(edited, report(date(2026, 11, 20)).rows[1].counts, []).points == 10


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
        code: counts or dict.fromkeys(STORED, 0) for code, counts in live_counts().items()
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


def test_closing_analyzes_the_published_tables_once_it_commits(
    world, rules, django_capture_on_commit_callbacks
):
    with connection.cursor() as cursor:  # the statistics of empty tables, whatever ran before
        cursor.execute("ANALYZE tracker_publishedindicator, tracker_publishedscore")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        close(world)
    analyze = [callback for callback in pending if callback.__name__ == "analyze"]
    assert len(analyze) == 1
    analyze[0]()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('tracker_publishedindicator', 'tracker_publishedscore')"
        )
        planned = dict(cursor.fetchall())
    assert planned == {
        "tracker_publishedindicator": PublishedIndicator.objects.count(),
        "tracker_publishedscore": PublishedScore.objects.count(),
    }
