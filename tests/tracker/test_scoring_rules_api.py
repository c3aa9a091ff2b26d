"""Scoring rules: the example rules the migration installs, and the API (who reads, who
writes, creation, the validation of bands shared by the API and the admin, the code unique
within its year)."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db.migrations.recorder import MigrationRecorder

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.tracker import scoring_rule_support
from tests.tracker.scoring_rule_support import URL, payload
from tracker.models import Role, ScoringRule
from tracker.selectors.tasks import local_today

pytestmark = pytest.mark.django_db


office = scoring_rule_support.office


EXAMPLES = "tracker.migrations.0008_example_scoring_rules"


# --- the example rules ---------------------------------------------------------------------


def test_the_migration_installed_the_two_example_rules_for_the_current_year(office):
    assert MigrationRecorder.Migration.objects.filter(
        app="tracker", name="0008_example_scoring_rules"
    ).exists()
    year = local_today().year
    if not ScoringRule.objects.filter(year=year).exists():
        # A transactional test elsewhere flushed the tables: installed again, by the migration.
        importlib.import_module(EXAMPLES).install(django_apps, None)
    response = office.get(URL, {"year": year})
    assert response.status_code == 200
    rules = {rule["code"]: rule for rule in response.json()["results"]}
    assert set(rules) == {"PAR-TASKS-10", "PAR-TASKS-2"}
    ten, two = rules["PAR-TASKS-10"], rules["PAR-TASKS-2"]
    assert (ten["metric"], ten["max_points"], ten["when_no_tasks"], ten["year"]) == (
        "on_time_rate",
        10,
        "not_applicable",
        year,
    )
    # 100 % → 10; ≥ 90 % → 8; ≥ 80 % → 6; ≥ 70 % → 4; otherwise 0 (DOMAIN.md).
    assert ten["bands"] == [
        {"min_rate": 1.0, "points": 10, "strict": False},
        {"min_rate": 0.9, "points": 8, "strict": False},
        {"min_rate": 0.8, "points": 6, "strict": False},
        {"min_rate": 0.7, "points": 4, "strict": False},
    ]
    # > 90 % → 2; ≥ 70 % → 1; otherwise 0.
    assert (two["metric"], two["max_points"], two["when_no_tasks"]) == (
        "completion_rate",
        2,
        "not_applicable",
    )
    assert two["bands"] == [
        {"min_rate": 0.9, "points": 2, "strict": True},
        {"min_rate": 0.7, "points": 1, "strict": False},
    ]
    assert b'"max_points":10,' in response.content  # a JSON integer, not 10.0 or "10.00"


# --- reading and writing -------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICE, Role.LEADER, Role.SCORING, "department"])
def test_the_indicators_audience_reads_the_rules(role, rule, department):
    if role == "department":
        user = UserFactory(role=Role.DEPARTMENT_OFFICER, department=department)
    else:
        user = UserFactory(role=role)
    client = client_for(user)
    listed = client.get(URL, {"year": 2030})
    assert listed.status_code == 200
    assert [item["code"] for item in listed.json()["results"]] == ["KEEP"]
    detail = client.get(f"{URL}{rule.pk}/")
    assert detail.status_code == 200
    assert detail.json() == {
        "id": rule.pk,
        "code": "KEEP",
        "name": "Quy tắc thử nghiệm",
        "year": 2030,
        "metric": "on_time_rate",
        "max_points": 7.5,
        "bands": [
            {"min_rate": 1.0, "points": 7.5, "strict": False},
            {"min_rate": 0.8, "points": 5, "strict": True},
            {"min_rate": 0.5, "points": 2, "strict": False},
        ],
        "when_no_tasks": "full",
    }


def test_anonymous_callers_get_401(rule):
    client = client_for(None)
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}{rule.pk}/").status_code == 401
    assert client.post(URL, payload(), format="json").status_code == 401
    assert client.put(f"{URL}{rule.pk}/", payload(), format="json").status_code == 401


@pytest.mark.parametrize("role", [Role.LEADER, Role.SCORING, Role.DEPARTMENT_HEAD])
def test_only_the_office_writes(role, rule, department):
    user = UserFactory(role=role, department=department if role == Role.DEPARTMENT_HEAD else None)
    client = client_for(user)
    assert client.post(URL, payload(), format="json").status_code == 403
    response = client.put(f"{URL}{rule.pk}/", payload(code="KEEP", year=2030), format="json")
    assert response.status_code == 403
    assert not ScoringRule.objects.filter(code="TEST-7").exists()
    assert ScoringRule.objects.get(pk=rule.pk).when_no_tasks == "full"


def test_a_superuser_writes_like_the_office():
    user = UserFactory(role=Role.LEADER)
    user.is_superuser = True
    user.save()
    response = client_for(user).post(URL, payload(), format="json")
    assert response.status_code == 201, response.json()


def test_there_is_no_delete_nor_patch(office, rule):
    assert office.delete(f"{URL}{rule.pk}/").status_code == 405
    assert office.patch(f"{URL}{rule.pk}/", {"name": "x"}, format="json").status_code == 405
    assert ScoringRule.objects.filter(pk=rule.pk, name="Quy tắc thử nghiệm").exists()


def test_create_stores_the_bands_normalized(office):
    response = office.post(URL, payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    stored = ScoringRule.objects.get(pk=body["id"])
    expected = [
        {"min_rate": 1.0, "points": 7.5, "strict": False},
        {"min_rate": 0.8, "points": 5, "strict": True},
        {"min_rate": 0.5, "points": 2, "strict": False},
    ]
    assert stored.bands == expected
    assert body["bands"] == expected
    assert body["max_points"] == 7.5
    assert stored.max_points == Decimal("7.50")
    assert b'"points":5,' in response.content  # 5.0 given, a whole number answered


def test_empty_bands_and_a_strict_and_plain_band_at_the_same_threshold_are_allowed(office):
    empty = office.post(URL, payload(code="EMPTY", bands=[]), format="json")
    assert empty.status_code == 201, empty.json()
    assert empty.json()["bands"] == []
    both = office.post(
        URL,
        payload(
            code="BOTH",
            bands=[
                {"min_rate": 0.9, "points": 1, "strict": False},
                {"min_rate": 0.9, "points": 2, "strict": True},
            ],
        ),
        format="json",
    )
    assert both.status_code == 201, both.json()
    assert [band["strict"] for band in both.json()["bands"]] == [True, False]


BAD_BANDS = [
    ({"min_rate": 0.9, "points": 1}, "Enter a list of bands."),
    ([0.9], "Band 1: enter an object"),
    ([{"points": 1}], "Band 1: “min_rate” is required."),
    ([{"min_rate": 0.9}], "Band 1: “points” is required."),
    ([{"min_rate": 0.9, "points": 1, "colour": "red"}], "Band 1: unknown key “colour”"),
    ([{"min_rate": 1.5, "points": 1}], "Band 1: “min_rate” must be a number from 0 to 1."),
    ([{"min_rate": -0.1, "points": 1}], "Band 1: “min_rate” must be a number from 0 to 1."),
    ([{"min_rate": "0.9", "points": 1}], "Band 1: “min_rate” must be a number from 0 to 1."),
    ([{"min_rate": True, "points": 1}], "Band 1: “min_rate” must be a number from 0 to 1."),
    ([{"min_rate": 0.9, "points": -1}], "Band 1: “points” must be a number of at least 0"),
    ([{"min_rate": 0.9, "points": 1.234}], "Band 1: “points” must be a number of at least 0"),
    ([{"min_rate": 0.9, "points": 10**30}], "Band 1: “points” must be a number of at least 0"),
    ([{"min_rate": 0.9, "points": 8}], "Band 1: “points” cannot exceed the rule's maximum"),
    ([{"min_rate": 0.9, "points": 1, "strict": "yes"}], "Band 1: “strict” must be true or false."),
    (
        [{"min_rate": 0.9, "points": 2}, {"min_rate": 0.9, "points": 1, "strict": False}],
        "Band 2: band 1 already has this “min_rate” and “strict”.",
    ),
    (
        [{"min_rate": 0.9, "points": 2}, {"min_rate": 0.7, "points": 3}],
        "Band 2: a lower threshold cannot give more points than band 1.",
    ),
    ([{"min_rate": i / 100, "points": 1} for i in range(21)], "Enter at most 20 bands."),
]


@pytest.mark.parametrize(("bands", "message"), BAD_BANDS)
def test_bad_bands_are_a_400_naming_the_band_and_its_problem(office, bands, message):
    response = office.post(URL, payload(bands=bands), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"bands"}
    assert any(text.startswith(message) for text in errors["bands"]), errors
    assert not ScoringRule.objects.filter(code="TEST-7").exists()


def test_every_bad_band_is_named_at_once(office):
    bands = [{"min_rate": 2, "points": 1}, {"min_rate": 0.5}, {"min_rate": 0.4, "points": 99}]
    response = office.post(URL, payload(bands=bands), format="json")
    assert response.status_code == 400
    messages = response.json()["bands"]
    assert [text.split(":")[0] for text in messages] == ["Band 1", "Band 2", "Band 3"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": ""}, "code"),
        ({"code": "PAR TASKS"}, "code"),
        ({"code": "X" * 33}, "code"),
        ({"name": ""}, "name"),
        ({"year": 1999}, "year"),
        ({"year": "năm nay"}, "year"),
        ({"metric": "speed"}, "metric"),
        ({"max_points": -1}, "max_points"),
        ({"max_points": 10**30}, "max_points"),
        ({"max_points": "7.555"}, "max_points"),
        ({"when_no_tasks": "zero"}, "when_no_tasks"),
    ],
)
def test_bad_fields_are_a_400_naming_them(office, overrides, field):
    response = office.post(URL, payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ScoringRule.objects.filter(name="Quy tắc thử nghiệm").exists()


def test_missing_fields_are_each_named(office):
    response = office.post(URL, {"code": "X"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {
        "name",
        "year",
        "metric",
        "max_points",
        "bands",
        "when_no_tasks",
    }


def test_a_code_is_unique_within_its_year_only(office, rule):
    taken = office.post(URL, payload(code="KEEP", year=2030), format="json")
    assert taken.status_code == 400
    assert set(taken.json()) == {"code"}
    assert "KEEP" in taken.json()["code"][0]
    other_case = office.post(URL, payload(code="keep", year=2030), format="json")
    assert other_case.status_code == 400
    assert set(other_case.json()) == {"code"}
    next_year = office.post(URL, payload(code="KEEP", year=2031), format="json")
    assert next_year.status_code == 201, next_year.json()
    assert ScoringRule.objects.filter(code="KEEP").count() == 2
