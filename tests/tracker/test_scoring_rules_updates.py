"""Scoring rules: full updates (PUT), filters, the service validating like the API, and the
code unique within its year even when two requests race for it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.race import run_behind
from tests.tracker import scoring_rule_support
from tests.tracker.scoring_rule_support import URL, payload
from tracker.models import ScoringRule
from tracker.services.scoring import scoring_rule_create

pytestmark = pytest.mark.django_db


office = scoring_rule_support.office


# --- PUT: a full update ------------------------------------------------------------------


def test_put_replaces_every_field(office, rule):
    new = payload(
        code="KEEP-2",
        name="Đổi tên",
        year=2032,
        metric="completion_rate",
        max_points=3,
        bands=[{"min_rate": 0.75, "points": 3}],
        when_no_tasks="not_applicable",
    )
    response = office.put(f"{URL}{rule.pk}/", new, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        **new,
        "id": rule.pk,
        "bands": [{"min_rate": 0.75, "points": 3, "strict": False}],
    }
    rule.refresh_from_db()
    assert (rule.code, rule.year, rule.metric, rule.max_points) == (
        "KEEP-2",
        2032,
        "completion_rate",
        Decimal("3.00"),
    )


def test_put_keeping_its_own_code_is_fine_and_taking_another_is_400(office, rule):
    scoring_rule_create(data=payload(code="OTHER", year=2030))
    same = office.put(
        f"{URL}{rule.pk}/", payload(code="KEEP", year=2030, name="Mới"), format="json"
    )
    assert same.status_code == 200, same.json()
    taken = office.put(f"{URL}{rule.pk}/", payload(code="OTHER", year=2030), format="json")
    assert taken.status_code == 400
    assert set(taken.json()) == {"code"}
    assert ScoringRule.objects.get(pk=rule.pk).code == "KEEP"


def test_put_is_not_partial(office, rule):
    response = office.put(f"{URL}{rule.pk}/", {"name": "Chỉ tên"}, format="json")
    assert response.status_code == 400
    assert {"code", "year", "metric", "max_points", "bands", "when_no_tasks"} <= set(
        response.json()
    )
    assert ScoringRule.objects.get(pk=rule.pk).name == "Quy tắc thử nghiệm"


def test_put_checks_points_against_the_new_maximum(office, rule):
    response = office.put(
        f"{URL}{rule.pk}/", payload(code="KEEP", year=2030, max_points=5), format="json"
    )
    assert response.status_code == 400
    assert response.json()["bands"] == [
        "Band 2: “points” cannot exceed the rule's maximum points (5)."
    ]


def test_unknown_rule_is_404(office):
    assert office.get(f"{URL}999999/").status_code == 404
    assert office.put(f"{URL}999999/", payload(), format="json").status_code == 404


# --- filters -------------------------------------------------------------------------------


def test_filters_by_year_and_code(office, rule):
    scoring_rule_create(data=payload(code="KEEP", year=2031))
    scoring_rule_create(data=payload(code="OTHER", year=2031))
    by_year = office.get(URL, {"year": 2031}).json()["results"]
    assert sorted(item["code"] for item in by_year) == ["KEEP", "OTHER"]
    by_code = office.get(URL, {"code": "keep"}).json()["results"]
    assert sorted(item["year"] for item in by_code) == [2030, 2031]
    both = office.get(URL, {"code": "KEEP", "year": 2030}).json()["results"]
    assert [item["id"] for item in both] == [rule.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "2030.5"}, "year"),
        ({"year": "1999"}, "year"),
        ({"year": "9" * 30}, "year"),
        ({"code": "X" * 33}, "code"),
    ],
)
def test_bad_filters_are_a_400_naming_them(office, query, field):
    response = office.get(URL, query)
    assert response.status_code == 400
    assert field in response.json()


# --- the service ---------------------------------------------------------------------------


def test_the_service_validates_like_the_api():
    with pytest.raises(ValidationError) as caught:
        scoring_rule_create(data=payload(bands=[{"min_rate": 2, "points": 1}], metric="speed"))
    assert set(caught.value.message_dict) == {"bands", "metric"}
    assert not ScoringRule.objects.filter(code="TEST-7").exists()


@pytest.mark.django_db(transaction=True)
def test_a_code_taken_by_a_concurrent_request_is_a_400_not_a_500():
    """The other request inserted the code after this one's check: the unique index makes
    this insert wait for the other transaction, then refuse; the refusal is a 400."""
    _result, error = run_behind(
        "INSERT INTO tracker_scoringrule (code, name, year, metric, max_points, bands, "
        "when_no_tasks, updated_at) VALUES ('RACE', 'x', 2033, 'on_time_rate', 1, '[]', "
        "'full', now())",
        [],
        lambda: scoring_rule_create(data=payload(code="RACE", year=2033)),
    )
    assert isinstance(error, ValidationError), error
    assert set(error.message_dict) == {"code"}
    assert ScoringRule.objects.filter(code="RACE", year=2033).count() == 1
