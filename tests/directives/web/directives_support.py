"""What the directives pages' tests share: the sample files, the demo departments they name,
a file the import refuses, an htmx request's header, and a task row as the pages post it."""

import csv
import io
from pathlib import Path

from django.conf import settings

from directives.demo.seeds import DEPARTMENTS
from tests.factories import DepartmentFactory
from tests.web_world import World
from tracker.models import Department

SAMPLES = Path(settings.BASE_DIR) / "directives" / "samples"
HTMX = {"HTTP_HX_REQUEST": "true"}


def page_text(response) -> str:
    return response.content.decode()


def add_sample_departments() -> None:
    """The demo's departments, which the sample files name (SYT, STC and VP are the world's)."""
    for seed in DEPARTMENTS:
        if not Department.objects.filter(code=seed.code).exists():
            DepartmentFactory(code=seed.code, name=seed.name, kind=seed.kind)


def broken_csv() -> bytes:
    """The sample's first three rows, each wrong in one cell."""
    with (SAMPLES / "tasks.csv").open(encoding="utf-8-sig", newline="") as fp:
        rows = list(csv.DictReader(fp))[:3]
    rows[0]["lead_department_code"] = "KHONGCO"
    rows[1]["deadline"] = "31/02/2026"
    rows[2]["status"] = "xong"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def task_row(key: str, world: World, **values: object) -> dict[str, object]:
    """The fields of the task row `key` as a page posts them (a valid task of SYT assigned
    on 3/3/2026 without deadline), with `values` replacing some."""
    row: dict[str, object] = {
        "title": f"Nhiệm vụ {key}",
        "content": "Nội dung",
        "lead_department": world.syt.pk,
        "assigned_on": "2026-03-03",
        "deadline": "",
        "deadline_working_days": "",
        "priority": "normal",
        "follow_up_officer": world.office.pk,
        "supervising_leader": "",
        **values,
    }
    return {f"task-{key}-{name}": value for name, value in row.items()}
