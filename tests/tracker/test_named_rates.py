"""The office's named rates (`/api/v1/named-rates/`, the admin): a sum of counts over a sum
of counts per year, shown under its code in the indicators and usable as a scoring rule's
metric; every bad field a 400 naming it; a rate a rule uses keeps its code."""

import datetime as dt
from typing import Any

import pytest

from tests.conftest import client_for
from tests.tracker.indicator_support import URL, Builder, Story, params, row_of
from tracker.models import NamedRate

pytestmark = pytest.mark.django_db

RATES = "/api/v1/named-rates/"
RULES = "/api/v1/scoring-rules/"
D = dt.date


def rate_body(**changes: Any) -> dict[str, Any]:
    body = {
        "code": "HT-DUNG-HAN",
        "name": "Tỷ lệ hoàn thành đúng và trước hạn trên số đến hạn",
        "year": 2026,
        "numerator": ["completed_on_time"],
        "denominator": ["due"],
    }
    return body | changes


def rule_body(**changes: Any) -> dict[str, Any]:
    body = {
        "code": "HT-2",
        "name": "Hoàn thành đúng hạn (2 điểm)",
        "year": 2026,
        "metric": "HT-DUNG-HAN",
        "max_points": 2,
        "bands": [{"min_rate": 0.9, "points": 2, "strict": True}],
        "when_no_tasks": "not_applicable",
    }
    return body | changes


def test_the_office_defines_a_rate_and_the_indicators_answer_it(
    builder: Builder, office_user, leader_user, department
):
    office = client_for(office_user)
    created = office.post(RATES, rate_body(), format="json")
    assert created.status_code == 201, created.json()
    assert created.json() == {"id": created.json()["id"], **rate_body()}
    story = {"assigned_on": D(2026, 3, 2), "deadline": D(2026, 4, 30)}
    for completed_on in (D(2026, 4, 10), D(2026, 4, 30), D(2026, 5, 4)):
        builder.task(department, Story(**story, completed_on=completed_on))
    builder.task(department, Story(D(2026, 3, 2), D(2026, 12, 31)))  # not yet due
    data = client_for(leader_user).get(URL, params()).json()
    assert row_of(data, department.code)["named_rates"]["HT-DUNG-HAN"] == 0.6667  # 2 of 3 due
    assert data["rate_definitions"][-1] == {
        "code": "HT-DUNG-HAN",
        "name": "Tỷ lệ hoàn thành đúng và trước hạn trên số đến hạn",
        "numerator": ["completed_on_time"],
        "denominator": ["due"],
        "built_in": False,
    }
    # Another year's indicators do not list it.
    other_year = client_for(leader_user).get(
        URL, {"from": "2025-01-01", "to": "2025-12-31", "as_of": "2025-12-31"}
    )
    assert "HT-DUNG-HAN" not in {d["code"] for d in other_year.json()["rate_definitions"]}
    # Leaders read, only the office writes.
    assert client_for(leader_user).get(RATES).json()["results"][0]["code"] == "HT-DUNG-HAN"
    assert (
        client_for(leader_user).post(RATES, rate_body(code="X"), format="json").status_code == 403
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"numerator": ["completed_soon"]}, {"0": ['"completed_soon" is not a valid choice.']}),
        ({"denominator": []}, ["Ensure this field has at least 1 elements."]),
        ({"numerator": "due"}, ['Expected a list of items but got type "str".']),
        ({"code": "on_time_rate"}, ["on_time_rate is the code of a built-in rate."]),
        ({"code": "EARLY_OF_DUE"}, ["EARLY_OF_DUE is the code of a built-in rate."]),
        ({"code": "a b"}, ["This value does not match the required pattern."]),
        ({"year": 1999}, ["Ensure this value is greater than or equal to 2000."]),
        ({"name": ""}, ["This field may not be blank."]),
    ],
)
def test_every_bad_field_is_named(office_user, changes, errors):
    response = client_for(office_user).post(RATES, rate_body(**changes), format="json")
    assert response.status_code == 400
    [(field, _value)] = changes.items()
    assert response.json() == {field: errors}
    assert not NamedRate.objects.exists()


def test_a_code_is_unique_in_its_year_ignoring_case(office_user):
    office = client_for(office_user)
    assert office.post(RATES, rate_body(), format="json").status_code == 201
    again = office.post(RATES, rate_body(code="ht-dung-han"), format="json")
    assert again.status_code == 400
    assert again.json()["code"] == [
        "A named rate with the code ht-dung-han already exists for 2026."
    ]
    assert office.post(RATES, rate_body(year=2027), format="json").status_code == 201


def test_errors_in_vietnamese(office_user):
    response = client_for(office_user, "vi").post(
        RATES, rate_body(code="late_of_due"), format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == ["late_of_due là mã của một tỷ lệ có sẵn."]


def test_a_scoring_rule_takes_a_named_rate_of_its_year_and_keeps_it(office_user):
    office = client_for(office_user)
    unknown = office.post(RULES, rule_body(), format="json")
    assert unknown.status_code == 400
    assert unknown.json()["metric"] == [
        "“HT-DUNG-HAN” is neither a built-in rate nor a named rate of 2026."
    ]
    rate = office.post(RATES, rate_body(), format="json").json()
    assert office.post(RULES, rule_body(), format="json").status_code == 201
    assert (
        office.post(RULES, rule_body(code="B", metric="late_of_due"), format="json").status_code
        == 201
    )
    # Used by a rule: neither renamed nor deleted.
    renamed = office.put(f"{RATES}{rate['id']}/", rate_body(code="KHAC"), format="json")
    assert renamed.status_code == 400
    assert renamed.json()["code"] == ["The scoring rules HT-2 of 2026 use the rate HT-DUNG-HAN."]
    deleted = office.delete(f"{RATES}{rate['id']}/")
    assert deleted.status_code == 400 and NamedRate.objects.filter(pk=rate["id"]).exists()
    # Its definition may change (the rule judges with it from then on).
    changed = office.put(
        f"{RATES}{rate['id']}/", rate_body(denominator=["assigned"]), format="json"
    )
    assert changed.status_code == 200 and changed.json()["denominator"] == ["assigned"]


def test_an_unused_rate_is_deleted(office_user):
    office = client_for(office_user)
    rate = office.post(RATES, rate_body(), format="json").json()
    assert office.delete(f"{RATES}{rate['id']}/").status_code == 204
    assert not NamedRate.objects.exists()
