"""Task import files for tests: a valid row with some cells replaced, and a CSV of rows,
as an office would upload them (tests of the import and of what it writes)."""

import csv
import io
from collections.abc import Iterable

from directives.imports import COLUMNS


def row(**values: str) -> dict[str, str]:
    """A valid row (SYT leads, STC coordinates) with some cells replaced."""
    base = {
        "directive_number": "12/TB-UBND",
        "directive_kind": "thong_bao_ket_luan",
        "directive_issued_on": "2026-03-02",
        "directive_signer": "Nguyễn Văn An",
        "directive_title": "Kết luận của Chủ tịch UBND tỉnh về công tác y tế",
        "task_title": "Rà soát trạm y tế xã",
        "task_content": "Báo cáo kết quả về Văn phòng UBND tỉnh.",
        "lead_department_code": "SYT",
        "coordinating_department_codes": "STC",
        "assigned_on": "2026-03-03",
        "deadline": "2026-04-30",
        "status": "",
        "completed_on": "",
    }
    return base | values


def csv_file(
    rows: Iterable[dict[str, str]],
    columns: Iterable[str] = COLUMNS,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    out = io.StringIO()
    columns = list(columns)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(c, "") for c in columns])
    return out.getvalue().encode(encoding)
