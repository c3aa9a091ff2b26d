"""How wide a report's text prints in Times New Roman, so that its columns can be sized from
their content and its wrapped rows given their height: a spreadsheet program sizes neither
for a merged cell, nor reliably for a wrapped one. The unit is a spreadsheet column's: the
width of a digit of the workbook's default font, Times New Roman 11 (5.5 points; Excel
rounds it to 7 pixels, 5.25 points: the narrower, so that what fits there fits anywhere)."""

import math
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from tracker.exports.tables import COUNT, POINTS, RATE, TEXT, Table
from tracker.selectors.rates import RateDisplay

UNIT_POINTS = 5.25  # a column-width unit
CELL_PADDING = 1.2  # units lost to the cell's margins
INDENT = 1.8  # a name's indent from the cell's border
LINE_SPACING = 1.25  # a line's height, per point of the font's size
NAME_CAP = 40.0  # a text column wider than this wraps instead
NUMBER_MIN = 9.0  # so that a number column's header wraps into a few lines, not a word each

# Advance widths of Times New Roman (per 1000 em; Liberation Serif has the same), regular
# and bold: A to Z, then a to z; a Vietnamese letter is as wide as its base letter.
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_REGULAR = (
    "722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556 611 722 722 "
    "944 722 722 611 444 500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 "
    "389 278 500 500 722 500 500 444"
)
_BOLD = (
    "722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 611 778 722 556 667 722 722 "
    "1000 722 722 667 500 556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556 444 "
    "389 333 556 500 722 500 500 444"
)
_ADVANCES = tuple(
    {**dict(zip(_LETTERS, map(int, widths.split()), strict=True)), **others}
    for widths, others in (
        (_REGULAR, {" ": 250, ".": 250, ",": 250, ":": 278, ";": 278, "%": 833}),
        (_BOLD, {" ": 250, ".": 250, ",": 250, ":": 333, ";": 333, "%": 1000}),
    )
)
_OTHER = {"-": 333, "(": 333, ")": 333, "/": 278, "'": 333, "\u00a0": 250, "“": 444, "”": 444}
_UNKNOWN = 722  # as wide as most capitals: a guess on the wide side


@dataclass(frozen=True)
class TextStyle:
    size: float = 11
    bold: bool = False


def _advance(character: str, bold: bool) -> int:
    if character.isdigit():
        return 500
    base = {"đ": "d", "Đ": "D"}.get(character) or unicodedata.normalize("NFD", character)[:1]
    return _ADVANCES[bold].get(base) or _OTHER.get(base, _UNKNOWN)


def text_width(text: str, style: TextStyle) -> float:
    """The printed width of `text` on one line, in column-width units."""
    thousandths = sum(_advance(character, style.bold) for character in text)
    return thousandths / 1000 * style.size / UNIT_POINTS


def longest_word(text: str, style: TextStyle) -> float:
    return max((text_width(word, style) for word in text.split()), default=0.0)


def lines_needed(text: str, width: float, style: TextStyle) -> int:
    """Lines that `text` wraps into in a cell `width` units wide (word by word, a word too
    long for a line broken as the spreadsheet breaks it)."""
    room = max(width - CELL_PADDING, 1.0)
    space = text_width(" ", style)
    total = 0
    for paragraph in text.split("\n") or [""]:
        lines, used = 1, 0.0
        for word in paragraph.split():
            size = text_width(word, style)
            needed = size if used == 0 else used + space + size
            if needed <= room:
                used = needed
            elif size <= room:
                lines, used = lines + 1, size
            else:
                extra = math.ceil(size / room)
                lines += extra - (used == 0)
                used = size - (extra - 1) * room
        total += lines
    return total


def row_height(lines: int, style: TextStyle) -> float:
    """Points for `lines` lines of `style`, with a little room above and below."""
    return round(lines * style.size * LINE_SPACING + 3, 1)


def shown_text(value: object, kind: str, display: RateDisplay) -> str:
    """A cell's value as a spreadsheet shows it, for its width: 1,234 or 98.62%."""
    if value is None:
        return ""
    if kind == COUNT and isinstance(value, int):
        return f"{value:,}"
    if kind == RATE and isinstance(value, Fraction):
        return f"{display.percent(value)}%"
    return str(value)


def column_widths(
    table: Table, display: RateDisplay, header: TextStyle, body: TextStyle
) -> list[float]:
    """Each column as wide as its content: a text column fits its longest value up to
    NAME_CAP (then wraps); any column fits its header's longest word, so that a header
    wraps between words and is never cut; a number column fits its widest value."""
    widths = []
    total_from = len(table.rows) - table.total_rows
    for index, column in enumerate(table.columns):
        values = [
            text_width(shown_text(row[index], column.kind, display), body)
            * (1.08 if number >= total_from else 1.0)  # the totals are bold
            for number, row in enumerate(table.rows)
        ]
        indent = INDENT if column.kind == TEXT and index else 0.0  # a name, not the code
        content = max(values, default=0.0) + CELL_PADDING + indent
        if column.kind == TEXT:
            content = min(content, NAME_CAP)
        elif column.kind in (COUNT, RATE, POINTS):
            content = max(content, NUMBER_MIN)
        fitted = max(content, longest_word(column.header, header) + CELL_PADDING)
        widths.append(math.ceil(fitted * 10) / 10)  # rounded up: what fits must still fit
    return widths


def split_at(widths: list[float], needed: float, first: int, last: int) -> int:
    """The number of leading columns (from `first` to `last`) whose total width reaches
    `needed`: where a block of text set over the left of the table ends."""
    total = 0.0
    for count, width in enumerate(widths, start=1):
        total += width
        if count >= first and total >= needed:
            return min(count, last)
    return last


def widen(widths: list[float], start: int, needed: float) -> list[float]:
    """The columns from `start` on widened evenly until together they are `needed` wide."""
    missing = needed - sum(widths[start:])
    if missing <= 0 or start >= len(widths):
        return widths
    extra = missing / (len(widths) - start)
    return [w + extra if i >= start else w for i, w in enumerate(widths)]
