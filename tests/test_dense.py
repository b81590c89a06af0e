"""dense and the Dense layer: exactness against fractions.Fraction, special values, shapes, errors."""

import math
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

import nnref

from support import bits

NAN = float("nan")
INF = float("inf")


def exact_dense(inputs, weights, biases):
    """The correctly rounded result, from Fraction arithmetic (float(Fraction) rounds correctly)."""
    out = []
    for row in inputs:
        out_row = []
        for j in range(len(biases)):
            total = Fraction(biases[j]) + sum(Fraction(x) * Fraction(w[j]) for x, w in zip(row, weights))
            try:
                out_row.append(float(total))
            except OverflowError:
                out_row.append(INF if total > 0 else -INF)
        out.append(out_row)
    return out


def same_bits(a, b):
    return [[bits(v) for v in r] for r in a] == [[bits(v) for v in r] for r in b]


def test_chapter_example():
    inputs = [[1.0, 2.0, 3.0, 2.5], [2.0, 5.0, -1.0, 2.0], [-1.5, 2.7, 3.3, -0.8]]
    weights_by_neuron = [[0.2, 0.8, -0.5, 1.0], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]]
    weights = [list(c) for c in zip(*weights_by_neuron)]
    biases = [2.0, 3.0, 0.5]
    out = nnref.dense(inputs, weights, biases)
    assert same_bits(out, exact_dense(inputs, weights, biases))
    # The book prints [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]].
    printed = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]
    for got_row, book_row in zip(out, printed):
        for got, book in zip(got_row, book_row):
            assert abs(got - book) <= 4e-15


small_ints = st.integers(-1000, 1000)
dyadic = st.builds(lambda n, e: n * 2.0 ** e, st.integers(-2 ** 20, 2 ** 20), st.integers(-60, 60))


@st.composite
def problems(draw, elements):
    n = draw(st.integers(0, 4))
    k = draw(st.integers(1, 5))
    m = draw(st.integers(1, 4))
    inputs = [[draw(elements) for _ in range(k)] for _ in range(n)]
    weights = [[draw(elements) for _ in range(m)] for _ in range(k)]
    biases = [[draw(elements) for _ in range(m)]]
    return inputs, weights, biases


@given(problems(small_ints))
def test_exact_on_small_integers(problem):
    inputs, weights, biases = problem
    assert same_bits(nnref.dense(inputs, weights, biases), exact_dense(inputs, weights, biases[0]))


@given(problems(dyadic))
def test_exact_on_dyadic_data(problem):
    inputs, weights, biases = problem
    assert same_bits(nnref.dense(inputs, weights, biases), exact_dense(inputs, weights, biases[0]))


@given(problems(st.floats(allow_nan=False, allow_infinity=False)))
def test_correctly_rounded_on_any_finite_data(problem):
    inputs, weights, biases = problem
    got = nnref.dense(inputs, weights, biases)
    want = exact_dense(inputs, weights, biases[0])
    for got_row, want_row in zip(got, want):
        for g, w in zip(got_row, want_row):
            assert g == w      # zero signs are checked separately


def test_no_intermediate_overflow():
    assert nnref.dense([[1e308, 1e308, -1e308]], [[1.0], [1.0], [1.0]], [[0.0]]) == [[1e308]]
    assert nnref.dense([[1e308, 1e308]], [[1.0], [1.0]], [0.0]) == [[INF]]
    assert nnref.dense([[-1e308, -1e308]], [[1.0], [1.0]], [0.0]) == [[-INF]]


def test_ties_round_to_even():
    assert nnref.dense([[1.0, 2.0 ** -53]], [[1.0], [1.0]], [0.0]) == [[1.0]]
    assert nnref.dense([[1.0, 2.0 ** -53, 2.0 ** -100]], [[1.0], [1.0], [1.0]], [0.0]) == \
        [[1.0 + 2.0 ** -52]]


def test_subnormal_results():
    assert nnref.dense([[2.0 ** -600]], [[2.0 ** -474]], [0.0]) == [[5e-324]]
    assert nnref.dense([[2.0 ** -600]], [[2.0 ** -475]], [0.0]) == [[0.0]]     # a tie: to even
    assert nnref.dense([[3 * 2.0 ** -600]], [[2.0 ** -476]], [0.0]) == [[5e-324]]


def test_non_finite_terms():
    def one(x, w, b=0.0):
        return nnref.dense([[x]], [[w]], [b])[0][0]
    assert math.isnan(one(NAN, 1.0))
    assert math.isnan(one(1.0, NAN))
    assert math.isnan(one(1.0, 1.0, NAN))
    assert math.isnan(one(INF, 0.0))
    assert math.isnan(one(0.0, -INF))
    assert one(INF, 2.0) == INF and one(INF, -2.0) == -INF
    assert math.isnan(one(INF, 1.0, -INF))
    assert one(1e308, 10.0, INF) == INF
    assert math.isnan(nnref.dense([[INF, INF]], [[1.0], [-1.0]], [0.0])[0][0])
    assert nnref.dense([[INF, 1e308]], [[1.0], [-1e308]], [0.0]) == [[INF]]
    # A NaN in a row only spoils that row.
    out = nnref.dense([[NAN, 1.0], [1.0, 1.0]], [[1.0], [1.0]], [0.0])
    assert math.isnan(out[0][0]) and out[1] == [[2.0]][0]


def test_zero_signs():
    def one(row, column, b):
        return nnref.dense([row], [[w] for w in column], [b])[0][0]
    assert bits(one([-0.0], [1.0], -0.0)) == bits(-0.0)
    assert bits(one([0.0], [-1.0], -0.0)) == bits(-0.0)
    assert bits(one([-0.0], [1.0], 0.0)) == bits(0.0)
    assert bits(one([1.0, -1.0], [1.0, 1.0], -0.0)) == bits(0.0)       # cancelling: +0.0
    assert bits(one([-1e-200], [1e-200], -0.0)) == bits(-0.0)          # negative, rounds to zero
    assert bits(one([1e-200], [1e-200], -0.0)) == bits(0.0)


def test_shapes_and_biases_forms():
    weights = [[1.0, 2.0], [3.0, 4.0]]
    assert nnref.dense([[1, 1]], weights, [[0.5, 0.5]]) == [[4.5, 6.5]]
    assert nnref.dense([[1, 1]], weights, [0.5, 0.5]) == [[4.5, 6.5]]
    assert nnref.dense([], weights, [0.5, 0.5]) == []
    assert nnref.dense([[], []], [], [[1.0, -0.0]]) == [[1.0, -0.0], [1.0, -0.0]]
    out = nnref.dense([[], []], [], [[1.0, 2.0]])
    assert out[0] is not out[1]


def test_inputs_untouched():
    inputs, weights, biases = [[1.0, 2.0]], [[1.0], [2.0]], [[0.0]]
    copies = [list(r) for r in inputs], [list(r) for r in weights], [list(r) for r in biases]
    out = nnref.dense(inputs, weights, biases)
    assert (inputs, weights, biases) == copies
    assert out is not inputs and out[0] is not biases[0]


def test_shape_errors_name_both_shapes():
    with pytest.raises(ValueError) as info:
        nnref.dense([[0.0, 0.0]] * 300, [[0.0] * 3] * 3, [[0.0] * 3])
    assert "inputs (300, 2) and weights (3, 3) are not aligned: 2 != 3" in str(info.value)
    with pytest.raises(ValueError, match=r"biases \(4,\) do not match weights \(2, 3\)"):
        nnref.dense([[1.0, 2.0]], [[0.0] * 3] * 2, [[0.0] * 4])
    with pytest.raises(ValueError, match=r"biases has shape \(2, 3\)"):
        nnref.dense([[1.0, 2.0]], [[0.0] * 3] * 2, [[0.0] * 3] * 2)
    with pytest.raises(ValueError, match="expected a batch"):
        nnref.dense([1.0, 2.0], [[0.0] * 3] * 2, [0.0] * 3)
    with pytest.raises(ValueError, match="weights must be"):
        nnref.dense([[1.0]], [1.0], [0.0])


def test_type_errors_name_the_position():
    with pytest.raises(TypeError) as info:
        nnref.dense([[1.0, 2.0], [3.0, 4.0], [5.0, "a"]], [[1.0], [1.0]], [0.0])
    assert "inputs[2][1] is 'a' (str)" in str(info.value)
    with pytest.raises(TypeError, match=r"weights\[1\]\[0\] is True \(bool\)"):
        nnref.dense([[1.0, 2.0]], [[1.0], [True]], [0.0])
    with pytest.raises(TypeError, match=r"biases\[0\]\[0\] is None"):
        nnref.dense([[1.0]], [[1.0]], [[None]])
    with pytest.raises(ValueError, match=r"inputs\[1\] has length 1, but inputs\[0\] has length 2"):
        nnref.dense([[1.0, 2.0], [3.0]], [[1.0], [1.0]], [0.0])


# --- layer objects ---------------------------------------------------------------

def test_dense_layer_draws_like_the_book():
    layer = nnref.Dense(2, 3, rng=nnref.RandomState(0))
    draws = nnref.RandomState(0).randn(2, 3)
    assert layer.weights == [[0.01 * v for v in row] for row in draws]
    assert layer.biases == [[0.0, 0.0, 0.0]]
    assert repr(layer) == "Dense(n_inputs=2, n_neurons=3)"
    out = layer.forward([[1.0, 2.0]])
    assert out is layer.output
    assert out == nnref.dense([[1.0, 2.0]], layer.weights, layer.biases)


def test_dense_layer_default_rng_is_seeded():
    nnref.seed(0)
    a = nnref.Dense(2, 3).weights
    nnref.seed(0)
    b = nnref.Dense(2, 3).weights
    assert a == b


@pytest.mark.parametrize("bad, error", [(True, TypeError), (2.0, TypeError), (-1, ValueError)])
def test_dense_layer_validates_sizes(bad, error):
    with pytest.raises(error, match="n_inputs"):
        nnref.Dense(bad, 3)


@pytest.mark.parametrize("cls, func", [(nnref.Step, nnref.step), (nnref.Linear, nnref.linear),
                                       (nnref.Sigmoid, nnref.sigmoid), (nnref.ReLU, nnref.relu),
                                       (nnref.Softmax, nnref.softmax)])
def test_activation_layers(cls, func):
    layer = cls()
    assert repr(layer) == cls.__name__ + "()"
    inputs = [[1.0, -2.0, 0.5]]
    out = layer.forward(inputs)
    assert out is layer.output and out == func(inputs)
    assert repr(layer) == cls.__name__ + "(output shape (1, 3))"
