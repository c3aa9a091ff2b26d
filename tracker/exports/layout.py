"""What the printed documents (DOCX and PDF) share: the page (A4 landscape, the margins of
Decree 30/2020/NĐ-CP turned sideways), the type sizes of the heading and the foot, and the
table's fit: one type size and column widths, measured with the font's metrics, so that the
table is one page wide. Liberation Serif has Times New Roman's metrics: what fits in the PDF
fits in Word and LibreOffice."""

import functools
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from tracker.exports.heading import Signature
from tracker.exports.text import TableText

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "LiberationSerif"
_FACES = {
    (False, False): "Regular",
    (True, False): "Bold",
    (False, True): "Italic",
    (True, True): "BoldItalic",
}

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)  # points
MARGIN_TOP, MARGIN_BOTTOM = 20 * mm, 15 * mm
MARGIN_LEFT, MARGIN_RIGHT = 25 * mm, 15 * mm
PAGE_NUMBER_FROM_TOP = 10 * mm  # Decree 30: centred in the top margin, not on page 1
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
HEADING_SPLIT = 0.42  # of the text width: the bodies' column; the national heading's the rest
FOOT_SPLIT = (0.40, 0.27, 0.33)  # recipients, preparer, signer

# Type sizes (pt), Decree 30's ranges: the bodies and headings 13, the motto 13, the title
# 14, "Nơi nhận" 12 and its lines 11.
BODY_SIZE = 13.0
TITLE_SIZE = 14.0
RECIPIENTS_LABEL_SIZE = 12.0
RECIPIENTS_SIZE = 11.0
ROWS_WITH_FOOT = 2  # the table's last rows kept on the foot's page
SIGNATURE_SPACE = 70.0  # pt between the signer's title and name: room to sign and stamp
RULE_SHARE = 0.4  # the rule under the issuing body: 1/3 to 1/2 of its line
RULE_THICKNESS = 0.6

# The table: the largest size at which it fits one page wide, down to 7 pt.
TABLE_SIZES = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0)
MAX_STRETCH = 1.5  # of the widths the content needs, when the page has room to spare
CELL_PADDING = 3.0  # pt left and right of a cell's text, in both writers
_CELL_ALLOWANCE = 2 * CELL_PADDING + 1.5  # with the borders and a rounding margin


@functools.cache
def registered_fonts() -> None:
    """The four faces, registered once per process with reportlab (read from the package,
    never from the system: a fresh machine has no fonts)."""
    for face in _FACES.values():
        path = FONT_DIR / f"LiberationSerif-{face}.ttf"
        pdfmetrics.registerFont(TTFont(f"{FAMILY}-{face}", str(path)))
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=font_name(),
        bold=font_name(bold=True),
        italic=font_name(italic=True),
        boldItalic=font_name(bold=True, italic=True),
    )


def font_name(bold: bool = False, italic: bool = False) -> str:
    return f"{FAMILY}-{_FACES[(bold, italic)]}"


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    registered_fonts()
    return float(pdfmetrics.stringWidth(text, font_name(bold, italic), size))


def _longest_word(text: str, bold: bool) -> float:
    return max((text_width(word, 1, bold) for word in text.split()), default=0.0)


@dataclass(frozen=True)
class _Column:
    """Widths at 1 pt (they grow with the size): the body's and the header's, on one line
    and at their longest word."""

    body: float
    body_word: float
    header: float
    header_word: float
    wraps: bool  # a name may take two lines; a code or a number never wraps

    def _body(self, wrap: bool) -> float:
        return max(self.body_word, self.body / 2) if wrap and self.wraps else self.body

    def need(self, size: float, wrap: bool) -> float:
        return size * max(self._body(wrap), self.header_word) + _CELL_ALLOWANCE

    def floor(self, size: float) -> float:
        """The least it takes: its body (names on two lines); a header's words may break,
        never a number (a figure split over two lines would be misread)."""
        return size * self._body(wrap=True) + _CELL_ALLOWANCE

    def full(self, size: float) -> float:
        return size * max(self.body, self.header) + _CELL_ALLOWANCE


def _columns(text: TableText) -> list[_Column]:
    columns = []
    for index, header in enumerate(text.headers):
        cells = [(row[index], text.is_total(number)) for number, row in enumerate(text.rows)]
        columns.append(
            _Column(
                body=max((text_width(cell, 1, bold) for cell, bold in cells), default=0.0),
                body_word=max((_longest_word(cell, bold) for cell, bold in cells), default=0.0),
                header=text_width(header, 1, bold=True),
                header_word=_longest_word(header, bold=True),
                wraps=index > 0 and not text.numeric[index],
            )
        )
    return columns


@dataclass(frozen=True)
class TableFit:
    size: float
    widths: list[float]  # points, summing to at most the text width


def _spread(need: list[float], full: list[float], available: float) -> list[float]:
    """Room left over goes first to the columns whose header or name would wrap (in
    proportion to what they lack), then to every column in proportion to its width."""
    lacking = [f - n for n, f in zip(need, full, strict=True)]
    room = available - sum(need)
    if room < sum(lacking):
        return [n + room * lack / sum(lacking) for n, lack in zip(need, lacking, strict=True)]
    # A narrow table (the leadership score's four columns) is widened a little, not spread
    # over the page: a row's figures stay within the eye's reach of its name.
    scale = min(available / sum(full), MAX_STRETCH)
    return [width * scale for width in full]


def table_fit(text: TableText, available: float = TEXT_WIDTH) -> TableFit:
    """The largest size at which the table fits `available` (names wrapped on two lines
    before a smaller size is tried). At the smallest size, what is left beyond each
    column's floor goes to the headers in proportion to what they lack."""
    columns = _columns(text)
    for size in TABLE_SIZES:
        for wrap in (False, True):
            need = [column.need(size, wrap) for column in columns]
            if sum(need) <= available:
                full = [column.full(size) for column in columns]
                return TableFit(size, _spread(need, full, available))
    size = TABLE_SIZES[-1]
    floor = [column.floor(size) for column in columns]
    need = [column.need(size, wrap=True) for column in columns]
    if sum(floor) > available:  # more columns than a page can hold at all
        return TableFit(size, [width * available / sum(floor) for width in floor])
    return TableFit(size, _spread(floor, need, available))


def signature_lines(*signatures: Signature) -> list[list[str]]:
    """Each block's lines above the room to sign (authority, title), the shorter blocks
    padded with empty lines so that the names stand on one line."""
    blocks = [[line for line in (s.authority, s.title) if line] for s in signatures]
    height = max((len(block) for block in blocks), default=0)
    return [block + [""] * (height - len(block)) for block in blocks]
