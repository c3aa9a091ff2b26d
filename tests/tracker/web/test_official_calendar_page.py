"""The calendar page shows the official notices' days apart from the office's own
adjustments, and the office still overrides them (and Vietnam Cultural Day, 24/11)."""

import re
from datetime import date

import pytest

from tests.web_world import World
from tracker.models import CalendarAdjustment
from tracker.selectors.calendar import is_working_day

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def cell(page: str, day: int, month: str) -> str:
    """The grid cell of `day` in the month captioned `month`."""
    table = re.search(rf"<caption>{month} .*?</table>", page, re.S)
    assert table, month
    found = re.search(rf'<td class="([^"]*)"[^>]*>\s*{day}(?:<|\s)', table.group(0))
    assert found, (day, month)
    return found.group(1)


def test_the_page_lists_the_notices_apart_from_the_office_adjustments(world: World, signed_in):
    page = text(signed_in(world.office).get("/calendar/?year=2026"))
    official = page[page.index('id="official-heading"') : page.index('id="adjustments"')]
    assert "12729/VPCP-KGVX" in official and "25/12/2025" in official
    assert "Văn phòng Chính phủ" in official
    assert "02/01/2026" in official and "10/01/2026" in official
    assert "9441/TB-BNV" in official  # recorded with what was not verified, said on the page
    # The grid marks them apart from statutory holidays and the office's adjustments.
    assert "office-day--official_day_off" in cell(page, 2, "Tháng 1")
    assert "office-day--official_working_day" in cell(page, 10, "Tháng 1")
    assert "office-day--holiday" in cell(page, 1, "Tháng 1")
    assert "office-day--holiday" in cell(page, 24, "Tháng 11")
    assert "24/11/2026" in official  # how the office undoes Vietnam Cultural Day


def test_a_year_without_notices_says_so(world: World, signed_in):
    page = text(signed_in(world.office).get("/calendar/?year=2030"))
    assert "load_official_calendar" in page
    assert "office-day--official" not in page


def test_the_office_overrides_an_official_day_and_vietnam_cultural_day(world: World, signed_in):
    client = signed_in(world.office)
    for day, kind in (("2026-01-10", "day_off"), ("2026-11-24", "working_day")):
        response = client.post(
            "/calendar/adjustments/", {"date": day, "kind": kind, "note": "Theo thông báo"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert not is_working_day(date(2026, 1, 10))
    assert is_working_day(date(2026, 11, 24))
    page = text(client.get("/calendar/?year=2026"))
    assert "office-day--office_day_off" in cell(page, 10, "Tháng 1")
    assert "office-day--office_working_day" in cell(page, 24, "Tháng 11")
    assert CalendarAdjustment.objects.count() == 2
    # The official list still shows the notice's day the office overrode.
    official = page[page.index('id="official-heading"') : page.index('id="adjustments"')]
    assert "10/01/2026" in official
