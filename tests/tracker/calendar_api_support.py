"""What the calendar API tests share (test_calendar_adjustments_api.py,
test_calendar_working_days_api.py): the URLs and the calls that add adjustments and
working days."""

from collections.abc import Callable
from datetime import date
from typing import Any

from rest_framework.test import APIClient

from tracker.models import CalendarAdjustmentKind
from tracker.services.calendar import calendar_adjustment_create

ADJUSTMENTS = "/api/v1/calendar/adjustments/"


ADD = "/api/v1/calendar/add-working-days/"


DAY_OFF = CalendarAdjustmentKind.DAY_OFF


WORKING_DAY = CalendarAdjustmentKind.WORKING_DAY


Api = Callable[..., APIClient]


def detail(adjustment_id: int) -> str:
    return f"{ADJUSTMENTS}{adjustment_id}/"


def adjust(day: str, kind: str, note: str = "Thông báo hoán đổi ngày làm việc") -> Any:
    return calendar_adjustment_create(date=date.fromisoformat(day), kind=kind, note=note)


def added(client: APIClient, start: str, days: Any) -> str:
    response = client.get(ADD, {"start": start, "days": days})
    assert response.status_code == 200, response.data
    assert response.data == {"start": start, "days": int(days), "date": response.data["date"]}
    return response.data["date"]
