"""The sparse dot's window: exact where it answers, and it answers only where that is sure.

For rows spread over more than ``_WINDOW_BITS`` binades, ``_windowed_dot``
sums exactly only the products near the largest and bounds the rest.  These
tests hold its results to exact rationals (``fractions.Fraction``), on
random spread data and on rows built so that the dropped terms decide the
rounding: a kept sum exactly at, or just beside, a midpoint between two
floats.  Deliberately broken windows (no bound, a bound too small) are shown
to give wrong answers there, so the tests can fail.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import nnref
from nnref._base import dot
from nnref._base.formats import round_scaled
from support import same
from test_fast_paths import fraction_dense, mismatches, with_exponents

# A product of 1.0 and 1.0 has exponent 2 in mantissas' terms, so the window
# keeps terms down to about 2**-158 and drops those below 2**-159.
HALF_ULP_OF_ONE = 2.0 ** -53
TINY = 2.0 ** -1000                          # far below the window
NEAR = 2.0 ** -150                           # inside the window


def exact_one(row, column, bias):
    return fraction_dense([row], [[w] for w in column], [bias])[0][0]


# (row, column, bias): 1 + 2**-53 is the midpoint between 1 and the next
# float, so the terms far below the window decide the rounding.
NEAR_TIES = {
    "above a midpoint by a dropped term": ([1.0, HALF_ULP_OF_ONE, TINY], [1.0, 1.0, 1.0], 0.0),
    "below a midpoint by a dropped term": ([1.0, HALF_ULP_OF_ONE, -TINY], [1.0, 1.0, 1.0], 0.0),
    "a dropped bias": ([1.0, HALF_ULP_OF_ONE, TINY], [1.0, 1.0, 0.5], -TINY),
    # The kept terms cancel to 2**-202 above the midpoint; a dropped -2**-190
    # takes the exact value below it.
    "kept terms that cancel": ([1.0, HALF_ULP_OF_ONE, NEAR, -(NEAR - 2.0 ** -202), -2.0 ** -190,
                                TINY], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 0.0),
    # One dropped term just below the window, nearly its bound 2**-159 (the
    # products near 1 are 2**400 * 2**-400, so the row is spread without more
    # dropped terms); the kept sum is 1.5 * 2**-160 above the midpoint.
    "a dropped term at its bound": ([2.0 ** 400, 2.0 ** 347, 0.75 * 2.0 ** -159,
                                     -(1 - 2.0 ** -20) * 2.0 ** -159],
                                    [2.0 ** -400, 2.0 ** -400, 1.0, 1 - 2.0 ** -20], 0.0),
    # A bias whose top bit is at the window's lowest kept exponent (2**-158,
    # above the dropped terms' bound 2**-159): it must be kept.  The kept
    # products are 1.125 * 2**-158 above the midpoint, and the bias and the
    # dropped product take the exact value below it.
    "a bias at the window's edge": ([2.0 ** 400, 2.0 ** 347, 1.125 * 2.0 ** -158,
                                     -(1 - 2.0 ** -30) * 2.0 ** -160],
                                    [2.0 ** -400, 2.0 ** -400, 1.0, 1 - 2.0 ** -30],
                                    -(1 - 2.0 ** -30) * 2.0 ** -158),
    # Everything kept cancels; what is left is below the window.
    "a result below the window": ([1e300, -1e300, 3.0 * TINY], [1.0, 1.0, 1.0], 0.0),
    "an exact zero": ([1e300, -1e300, TINY, -TINY], [1.0, 1.0, 1.0, 1.0], -0.0),
    "a subnormal result": ([1e300, -1e300, 5e-324 * 3, 1e-200], [1.0, 1.0, 1.0, 1e-120], 0.0),
    "an overflow": ([1e308, 1e308, TINY], [1.0, 1.0, 1.0], 0.0),
}


@pytest.mark.parametrize("case", sorted(NEAR_TIES))
def test_the_window_is_exact_near_ties(case):
    row, column, bias = NEAR_TIES[case]
    assert same(nnref.dense([row], [[w] for w in column], [bias])[0][0], exact_one(row, column, bias))


def test_the_near_ties_take_the_window(monkeypatch):
    # The cases above reach _windowed_dot; the first two answer there.
    answers = []
    real = dot._windowed_dot

    def spy(*args):
        answers.append(real(*args))
        return answers[-1]
    monkeypatch.setattr(dot, "_windowed_dot", spy)
    for case in sorted(NEAR_TIES):
        row, column, bias = NEAR_TIES[case]
        nnref.dense([row], [[w] for w in column], [bias])
    assert len(answers) == len(NEAR_TIES)
    inexact = [0.1, 2.0 ** -500, 3e-11]
    for row, want in [([1.0, 2.0 ** -500, 3.0], 4.0),   # an exact float, the rest below
                      (inexact, exact_one(inexact, [1.0] * 3, 0.0))]:
        answers.clear()
        got = nnref.dense([row], [[1.0], [1.0], [1.0]], [0.0])[0][0]
        assert answers == [want] and got == want     # answered in the window


BROKEN = {
    # No bound at all: the dropped terms are simply ignored.
    "no bound": lambda real: (lambda magnitude, bound, exponent: magnitude > 0),
    # A bound 2**60 times too small.
    "a bound too small": lambda real: (lambda magnitude, bound, exponent:
                                       real(magnitude, bound >> 60, exponent)),
    # Half the bound: a product of mantissas near 1 reaches it.
    "half the bound": lambda real: (lambda magnitude, bound, exponent:
                                    real(magnitude, bound >> 1, exponent)),
}


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_broken_window_is_caught(monkeypatch, broken):
    monkeypatch.setattr(dot, "_rounds_alike", BROKEN[broken](dot._rounds_alike))
    wrong = []
    for case in sorted(NEAR_TIES):
        row, column, bias = NEAR_TIES[case]
        got = nnref.dense([row], [[w] for w in column], [bias])[0][0]
        if not same(got, exact_one(row, column, bias)):
            wrong.append(case)
    assert "a dropped term at its bound" in wrong
    if broken != "half the bound":
        assert "kept terms that cancel" in wrong
    if broken == "no bound":
        assert "above a midpoint by a dropped term" in wrong


spread = with_exponents(-1126, 970)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6), st.integers(3, 12), st.integers(1, 4), st.data())
def test_the_window_on_spread_rows_is_correctly_rounded(n, k, m, data):
    # Rows spread over the whole float range (the benchmark's class), with
    # cancelling pairs drawn in: each output against the exact sum.
    value = spread | st.sampled_from([1.0, -1.0, 0.0, HALF_ULP_OF_ONE, TINY])
    inputs = data.draw(st.lists(st.lists(value, min_size=k, max_size=k), min_size=n, max_size=n))
    for row in inputs:
        if data.draw(st.booleans()):
            row[-1] = -row[0]                # a cancelling pair
    weights = data.draw(st.lists(st.lists(spread | st.just(1.0), min_size=m, max_size=m),
                                 min_size=k, max_size=k))
    biases = data.draw(st.lists(spread | st.just(0.0), min_size=m, max_size=m))
    assert not mismatches(nnref.dense(inputs, weights, biases),
                          fraction_dense(inputs, weights, biases))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 2 ** 300), st.integers(0, 2 ** 120), st.integers(-1400, 700))
def test_rounds_alike_is_sound(magnitude, bound, exponent):
    # Where it says so, every value within bound rounds as magnitude does:
    # checked at the ends and at the points nearest the midpoints around
    # magnitude's cell (the places where the rounding changes).
    if not dot._rounds_alike(magnitude, bound, exponent):
        return
    want = round_scaled(magnitude, exponent)
    drop = max(magnitude.bit_length() - 53, -1074 - exponent)
    cell = magnitude >> drop << drop
    size = 1 << drop
    probes = [magnitude - bound, magnitude + bound, cell, cell - 1, cell + size]
    for midpoint in (cell - size // 4, cell - size // 2, cell + size // 2, cell + size + size // 2):
        probes += [midpoint - 1, midpoint, midpoint + 1]
    checked = 0
    for v in probes:
        if magnitude - bound <= v <= magnitude + bound:
            assert same(round_scaled(v, exponent), want), (v, magnitude, bound, exponent)
            checked += 1
    assert checked >= 2


def test_rounds_alike_refuses_what_it_must():
    e = -60
    one = 1 << 60                           # 1.0 in units of 2**-60
    midpoint = one + (1 << 7)               # 1 + 2**-53, between 1.0 and the next float
    assert not dot._rounds_alike(midpoint, 1, e)
    assert not dot._rounds_alike(midpoint + 5, 10, e)
    assert dot._rounds_alike(midpoint + 20, 10, e)
    assert not dot._rounds_alike(5, 5, e)                # the sign is not settled
    assert dot._rounds_alike(one, 3, e) and round_scaled(one - 3, e) == 1.0
    assert not dot._rounds_alike(one, 1 << 6, e)         # reaches 1 - 2**-54, a midpoint
    assert round_scaled(one - (1 << 6), e) == 1.0 and round_scaled(one - (1 << 6) - 1, e) < 1.0
    # Intervals ending exactly on a midpoint, where ties go to the even end:
    # from 1.0 + 138 units down to the midpoint 1 + 2**-53, which goes to 1.0
    # (even), while 1.0 + 138 units rounds up; from the odd 1 + 2**-52 up to
    # its upper midpoint, which goes up to the even 1 + 2**-51.
    assert round_scaled(midpoint, e) == 1.0 and round_scaled(midpoint + 10, e) > 1.0
    assert not dot._rounds_alike(midpoint + 10, 10, e)
    odd = one + (1 << 8)
    assert round_scaled(odd + 128, e) > round_scaled(odd, e)
    assert not dot._rounds_alike(odd + 118, 10, e)
    assert dot._rounds_alike(odd + 117, 10, e)
    assert not dot._rounds_alike(5, 1, 0)                # exact floats 4, 5 and 6


@settings(max_examples=200, deadline=None)
@given(st.lists(spread | st.sampled_from([0.0, 1.0, 1e308, 5e-324]), min_size=1, max_size=20),
       st.sampled_from([None, 0]))
def test_narrow_scaling_refuses_only_what_is_wider_than_the_floats(values, most):
    exact = dot.scale_to_ints(values, most)
    narrow = dot.scale_to_ints(values, most, narrow=True)
    ints, e = exact
    assert all(Fraction(n) * Fraction(2) ** e == Fraction(v) for n, v in zip(ints, values))
    wide = max(abs(n) for n in ints).bit_length() > 1024
    assert (narrow is None) == wide
    assert narrow is None or narrow == exact
