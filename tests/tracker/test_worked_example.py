"""DOMAIN.md's worked example (the Prime Minister's Working Group report 1270/BC-TCTTTg):
21,914 tasks of one lead department, imported through `POST /api/v1/tasks/import/` with
dates chosen so that at the as-of date they fall in exactly the report's buckets, then read
back through `GET /api/v1/indicators/` and `GET /api/v1/leadership-score/` (API.md)."""

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from directives.imports import COLUMNS
from tests.conftest import client_for
from tests.factories import DepartmentFactory
from tests.tracker.web.dashboard_reading import indicator_cells, page_of
from tracker.models import RateRounding, ScoringRule, Task
from tracker.selectors.tasks import local_today
from tracker.services.report_settings import report_settings_update

pytestmark = pytest.mark.django_db

COMPLETED_EARLY = 9_512  # the report does not split on time: early and on the deadline
COMPLETED_ON_DEADLINE = 14_068 - COMPLETED_EARLY
COMPLETED_LATE = 1_983
OPEN_WITHIN_DEADLINE = 5_640
OPEN_OVERDUE = 223
# Completion reports dated after the as-of date do not count at it: so many of the open
# tasks above were completed between the as-of date and today.
WITHIN_DEADLINE_COMPLETED_AFTER = 1_000
OVERDUE_COMPLETED_AFTER = 23
TASKS_PER_DIRECTIVE = 100
DAY = dt.timedelta(days=1)


def rate(numerator: int, denominator: int) -> Decimal:
    """As API.md publishes rates: 4 decimals, half up."""
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def task_dates(as_of: dt.date, today: dt.date) -> Iterator[tuple[str, dt.date, Any, Any]]:
    """(status, assigned_on, deadline, completed_on) of every task, bucket by bucket, with
    the deadlines and completion dates spread over many days."""
    for i in range(COMPLETED_EARLY):
        assigned = as_of - (120 + i % 60) * DAY
        deadline = assigned + 60 * DAY
        yield "completed", assigned, deadline, deadline - (1 + i % 20) * DAY
    for i in range(COMPLETED_ON_DEADLINE):
        assigned = as_of - (120 + i % 60) * DAY
        deadline = assigned + (30 + i % 30) * DAY
        yield "completed", assigned, deadline, deadline
    for i in range(COMPLETED_LATE):
        assigned = as_of - (150 + i % 60) * DAY
        deadline = assigned + 30 * DAY
        yield "completed", assigned, deadline, deadline + (1 + i % 30) * DAY
    for i in range(OPEN_WITHIN_DEADLINE):
        assigned = as_of - (i % 90) * DAY
        deadline = as_of + (i % 45) * DAY  # on the as-of date itself too: still within
        if i < WITHIN_DEADLINE_COMPLETED_AFTER:
            completed = as_of + (1 + i % (today - as_of).days) * DAY
            yield "completed", assigned, deadline, completed
        else:
            yield ("assigned", "in_progress")[i % 2], assigned, deadline, None
    for i in range(OPEN_OVERDUE):
        assigned = as_of - (100 + i % 30) * DAY
        deadline = as_of - (1 + i % 40) * DAY
        if i < OVERDUE_COMPLETED_AFTER:
            yield "completed", assigned, deadline, today
        else:
            yield "in_progress", assigned, deadline, None


def example_csv(department_code: str, date_from: dt.date, as_of: dt.date, today: dt.date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n, (status, assigned, deadline, completed) in enumerate(task_dates(as_of, today)):
        directive = n // TASKS_PER_DIRECTIVE + 1
        values = {
            "directive_number": f"{directive}/TB-UBND",
            "directive_kind": "thong_bao_ket_luan",
            "directive_issued_on": date_from.isoformat(),
            "directive_signer": "Nguyễn Văn An",
            "directive_title": f"Kết luận của Chủ tịch UBND tỉnh, phiên họp {directive}",
            "task_title": f"Nhiệm vụ {n + 1}: rà soát, báo cáo kết quả thực hiện",
            "task_content": "",
            "lead_department_code": department_code,
            "coordinating_department_codes": "",
            "assigned_on": assigned.isoformat(),
            "deadline": deadline.isoformat() if deadline else "",
            "status": status,
            "completed_on": completed.isoformat() if completed else "",
        }
        writer.writerow([values[column] for column in COLUMNS])
    return out.getvalue().encode()


def test_the_1270_bc_tcttg_example_through_the_api(office_user, signed_in):
    department = DepartmentFactory(code="SNV", name="Sở Nội vụ")
    idle = DepartmentFactory(code="STP", name="Sở Tư pháp")  # no task: a row of zeros
    today = local_today()
    as_of = today - 10 * DAY
    date_from = as_of - 365 * DAY
    date_to = dt.date(today.year, 12, 31)
    assert {"PAR-TASKS-10", "PAR-TASKS-2"} <= set(
        ScoringRule.objects.filter(year=date_to.year).values_list("code", flat=True)
    ), "migration 0008 installs the example rules for the current year"
    office = client_for(office_user)

    content = example_csv(department.code, date_from, as_of, today)
    response = office.post(
        "/api/v1/tasks/import/",
        {"file": SimpleUploadedFile("1270-BC-TCTTTg.csv", content)},
        format="multipart",
    )
    assert response.status_code == 201, response.content[:2000]
    assert response.json()["created"] == 21_914
    assert Task.objects.filter(lead_department=department).count() == 21_914

    dates = {"from": date_from.isoformat(), "to": date_to.isoformat(), "as_of": as_of.isoformat()}
    response = office.get("/api/v1/indicators/", dates)
    assert response.status_code == 200, response.content[:2000]
    body = response.json()
    assert (body["from"], body["to"], body["as_of"]) == (
        dates["from"],
        dates["to"],
        dates["as_of"],
    )
    rows = {row["department"]["code"]: row for row in body["departments"]}
    assert set(rows) == {department.code, idle.code}
    expected_counts = {
        "assigned": 21_914,
        "completed_on_time": 14_068,
        "completed_early": COMPLETED_EARLY,
        "completed_late": 1_983,
        "completed_no_deadline": 0,
        "open_within_deadline": 5_640,
        "open_overdue": 223,
        "open_no_deadline": 0,
        "paused": 0,
    }
    expected_rates = {
        "completion_rate": Decimal("0.9863"),  # 16,051 / 16,274
        "on_time_rate": Decimal("0.8644"),  # 14,068 / 16,274
        "assigned_on_time_rate": rate(14_068, 21_914),
    }
    for row in (rows[department.code], body["total"]):
        assert {name: row[name] for name in expected_counts} == expected_counts
        for name, expected in expected_rates.items():
            assert isinstance(row[name], int | float), (name, row[name])  # a JSON number
            assert Decimal(str(row[name])) == expected, (name, row[name])
    assert rows[idle.code]["assigned"] == 0
    assert rows[idle.code]["completion_rate"] is None

    points = {"PAR-TASKS-10": (Decimal("0.8644"), 6), "PAR-TASKS-2": (Decimal("0.9863"), 2)}
    for code, (metric_value, expected_points) in points.items():
        response = office.get("/api/v1/leadership-score/", {"rule": code, **dates})
        assert response.status_code == 200, response.content[:2000]
        body = response.json()
        assert body["rule"]["code"] == code
        assert body["frozen"] is False
        scores = {row["department"]["code"]: row for row in body["departments"]}
        ours = scores[department.code]
        assert Decimal(str(ours["metric_value"])) == metric_value
        assert Decimal(str(ours["points"])) == expected_points
        assert ours["applicable"] is True
        assert scores[idle.code]["applicable"] is False  # no judged task: not applicable

    # Published as 98.62 %: the report cut, not rounded. Under the office's "cut to 2
    # decimals" the page and the spreadsheet say so; the JSON keeps 0.9863.
    report_settings_update(rate_rounding=RateRounding.CUT, rate_decimals=2)
    page = page_of(signed_in(office_user).get("/dashboard/", dates))
    cells = indicator_cells(page)
    assert cells[(department.code, "completion_rate")].text() == "98,62\u00a0%"
    assert cells[(department.code, "on_time_rate")].text() == "86,44\u00a0%"
    sheet = load_workbook(
        io.BytesIO(office.get("/api/v1/indicators/", {**dates, "format": "xlsx"}).content)
    ).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    ours = next(row for row in values if row[0] == department.code)
    assert Decimal("0.9862") in [Decimal(str(v)) for v in ours if isinstance(v, float)]
    body = office.get("/api/v1/indicators/", dates).json()
    assert body["total"]["completion_rate"] == 0.9863
