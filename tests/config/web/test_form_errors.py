"""The web forms' errors quote at most 40 characters of a bad value (config/web/forms.py
`AccessibleForm`), as the API's do: Django's own messages quote it whole."""

import pytest

from tests.web_world import World
from tracker.models import CalendarAdjustment

pytestmark = pytest.mark.django_db


def test_a_bad_choice_is_quoted_by_its_first_40_characters(world: World, signed_in):
    data = {"date": "2030-06-04", "kind": "x" * 100_000, "year": "2030"}

    response = signed_in(world.office).post("/calendar/adjustments/", data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "x" * 40 + "…" in page and "x" * 41 not in page
    assert not CalendarAdjustment.objects.exists()
