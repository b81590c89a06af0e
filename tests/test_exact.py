"""Tests for ``nnref.exact`` against computations that share no code with it.

The expected values come from:

* ``nearest`` below: a Fraction rounded to the nearest float64 or float32 by
  comparing exact distances to neighbouring floats, which are found from
  the bit patterns with ``struct`` (no ``math.ldexp``, no ``float(int)``
  rounding trusted), with ties to even on the bit pattern and ``±inf`` past
  the top of the range, as IEEE 754 defines round-to-nearest;
* dense: ``fractions.Fraction`` sums of the exact products;
* sigmoid and softmax: ``decimal`` at a fixed 200 digits with ordinary
  (round-half-even) operations and a single formula, 1 / (1 + e^-x) and
  e^(x_i - max) / sum.  The reference's own error is below 1e-190 of the
  value, and every expected value is checked to be decided by it (both
  ends of value * (1 ± 1e-190) round to the same float); a reference that
  cannot decide fails the test instead of guessing.
"""

import math
import struct
import subprocess
import sys
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_EVEN, Context, Decimal, Inexact
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nnref
from nnref import exact

from support import bits, from_bits, same

INF = float("inf")
NAN = float("nan")
DTYPES = ("float64", "float32")


# --- an independent correctly rounding conversion --------------------------------

_TOP = {"float64": Fraction(2) ** 1024, "float32": Fraction(2) ** 128}


def _value(x, dtype):
    # +inf sits where the next binade would start: values past the largest
    # float's half-way point round to it, and the tie goes to its even pattern.
    return _TOP[dtype] if x == INF else Fraction(x)


def _start(magnitude, dtype):
    # Any float near the magnitude; the walk below corrects it.
    try:
        guess = float(magnitude)
    except OverflowError:
        return INF
    if dtype == "float32":
        try:
            guess = struct.unpack("<f", struct.pack("<f", guess))[0]
        except OverflowError:
            guess = INF
    return guess


def nearest(q, dtype):
    """The dtype value nearest the Fraction ``q``, ties to even; signed zero for tiny q."""
    if q == 0:
        return 0.0
    magnitude = abs(q)
    c = _start(magnitude, dtype)

    def distance(x):
        return abs(_value(x, dtype) - magnitude)

    def down(x):
        return from_bits(bits(x, dtype) - 1, dtype)

    def up(x):
        return from_bits(bits(x, dtype) + 1, dtype)

    while c > 0.0 and distance(down(c)) < distance(c):
        c = down(c)
    while c != INF and distance(up(c)) < distance(c):
        c = up(c)
    if bits(c, dtype) & 1:
        if c > 0.0 and distance(down(c)) == distance(c):
            c = down(c)
        elif c != INF and distance(up(c)) == distance(c):
            c = up(c)
    return -c if q < 0 else c


def assert_same(actual, expected):
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (actual, expected)
        for a, e in zip(actual, expected):
            assert_same(a, e)
    else:
        assert same(actual, expected), "got %r (%s), expected %r (%s)" % (
            actual, float.hex(actual), expected, float.hex(expected))


def test_nearest_agrees_with_other_correct_roundings():
    # CPython's int/int (behind float(Fraction)) and the C double -> float cast
    # behind struct's "f" are correctly rounded; the helper must agree.
    cases = [Fraction(1, 3), Fraction(2) ** -1075, Fraction(3) * Fraction(2) ** -1076,
             Fraction(2) ** 1024 - Fraction(2) ** 970 - 1, Fraction(10) ** -320,
             Fraction(2 ** 53 + 1), Fraction(-7, 10)]
    for q in cases:
        assert same(nearest(q, "float64"), float(q))
    assert nearest(Fraction(2) ** 1024 - Fraction(2) ** 970, "float64") == INF  # the tie
    assert nearest(Fraction(2) ** 1024 - Fraction(2) ** 970 - 1, "float64") < INF
    assert same(nearest(Fraction(-1, 2 ** 1075), "float64"), -0.0)
    for x in (0.1, 1e-40, 1e-45, 7e-46, 3.4028235e38, 3.4028236e38, -2.5, 1 + 2 ** -24):
        try:
            via_struct = struct.unpack("<f", struct.pack("<f", x))[0]
        except OverflowError:
            via_struct = math.copysign(INF, x)
        assert same(nearest(Fraction(x), "float32"), via_struct)


# --- the 200-digit reference for sigmoid and softmax ------------------------------

_REF = Context(prec=200, rounding=ROUND_HALF_EVEN, Emin=MIN_EMIN, Emax=MAX_EMAX, traps=[])
# Differences of two floats have at most about 1400 significant digits, so at
# 5000 digits the subtraction is exact; Inexact is trapped to prove it.
_EXACT = Context(prec=5000, Emin=MIN_EMIN, Emax=MAX_EMAX, traps=[Inexact])
_REF_ERROR = Fraction(1, 10 ** 190)


def _decide(v, dtype):
    # v approximates the true value t within 1e-190 relative; the rounding of
    # t is known only if all of that neighbourhood rounds the same way.
    if v < Decimal("1e-400"):
        return 0.0          # far below half the smallest subnormal (2.5e-324)
    q = Fraction(v)
    low = nearest(q * (1 - _REF_ERROR), dtype)
    high = nearest(q * (1 + _REF_ERROR), dtype)
    assert same(low, high), "the 200-digit reference cannot decide %r" % (v,)
    return low


def ref_sigmoid(x, dtype):
    if x != x:
        return NAN
    if x == INF:
        return 1.0
    if x == -INF:
        return 0.0
    if x < -1e5:
        # e^100000 at 200 digits takes decimal very long; the value is below
        # e^-100000 < 10**-43000, far below the smallest subnormal.
        return 0.0
    # For huge x, exp(-x) underflows to 0 and the value rounds to 1.0, right.
    e = _REF.exp(Decimal(x).copy_negate())
    return _decide(_REF.divide(1, _REF.add(1, e)), dtype)


def ref_softmax_row(row, dtype):
    if not row:
        return []
    if any(v != v or v == INF for v in row) or all(v == -INF for v in row):
        return [NAN] * len(row)
    top = max(row)
    exps = []
    for v in row:
        if v == -INF:
            exps.append(Decimal(0))
            continue
        d = _EXACT.subtract(Decimal(v), Decimal(top))
        # Below -1e17 a term is < 10**-4e16: nothing at 200 digits, and its own
        # output is far below the smallest subnormal.
        exps.append(Decimal(0) if d < -10 ** 17 else _REF.exp(d))
    total = Decimal(0)
    for e in exps:
        total = _REF.add(total, e)
    return [_decide(_REF.divide(e, total), dtype) for e in exps]


# --- dense reference: Fractions -----------------------------------------------------

def _neg_zero(v):
    return v == 0.0 and math.copysign(1.0, v) < 0


def ref_dense_output(row, column, bias, dtype):
    values = list(row) + list(column) + [bias]
    if any(v != v or v in (INF, -INF) for v in values):
        # IEEE: only the terms with an infinite (or NaN) factor matter, and
        # float arithmetic on those terms is exact (inf, -inf or nan).
        total = 0.0
        for x, w in zip(row, column):
            if not (math.isfinite(x) and math.isfinite(w)):
                total += x * w
        if not math.isfinite(bias):
            total += bias
        return total
    total = sum((Fraction(x) * Fraction(w) for x, w in zip(row, column)), Fraction(bias))
    if total == 0:
        all_negative_zero = _neg_zero(bias) and all(
            (x == 0.0 or w == 0.0) and _neg_zero(x * w) for x, w in zip(row, column))
        return -0.0 if all_negative_zero else 0.0
    return nearest(total, dtype)


def ref_dense(inputs, weights, biases, dtype):
    columns = list(zip(*weights))
    return [[ref_dense_output(r, c, b, dtype) for c, b in zip(columns, biases)] for r in inputs]


# --- strategies --------------------------------------------------------------------

any_float = st.floats(allow_nan=True, allow_infinity=True)
finite = st.floats(allow_nan=False, allow_infinity=False)
subnormal = st.floats(min_value=-2.3e-308, max_value=2.3e-308)
near_boundaries = st.one_of(
    st.floats(min_value=-40.0, max_value=40.0),
    st.floats(min_value=709.0, max_value=711.0),
    st.floats(min_value=-711.0, max_value=-709.0),
    st.floats(min_value=-746.5, max_value=-744.0),
    st.floats(min_value=744.0, max_value=746.5),
    st.floats(min_value=-104.5, max_value=-102.0),     # float32's subnormal results
    st.floats(min_value=-88.0, max_value=-86.0),       # float32's smallest normals
    st.floats(min_value=-1e-15, max_value=1e-15),
)
sigmoid_inputs = st.one_of(any_float, near_boundaries, subnormal)
dtypes = st.sampled_from(DTYPES)


# --- sigmoid -------------------------------------------------------------------------

@settings(max_examples=150)
@given(sigmoid_inputs, dtypes)
@example(-745.0, "float64")
@example(-745.1332191019411, "float64")   # near ln(2**-1075), the zero threshold
@example(709.782712893384, "float64")
@example(-103.97207708399179, "float32")  # near ln(2**-150)
@example(37.42994775023629, "float64")
def test_sigmoid_is_correctly_rounded(x, dtype):
    assert same(exact.sigmoid(x, dtype=dtype), ref_sigmoid(x, dtype))


# Found by tools/find_hard_cases.py: x is the float nearest to logit(m) (or a
# neighbour) for a midpoint m between two adjacent floats, so sigmoid(x) lies
# within the stated relative distance of m.  "trap": rounding sigmoid(x) to
# 53 bits first lands exactly on m (float32 through float64; float64
# subnormals through 53 bits then scaling), so a double rounding can be wrong.
HARD_SIGMOID = [
    # dtype, x, midpoint, |sigmoid(x) - m| / m
    ('float64', 2.220446049250313e-16, '0.5 + 0.5 ulp', 4.56e-49),
    ('float64', -1.1102230246251565e-16, '0.5 - 0.5 ulp', 5.70e-50),
    ('float64', 37.42994775023705, '1 - 0.5 ulp', 6.92e-32),
    ('float64', 6.661338147750939e-16, '0.5 + 1.5 ulp', 1.23e-47),
    ('float64', -3.3306690738754696e-16, '0.5 - 1.5 ulp', 1.54e-48),
    ('float64', 36.33133546156893, '1 - 1.5 ulp', 5.66e-31),
    ('float64', 1.5543122344752192e-15, '0.5 + 3.5 ulp', 1.56e-46),
    ('float64', -7.771561172376096e-16, '0.5 - 3.5 ulp', 1.96e-47),
    ('float64', 35.48403760118173, '1 - 3.5 ulp', 1.35e-31),
    ('float64', 4.4431125445498765e-13, '0.5 + 1000.5 ulp', 3.65e-39),
    ('float64', -2.2215562722749382e-13, '0.5 - 1000.5 ulp', 4.57e-40),
    ('float64', 29.828545415653203, '1 - 1000.5 ulp', 4.32e-29),
    ('float64', 5.4825699535854255e-11, '0.5 + 123456.5 ulp', 6.87e-33),
    ('float64', -2.7412849767927128e-11, '0.5 - 123456.5 ulp', 8.58e-34),
    ('float64', 25.013156423380273, '1 - 123456.5 ulp', 2.40e-26),
    ('float32', 1.1920928955078138e-07, '0.5 + 0.5 ulp, trap', 4.41e-24),
    ('float32', -5.960464477539064e-08, '0.5 - 0.5 ulp, trap', 2.21e-24),
    ('float32', 17.32867948419631, '1 - 0.5 ulp, trap', 2.57e-23),
    ('float32', 3.5762786865234756e-07, '0.5 + 1.5 ulp, trap', 3.66e-35),
    ('float32', -1.7881393432617235e-07, '0.5 - 1.5 ulp, trap', 1.14e-36),
    ('float32', 16.23006713592355, '1 - 1.5 ulp, trap', 3.02e-23),
    ('float32', 8.344650268555171e-07, '0.5 + 3.5 ulp, trap', 1.76e-23),
    ('float32', -4.172325134277404e-07, '0.5 - 3.5 ulp, trap', 8.82e-24),
    ('float32', 15.382769156327042, '1 - 3.5 ulp, trap', 1.49e-22),
    ('float32', 0.00023853778952218546, '0.5 + 1000.5 ulp, trap', 3.77e-21),
    ('float32', -0.00011926889433694067, '0.5 - 1000.5 ulp, trap', 3.37e-21),
    ('float64', -740.600619608788, '46.5 smallest subnormals, trap', 6.63e-17),
    ('float64', -736.8079130721886, '2063.5 smallest subnormals, trap', 4.03e-17),
    ('float64', -736.5700969786366, '2617.5 smallest subnormals, trap', 1.04e-17),
    ('float32', -98.65887110495001, '101.5 smallest subnormals, trap', 3.18e-17),
    ('float32', -98.20688598120695, '159.5 smallest subnormals, trap', 5.53e-17),
]


@pytest.mark.parametrize("dtype, x, midpoint, distance", HARD_SIGMOID)
def test_sigmoid_hard_cases(dtype, x, midpoint, distance):
    expected = ref_sigmoid(x, dtype)
    assert same(exact.sigmoid(x, dtype=dtype), expected)
    # The same values through softmax: softmax([x, 0])[0] == sigmoid(x), and
    # a term far below the max only nudges it by e^-800.
    assert same(exact.softmax([x, 0.0], dtype=dtype)[0], expected)
    assert_same(exact.softmax([[x, 0.0, -800.0]], dtype=dtype),
                [ref_softmax_row([x, 0.0, -800.0], dtype)])


def test_sigmoid_hard_cases_are_hard():
    # Each x really is that close to a midpoint (checked at 200 digits): the
    # value sits strictly between the two floats around it, and 30 digits,
    # where Ziv's loop starts, cannot separate it from the midpoint.
    for dtype, x, _, distance in HARD_SIGMOID:
        s = Fraction(_REF.divide(1, _REF.add(1, _REF.exp(Decimal(x).copy_negate()))))
        r = Fraction(exact.sigmoid(x, dtype=dtype))
        other_side = nearest(2 * s - r, dtype)     # the float across the midpoint
        assert other_side != float(r)
        midpoint = (r + Fraction(other_side)) / 2
        assert abs(s - midpoint) / s < Fraction(distance) * 2


# --- softmax -------------------------------------------------------------------------

softmax_element = st.one_of(
    st.floats(min_value=-50.0, max_value=50.0),
    st.floats(min_value=-1000.0, max_value=1000.0),
    finite,
    subnormal,
    st.sampled_from([-INF, 0.0, -0.0, -745.0, 745.0, 709.78, -709.78]),
)
softmax_row = st.lists(softmax_element, min_size=1, max_size=6)


@settings(max_examples=100)
@given(softmax_row, dtypes)
@example([4.8, 1.21, 2.385], "float64")
@example([0.0, -745.13, -745.14, -746.0, -1e308], "float64")
@example([1e308, -1e308, 5e-324], "float32")
@example([0.0, 0.0, 0.0], "float32")
def test_softmax_is_correctly_rounded(row, dtype):
    assert_same(exact.softmax(row, dtype=dtype), ref_softmax_row(row, dtype))


@settings(max_examples=40)
@given(st.lists(st.one_of(softmax_element, st.sampled_from([NAN, INF])), min_size=0, max_size=4),
       st.integers(min_value=1, max_value=3), dtypes)
def test_softmax_batches_row_by_row(row, n_rows, dtype):
    batch = [row[i:] + row[:i] for i in range(n_rows)]
    if not row:
        batch = [[] for _ in range(n_rows)]
    assert_same(exact.softmax(batch, dtype=dtype), [ref_softmax_row(r, dtype) for r in batch])


def test_softmax_special_cases():
    nan_row = [NAN, NAN, NAN]
    assert_same(exact.softmax([1.0, NAN, 2.0]), nan_row)
    assert_same(exact.softmax([1.0, INF, 2.0]), nan_row)
    assert_same(exact.softmax([-INF, -INF, -INF]), nan_row)
    assert_same(exact.softmax([-INF, 0.0, -INF], dtype="float32"), [0.0, 1.0, 0.0])
    assert_same(exact.softmax([0.0, -746.0000000000001]), [1.0, 0.0])
    assert_same(exact.softmax([]), [])
    assert_same(exact.softmax([[], []]), [[], []])
    assert_same(exact.softmax([[1.0, 1.0], [NAN, 0.0]]), [[0.5, 0.5], [NAN, NAN]])
    # exp(-745) / (1 + ...) is the smallest subnormal, and e^(-745.2) is below half of it
    assert_same(exact.softmax([0.0, -745.0, -745.2]), [1.0, 5e-324, 0.0])


# --- elementwise: step, linear, relu -----------------------------------------------

@settings(max_examples=100)
@given(st.lists(st.one_of(any_float, subnormal), max_size=5), dtypes)
def test_linear_relu_step_are_rounded_once(xs, dtype):
    def rounded(v):
        return v if not math.isfinite(v) or v == 0.0 else nearest(Fraction(v), dtype)
    assert_same(exact.linear(xs, dtype=dtype), [rounded(v) for v in xs])
    assert_same(exact.relu(xs, dtype=dtype),
                [v if v != v else rounded(v) if v >= 0.0 or v != v else 0.0 for v in xs])
    assert_same(exact.step(xs, dtype=dtype), [NAN if v != v else 1.0 if v > 0 else 0.0 for v in xs])


def test_elementwise_special_cases():
    assert_same(exact.sigmoid([NAN, 0.0, -0.0, INF, -INF, 38.0, -746.0, 1e308, -1e308]),
                [NAN, 0.5, 0.5, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    assert_same(exact.relu([NAN, -0.0, INF, -INF, -1.0]), [NAN, -0.0, INF, 0.0, 0.0])
    assert_same(exact.linear([NAN, -0.0, INF, -INF]), [NAN, -0.0, INF, -INF])
    assert_same(exact.step([NAN, 0.0, -0.0, INF, -INF]), [NAN, 0.0, 0.0, 1.0, 0.0])
    # float32 overflow and rounding; ties to even at 2**24 + 1
    assert_same(exact.linear([3.5e38, -3.5e38, 1e-50, -1e-50, 16777217.0], dtype="float32"),
                [INF, -INF, 0.0, -0.0, 16777216.0])
    # 2**128 - 2**103 is the tie between float32's largest value and 2**128: to even, inf
    tie = 2.0 ** 128 - 2.0 ** 103
    below = from_bits(bits(tie) - 1)
    assert_same(exact.relu([tie, below], dtype="float32"), [INF, 3.4028234663852886e38])
    assert exact.sigmoid(2) == exact.sigmoid(2.0)          # ints are taken as floats
    assert exact.step(1) == 1.0


def test_shapes_follow_the_input():
    assert exact.sigmoid(0.0) == 0.5
    assert exact.sigmoid([0.0]) == [0.5]
    assert exact.sigmoid([[0.0], [0.0]]) == [[0.5], [0.5]]
    assert exact.sigmoid([]) == []
    assert exact.relu(()) == []


# --- dense -----------------------------------------------------------------------------

dense_element = st.one_of(
    st.integers(min_value=-4, max_value=4).map(float),
    st.floats(min_value=-1e3, max_value=1e3),
    finite,
    subnormal,
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 2.0 ** -537, 3.4e38]),
)


@st.composite
def dense_problems(draw, elements=dense_element):
    n = draw(st.integers(min_value=0, max_value=3))
    k = draw(st.integers(min_value=1, max_value=4))
    m = draw(st.integers(min_value=1, max_value=3))
    inputs = [[draw(elements) for _ in range(k)] for _ in range(n)]
    weights = [[draw(elements) for _ in range(m)] for _ in range(k)]
    biases = [draw(elements) for _ in range(m)]
    if draw(st.booleans()) and n:
        # a cancelling pair of terms, to reach exact zeros and tiny remainders
        inputs[0] = inputs[0][:]
        if k >= 2:
            inputs[0][1] = -inputs[0][0]
            for row in weights[1:2]:
                row[:] = weights[0][:]
    return inputs, weights, biases


@settings(max_examples=150)
@given(dense_problems(), dtypes)
def test_dense_is_the_rounded_fraction_sum(problem, dtype):
    inputs, weights, biases = problem
    assert_same(exact.dense(inputs, weights, [biases], dtype=dtype),
                ref_dense(inputs, weights, biases, dtype))


@settings(max_examples=60)
@given(dense_problems(st.one_of(dense_element, st.sampled_from([NAN, INF, -INF]))), dtypes)
def test_dense_special_values(problem, dtype):
    inputs, weights, biases = problem
    assert_same(exact.dense(inputs, weights, biases, dtype=dtype),
                ref_dense(inputs, weights, biases, dtype))


@settings(max_examples=60)
@given(dense_problems())
def test_dense_float64_agrees_with_the_float_tier(problem):
    # Both promise the correctly rounded sum, so they must agree bit for bit.
    inputs, weights, biases = problem
    assert_same(exact.dense(inputs, weights, biases), nnref.dense(inputs, weights, biases))


def test_dense_hand_picked():
    ones = [[1.0], [1.0], [1.0]]
    assert_same(exact.dense([[1e308, 1e308, -1e308]], ones, [0.0]), [[1e308]])
    # 1 + 2**-24 + 2**-60: float64 rounding gives 1 + 2**-24, a float32 tie that
    # goes to 1.0; the single rounding goes up.
    assert_same(exact.dense([[1.0, 2.0 ** -24, 2.0 ** -60]], ones, [0.0], dtype="float32"),
                [[1.0 + 2.0 ** -23]])
    # 1.5 * 2**-1074 is a tie between 1 and 2 subnormal units (to even: 2); a
    # tiny extra term decides it either way.
    tie = [[1.5 * 2.0 ** -537, 2.0 ** -600]]
    assert_same(exact.dense(tie, [[2.0 ** -537], [0.0]], [0.0]), [[1e-323]])
    assert_same(exact.dense(tie, [[2.0 ** -537], [-2.0 ** -600]], [0.0]), [[5e-324]])
    assert_same(exact.dense(tie, [[2.0 ** -537], [2.0 ** -600]], [0.0]), [[1e-323]])
    assert_same(exact.dense([[2.5 * 2.0 ** -537, 2.0 ** -600]], [[2.0 ** -537], [2.0 ** -600]],
                            [0.0]), [[1.5e-323]])
    # signed zeros
    assert_same(exact.dense([[-0.0, 0.0]], [[1.0], [-1.0]], [-0.0]), [[-0.0]])
    assert_same(exact.dense([[-0.0, 0.0]], [[1.0], [-1.0]], [0.0]), [[0.0]])
    assert_same(exact.dense([[-0.0]], [[-1.0]], [-0.0]), [[0.0]])
    assert_same(exact.dense([[1.0, -1.0]], [[1.0], [1.0]], [-0.0]), [[0.0]])
    assert_same(exact.dense([[1e-200]], [[-1e-200]], [0.0]), [[-0.0]])   # negative, rounds to 0
    # float32 overflow of a finite sum, and infinities
    assert_same(exact.dense([[1e38]], [[10.0]], [0.0], dtype="float32"), [[INF]])
    assert_same(exact.dense([[1e38]], [[10.0]], [0.0]), [[1e39]])
    assert_same(exact.dense([[INF, 1.0]], [[1.0], [-INF]], [0.0]), [[NAN]])
    assert_same(exact.dense([[INF, 0.0]], [[0.0], [1.0]], [0.0]), [[NAN]])
    assert_same(exact.dense([[INF, 1e308]], [[1.0], [1e308]], [-1e308]), [[INF]])
    # zero-size shapes
    assert exact.dense([], [[1.0]], [0.0]) == []
    assert_same(exact.dense([[], []], [], [[0.1, -0.0]], dtype="float32"),
                [[nearest(Fraction(0.1), "float32"), -0.0]] * 2)


# --- the contract shared with the float tier ----------------------------------------

def test_inputs_are_not_modified_or_returned():
    row = [0.5, -1.0]
    batch = [row]
    weights = [[1.0], [2.0]]
    biases = [[0.0]]
    copies = [list(row)], [list(w) for w in weights], [list(biases[0])]
    for f in (exact.step, exact.linear, exact.relu, exact.sigmoid, exact.softmax):
        out = f(batch)
        assert out is not batch and out[0] is not row
        out = f(row)
        assert out is not row
    out = exact.dense(batch, weights, biases)
    assert out is not batch and out[0] is not row
    out = exact.dense([[]], [], biases)
    assert out[0] is not biases[0]
    assert (batch, weights, biases) == copies


BAD_CALLS = [
    ("sigmoid", ("a",)),
    ("sigmoid", ([1.0, None],)),
    ("sigmoid", ([[1.0], [1.0, 2.0]],)),
    ("relu", ([True],)),
    ("step", (1j,)),
    ("linear", ([[1.0, "x"]],)),
    ("softmax", (3.0,)),
    ("softmax", ([[1.0, 2.0], [1.0]],)),
    ("dense", ([[1.0, 2.0]], [[1.0, 2.0]], [[0.0, 0.0]])),
    ("dense", ([1.0, 2.0], [[1.0], [2.0]], [0.0])),
    ("dense", ([[1.0]], [[1.0, 2.0]], [[0.0]])),
    ("dense", ([[1.0]], [[1.0]], [[0.0], [0.0]])),
    ("dense", ([[1.0]], [[1.0]], 0.0)),
    ("dense", ([[1.0]], [1.0], [0.0])),
    ("dense", ([[1.0]], [[False]], [0.0])),
    ("dense", ([[2 ** 1024]], [[1.0]], [0.0])),
]


@pytest.mark.parametrize("name, args", BAD_CALLS)
def test_errors_match_the_float_tier(name, args):
    with pytest.raises((TypeError, ValueError)) as expected:
        getattr(nnref, name)(*args)
    with pytest.raises(expected.type) as got:
        getattr(exact, name)(*args)
    assert str(got.value) == "exact." + str(expected.value)


@pytest.mark.parametrize("name", ["step", "linear", "relu", "sigmoid", "softmax"])
@pytest.mark.parametrize("dtype", ["float8", None, "FLOAT32", 32])
def test_bad_dtype(name, dtype):
    with pytest.raises(ValueError, match="exact.%s: dtype must be 'float64', 'float32', 'float16' or 'bfloat16'" % name):
        getattr(exact, name)([1.0], dtype=dtype)
    with pytest.raises(ValueError, match="exact.dense: dtype"):
        exact.dense([[1.0]], [[1.0]], [0.0], dtype=dtype)


def test_float32_results_are_float32_values():
    values = (exact.sigmoid([0.1, -90.0, 3.0], dtype="float32")
              + exact.softmax([0.1, 0.2, -100.0], dtype="float32")
              + exact.dense([[0.1]], [[0.3]], [0.7], dtype="float32")[0])
    for v in values:
        assert type(v) is float
        assert struct.unpack("<f", struct.pack("<f", v))[0] == v


def test_exact_is_absent_without_decimal():
    # MicroPython has no decimal: nnref must still import, without nnref.exact.
    code = ("import sys; sys.modules['decimal'] = None; import nnref; "
            "print(hasattr(nnref, 'exact'), nnref.sigmoid(0.0))")
    out = subprocess.check_output([sys.executable, "-c", code], cwd=_repo_root())
    assert out.decode().split() == ["False", "0.5"]


def _repo_root():
    import os
    return os.path.dirname(os.path.dirname(os.path.abspath(nnref.__file__)))
