"""The DOCX: the report as a document to sign, laid out per Decree 30/2020/NĐ-CP (the
heading block, the title, the table, "Nơi nhận" and the signatures), A4 landscape, Times New
Roman throughout. The table's header row repeats on every page, no row splits across two,
and its columns are measured to fit one page wide (`layout.table_fit`)."""

import io
from collections.abc import Iterator
from copy import deepcopy

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from tracker.exports import layout
from tracker.exports.heading import ReportHeading
from tracker.exports.tables import Table
from tracker.exports.text import TableText, clean
from tracker.selectors.rates import RateDisplay

FONT = "Times New Roman"
TABLE_STYLE = "Report table"
CENTER, LEFT, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
_FONT_ATTRIBUTES = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc")
_TBLPR_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
_TWIPS_PER_POINT = 20


def _child(parent: BaseOxmlElement, tag: str, **attributes: str) -> BaseOxmlElement:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    parent.append(element)
    return element


def _font_everywhere(rpr: CT_RPr) -> None:
    """Times New Roman for every script: a run's Vietnamese letters are "hAnsi" or "ascii"
    to Word, and Word substitutes a theme font for any script left unset."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in _FONT_ATTRIBUTES:
        fonts.set(qn(attribute), FONT)


def _document_defaults(document: DocumentObject) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None  # python-docx's template has them
    run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert isinstance(run_defaults, CT_RPr)
    _font_everywhere(run_defaults)
    for tag in ("w:sz", "w:szCs"):
        size = run_defaults.find(qn(tag))
        if size is not None:
            size.set(qn("w:val"), str(int(layout.BODY_SIZE * 2)))
    language = run_defaults.find(qn("w:lang"))
    if language is not None:
        language.set(qn("w:val"), "vi-VN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:  # single lines, no space after: the layout sets its own
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    normal = document.styles["Normal"]
    normal.font.name = FONT
    _font_everywhere(normal.element.get_or_add_rPr())


def _page(document: DocumentObject) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Pt(layout.PAGE_WIDTH), Pt(layout.PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Pt(layout.MARGIN_TOP), Pt(layout.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Pt(layout.MARGIN_LEFT), Pt(layout.MARGIN_RIGHT)
    section.header_distance = Pt(layout.PAGE_NUMBER_FROM_TOP)
    # Decree 30: the page number centred in the top margin, none on the first page.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = CENTER
    run = _run(number, "", layout.BODY_SIZE)
    _child(run._r, "w:fldChar", fldCharType="begin")
    instruction = _child(run._r, "w:instrText")
    instruction.text = " PAGE "
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    _child(run._r, "w:fldChar", fldCharType="separate")
    _child(run._r, "w:t").text = "2"
    _child(run._r, "w:fldChar", fldCharType="end")


def _run(
    paragraph: Paragraph,
    text: str,
    size: float,
    bold: bool = False,
    italic: bool = False,
) -> Run:
    run = paragraph.add_run(clean(text))
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    _font_everywhere(run._r.get_or_add_rPr())
    return run


def _paragraph(
    paragraph: Paragraph,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = CENTER,
    before: float = 0,
    after: float = 0,
) -> Paragraph:
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    if text:
        _run(paragraph, text, size, bold, italic)
    return paragraph


def _rule(cell: _Cell, width: float, length: float) -> None:
    """A short line under the text above, centred: an empty paragraph one point high with a
    bottom border, its indents leaving `length` between them."""
    paragraph = cell.add_paragraph()
    indent = Pt(max(width - length, 0) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(1)
    paragraph.paragraph_format.space_before = Pt(2)
    paragraph.paragraph_format.space_after = Pt(3)
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    sz = str(round(layout.RULE_THICKNESS * 8))  # eighths of a point
    _child(borders, "w:bottom", val="single", sz=sz, space="1", color="000000")
    properties.insert_element_before(borders, *_PPR_AFTER_BORDER)


def _lines(cell: _Cell) -> Iterator[Paragraph]:
    """The cell's first (empty) paragraph, then new ones at its end."""
    yield cell.paragraphs[0]
    while True:
        yield cell.add_paragraph()


def _fixed_table(table: DocxTable, widths: list[float]) -> None:
    """Widths as given (Word would otherwise fit them to the content its own way)."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    assert table_width is not None  # python-docx writes one, "auto"
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(round(sum(widths) * _TWIPS_PER_POINT)))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Pt(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Pt(width)


def _table_property(table: DocxTable, tag: str) -> BaseOxmlElement:
    """A new child of the table's properties in the place the schema gives it (Word
    refuses a file whose elements are out of order)."""
    element = OxmlElement(tag)
    successors = _TBLPR_ORDER[_TBLPR_ORDER.index(tag) + 1 :]
    table._tbl.tblPr.insert_element_before(element, *successors)
    return element


def _cell_margins(table: DocxTable, side: float, vertical: float) -> None:
    margins = _table_property(table, "w:tblCellMar")
    for edge, value in (("top", vertical), ("left", side), ("bottom", vertical), ("right", side)):
        _child(margins, f"w:{edge}", w=str(round(value * _TWIPS_PER_POINT)), type="dxa")


def _borders(table: DocxTable) -> None:
    borders = _table_property(table, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _child(borders, f"w:{edge}", val="single", sz="4", space="0", color="000000")


def _row_flags(row: _Row, *flags: str) -> None:
    properties = row._tr.get_or_add_trPr()
    for flag in flags:  # cantSplit before tblHeader: the schema's order
        _child(properties, flag)


def _heading(document: DocumentObject, heading: ReportHeading) -> None:
    widths = [
        layout.TEXT_WIDTH * layout.HEADING_SPLIT,
        layout.TEXT_WIDTH * (1 - layout.HEADING_SPLIT),
    ]
    table = document.add_table(rows=1, cols=2)
    _fixed_table(table, widths)
    _cell_margins(table, 0, 0)
    left, right = table.rows[0].cells
    size = layout.BODY_SIZE
    lines = _lines(left)
    if heading.governing_body:
        _paragraph(next(lines), heading.governing_body, size)
    if heading.issuing_body:
        _paragraph(next(lines), heading.issuing_body, size, bold=True)
        length = layout.RULE_SHARE * layout.text_width(heading.issuing_body, size, bold=True)
        _rule(left, widths[0], length)
    _paragraph(next(lines), heading.number, size, before=4)
    lines = _lines(right)
    _paragraph(next(lines), heading.national_heading, size - 1, bold=True)
    _paragraph(next(lines), heading.motto, size, bold=True)
    _rule(right, widths[1], layout.text_width(heading.motto, size, bold=True))
    if heading.place_date:
        _paragraph(next(lines), heading.place_date, size, italic=True, before=4)


def _title(document: DocumentObject, table: Table, heading: ReportHeading) -> None:
    _paragraph(document.add_paragraph(), heading.kind, layout.TITLE_SIZE, bold=True, before=18)
    _paragraph(document.add_paragraph(), table.title, layout.TITLE_SIZE, bold=True)
    for line in (table.period, table.frozen_note):
        if line:
            _paragraph(document.add_paragraph(), line, layout.BODY_SIZE, italic=True)
    document.paragraphs[-1].paragraph_format.space_after = Pt(10)


def _data_table(document: DocumentObject, text: TableText) -> None:
    fit = layout.table_fit(text)
    # The cells' own style, in the table's size: an empty cell's paragraph mark (and, in
    # Word, every cell's last line) is as high as the style says.
    style = document.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(fit.size)
    table = document.add_table(rows=1, cols=len(text.headers))
    _fixed_table(table, fit.widths)
    _cell_margins(table, layout.CELL_PADDING, 1)
    _borders(table)
    header = table.rows[0]
    _row_flags(header, "w:cantSplit", "w:tblHeader")
    for cell, title in zip(header.cells, text.headers, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell.paragraphs[0]._p.style = style.style_id  # by id: a lookup by name is slow
        _paragraph(cell.paragraphs[0], title, fit.size, bold=True)
    # A row of each kind is built once through python-docx and copied for every row (a
    # province's 1,000 departments: 22,000 cells, each styled by hand took 11 s).
    prototypes = {
        (bold, keep): _prototype_row(table, style.style_id, fit.size, text.numeric, bold, keep)
        for bold in (False, True)
        for keep in (False, True)
    }
    last_rows = len(text.rows) - layout.ROWS_WITH_FOOT
    body = table._tbl
    for index, values in enumerate(text.rows):
        # The last rows go with the foot to its page: a signature never stands alone.
        row = deepcopy(prototypes[(text.is_total(index), index >= last_rows)])
        for cell_text, value in zip(row.iter(qn("w:t")), values, strict=True):
            cell_text.text = clean(value)
        body.append(row)


def _prototype_row(
    table: DocxTable, style_id: str, size: float, numeric: list[bool], bold: bool, keep: bool
) -> BaseOxmlElement:
    """A data row, its cells styled and each holding one run of text to fill in; taken out
    of the table."""
    row = table.add_row()
    _row_flags(row, "w:cantSplit")
    for cell, is_number in zip(row.cells, numeric, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell.paragraphs[0]._p.style = style_id
        paragraph = _paragraph(
            cell.paragraphs[0], "-", size, bold=bold, align=RIGHT if is_number else LEFT
        )
        paragraph.paragraph_format.keep_with_next = keep or None
    element: BaseOxmlElement = row._tr
    table._tbl.remove(element)
    return element


def _signature(cell: _Cell, lines_above: list[str], name: str) -> None:
    lines = _lines(cell)
    size = layout.BODY_SIZE
    for line in lines_above:
        _paragraph(next(lines), line, size, bold=True)  # empty: a line's height
    if name:
        _paragraph(next(lines), name, size, bold=True, before=layout.SIGNATURE_SPACE)


def _foot(document: DocumentObject, heading: ReportHeading, notes: list[str]) -> None:
    for note in notes:
        paragraph = _paragraph(
            document.add_paragraph(), note, layout.RECIPIENTS_SIZE, italic=True, align=LEFT
        )
        paragraph.paragraph_format.keep_with_next = True
    space = _paragraph(document.add_paragraph(), "", layout.BODY_SIZE, after=6)
    space.paragraph_format.keep_with_next = True
    widths = [layout.TEXT_WIDTH * share for share in layout.FOOT_SPLIT]
    table = document.add_table(rows=1, cols=3)
    _fixed_table(table, widths)
    _cell_margins(table, 0, 0)
    _row_flags(table.rows[0], "w:cantSplit")
    recipients, preparer, signer = table.rows[0].cells
    if heading.recipients:
        lines = _lines(recipients)
        label = heading.recipients_label
        _paragraph(
            next(lines), label, layout.RECIPIENTS_LABEL_SIZE, bold=True, italic=True, align=LEFT
        )
        for line in heading.recipients:
            _paragraph(next(lines), line, layout.RECIPIENTS_SIZE, align=LEFT)
    above = layout.signature_lines(heading.preparer, heading.signer)
    _signature(preparer, above[0], heading.preparer.name)
    _signature(signer, above[1], heading.signer.name)


def docx_file(table: Table, heading: ReportHeading, display: RateDisplay) -> bytes:
    document = Document()
    _document_defaults(document)
    _page(document)
    document.core_properties.title = clean(table.title)
    document.core_properties.author = clean(heading.issuing_body)
    _heading(document, heading)
    _title(document, table, heading)
    _data_table(document, TableText.of(table, display))
    _foot(document, heading, table.notes)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
