"""``nnref.exact``'s losses, gradients and accuracy against tests/reference_losses.py.

The reference shares no code with nnref: exact ``Fraction`` values for the
clip, the confidences and the rational gradients, ``decimal`` at 600 digits
for ln and exp, and its own rounding to each format from the IEEE layout.
Every dtype is checked.  Deliberately wrong oracles (clip bounds in the wrong
dtype, a mean rounded twice, a loop that never looks for exact zeros) are
shown to fail the same checks.
"""

import math
import threading

import pytest
from hypothesis import given, settings, strategies as st

from nnref import exact, losses
from nnref.exact import _losses

import reference_losses as ref
from support import same

NAN = float("nan")
INF = float("inf")
DTYPES = ref.DTYPES


def same_rows(actual, expected):
    return (len(actual) == len(expected)
            and all(len(a) == len(e) and all(same(x, y) for x, y in zip(a, e))
                    for a, e in zip(actual, expected)))


# ------------------------------------------------------------ the clip bounds, per dtype

def test_clip_bounds_are_the_books_floats_in_each_dtype():
    # float32: float32(1e-7) and 1 - 2**-23; float16 and bfloat16: 1.0 on top.
    assert ref.bounds("float64") == (1e-7, 0.9999999)
    assert ref.bounds("float32")[1] == 1 - 2 ** -23
    assert ref.bounds("float16") == (2.0 ** -23, 1.0)
    assert ref.bounds("bfloat16")[1] == 1.0
    from nnref._base.formats import FORMATS
    for dtype in DTYPES:
        assert _losses.clip_bounds(FORMATS[dtype]) == ref.bounds(dtype)


EDGE_ROWS = [
    [0.0, 1.0], [1.0, 0.0], [1e-7, 0.9999999], [1e-8, 1 - 1e-8], [0.5, 0.5],
    [1 / 3, 2 / 3], [NAN, 0.5], [0.5, NAN], [INF, -INF], [-1.0, 2.0], [5e-324, 1.0],
    [1.0000000116860974e-07, 0.9999998807907104], [0.99999994, 1e-30],
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("row", EDGE_ROWS, ids=repr)
@pytest.mark.parametrize("label", [0, 1])
def test_each_loss_at_the_clip_boundaries(dtype, row, label):
    got = exact.categorical_crossentropy([row], [label], "none", dtype=dtype)
    assert same(got[0], ref.loss(row, label, dtype)), (row, label, dtype, got)
    one_hot = ref.one_hot(label, 2)
    got = exact.categorical_crossentropy([row], [one_hot], "none", dtype=dtype)
    assert same(got[0], ref.loss(row, one_hot, dtype)), (row, one_hot, dtype, got)


@pytest.mark.parametrize("dtype", DTYPES)
def test_uniform_rows_give_log_k(dtype):
    # -log(1/3), -log(1/4) ... from the maths: the float nearest 1/k, then its exact -ln.
    for k in (2, 3, 4, 5, 10):
        row = [1.0 / k] * k
        got = exact.categorical_crossentropy([row] * 3, [0, 1, k - 1], dtype=dtype)
        assert same(got, ref.reduced([row] * 3, [0, 1, k - 1], "mean", dtype))
    assert exact.categorical_crossentropy([[0.25] * 4], [2]) == math.log(4)   # 1/4 is exact


def test_a_midpoint_near_miss_in_float32():
    # -ln(1 - 2**-23) = 2**-23 + 2**-47 + 2**-70/3 + ...: just above the float32 midpoint
    # 2**-23 + 2**-47 (by 2**-70/3, a 2**-24 part of float32's half-ULP there), so it
    # rounds up, to 2**-23 + 2**-46; a truncated series would sit on the midpoint, ties to even: down.
    got = exact.categorical_crossentropy([[0.0, 1.0]], [1], dtype="float32")
    assert got == 2.0 ** -23 + 2.0 ** -46
    assert ref.nearest(ref.Fraction(2) ** -23 + ref.Fraction(2) ** -47, "float32") == 2.0 ** -23


# ------------------------------------------------------------ reductions

finite_probability = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
rows_strategy = st.integers(1, 4).flatmap(lambda k: st.lists(
    st.lists(finite_probability, min_size=k, max_size=k), min_size=1, max_size=5))


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.data())
def test_mean_sum_and_none_against_the_reference(rows, data):
    k = len(rows[0])
    labels = data.draw(st.lists(st.integers(0, k - 1), min_size=len(rows), max_size=len(rows)))
    dtype = data.draw(st.sampled_from(DTYPES))
    for reduction in ("mean", "sum"):
        got = exact.categorical_crossentropy(rows, labels, reduction, dtype=dtype)
        assert same(got, ref.reduced(rows, labels, reduction, dtype)), (reduction, dtype)
    each = exact.categorical_crossentropy(rows, labels, "none", dtype=dtype)
    assert all(same(a, ref.loss(r, y, dtype)) for a, r, y in zip(each, rows, labels))


@settings(max_examples=40, deadline=None)
@given(rows_strategy, st.data())
def test_soft_labels_follow_the_books_formula(rows, data):
    # Rows that are not one-hot: -ln(sum_j clip(p_j) t_j), clip first, as the book.
    k = len(rows[0])
    targets = data.draw(st.lists(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0, 2.0]),
                                          min_size=k, max_size=k),
                                 min_size=len(rows), max_size=len(rows)))
    dtype = data.draw(st.sampled_from(DTYPES))
    got = exact.categorical_crossentropy(rows, targets, "none", dtype=dtype)
    assert all(same(a, ref.loss(r, t, dtype)) for a, r, t in zip(got, rows, targets))
    assert same(exact.categorical_crossentropy(rows, targets, "mean", dtype=dtype),
                ref.reduced(rows, targets, "mean", dtype))


def test_losses_that_cancel_exactly_give_zero():
    # -ln(0.5) - ln(2): the product of the confidences is 1, so the exact sum is 0
    # (Ziv's loop alone would never settle its sign).
    rows = [[0.5, 0.5], [0.5, 0.5]]
    targets = [[1.0, 0.0], [4.0, 0.0]]
    assert same(exact.categorical_crossentropy(rows, targets, "sum"), 0.0)
    assert same(exact.categorical_crossentropy(rows, targets, "mean", dtype="float16"), 0.0)


def test_special_values_decide_the_reductions():
    assert math.isnan(exact.categorical_crossentropy([[NAN, 0.5]], [[1.0, 0.0]]))
    assert exact.categorical_crossentropy([[0.5, 0.5], [0.5, 0.5]], [[0.0, 0.0], [1.0, 0.0]]) == INF
    assert same(exact.categorical_crossentropy([], [], "sum"), 0.0)
    assert math.isnan(exact.categorical_crossentropy([], []))
    # float16: the confidence clips to 1.0 and -ln 1 is -0.0 (NumPy's -np.log(1.0)).
    assert same(exact.categorical_crossentropy([[0.0, 1.0]] * 2, [1, 1], dtype="float16"), -0.0)


# ------------------------------------------------------------ gradients

@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.data())
def test_crossentropy_backward_against_fractions(rows, data):
    k = len(rows[0])
    labels = data.draw(st.lists(st.integers(0, k - 1), min_size=len(rows), max_size=len(rows)))
    dtype = data.draw(st.sampled_from(DTYPES))
    got = exact.categorical_crossentropy_backward(rows, labels, dtype=dtype)
    assert same_rows(got, ref.ce_gradient(rows, labels, dtype))


logit = st.one_of(st.floats(-30.0, 30.0), st.sampled_from([0.0, -0.0, 1.0, -800.0, 700.0,
                                                           -INF, 1e-300]))
logit_rows = st.integers(1, 4).flatmap(lambda k: st.lists(
    st.lists(logit, min_size=k, max_size=k), min_size=1, max_size=4))


@settings(max_examples=50, deadline=None)
@given(logit_rows, st.data())
def test_softmax_step_backward_against_the_reference(rows, data):
    k = len(rows[0])
    labels = data.draw(st.lists(st.integers(0, k - 1), min_size=len(rows), max_size=len(rows)))
    dtype = data.draw(st.sampled_from(DTYPES))
    got = exact.softmax_crossentropy_backward(rows, labels, dtype=dtype)
    assert same_rows(got, ref.softmax_gradient(rows, labels, dtype)), (rows, labels, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("row,target", [
    ([5.0], [1.0]),                          # one element: s = 1, s - y = 0 exactly
    ([2.0, 2.0, 2.0], [0.0, 1.0, 0.0]),      # equal logits: s = 1/3
    ([0.0, 0.0], [0.5, 0.5]),                # s = y exactly: zeros
    ([1.0, -INF], [1.0, 0.0]),               # s = (1, 0): zeros
    ([0.0, -40.0], [1.0, 0.0]),              # saturated: s - 1 = -e^-40 / (1 + e^-40)
    ([0.0, -700.0, -745.0], [1.0, 0.0, 0.0]),  # saturated past float64's epsilon by far
    ([0.0, -1e300], [1.0, 0.0]),             # the other term is never computed
    ([0.0, 1.0], [0.25, 0.75]),
    ([0.0, 1.0], [INF, 0.0]),
    ([NAN, 1.0], [1.0, 0.0]),
])
def test_softmax_step_edges(dtype, row, target):
    got = exact.softmax_crossentropy_backward([row], [target], dtype=dtype)
    if row == [0.0, -1e300]:
        assert same_rows(got, [[-0.0, 0.0]])        # -e^-1e300 / 1, far below every subnormal
    else:
        assert same_rows(got, ref.softmax_gradient([row], [target], dtype)), got
    assert got[0] is not row


def test_exact_zeros_are_found_before_the_loop(monkeypatch):
    # A wrong oracle that sends every element through the refinement loop never
    # finishes on a one-element row (s - y is 0, whose bounds never agree in sign).
    calls = []

    def counting(*args):
        calls.append(args)
        return original(*args)

    original = _losses._gradient_try
    monkeypatch.setattr(_losses, "_gradient_try", counting)
    assert exact.softmax_crossentropy_backward([[3.0], [7.0]], [0, 0]) == [[0.0], [0.0]]
    assert exact.softmax_crossentropy_backward([[1.0, 1.0, -INF]], [1]) == [[0.5, -0.5, 0.0]]
    assert calls == []


def _loop_only(row, target, count, fmt):
    # The deliberately wrong oracle: every element through the refinement loop,
    # no rational / exact-zero detection first.
    differences, low = _losses._row_exponents(row)
    digits = 30
    out = [None] * len(row)
    while digits <= 480:
        out = _losses._gradient_try(differences, low, [None] * len(row), target, count,
                                    digits, fmt, out)
        if None not in out:
            return out
        digits *= 2
    return None


def test_the_loop_alone_gets_exact_zeros_wrong():
    # The loop's zero rule takes s != y for granted (true for an irrational s):
    # fed an exact zero, s = y = 1/2, it answers -0.0 where the truth is +0.0.
    from nnref._base.formats import FLOAT64
    wrong = _loop_only([2.0, 2.0], [0.5, 0.5], 1, FLOAT64)
    assert not same_rows([wrong], ref.softmax_gradient([[2.0, 2.0]], [[0.5, 0.5]]))
    assert same_rows(exact.softmax_crossentropy_backward([[2.0, 2.0]], [[0.5, 0.5]]), [[0.0, 0.0]])
    irrational = _loop_only([2.0, 2.5], [0.5, 0.5], 1, FLOAT64)
    assert same_rows([irrational], ref.softmax_gradient([[2.0, 2.5]], [[0.5, 0.5]]))


# ------------------------------------------------------------ accuracy

@pytest.mark.parametrize("dtype", DTYPES)
def test_accuracy_is_the_count_over_n_rounded_once(dtype):
    rows = [[1.0, 0.0]] * 3
    for labels, correct in (([0, 1, 1], 1), ([0, 0, 1], 2), ([0, 0, 0], 3)):
        got = exact.accuracy(rows, labels, dtype=dtype)
        assert same(got, ref.nearest(ref.Fraction(correct, 3), dtype))
    assert math.isnan(exact.accuracy([], [], dtype=dtype))


# ------------------------------------------------------------ wrong oracles fail

def wrong_dtype_clip(y_pred, y_true, reduction="mean", dtype="float64"):
    # Clips at the float64 bounds whatever the dtype, then rounds -ln to dtype.
    vals = losses.categorical_crossentropy(y_pred, y_true, "none")
    from nnref._base.formats import FORMATS, round_float
    each = [round_float(v, FORMATS[dtype]) for v in vals]
    return each if reduction == "none" else round_float(losses.exact_mean(vals, len(vals)),
                                                        FORMATS[dtype])


def mean_rounded_twice(y_pred, y_true, reduction="mean", dtype="float64"):
    each = exact.categorical_crossentropy(y_pred, y_true, "none", dtype=dtype)
    from nnref._base.formats import FORMATS, round_float
    total = 0.0
    for v in each:
        total = round_float(total + v, FORMATS[dtype])
    return round_float(total / len(each), FORMATS[dtype])


def check_cross_entropy(function):
    """Failures of ``function`` (exact.categorical_crossentropy's signature) on fixed cases."""
    cases = [([[0.0, 1.0]], [1], "float32"), ([[0.3, 0.7]] * 3, [0, 1, 1], "float16"),
             ([[0.1, 0.2, 0.7]] * 7, [0, 1, 2, 2, 1, 0, 2], "bfloat16"),
             ([[0.1, 0.9], [0.8, 0.2], [0.45, 0.55]] * 3, [0, 0, 1] * 3, "float16")]
    failures = []
    for rows, labels, dtype in cases:
        got = function(rows, labels, "mean", dtype=dtype)
        if not same(got, ref.reduced(rows, labels, "mean", dtype)):
            failures.append((rows, labels, dtype, got))
    return failures


def test_the_oracle_passes_and_wrong_oracles_fail():
    assert check_cross_entropy(exact.categorical_crossentropy) == []
    assert check_cross_entropy(wrong_dtype_clip)
    assert check_cross_entropy(mean_rounded_twice)


# ------------------------------------------------------------ docstrings and the spec

def _spec_sentences(name):
    import test_spec
    section = test_spec.section_for(name)
    return section.sentences_for(name) if section else []


@pytest.mark.parametrize("name", ["categorical_crossentropy", "categorical_crossentropy_backward",
                                  "softmax_crossentropy_backward", "accuracy"])
def test_exact_docstring_cases_are_in_the_spec_and_hold(name):
    import test_spec
    sentences = test_spec.docstring_special_cases(getattr(exact, name))
    assert sentences
    listed = _spec_sentences("nnref.exact." + name)
    assert [s for s in sentences if s not in listed] == []
    for sentence in sentences:
        match = test_spec.CALL.match(sentence)
        assert match, sentence
        assert test_spec.check_call(sentence, match) == []


def test_the_oracle_takes_the_float_tiers_arguments_and_errors():
    for bad in ([True], [0.0], [3], "ab"):
        with pytest.raises((TypeError, ValueError)):
            exact.categorical_crossentropy([[0.5, 0.5]], bad)
    with pytest.raises(ValueError, match="dtype"):
        exact.accuracy([[1.0]], [0], dtype="float8")
    with pytest.raises(ValueError, match="reduction"):
        exact.categorical_crossentropy([[1.0]], [0], reduction="avg")
    with pytest.raises(ValueError, match=r"exact.softmax_crossentropy_backward: y_true \(2,\) does "
                                         r"not match inputs \(1, 2\)"):
        exact.softmax_crossentropy_backward([[1.0, 2.0]], [0, 1])


def test_saturated_rows_finish_quickly():
    # Precision grows with the spread: a spread of 1400 needs some 620 digits.
    done = []
    worker = threading.Thread(target=lambda: done.append(
        exact.softmax_crossentropy_backward([[0.0, -1400.0, -1e6]], [0])))
    worker.start()
    worker.join(60)
    assert done and same_rows(done[0], [[-0.0, 0.0, 0.0]])
