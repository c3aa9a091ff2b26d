"""Numbers as the dashboard writes them, in the user's language: what Django's
`number_format` writes, without its cost per call (a province's page writes some 20,000
numbers). The locale's separators are read once per page."""

from decimal import Decimal
from fractions import Fraction

from django.utils.formats import get_format, number_format

from tracker.selectors.rates import RateDisplay

NO_VALUE = "—"


class NumberText:
    """Built per page, in the active language, with the office's way of showing rates.
    Percentages are kept by rate: the chart and the score table show the indicators
    table's rates again."""

    def __init__(self, display: RateDisplay) -> None:
        self.display = display
        self.decimal = str(get_format("DECIMAL_SEPARATOR"))
        self.thousand = str(get_format("THOUSAND_SEPARATOR"))
        # Groups of three are what Python's "," writes; any other grouping is left to Django.
        self.by_three = get_format("NUMBER_GROUPING") == 3
        self._percents: dict[Fraction, str] = {}
        self._points: dict[str, str] = {}

    def count(self, value: int) -> str:
        """A count, thousands grouped (1.234 in Vietnamese)."""
        if value < 1000:
            return str(value)  # nothing to group: the common case
        if self.by_three:
            return f"{value:,}".replace(",", self.thousand)
        return number_format(value, force_grouping=True)

    def percent(self, rate: Fraction | None) -> str:
        """The exact rate as a percentage, rounded as the office shows rates (16,051 /
        16,274 → 98,63 % half up, 98,62 % cut)."""
        if rate is None:
            return NO_VALUE
        text = self._percents.get(rate)
        if text is None:
            # At most 100: never grouped, so the decimal separator is all that differs.
            text = f"{self.display.percent(rate):f}".replace(".", self.decimal) + "\u00a0%"
            self._percents[rate] = text
        return text

    def points(self, points: int | float | Decimal) -> str:
        """Points as the rule states them (7,5; 6): few distinct values, each formatted once."""
        # Kept by the written value: 6 and Decimal("6.0") are equal but not written alike.
        key = str(points)
        text = self._points.get(key)
        if text is None:
            text = number_format(Decimal(key))
            self._points[key] = text
        return text
