"""Dates typed in the admin are read day first, as the admin shows them (config/formats): in
Vietnamese and in English alike, 08/03/2026 is 8 March, not 3 August."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import UserFactory
from tracker.models import CalendarAdjustment, Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_typed_date_is_read_day_first(language):
    user = UserFactory(role=Role.OFFICE, username="quantri")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    # Sunday 8 March made a working day; read month first it would be Monday 3 August,
    # already a working day, and refused.
    typed = {"date": "08/03/2026", "kind": "working_day", "note": "Làm bù"}
    response = client.post("/admin/tracker/calendaradjustment/add/", typed)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(CalendarAdjustment.objects.values_list("date", flat=True)) == [dt.date(2026, 3, 8)]
