"""What the task import tests share (test_import_*.py): the samples under
directives/samples, the upload and the XLSX file, counting rows and asserting a
rejection."""

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from directives.models import Directive
from tracker.models import CompletionReport, Task, TaskCoordination, TaskHistory

URL = "/api/v1/tasks/import/"


SAMPLES = Path(django_settings.BASE_DIR) / "directives" / "samples"


SAMPLE_CSV = SAMPLES / "tasks.csv"


SAMPLE_XLSX = SAMPLES / "tasks.xlsx"


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE_CSV.open(encoding="utf-8-sig", newline="") as fp:
        return list(csv.DictReader(fp))


SAMPLE_ROWS = sample_rows()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Directive, Task, TaskCoordination, TaskHistory, CompletionReport)
    }


def upload(client, content: bytes, name: str = "tasks.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)}, format="multipart")


def xlsx_file(rows: Iterable[Iterable[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(list(values))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def assert_rejected(response, expected: list[tuple[int | None, str | None]]) -> list[dict]:
    """A 400 of the import's shape listing exactly these (row, column) pairs, in order."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == ["errors"]
    for error in body["errors"]:
        assert set(error) == {"row", "column", "message"}
        assert error["message"]
    assert [(e["row"], e["column"]) for e in body["errors"]] == expected, body
    return body["errors"]


# --- the samples -------------------------------------------------------------------------


def stored_note(filename: str, row_number: int) -> str:
    """The history reason of an imported task, in the site's language."""
    with translation.override(django_settings.LANGUAGE_CODE):
        return translation.gettext("Imported from %(file)s, row %(row)d") % {
            "file": filename,
            "row": row_number,
        }
