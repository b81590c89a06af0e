"""List versions of the NumPy calls chapter 4 uses.

``shape``, ``zeros``, ``transpose``, ``matmul``, ``add_row``, and the
reductions ``sum`` and ``max`` with NumPy's ``axis`` and ``keepdims``.  Arrays
are numbers, vectors (lists of numbers) or batches (lists of equal-length
rows), checked like every nnref input; results are always new lists of floats.

The chapter's example, summed three ways:

>>> layer_outputs = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]
>>> sum(layer_outputs)
18.172
>>> sum(layer_outputs, axis=1, keepdims=True)
[[8.395], [7.29], [2.4869999999999997]]
>>> sum(layer_outputs, axis=0)
[15.11, 0.45099999999999985, 2.6109999999999998]

Sums are exact sums rounded once (``fsum``), which is also what NumPy's
pairwise summation gives for data this short.  Note that ``sum`` and ``max``
here shadow the builtins inside code that does ``from nnref.matrix import *``;
``nnref.matrix.sum`` reads best.
"""

from ._base.checks import (_describe, check_count, check_size, plain_number, plain_sequence,
                           shape as _shape, shape_text, to_floats)
from ._base.dot import dense_rows
from ._base.rounding import fsum

_NAN = float("nan")


def shape(x):
    """NumPy's ``np.shape``: ``()`` for a number, ``(n,)`` for a vector, ``(n, k)`` for a batch.

    Special cases:

    - If `x` is `2.5`, `shape(x)` is `()`.
    - If `x` is `[[], []]`, `shape(x)` is `(2, 0)`.
    - If `x` is `[[1, 2], [3]]`, `shape(x)` raises ValueError.

    >>> shape([[1, 2, 3], [4, 5, 6]])
    (2, 3)
    >>> shape([])
    (0,)
    """
    return _shape(*to_floats(x, "shape", "x"))


def zeros(shape):
    """``np.zeros(shape)``: an int ``n`` or ``(n,)`` gives ``[0.0] * n``; ``(n, m)`` gives n rows of m.

    Special cases:

    - If `shape` is `(2, 0)`, `zeros(shape)` is `[[], []]`.
    - If `shape` is `(0, 3)`, `zeros(shape)` is `[]`.
    - If `shape` is `-1`, `zeros(shape)` raises ValueError.
    - If `shape` is `(1, 2, 3)`, `zeros(shape)` raises ValueError.
    - If `shape` is `True`, `zeros(shape)` raises TypeError.
    - If `shape` is `(10**20,)`, `zeros(shape)` raises ValueError.

    >>> zeros((2, 3))
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    >>> zeros(2)
    [0.0, 0.0]
    """
    dims = plain_sequence(shape)
    if dims is None:
        return [0.0] * check_size("zeros", "shape", shape)
    if not 1 <= len(dims) <= 2:
        raise ValueError("zeros: shape %r has %d dimensions; nnref arrays have 1 or 2"
                         % (tuple(dims), len(dims)))
    dims = [check_size("zeros", "shape[%d]" % i, n) for i, n in enumerate(dims)]
    if len(dims) == 1:
        return [0.0] * dims[0]
    check_count("zeros", "shape (%d, %d)" % tuple(dims), dims[0] * dims[1])
    return [[0.0] * dims[1] for _ in range(dims[0])]


def transpose(x):
    """``x.T``: the columns of a batch as rows.  A vector or number comes back as a copy (as in NumPy).

    Special cases:

    - If `x` is `[[], []]`, `transpose(x)` is `[]`.
    - If `x` is `[1, -0.0]`, `transpose(x)` is `[1.0, -0.0]`.
    - If `x` is `[[1.0], [2.0, 3.0]]`, `transpose(x)` raises ValueError.

    >>> transpose([[1, 2, 3], [4, 5, 6]])
    [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    """
    kind, data = to_floats(x, "transpose", "x")
    if kind != "batch":
        return data
    return [list(column) for column in zip(*data)]


def matmul(a, b):
    """``a @ b`` (``np.dot``) for vectors and batches; each result is the exact dot product rounded once.

    Shapes as NumPy: (n, k) @ (k, m) -> (n, m); (k,) @ (k, m) -> (m,);
    (n, k) @ (k,) -> (n,); (k,) @ (k,) -> a number.  Mismatched inner sizes
    are a ``ValueError`` naming both shapes.  Zero sizes as NumPy, with
    ``[]`` read as shape (0,) and ``[[]]`` as (1, 0): (n, 0) @ (0,) is n
    zeros (+0.0, the empty sum), ``matmul([], [])`` is ``0.0``, and
    (n, k) @ (k, 0) is n empty rows.  Special values follow IEEE
    arithmetic on the exact terms, as in ``nnref.dense``; the terms of an
    output are its products.

    Special cases:

    - If a factor in a product is NaN, the result is NaN.
    - If a product is 0 * inf, the result is NaN.
    - If the terms include both +inf and -inf, the result is NaN.
    - If the terms include +inf and not -inf or NaN, the result is +inf.
    - If the exact sum is negative and rounds to zero, the result is -0.0.
    - If the exact sum is zero and every term is -0.0, the result is -0.0.
    - If the exact sum is zero otherwise, the result is +0.0.
    - If `b` is `[[1.0], [2.0], [3.0]]`, `matmul([[1.0, 2.0]], b)` raises ValueError.
    - If `a` is `[]`, `matmul(a, [])` is `0.0`.
    - If `a` is `[[], []]`, `matmul(a, [])` is `[0.0, 0.0]`.
    - If `a` is `[[1.0], [2.0]]`, `matmul(a, [[]])` is `[[], []]`.

    >>> matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    [[19.0, 22.0], [43.0, 50.0]]
    >>> matmul([0.1, 0.2], [0.3, 0.4])
    0.11000000000000001
    """
    kind_a, left = to_floats(a, "matmul", "a")
    kind_b, right = to_floats(b, "matmul", "b")
    if kind_a == "scalar" or kind_b == "scalar":
        raise TypeError("matmul: a and b must be vectors or batches, not numbers")
    rows = left if kind_a == "batch" else [left]
    columns_first = right if kind_b == "batch" else [[v] for v in right]
    inner_a = len(rows[0]) if rows else 0
    if inner_a != len(columns_first):
        raise ValueError("matmul: a %s and b %s are not aligned: %d != %d"
                         % (shape_text(kind_a, left), shape_text(kind_b, right),
                            inner_a, len(columns_first)))
    width = 1 if kind_b == "vector" else len(right[0])
    # -0.0 is the neutral bias: it leaves every sum, and the sign of a zero sum,
    # as IEEE gives.  An empty sum (k == 0) is +0.0, as in NumPy.
    out = dense_rows(rows, columns_first, [-0.0 if columns_first else 0.0] * width)
    if kind_b == "vector":
        out = [row[0] for row in out]
    if kind_a == "vector":
        out = out[0]
    return out


def add_row(rows, vector):
    """Add the vector to every row of the batch: NumPy's broadcasting ``rows + vector``.

    Each sum is one IEEE addition.  ``vector`` may also be a 1 x m batch, as
    the book stores biases.

    Special cases:

    - If `vector` is `[float("-inf")]`, `add_row([[float("inf")]], vector)` is `[[float("nan")]]`.
    - If `vector` is `[-0.0]`, `add_row([[-0.0]], vector)` is `[[-0.0]]`.
    - If `vector` is `[1e308]`, `add_row([[1e308]], vector)` is `[[float("inf")]]`.
    - If `vector` is `[1.0]`, `add_row([[1.0, 2.0]], vector)` raises ValueError.

    >>> add_row([[1, 2], [3, 4]], [10, 20])
    [[11.0, 22.0], [13.0, 24.0]]
    """
    kind, data = to_floats(rows, "add_row", "rows")
    if kind == "scalar" or (kind == "vector" and data):
        raise ValueError("add_row: rows has shape %s; expected a batch (a list of rows)"
                         % shape_text(kind, data))
    vkind, vec = to_floats(vector, "add_row", "vector")
    if vkind == "batch" and len(vec) == 1:
        vec = vec[0]
    elif vkind != "vector":
        raise ValueError("add_row: vector must be a vector (m,) or a row (1, m)")
    width = len(data[0]) if data else len(vec)
    if len(vec) != width:
        raise ValueError("add_row: rows (%d, %d) and vector (%d,) do not match: %d != %d"
                         % (len(data), width, len(vec), width, len(vec)))
    return [[a + b for a, b in zip(row, vec)] for row in data]


def _normalise_axis(axis, ndim, func):
    if axis is None:
        return None
    number = plain_number(axis)
    if type(number) is not int:
        raise TypeError("%s: axis is %s; expected None or an int" % (func, _describe(axis)))
    axis = number
    if not -ndim <= axis < ndim:
        raise ValueError("%s: axis %d is out of bounds for an array of dimension %d"
                         % (func, axis, ndim))
    return axis % ndim


def _reduce(x, axis, keepdims, func, reduce_row):
    kind, data = to_floats(x, func, "x")
    if kind == "scalar":
        _normalise_axis(axis, 0, func)      # a number has no axes to reduce
        return reduce_row([data])
    ndim = 1 if kind == "vector" else 2
    axis = _normalise_axis(axis, ndim, func)
    if kind == "vector":
        value = reduce_row(data)
        return [value] if keepdims else value
    if axis is None:
        value = reduce_row([v for row in data for v in row])
        return [[value]] if keepdims else value
    if axis == 1:
        values = [reduce_row(row) for row in data]
        return [[v] for v in values] if keepdims else values
    width = len(data[0]) if data else 0
    values = [reduce_row([row[j] for row in data]) for j in range(width)]
    return [values] if keepdims else values


def sum(x, axis=None, keepdims=False):
    """``np.sum(x, axis, keepdims)``: exact sums, each rounded once.

    ``axis=None`` sums everything; for a batch ``axis=0`` sums each column and
    ``axis=1`` (or -1) each row.  ``keepdims=True`` keeps the summed axis with
    length 1, as NumPy does.  Accuracy: correctly rounded.

    Special cases:

    - If an element summed is NaN, the result is NaN.
    - If the elements summed include +inf and -inf, the result is NaN.
    - If the elements summed include +inf and not -inf or NaN, the result is +inf.
    - If every element summed is -0.0, the result is -0.0.
    - If nothing is summed, the result is +0.0.

    >>> sum([[1, 2], [3, 4]], axis=0)
    [4.0, 6.0]
    >>> sum([1e308, 1e308, -1e308])
    1e+308
    """
    return _reduce(x, axis, keepdims, "sum", fsum)


def _max_row(values):
    if not values:
        raise ValueError("max: zero-size array has no maximum")
    best = values[0]
    for v in values:
        if v != v:
            return _NAN                      # NaN wins, as in NumPy
        if v >= best:
            best = v                         # ties keep the later value, like np.maximum
    return best


def max(x, axis=None, keepdims=False):
    """``np.max(x, axis, keepdims)``: the largest element; NaN wins, as in NumPy.

    ``axis`` and ``keepdims`` as in ``sum``.  An empty reduction is a
    ``ValueError``.  Exact.

    Special cases:

    - If an element compared is NaN, the result is NaN.

    >>> max([[1, 5], [7, 2]], axis=1, keepdims=True)
    [[5.0], [7.0]]
    >>> max([1.0, float("nan"), 3.0])
    nan
    """
    return _reduce(x, axis, keepdims, "max", _max_row)

