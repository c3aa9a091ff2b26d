"""Published tables the product must reproduce exactly (issue 13; DOMAIN.md, "Compliance
indicators"): built through `POST /api/v1/tasks/import/`, read back through
`GET /api/v1/indicators/`, on the dashboard page and in the XLSX, each percentage shown
with the rounding its table used.

- A district: of 8,368 files due, 2,822 early (33.72 %), 5,502 on the day (65.75 %), 174
  late (2.07 %). The three add up to more than the files due: 130 early ones were not yet
  due at the as-of date. Cut to 2 decimals (174 / 8,368 = 2.0793… is 2.07, not 2.08).
- A commune group: of 53,066 received, 20,683 early (38.98 %), 31,012 on the day
  (58.44 %), 181 late (0.34 %); the rest still open. Half up (20,683 / 53,066 = 38.976…).

The built-in named rates (tracker/data/named_rates.yaml) give both tables, and a scoring
rule may take one as its metric."""

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from directives.imports import COLUMNS
from tests.conftest import client_for
from tests.factories import DepartmentFactory
from tests.import_files import csv_file
from tests.tracker.web.dashboard_reading import indicator_cells, page_of
from tracker.models import RateRounding
from tracker.services.report_settings import report_settings_update
from tracker.services.scoring import scoring_rule_create

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
FROM, TO, AS_OF = dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2025, 12, 31)
DATES = {"from": FROM.isoformat(), "to": TO.isoformat(), "as_of": AS_OF.isoformat()}
DUE_RATES = ("early_of_due", "on_day_of_due", "late_of_due")
ASSIGNED_RATES = ("early_of_assigned", "on_day_of_assigned", "late_of_assigned")
DISTRICT = {"early_due": 2_692, "early_not_due": 130, "on_day": 5_502, "late": 174, "open": 0}
COMMUNE = {"early_due": 20_683, "early_not_due": 0, "on_day": 31_012, "late": 181, "open": 1_190}


def tasks(counts: dict[str, int]) -> Iterator[tuple[str, dt.date, dt.date, dt.date | None]]:
    """(status, assigned_on, deadline, completed_on) per task, dates spread over the year."""
    for i in range(counts["early_due"]):
        deadline = AS_OF - (i % 200) * DAY
        yield "completed", deadline - 40 * DAY, deadline, deadline - (1 + i % 9) * DAY
    for i in range(counts["early_not_due"]):
        deadline = AS_OF + (1 + i % 20) * DAY  # completed before it, not yet due
        yield "completed", AS_OF - 30 * DAY, deadline, AS_OF - (i % 10) * DAY
    for i in range(counts["on_day"]):
        deadline = AS_OF - (i % 250) * DAY
        yield "completed", deadline - 30 * DAY, deadline, deadline
    for i in range(counts["late"]):
        deadline = AS_OF - (10 + i % 100) * DAY
        yield "completed", deadline - 30 * DAY, deadline, deadline + (1 + i % 9) * DAY
    for i in range(counts["open"]):
        yield "in_progress", AS_OF - (i % 60) * DAY, AS_OF + (1 + i % 30) * DAY, None


def import_tasks(office: Any, code: str, counts: dict[str, int]) -> int:
    rows = (
        {
            "directive_number": f"{1 + n // 500}/KH-{code}",
            "directive_kind": "ke_hoach",
            "directive_issued_on": "2025-01-02",
            "directive_signer": "Trần Thị Bình",
            "directive_title": "Kế hoạch giải quyết hồ sơ thủ tục hành chính năm 2025",
            "task_title": f"Hồ sơ số {n + 1}",
            "lead_department_code": code,
            "assigned_on": assigned.isoformat(),
            "deadline": deadline.isoformat(),
            "status": status,
            "completed_on": completed.isoformat() if completed else "",
        }
        for n, (status, assigned, deadline, completed) in enumerate(tasks(counts))
    )
    upload = SimpleUploadedFile(f"{code}.csv", csv_file(rows, COLUMNS))
    response = office.post("/api/v1/tasks/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content[:2000]
    created: int = response.json()["created"]
    return created


def dashboard_percent(signed_in: Any, user: Any, code: str, rate: str) -> str:
    page = page_of(signed_in(user).get("/dashboard/", DATES))
    return indicator_cells(page)[(code, rate)].text().replace("\u00a0", " ")


def xlsx_rates(office: Any, code: str) -> dict[str, tuple[Any, str]]:
    """Each rate column's (value, number format) in the department's row of the XLSX."""
    response = office.get("/api/v1/indicators/", {**DATES, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header = next(row for row in rows if any(cell.value == "Department code" for cell in row))
    names = [cell.value for cell in header]
    mine = next(row for row in rows if row[names.index("Department code")].value == code)
    return {
        name: (cell.value, cell.number_format)
        for name, cell in zip(names, mine, strict=True)
        if name
    }


def test_the_district_table_of_files_due_cut_to_two_decimals(office_user, signed_in):
    DepartmentFactory(code="HUYEN-BQ", name="UBND huyện Bắc Quang")
    office = client_for(office_user)
    assert import_tasks(office, "HUYEN-BQ", DISTRICT) == 8_498
    row = next(
        r
        for r in office.get("/api/v1/indicators/", DATES).json()["departments"]
        if r["department"]["code"] == "HUYEN-BQ"
    )
    assert (row["due"], row["completed_early"], row["completed_on_deadline_day"]) == (
        8_368,
        2_822,
        5_502,
    )
    assert row["completed_late"] == 174 and row["assigned"] == 8_498
    # The JSON keeps the exact rate to 4 decimals, half up, whatever the office shows.
    assert [row["named_rates"][code] for code in DUE_RATES] == [0.3372, 0.6575, 0.0208]
    assert [Fraction(2_822, 8_368), Fraction(5_502, 8_368), Fraction(174, 8_368)] == [
        Fraction(row[n], row["due"])
        for n in ("completed_early", "completed_on_deadline_day", "completed_late")
    ]

    report_settings_update(rate_rounding=RateRounding.CUT, rate_decimals=2)
    shown = [dashboard_percent(signed_in, office_user, "HUYEN-BQ", code) for code in DUE_RATES]
    assert shown == ["33,72 %", "65,75 %", "2,07 %"]
    cells = xlsx_rates(office, "HUYEN-BQ")
    named = [
        "Completed early, of the tasks due",
        "Completed on the deadline day, of the tasks due",
        "Completed late, of the tasks due",
    ]
    assert [cells[name] for name in named] == [
        (0.3372, "0.00%"),
        (0.6575, "0.00%"),
        (0.0207, "0.00%"),
    ]
    # Half up, the same late rate would have read 2.08 %: the office's choice decides.
    report_settings_update(rate_rounding=RateRounding.HALF_UP, rate_decimals=2)
    assert dashboard_percent(signed_in, office_user, "HUYEN-BQ", "late_of_due") == "2,08 %"


def test_the_commune_table_of_files_received_half_up(office_user, signed_in):
    DepartmentFactory(code="XA-NHOM1", name="Nhóm UBND xã, phường khu vực 1")
    office = client_for(office_user)
    assert import_tasks(office, "XA-NHOM1", COMMUNE) == 53_066
    data = office.get("/api/v1/indicators/", DATES).json()
    row = next(r for r in data["departments"] if r["department"]["code"] == "XA-NHOM1")
    assert (row["assigned"], row["completed_early"], row["completed_on_deadline_day"]) == (
        53_066,
        20_683,
        31_012,
    )
    assert row["completed_late"] == 181 and row["open_within_deadline"] == 1_190
    assert [row["named_rates"][code] for code in ASSIGNED_RATES] == [0.3898, 0.5844, 0.0034]
    definitions = {d["code"]: d for d in data["rate_definitions"]}
    assert definitions["early_of_assigned"] == {
        "code": "early_of_assigned",
        "name": "Completed early, of the tasks assigned",
        "numerator": ["completed_early"],
        "denominator": ["assigned"],
        "built_in": True,
    }

    report_settings_update(rate_rounding=RateRounding.HALF_UP, rate_decimals=2)
    shown = [dashboard_percent(signed_in, office_user, "XA-NHOM1", c) for c in ASSIGNED_RATES]
    assert shown == ["38,98 %", "58,44 %", "0,34 %"]
    # Cut, 20,683 / 53,066 = 38.976… would have read 38.97 %.
    report_settings_update(rate_rounding=RateRounding.CUT, rate_decimals=2)
    assert dashboard_percent(signed_in, office_user, "XA-NHOM1", "early_of_assigned") == "38,97 %"

    # A scoring rule may take a named rate as its metric: 58.44 % on the day → 1 point.
    scoring_rule_create(
        data={
            "code": "ON-DAY-2",
            "name": "Hoàn thành đúng hạn",
            "year": 2025,
            "metric": "on_day_of_assigned",
            "max_points": Decimal(2),
            "bands": [{"min_rate": 0.9, "points": 2}, {"min_rate": 0.5, "points": 1}],
            "when_no_tasks": "not_applicable",
        }
    )
    score = office.get("/api/v1/leadership-score/", {**DATES, "rule": "ON-DAY-2"}).json()
    ours = next(r for r in score["departments"] if r["department"]["code"] == "XA-NHOM1")
    assert (ours["metric_value"], ours["points"], ours["applicable"]) == (0.5844, 1, True)
