"""Periods kept final: the database refusing to change published figures, concurrent closes
and reopenings, and the number of queries of a close.

Time is fixed (config.common.clock through settings.CLOCK_FILE) at 2026-11-21, 10:00 local.
The world and the helpers are in tests/tracker/period_support.py."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from config.common.errors import TransitionNotAllowed
from tests.factories import DepartmentFactory, TaskFactory
from tests.race import run_behind
from tests.tracker import period_support
from tests.tracker.period_support import FROM, TO, TODAY, close
from tracker.models import Period, PublishedIndicator, PublishedScore, ScoringRule
from tracker.services.periods import period_close, period_reopen
from tracker.services.scoring import RULE_FIELDS, scoring_rule_create

pytestmark = pytest.mark.django_db


world = period_support.world


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
