"""How a rate is shown: the office's rounding (half up or cut) to its number of decimals of
a percentage (DOMAIN.md, "Compliance indicators"). Computed from the exact fraction, never
from the JSON's 4 decimals: cut to 2 decimals, 16,051 / 16,274 = 0.98629… is 98.62 %,
while its JSON value 0.9863 would cut to 98.63 %."""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from tracker.models import RateRounding, ReportSettings


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
