"""Accuracy claims, checked against exact arithmetic.

* dense: every output is the exact sum of the exact products and the bias,
  rounded once (ties to even), with IEEE's special values and zero signs.
  The reference is ``fractions.Fraction``, whose ``float()`` is correctly
  rounded (subnormals included, and ``OverflowError`` exactly when the
  rounded value is past the largest float).
* softmax and sigmoid: within their documented ULP bounds of the true value,
  computed with ``decimal`` at 60 digits (``Decimal.exp`` is correctly
  rounded at that precision; ``float(Decimal)`` rounds correctly).
* relu and step: exact.
"""

import decimal
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import nnref
from nnref.testing import ulp_distance

from support import same

INF = float("inf")
NAN = float("nan")

# The bounds the docstrings state (measured in benchmarks/accuracy.py).
SOFTMAX_MAX_ULP = 4
SIGMOID_MAX_ULP = 2


def rounded(value):
    """The float nearest to the Fraction ``value`` (ties to even), inf past the range."""
    try:
        return float(value)
    except OverflowError:
        return INF if value > 0 else -INF


def exact_dense(inputs, weights, biases):
    """The correctly rounded dense layer of finite data, from exact rationals.

    An exact zero gets IEEE's sign: -0.0 only if every product and the bias
    are zeros of negative sign.  A nonzero sum that rounds to zero keeps its sign.
    """
    out = []
    for row in inputs:
        out_row = []
        for j, bias in enumerate(biases):
            terms = [Fraction(x) * Fraction(w[j]) for x, w in zip(row, weights)]
            total = sum(terms, Fraction(bias))
            if total == 0:
                products = [x * w[j] for x, w in zip(row, weights)]
                negative = all(math.copysign(1.0, p) < 0 for p in products + [bias])
                out_row.append(-0.0 if negative else 0.0)
            else:
                value = rounded(total)
                out_row.append(value if value != 0.0 else math.copysign(0.0, total))
        out.append(out_row)
    return out


def check_dense(inputs, weights, biases):
    got = nnref.dense(inputs, weights, biases)
    expected = exact_dense(inputs, weights, biases)
    for i, (got_row, expected_row) in enumerate(zip(got, expected)):
        for j, (g, e) in enumerate(zip(got_row, expected_row)):
            assert same(g, e), "output [%d][%d]: got %r, exact %r" % (i, j, g, e)


# --- dense: exact ties and cancellations known by hand -------------------------

def test_a_tie_between_two_floats_rounds_to_even():
    # 1 + 2**-53 is halfway between 1.0 and 1.0 + 2**-52: to even, 1.0.
    assert nnref.dense([[1.0, 2.0 ** -53]], [[1.0], [1.0]], [0.0]) == [[1.0]]
    # Just above the tie: up.
    assert nnref.dense([[1.0, 2.0 ** -53, 2.0 ** -100]], [[1.0], [1.0], [1.0]],
                       [0.0]) == [[1.0 + 2.0 ** -52]]
    # Just below the tie: down.
    assert nnref.dense([[1.0, 2.0 ** -53, -2.0 ** -100]], [[1.0], [1.0], [1.0]],
                       [0.0]) == [[1.0]]
    # The tie again, with the bias as the small term.
    assert nnref.dense([[1.0]], [[1.0]], [2.0 ** -53]) == [[1.0]]
    assert nnref.dense([[1.0 + 2.0 ** -52]], [[1.0]], [2.0 ** -53]) == [[1.0 + 2.0 ** -51]]


def test_cancelling_huge_terms_leave_the_small_ones_exactly():
    inputs = [[1e308, 1.0, -1e308, 2.0 ** -60]]
    weights = [[1.0], [1.0], [1.0], [1.0]]
    assert nnref.dense(inputs, weights, [0.0]) == [[1.0]]          # 1 + 2**-60 rounds to 1.0
    assert nnref.dense(inputs, weights, [2.0 ** -53]) == [[1.0 + 2.0 ** -52]]  # past the tie
    assert nnref.dense([[2.0 ** 1000, 3.0, -2.0 ** 1000]], [[2.0 ** 23], [1.0], [2.0 ** 23]],
                       [0.5]) == [[3.5]]
    # An ill-conditioned sum (condition number about 1e32): only an exact sum gets it.
    assert nnref.dense([[1e16, 1.0, -1e16]], [[1e16], [1.0], [1e16]], [0.0]) == [[1.0]]


def test_no_intermediate_overflow_and_overflow_only_on_rounding():
    assert nnref.dense([[1e308, 1e308, -1e308]], [[1.0], [1.0], [1.0]], [0.0]) == [[1e308]]
    assert nnref.dense([[1e308]], [[10.0]], [0.0]) == [[INF]]
    assert nnref.dense([[-1e308]], [[10.0]], [0.0]) == [[-INF]]
    biggest = 1.7976931348623157e308
    # Just below the overflow threshold 2**1024 - 2**970: the largest float.
    assert nnref.dense([[biggest, 2.0 ** 969]], [[1.0], [1.0]], [0.0]) == [[biggest]]
    # At the threshold (a tie, and the even neighbour is 2**1024): inf.
    assert nnref.dense([[biggest, 2.0 ** 970]], [[1.0], [1.0]], [0.0]) == [[INF]]
    # The same sums with the huge values in the weights (narrow rows, wide columns).
    assert nnref.dense([[1.0, 1.0], [1.0, -1.0]], [[biggest], [2.0 ** 969]],
                       [0.0]) == [[biggest], [biggest]]
    assert nnref.dense([[1.0, 1.0], [-1.0, -1.0]], [[biggest], [2.0 ** 970]],
                       [0.0]) == [[INF], [-INF]]


def test_tiny_products_round_once_into_the_subnormals():
    # 2**-537 * 2**-537 == 2**-1074, the smallest subnormal, exactly.
    assert nnref.dense([[2.0 ** -537]], [[2.0 ** -537]], [0.0]) == [[5e-324]]
    # Half of it is a tie with 0: to even, 0.0 (keeping the sign of the exact sum).
    assert same(nnref.dense([[2.0 ** -538]], [[2.0 ** -537]], [0.0])[0][0], 0.0)
    assert same(nnref.dense([[-2.0 ** -538]], [[2.0 ** -537]], [0.0])[0][0], -0.0)
    # Three quarters of it: up.
    assert nnref.dense([[3 * 2.0 ** -540]], [[2.0 ** -536]], [0.0]) == [[5e-324]]
    # Large inputs whose products cancel down to a few subnormal steps, and a
    # subnormal bias: the packed accumulator's path into the subnormals.
    w = [[5e-324], [5e-324]]
    assert nnref.dense([[2.0 ** 53 + 2, -2.0 ** 53]], w, [0.0]) == [[1e-323]]
    assert nnref.dense([[2.0 ** 53 + 2, -2.0 ** 53]], w, [5e-324]) == [[1.5e-323]]
    assert same(nnref.dense([[2.0 ** 53, -2.0 ** 53]], w, [-0.0])[0][0], 0.0)
    # Subnormal inputs times large weights are exact.
    assert nnref.dense([[5e-324, 5e-324]], [[2.0 ** 1000], [2.0 ** 1000]],
                       [0.0]) == [[2.0 ** -73]]


def test_zero_signs_follow_ieee():
    # Every term -0.0: -0.0.  Any +0.0 term, or a cancelling sum: +0.0.
    assert same(nnref.dense([[-0.0, 0.0]], [[1.0], [-1.0]], [-0.0])[0][0], -0.0)
    assert same(nnref.dense([[-0.0, 0.0]], [[1.0], [-1.0]], [0.0])[0][0], 0.0)
    assert same(nnref.dense([[0.0, 0.0]], [[1.0], [1.0]], [-0.0])[0][0], 0.0)
    assert same(nnref.dense([[1.0, -1.0]], [[1.0], [1.0]], [-0.0])[0][0], 0.0)
    assert same(nnref.matrix.matmul([[-1.0]], [[0.0]])[0][0], -0.0)


def test_special_values_follow_ieee_on_the_exact_terms():
    w = [[1.0], [1.0]]
    assert same(nnref.dense([[INF, 1.0]], w, [0.0])[0][0], INF)
    assert same(nnref.dense([[INF, -INF]], w, [0.0])[0][0], NAN)
    assert same(nnref.dense([[INF, 1.0]], w, [-INF])[0][0], NAN)
    assert same(nnref.dense([[NAN, 1.0]], w, [0.0])[0][0], NAN)
    assert same(nnref.dense([[INF, 1.0]], [[0.0], [1.0]], [0.0])[0][0], NAN)
    # A huge finite sum cannot cancel an infinity.
    assert same(nnref.dense([[1e308, 1e308, -INF]], [[1.0], [1.0], [1.0]],
                            [0.0])[0][0], -INF)
    # A non-finite value in one row leaves the other rows correctly rounded.
    got = nnref.dense([[NAN, 1.0], [1.0, 2.0 ** -53]], w, [0.0])
    assert same(got[0][0], NAN) and got[1] == [1.0]


# --- dense: property tests against Fraction ------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)
dyadic = st.builds(lambda n, e: math.ldexp(n, e),
                   st.integers(-2 ** 53 + 1, 2 ** 53 - 1), st.integers(-1100, 970))
small_dyadic = st.builds(lambda n, e: math.ldexp(n, e),
                         st.integers(-2 ** 20, 2 ** 20), st.integers(-40, 10))
tiny = st.builds(lambda n, e: math.ldexp(n, e),
                 st.integers(-2 ** 53 + 1, 2 ** 53 - 1), st.integers(-1100, -500))
huge = st.builds(lambda n, e: math.ldexp(n, e),
                 st.integers(-2 ** 53 + 1, 2 ** 53 - 1), st.integers(900, 970))
values = st.one_of(finite, dyadic, small_dyadic, tiny, huge, st.sampled_from([0.0, -0.0]))


@st.composite
def layers(draw, elements=values):
    n = draw(st.integers(1, 3))
    k = draw(st.integers(1, 5))
    m = draw(st.integers(1, 4))
    inputs = [[draw(elements) for _ in range(k)] for _ in range(n)]
    weights = [[draw(elements) for _ in range(m)] for _ in range(k)]
    biases = [draw(elements) for _ in range(m)]
    if draw(st.booleans()):
        # Cancelling pairs: each term comes back negated, leaving only the bias.
        inputs = [row + [-v for v in row] for row in inputs]
        weights = weights + weights
    return inputs, weights, biases


@settings(max_examples=300)
@given(layers())
def test_dense_is_correctly_rounded_on_any_finite_data(layer):
    check_dense(*layer)


@settings(max_examples=100)
@given(layers(st.one_of(small_dyadic, st.sampled_from([0.0, -0.0, 1.0, -1.0]))))
def test_dense_is_correctly_rounded_on_short_dyadic_data(layer):
    check_dense(*layer)


@settings(max_examples=30)
@given(st.integers(0, 2 ** 32 - 1))
def test_dense_is_correctly_rounded_on_a_wide_random_layer(seed):
    # Wide enough (k = 40, m = 9) that the packed accumulator's slots are busy.
    rng = nnref.RandomState(seed)
    inputs = rng.randn(4, 40)
    weights = [[0.01 * v for v in row] for row in rng.randn(40, 9)]
    biases = rng.randn(9)
    check_dense(inputs, weights, biases)


@settings(max_examples=50)
@given(st.lists(finite, min_size=2, max_size=6), st.floats(-1e300, 1e300))
def test_dense_gets_ill_conditioned_dots_right(xs, shift):
    # x . w with a pair of huge cancelling terms added: condition far past 1e10.
    inputs = [xs + [shift, -shift]]
    weights = [[1.0] for _ in xs] + [[3.0], [3.0]]
    check_dense(inputs, weights, [0.0])


# --- softmax and sigmoid: within the stated bound of the true value -------------

CONTEXT = decimal.Context(prec=60, Emin=-9999, Emax=9999)


def true_softmax(row):
    top = max(row)
    exps = [CONTEXT.exp(CONTEXT.subtract(decimal.Decimal(v), decimal.Decimal(top)))
            for v in row]
    total = sum(exps, decimal.Decimal(0))
    return [float(CONTEXT.divide(e, total)) for e in exps]


def true_sigmoid(x):
    e = CONTEXT.exp(CONTEXT.minus(decimal.Decimal(x)))
    return float(CONTEXT.divide(1, CONTEXT.add(1, e)))


@settings(max_examples=200)
@given(st.lists(st.one_of(st.floats(-750, 750), st.floats(-30, 30), st.floats(-2, 2)),
                min_size=1, max_size=10))
def test_softmax_is_within_its_bound(row):
    for got, true in zip(nnref.softmax(row), true_softmax(row)):
        assert ulp_distance(got, true) <= SOFTMAX_MAX_ULP, (row, got, true)


def test_softmax_of_far_apart_values_keeps_the_correction():
    # x - max is rounded here (|d| ~ 700): the plain idiom is hundreds of ULP off.
    row = [0.1, -700.3, 300.123456789, -449.9999]
    for got, true in zip(nnref.softmax(row), true_softmax(row)):
        assert ulp_distance(got, true) <= SOFTMAX_MAX_ULP


@settings(max_examples=300)
@given(st.one_of(st.floats(-750, 750), st.floats(-40, 40), st.floats(-1e-300, 1e-300)))
def test_sigmoid_is_within_its_bound(x):
    got = nnref.sigmoid(x)
    assert ulp_distance(got, true_sigmoid(x)) <= SIGMOID_MAX_ULP, (x, got)


def test_sigmoid_keeps_subnormal_results():
    for x in (-708.5, -720.0, -740.0, -745.0):
        assert 0.0 < nnref.sigmoid(x) < 2.2250738585072014e-308
        assert ulp_distance(nnref.sigmoid(x), true_sigmoid(x)) <= SIGMOID_MAX_ULP
    assert nnref.sigmoid(-746.0) == 0.0


# --- relu and step: exact -------------------------------------------------------

@given(st.lists(st.floats(), max_size=8))
def test_relu_and_step_are_exact(row):
    for x, r, s in zip(row, nnref.relu(row), nnref.step(row)):
        if x != x:
            assert r != r and s != s
            continue
        assert same(r, x if x > 0.0 or same(x, -0.0) else 0.0)
        assert s == (1.0 if x > 0.0 else 0.0)


@pytest.mark.parametrize("bad", [True, "1", None, 1j, decimal.Decimal(1), Fraction(1, 2)])
def test_the_fast_paths_still_reject_what_is_not_a_number(bad):
    for f in (nnref.relu, nnref.sigmoid, nnref.softmax):
        with pytest.raises(TypeError, match=r"x\[1\]\[2\]"):
            f([[0.5, 1.0, 2.0], [1.0, 2.0, bad]])
        with pytest.raises(TypeError, match=r"x\[1\]"):
            f([0.5, bad])
