"""The named rates' admin writes through the API's services and says the same refusals; a
rate a scoring rule uses cannot be deleted there either. The service's own checks for what
no form can send (a count list that is not a list, too long, of unknown names)."""

from decimal import Decimal

import pytest
from django.utils import translation

from tracker.models import INDICATOR_COUNTS, NamedRate
from tracker.services.rates import MAX_TERMS, named_rate_create, named_rate_errors
from tracker.services.scoring import scoring_rule_create

pytestmark = pytest.mark.django_db

ADD = "/admin/tracker/namedrate/add/"


def form(**changes: object) -> dict[str, object]:
    values = {
        "code": "DUNG-HAN",
        "name": "Tỷ lệ đúng hạn trên số đến hạn",
        "year": "2026",
        "numerator": ["completed_on_time"],
        "denominator": ["due"],
    }
    return values | changes


def test_the_admin_creates_changes_and_refuses_like_the_api(admin_client_vi):
    assert admin_client_vi.get(ADD).status_code == 200
    assert admin_client_vi.post(ADD, form()).status_code == 302
    rate = NamedRate.objects.get(code="DUNG-HAN")
    assert (rate.numerator, rate.denominator) == (["completed_on_time"], ["due"])
    taken = admin_client_vi.post(ADD, form(code="dung-han"))
    assert "Đã có tỷ lệ tự định nghĩa mã dung-han cho năm 2026" in taken.content.decode()
    built_in = admin_client_vi.post(ADD, form(code="early_of_due"))
    assert "early_of_due là mã của một tỷ lệ có sẵn." in built_in.content.decode()
    assert NamedRate.objects.count() == 1
    change = f"/admin/tracker/namedrate/{rate.pk}/change/"
    assert admin_client_vi.post(change, form(denominator=["assigned"])).status_code == 302
    rate.refresh_from_db()
    assert rate.denominator == ["assigned"]


def test_a_rate_a_rule_uses_is_not_deleted_from_the_admin(admin_client_vi):
    used = named_rate_create(data={**form(), "year": 2026})
    unused = named_rate_create(data={**form(code="KHAC"), "year": 2026})
    scoring_rule_create(
        data={
            "code": "R1",
            "name": "Đúng hạn",
            "year": 2026,
            "metric": "DUNG-HAN",
            "max_points": Decimal(2),
            "bands": [],
            "when_no_tasks": "full",
        }
    )
    assert admin_client_vi.get(f"/admin/tracker/namedrate/{used.pk}/delete/").status_code == 403
    deleted = admin_client_vi.post(f"/admin/tracker/namedrate/{unused.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    # The list's bulk action refuses a selection that holds it, and deletes the others.
    again = named_rate_create(data={**form(code="BA"), "year": 2026})
    changelist = "/admin/tracker/namedrate/"
    bulk = {"action": "delete_selected", "post": "yes"}
    refused = admin_client_vi.post(changelist, {**bulk, "_selected_action": [used.pk, again.pk]})
    assert refused.status_code == 403
    assert NamedRate.objects.count() == 2
    done = admin_client_vi.post(changelist, {**bulk, "_selected_action": [again.pk]})
    assert done.status_code == 302
    assert set(NamedRate.objects.values_list("code", flat=True)) == {"DUNG-HAN"}


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("due", "Enter a list of at least one count."),
        ([], "Enter a list of at least one count."),
        (list(INDICATOR_COUNTS) * 2, f"Enter at most {MAX_TERMS} counts."),
        (["due", 7], "Unknown count “7”; the counts are: " + ", ".join(INDICATOR_COUNTS) + "."),
    ],
)
def test_the_service_names_what_no_form_sends(terms, message):
    with translation.override("en"):
        errors = named_rate_errors(data={**form(numerator=terms), "year": 2026})
    assert errors == {"numerator": [message]}
