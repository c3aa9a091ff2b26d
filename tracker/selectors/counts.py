"""One row of the indicators: the counts of DOMAIN.md's buckets, the counts derived from
them, and the three rates of API.md, exact (`Fraction`) until shown."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from tracker.models import BUCKET_COUNTS, INDICATOR_COUNTS

RATE_PLACES = Decimal("0.0001")


def rate(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def json_rate(numerator: int, denominator: int) -> float | None:
    """A rate as the JSON publishes it: 4 decimals, half up, as `rounded` gives it, in
    integers (a province's answer holds some 9,000 rates)."""
    if not denominator:
        return None
    whole, remainder = divmod(numerator * 10_000, denominator)
    if 2 * remainder >= denominator:
        whole += 1
    return whole / 10_000


def rounded(value: Fraction | None) -> Decimal | None:
    """A rate as published: 4 decimals, half up (16,051 / 16,274 → 0.9863)."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        RATE_PLACES, rounding=ROUND_HALF_UP
    )


@dataclass
class Counts:
    """One row of the indicators: the counts, and the three built-in rates computed from
    them. `due` is None for a period published before the product counted it."""

    assigned: int = 0
    completed_on_time: int = 0
    completed_early: int = 0
    completed_late: int = 0
    completed_no_deadline: int = 0
    open_within_deadline: int = 0
    open_overdue: int = 0
    open_no_deadline: int = 0
    paused: int = 0
    due: int | None = 0

    @property
    def completed_on_deadline_day(self) -> int:
        return self.completed_on_time - self.completed_early

    def add_bucket(self, bucket: str, count: int, due: bool = False) -> None:
        self.assigned += count
        if due and self.due is not None:
            self.due += count
        if bucket in ("completed_early", "completed_on_deadline"):
            self.completed_on_time += count
            if bucket == "completed_early":
                self.completed_early += count
        else:
            setattr(self, bucket, getattr(self, bucket) + count)

    def __iadd__(self, other: "Counts") -> "Counts":
        for name in BUCKET_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.due = None if self.due is None or other.due is None else self.due + other.due
        return self

    def rate_terms(self) -> dict[str, tuple[int, int]]:
        """The three rates of API.md as (numerator, denominator)."""
        completed = self.completed_on_time + self.completed_late
        judged = completed + self.open_overdue
        with_deadline = judged + self.open_within_deadline
        return {
            "completion_rate": (completed, judged),
            "on_time_rate": (self.completed_on_time, judged),
            "assigned_on_time_rate": (self.completed_on_time, with_deadline),
        }

    def exact_rates(self) -> dict[str, Fraction | None]:
        """The exact rates: points are judged on these, so that rounding never lifts a
        department into a higher band."""
        return {name: rate(*terms) for name, terms in self.rate_terms().items()}

    def rates(self) -> dict[str, Decimal | None]:
        return {name: rounded(value) for name, value in self.exact_rates().items()}

    def count(self, name: str) -> int | None:
        """Any count of `INDICATOR_COUNTS` by its name."""
        value: int | None = getattr(self, name)
        return value

    def as_dict(self) -> dict[str, int | None]:
        return {name: self.count(name) for name in INDICATOR_COUNTS}

    def stored(self) -> dict[str, int | None]:
        """What a published row keeps (the rest is derived from it)."""
        return {name: getattr(self, name) for name in (*BUCKET_COUNTS, "due")}
