"""The CSV: a plain table (one header row, one row per department), its numbers
machine-readable: counts as integers, rates as fractions to 4 decimals exactly as the JSON
has them, with a decimal point and commas, or with `?locale=vi` a decimal comma and
semicolons, as a spreadsheet under a Vietnamese locale reads them."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tracker.exports.tables import RATE, Table
from tracker.selectors.counts import rounded


@dataclass(frozen=True)
class CsvLocale:
    """How numbers are written: a spreadsheet reads "0.75" as a number only where the
    decimal mark is a point, and "0,75" only where it is a comma (Vietnamese)."""

    delimiter: str
    decimal: str


CSV_LOCALES = {"": CsvLocale(",", "."), "vi": CsvLocale(";", ",")}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: Any, kind: str, locale: CsvLocale) -> str:
    if value is None:
        return ""
    if kind == RATE and isinstance(value, Fraction):
        return str(rounded(value)).replace(".", locale.decimal)
    text = str(value)
    if isinstance(value, str) and text[:1] in FORMULA_STARTS:
        return f"'{text}"  # a spreadsheet would run it as a formula
    if isinstance(value, Decimal | float):
        return text.replace(".", locale.decimal)
    return text


def csv_file(table: Table, locale: CsvLocale) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=locale.delimiter)
    writer.writerow([column.header for column in table.columns])
    for values in table.rows:
        writer.writerow(
            [_text(v, column.kind, locale) for v, column in zip(values, table.columns, strict=True)]
        )
    return ("\ufeff" + output.getvalue()).encode("utf-8")  # the BOM: Excel then reads UTF-8
