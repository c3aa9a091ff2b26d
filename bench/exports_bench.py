"""The reports as files: each writer of tracker/exports against the bare floor of its own
library, writing the same cells in the same run.

    .venv/bin/python bench/exports_bench.py --departments 100 1000 --runs 5

A province's indicators table (2 text columns, 11 counts, 9 rates: the three of API.md
and the six built-in named rates) for N departments plus the total, Vietnamese names, the
office's heading settings filled. No database is read: the writers take the table and the
heading as the API's renderers give them. For each format, the median of --runs runs of:

- ours: `csv_file`, `xlsx_file`, `docx_file`, `pdf_file` (the layout of Decree 30/2020:
  heading block, widths fitted, borders, repeated header rows, Times New Roman, the foot);
- floor: the same cells through the same library with nothing else: the csv module;
  openpyxl's write-only workbook; python-docx's table with its default style, each cell's
  text set; reportlab's Table with a plain grid and a repeated header row.

The ratio is ours / floor: what the printed layout costs over the library itself.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.environment import production_like

production_like("dondoc_bench_exports")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402
from docx import Document  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.platypus import SimpleDocTemplate  # noqa: E402
from reportlab.platypus import Table as PdfTable  # noqa: E402

from tracker.exports.csv_file import CSV_LOCALES, csv_file  # noqa: E402
from tracker.exports.docx_file import docx_file  # noqa: E402
from tracker.exports.heading import report_heading  # noqa: E402
from tracker.exports.pdf_file import pdf_file  # noqa: E402
from tracker.exports.tables import COUNT, RATE, TEXT, Column, Table  # noqa: E402
from tracker.exports.xlsx_file import xlsx_file  # noqa: E402
from tracker.models import ReportSettings  # noqa: E402
from tracker.selectors.rates import RateDisplay  # noqa: E402

SETTINGS = ReportSettings(
    governing_body="Ủy ban nhân dân tỉnh Bình An",
    issuing_body="Văn phòng",
    document_symbol="BC-VP",
    place="Bình An",
    recipients="- Chủ tịch, các Phó Chủ tịch UBND tỉnh;\n- Sở Nội vụ;\n- Lưu: VT, TH.",
    preparer_title="Người lập biểu",
    preparer_name="Nguyễn Thị Thu Hà",
    signer_authority="KT. Chánh Văn phòng",
    signer_title="Phó Chánh Văn phòng",
    signer_name="Lê Minh Khoa",
)


def province_table(departments: int) -> Table:
    columns = [Column("Mã đơn vị", TEXT), Column("Tên đơn vị", TEXT)]
    columns += [Column(f"Số nhiệm vụ {i + 1}", COUNT) for i in range(11)]
    columns += [Column(f"Tỷ lệ hoàn thành {i + 1}", RATE) for i in range(9)]
    rows: list[list[Any]] = [
        [f"XA{n:04d}", f"UBND xã Thài Phìn Tủng số {n}"]
        + [(n * 7 + i) % 90 for i in range(11)]
        + [Fraction(n % 13 + 1, 14) if n % 17 else None for _ in range(9)]
        for n in range(departments)
    ]
    rows.append(["", "Tổng cộng", *(sum(r[i] for r in rows) for i in range(2, 13)), *[None] * 9])
    period = "từ 01/01/2026 đến 31/12/2026, tính đến ngày 30/11/2026"
    return Table("Chỉ tiêu thực hiện nhiệm vụ", period, False, columns, rows, "bench", 1)


def cells(table: Table) -> list[list[str]]:
    return [[c.header for c in table.columns]] + [
        ["" if v is None else str(v) for v in row] for row in table.rows
    ]


def floor_csv(table: Table) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(cells(table))
    return out.getvalue().encode()


def floor_xlsx(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in table.rows:
        sheet.append([float(v) if isinstance(v, Fraction) else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def floor_docx(table: Table) -> bytes:
    document = Document()
    values = cells(table)
    grid = document.add_table(rows=len(values), cols=len(values[0]))
    for row, texts in zip(grid.rows, values, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def floor_pdf(table: Table) -> bytes:
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4)).build(
        [PdfTable(cells(table), repeatRows=1, style=[("GRID", (0, 0), (-1, -1), 0.5, "black")])]
    )
    return out.getvalue()


def median_seconds(write: Callable[[], bytes], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        write()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    translation.activate("vi")
    heading = report_heading(SETTINGS, date(2026, 11, 30))
    display = RateDisplay()
    print("| departments | format | ours | floor | ours / floor | size |")
    print("|---:|---|---:|---:|---:|---:|")
    writers: list[tuple[str, Callable[[Table], bytes], Callable[[Table], bytes]]] = [
        ("csv", lambda t: csv_file(t, CSV_LOCALES[""]), floor_csv),
        ("xlsx", lambda t: xlsx_file(t, heading, display), floor_xlsx),
        ("docx", lambda t: docx_file(t, heading, display), floor_docx),
        ("pdf", lambda t: pdf_file(t, heading, display), floor_pdf),
    ]
    for departments in args.departments:
        table = province_table(departments)
        for name, ours, floor in writers:
            size = len(ours(table))  # and warms the fonts and the templates up
            floor(table)
            mine = median_seconds(lambda: ours(table), args.runs)  # noqa: B023 (used at once)
            bare = median_seconds(lambda: floor(table), args.runs)  # noqa: B023
            print(
                f"| {departments:,} | {name} | {mine * 1000:,.0f} ms | {bare * 1000:,.0f} ms "
                f"| {mine / bare:.2f} | {size / 1024:,.0f} kB |"
            )


if __name__ == "__main__":
    main()
