"""Rates as data, and how a rate is shown (DOMAIN.md, "Compliance indicators").

Beside the three rates of API.md (`Counts.exact_rates`), a year has named rates: the
built-in ones of `tracker/data/named_rates.yaml` and the office's own (`NamedRate`), each a
sum of counts over a sum of counts, evaluated by `RateDefinition.value` wherever a rate is
used (the indicators, the exports, the dashboard, the scoring rules).

A rate is shown under the office's rounding (half up or cut) to its number of decimals of
a percentage, computed from the exact fraction, never from the JSON's 4 decimals: cut to 2
decimals, 16,051 / 16,274 = 0.98629… is 98.62 %, while its JSON value 0.9863 would cut to
98.63 %."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils import translation

from tracker.models import Metric, NamedRate, RateRounding, ReportSettings
from tracker.selectors.counts import Counts, rate

BUILT_IN_FILE = Path(__file__).resolve().parent.parent / "data" / "named_rates.yaml"


@dataclass(frozen=True)
class RateDefinition:
    code: str
    names: dict[str, str] = field(compare=False)  # by language; the office's: one for all
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    built_in: bool = False

    @property
    def name(self) -> str:
        language = (translation.get_language() or "vi")[:2]
        return self.names.get(language) or self.names.get("vi") or next(iter(self.names.values()))

    def terms(self, counts: Counts) -> tuple[int, int] | None:
        """(numerator, denominator); None when a count is unknown (`due` of a period
        published before it was counted)."""
        numerator = [counts.count(name) for name in self.numerator]
        denominator = [counts.count(name) for name in self.denominator]
        if None in numerator or None in denominator:
            return None
        return sum(n for n in numerator if n), sum(d for d in denominator if d)

    def value(self, counts: Counts) -> Fraction | None:
        """The exact rate; None when the denominator is 0 or a count is unknown."""
        terms = self.terms(counts)
        return None if terms is None else rate(*terms)


@lru_cache(maxsize=1)
def built_in_rates() -> tuple[RateDefinition, ...]:
    entries = yaml.safe_load(BUILT_IN_FILE.read_text(encoding="utf-8"))
    return tuple(
        RateDefinition(
            entry["code"],
            dict(entry["name"]),
            tuple(entry["numerator"]),
            tuple(entry["denominator"]),
            built_in=True,
        )
        for entry in entries
    )


def reserved_rate_codes() -> set[str]:
    """The codes an office's named rate may not take: the built-in rates' own."""
    return {*Metric.values, *(definition.code for definition in built_in_rates())}


def office_rate(row: NamedRate) -> RateDefinition:
    return RateDefinition(row.code, {"vi": row.name}, tuple(row.numerator), tuple(row.denominator))


def named_rates_of_year(year: int) -> list[RateDefinition]:
    """The built-in named rates, then the office's of `year` by code."""
    office = NamedRate.objects.filter(year=year).order_by("code")
    return [*built_in_rates(), *(office_rate(row) for row in office)]


def exact_rate(code: str, counts: Counts, named: Iterable[RateDefinition]) -> Fraction | None:
    """A rate by its code: one of the three of API.md, or a named one of `named`."""
    fixed = counts.exact_rates()
    if code in fixed:
        return fixed[code]
    for definition in named:
        if definition.code == code:
            return definition.value(counts)
    raise KeyError(code)


@dataclass(frozen=True)
class RateDisplay:
    rounding: str = RateRounding.HALF_UP
    decimals: int = 2  # of the percentage

    @classmethod
    def of(cls, settings: ReportSettings) -> "RateDisplay":
        return cls(settings.rate_rounding, settings.rate_decimals)

    @property
    def fraction_places(self) -> int:
        return self.decimals + 2

    def shown(self, exact: Fraction) -> Decimal:
        """The rate as a fraction, rounded as shown: 0.9862 for 98.62 %. Integer arithmetic
        on the exact fraction, so that no decimal division rounds first."""
        scale = 10**self.fraction_places
        whole, remainder = divmod(exact.numerator * scale, exact.denominator)
        if self.rounding == RateRounding.HALF_UP and 2 * remainder >= exact.denominator:
            whole += 1
        return Decimal(whole).scaleb(-self.fraction_places)

    def percent(self, exact: Fraction) -> Decimal:
        """The percentage as shown: Decimal("98.62")."""
        return self.shown(exact).scaleb(2)
