"""The float tier's losses, gradients and accuracy (nnref/losses.py).

Expected values come from the maths (-log(1/3) for uniform rows, exact
``Fraction`` quotients and means), from tests/reference_losses.py (decimal at
600 digits, no nnref code), and from NumPy's documented argmax rules.  The
stated accuracy bounds are tested, and deliberately wrong implementations
(clip bounds in float32, last-maximum ties, a NaN-blind argmax, the mean
rounded twice) are shown to fail the same checks.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import nnref
from nnref import losses

import reference_losses as ref
from support import rounded_sum, same, ulps

NAN = float("nan")
INF = float("inf")


def same_rows(actual, expected):
    return (type(actual) is list and len(actual) == len(expected)
            and all(len(a) == len(e) and all(same(x, y) for x, y in zip(a, e))
                    for a, e in zip(actual, expected)))


# ------------------------------------------------------------ the loss: values from the maths

def test_uniform_rows_give_log_k():
    # -log of the float nearest 1/k; log k itself where 1/k is exact.
    assert nnref.categorical_crossentropy([[0.25] * 4] * 3, [0, 1, 3]) == math.log(4)
    assert nnref.categorical_crossentropy([[0.5, 0.5]], [[0.0, 1.0]]) == math.log(2)
    for k in (3, 5, 7, 10):
        got = nnref.categorical_crossentropy([[1.0 / k] * k], [k - 1])
        assert ulps(got, ref.loss([1.0 / k] * k, k - 1)) <= 1


def test_the_clip_bounds_are_the_float64_floats():
    # p = 0 clips to 1e-7, p = 1 to 0.9999999 (the float nearest 1 - 1e-7).
    assert 1 - 1e-7 == 0.9999999 and losses.CLIP_HIGH == 0.9999999 and losses.CLIP_LOW == 1e-7
    low = nnref.categorical_crossentropy([[0.0, 1.0]], [0])
    high = nnref.categorical_crossentropy([[0.0, 1.0]], [1])
    assert ulps(low, ref.loss([0.0, 1.0], 0)) <= 1
    assert ulps(high, ref.loss([0.0, 1.0], 1)) <= 1
    for below in (5e-8, 5e-324, -1.0, -INF):           # clipped up to 1e-7
        assert nnref.categorical_crossentropy([[below, 1.0]], [0]) == low
    assert nnref.categorical_crossentropy([[2e-7, 1.0]], [0]) == -math.log(2e-7)
    for above in (1.0 - 2 ** -53, 1e300, INF):         # clipped down to 0.9999999
        assert nnref.categorical_crossentropy([[0.0, above]], [1]) == high


def float32_clip_loss(y_pred, y_true, reduction="mean"):
    # Deliberately wrong: the bounds of float32 arrays (1 - 2**-23 on top) in float64 code.
    rows = [[min(max(v, 1.0000000116860974e-07), 1 - 2 ** -23) for v in r] for r in y_pred]
    each = [-math.log(r[y]) for r, y in zip(rows, y_true)]
    return each if reduction == "none" else sum(each) / len(each)


def check_clip(function):
    """Failures of a loss function on the clip boundaries, against the 600-digit reference."""
    failures = []
    for row in ([0.0, 1.0], [1.0, 0.0], [1e-9, 1 - 1e-9], [0.5, 0.5]):
        for label in (0, 1):
            got = function([row], [label], "none")[0]
            if ulps(got, ref.loss(row, label)) > 1:
                failures.append((row, label, got))
    return failures


def test_clip_check_passes_and_catches_the_float32_bounds():
    assert check_clip(nnref.categorical_crossentropy) == []
    assert check_clip(float32_clip_loss)


def test_special_values():
    assert nnref.categorical_crossentropy([[NAN, 0.5]], [1]) == math.log(2)   # NaN not chosen
    assert math.isnan(nnref.categorical_crossentropy([[NAN, 0.5]], [0]))
    assert math.isnan(nnref.categorical_crossentropy([[NAN, 0.5]], [[0.0, 1.0]]))
    assert nnref.categorical_crossentropy([[INF, -INF]], [0]) == nnref.categorical_crossentropy(
        [[1.0, 0.0]], [0])                                             # +inf clips to the top
    assert nnref.categorical_crossentropy([[0.5, 0.5]], [[0.0, 0.0]]) == INF
    assert math.isnan(nnref.categorical_crossentropy([[0.5, 0.5]], [[-1.0, 0.0]]))
    assert nnref.categorical_crossentropy([[0.5, 0.5]], [[INF, 0.0]]) == -INF
    assert same(nnref.categorical_crossentropy([[0.5, 0.5]], [[2.0, 0.0]], "none")[0], -0.0)
    assert nnref.categorical_crossentropy([[]], [[]], "none") == [INF]   # the empty sum is 0


def test_soft_labels_follow_the_books_formula():
    # clip, weighted sum, log: -log(0.25 * 0.5 + 0.75 * 0.5), not -(0.25 log .5 + 0.75 log .5)...
    row, target = [0.2, 0.8], [0.25, 0.75]
    got = nnref.categorical_crossentropy([row], [target], "none")[0]
    assert ulps(got, ref.loss(row, target)) <= 1
    cross_entropy = -(0.25 * math.log(0.2) + 0.75 * math.log(0.8))
    assert abs(got - cross_entropy) > 0.1


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5).flatmap(lambda k: st.lists(
    st.lists(st.floats(0.0, 1.0), min_size=k, max_size=k), min_size=1, max_size=8)), st.data())
def test_accuracy_bounds_of_the_loss(rows, data):
    k = len(rows[0])
    labels = data.draw(st.lists(st.integers(0, k - 1), min_size=len(rows), max_size=len(rows)))
    each = nnref.categorical_crossentropy(rows, labels, "none")
    for got, row, label in zip(each, rows, labels):
        assert ulps(got, ref.loss(row, label)) <= 1               # the stated 1 ULP
    mean = nnref.categorical_crossentropy(rows, labels)
    assert ulps(mean, ref.reduced(rows, labels, "mean")) <= 3      # the stated 3 ULP
    # The mean and sum are those of the computed losses, rounded once from the exact sum.
    exact_sum = sum(Fraction(v) for v in each)
    assert mean == float(exact_sum / len(each))
    assert nnref.categorical_crossentropy(rows, labels, "sum") == float(exact_sum)
    # One-hot rows give the same losses as the indices.
    one_hot = [ref.one_hot(y, k) for y in labels]
    assert nnref.categorical_crossentropy(rows, one_hot, "none") == each


def mean_rounded_twice(y_pred, y_true, reduction="mean"):
    # A float running sum, rounded at every step, then divided.
    each = nnref.categorical_crossentropy(y_pred, y_true, "none")
    return rounded_sum(each) / len(each)


def test_the_once_rounded_mean_check_catches_a_naive_mean():
    rows = [[0.1, 0.2, 0.7]] * 10
    labels = [0, 1, 2, 2, 1, 0, 2, 1, 0, 1]
    each = nnref.categorical_crossentropy(rows, labels, "none")
    expected = float(sum(Fraction(v) for v in each) / len(each))
    assert nnref.categorical_crossentropy(rows, labels) == expected
    assert mean_rounded_twice(rows, labels) != expected


def test_reductions_and_empty_batches():
    rows, labels = [[0.7, 0.3], [0.4, 0.6]], [0, 1]
    each = nnref.categorical_crossentropy(rows, labels, reduction="none")
    assert each == [-math.log(0.7), -math.log(0.6)]
    assert nnref.categorical_crossentropy(rows, labels, "sum") == float(Fraction(each[0]) +
                                                                        Fraction(each[1]))
    assert math.isnan(nnref.categorical_crossentropy([], []))
    assert same(nnref.categorical_crossentropy([], [], "sum"), 0.0)
    assert nnref.categorical_crossentropy([], [], "none") == []
    with pytest.raises(ValueError, match='reduction must be "mean", "sum" or "none"'):
        nnref.categorical_crossentropy(rows, labels, "average")
    with pytest.raises(ValueError):
        nnref.categorical_crossentropy(rows, labels, None)


# ------------------------------------------------------------ arguments

@pytest.mark.parametrize("y_true,error,message", [
    ([True, 0], TypeError, r"y_true\[0\] is True \(bool\); class indices must be ints"),
    ([0.0, 1], TypeError, r"y_true\[0\] is 0.0 \(float\)"),
    ([0, "1"], TypeError, r"y_true\[1\] is '1' \(str\)"),
    ([0, 2], ValueError, r"y_true\[1\] is 2, but y_pred \(2, 2\) has 2 classes \(indices 0 to 1\)"),
    ([0, -1], ValueError, r"y_true\[1\] is -1"),
    ([0], ValueError, r"y_true \(1,\) does not match y_pred \(2, 2\): 1 labels for 2 rows"),
    ([[1.0, 0.0]], ValueError, r"y_true \(1, 2\) does not match y_pred \(2, 2\)"),
    ([[1.0, 0.0, 0.0]] * 2, ValueError, r"y_true \(2, 3\) does not match y_pred \(2, 2\)"),
    ([[1.0, 0.0], [1.0]], ValueError, r"y_true\[1\] has length 1"),
    ([[1.0, "a"], [1.0, 0.0]], TypeError, r"y_true\[0\]\[1\] is 'a'"),
    (3, TypeError, r"y_true is 3 \(int\); expected class indices"),
    (None, TypeError, r"y_true is None"),
])
@pytest.mark.parametrize("function", [nnref.categorical_crossentropy,
                                      nnref.categorical_crossentropy_backward,
                                      nnref.accuracy])
def test_bad_labels_name_the_argument_and_position(function, y_true, error, message):
    with pytest.raises(error, match=function.__name__ + ": " + message):
        function([[0.5, 0.5], [0.5, 0.5]], y_true)


def test_bad_predictions_and_the_inputs_name():
    with pytest.raises(ValueError, match=r"categorical_crossentropy: y_pred has shape \(2,\)"):
        nnref.categorical_crossentropy([0.5, 0.5], [0])
    with pytest.raises(TypeError, match=r"y_pred\[0\]\[1\] is 'x'"):
        nnref.categorical_crossentropy([[0.5, "x"]], [0])
    with pytest.raises(ValueError, match=r"softmax_crossentropy_backward: y_true \(2,\) does "
                                         r"not match inputs \(1, 2\)"):
        nnref.softmax_crossentropy_backward([[1.0, 2.0]], [0, 1])


def test_the_callers_lists_are_neither_changed_nor_returned():
    rows, labels, targets = [[0.5, 0.5]], [1], [[0.0, 1.0]]
    for function in (nnref.categorical_crossentropy_backward, nnref.softmax_crossentropy_backward):
        for y in (labels, targets):
            out = function(rows, y)
            assert out is not rows and out[0] is not rows[0]
    assert rows == [[0.5, 0.5]] and labels == [1] and targets == [[0.0, 1.0]]


def test_subclasses_are_read_by_their_stored_values():
    class Lying(int):
        def __int__(self):
            return 0

        def __index__(self):
            return 0

    assert nnref.accuracy([[0.2, 0.8]], [Lying(1)]) == 1.0
    assert nnref.categorical_crossentropy([[0.2, 0.8]], (Lying(1),)) == -math.log(0.8)


# ------------------------------------------------------------ the cross-entropy gradient

@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda k: st.lists(
    st.lists(st.one_of(st.floats(allow_nan=True), st.sampled_from([0.0, -0.0, 1.0, 5e-324])),
             min_size=k, max_size=k), min_size=1, max_size=5)), st.data())
def test_crossentropy_backward_is_the_exact_quotient_rounded_once(rows, data):
    k = len(rows[0])
    labels = data.draw(st.lists(st.integers(0, k - 1), min_size=len(rows), max_size=len(rows)))
    assert same_rows(nnref.categorical_crossentropy_backward(rows, labels),
                     ref.ce_gradient(rows, labels))
    targets = [ref.one_hot(y, k) for y in labels]
    assert same_rows(nnref.categorical_crossentropy_backward(rows, targets),
                     ref.ce_gradient(rows, targets))


def test_crossentropy_backward_by_hand():
    # -1 / (0.8 * 2) = -0.625 and -1 / (0.5 * 2) = -1, exactly; the others -0.0.
    got = nnref.categorical_crossentropy_backward([[0.2, 0.8], [0.5, 0.5]], [1, 0])
    assert same_rows(got, [[-0.0, -0.625], [-1.0, -0.0]])
    # -1 / (0.1 * 3): NumPy divides twice, (-1 / 0.1) / 3; nnref once.
    one = nnref.categorical_crossentropy_backward([[0.1, 0.9]] * 3, [0, 0, 0])[0][0]
    assert one == float(-1 / (Fraction(0.1) * 3))
    assert nnref.categorical_crossentropy_backward([], []) == []


# ------------------------------------------------------------ the softmax step's gradient

logit = st.one_of(st.floats(-50.0, 50.0), st.sampled_from([0.0, -0.0, 30.0, -800.0, -INF]))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5).flatmap(lambda k: st.lists(
    st.lists(logit, min_size=k, max_size=k), min_size=1, max_size=4)), st.data())
def test_softmax_step_gradient_within_the_stated_bound(rows, data):
    k = len(rows[0])
    labels = data.draw(st.lists(st.integers(0, k - 1), min_size=len(rows), max_size=len(rows)))
    got = nnref.softmax_crossentropy_backward(rows, labels)
    expected = ref.softmax_gradient(rows, labels)
    for a, e in zip(got, expected):
        for x, y in zip(a, e):
            if y != y:
                assert x != x
            else:
                assert ulps(x, y) <= 6 and (x != 0.0 or y != 0.0 or same(x, y)), (rows, x, y)
    # Each row sums to zero within a few ULP of its largest element (an invariant of s - y).
    for a in got:
        if all(v == v for v in a) and a:
            assert abs(math.fsum(a)) <= 8 * 2.0 ** -52 * max(abs(v) for v in a) + 1e-300


def plain_softmax_gradient(inputs, y_true):
    # Deliberately weak: (s - 1) computed by subtraction, as the obvious code does.
    n = len(inputs)
    out = []
    for row, label in zip(inputs, y_true):
        s = nnref.softmax(row)
        out.append([(v - (1.0 if j == label else 0.0)) / n for j, v in enumerate(s)])
    return out


def test_the_bound_catches_cancellation_in_s_minus_one():
    rows, labels = [[0.0, -30.0, -35.0]], [0]
    expected = ref.softmax_gradient(rows, labels)[0][0]
    assert ulps(nnref.softmax_crossentropy_backward(rows, labels)[0][0], expected) <= 6
    assert ulps(plain_softmax_gradient(rows, labels)[0][0], expected) > 1000


def test_softmax_step_by_hand():
    assert nnref.softmax_crossentropy_backward([[0.0, 0.0]], [1]) == [[0.5, -0.5]]
    assert nnref.softmax_crossentropy_backward([[0.0, 0.0, 0.0, 0.0]], [[0.25] * 4]) == [[0.0] * 4]
    assert same_rows(nnref.softmax_crossentropy_backward([[7.0]], [0]), [[0.0]])
    assert same_rows(nnref.softmax_crossentropy_backward([[0.0, -800.0]], [0]), [[-0.0, 0.0]])
    assert same_rows(nnref.softmax_crossentropy_backward([[0.0, -INF]], [0]), [[0.0, 0.0]])
    assert nnref.softmax_crossentropy_backward([], []) == []


# ------------------------------------------------------------ accuracy

def test_accuracy_ties_take_the_first_maximum_and_nan_wins():
    # np.argmax: "the indices corresponding to the first occurrence are returned";
    # a NaN is the maximum (np.argmax([[nan, 4], [2, 3]]) == 0 in NumPy's docs).
    assert nnref.accuracy([[0.5, 0.5]], [0]) == 1.0
    assert nnref.accuracy([[0.5, 0.5]], [1]) == 0.0
    assert nnref.accuracy([[0.1, NAN, 0.9, NAN]], [1]) == 1.0
    assert nnref.accuracy([[NAN, 4.0], [2.0, 3.0]], [0, 1]) == 1.0
    assert nnref.accuracy([[-INF, -INF]], [0]) == 1.0
    assert nnref.accuracy([[0.2, 0.8], [0.6, 0.4]], [[0.5, 0.5], [0.3, 0.7]]) == 0.0


def last_max_accuracy(y_pred, y_true):
    hits = sum(1 for row, y in zip(y_pred, y_true)
               if max(range(len(row)), key=lambda j: (row[j], j)) == y)
    return hits / len(y_pred)


def nan_blind_accuracy(y_pred, y_true):
    hits = sum(1 for row, y in zip(y_pred, y_true) if row.index(max(row)) == y)
    return hits / len(y_pred)


def check_accuracy(function):
    cases = [([[0.5, 0.5]], [0], 1.0), ([[0.3, 0.3, 0.1]], [0], 1.0),
             ([[0.1, NAN, 0.9]], [1], 1.0), ([[0.2, 0.8], [0.1, 0.9], [0.9, 0.1]], [1, 1, 1],
                                             float(Fraction(2, 3)))]
    return [(p, y) for p, y, want in cases if not same(function(p, y), want)]


def test_accuracy_check_passes_and_catches_last_max_ties_and_nan_blindness():
    assert check_accuracy(nnref.accuracy) == []
    assert check_accuracy(last_max_accuracy)
    assert check_accuracy(nan_blind_accuracy)


def test_accuracy_shapes():
    assert math.isnan(nnref.accuracy([], []))
    with pytest.raises(ValueError, match="argmax needs at least one class"):
        nnref.accuracy([[]], [[]])
    assert nnref.accuracy([[0.1, 0.9]] * 3, [1, 0, 0]) == float(Fraction(1, 3))


# ------------------------------------------------------------ the classes

def test_categorical_crossentropy_class_follows_the_book():
    loss = nnref.CategoricalCrossentropy()
    rows, labels = [[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]], [0, 1, 1]
    assert loss.forward(rows, labels) == nnref.categorical_crossentropy(rows, labels, "none")
    assert loss.calculate(rows, labels) == nnref.categorical_crossentropy(rows, labels)
    assert loss.dinputs is None
    loss.backward(rows, labels)
    assert loss.dinputs == nnref.categorical_crossentropy_backward(rows, labels)
    assert repr(loss) == "CategoricalCrossentropy()"
    with pytest.raises(ValueError, match=r"CategoricalCrossentropy.backward: y_true \(1,\)"):
        loss.backward(rows, [0])
    with pytest.raises(ValueError, match=r"CategoricalCrossentropy.calculate: y_true"):
        loss.calculate(rows, [0])


def test_softmax_crossentropy_class_follows_the_book():
    step = nnref.SoftmaxCategoricalCrossentropy()
    logits, labels = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], [2, 0]
    loss = step.forward(logits, labels)
    assert step.output == nnref.softmax(logits)
    assert loss == nnref.categorical_crossentropy(step.output, labels)
    # The book's backward: (dvalues - one-hot) / n, one-hot labels by their argmax.
    step.backward(step.output, labels)
    n = len(logits)
    expected = [[float((Fraction(v) - (1 if j == y else 0)) / n) for j, v in enumerate(row)]
                for row, y in zip(step.output, labels)]
    assert step.dinputs == expected
    step.backward(step.output, [[0.1, 0.2, 0.7], [0.6, 0.2, 0.2]])     # argmax: 2, 0
    assert step.dinputs == expected
    with pytest.raises(ValueError, match=r"SoftmaxCategoricalCrossentropy.forward: y_true"):
        step.forward(logits, [0])


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(finite, st.one_of(finite, st.sampled_from([0.0, -0.0, 1.0, 0.5])), st.integers(1, 1000))
def test_difference_over_is_rounded_once(a, b, n):
    # The fast path (b == 0, or Sterbenz: b/2 <= a <= 2b) and the exact one agree with Fractions.
    exact_value = (Fraction(a) - Fraction(b)) / n
    got = losses.difference_over(a, b, n)
    assert got == ref.nearest(exact_value, "float64")
    if exact_value == 0:
        assert same(got, (a - b) / n)
    a_near = b * 1.5 if math.isfinite(b * 1.5) else b
    assert losses.difference_over(a_near, b, n) == ref.nearest((Fraction(a_near) - Fraction(b)) / n,
                                                              "float64")


@settings(max_examples=300, deadline=None)
@given(finite, finite, st.sampled_from([1, 2, 3, 4, 64, 300, 1024]))
def test_negated_quotient_is_rounded_once(t, p, n):
    if p == 0.0:
        return
    got = losses.negated_quotient(t, p, n)
    if t == 0.0:
        assert same(got, (-t) / p / n)
    else:
        assert same(got, ref.nearest(-Fraction(t) / (Fraction(p) * n), "float64"))


def _minus_one_over_without_sticky(a, count):
    # A deliberately broken _minus_one_over: no guard bits and no sticky bit,
    # so the quotient is truncated before float() rounds it.
    f, e = math.frexp(a)
    sh = 53 - e
    q = ((1 << sh) - int(f * 2.0 ** 53)) // count
    return -math.ldexp(float(q), -sh)


def _sticky_cases():
    # Counts with long quotients (3, 7, ...) and a = 2**-k: (2**k - 1) / (c * 2**k).
    return [(2.0 ** -k, c) for k in range(2, 61) for c in (3, 7, 300, 1000003)]


@settings(max_examples=500, deadline=None)
@given(st.floats(2.0 ** -60, 0.5, exclude_max=True), st.integers(1, 2 ** 40 - 1))
def test_minus_one_over_is_rounded_once(a, n):
    # The softmax step's label entries, (a - 1) / n for a in [2**-60, 0.5):
    # the integer fast path against the exact quotient rounded once.
    expected = ref.nearest((Fraction(a) - 1) / n, "float64")
    assert losses.difference_over(a, 1.0, n) == expected
    assert losses._minus_one_over(a, n) == expected


def test_minus_one_over_broken_variant_is_caught():
    wrong = [(a, c) for a, c in _sticky_cases()
             if _minus_one_over_without_sticky(a, c) != ref.nearest((Fraction(a) - 1) / c, "float64")]
    assert wrong                        # the check above can fail
    for a, c in _sticky_cases():
        assert losses._minus_one_over(a, c) == ref.nearest((Fraction(a) - 1) / c, "float64")


def test_softmax_step_backward_label_entries_are_rounded_once():
    # Below 0.5 (the fast path), at 0.5 and above (Sterbenz), tiny, zero and specials.
    rows = [[0.3, 0.7], [2.0 ** -70, 1.0], [0.5, 0.5], [0.0, 1.0], [0.75, 0.25],
            [float("nan"), 1.0], [float("inf"), 0.0], [-0.0, 1.0], [1e-320, 1.0]]
    labels = [0] * len(rows)
    step = nnref.SoftmaxCategoricalCrossentropy()
    step.backward(rows, labels)
    n = len(rows)
    for row, got in zip(rows, step.dinputs):
        for j, v in enumerate(row):
            if math.isfinite(v):
                assert same(got[j], ref.nearest((Fraction(v) - (1 if j == 0 else 0)) / n, "float64")
                            if v != 0.0 or j == 0 else v / n)
            else:
                assert same(got[j], (v - (1.0 if j == 0 else 0.0)) / n)
