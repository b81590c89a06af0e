"""``nnref.exact``'s backward passes against evaluations written apart from the package.

Everything expected here comes from this file:

* sigmoid and softmax gradients: ``decimal`` at 130 digits or more, with the
  plain formulas (the book's ``s * (1 - s)``, with more digits as |x| grows,
  since 1 - s cancels; and sum_j s_i s_j (d_i - d_j) with the softmax
  normalised by its sum, not the oracle's grouped integer coefficients and
  interval bounds), with more digits for rows whose logits spread widely;
* the dense gradients and relu: ``fractions.Fraction``, exactly;
* rounding: ``nearest`` of tests/test_exact_narrow.py, integer arithmetic from
  the IEEE layout, only where the decimal value decides it (``decide``).

Deliberately wrong implementations (a softmax gradient without the <s, d>
term, dense gradients with a wrong transpose, the book's cancelling sigmoid
formula, JAX's ReLU NaN rule) are shown to fail the same checks.
"""

import math
from decimal import Context, Decimal, ROUND_HALF_EVEN
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnref
from nnref import exact

from support import same
from test_exact_narrow import nearest

INF = float("inf")
NAN = float("nan")
DTYPES = ("float64", "float32", "float16", "bfloat16")


# --- the independent evaluation -----------------------------------------------------

def context(digits):
    return Context(prec=digits, rounding=ROUND_HALF_EVEN, Emin=-10 ** 8, Emax=10 ** 8)


def decide(value, dtype, slack):
    """The dtype value nearest the Decimal ``value``, known to within the Decimal ``slack``.

    Fails (rather than guesses) if that does not decide the rounding.
    """
    result = decided(value, dtype, slack)
    assert result is not None, "%s +- %s does not decide the rounding" % (value, slack)
    return result


def decided(value, dtype, slack):
    """``decide``'s value, or None where ``value +- slack`` straddles a rounding boundary."""
    q = Fraction(value)
    if q == 0 and slack == 0:
        return 0.0
    room = Fraction(slack)
    low, high = nearest(q - room, dtype), nearest(q + room, dtype)
    return low if same(low, high) else None


def ref_sigmoid_grad(d, x, dtype):
    """d * s * (1 - s), s = 1 / (1 + e^-x), in decimal, then rounded.

    1 - s cancels to e^-|x| or so: 130 digits plus |x| / ln 10 keep 120 of them.
    """
    if x != x or d != d:
        return NAN
    if x in (INF, -INF):
        return d * 0.0
    if d in (INF, -INF):
        return d
    if d == 0.0:
        return d * 0.25
    if x == 0.0:
        # s(0) = 1/2, so the value is d / 4 exactly, and may be a tie (d = 2**-1073
        # gives half the least subnormal): round the rational.  At any other x the
        # value is transcendental (Lindemann), never a tie, and the ball decides.
        result = nearest(Fraction(d) / 4, dtype)
        return result if result != 0.0 else math.copysign(0.0, d)
    # Near x = 0 the value is within about x**2 / 4 (relative) of the tie d / 4:
    # more digits until the ball is clear of every rounding boundary.
    cancelled = int(abs(x) / 2.3)       # the digits 1 - s loses
    digits = 130 + cancelled
    while True:
        c = context(digits)
        s = c.divide(1, c.add(1, c.exp(Decimal(-x))))
        value = c.multiply(c.multiply(Decimal(d), s), c.subtract(1, s))
        result = decided(value, dtype, abs(value) / Decimal(10) ** (digits - 10 - cancelled))
        if result is not None or digits > 20000:
            break
        digits *= 2
    assert result is not None, "%r at %r: no decision at %d digits" % (d, x, digits)
    return result if result != 0.0 else math.copysign(0.0, d)


EXACT = context(2000)          # the difference of any two doubles is exact at 2000 digits


def ref_softmax_grad(d_row, x_row, dtype):
    """g_i = sum_j s_i * s_j * (d_i - d_j) (= s_i * (d_i - <s, d>), as sum_j s_j = 1), in decimal.

    s is the softmax of the row, e^(x_j - max) / sum, at 130 digits plus the
    logits' spread over ln 10; each d_i - d_j is exact; the rounding is decided
    from the sum and its error bound (the sum of the terms' magnitudes times
    10**-120), and a sum that is exactly zero is zero.
    """
    finite = [v for v in x_row if v != -INF]
    if (any(v != v or v == INF for v in x_row) or not finite
            or any(v != v or v in (INF, -INF) for v in d_row)):
        return [NAN] * len(x_row)
    top, bottom = max(finite), min(finite)
    # Rows near a rational one (logits almost equal) may lie within 10**-120 of
    # a tie: more digits until every element's ball clears the boundaries.
    digits = 130 + int((top - bottom) / 2.3)
    while True:
        out = _softmax_grad_at(d_row, x_row, dtype, top, digits)
        if out is not None or digits > 20000:
            break
        digits *= 2
    assert out is not None, "%r, %r: no decision at %d digits" % (d_row, x_row, digits)
    return out


def _softmax_grad_at(d_row, x_row, dtype, top, digits):
    # ref_softmax_grad at `digits`, or None if some element is not decided.
    c = context(digits)
    exps = [Decimal(0) if v == -INF else c.exp(c.subtract(Decimal(v), Decimal(top)))
            for v in x_row]
    total = Decimal(0)
    for e in exps:
        total = c.add(total, e)             # (sum() would add in the default 28-digit context)
    s = [c.divide(e, total) for e in exps]
    out = []
    for si, di in zip(s, d_row):
        terms = [c.multiply(c.multiply(si, sj), EXACT.subtract(Decimal(di), Decimal(dj)))
                 for sj, dj in zip(s, d_row)]
        value = Decimal(0)
        size = Decimal(0)
        for t in terms:
            value = c.add(value, t)
            size = c.add(size, abs(t))
        if value == 0:
            out.append(0.0)
            continue
        rounded = decided(value, dtype, size / Decimal(10) ** (digits - 10))
        if rounded is None:
            return None
        out.append(rounded if rounded != 0.0 else math.copysign(0.0, value))
    return out


def ref_dot(terms, dtype):
    """The exact sum of products of float pairs, IEEE specials, rounded once (Fraction)."""
    if any(a != a or b != b for a, b in terms):
        return NAN
    infinities = []
    for a, b in terms:
        if a in (INF, -INF) or b in (INF, -INF):
            if a == 0.0 or b == 0.0:
                return NAN
            infinities.append(math.copysign(1.0, a) * math.copysign(1.0, b))
    if infinities:
        return NAN if len(set(infinities)) > 1 else INF * infinities[0]
    total = sum((Fraction(a) * Fraction(b) for a, b in terms), Fraction(0))
    if total == 0:
        negative = terms and all(math.copysign(1.0, a) * math.copysign(1.0, b) < 0
                                 for a, b in terms)
        return -0.0 if negative else 0.0
    return nearest(total, dtype)


def ref_dense_backward(d, x, w, dtype):
    n, k = len(x), len(w)
    m = len(w[0]) if w else (len(d[0]) if d else 0)
    dinputs = [[ref_dot([(d[i][j], w[r][j]) for j in range(m)], dtype) for r in range(k)]
               for i in range(n)]
    dweights = [[ref_dot([(x[i][r], d[i][j]) for i in range(n)], dtype) for j in range(m)]
                for r in range(k)]
    dbiases = [[ref_dot([(d[i][j], 1.0) for i in range(n)], dtype) for j in range(m)]]
    return dinputs, dweights, dbiases


def deep_same(a, b):
    if isinstance(b, (list, tuple)):
        return (isinstance(a, (list, tuple)) and len(a) == len(b)
                and all(deep_same(x, y) for x, y in zip(a, b)))
    return same(a, b)


# --- the checks (each returns its failures, so that wrong versions can be shown to fail) ---

def softmax_failures(implementation, rows, dtype):
    failures = []
    for d_row, x_row in rows:
        got = implementation(d_row, x_row, dtype=dtype)
        want = ref_softmax_grad(d_row, x_row, dtype)
        if not deep_same(got, want):
            failures.append((d_row, x_row, got, want))
    return failures


def sigmoid_failures(implementation, pairs, dtype):
    failures = []
    for d, x in pairs:
        got = implementation([d], [x], dtype=dtype)[0]
        want = ref_sigmoid_grad(d, x, dtype)
        if not same(got, want):
            failures.append((d, x, got, want))
    return failures


def dense_failures(implementation, cases, dtype):
    failures = []
    for d, x, w in cases:
        got = implementation(d, x, w, dtype=dtype)
        want = ref_dense_backward(d, x, w, dtype)
        if not deep_same(got, want):
            failures.append((d, x, w, got, want))
    return failures


def relu_failures(implementation, pairs, dtype):
    failures = []
    for d, x in pairs:
        got = implementation([d], [x], dtype=dtype)[0]
        want = 0.0 if x <= 0.0 else (d if d != d or d in (INF, -INF) or d == 0.0
                                     else nearest(Fraction(d), dtype))
        if not same(got, want):
            failures.append((d, x, got, want))
    return failures


# --- data ------------------------------------------------------------------------

SOFTMAX_ROWS = [
    ([1.0, 0.0, 0.0], [1.0, 2.0, 3.0]),
    ([0.3, -1.2, 2.5, 0.0], [4.8, 1.21, 2.385, -0.5]),
    ([1.0, 2.0], [0.0, -20.0]),
    ([1e-3, 2e-3, -5e-4], [0.1, 0.1, 0.2]),               # two equal logits of three
    ([1.0, 1.0 + 2 ** -52], [0.0, 1.0]),                   # nearly constant dvalues
    ([2.0, -1.0, 0.5], [0.0, -800.0, 3.0]),               # an element beyond float64's exp range
    ([0.0, -1.0], [0.0, -800.0]),                          # saturated: the gradient underflows
    ([0.0, 1.0, 0.0], [0.0, -1500.0, -3000.0]),            # past 1460: a signed zero
    ([0.0, -1.0, 1.0], [5.0, -2000.0, -2000.0]),
    ([1.0, 2.0, 3.0], [0.0, float("-inf"), 1.0]),          # -inf logits
    ([1e300, -1e300], [0.0, 0.5]),                         # huge dvalues
    ([5e-324, 0.0, -5e-324], [1.0, 2.0, 3.0]),             # subnormal dvalues
    ([7.0], [3.0]),                                        # one element
    ([1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0]),          # equal logits
    ([float("nan"), 0.0], [0.0, 1.0]),
    ([1.0, 0.0], [float("nan"), 0.0]),
    ([1.0, 0.0], [float("inf"), 0.0]),
    ([1.0, 0.0], [float("-inf"), float("-inf")]),
    ([float("inf"), 0.0], [0.0, 1.0]),
]

SIGMOID_PAIRS = [(d, x) for d in (1.0, -2.5, 0.1, 1e300, -1e-300, 5e-324, 3.0e38, 65504.0)
                 for x in (0.0, -0.0, 1e-300, -1e-20, 0.5, -1.0, 2.0, 8.3, -17.3, 40.0, -92.9,
                           -104.0, 700.0, -701.0, 745.0, -800.0, 1400.0, 1459.0)]
SIGMOID_PAIRS += [(1.0, NAN), (NAN, 1.0), (1.0, INF), (-1.0, -INF), (INF, -INF), (INF, 3.0),
                  (-INF, -3.0), (0.0, 2.0), (-0.0, 2.0), (1e308, 1460.0), (-1e308, -2000.0)]

DENSE_CASES = [
    ([[1.0, -1.0], [0.5, 2.0]], [[1.0, 2.0], [3.0, 4.0]], [[0.1, 0.2], [0.3, 0.4]]),
    ([[1e308, 1.0], [1e308, 1.0], [-1e308, 1.0]], [[1.0], [1.0], [1.0]], [[1.0, 2.0]]),
    ([[0.1, 0.2, 0.3]], [[1.0, 2 ** -11, 2 ** -40]], [[1.0, 1.0, 1.0]] * 3),
    ([[60000.0], [60000.0], [-60000.0]], [[1.0], [1.0], [1.0]], [[1.0]]),
    ([[1.0, -1.0]], [[3.0, 3.0]], [[2.0, 2.0], [-2.0, -2.0]]),     # cancelling: exact zeros
    ([[-0.0, 0.0]], [[-0.0]], [[1.0, -0.0]]),
    ([[NAN, 1.0]], [[1.0]], [[1.0, 1.0]]),
    ([[INF, 1.0]], [[0.0]], [[1.0, -INF]]),
    ([[1e-300, 1e-300]], [[1e-300]], [[1e-300, 1e-300]]),          # underflowing products
    ([], [], [[1.0, 2.0]]),                                        # n == 0
    ([[1.0, 2.0]], [[]], []),                                      # k == 0
    ([[], []], [[1.0], [2.0]], [[]]),                              # m == 0
]


# --- the oracle agrees with the independent evaluation ---------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_backward_matches_decimal(dtype):
    assert softmax_failures(exact.softmax_backward, SOFTMAX_ROWS, dtype) == []


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_backward_matches_decimal(dtype):
    assert sigmoid_failures(exact.sigmoid_backward, SIGMOID_PAIRS, dtype) == []


@pytest.mark.parametrize("dtype", DTYPES)
def test_dense_backward_matches_fractions(dtype):
    assert dense_failures(exact.dense_backward, DENSE_CASES, dtype) == []


@pytest.mark.parametrize("dtype", DTYPES)
def test_relu_backward_matches_fractions(dtype):
    pairs = [(d, x) for d in (0.1, -3.3, 1e5, 5e-324, NAN, INF, -0.0)
             for x in (NAN, INF, -INF, 0.0, -0.0, 5e-324, -1.0, 2.0)]
    assert relu_failures(exact.relu_backward, pairs, dtype) == []


finite = st.floats(-50.0, 50.0, allow_nan=False)
dvalue = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(dvalue, finite), min_size=1, max_size=5), st.sampled_from(DTYPES))
def test_softmax_backward_random_rows(pairs, dtype):
    d_row = [p[0] for p in pairs]
    x_row = [p[1] for p in pairs]
    assert softmax_failures(exact.softmax_backward, [(d_row, x_row)], dtype) == []


@settings(max_examples=60, deadline=None)
@given(dvalue, st.floats(-800.0, 800.0, allow_nan=False), st.sampled_from(DTYPES))
def test_sigmoid_backward_random(d, x, dtype):
    assert sigmoid_failures(exact.sigmoid_backward, [(d, x)], dtype) == []


def test_sigmoid_backward_at_zero_rounds_its_ties_to_even():
    # s'(0) = 1/4, so d = k * 2**-1074 gives k/4 of the least subnormal:
    # k = 2 is the tie 1/2 (to 0, even), k = 3 gives 3/4 (to 1), k = 6 the tie
    # 3/2 (to 2, even), k = 10 the tie 5/2 (to 2, even).
    tiny = 5e-324
    for k, want in ((2, 0.0), (3, tiny), (6, 2 * tiny), (10, 2 * tiny)):
        assert same(exact.sigmoid_backward([k * tiny], [0.0])[0], want), k
        assert same(exact.sigmoid_backward([-k * tiny], [0.0])[0], -want), k
        assert same(ref_sigmoid_grad(k * tiny, 0.0, "float64"), want), k


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.data(), st.sampled_from(DTYPES))
def test_dense_backward_random(n, k, m, data, dtype):
    value = st.floats(-1e3, 1e3, allow_nan=False)
    d = data.draw(st.lists(st.lists(value, min_size=m, max_size=m), min_size=n, max_size=n))
    x = data.draw(st.lists(st.lists(value, min_size=k, max_size=k), min_size=n, max_size=n))
    w = data.draw(st.lists(st.lists(value, min_size=m, max_size=m), min_size=k, max_size=k))
    assert dense_failures(exact.dense_backward, [(d, x, w)], dtype) == []


# --- exact zeros are found before any refinement --------------------------------------

@pytest.mark.parametrize("d_row,x_row,expected", [
    ([5.0, 5.0, 5.0], [1.0, 2.0, 3.0], [0.0, 0.0, 0.0]),                 # constant dvalues
    ([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [None, 0.0, None]),               # equal logits, the mean
    ([3.0], [-7.25], [0.0]),                                             # one element
    ([1.0, 3.0, 2.0, 2.0], [0.5, 0.5, -1.0, -1.0], [None, None, 0.0, 0.0]),  # groups balance
    ([1.0, 2.0], [0.0, float("-inf")], [0.0, 0.0]),                      # s_i d_i vs -inf
    ([0.1] * 50, [float(i) for i in range(50)], [0.0] * 50),             # long constant row
    ([2.0, 2.0, 2.0], [0.0, -1e6, -1e300], [0.0, 0.0, 0.0]),             # huge spread, constant d
])
@pytest.mark.parametrize("dtype", DTYPES)
def test_exact_zeros(d_row, x_row, expected, dtype):
    got = exact.softmax_backward(d_row, x_row, dtype=dtype)
    for g, e in zip(got, expected):
        if e is not None:
            assert same(g, e), (got, expected)
    # and they agree with the independent evaluation where it can reach
    if max(x_row) - min(v for v in x_row if v != -INF) < 1e4:
        assert softmax_failures(exact.softmax_backward, [(d_row, x_row)], dtype) == []


def test_saturated_rows_get_the_precision_of_their_spread():
    # x = [0, -700]: s = [1 - e^-700, e^-700], d = [1, 0]: g = [s0 s1, -s0 s1], about
    # +-e^-700 = 9.86e-305, from a difference 1 - s0 far below float64's precision.
    got = exact.softmax_backward([1.0, 0.0], [0.0, -700.0])
    want = ref_softmax_grad([1.0, 0.0], [0.0, -700.0], "float64")
    assert got == want and 9e-305 < got[0] < 1e-304
    # Far below the max, d_i equal to the max's dvalue: the sign of a zero needs
    # about 2000 / ln 10 digits: g_1 = s_1 (d_1 - <s, d>) = s_1 * s_2 (d_1 - d_2) > 0.
    got = exact.softmax_backward([1.0, 1.0, 0.0], [0.0, -2000.0, -1.0])
    assert same(got[1], 0.0) and got[0] > 0.0 > got[2]
    got = exact.softmax_backward([1.0, 1.0, 2.0], [0.0, -2000.0, -1.0])
    assert same(got[1], -0.0)


@pytest.mark.parametrize("d_row,x_row,expected", [
    # s = [~1, e^-1e6, e^-2e6]; d = [1, 1, 0]: g_0 = s_0 s_2 > 0, g_1 = s_1 s_2 > 0,
    # g_2 = -s_2 <s, d> < 0, all far below 2**-1075: zeros of those signs.
    ([1.0, 1.0, 0.0], [0.0, -1e6, -2e6], [0.0, 0.0, -0.0]),
    # d = [1, 1, 2]: 1 - <s, d> = -s_2, so g_0, g_1 < 0 and g_2 = s_2 (2 - <s, d>) > 0.
    ([1.0, 1.0, 2.0], [0.0, -1e6, -2e6], [-0.0, -0.0, 0.0]),
    # 1 - <s, d> = -s_2 + 6 s_3 > 0 with s_3 = s_2 e^-1e-9; g_3 = s_3 (-5 - <s, d>) < 0.
    ([1.0, 1.0, 2.0, -5.0], [0.0, -1e6, -2e6, -2e6 - 1e-9], [0.0, 0.0, 0.0, -0.0]),
    ([1.0, 1.0, 0.0], [0.0, -1e300, -1.7e308], [0.0, 0.0, -0.0]),
])
def test_the_sign_of_a_zero_whatever_the_spread(d_row, x_row, expected):
    # The sum deciding the sign has its largest term e^-2e6 below the row's max:
    # the oracle scales by that term instead of raising the precision to reach it.
    for dtype in DTYPES:
        assert deep_same(exact.softmax_backward(d_row, x_row, dtype=dtype), expected)


# --- the checks catch wrong gradients ------------------------------------------------

def _softmax_without_the_dot(d_row, x_row, dtype="float64"):
    s = exact.softmax(x_row)
    return [float(nearest(Fraction(si) * Fraction(di), dtype)) if si == si else NAN
            for si, di in zip(s, d_row)]


def _dense_with_the_wrong_transpose(d, x, w, dtype="float64"):
    dinputs, dweights, dbiases = exact.dense_backward(d, x, w, dtype=dtype)
    # D.T @ X instead of X.T @ D: (m, k) where (k, m) belongs (here square, so only values differ)
    wrong = [[ref_dot([(d[i][j], x[i][r]) for i in range(len(x))], dtype)
              for r in range(len(w))] for j in range(len(w[0]) if w else 0)]
    return dinputs, wrong, dbiases


def _dense_dinputs_without_transpose(d, x, w, dtype="float64"):
    # D @ W instead of D @ W.T (square W)
    dinputs, dweights, dbiases = exact.dense_backward(d, x, w, dtype=dtype)
    wrong = [[ref_dot([(d[i][j], w[j][r]) for j in range(len(w))], dtype)
              for r in range(len(w))] for i in range(len(d))]
    return wrong, dweights, dbiases


def _book_sigmoid(d_list, x_list, dtype="float64"):
    out = []
    for d, x in zip(d_list, x_list):
        s = nnref.sigmoid(x)
        out.append(exact.linear(d * (1.0 - s) * s, dtype=dtype))
    return out


def _jax_relu(d_list, x_list, dtype="float64"):
    return [exact.linear(d, dtype=dtype) if x > 0.0 else 0.0 for d, x in zip(d_list, x_list)]


SQUARE = [([[1.0, -2.0], [0.5, 3.0]], [[1.0, 2.0], [3.0, 5.0]], [[0.1, 0.7], [0.3, -0.4]])]


def test_a_softmax_gradient_without_the_dot_term_fails():
    assert softmax_failures(_softmax_without_the_dot, SOFTMAX_ROWS[:6], "float64")


def test_a_dense_gradient_with_a_wrong_transpose_fails():
    assert dense_failures(_dense_with_the_wrong_transpose, SQUARE, "float64")
    assert dense_failures(_dense_dinputs_without_transpose, SQUARE, "float64")


def test_the_books_cancelling_sigmoid_formula_fails():
    assert sigmoid_failures(_book_sigmoid, [(1.0, 40.0), (1.0, 20.0)], "float64")


def test_jaxs_relu_nan_rule_fails_the_books_rule():
    assert relu_failures(_jax_relu, [(2.0, NAN)], "float64")


# --- shared checks, errors and dtype ----------------------------------------------------

def test_bad_dtype_and_shapes():
    with pytest.raises(ValueError, match="dtype"):
        exact.relu_backward([1.0], [1.0], dtype="float8")
    with pytest.raises(ValueError, match=r"exact.softmax_backward: dvalues has shape \(2,\) "
                                         r"but inputs has shape \(3,\)"):
        exact.softmax_backward([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"exact.sigmoid_backward: inputs\[1\]"):
        exact.sigmoid_backward([1.0, 2.0], [1.0, "a"])
    with pytest.raises(ValueError, match="exact.dense_backward: dvalues has shape"):
        exact.dense_backward([[1.0]], [[1.0]], [[1.0, 2.0]])


def test_inputs_are_not_changed_or_returned():
    d, x, w = [[1.0, 2.0]], [[3.0]], [[0.5, 0.25]]
    copies = [list(map(list, a)) for a in (d, x, w)]
    out = exact.dense_backward(d, x, w)
    assert [d, x, w] == copies
    assert all(o is not a for o in out for a in (d, x, w))
    row = [1.0, 2.0]
    assert exact.softmax_backward(row, row) is not row and row == [1.0, 2.0]


def test_the_oracle_docstring_sentences_are_in_the_spec_and_hold():
    import test_spec
    section = test_spec.section_for("nnref.exact.softmax_backward")
    assert section is not None
    for name in ("relu_backward", "sigmoid_backward", "softmax_backward", "dense_backward"):
        sentences = test_spec.docstring_special_cases(getattr(exact, name))
        assert sentences
        listed = section.sentences_for("nnref.exact." + name)
        assert [s for s in sentences if s not in listed] == []
        for sentence in sentences:
            match = test_spec.CALL.match(sentence)
            assert match, sentence
            assert test_spec.check_call(sentence, match) == []
