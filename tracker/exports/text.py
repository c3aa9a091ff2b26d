"""A table's cells as the printed documents (DOCX, PDF) write them, in the user's language:
counts grouped ("1.234" in Vietnamese, "1,234" in English), rates as percentages under the
office's rounding ("98,62" / "98.62", the header saying %), points as the rule states them,
"—" where there is no value. The separators are Django's formats of the active language."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.formats import number_format

from tracker.exports.tables import COUNT, POINTS, RATE, Table
from tracker.selectors.rates import RateDisplay

NO_VALUE = "—"
# What XML 1.0 cannot carry: python-docx refuses it, a PDF would draw it as a box.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Composed (NFC): the PDF draws no combining mark over its letter, each letter of
    Vietnamese has its own glyph."""
    return unicodedata.normalize("NFC", _CONTROL_CHARACTERS.sub("", text))


def _grouped(value: int | Decimal) -> str:
    return number_format(value, use_l10n=True, force_grouping=True)


def cell_text(value: Any, kind: str, display: RateDisplay) -> str:
    if value is None:
        return NO_VALUE
    if kind == RATE and isinstance(value, Fraction):
        return _grouped(display.percent(value))  # the Decimal keeps its decimals: 100,00
    if kind == COUNT and isinstance(value, int):
        return _grouped(value)
    if kind == POINTS and isinstance(value, Decimal):
        # As the rule states them: 7,5 or 10, not 1E+1 nor 10.00.
        return _grouped(Decimal(f"{value.normalize():f}"))
    return clean(str(value))


def header_text(header: str, kind: str) -> str:
    return f"{clean(header)} (%)" if kind == RATE else clean(header)


@dataclass(frozen=True)
class TableText:
    """Every cell of a table as text, and which columns hold numbers (set right)."""

    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    total_rows: int

    @classmethod
    def of(cls, table: Table, display: RateDisplay) -> "TableText":
        kinds = [column.kind for column in table.columns]
        return cls(
            headers=[header_text(column.header, column.kind) for column in table.columns],
            rows=[
                [cell_text(value, kind, display) for value, kind in zip(row, kinds, strict=True)]
                for row in table.rows
            ],
            numeric=[kind in (COUNT, RATE, POINTS) for kind in kinds],
            total_rows=table.total_rows,
        )

    def is_total(self, index: int) -> bool:
        return index >= len(self.rows) - self.total_rows
