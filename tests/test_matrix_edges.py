"""nnref.matrix at its edges: the rank check of zeros, axes of numbers and
vectors, matmul's shapes, with NumPy's documented rules as the expectations."""

import pytest

from nnref import matrix


@pytest.mark.parametrize("shape,ndim", [((), 0), ([], 0), ((1, 2, 3), 3), ([2, 2, 2, 2], 4)])
def test_zeros_takes_one_or_two_dimensions(shape, ndim):
    with pytest.raises(ValueError, match=r"zeros: shape \(.*\) has %d dimensions; nnref arrays have 1 or 2" % ndim):
        matrix.zeros(shape)


def test_zeros_of_one_and_two_dimensions():
    assert matrix.zeros((1,)) == [0.0]
    assert matrix.zeros([3]) == [0.0, 0.0, 0.0]
    z = matrix.zeros((3, 1))
    assert z == [[0.0], [0.0], [0.0]]
    assert z[0] is not z[1]                        # rows are separate lists
    assert matrix.zeros((1, 2)) == [[0.0, 0.0]]


def test_a_number_has_no_axes():
    # NumPy: np.sum(3.0, axis=0) raises AxisError (axis 0 out of bounds for dimension 0).
    with pytest.raises(ValueError, match="axis 0 is out of bounds for an array of dimension 0"):
        matrix.sum(3.0, axis=0)
    assert matrix.sum(3.0) == 3.0
    assert matrix.max(-2.5) == -2.5


def test_axes_of_vectors_and_batches():
    with pytest.raises(ValueError, match="axis 1 is out of bounds for an array of dimension 1"):
        matrix.sum([1.0, 2.0], axis=1)
    assert matrix.sum([1.0, 2.0], axis=-1) == 3.0
    assert matrix.sum([1.0, 2.0], axis=0, keepdims=True) == [3.0]
    assert matrix.sum([[1.0, 2.0], [3.0, 4.0]]) == 10.0
    assert matrix.sum([[1.0, 2.0], [3.0, 4.0]], keepdims=True) == [[10.0]]
    assert matrix.sum([[1.0, 2.0], [3.0, 4.0]], axis=-2) == [4.0, 6.0]
    assert matrix.max([[1.0, 2.0], [3.0, -4.0]], axis=0, keepdims=True) == [[3.0, 2.0]]
    assert matrix.max([[1.0, 2.0], [3.0, -4.0]], axis=1) == [2.0, 3.0]
    with pytest.raises(ValueError, match="axis 2 is out of bounds for an array of dimension 2"):
        matrix.sum([[1.0]], axis=2)
    with pytest.raises(ValueError, match="axis -3 is out of bounds for an array of dimension 2"):
        matrix.sum([[1.0]], axis=-3)


def test_matmul_shapes():
    # (2, 1) @ (1, 3) is the outer product; (2,) @ (2, 3) a row; (2, 2) @ (2,) a column.
    assert matrix.matmul([[1.0], [2.0]], [[1.0, 2.0, 3.0]]) == [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]]
    assert matrix.matmul([1.0, 2.0], [[1.0, 2.0, 3.0], [0.5, 0.25, 0.0]]) == [2.0, 2.5, 3.0]
    assert matrix.matmul([[1.0, 2.0], [3.0, 4.0]], [1.0, -1.0]) == [-1.0, -1.0]
    assert matrix.matmul([1.0, 2.0], [3.0, 4.0]) == 11.0
    with pytest.raises(TypeError, match="matmul: a and b must be vectors or batches, not numbers"):
        matrix.matmul(2.0, [1.0])
    with pytest.raises(TypeError, match="matmul: a and b must be vectors or batches, not numbers"):
        matrix.matmul([1.0], 2.0)
