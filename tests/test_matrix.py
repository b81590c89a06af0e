"""nnref.matrix: the chapter's NumPy calls, with NumPy's axis/keepdims meaning and exact sums."""

import math
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from nnref import matrix

NAN = float("nan")
INF = float("inf")
LAYER_OUTPUTS = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]


def exact(values):
    return float(sum(Fraction(v) for v in values))


def test_chapter_sums():
    assert matrix.sum(LAYER_OUTPUTS) == 18.172
    assert matrix.sum(LAYER_OUTPUTS, axis=None) == exact(v for r in LAYER_OUTPUTS for v in r)
    assert matrix.sum(LAYER_OUTPUTS, axis=1, keepdims=True) == [[8.395], [7.29], [2.4869999999999997]]
    assert matrix.sum(LAYER_OUTPUTS, axis=1) == [exact(r) for r in LAYER_OUTPUTS]
    assert matrix.sum(LAYER_OUTPUTS, axis=-1) == matrix.sum(LAYER_OUTPUTS, axis=1)
    columns = [exact(c) for c in zip(*LAYER_OUTPUTS)]
    assert matrix.sum(LAYER_OUTPUTS, axis=0) == columns
    assert matrix.sum(LAYER_OUTPUTS, axis=0, keepdims=True) == [columns]
    assert matrix.sum(LAYER_OUTPUTS, keepdims=True) == [[18.172]]


def test_vector_and_scalar_sums():
    assert matrix.sum([1, 2, 3]) == 6.0
    assert matrix.sum([1, 2, 3], axis=0, keepdims=True) == [6.0]
    assert matrix.sum([]) == 0.0
    assert matrix.sum(2.5) == 2.5
    with pytest.raises(ValueError, match="axis 1 is out of bounds for an array of dimension 1"):
        matrix.sum([1.0], axis=1)
    with pytest.raises(ValueError, match="out of bounds"):
        matrix.sum(LAYER_OUTPUTS, axis=2)
    with pytest.raises(TypeError, match="axis"):
        matrix.sum([1.0], axis=True)


def test_sum_special_values():
    assert math.isnan(matrix.sum([1.0, NAN]))
    assert math.isnan(matrix.sum([INF, -INF]))
    assert matrix.sum([INF, 1.0]) == INF
    assert matrix.sum([1e308, 1e308, -1e308]) == 1e308
    assert math.copysign(1.0, matrix.sum([-0.0, -0.0])) == -1.0
    assert math.copysign(1.0, matrix.sum([-0.0, 0.0])) == 1.0


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
                max_size=20))
def test_sum_is_correctly_rounded(values):
    assert matrix.sum(values) == exact(values)


def test_max():
    assert matrix.max(LAYER_OUTPUTS) == 8.9
    assert matrix.max(LAYER_OUTPUTS, axis=1, keepdims=True) == [[4.8], [8.9], [1.41]]
    assert matrix.max(LAYER_OUTPUTS, axis=0) == [8.9, 1.21, 2.385]
    assert math.isnan(matrix.max([1.0, NAN, 3.0]))
    assert math.isnan(matrix.max([NAN, 1.0]))
    out = matrix.max([[1.0, NAN], [2.0, 3.0]], axis=1)
    assert math.isnan(out[0]) and out[1] == 3.0
    assert matrix.max([-INF]) == -INF
    with pytest.raises(ValueError, match="zero-size"):
        matrix.max([])


def test_shape_zeros_transpose():
    assert matrix.shape(LAYER_OUTPUTS) == (3, 3)
    assert matrix.shape([1, 2]) == (2,)
    assert matrix.shape(3) == ()
    assert matrix.zeros((2, 3)) == [[0.0] * 3, [0.0] * 3]
    z = matrix.zeros((2, 2))
    assert z[0] is not z[1]
    assert matrix.zeros(3) == matrix.zeros((3,)) == [0.0] * 3
    with pytest.raises(ValueError):
        matrix.zeros(-1)
    with pytest.raises(TypeError):
        matrix.zeros(2.0)
    assert matrix.transpose([[1, 2, 3], [4, 5, 6]]) == [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    assert matrix.transpose([1, 2]) == [1.0, 2.0]


def test_matmul_shapes_and_rounding():
    a = [[1, 2], [3, 4]]
    assert matrix.matmul(a, [[5, 6], [7, 8]]) == [[19.0, 22.0], [43.0, 50.0]]
    assert matrix.matmul([1, 2], [[5, 6], [7, 8]]) == [19.0, 22.0]
    assert matrix.matmul(a, [5, 6]) == [17.0, 39.0]
    assert matrix.matmul([0.1, 0.2], [0.3, 0.4]) == float(Fraction(0.1) * Fraction(0.3)
                                                          + Fraction(0.2) * Fraction(0.4))
    assert math.copysign(1.0, matrix.matmul([-0.0], [1.0])) == -1.0
    with pytest.raises(ValueError, match=r"a \(2, 2\) and b \(3,\) are not aligned: 2 != 3"):
        matrix.matmul(a, [1, 2, 3])


def test_add_row():
    assert matrix.add_row([[1, 2], [3, 4]], [10, 20]) == [[11.0, 22.0], [13.0, 24.0]]
    assert matrix.add_row([[1, 2]], [[10, 20]]) == [[11.0, 22.0]]
    with pytest.raises(ValueError, match="do not match"):
        matrix.add_row([[1, 2]], [1, 2, 3])
    rows = [[1.0, 2.0]]
    out = matrix.add_row(rows, [0.0, 0.0])
    assert out == rows and out is not rows and out[0] is not rows[0]
