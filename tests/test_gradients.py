"""The float tier's backward passes (``nnref.gradients``) and the layers' ``backward``.

Each function's stated accuracy is tested against the correctly rounded
oracle (``nnref.exact``, itself tested against decimal and Fraction in
tests/test_exact_gradients.py) and, for dense, against Fraction directly;
the rules (the book's ReLU mask, zero sizes, IEEE specials, errors) against
values worked out by hand.  Wrong implementations are shown to fail the
bounds.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnref
from nnref import exact
from nnref.testing import ulp_distance

from support import same
from test_exact_gradients import ref_dense_backward

INF = float("inf")
NAN = float("nan")
EPS = 2.0 ** -52
TINY = 2.0 ** -1074
SMALLEST_NORMAL = 2.0 ** -1022


def deep_same(a, b):
    if isinstance(b, (list, tuple)):
        return (isinstance(a, (list, tuple)) and len(a) == len(b)
                and all(deep_same(x, y) for x, y in zip(a, b)))
    return same(a, b)


# --- relu ------------------------------------------------------------------------

RELU_X = [NAN, INF, -INF, 0.0, -0.0, TINY, -TINY, 1.0, -1.0, 1e308]
RELU_D = [NAN, INF, -INF, 0.0, -0.0, 2.5, -3.0]


def test_relu_backward_is_the_books_mask():
    # dinputs = dvalues.copy(); dinputs[inputs <= 0] = 0, worked out case by case:
    # inputs <= 0 (both zeros, -inf, negatives) give +0.0, anything else (NaN too) the dvalue.
    for x in RELU_X:
        for d in RELU_D:
            got = nnref.relu_backward([d], [x])[0]
            keeps = x > 0.0 or x != x
            assert same(got, d if keeps else 0.0), (d, x, got)


def test_relu_backward_shapes():
    assert nnref.relu_backward(2.0, 1.0) == 2.0
    assert nnref.relu_backward([], []) == []
    assert nnref.relu_backward([[]], [[]]) == [[]]
    assert nnref.relu_backward([[1, 2], [3, 4]], [[1, -1], [-1, 1]]) == [[1.0, 0.0], [0.0, 4.0]]


def test_a_relu_gradient_that_zeroes_nan_inputs_fails_the_rule():
    def torch_rule(d, x):
        return [v if u > 0.0 else 0.0 for v, u in zip(d, x)]
    assert not same(torch_rule([2.0], [NAN])[0], nnref.relu_backward([2.0], [NAN])[0])


# --- sigmoid ---------------------------------------------------------------------

def sigmoid_error(got, want):
    """ULPs from the exact value; for a subnormal exact value, in units of the smallest subnormal."""
    if want != want:
        return 0 if got != got else INF
    if abs(want) < SMALLEST_NORMAL:
        return abs(got - want) / TINY
    return ulp_distance(got, want)


SIGMOID_X = [0.0, -0.0, 1e-300, 1e-8, -0.5, 1.0, 2.741912831205938, -2.741912831205938, 5.0,
             20.0, 37.0, 40.0, -100.0, 300.0, 699.9, 700.0, 700.1, -708.0, 745.0, 746.0, -800.0,
             1000.0, 1100.0, -1400.0, 1459.0, 1500.0]
SIGMOID_D = [1.0, -1.0, 0.3, 1e-300, -1e300, 1.7976931348623157e308, TINY, 3e-310]


def test_sigmoid_backward_is_within_4_ulp():
    worst = 0
    for x in SIGMOID_X:
        for d in SIGMOID_D:
            got = nnref.sigmoid_backward([d], [x])[0]
            want = exact.sigmoid_backward([d], [x])[0]
            worst = max(worst, sigmoid_error(got, want))
            assert math.copysign(1.0, got) == math.copysign(1.0, want), (d, x, got, want)
    assert worst <= 4


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e300, 1e300, allow_nan=False), st.floats(-1500.0, 1500.0, allow_nan=False))
def test_sigmoid_backward_bound_on_random_inputs(d, x):
    got = nnref.sigmoid_backward(d, x)
    assert sigmoid_error(got, exact.sigmoid_backward(d, x)) <= 4


@settings(max_examples=100, deadline=None)
@given(st.floats(0.0, 30.0, allow_nan=False))
def test_sigmoid_backward_is_even_in_x(x):
    # s'(x) = s'(-x): exactly so, since the code works from |x|
    assert same(nnref.sigmoid_backward(1.0, x), nnref.sigmoid_backward(1.0, -x))


def test_sigmoid_backward_special_values():
    assert same(nnref.sigmoid_backward(NAN, 1.0), NAN)
    assert same(nnref.sigmoid_backward(1.0, NAN), NAN)
    assert same(nnref.sigmoid_backward(-2.0, INF), -0.0)
    assert same(nnref.sigmoid_backward(2.0, -INF), 0.0)
    assert same(nnref.sigmoid_backward(INF, INF), NAN)
    assert same(nnref.sigmoid_backward(INF, 800.0), INF)
    assert same(nnref.sigmoid_backward(-0.0, 800.0), -0.0)
    assert nnref.sigmoid_backward(3.0, 0.0) == 0.75


def test_the_books_sigmoid_formula_fails_the_bound():
    def book(d, x):
        s = nnref.sigmoid(x)
        return d * (1.0 - s) * s
    errors = [sigmoid_error(book(1.0, x), exact.sigmoid_backward(1.0, x)) for x in SIGMOID_X]
    assert max(errors) > 4


# --- softmax ---------------------------------------------------------------------

def softmax_bound_failures(implementation, rows, factor=8):
    """Rows where |error_i| > factor * eps * (|g_i| + s_i * sum_j s_j |d_j|) + n * 2**-1074."""
    failures = []
    for d, x in rows:
        got = implementation(d, x)
        want = exact.softmax_backward(d, x)
        s = exact.softmax(x)
        scale = sum(sj * abs(dj) for sj, dj in zip(s, d))
        for i in range(len(d)):
            if want[i] != want[i]:
                if got[i] == got[i]:
                    failures.append((d, x, i, got[i], want[i]))
                continue
            allowed = factor * EPS * (abs(want[i]) + s[i] * scale) + len(d) * TINY
            if not abs(got[i] - want[i]) <= allowed:
                failures.append((d, x, i, got[i], want[i]))
    return failures


SOFTMAX_ROWS = [
    ([1.0, 0.0, 0.0], [1.0, 2.0, 3.0]),
    ([0.3, -1.2, 2.5, 0.0], [4.8, 1.21, 2.385, -0.5]),
    ([-0.5390004929335829, 1.0000000000000002], [9.010946628955157, -0.6827381768948694]),
    ([1.0, 1.0 + 2 ** -52, 1.0 - 2 ** -53], [0.0, 1.0, 2.0]),
    ([2.0, -1.0, 0.5], [0.0, -800.0, 3.0]),
    ([0.0, -1.0], [0.0, -800.0]),
    ([1e300, -1e300], [0.0, 0.5]),
    ([1.7e308, -1.7e308, 1e308], [0.0, 0.1, 0.2]),            # d - <s, d> would overflow
    ([5e-324, 0.0, -5e-324], [1.0, 2.0, 3.0]),
    ([1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0]),
    ([1.0, 2.0, 3.0], [0.0, float("-inf"), 1.0]),
    ([1.0, 0.0], [NAN, 0.0]),
    ([1.0, 0.0], [INF, 0.0]),
    ([NAN, 0.0], [0.0, 0.0]),
    ([-INF, 0.0], [0.0, 0.0]),
]


def test_softmax_backward_is_within_its_bound():
    assert softmax_bound_failures(nnref.softmax_backward, SOFTMAX_ROWS) == []


row_pairs = st.integers(1, 8).flatmap(lambda n: st.tuples(
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=n, max_size=n),
    st.lists(st.floats(-300.0, 300.0, allow_nan=False), min_size=n, max_size=n)))


@settings(max_examples=100, deadline=None)
@given(row_pairs)
def test_softmax_backward_bound_on_random_rows(pair):
    assert softmax_bound_failures(nnref.softmax_backward, [pair]) == []


@settings(max_examples=200, deadline=None)
@given(row_pairs)
def test_softmax_backward_rows_sum_to_zero(pair):
    # sum_i s_i (d_i - <s, d>) = <s, d> (1 - sum_i s_i) = 0 for the exact s; here
    # within the bound's sum over the row.
    d, x = pair
    g = nnref.softmax_backward(d, x)
    s = nnref.softmax(x)
    scale = sum(sj * abs(dj) for sj, dj in zip(s, d))
    assert abs(math.fsum(g)) <= 8 * EPS * len(d) * 2 * scale + 2.0 ** -1070


@settings(max_examples=100, deadline=None)
@given(st.floats(-1e300, 1e300, allow_nan=False), st.lists(st.floats(-700, 700), min_size=1,
                                                            max_size=6))
def test_constant_dvalues_give_exact_zeros(c, x):
    assert nnref.softmax_backward([c] * len(x), x) == [0.0] * len(x)


def test_softmax_backward_shapes_and_layer():
    assert nnref.softmax_backward([], []) == []
    assert nnref.softmax_backward([[], []], [[], []]) == [[], []]
    assert nnref.softmax_backward([[1.0, 0.0], [0.0, 1.0]], [[0.0, 0.0], [0.0, 0.0]]) == \
        [[0.25, -0.25], [-0.25, 0.25]]
    with pytest.raises(TypeError, match="softmax_backward: inputs is 1.0"):
        nnref.softmax_backward(1.0, 1.0)


def test_a_softmax_gradient_without_the_dot_term_fails_the_bound():
    def forgetful(d, x):
        return [si * di for si, di in zip(nnref.softmax(x), d)]
    assert softmax_bound_failures(forgetful, SOFTMAX_ROWS[:6])


def test_the_jacobian_product_in_plain_floats_misses_exact_zeros():
    # The book's np.dot(np.diagflat(s) - np.dot(s, s.T), d), rounded step by step:
    # rows of equal dvalues come out as tiny nonzeros, where nnref gives exact zeros.
    def jacobian(d, x):
        s = nnref.softmax(x)
        return [sum(((s[i] if i == j else 0.0) - s[i] * s[j]) * d[j] for j in range(len(s)))
                for i in range(len(s))]
    rows = [([0.1] * 3, [0.3 * k, -0.7 * k, 0.2]) for k in range(1, 30)]
    assert any(v != 0.0 for d, x in rows for v in jacobian(d, x))
    assert all(v == 0.0 for d, x in rows for v in nnref.softmax_backward(d, x))


# --- dense -----------------------------------------------------------------------

DENSE_CASES = [
    ([[1.0, -1.0], [0.5, 2.0]], [[1.0, 2.0], [3.0, 4.0]], [[0.1, 0.2], [0.3, 0.4]]),
    ([[1e308, 1.0], [1e308, 1.0], [-1e308, 1.0]], [[1.0], [1.0], [1.0]], [[1.0, 2.0]]),
    ([[0.1, 0.2, 0.3]], [[1.0, 2 ** -11, 2 ** -40]], [[1.0, 1.0, 1.0]] * 3),
    ([[1.0, -1.0]], [[3.0, 3.0]], [[2.0, 2.0], [-2.0, -2.0]]),
    ([[-0.0, 0.0]], [[-0.0]], [[1.0, -0.0]]),
    ([[NAN, 1.0]], [[1.0]], [[1.0, 1.0]]),
    ([[INF, 1.0]], [[0.0]], [[1.0, -INF]]),
    ([[INF, -INF]], [[1.0]], [[1.0, 1.0]]),
    ([[1e-300, 1e-300]], [[1e-300]], [[1e-300, 1e-300]]),
    ([[1e-200, -1e-200], [3.0, 1e-310]], [[5e-324, 2.0], [1e300, -1e-10]], [[1.0, 2.0], [3.0, 4.0]]),
]


def test_dense_backward_is_correctly_rounded():
    for d, x, w in DENSE_CASES:
        got = nnref.dense_backward(d, x, w)
        assert deep_same(got, ref_dense_backward(d, x, w, "float64")), (d, x, w, got)
        assert deep_same(got, exact.dense_backward(d, x, w))


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4), st.data())
def test_dense_backward_random(n, k, m, data):
    value = st.floats(-1e100, 1e100, allow_nan=False) | st.sampled_from([0.0, -0.0, 1.0, -1.0])
    d = data.draw(st.lists(st.lists(value, min_size=m, max_size=m), min_size=n, max_size=n))
    x = data.draw(st.lists(st.lists(value, min_size=k, max_size=k), min_size=n, max_size=n))
    w = data.draw(st.lists(st.lists(value, min_size=m, max_size=m), min_size=k, max_size=k))
    if k == 0 and n > 0:
        w = []                                  # (0, m) weights: m from dvalues
    if n == 0:
        x = []
        d = []
    got = nnref.dense_backward(d, x, w)
    assert deep_same(got, ref_dense_backward(d, x, w, "float64"))


@pytest.mark.parametrize("d,x,w,shapes", [
    # NumPy's shapes: dinputs (n, k), dweights (k, m), dbiases (1, m)
    ([], [], [[1.0, 2.0]], ([], [[0.0, 0.0]], [[0.0, 0.0]])),
    ([[1.0, 2.0]], [[]], [], ([[]], [], [[1.0, 2.0]])),
    ([[], []], [[1.0], [2.0]], [[]], ([[0.0], [0.0]], [[]], [[]])),
    ([[3.0]], [[2.0]], [[0.5]], ([[1.5]], [[6.0]], [[3.0]])),
])
def test_dense_backward_zero_sizes(d, x, w, shapes):
    assert deep_same(nnref.dense_backward(d, x, w), shapes)


def test_a_wrong_transpose_is_caught():
    d, x, w = [[1.0, -2.0], [0.5, 3.0]], [[1.0, 2.0], [3.0, 5.0]], [[0.1, 0.7], [0.3, -0.4]]
    dinputs, dweights, dbiases = nnref.dense_backward(d, x, w)
    wrong_dweights = nnref.matrix.matmul(nnref.matrix.transpose(d), x)      # D.T @ X
    wrong_dinputs = nnref.matrix.matmul(d, w)                               # D @ W
    want = ref_dense_backward(d, x, w, "float64")
    assert not deep_same(wrong_dweights, want[1]) and not deep_same(wrong_dinputs, want[0])
    assert deep_same((dinputs, dweights, dbiases), want)


def test_dense_backward_errors():
    with pytest.raises(ValueError, match=r"dense_backward: inputs \(1, 2\) and weights \(3, 1\) "
                                         r"are not aligned: 2 != 3"):
        nnref.dense_backward([[1.0]], [[1.0, 2.0]], [[1.0], [1.0], [1.0]])
    with pytest.raises(ValueError, match=r"dense_backward: dvalues has shape \(1, 2\) but the "
                                         r"layer's output, inputs \(1, 1\) @ weights \(1, 1\), "
                                         r"has shape \(1, 1\)"):
        nnref.dense_backward([[1.0, 2.0]], [[1.0]], [[1.0]])
    with pytest.raises(ValueError, match=r"dvalues has shape \(2, 1\)"):
        nnref.dense_backward([[1.0], [2.0]], [[1.0]], [[1.0]])
    with pytest.raises(TypeError, match=r"dense_backward: dvalues\[0\]\[0\]"):
        nnref.dense_backward([["a"]], [[1.0]], [[1.0]])
    with pytest.raises(ValueError, match="weights must be a k x m batch"):
        nnref.dense_backward([[1.0]], [[1.0]], [1.0])


# --- shared checks ---------------------------------------------------------------

@pytest.mark.parametrize("function", [nnref.relu_backward, nnref.sigmoid_backward,
                                      nnref.softmax_backward])
def test_mismatched_shapes_name_both(function):
    name = function.__name__
    with pytest.raises(ValueError, match=r"%s: dvalues has shape \(2, 3\) but inputs has shape "
                                         r"\(2, 2\)" % name):
        function([[1.0] * 3] * 2, [[1.0] * 2] * 2)
    with pytest.raises(TypeError, match=r"%s: inputs\[0\]\[1\] is 'a' \(str\)" % name):
        function([[1.0, 2.0]], [[1.0, "a"]])


def test_inputs_are_not_changed_or_returned():
    d, x = [[1.0, -2.0]], [[0.5, -0.5]]
    for function in (nnref.relu_backward, nnref.sigmoid_backward, nnref.softmax_backward):
        out = function(d, x)
        assert out is not d and out[0] is not d[0] and out[0] is not x[0]
    assert d == [[1.0, -2.0]] and x == [[0.5, -0.5]]
    w = [[1.0, 2.0], [3.0, 4.0]]
    out = nnref.dense_backward([[1.0, 1.0]], [[1.0, 1.0]], w)
    assert w == [[1.0, 2.0], [3.0, 4.0]] and all(o is not w for o in out)


def test_the_tiers_share_their_checks():
    import nnref.exact._gradients as oracle
    import nnref.gradients as floats
    assert oracle.check_pair is floats.check_pair
    assert oracle.dense_backward_operands is floats.dense_backward_operands


# --- the layers ------------------------------------------------------------------

def test_the_chapter_network_backward():
    # Dense(2, 3) -> ReLU -> Dense(3, 3) -> Softmax, then each backward in turn:
    # every gradient is the function of the same arguments.
    X = [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.6]]
    rng = nnref.RandomState(0)
    dense1, relu, dense2, softmax = nnref.Dense(2, 3, rng=rng), nnref.ReLU(), \
        nnref.Dense(3, 3, rng=rng), nnref.Softmax()
    out = softmax.forward(dense2.forward(relu.forward(dense1.forward(X))))
    dvalues = [[o - (1.0 if j == 0 else 0.0) for j, o in enumerate(row)] for row in out]
    softmax.backward(dvalues)
    assert softmax.dinputs == nnref.softmax_backward(dvalues, dense2.output)
    dense2.backward(softmax.dinputs)
    assert (dense2.dinputs, dense2.dweights, dense2.dbiases) == nnref.dense_backward(
        softmax.dinputs, relu.output, dense2.weights)
    relu.backward(dense2.dinputs)
    assert relu.dinputs == nnref.relu_backward(dense2.dinputs, dense1.output)
    dense1.backward(relu.dinputs)
    assert dense1.dweights == nnref.dense_backward(relu.dinputs, X, dense1.weights)[1]
    assert len(dense1.dbiases) == 1 and len(dense1.dbiases[0]) == 3


def test_sigmoid_linear_and_step_layers():
    for cls, expected in ((nnref.Sigmoid, [[0.25, -0.0]]), (nnref.Linear, [[1.0, -2.0]]),
                          (nnref.Step, [[0.0, 0.0]])):
        layer = cls()
        layer.forward([[0.0, 1e3]])
        layer.backward([[1.0, -2.0]])
        assert deep_same(layer.dinputs, expected), cls


def test_backward_before_forward_and_errors_name_the_layer():
    for layer in (nnref.ReLU(), nnref.Softmax(), nnref.Sigmoid(), nnref.Dense(1, 1)):
        with pytest.raises(ValueError, match=r"%s.backward: .*call forward first"
                                             % type(layer).__name__):
            layer.backward([[1.0]])
    layer = nnref.ReLU()
    layer.forward([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"ReLU.backward: dvalues has shape \(1, 1\)"):
        layer.backward([[1.0]])


def _dense_backward_sharing(d, x, w, shift=0):
    # dense_backward's steps with dvalues' columns scaled once and handed to
    # dense_rows for dinputs; shift != 0 is a deliberately broken variant (the
    # shared scaling's exponent off), which the checks below must catch.
    from nnref._base.dot import dense_rows, scaled_input_columns
    int_columns, exponent = scaled_input_columns(d)
    shared = (int_columns, exponent + shift)
    return dense_rows(d, [list(c) for c in zip(*w)], [-0.0] * len(w), shared)


@settings(max_examples=60, deadline=None)
@given(st.integers(16, 40), st.integers(1, 4), st.integers(1, 4), st.data())
def test_dense_backward_column_form_batches(n, k, m, data):
    # Batches long enough for the column-wise form (n >= 16, m <= 4 terms per
    # dinputs output), whose dvalues' columns dense_backward scales once for
    # dweights and dinputs: every output against the exact Fraction sums.
    value = (st.floats(-1e30, 1e30, allow_nan=False, allow_infinity=False)
             | st.sampled_from([0.0, -0.0, 1.0, -1.0, 5e-324, 2.0 ** -1000]))
    d = data.draw(st.lists(st.lists(value, min_size=m, max_size=m), min_size=n, max_size=n))
    x = data.draw(st.lists(st.lists(value, min_size=k, max_size=k), min_size=n, max_size=n))
    w = data.draw(st.lists(st.lists(value, min_size=m, max_size=m), min_size=k, max_size=k))
    expected = ref_dense_backward(d, x, w, "float64")
    assert deep_same(nnref.dense_backward(d, x, w), expected)
    assert deep_same(_dense_backward_sharing(d, x, w), expected[0])


def test_dense_backward_shared_scaling_broken_variant_is_caught():
    d = [[0.1 * i, -0.3, 1.0 / (i + 1)] for i in range(20)]
    x = [[0.5 + i, -2.0] for i in range(20)]
    w = [[0.25, -0.5, 0.125], [1.5, 0.1, -0.7]]
    expected = ref_dense_backward(d, x, w, "float64")
    assert deep_same(_dense_backward_sharing(d, x, w), expected[0])
    assert not deep_same(_dense_backward_sharing(d, x, w, shift=1), expected[0])
