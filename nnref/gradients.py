"""The backward passes of the chapter's blocks: the book's chapter 9 formulas.

Each function takes ``dvalues``, the gradient of the loss with respect to a
block's output, and the block's own arguments, and returns the gradient with
respect to its inputs (``dense_backward`` also those of the weights and
biases), as new lists of floats:

==============================================  ====================================================
Function                                        Gradient
==============================================  ====================================================
``relu_backward(dvalues, inputs)``              dvalues where inputs > 0, else 0 (the book's rule)
``sigmoid_backward(dvalues, inputs)``           dvalues * s * (1 - s), s = sigmoid(inputs)
``softmax_backward(dvalues, inputs)``           s * (dvalues - <s, dvalues>) row by row, s = softmax
``dense_backward(dvalues, inputs, weights)``    (dvalues @ weights.T, inputs.T @ dvalues, column sums)
==============================================  ====================================================

The arguments are read and checked as everywhere in nnref (``nnref._base.checks``);
``dvalues`` must have the shape of the block's output, or a ``ValueError``
names both shapes.  The argument checks live here once and are shared with
the correctly rounded oracle (``nnref.exact.relu_backward`` ...).

>>> relu_backward([[1.0, 2.0, 3.0]], [[-1.0, 0.0, 0.5]])
[[0.0, 0.0, 3.0]]
>>> dense_backward([[1.0, 2.0]], [[3.0, 4.0, 5.0]], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
([[1.0, 2.0, 3.0]], [[3.0, 6.0], [4.0, 8.0], [5.0, 10.0]], [[1.0, 2.0]])
"""

import math

from ._base.checks import _all_float_rows, _describe, _elements, shape, shape_text, to_batch, to_floats
from ._base.dot import (dense_rows, dot_plus_bias, flat_elements, mul as _mul, scale_to_ints,
                        scaled_input_columns)
from ._base.formats import all_finite, is_finite
from ._base.rounding import fsum
from .activations import _RELU_NARROW, _softmax_row

_NAN = float("nan")
_exp = math.exp
_frexp = math.frexp
# fdlibm's split of ln 2: _LN2_HI has 21 significant bits, so E * _LN2_HI is
# exact for every binary exponent E of a float.
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10


# --- the argument checks both tiers share -----------------------------------------

def check_pair(dvalues, inputs, func, rows=False):
    """``(kind, dvalues, inputs)`` as new floats, of one shape; ``kind`` as ``to_floats``.

    ``rows=True`` (softmax) asks for a vector or a batch: a number is a TypeError.
    Different shapes are a ValueError naming both.
    """
    kind, x = to_floats(inputs, func, "inputs")
    if rows and kind == "scalar":
        raise TypeError("%s: inputs is %s; expected a vector or a batch of rows"
                        % (func, _describe(inputs)))
    dkind, d = to_floats(dvalues, func, "dvalues")
    if shape(dkind, d) != shape(kind, x):
        raise ValueError("%s: dvalues has shape %s but inputs has shape %s; they must match"
                         % (func, shape_text(dkind, d), shape_text(kind, x)))
    return kind, d, x


def pairwise(function, kind, d, x):
    """``function(dvalue, input)`` for each pair of elements, keeping the shape."""
    if kind == "scalar":
        return function(d, x)
    if kind == "vector":
        return list(map(function, d, x))
    return [list(map(function, dr, xr)) for dr, xr in zip(d, x)]


def by_rows(function, kind, d, x):
    """``function(dvalues_row, inputs_row)`` for a vector or each row of a batch."""
    if kind == "vector":
        return function(d, x) if x else []
    return [function(dr, xr) if xr else [] for dr, xr in zip(d, x)]


def dense_backward_operands(dvalues, inputs, weights, func):
    """``(dvalues, inputs, weights, k, m)`` as floats, checked against each other.

    Plain batches of floats come back as they are (callers only read them);
    anything else is read into new lists of floats.

    ``inputs`` is n x k, ``weights`` k x m and ``dvalues`` n x m (the layer's
    output's shape).  Zero sizes as ``dense``: ``inputs == []`` is n == 0,
    ``weights == []`` is k == 0 (m is then the width of ``dvalues``).
    """
    if _all_float_rows(inputs) and _all_float_rows(weights) and _all_float_rows(dvalues):
        k, m = len(weights), len(weights[0])
        if len(inputs[0]) == k and len(dvalues) == len(inputs) and len(dvalues[0]) == m:
            # The common case, checked at C speed and copied nowhere (the
            # caller's lists are only read, and no result is one of them).
            return dvalues, inputs, weights, k, m
    x = to_batch(inputs, func, "inputs")
    wkind, w = to_floats(weights, func, "weights")
    if wkind == "scalar" or (wkind == "vector" and w):
        raise ValueError("%s: weights must be a k x m batch of rows, got shape %s"
                         % (func, shape_text(wkind, w)))
    d = to_batch(dvalues, func, "dvalues")
    k = len(w)
    if x and len(x[0]) != k:
        raise ValueError("%s: inputs (%d, %d) and weights (%d, %s) are not aligned: %d != %d"
                         % (func, len(x), len(x[0]), k, len(w[0]) if w else "m", len(x[0]), k))
    m = len(w[0]) if w else (len(d[0]) if d else 0)
    if len(d) != len(x) or (d and len(d[0]) != m):
        raise ValueError("%s: dvalues has shape %s but the layer's output, inputs (%d, %d) @ "
                         "weights (%d, %d), has shape (%d, %d); they must match"
                         % (func, shape_text("batch", d), len(x), k, k, m, len(x), m))
    return d, x, w, k, m


# --- relu ------------------------------------------------------------------------

def _relu1(dv, v):
    # The book's dinputs[inputs <= 0] = 0: NaN <= 0 is False, so NaN keeps dv.
    return 0.0 if v <= 0.0 else dv


def relu_backward(dvalues, inputs):
    """ReLU's backward pass: ``dvalues`` where ``inputs > 0``, else 0.

    Formula: dinputs = dvalues * (inputs > 0), elementwise, as the book's
    ``dinputs = dvalues.copy(); dinputs[inputs <= 0] = 0``: the derivative of
    max(0, x) is taken as 0 at x = 0 (either zero).  A NaN input keeps its
    dvalue, as the book's NumPy code does (``NaN <= 0`` is False), and as
    PyTorch 2.13's autograd does; JAX's ``jax.vjp`` of ``jax.nn.relu`` gives 0
    there instead.  Exact.

    ``dvalues`` and ``inputs`` are numbers, vectors or batches of one shape;
    the result has that shape, as new floats.

    Special cases:

    - If `x` is `float("nan")`, `relu_backward([2.0], [x])` is `[2.0]`.
    - If `x` is `-0.0`, `relu_backward([2.0], [x])` is `[0.0]`.
    - If `x` is `0.0`, `relu_backward([float("nan")], [x])` is `[0.0]`.
    - If `x` is `float("inf")`, `relu_backward([-0.0], [x])` is `[-0.0]`.
    - If `x` is `[1.0]`, `relu_backward([1.0, 2.0], x)` raises ValueError.

    >>> relu_backward([1.0, 2.0, 3.0, 4.0], [-1.0, 0.0, 2.0, float("nan")])
    [0.0, 0.0, 3.0, 4.0]
    """
    return _relu_backward(dvalues, inputs, "relu_backward")


def _relu_backward(dvalues, inputs, func):
    if (_all_float_rows(inputs) and _all_float_rows(dvalues) and len(dvalues) == len(inputs)
            and len(dvalues[0]) == len(inputs[0])):
        d, x = dvalues, inputs              # plain float batches of one shape: read in place
    else:
        kind, d, x = check_pair(dvalues, inputs, func)
        if kind != "batch":
            return pairwise(_relu1, kind, d, x)
    width = len(x[0]) if x else 0
    if _elements is not None and 0 < width <= _RELU_NARROW:
        # Short rows: one pass over the whole batch, cut back into rows at C
        # speed (the forward relu's measured choice, and off on PyPy as there).
        flat = [0.0 if v <= 0.0 else dv for dv, v in zip(_elements(d), _elements(x))]
        return list(map(list, zip(*[iter(flat)] * width)))
    # _relu1 inline: one comprehension, no call per element.
    return [[0.0 if v <= 0.0 else dv for dv, v in zip(dr, xr)] for dr, xr in zip(d, x)]


# --- sigmoid ---------------------------------------------------------------------

def _sigmoid1(dv, v):
    # dv * s(v) * (1 - s(v)) = dv * t / (1 + t)**2 with t = e^-|v| (no 1 - s cancels).
    if v != v or dv != dv:
        return _NAN
    a = -v if v < 0.0 else v
    if a <= 700.0:
        t = _exp(-a)
        u = 1.0 + t
        return dv * (t / (u * u))
    if not is_finite(a) or dv == 0.0 or not is_finite(dv):
        return dv * (0.0 if not is_finite(a) else 0.25)  # derivative 0 at +-inf; keeps signs
    # (1 + t)**2 is 1 to 2**-1000 here, so the result is dv * e^-a.  dv = m * 2**E,
    # and dv * e^-a = m * e^(E ln 2 - a), whose exponent is kept to twice a
    # float's precision (exact E * _LN2_HI, then Knuth's TwoSum), so that no
    # underflow of e^-a on its own costs the precision of a normal result.
    m, e = _frexp(dv)
    hi = e * _LN2_HI
    s = hi - a
    back = s - hi
    low = (hi - (s - back)) + (-a - back) + e * _LN2_LO
    top = s + low                           # Fast2Sum: |s| >= |low|, so the error is exact
    r = _exp(top)
    return m * (r + r * (low - (top - s)))


def sigmoid_backward(dvalues, inputs):
    """Sigmoid's backward pass: dvalues * s * (1 - s), with s = sigmoid(inputs).

    Formula: dinputs = dvalues * s(x) * (1 - s(x)), elementwise, evaluated as
    dvalues * t / (1 + t)**2 with t = e^-|x| (the same value: s(x) * (1 -
    s(x)) = s(|x|) * s(-|x|)), so that nothing cancels: for x = 40 the book's
    ``(1 - output) * output`` is 0, the true derivative 4.2e-18.  For
    |x| > 700 the product dvalues * e^-|x| is formed from dvalues' exponent
    without underflowing on the way.  The derivative of sigmoid at ±inf is
    0.

    Accuracy: within 4 ULP of the exact value (``nnref.exact.sigmoid_backward``)
    when the result is normal, and within 4 ULP of the smallest subnormal
    when it is not (tests/test_gradients.py; ``math.exp`` is libm's).

    Special cases:

    - If `x` is `float("nan")`, `sigmoid_backward([1.0], [x])` is `[float("nan")]`.
    - If `x` is `float("nan")`, `sigmoid_backward([x], [1.0])` is `[float("nan")]`.
    - If `x` is `float("inf")`, `sigmoid_backward([-2.0], [x])` is `[-0.0]`.
    - If `x` is `float("-inf")`, `sigmoid_backward([float("inf")], [x])` is `[float("nan")]`.
    - If `x` is `float("inf")`, `sigmoid_backward([x], [1000.0])` is `[float("inf")]`.
    - If `x` is `0.0`, `sigmoid_backward([1.0], [x])` is `[0.25]`.
    - If `x` is `-0.0`, `sigmoid_backward([x], [3.0])` is `[-0.0]`.

    >>> sigmoid_backward([1.0, 1.0, 2.0], [0.0, 40.0, -800.0])
    [0.25, 4.248354255291589e-18, 0.0]
    >>> sigmoid_backward([1e300], [-800.0])      # 1e300 * e^-800, though e^-800 underflows
    [3.667874584177687e-48]
    """
    return _sigmoid_backward(dvalues, inputs, "sigmoid_backward")


def _sigmoid_backward(dvalues, inputs, func):
    return pairwise(_sigmoid1, *check_pair(dvalues, inputs, func))


# --- step and linear (used by the layer classes) ---------------------------------

def _step_backward(dvalues, inputs, func):
    # The step's derivative is 0 wherever it exists (and taken as 0 at x = 0).
    return pairwise(lambda dv, v: 0.0, *check_pair(dvalues, inputs, func))


def _linear_backward(dvalues, inputs, func):
    # The identity's derivative is 1: dvalues, as new floats.
    return pairwise(lambda dv, v: dv, *check_pair(dvalues, inputs, func))


# --- softmax ---------------------------------------------------------------------

def softmax_gradient_row(d, s):
    """s * (d - <s, d>) for one row of dvalues ``d`` and softmax outputs ``s``."""
    if not all_finite(d) or not all_finite(s):
        return [_NAN] * len(d)
    if d.count(d[0]) == len(d):
        return [0.0] * len(d)               # constant dvalues: the gradient is exactly 0
    scale = 1.0
    if max(map(abs, d)) > 2.0 ** 1020:      # d - <s, d> could overflow: work in d / 4
        d = [v * 0.25 for v in d]
        scale = 4.0
    # <s, d>: the rounded products' exact sum, rounded once (their rounding is
    # within the bound below; an exact dot costs twice as much).
    dot = fsum(list(map(_mul, s, d)))
    return [si * (di - dot) * scale for si, di in zip(s, d)]


def _softmax_gradient_of_inputs(d, x):
    return softmax_gradient_row(d, _softmax_row(x))


def softmax_backward(dvalues, inputs):
    """Softmax's backward pass, row by row: s * (dvalues - <s, dvalues>), s = softmax(inputs).

    Formula: for each row, dinputs_i = s_i * (d_i - sum_j s_j * d_j), which is
    the book's ``np.dot(np.diagflat(s) - np.dot(s, s.T), d)`` (the Jacobian
    times the row of dvalues) without forming the Jacobian.  ``s`` is
    ``nnref.softmax(inputs)``; <s, d> is the exact sum of the rounded
    products, rounded once.  Rows of equal dvalues give exact zeros (the true
    gradient there).

    Accuracy: with g the exact gradient, s the exact softmax, n the row's
    length and eps = 2**-52, |error_i| <= 8 * eps * (|g_i| + s_i * sum_j s_j
    * |d_j|) + n * 2**-1074 (the softmax's own 4 ULP, and the cancellation in
    d_i - <s, d>, which no ULP bound survives; tests/test_gradients.py).

    Shapes: ``dvalues`` and ``inputs`` are vectors or batches of one shape
    (a number is a TypeError); the result has that shape.

    Special cases:

    - If `x` is `[float("nan"), 1.0]`, `softmax_backward([1.0, 2.0], x)` is `[float("nan"), float("nan")]`.
    - If `x` is `[1.0, 2.0]`, `softmax_backward([float("inf"), 0.0], x)` is `[float("nan"), float("nan")]`.
    - If `x` is `[1.0, 2.0, 3.0]`, `softmax_backward([5.0, 5.0, 5.0], x)` is `[0.0, 0.0, 0.0]`.
    - If `x` is `[7.0]`, `softmax_backward([3.0], x)` is `[0.0]`.
    - If `x` is `[[]]`, `softmax_backward(x, x)` is `[[]]`.
    - If `x` is `1.0`, `softmax_backward(1.0, x)` raises TypeError.

    >>> softmax_backward([1.0, 0.0], [0.0, 0.0])
    [0.25, -0.25]
    """
    return _softmax_backward(dvalues, inputs, "softmax_backward")


def _softmax_backward(dvalues, inputs, func):
    return by_rows(_softmax_gradient_of_inputs, *check_pair(dvalues, inputs, func, rows=True))


def _softmax_backward_from_output(dvalues, output, func):
    # The same from softmax(inputs) already computed (the layer's .output).
    return by_rows(softmax_gradient_row, *check_pair(dvalues, output, func, rows=True))


# --- dense -----------------------------------------------------------------------

def dense_backward(dvalues, inputs, weights):
    """The dense layer's backward pass: ``(dinputs, dweights, dbiases)``.

    Formula, for ``inputs`` X (n x k), ``weights`` W (k x m) and ``dvalues``
    D (n x m), as the book's ``Layer_Dense.backward``:

    - dinputs = D @ W.T (n x k): dinputs[i][r] = sum_j D[i][j] * W[r][j];
    - dweights = X.T @ D (k x m): dweights[r][j] = sum_i X[i][r] * D[i][j];
    - dbiases = the column sums of D, as a 1 x m row.

    Accuracy: every output is the exact sum of its exact products rounded
    once to the nearest float (ties to even), as in ``nnref.dense`` and by
    the same arithmetic (``nnref._base.dot``); the column sums are exact sums
    rounded once.  Special values follow IEEE arithmetic on the exact terms,
    as in ``nnref.matrix.matmul``; an empty sum is +0.0.

    Shapes: zero sizes as ``dense`` (``inputs == []`` is n == 0 and gives
    ``[]`` dinputs, zero dweights and zero dbiases).

    Special cases:

    - If `d` is `[[float("nan")]]`, `dense_backward(d, [[1.0]], [[1.0]])` is `([[float("nan")]], [[float("nan")]], [[float("nan")]])`.
    - If `d` is `[[-0.0]]`, `dense_backward(d, [[1.0]], [[1.0]])` is `([[-0.0]], [[-0.0]], [[-0.0]])`.
    - If `d` is `[[1e308], [1e308], [-1e308]]`, `dense_backward(d, [[1.0], [1.0], [1.0]], [[1.0]])[2]` is `[[1e308]]`.
    - If `d` is `[]`, `dense_backward(d, [], [[1.0, 2.0]])` is `([], [[0.0, 0.0]], [[0.0, 0.0]])`.
    - If `d` is `[[1.0, 2.0]]`, `dense_backward(d, [[1.0]], [[1.0]])` raises ValueError.

    >>> dense_backward([[1.0, -1.0], [0.5, 2.0]], [[1.0, 2.0], [3.0, 4.0]],
    ...                [[0.1, 0.2], [0.3, 0.4]])
    ([[-0.1, -0.10000000000000003], [0.45, 0.9500000000000001]], [[2.5, 5.0], [4.0, 6.0]], [[1.5, 1.0]])
    """
    return _dense_backward(dvalues, inputs, weights, "dense_backward")


def _dense_backward(dvalues, inputs, weights, func, forward_scaling=None):
    # forward_scaling: (the forward pass's inputs as one flat list, their
    # scaled_input_columns), kept by nnref.Dense.  Used only if the inputs
    # hold that list's values now: x is checked plain floats, so == compares
    # values, and equal values have the same exact scaling (a NaN, which
    # compares unequal, has none); its shape is n x k, checked, so equal
    # elements are equal rows.
    d, x, w, k, m = dense_backward_operands(dvalues, inputs, weights, func)
    n = len(x)
    x_scaled = None
    if forward_scaling is not None and forward_scaling[0] == flat_elements(x):
        int_columns, exponent = forward_scaling[1]
        x_scaled = [(ints, exponent) for ints in int_columns]
    # -0.0 is the neutral bias (each sum, and the sign of a zero sum, as IEEE
    # gives: matrix.matmul's rule); an empty sum is +0.0.
    w_t = [list(c) for c in zip(*w)]
    x_t = [list(c) for c in zip(*x)] if x else [[] for _ in range(k)]
    d_t = [list(c) for c in zip(*d)]
    if n and k * m <= 4 * n:
        # Few outputs over long columns (the usual batch): one exact dot per
        # output, which beats packing n weight rows for k input rows.  The
        # columns of dvalues are scaled once, for these dots and for
        # dinputs' column-wise form (with one exponent for all: exact as well).
        if x_scaled is None:
            x_scaled = [scale_to_ints(c) for c in x_t]
        d_columns = scaled_input_columns(d)
        if d_columns is None:                # some dvalue is NaN or infinite
            d_scaled = [scale_to_ints(c) for c in d_t]
        else:
            d_scaled = [(ints, d_columns[1]) for ints in d_columns[0]]
        dweights = [[dot_plus_bias(xc, xs, dc, ds, -0.0) for dc, ds in zip(d_t, d_scaled)]
                    for xc, xs in zip(x_t, x_scaled)]
    else:
        d_columns = None
        dweights = dense_rows(x_t, d, [-0.0 if n else 0.0] * m)
    dinputs = dense_rows(d, w_t, [-0.0 if m else 0.0] * k, d_columns)
    dbiases = [[fsum(column) for column in d_t] if d else [0.0] * m]
    return dinputs, dweights, dbiases
