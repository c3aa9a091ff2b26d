"""Periods outside the API: the close_period command and the admin (read-only periods
reopened with a reason, scoring rules validated like the API).

Time is fixed (config.common.clock through settings.CLOCK_FILE) at 2026-11-21, 10:00 local.
The world and the helpers are in tests/tracker/period_support.py."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.factories import UserFactory
from tests.tracker import period_support
from tests.tracker.period_support import TODAY, World, close
from tracker.models import Period, Role, ScoringRule

pytestmark = pytest.mark.django_db


world = period_support.world


# --- the command and the admin -------------------------------------------------------------


def test_the_close_period_command(world, capsys):
    call_command("close_period", "--from", "2026-10-01", "--to", "2026-10-31", "--user", "office")
    period = Period.objects.get()
    assert (period.from_date, period.to_date, period.as_of) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        TODAY,
    )
    assert period.closed_by == world.office
    assert f"Period {period.pk} closed" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already closed"):
        call_command(
            "close_period", "--from", "2026-10-01", "--to", "2026-10-31", "--user", "office"
        )
    UserFactory(role=Role.LEADER, username="lanhdao")
    with pytest.raises(CommandError, match="not an office user"):
        call_command(
            "close_period", "--from", "2026-09-01", "--to", "2026-09-30", "--user", "lanhdao"
        )
    with pytest.raises(CommandError, match="No active user"):
        call_command("close_period", "--from", "2026-09-01", "--to", "2026-09-30", "--user", "ai")
    with pytest.raises(CommandError, match="Not a date"):
        call_command(
            "close_period", "--from", "2026-09-31", "--to", "2026-09-30", "--user", "office"
        )
    assert Period.objects.count() == 1


@pytest.fixture
def admin_client(world: World) -> Client:
    user = world.office
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client


def test_the_period_admin_is_read_only_and_reopens_with_a_reason(admin_client, world):
    period = close(world)
    assert admin_client.get("/admin/tracker/period/").status_code == 200
    page = admin_client.get(f"/admin/tracker/period/{period.pk}/change/")
    assert page.status_code == 200
    assert "SYT" in page.content.decode()  # the published rows are listed
    assert admin_client.get("/admin/tracker/period/add/").status_code == 403
    assert admin_client.get(f"/admin/tracker/period/{period.pk}/delete/").status_code == 403
    changelist = "/admin/tracker/period/"
    action = {"action": "reopen_periods", "_selected_action": [period.pk]}
    admin_client.post(changelist, {**action, "reason": "  "})
    period.refresh_from_db()
    assert period.is_closed
    response = admin_client.post(changelist, {**action, "reason": "Sai số liệu Sở Y tế"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.reopen_reason, period.reopened_by) == ("Sai số liệu Sở Y tế", world.office)
    again = admin_client.post(changelist, {**action, "reason": "Lần hai"}, follow=True)
    assert again.status_code == 200
    period.refresh_from_db()
    assert period.reopen_reason == "Sai số liệu Sở Y tế"


def test_the_scoring_rule_admin_validates_like_the_api(admin_client):
    url = "/admin/tracker/scoringrule/add/"
    assert admin_client.get(url).status_code == 200
    form = {
        "code": "ADMIN-1",
        "name": "Quy tắc nhập từ trang quản trị",
        "year": "2027",
        "metric": "on_time_rate",
        "max_points": "5",
        "when_no_tasks": "full",
    }
    not_json = admin_client.post(url, {**form, "bands": "[{min_rate: 0.9}"})
    assert not_json.status_code == 200
    assert not ScoringRule.objects.filter(code="ADMIN-1").exists()
    too_many_points = admin_client.post(url, {**form, "bands": '[{"min_rate": 0.9, "points": 6}]'})
    assert "không được vượt quá điểm tối đa" in too_many_points.content.decode()  # vi admin
    assert not ScoringRule.objects.filter(code="ADMIN-1").exists()
    created = admin_client.post(
        url, {**form, "bands": '[{"min_rate": 0.5, "points": 1}, {"min_rate": 1, "points": 5.0}]'}
    )
    assert created.status_code == 302
    rule = ScoringRule.objects.get(code="ADMIN-1")
    assert rule.bands == [
        {"min_rate": 1.0, "points": 5, "strict": False},
        {"min_rate": 0.5, "points": 1, "strict": False},
    ]
    taken = admin_client.post(url, {**form, "code": "admin-1", "bands": "[]"})
    assert "Đã có tiêu chí chấm điểm mã admin-1 cho năm 2027" in taken.content.decode()
    change = f"/admin/tracker/scoringrule/{rule.pk}/change/"
    edited = admin_client.post(change, {**form, "max_points": "6", "bands": "[]"})
    assert edited.status_code == 302
    rule.refresh_from_db()
    assert (rule.max_points, rule.bands) == (6, [])
