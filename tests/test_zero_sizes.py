"""Zero sizes: n = 0, k = 0 and m = 0, alone and together, in every tier.

The expected shapes are NumPy's (checked with NumPy 2.4.6 and written here as
literals: ``np.zeros((1, 1)) @ np.zeros((1, 0))`` has shape (1, 0), i.e.
``[[]]``); the expected values are computed here, by a triple loop over
``Fraction``s, never by nnref.  Nested lists read a shape by one rule
(docs/spec.md, "How to read it"): ``[]`` is a vector, shape (0,), and ``[[]]``
one empty row, (1, 0); in ``dense``, ``inputs == []`` is n == 0 and
``weights == []`` is k == 0, with m the length of the biases.
"""

import itertools
from fractions import Fraction

import pytest

import nnref
from nnref import book, exact, matrix
from nnref.rng import RandomState

from support import f32, same

SIZES = [0, 1, 2]
NKM = list(itertools.product(SIZES, SIZES, SIZES))

# Dyadic values with few bits: every product and sum below is exact in
# float64, so rounding the exact result to float32 once equals f32(float(...)).
INPUT_VALUES = [[0.5, 1.25], [2.0, 0.75]]
WEIGHT_VALUES = [[0.25, -1.5], [3.0, 0.125]]
BIAS_VALUES = [0.5, -2.0]


def operands(n, k, m):
    inputs = [[INPUT_VALUES[i][j] for j in range(k)] for i in range(n)]
    weights = [[WEIGHT_VALUES[i][j] for j in range(m)] for i in range(k)]
    biases = BIAS_VALUES[:m]
    return inputs, weights, biases


def expected_dense(inputs, weights, biases, k):
    """inputs @ weights + biases by exact arithmetic, each output rounded once."""
    out = []
    for row in inputs:
        out.append([float(sum([Fraction(row[t]) * Fraction(weights[t][j]) for t in range(k)],
                              Fraction(biases[j])))
                    for j in range(len(biases))])
    return out


def nested_shape_literal(n, m):
    # NumPy's (n, m) result written as nested lists: (0, m) is [], (n, 0) n empty rows.
    return [[None] * m for _ in range(n)]


def same_nested(actual, expected):
    if isinstance(expected, list):
        return (type(actual) is list and len(actual) == len(expected)
                and all(same_nested(a, e) for a, e in zip(actual, expected)))
    return same(actual, expected)


def shape_of(value):
    if isinstance(value, list):
        return [shape_of(v) for v in value]
    return None


def test_the_shape_literals():
    # The helper is the NumPy shapes: (0, 2) -> [], (2, 0) -> [[], []].
    assert nested_shape_literal(0, 2) == []
    assert nested_shape_literal(2, 0) == [[], []]
    assert nested_shape_literal(1, 1) == [[None]]


@pytest.mark.parametrize("n,k,m", NKM)
@pytest.mark.parametrize("bias_form", ["vector", "row"])
@pytest.mark.parametrize("tier", ["float", "exact", "exact32"])
def test_dense_all_zero_size_combinations(n, k, m, bias_form, tier):
    inputs, weights, biases = operands(n, k, m)
    given = biases if bias_form == "vector" else [biases]
    if tier == "float":
        out = nnref.dense(inputs, weights, given)
    elif tier == "exact":
        out = exact.dense(inputs, weights, given)
    else:
        out = exact.dense(inputs, weights, given, dtype="float32")
    expected = expected_dense(inputs, weights, biases, k)
    if tier == "exact32":
        expected = [[f32(v) for v in row] for row in expected]
    assert shape_of(out) == nested_shape_literal(n, m)
    assert same_nested(out, expected), (out, expected)


@pytest.mark.parametrize("n,k,m", NKM)
def test_dense_layers_all_zero_size_combinations(n, k, m):
    inputs = operands(n, k, m)[0]
    layer = nnref.Dense(k, m, rng=RandomState(0))
    assert shape_of(layer.weights) == nested_shape_literal(k, m)
    assert layer.biases == [[0.0] * m]
    out = layer.forward(inputs)
    assert shape_of(out) == nested_shape_literal(n, m)
    assert same_nested(out, expected_dense(inputs, layer.weights, [0.0] * m, k))
    assert layer.output is out


@pytest.mark.parametrize("n,k,m", NKM)
def test_book_layer_dense_all_zero_size_combinations(n, k, m):
    # Book mode: f32(f32(float64 dot) + f32(bias)); the dot of these dyadic
    # inputs and float32 weights is exact in float64, so it is the Fraction sum.
    inputs = operands(n, k, m)[0]
    layer = book.Layer_Dense(k, m, rng=RandomState(0))
    out = layer.forward(inputs)
    expected = [[f32(v) for v in row]
                for row in expected_dense(inputs, layer.weights, [0.0] * m, k)]
    assert shape_of(out) == nested_shape_literal(n, m)
    assert same_nested(out, expected)


def test_the_examples_of_the_issue():
    assert nnref.dense([[1.0]], [[]], []) == [[]]
    assert nnref.Dense(2, 0).forward([[1.0, 2.0]]) == [[]]
    assert matrix.matmul([], []) == 0.0
    assert matrix.matmul([[]], []) == [0.0]
    assert matrix.matmul([[], []], []) == [0.0, 0.0]


def expected_matmul(a, b):
    """a @ b by exact arithmetic, with NumPy's vector rules (a vector b is a column)."""
    a_rows = a if a and isinstance(a[0], list) else [a]
    b_columns = [[v] for v in b] if not (b and isinstance(b[0], list)) else b
    k = len(a_rows[0])
    m = 1 if not (b and isinstance(b[0], list)) else len(b[0])
    out = [[float(sum([Fraction(row[t]) * Fraction(b_columns[t][j]) for t in range(k)],
                      Fraction(0)))
            for j in range(m)] for row in a_rows]
    if not (b and isinstance(b[0], list)):
        out = [row[0] for row in out]
    if not (a and isinstance(a[0], list)):
        out = out[0]
    return out


# (a, b, NumPy's result for np.array(a) @ np.array(b)), recorded with NumPy 2.4.6.
MATMUL_ZERO_SIZES = [
    ([], [], 0.0),                                  # (0,) @ (0,) -> ()
    ([[]], [], [0.0]),                              # (1, 0) @ (0,) -> (1,)
    ([[], []], [], [0.0, 0.0]),                     # (2, 0) @ (0,) -> (2,)
    ([1.5], [[]], []),                              # (1,) @ (1, 0) -> (0,)
    ([1.5, 2.0], [[], []], []),                     # (2,) @ (2, 0) -> (0,)
    ([[1.5]], [[]], [[]]),                          # (1, 1) @ (1, 0) -> (1, 0)
    ([[1.5], [2.0]], [[]], [[], []]),               # (2, 1) @ (1, 0) -> (2, 0)
    ([[1.5, 2.0], [0.5, 1.0]], [[], []], [[], []]),  # (2, 2) @ (2, 0) -> (2, 0)
]


@pytest.mark.parametrize("a,b,expected", MATMUL_ZERO_SIZES)
def test_matmul_zero_sizes_are_numpys(a, b, expected):
    out = matrix.matmul(a, b)
    assert same_nested(out, expected)
    assert same_nested(out, expected_matmul(a, b))


@pytest.mark.parametrize("a,b", [
    ([], [1.0]),            # (0,) @ (1,): 0 != 1
    ([], [[1.0, 2.0]]),     # (0,) @ (1, 2)
    ([[]], [[]]),           # (1, 0) @ (1, 0)
    ([[], []], [[], []]),   # (2, 0) @ (2, 0)
    ([1.0], []),            # (1,) @ (0,)
])
def test_matmul_zero_size_mismatches_are_value_errors(a, b):
    # NumPy raises for each of these too ("mismatch in its core dimension").
    with pytest.raises(ValueError, match="not aligned"):
        matrix.matmul(a, b)


@pytest.mark.parametrize("n,k,m", [(n, k, m) for n, k, m in NKM if n and k])
def test_matmul_all_batch_combinations(n, k, m):
    # (n, k) @ (k, m) for every m; n == 0 or k == 0 are not batches that
    # nested lists can write ([] is (0,)), and are in MATMUL_ZERO_SIZES.
    a, b, _ = operands(n, k, m)
    out = matrix.matmul(a, b)
    assert shape_of(out) == nested_shape_literal(n, m)
    assert same_nested(out, expected_matmul(a, b))


def test_an_empty_sum_is_positive_zero():
    # NumPy: np.zeros((1, 0)) @ np.zeros(0) is [0.0], +0.0 (an empty sum).
    assert same(matrix.matmul([[]], [])[0], 0.0)
    assert same(matrix.matmul([], []), 0.0)


EMPTY_INPUTS = [[], [[]], [[], []], (), ((),), [(), []]]
ELEMENTWISE = [nnref.step, nnref.linear, nnref.relu, nnref.sigmoid, nnref.softmax,
               exact.step, exact.linear, exact.relu, exact.sigmoid, exact.softmax]


def _listed(x):
    # The result NumPy's shape gives: the same nesting, as lists.
    if isinstance(x, (list, tuple)):
        return [_listed(v) for v in x]
    return x


@pytest.mark.parametrize("x", EMPTY_INPUTS, ids=repr)
@pytest.mark.parametrize("function", ELEMENTWISE,
                         ids=lambda f: "%s.%s" % (f.__module__, f.__name__))
def test_activations_of_empty_shapes(function, x):
    out = function(x)
    assert out == _listed(x)
    assert all(type(row) is list for row in out)


BOOK_ACTIVATIONS = [book.Activation_Step, book.Activation_Linear, book.Activation_ReLU,
                    book.Activation_Sigmoid, book.Activation_Softmax,
                    nnref.Step, nnref.Linear, nnref.ReLU, nnref.Sigmoid, nnref.Softmax]


@pytest.mark.parametrize("x", EMPTY_INPUTS, ids=repr)
@pytest.mark.parametrize("cls", BOOK_ACTIVATIONS, ids=lambda c: "%s.%s" % (c.__module__, c.__name__))
def test_activation_layers_of_empty_shapes(cls, x):
    layer = cls()
    assert layer.forward(x) == _listed(x)
    assert layer.output == _listed(x)
    repr(layer)


def test_activations_of_empty_rows_next_to_values():
    # (2, 0) and (0,) inside a computation: the chapter's pipeline on no samples.
    X = []
    out = nnref.softmax(nnref.dense(nnref.relu(nnref.dense(X, [[1.0, 2.0]], [0.0, 0.0])),
                                    [[1.0], [1.0]], [0.0]))
    assert out == []
    assert nnref.softmax([[], []]) == [[], []]


# np.sum / np.max / .T of zeros((1, 0)) and zeros((2, 0)), recorded with NumPy 2.4.6.
REDUCTIONS = [
    ("sum", [], None, False, 0.0), ("sum", [], None, True, [0.0]),
    ("sum", [], 0, False, 0.0), ("sum", [], -1, True, [0.0]),
    ("sum", [[]], None, False, 0.0), ("sum", [[]], None, True, [[0.0]]),
    ("sum", [[]], 0, False, []), ("sum", [[]], 0, True, [[]]),
    ("sum", [[]], 1, False, [0.0]), ("sum", [[]], 1, True, [[0.0]]),
    ("sum", [[], []], 0, False, []), ("sum", [[], []], 0, True, [[]]),
    ("sum", [[], []], 1, False, [0.0, 0.0]), ("sum", [[], []], -1, True, [[0.0], [0.0]]),
    ("max", [[]], 0, False, []), ("max", [[]], 0, True, [[]]),
    ("max", [[], []], 0, False, []), ("max", [[], []], 0, True, [[]]),
]


@pytest.mark.parametrize("name,x,axis,keepdims,expected", REDUCTIONS)
def test_reductions_of_zero_sizes_are_numpys(name, x, axis, keepdims, expected):
    out = getattr(matrix, name)(x, axis=axis, keepdims=keepdims)
    assert same_nested(out, expected)


@pytest.mark.parametrize("x,axis", [([], None), ([], 0), ([[]], None), ([[]], 1),
                                    ([[], []], 1), ([[], []], None)])
def test_max_of_nothing_is_a_value_error(x, axis):
    # NumPy: "zero-size array to reduction operation maximum which has no identity".
    with pytest.raises(ValueError):
        matrix.max(x, axis=axis)


@pytest.mark.parametrize("x,expected", [([], (0,)), ([[]], (1, 0)), ([[], []], (2, 0)),
                                        ((), (0,)), (((),), (1, 0))])
def test_shape_of_zero_sizes(x, expected):
    assert matrix.shape(x) == expected


@pytest.mark.parametrize("x,expected", [([], []), ([[]], []), ([[], []], [])])
def test_transpose_of_zero_sizes(x, expected):
    # (0,).T is (0,); (1, 0).T is (0, 1) and (2, 0).T is (0, 2), both written [].
    assert matrix.transpose(x) == expected


@pytest.mark.parametrize("shape,expected", [
    (0, []), ((0,), []), ((0, 0), []), ((0, 3), []), ((2, 0), [[], []]), ((1, 0), [[]]),
])
def test_zeros_of_zero_sizes(shape, expected):
    assert matrix.zeros(shape) == expected


@pytest.mark.parametrize("rows,vector,expected", [
    ([], [1.0, 2.0], []), ([[]], [], [[]]), ([[], []], [], [[], []]), ([[]], [[]], [[]]),
])
def test_add_row_of_zero_sizes(rows, vector, expected):
    assert matrix.add_row(rows, vector) == expected


def test_random_draws_and_data_sets_of_zero_sizes():
    rs = RandomState(0)
    assert rs.randn(0) == []
    assert rs.randn(0, 3) == []
    assert rs.randn(3, 0) == [[], [], []]
    assert rs.random_sample((2, 0)) == [[], []]
    assert rs.random_sample(()) == RandomState(0).random_sample()
    # Nothing was drawn by the empty shapes.
    assert rs.get_state()[2] == 2          # the two words of the one random_sample()
    for make in (nnref.datasets.spiral_data, nnref.datasets.vertical_data,
                 book.spiral_data, book.vertical_data):
        assert make(0, 3) == ([], [])
        assert make(3, 0) == ([], [])
    assert nnref.datasets.sine_data(0) == ([], [])


@pytest.mark.parametrize("x,expected", [([], "[]"), ([[]], "[]"), ([[], []], "[]")])
def test_format_array_of_zero_sizes(x, expected):
    # NumPy prints zeros(0), zeros((1, 0)) and zeros((2, 0)) as [].
    assert book.format_array(x) == expected
