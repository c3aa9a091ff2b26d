"""The XLSX, ready to print as the office's reports are (Decree 30/2020/NĐ-CP): the heading
block (the governing and issuing bodies and the number on the left, the national heading,
the motto and the place and date on the right), the title, the period; the table with
borders, wrapped headers and columns fitted to their content, counts and rates as numbers
(rates rounded as the office shows them, formatted as percentages); at the foot the
recipients and the signature blocks. Times New Roman throughout; A4 landscape fitted to one
page wide, the header row and the department columns repeated on every printed page."""

import io
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins

from tracker.exports.heading import ReportHeading, Signature
from tracker.exports.tables import COUNT, RATE, TEXT, Table
from tracker.exports.widths import (
    INDENT,
    TextStyle,
    column_widths,
    lines_needed,
    row_height,
    split_at,
    text_width,
    widen,
)
from tracker.selectors.rates import RateDisplay

FONT_NAME = "Times New Roman"  # of administrative documents (Decree 30/2020/NĐ-CP)
HEADING = TextStyle(13)
HEADING_BOLD = TextStyle(13, bold=True)
HEADER = TextStyle(11, bold=True)
BODY = TextStyle(11)
BODY_BOLD = TextStyle(11, bold=True)
FOOT_BOLD = TextStyle(12, bold=True)
SIGNING_ROOM = 4  # blank rows left for a signature (and the seal)
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", start_color="F2F2F2")
# A4 landscape: about 20 mm top and bottom, a little more on the left (binding); inches.
MARGINS = PageMargins(left=0.8, right=0.6, top=0.8, bottom=0.7, header=0.3, footer=0.3)


@dataclass(frozen=True)
class Text:
    text: str
    style: TextStyle = BODY
    italic: bool = False
    underline: bool = False
    align: str = "center"


Span = tuple[int, int, Text | None]  # first and last column (from 1), and what they hold


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _font(style: TextStyle, italic: bool = False, underline: bool = False) -> Font:
    return Font(
        name=FONT_NAME,
        size=style.size,
        bold=style.bold,
        italic=italic,
        underline="single" if underline else None,
    )


class _Rows:
    """Writes the sheet row by row, each row as tall as its wrapped text needs."""

    def __init__(self, sheet: Any, widths: list[float]) -> None:
        self.sheet, self.widths, self.row = sheet, widths, 0

    def width(self, first: int, last: int) -> float:
        return sum(self.widths[first - 1 : last])

    def line(self, *spans: Span, height: float = 0.0) -> int:
        self.row += 1
        for first, last, text in spans:
            if text is None or not text.text:
                continue
            cell = self.sheet.cell(self.row, first)
            cell.value = _clean(text.text)
            cell.data_type = "s"  # text, even when it starts with "=" (never a formula)
            cell.font = _font(text.style, text.italic, text.underline)
            cell.alignment = Alignment(horizontal=text.align, vertical="top", wrap_text=True)
            if last > first:
                self.sheet.merge_cells(
                    start_row=self.row, start_column=first, end_row=self.row, end_column=last
                )
            lines = lines_needed(text.text, self.width(first, last), text.style)
            height = max(height, row_height(lines, text.style))
        if height:
            self.sheet.row_dimensions[self.row].height = height
        return self.row


def _layout(table: Table, heading: ReportHeading, display: RateDisplay) -> tuple[list[float], int]:
    """The columns' widths, and how many of them the heading's left half spans: at least
    the department columns, enough for the governing body; the rest wide enough for the
    national heading and for the two signature blocks side by side."""
    widths = column_widths(table, display, HEADER, BODY)
    left_needed = max(
        text_width(heading.governing_body, HEADING),
        text_width(heading.issuing_body, HEADING_BOLD),
        *(text_width(line, BODY) for line in heading.recipients),
    )
    last = max(len(widths) - 2, 1)  # two columns at least for the signature blocks
    split = split_at(widths, left_needed, min(table.key_columns, last), last)
    signature_needed = max(
        (text_width(line, FOOT_BOLD) for line in _signature_lines(heading.signer)), default=0.0
    )
    right_needed = max(
        text_width(heading.national_heading, HEADING_BOLD),
        text_width(heading.place_date, HEADING),
        2 * max(signature_needed, text_width(heading.preparer.title, FOOT_BOLD)),
    )
    return widen(widths, split, right_needed + 2), split


def _heading(rows: _Rows, table: Table, heading: ReportHeading, split: int) -> None:
    columns = len(rows.widths)
    left, right = (1, split), (split + 1, columns)
    pairs = [
        (Text(heading.governing_body, HEADING), Text(heading.national_heading, HEADING_BOLD)),
        (
            Text(heading.issuing_body, HEADING_BOLD),
            Text(heading.motto, HEADING_BOLD, underline=True),
        ),
        (Text(heading.number, HEADING), Text(heading.place_date, HEADING, italic=True)),
    ]
    for on_left, on_right in pairs:
        rows.line((*left, on_left), (*right, on_right))
    rows.line(height=10)
    whole = (1, columns)
    rows.line((*whole, Text(heading.kind, HEADING_BOLD)))
    rows.line((*whole, Text(table.title, HEADING_BOLD)))
    rows.line((*whole, Text(table.period, HEADING)))
    if table.frozen_note:
        rows.line((*whole, Text(table.frozen_note, HEADING, italic=True)))
    rows.line(height=8)


def _number_formats(display: RateDisplay) -> dict[str, str]:
    decimals = "." + "0" * display.decimals if display.decimals else ""
    return {COUNT: "#,##0", RATE: f"0{decimals}%"}


def _table(rows: _Rows, table: Table, display: RateDisplay) -> int:
    """The header row and the rows; the header row's number."""
    header_row = rows.row + 1
    rows.line(*((i, i, Text(c.header, HEADER)) for i, c in enumerate(table.columns, start=1)))
    for cell in rows.sheet[header_row]:
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border, cell.fill = BORDER, HEADER_FILL
    formats = _number_formats(display)
    totals_from = len(table.rows) - table.total_rows
    # Each kind of cell is styled once, its style copied to the others: openpyxl looks every
    # style object up again on each assignment (a province's 22,000 cells: seconds).
    styled: dict[tuple[bool, int, bool], StyleArray] = {}
    for number, values in enumerate(table.rows):
        style = BODY_BOLD if number >= totals_from else BODY
        rows.row += 1
        lines = 1
        for index, (column, value) in enumerate(zip(table.columns, values, strict=True), 1):
            cell = rows.sheet.cell(rows.row, index)
            text = isinstance(value, str)
            # A name reads from the left; a code or a word in a number column centred.
            left = text and column.kind == TEXT and index > 1
            kind = (style is BODY_BOLD, index, text)
            if kind in styled:
                cell._style = copy(styled[kind])
            else:
                cell.font, cell.border = _font(style), BORDER
                if text:
                    cell.alignment = Alignment(
                        "left" if left else "center", "center", wrap_text=True, indent=int(left)
                    )
                else:
                    cell.number_format = formats.get(column.kind, "General")
                    cell.alignment = Alignment(horizontal="center", vertical="center")
                styled[kind] = copy(cell._style)
            if text:
                cell.value = _clean(value) or None
                cell.data_type = "s"
                room = rows.widths[index - 1] - INDENT * left
                lines = max(lines, lines_needed(value, room, style))
                continue
            cell.value = (
                display.shown(value) if column.kind == RATE and value is not None else value
            )
        rows.sheet.row_dimensions[rows.row].height = row_height(lines, style)
    for note in table.notes:
        rows.line((1, len(table.columns), Text(note, BODY, italic=True, align="left")))
    return header_row


def _signature_lines(signature: Signature) -> list[str]:
    return [line for line in (signature.authority, signature.title) if line]


def _block(signature: Signature, top: int) -> list[Text | None]:
    """A signature block: its title lines (padded to `top` lines, so that the names of two
    blocks side by side share a row), room to sign, the name."""
    lines: list[Text | None] = [Text(t, FOOT_BOLD) for t in _signature_lines(signature)]
    if not lines and not signature.name:
        return []
    lines += [None] * (top - len(lines) + SIGNING_ROOM)
    return [*lines, Text(signature.name, FOOT_BOLD)]


def _foot(rows: _Rows, heading: ReportHeading, split: int) -> None:
    """The recipients under the heading's left half; the preparer's and the signer's
    blocks side by side under its right half."""
    columns = len(rows.widths)
    left: list[Text | None] = []
    if heading.recipients:
        left.append(
            Text(heading.recipients_label, TextStyle(12, bold=True), italic=True, align="left")
        )
        left += [Text(line, BODY, align="left") for line in heading.recipients]
    top = max(len(_signature_lines(heading.signer)), len(_signature_lines(heading.preparer)))
    preparer, signer = _block(heading.preparer, top), _block(heading.signer, top)
    if not (left or preparer or signer):
        return
    half = rows.width(split + 1, columns) / 2
    middle = split + split_at(rows.widths[split:], half, 1, max(columns - split - 1, 1))
    rows.line(height=12)
    for number in range(max(len(left), len(preparer), len(signer))):
        rows.line(
            (1, split, left[number] if number < len(left) else None),
            (split + 1, middle, preparer[number] if number < len(preparer) else None),
            (middle + 1, columns, signer[number] if number < len(signer) else None),
            height=row_height(1, FOOT_BOLD),
        )


def _page_setup(sheet: Any, table: Table, header_row: int, last_row: int) -> None:
    last_column = get_column_letter(len(table.columns))
    key_column = get_column_letter(table.key_columns)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = MARGINS
    sheet.print_options.horizontalCentered = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_title_cols = f"A:{key_column}"
    sheet.print_area = f"A1:{last_column}{last_row}"
    sheet.oddFooter.center.text = "&P/&N"
    sheet.oddFooter.center.font = f"{FONT_NAME},Regular"
    sheet.oddFooter.center.size = 10
    sheet.freeze_panes = sheet.cell(header_row + 1, table.key_columns + 1).coordinate


def _workbook() -> Any:
    """A workbook whose default font (of the "Normal" style, and of any cell without a
    style of its own) is Times New Roman 11: the unit of the columns' widths is its digit,
    in Excel and LibreOffice alike, whatever fonts the machine has."""
    workbook: Any = Workbook()
    base = Font(name=FONT_NAME, size=BODY.size, family=1)
    workbook._fonts = IndexedList([base])  # openpyxl's default font is its first one
    workbook._named_styles["Normal"].font = base
    return workbook


def xlsx_file(table: Table, heading: ReportHeading, display: RateDisplay) -> bytes:
    workbook = _workbook()
    sheet: Any = workbook.active
    sheet.title = _clean(table.filename.split("_")[0])[:31] or "report"
    widths, split = _layout(table, heading, display)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    rows = _Rows(sheet, widths)
    _heading(rows, table, heading, split)
    header_row = _table(rows, table, display)
    _foot(rows, heading, split)
    _page_setup(sheet, table, header_row, rows.row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
