"""The PDF: the same document as the DOCX (Decree 30/2020/NĐ-CP's layout, A4 landscape),
drawn by reportlab with the Liberation Serif fonts the package carries (Times New Roman's
metrics), embedded, so that it reads the same on any machine. The table's header row repeats
on every page and its columns are measured to fit one page wide (`layout.table_fit`)."""

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.flowables import HRFlowable

from tracker.exports import layout
from tracker.exports.heading import ReportHeading
from tracker.exports.tables import Table
from tracker.exports.text import TableText, clean
from tracker.selectors.rates import RateDisplay

LEADING = 1.2  # of the type size


def _style(
    size: float, bold: bool = False, italic: bool = False, align: int = TA_CENTER, **extra: Any
) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{bold}{italic}{align}",
        fontName=layout.font_name(bold, italic),
        fontSize=size,
        leading=size * LEADING,
        alignment=align,
        **extra,
    )


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(clean(text)), style)


def _rule(length: float) -> HRFlowable:
    return HRFlowable(
        width=length,
        thickness=layout.RULE_THICKNESS,
        color=colors.black,
        hAlign="CENTER",
        spaceBefore=2.5,
        spaceAfter=4,
    )


def _borderless(cells: list[list[Flowable]], widths: list[float]) -> PdfTable:
    table = PdfTable([cells], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),  # the rules under the headings
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _heading(heading: ReportHeading) -> PdfTable:
    size = layout.BODY_SIZE
    plain, bold = _style(size), _style(size, bold=True)
    left: list[Flowable] = []
    if heading.governing_body:
        left.append(_paragraph(heading.governing_body, plain))
    if heading.issuing_body:
        left.append(_paragraph(heading.issuing_body, bold))
        rule = layout.RULE_SHARE * layout.text_width(heading.issuing_body, size, bold=True)
        left.append(_rule(rule))
    left.append(_paragraph(heading.number, _style(size, spaceBefore=2)))
    right: list[Flowable] = [
        _paragraph(heading.national_heading, _style(size - 1, bold=True)),
        _paragraph(heading.motto, bold),
        _rule(layout.text_width(heading.motto, size, bold=True)),
    ]
    if heading.place_date:
        right.append(_paragraph(heading.place_date, _style(size, italic=True, spaceBefore=2)))
    split = layout.TEXT_WIDTH * layout.HEADING_SPLIT
    return _borderless([left, right], [split, layout.TEXT_WIDTH - split])


def _title(table: Table, heading: ReportHeading) -> list[Flowable]:
    title = _style(layout.TITLE_SIZE, bold=True)
    lines: list[Flowable] = [
        Spacer(1, 18),
        _paragraph(heading.kind, title),
        _paragraph(table.title, title),
    ]
    italic = _style(layout.BODY_SIZE, italic=True)
    lines += [_paragraph(line, italic) for line in (table.period, table.frozen_note) if line]
    lines.append(Spacer(1, 10))
    return lines


def _data_table(text: TableText, fit: layout.TableFit, rows: range) -> PdfTable:
    """The header row and `rows` of the table, the header repeated on every page."""
    size = fit.size
    header = _style(size, bold=True)
    names = {False: _style(size, align=TA_LEFT), True: _style(size, bold=True, align=TA_LEFT)}
    data: list[list[Any]] = [[_paragraph(cell, header) for cell in text.headers]]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 1), (-1, -1), layout.font_name()),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * LEADING),
        ("LEFTPADDING", (0, 0), (-1, -1), layout.CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), layout.CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    commands += [
        ("ALIGN", (column, 1), (column, -1), "RIGHT")
        for column, numeric in enumerate(text.numeric)
        if numeric
    ]
    for line, index in enumerate(rows, start=1):
        bold = text.is_total(index)
        data.append(
            [
                cell if numeric else _paragraph(cell, names[bold])
                for cell, numeric in zip(text.rows[index], text.numeric, strict=True)
            ]
        )
        if bold:
            commands.append(("FONTNAME", (0, line), (-1, line), layout.font_name(bold=True)))
    table = PdfTable(data, colWidths=fit.widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def _tables(text: TableText, rows_moved: int) -> list[Flowable]:
    """The table; with `rows_moved`, its last rows start a page of their own (under the
    header again) so that the foot has rows above it."""
    fit = layout.table_fit(text)
    split = len(text.rows) - rows_moved
    if not rows_moved:
        return [_data_table(text, fit, range(len(text.rows)))]
    return [
        _data_table(text, fit, range(split)),
        PageBreak(),
        _data_table(text, fit, range(split, len(text.rows))),
    ]


class _PageMark(Flowable):
    """Draws nothing: notes the page it lands on."""

    def __init__(self, pages: list[int]) -> None:
        super().__init__()
        self.pages = pages

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.pages.append(self.canv.getPageNumber())


def _signature(lines_above: list[str], name: str) -> list[Flowable]:
    bold = _style(layout.BODY_SIZE, bold=True)
    lines: list[Flowable] = [_paragraph(line or "\u00a0", bold) for line in lines_above]
    if name:
        lines.append(Spacer(1, layout.SIGNATURE_SPACE))
        lines.append(_paragraph(name, bold))
    return lines


def _foot(heading: ReportHeading, notes: list[str], mark: Flowable) -> list[Flowable]:
    note = _style(layout.RECIPIENTS_SIZE, italic=True, align=TA_LEFT)
    recipients: list[Flowable] = []
    if heading.recipients:
        label = _style(layout.RECIPIENTS_LABEL_SIZE, bold=True, italic=True, align=TA_LEFT)
        line = _style(layout.RECIPIENTS_SIZE, align=TA_LEFT)
        recipients.append(_paragraph(heading.recipients_label, label))
        recipients += [_paragraph(text, line) for text in heading.recipients]
    widths = [layout.TEXT_WIDTH * share for share in layout.FOOT_SPLIT]
    above = layout.signature_lines(heading.preparer, heading.signer)
    blocks = [
        recipients,
        _signature(above[0], heading.preparer.name),
        _signature(above[1], heading.signer.name),
    ]
    lines = [_paragraph(text, note) for text in notes]
    if not any(blocks):  # the office has set none of them
        return [*lines, mark]
    return [*lines, KeepTogether([mark, Spacer(1, 12), _borderless(blocks, widths)])]


def _page_number(canvas: Canvas, document: BaseDocTemplate) -> None:
    """Decree 30: centred in the top margin, from the second page."""
    number = canvas.getPageNumber()
    if number > 1:
        canvas.setFont(layout.font_name(), layout.BODY_SIZE)
        top = layout.PAGE_HEIGHT - layout.PAGE_NUMBER_FROM_TOP - layout.BODY_SIZE
        canvas.drawCentredString(layout.PAGE_WIDTH / 2, top, str(number))


def _document(
    output: io.BytesIO, table: Table, heading: ReportHeading, text: TableText, rows_moved: int
) -> list[int]:
    """Writes the PDF; answers the pages where the table ended and the foot began."""
    document = BaseDocTemplate(
        output,
        pagesize=(layout.PAGE_WIDTH, layout.PAGE_HEIGHT),
        leftMargin=layout.MARGIN_LEFT,
        rightMargin=layout.MARGIN_RIGHT,
        topMargin=layout.MARGIN_TOP,
        bottomMargin=layout.MARGIN_BOTTOM,
        title=clean(table.title),
        author=clean(heading.issuing_body),
        lang="vi",
        initialFontName=layout.font_name(),  # no other font in the file
        initialFontSize=layout.BODY_SIZE,
    )
    frame = Frame(
        document.leftMargin,
        document.bottomMargin,
        document.width,
        document.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates([PageTemplate(id="report", frames=[frame], onPage=_page_number)])
    pages: list[int] = []
    story: list[Flowable] = [
        _heading(heading),
        *_title(table, heading),
        *_tables(text, rows_moved),
        _PageMark(pages),
        *_foot(heading, table.notes, _PageMark(pages)),
    ]
    document.build(story)
    return pages


def pdf_file(table: Table, heading: ReportHeading, display: RateDisplay) -> bytes:
    layout.registered_fonts()
    text = TableText.of(table, display)
    output = io.BytesIO()
    table_end, foot_start = _document(output, table, heading, text, rows_moved=0)
    rows_moved = min(layout.ROWS_WITH_FOOT, len(text.rows) - 1)
    if foot_start > table_end and rows_moved > 0:
        # The foot went over to a page of its own: written again, the table's last rows
        # go with it.
        output = io.BytesIO()
        _document(output, table, heading, text, rows_moved)
    return output.getvalue()
