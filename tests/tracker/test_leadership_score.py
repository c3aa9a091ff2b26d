"""GET /api/v1/leadership-score/ (API.md "Leadership score"): a scoring rule's bands applied
to each department's rate (judged exact, not rounded), not applicable or full points
without a judged task, the rule's version by year, the parameters, who reads what, and a
closed period's published points."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from tests.conftest import client_for
from tests.factories import DepartmentFactory
from tests.tracker.indicator_support import (
    FROM,
    SCORE_URL,
    TO,
    Builder,
    Story,
    example_rules,
    params,
    row_of,
    stable_id,
)
from tracker.models import Department, ScoringRule
from tracker.selectors.counts import Counts
from tracker.selectors.scoring import score
from tracker.services.periods import period_close
from tracker.services.scoring import scoring_rule_create, scoring_rule_update

pytestmark = pytest.mark.django_db

D = dt.date
ASSIGNED, DEADLINE = D(2026, 3, 2), D(2026, 4, 30)
ON_TIME, LATE = D(2026, 4, 10), D(2026, 5, 10)


@pytest.fixture
def rules() -> dict[str, ScoringRule]:
    return example_rules(2026)


def record(builder: Builder, department: Department, on_time: int, late: int, overdue: int) -> None:
    for _ in range(on_time):
        builder.task(department, Story(ASSIGNED, DEADLINE, completed_on=ON_TIME))
    for _ in range(late):
        builder.task(department, Story(ASSIGNED, DEADLINE, completed_on=LATE))
    for _ in range(overdue):
        builder.task(department, Story(ASSIGNED, DEADLINE))


@pytest.fixture
def world(builder: Builder, rules, department, other_department) -> dict[str, Department]:
    """SYT: 10 of 10 on time. STC: 9 on time, 1 overdue (on-time and completion rate exactly
    0.9). SXD: 7 on time, 2 late, 1 overdue (0.7 on time, 0.9 completed). SNV: no task."""
    sxd = DepartmentFactory(code="SXD", name="Sở Xây dựng")
    snv = DepartmentFactory(code="SNV", name="Sở Nội vụ")
    record(builder, department, 10, 0, 0)
    record(builder, other_department, 9, 0, 1)
    record(builder, sxd, 7, 2, 1)
    return {"SYT": department, "STC": other_department, "SXD": sxd, "SNV": snv}


def get(user, language: str = "en", **extra: Any):
    return client_for(user, language).get(SCORE_URL, params(**extra))


def scores(data: dict[str, Any]) -> dict[str, tuple]:
    return {
        row["department"]["code"]: (row["metric_value"], row["points"], row["applicable"])
        for row in data["departments"]
    }


def test_the_ten_point_rule(world, office_user, rules):
    response = get(office_user, rule="PAR-TASKS-10")
    assert response.status_code == 200
    data = response.json()
    assert data["rule"] == {
        "code": "PAR-TASKS-10",
        "name": rules["PAR-TASKS-10"].name,
        "metric": "on_time_rate",
        "max_points": 10,
        "year": 2026,
    }
    assert {k: data[k] for k in ("from", "to", "as_of", "frozen", "period")} == {
        "from": "2026-01-01",
        "to": "2026-12-31",
        "as_of": "2026-11-21",
        "frozen": False,
        "period": None,
    }
    assert [row["department"]["code"] for row in data["departments"]] == [
        "SNV",
        "STC",
        "SXD",
        "SYT",
    ]
    assert scores(data) == {
        "SYT": (1.0, 10, True),
        "STC": (0.9, 8, True),  # exactly 0.9 reaches the ≥ 0.9 band
        "SXD": (0.7, 4, True),
        "SNV": (None, None, False),  # no judged task: not applicable
    }
    assert row_of(data, "SNV")["department"] == {
        "id": world["SNV"].pk,
        "code": "SNV",
        "name": "Sở Nội vụ",
    }


def test_a_strict_band_is_not_reached_by_its_own_threshold(world, office_user):
    # PAR-TASKS-2 on the completion rate: > 0.9 → 2, ≥ 0.7 → 1.
    data = get(office_user, rule="PAR-TASKS-2").json()
    assert data["rule"]["metric"] == "completion_rate" and data["rule"]["max_points"] == 2
    assert scores(data) == {
        "SYT": (1.0, 2, True),
        "STC": (0.9, 1, True),
        "SXD": (0.9, 1, True),
        "SNV": (None, None, False),
    }


def test_the_exact_rate_is_judged_not_the_rounded_one(rules):
    """17,999 of 20,000 on time is 0.89995: shown as 0.9000, it does not reach ≥ 0.9."""
    below = Counts(assigned=20000, completed_on_time=17999, completed_late=2001)
    result = score(rules["PAR-TASKS-10"], below, [])
    assert result.metric_value == Decimal("0.9000")
    assert result.points == 6
    exact = Counts(assigned=20000, completed_on_time=18000, completed_late=2000)
    assert score(rules["PAR-TASKS-10"], exact, []).points == 8
    # The strict band (> 0.9): 18,001 of 20,000 completed (0.90005) is above it.
    above = Counts(assigned=20000, completed_on_time=18001, open_overdue=1999)
    assert score(rules["PAR-TASKS-2"], above, []).points == 2


def test_full_points_without_a_judged_task_and_points_that_are_not_whole(world, office_user):
    scoring_rule_create(
        data={
            "code": "HALF",
            "name": "Nửa điểm",
            "year": 2026,
            "metric": "assigned_on_time_rate",
            "max_points": Decimal("7.5"),
            "bands": [{"min_rate": 0.95, "points": 7.5}, {"min_rate": 0.5, "points": 2.25}],
            "when_no_tasks": "full",
        }
    )
    data = get(office_user, rule="HALF").json()
    assert data["rule"]["max_points"] == 7.5
    assert scores(data) == {
        "SYT": (1.0, 7.5, True),
        "STC": (0.9, 2.25, True),
        "SXD": (0.7, 2.25, True),
        "SNV": (None, 7.5, True),  # no judged task: full points
    }


def test_the_year_picks_the_rules_version_and_defaults_to_the_year_of_to(world, office_user):
    scoring_rule_create(
        data={
            "code": "PAR-TASKS-10",
            "name": "Phiên bản 2025",
            "year": 2025,
            "metric": "on_time_rate",
            "max_points": Decimal(5),
            "bands": [{"min_rate": 0.9, "points": 5}],
            "when_no_tasks": "not_applicable",
        }
    )
    default = get(office_user, rule="PAR-TASKS-10").json()
    assert default["rule"]["year"] == 2026 and default["rule"]["max_points"] == 10
    older = get(office_user, rule="PAR-TASKS-10", year=2025).json()
    assert older["rule"] == {
        "code": "PAR-TASKS-10",
        "name": "Phiên bản 2025",
        "metric": "on_time_rate",
        "max_points": 5,
        "year": 2025,
    }
    assert scores(older)["STC"] == (0.9, 5, True)
    assert scores(older)["SXD"] == (0.7, 0, True)  # no band reached: 0 points


BAD = [
    ({"rule": None}, {"rule"}),
    ({"rule": "XXX"}, {"rule"}),
    ({"rule": "PAR-TASKS-10", "year": 2024}, {"rule"}),
    ({"rule": "PAR-TASKS-10", "to": "2027-03-31"}, {"rule"}),  # no 2027 version
    ({"rule": "PAR-TASKS-10", "year": "năm nay"}, {"year"}),
    ({"rule": "PAR-TASKS-10", "year": 1999}, {"year"}),
    ({"rule": "x" * 33}, {"rule"}),
    ({"rule": "PAR-TASKS-10", "from": None, "as_of": "2030-01-01"}, {"from", "as_of"}),
    ({"rule": "XXX", "from": "2026-12-01", "as_of": "2026-11-01"}, {"rule", "as_of"}),
    ({"rule": "PAR-TASKS-10", "department": "XXX"}, {"department"}),
]


@pytest.mark.parametrize(("extra", "failing"), BAD, ids=stable_id)
def test_bad_parameters_are_400_naming_each_failing_one(world, office_user, extra, failing):
    response = get(office_user, **extra)
    assert response.status_code == 400, response.content
    assert set(response.json()) == failing


def test_an_unknown_rule_in_english_and_in_vietnamese(world, office_user):
    message = "There is no scoring rule “%(code)s” for %(year)s."
    english = get(office_user, "en", rule="XXX")
    assert english.json() == {"rule": [message % {"code": "XXX", "year": 2026}]}
    vietnamese = get(office_user, "vi", rule="XXX")
    assert vietnamese["Content-Language"] == "vi"
    with translation.override("vi"):
        expected = translation.gettext(message) % {"code": "XXX", "year": 2026}
    assert vietnamese.json() == {"rule": [expected]}
    missing = get(office_user, "vi", rule=None).json()["rule"]
    assert missing != ["This field is required."]


def test_who_reads_what(world, office_user, leader_user, scoring_user, officer, head):
    everything = get(office_user, rule="PAR-TASKS-10").json()
    for user in (leader_user, scoring_user):
        assert get(user, rule="PAR-TASKS-10").json() == everything
    for user in (officer, head):
        own = get(user, rule="PAR-TASKS-10").json()
        assert own["departments"] == [row_of(everything, "SYT")]
        assert get(user, rule="PAR-TASKS-10", department="STC").status_code == 403
    assert client_for(None).get(SCORE_URL, params(rule="PAR-TASKS-10")).status_code == 401


def test_a_closed_period_answers_with_its_published_points(world, builder, office_user, rules):
    before = get(office_user, rule="PAR-TASKS-10", as_of="2026-11-01").json()
    period = period_close(actor=office_user, date_from=FROM, date_to=TO, as_of=D(2026, 11, 1))
    # Afterwards the rule gets harder and STC completes its overdue task late.
    rule = rules["PAR-TASKS-10"]
    scoring_rule_update(rule=rule, data={"bands": [{"min_rate": 1.0, "points": 10}]})
    record(builder, world["STC"], 0, 3, 0)
    frozen = get(office_user, rule="PAR-TASKS-10", as_of=None).json()
    assert frozen["frozen"] is True and frozen["period"] == period.pk
    assert frozen["as_of"] == "2026-11-01"
    assert frozen["departments"] == before["departments"]
    live = get(office_user, rule="PAR-TASKS-10", as_of="2026-11-02").json()
    assert live["frozen"] is False
    assert scores(live)["STC"] == (0.6923, 0, True)  # 9 of 13, and only 1.0 scores now
