"""The exact-arithmetic helpers: round_scaled, exact_sum (MicroPython's fsum) against Fraction and math.fsum."""

import math
from fractions import Fraction

from hypothesis import given, strategies as st

from nnref._base.formats import round_scaled, to_scaled_int
from nnref._base.rounding import exact_sum, fsum

from support import bits

INF = float("inf")
finite = st.floats(allow_nan=False, allow_infinity=False)


def nearest(fraction):
    try:
        return float(fraction)          # correctly rounded in CPython, ties to even
    except OverflowError:
        return INF if fraction > 0 else -INF


@given(finite)
def test_to_scaled_int_is_exact(x):
    n, e = to_scaled_int(x)
    assert Fraction(n) * Fraction(2) ** e == Fraction(x)


@given(st.integers(-2 ** 200, 2 ** 200), st.integers(-1300, 1000))
def test_round_scaled_matches_fraction(n, e):
    want = nearest(Fraction(n) * Fraction(2) ** e)
    got = round_scaled(n, e)
    assert got == want
    if got == 0.0 and n:
        assert math.copysign(1.0, got) == (1.0 if n > 0 else -1.0)


def test_round_scaled_boundaries():
    assert round_scaled(2 ** 53 - 1, 971) == 1.7976931348623157e308
    assert round_scaled(2 ** 54 - 1, 970) == INF           # rounds up past the largest float
    assert round_scaled(1, -1074) == 5e-324
    assert round_scaled(1, -1075) == 0.0                   # tie with 0: to even
    assert round_scaled(3, -1076) == 5e-324
    assert round_scaled(-1, -1080) == 0.0 and math.copysign(1, round_scaled(-1, -1080)) == -1
    assert round_scaled(0, 5) == 0.0


@given(st.lists(finite, max_size=30))
def test_exact_sum_matches_fsum_and_fraction(values):
    want = nearest(sum(Fraction(v) for v in values))
    got = exact_sum(values)
    assert got == want
    assert fsum(values) == want
    try:
        native = math.fsum(values)
    except OverflowError:
        return
    assert got == native


def test_exact_sum_special_values():
    assert math.isnan(exact_sum([1.0, float("nan")]))
    assert math.isnan(exact_sum([INF, -INF]))
    assert exact_sum([INF, 1.0, 1e308]) == INF
    assert exact_sum([1e308, 1e308]) == INF
    assert bits(exact_sum([-0.0, -0.0])) == bits(-0.0)
    assert bits(exact_sum([-0.0, 0.0])) == bits(0.0)
    assert bits(exact_sum([])) == bits(0.0)
    assert bits(fsum([-0.0])) == bits(-0.0)
    assert bits(exact_sum([1.0, -1.0])) == bits(0.0)
