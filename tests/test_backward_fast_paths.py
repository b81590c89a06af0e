"""The backward pass's fast paths give the correctly rounded result, and reuse nothing stale.

Issue 17 asks for the chapter's backward pass at no more than twice the
plain idioms' time.  Four paths get it there:

- ``nnref.Dense.forward`` keeps its inputs' exact integer columns, with a
  copy of the inputs, and ``backward`` reuses them for dweights only while
  ``.inputs`` still holds those values;
- the softmax step's gradient divides as ints (``int / int`` rounds once on
  CPython and PyPy), a whole batch at a time;
- ``relu_backward`` takes one flat pass over a batch of short rows;
- ``scale_to_ints`` finds overflow by ``int(inf)`` failing, not by a pass for
  the largest magnitude.

Each is pinned against exact rationals (``fractions.Fraction``), or against
the rule it replaces, and the broken variants below show that the checks
catch the bugs they are meant to.  No timing here: speed lives in
``benchmarks/speed.py``.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import nnref
from nnref import gradients, losses
from nnref._base import dot
from support import same
from test_exact_gradients import deep_same, ref_dense_backward
from test_exact_narrow import nearest
from test_fast_paths import CLASSES, batches, ordinary, signed_zero

NAN = float("nan")
INF = float("inf")


def exact_backward(d, x, w):
    return ref_dense_backward(d, x, w, "float64")


def layer_with(inputs, weights):
    layer = nnref.Dense(len(weights), len(weights[0]), rng=nnref.RandomState(0))
    layer.weights = [list(row) for row in weights]
    layer.forward(inputs)
    return layer


def backward_of(layer, dvalues):
    layer.backward(dvalues)
    return layer.dinputs, layer.dweights, layer.dbiases


# --- Dense keeps its inputs' scaled columns for backward ------------------------------

@pytest.mark.parametrize("kind", sorted(CLASSES))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_layer_backward_after_forward_is_correctly_rounded(kind, data):
    inputs, weights, _ = data.draw(batches(CLASSES[kind], ordinary, signed_zero))
    dvalues = [[data.draw(st.one_of(CLASSES[kind], ordinary)) for _ in weights[0]] for _ in inputs]
    layer = layer_with(inputs, weights)
    assert layer._forward_scaling is not None          # the batch took the column-wise form
    assert deep_same(backward_of(layer, dvalues), exact_backward(dvalues, inputs, weights))


def chapter_layer():
    rng = nnref.RandomState(3)
    inputs, weights = rng.randn(300, 3), rng.randn(3, 3)
    inputs[0][0] = 0.0
    return inputs, weights, rng.randn(300, 3), layer_with(inputs, weights)


# Changes to the kept inputs between forward and backward.  All but the
# zero's sign change the exact columns, so a backward that trusted the
# forward pass's columns would give the old inputs' gradient.
CHANGES = {
    "a value": lambda x: x[7].__setitem__(1, x[7][1] * 3.0 + 1.0),
    "a zero's sign": lambda x: x[0].__setitem__(0, -0.0),
    "an int": lambda x: x[5].__setitem__(2, 2),
    "a NaN": lambda x: x[9].__setitem__(0, NAN),
    "a tiny value": lambda x: x[3].__setitem__(1, 5e-324),
    "a whole row": lambda x: x.__setitem__(11, [1e300, -1e-300, 0.5]),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_layer_backward_reads_inputs_changed_after_forward(change):
    inputs, weights, dvalues, layer = chapter_layer()
    CHANGES[change](inputs)                 # the layer keeps the caller's list, as the book's
    want = exact_backward(dvalues, [[float(v) for v in row] for row in inputs], weights)
    assert deep_same(backward_of(layer, dvalues), want)


def test_layer_backward_reads_inputs_replaced_after_forward():
    inputs, weights, dvalues, layer = chapter_layer()
    other = [[v * 0.5 for v in row] for row in inputs]
    layer.inputs = other
    assert deep_same(backward_of(layer, dvalues), exact_backward(dvalues, other, weights))
    layer.inputs = tuple(tuple(row) for row in inputs)          # same values, other types
    assert deep_same(backward_of(layer, dvalues), exact_backward(dvalues, inputs, weights))


def test_a_backward_that_trusts_the_forward_columns_is_caught(monkeypatch):
    # A deliberately broken layer: it reuses the kept columns without
    # comparing the inputs with their copy.
    real = gradients._dense_backward

    def trusting(dvalues, inputs, weights, func, forward_scaling=None):
        if forward_scaling is not None:
            forward_scaling = ([v for row in inputs for v in row], forward_scaling[1])
        return real(dvalues, inputs, weights, func, forward_scaling)
    monkeypatch.setattr(gradients, "_dense_backward", trusting)
    caught = []
    for change in sorted(CHANGES):
        inputs, weights, dvalues, layer = chapter_layer()
        CHANGES[change](inputs)
        want = exact_backward(dvalues, [[float(v) for v in row] for row in inputs], weights)
        if not deep_same(backward_of(layer, dvalues), want):
            caught.append(change)
    assert "a value" in caught and "a tiny value" in caught and "a whole row" in caught


def test_the_kept_copy_is_not_the_callers_list():
    inputs, weights, dvalues, layer = chapter_layer()
    copy, _ = layer._forward_scaling
    assert copy == [v for row in inputs for v in row]       # the elements, flat
    assert all(copy is not row for row in inputs)
    assert layer.inputs is inputs            # the book's self.inputs = inputs


def test_the_kept_columns_are_the_inputs_exactly():
    inputs, weights, dvalues, layer = chapter_layer()
    (int_columns, exponent) = layer._forward_scaling[1]
    assert exponent <= 0
    for j, ints in enumerate(int_columns):
        assert ints == [Fraction(row[j]) * 2 ** -exponent for row in inputs]


def test_a_batch_with_nan_keeps_no_columns():
    inputs, weights, dvalues, layer = chapter_layer()
    assert layer._forward_scaling is not None
    inputs = [list(row) for row in inputs]
    inputs[4][2] = NAN
    layer.forward(inputs)                   # the same layer, now on a batch with a NaN
    assert layer._forward_scaling is None
    want = exact_backward(dvalues, inputs, weights)
    assert deep_same(backward_of(layer, dvalues), want)


# --- the softmax step's gradient, divided as ints ------------------------------------

def fraction_step(rows, labels):
    n = len(rows)
    return [[nearest((Fraction(v) - (1 if j == label else 0)) / n, "float64")
             for j, v in enumerate(row)] for row, label in zip(rows, labels)]


probability = st.one_of(st.floats(0.0, 1.0), st.floats(2.0 ** -1074, 2.0 ** -1000),
                        st.sampled_from([0.0, 0.5, 1.0, 2.0 ** -1074, 1.0 - 2.0 ** -53, 0.25]))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5).flatmap(lambda k: st.lists(
    st.tuples(st.lists(probability, min_size=k, max_size=k), st.integers(0, k - 1)),
    min_size=1, max_size=40)))
def test_the_softmax_step_gradient_is_rounded_once(pairs):
    rows = [row for row, _ in pairs]
    labels = [label for _, label in pairs]
    got = losses.softmax_step_gradient(rows, labels)
    assert deep_same(got, fraction_step(rows, labels))


@pytest.mark.parametrize("count", [1, 3, 300, 1000003, 2 ** 40 + 1])
def test_the_label_entries_over_long_quotients(count):
    # (2**-k - 1) / count has a long quotient: its rounding needs every bit.
    values = [2.0 ** -k for k in range(0, 1075, 7)] + [0.3, 0.7, 1.5, 5e-324]
    want = [nearest((Fraction(v) - 1) / count, "float64") for v in values]
    assert losses._minus_one_over_each(values, count) == want
    assert [losses._minus_one_over(v, count) for v in values] == want


def test_the_int_path_and_the_fallback_agree(monkeypatch):
    rng = nnref.RandomState(1)
    rows = nnref.softmax(rng.randn(50, 3))
    labels = [i % 3 for i in range(50)]
    fast = losses.softmax_step_gradient(rows, labels)
    monkeypatch.setattr(losses, "_INT_DIVISION_ROUNDS", False)
    assert deep_same(losses.softmax_step_gradient(rows, labels), fast)
    assert deep_same(fast, fraction_step(rows, labels))


def test_special_label_entries_take_the_fallback():
    rows = [[NAN, 0.5], [0.5, INF], [0.25, 0.75], [-INF, 1.0]]
    got = losses.softmax_step_gradient(rows, [0, 1, 0, 0])
    want = [[NAN, 0.125], [0.125, INF], [-0.1875, 0.1875], [-INF, 0.25]]
    assert deep_same(got, want)


def test_float_division_of_the_label_entries_is_caught():
    # The book's two roundings, (v - 1) then / n, against the one rounding.
    def twice(values, count):
        return [(v - 1.0) / count for v in values]
    values = [k / 997.0 for k in range(1, 997)]
    want = [nearest((Fraction(v) - 1) / 300, "float64") for v in values]
    assert twice(values, 300) != want
    assert losses._minus_one_over_each(values, 300) == want


def test_the_int_division_probe_tells_the_two_divisions_apart():
    # The probe in nnref.losses: the exact quotient, and what dividing the floats gives.
    assert Fraction(2 ** 53 + 1, 3) == 3002399751580331
    assert float(2 ** 53 + 1) / 3 != 3002399751580331.0
    assert losses._INT_DIVISION_ROUNDS           # CPython and PyPy: int / int rounds once


# --- relu_backward's flat pass ---------------------------------------------------------

relu_values = st.one_of(st.floats(allow_nan=True), signed_zero)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10).flatmap(lambda k: st.lists(
    st.lists(st.tuples(relu_values, relu_values), min_size=k, max_size=k), min_size=1, max_size=20)))
def test_relu_backward_on_batches_is_the_books_mask(pairs):
    dvalues = [[d for d, _ in row] for row in pairs]
    inputs = [[x for _, x in row] for row in pairs]
    want = [[0.0 if x <= 0.0 else d for d, x in row] for row in pairs]
    got = nnref.relu_backward(dvalues, inputs)
    assert deep_same(got, want)
    assert all(type(row) is list for row in got) and got is not dvalues
    assert all(g is not d for g, d in zip(got, dvalues))


def test_relu_backward_still_names_positions_on_narrow_rows():
    with pytest.raises(TypeError, match=r"inputs\[1\]\[2\]"):
        nnref.relu_backward([[1.0] * 3] * 2, [[1.0] * 3, [1.0, 2.0, "x"]])
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(2, 2\)"):
        nnref.relu_backward([[1.0] * 3] * 2, [[1.0] * 2] * 2)


# --- scale_to_ints without the largest magnitude --------------------------------------

@pytest.mark.parametrize("values", [
    [1e-300, 1e300], [5e-324, 1e10], [5e-324, -2.0 ** 60], [2.0 ** -1074, 1.7e308],
    [1e-200, 3.0, -1e200], [2.0 ** -1022, 2.0 ** 1023],
])
def test_scaling_that_overflows_a_float_falls_back_to_exact(values, monkeypatch):
    calls = []
    real = dot._scale_exactly
    monkeypatch.setattr(dot, "_scale_exactly", lambda v, most: calls.append(1) or real(v, most))
    ints, e = dot.scale_to_ints(values)
    assert calls                             # the overflow was seen
    assert [Fraction(n) * Fraction(2) ** e for n in ints] == [Fraction(v) for v in values]
    assert e == min(math.frexp(abs(v))[1] - 53 for v in values if v)


def test_scaling_within_the_floats_does_not_fall_back(monkeypatch):
    monkeypatch.setattr(dot, "_scale_exactly", lambda v, most: pytest.fail("fell back"))
    for values in ([0.1, -2.5, 3e10], [5e-324, 2.0 ** -200], [1e-300, 1e-10], [-0.0, 0.0, 1.0]):
        ints, e = dot.scale_to_ints(values)
        assert [Fraction(n) * Fraction(2) ** e for n in ints] == [Fraction(v) for v in values]


def test_scaling_zeros_and_specials():
    assert dot.scale_to_ints([0.0, -0.0]) == ([0, 0], 0)
    assert dot.scale_to_ints([0.0], -3) == ([0], -3)
    assert dot.scale_to_ints([1.0, NAN]) is None
    assert dot.scale_to_ints([INF, -INF]) is None
    assert dot.scale_to_ints([1e308, 1e308]) is not None       # the sum overflows, the values don't
