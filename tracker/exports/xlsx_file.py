"""The XLSX: a title row, a header row, one row per department, rates as percentages
rounded as the office shows them."""

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from tracker.exports.heading import ReportHeading
from tracker.exports.tables import RATE, Table
from tracker.selectors.rates import RateDisplay


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def xlsx_file(table: Table, heading: ReportHeading, display: RateDisplay) -> bytes:
    workbook = Workbook()
    sheet: Any = workbook.active
    title = " ".join(part for part in (table.title, table.period, table.frozen_note) if part)
    sheet.append([_clean(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([column.header for column in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    rate_format = "0." + "0" * display.decimals + "%" if display.decimals else "0%"
    for values in table.rows:
        sheet.append([None] * len(values))
        for cell, column, value in zip(sheet[sheet.max_row], table.columns, values, strict=True):
            if isinstance(value, str):
                cell.value = _clean(value)
                cell.data_type = "s"  # text, even when it starts with "=" (never a formula)
            elif column.kind == RATE:
                cell.value = None if value is None else display.shown(value)
                cell.number_format = rate_format
            else:
                cell.value = value
    sheet.column_dimensions["B"].width = 40
    sheet.freeze_panes = "C3"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
