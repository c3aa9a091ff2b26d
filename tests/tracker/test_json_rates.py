"""The JSON's rates are computed in integers (`json_rate`, for a province's 9,000 rates an
answer): the same 4 decimals, half up, as the exact fraction rounded (`rounded`)."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from tracker.selectors.counts import json_rate, rounded


@given(st.integers(min_value=0, max_value=2_000_000), st.integers(min_value=1, max_value=2_000_000))
def test_json_rate_is_the_rounded_fraction(numerator: int, denominator: int) -> None:
    expected = rounded(Fraction(numerator, denominator))
    assert expected is not None
    assert json_rate(numerator, denominator) == float(expected)
    assert Decimal(str(json_rate(numerator, denominator))) == expected


def test_the_worked_example_and_no_denominator() -> None:
    assert json_rate(16_051, 16_274) == 0.9863  # 1270/BC-TCTTTg: 98.629…
    assert json_rate(1, 20_000) == 0.0001  # exactly half: up
    assert json_rate(0, 0) is None
