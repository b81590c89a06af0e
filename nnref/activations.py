"""The chapter's activation functions: step, linear, sigmoid, ReLU and softmax.

Each takes a number, a vector (list or tuple of numbers) or a batch (list of
equal-length rows) and returns the same shape as new floats; softmax works on
rows and so needs a vector or a batch.  Input checking is shared by all of
them (see ``nnref._base.checks``).

Each public function ``f(x)`` is ``_f(x, "f", "x")``: the private ``_f``
takes the names its errors give, so that the layer classes
(``nnref.ReLU().forward(inputs)``) report ``ReLU.forward: inputs[0][1] ...``.
"""

import math
import sys

from ._base.checks import (_describe, _elements, _is_rectangular, _only_floats, apply_elementwise,
                           is_sequence, map_rows, read_float, to_floats)
from ._base.formats import is_finite
from ._base.rounding import exact_sum

try:
    from operator import truediv as _truediv
except ImportError:                         # MicroPython (which has no _elements either)
    _truediv = None

_exp = math.exp
_tanh = math.tanh
# The exponentials softmax sums are finite and non-negative (or NaN), where
# math.fsum never raises; MicroPython has no math.fsum.
_sum_exps = getattr(math, "fsum", exact_sum)


def _step1(v):
    if v > 0.0:
        return 1.0
    return v if v != v else 0.0             # NaN stays NaN


# `0.0 if v < 0.0 else v` keeps NaN and -0.0 as they are; Python's max(0, v)
# would return the int 0 for negatives and NaN.  Each element is read through
# read_float, which is the type check (see map_rows): one pass over the row
# instead of two.  MicroPython has no read_float, and map_rows checks first.
def _relu_row_checked(row):
    # For a row map_rows has checked and converted (MicroPython).
    return [0.0 if v < 0.0 else v for v in row]


def _relu_row_reading(row):
    return [0.0 if v < 0.0 else v for v in map(read_float, row)]


_relu_row = _relu_row_checked if read_float is None else _relu_row_reading


def _sigmoid_row(row):
    # Two branches, so that nothing overflows and tiny results keep their
    # subnormal values.  x >= 0: 1/2 + tanh(x/2)/2, an identity that rounds
    # better than 1 / (1 + e^-x) (measured within 1 ULP, not 2): tanh is
    # accurate and the halvings are exact.  x < 0: e^x / (1 + e^x), where exp
    # never overflows and an underflowing e^x is kept; NaN falls through to
    # there.  (exp is evaluated twice rather than through a helper call per
    # element: faster.)
    return [0.5 + 0.5 * _tanh(0.5 * v) if v >= 0.0 else _exp(v) / (1.0 + _exp(v))
            for v in row]


def step(x):
    """Heaviside step: 1.0 where x > 0, else 0.0.

    Formula: step(x) = 1 if x > 0 else 0, elementwise.  Exact.

    Special cases:

    - If `x` is NaN, the result is NaN.
    - If `x` is +0.0, the result is +0.0.
    - If `x` is -0.0, the result is +0.0.
    - If `x` is +inf, the result is 1.0.
    - If `x` is -inf, the result is +0.0.

    ``x`` is a number, a vector or a batch; the result has the same shape, as
    new floats.  An empty vector gives ``[]``.

    >>> step([-1, 0, 0.5, 2])
    [0.0, 0.0, 1.0, 1.0]
    >>> step(3)
    1.0
    """
    return _step(x, "step", "x")


def _step(x, func, name):
    return apply_elementwise(_step1, *to_floats(x, func, name))


def linear(x):
    """Identity activation: the input, as new floats.

    Formula: linear(x) = x, elementwise.  Exact (ints become the nearest float).

    Special cases:

    - If `x` is NaN, the result is NaN.
    - If `x` is -0.0, the result is -0.0.
    - If `x` is +inf, the result is +inf.
    - If `x` is -inf, the result is -inf.

    >>> linear([[1, -2.5]])
    [[1.0, -2.5]]
    """
    return _linear(x, "linear", "x")


def _linear(x, func, name):
    return apply_elementwise(float, *to_floats(x, func, name))


def sigmoid(x):
    """Logistic sigmoid, 1 / (1 + e^-x), computed so that it never overflows.

    For x >= 0 it evaluates 1/2 + tanh(x/2)/2 (the same function, and it
    rounds better than 1 / (1 + e^-x)); for x < 0, e^x / (1 + e^x).  Nothing
    overflows, and results below the normal range keep their subnormal values
    (``sigmoid(-745.0) == 5e-324``).  Accuracy: within 2 ULP of the true
    value for every input (measured: at most 1 ULP for x >= 0, and a mean of
    0.24 ULP on x ~ N(0, 1), where NumPy's is 0.31; ``math.exp`` and
    ``math.tanh`` come from the platform's libm, so the last bit may differ
    between platforms).

    Special cases:

    - If `x` is NaN, the result is NaN.
    - If `x` is +0.0, the result is 0.5.
    - If `x` is -0.0, the result is 0.5.
    - If `x` is +inf, the result is 1.0.
    - If `x` is -inf, the result is +0.0.

    >>> sigmoid([0.0, 1000.0, -1000.0])
    [0.5, 1.0, 0.0]
    >>> sigmoid(-745.0)
    5e-324
    """
    return _sigmoid(x, "sigmoid", "x")


def _sigmoid(x, func, name):
    return map_rows(_sigmoid_row, x, func, name)


def relu(x):
    """Rectified linear unit: max(0, x), as floats.

    Formula: relu(x) = x if x > 0 else 0, elementwise.  Exact.

    Special cases:

    - If `x` is NaN, the result is NaN.
    - If `x` is -0.0, the result is -0.0.
    - If `x` is +inf, the result is +inf.
    - If `x` is -inf, the result is +0.0.

    ``relu(-0.0)`` is ``-0.0``, as ``np.maximum(0, x)`` and PyTorch give.

    >>> relu([0, 2, -1, 3.3, -2.7, 1.1, 2.2, -100])
    [0.0, 2.0, 0.0, 3.3, 0.0, 1.1, 2.2, 0.0]
    """
    return _relu(x, "relu", "x")


# Rows up to this long go through _relu_narrow (measured: on CPython one pass
# over the whole batch beats a list comprehension per row, 0.7 times the
# time on 300 x 3; on PyPy, whose JIT compiles the per-row loop, it is 1.3
# times, so there it is not used).
_RELU_NARROW = 0 if getattr(getattr(sys, "implementation", None), "name", "") == "pypy" else 8


def _relu(x, func, name):
    if _elements is not None and _is_rectangular(x) and len(x[0]) <= _RELU_NARROW:
        out = _relu_narrow(x)
        if out is not None:
            return out
    return map_rows(_relu_row, x, func, name, reads_floats=True)


def _relu_narrow(x):
    # A batch of short rows of plain floats as one flat list: one list
    # comprehension, then cut back into rows at C speed.  None if some
    # element is not exactly a float (map_rows then checks and names it).
    flat = list(_elements(x))
    if not _only_floats(flat, len(flat)):
        return None
    flat = [0.0 if v < 0.0 else v for v in flat]
    width = len(x[0])
    if width == 0:
        return [[] for _ in x]
    return list(map(list, zip(*[iter(flat)] * width)))


def _softmax_row(row):
    if not row:
        return []
    # Subtract the row's max so exp never overflows (the chapter's fix).  A NaN
    # or +inf in the row, or a row of only -inf, makes some exp argument NaN,
    # and the NaN reaches every result through the sum.
    #
    # d = x - top is rounded, and exp multiplies the rounding error by up to
    # |d| ULP (511 ULP at |d| ~ 700).  The error is recovered exactly,
    #     err = x - (d + top)  if x >= -top,   (x - d) - top  otherwise
    # (the operations on the larger magnitudes first, as in Fast2Sum, so each
    # step is exact), and e^(x - top) = e^d * e^err ~ e^d + e^d * err.
    top = max(row)
    spread = top - min(row)
    if spread - spread != 0.0:              # not is_finite(spread), without the call
        return _softmax_row_nonfinite(row, top)
    neg_top = -top
    exps = []
    append = exps.append
    for v in row:
        d = v - top
        e = _exp(d)
        append(e + e * (v - (d + top) if v >= neg_top else (v - d) - top))
    total = _sum_exps(exps)
    return [e / total for e in exps]


def _shifted_exps(rows, tops):
    # _softmax_row's corrected e^(x - top) for each x of each row, with that
    # row's top, in one flat list: the same operations, so the same bits.
    # `for d in [x - top]` names a value once per element, which CPython 3.9
    # and later compile to a plain assignment.
    return [e + e * (x - (d + top) if x >= -top else (x - d) - top)
            for row, top in zip(rows, tops) for x in row
            for d in [x - top] for e in [_exp(d)]]


# The widest rows _softmax_batch takes.  Measured against the row form: on
# CPython 3.9 and later it takes 0.55 to 0.93 of the time at widths 2 to 64;
# on 3.6 to 3.8, where `for d in [...]` builds a list, 0.78 and 0.95 at widths
# 2 and 3 but 1.32 at 64; on PyPy, whose JIT compiles the row loop, 1.2 at 3
# and 1.5 at 64 (so it is not used there).
if getattr(getattr(sys, "implementation", None), "name", "") == "pypy":
    _SOFTMAX_BATCH_WIDTH = 0
elif sys.version_info >= (3, 9):
    _SOFTMAX_BATCH_WIDTH = 1 << 30
else:
    _SOFTMAX_BATCH_WIDTH = 3


def _softmax_batch(x):
    # A rectangular batch of plain floats in passes over the whole batch, not
    # a Python-level step per row: for the chapter's 300 rows of 3 values it
    # takes about 0.65 of the time row by row.  The same operations as
    # _softmax_row, so the same bits.  None if the rows are wider than
    # _SOFTMAX_BATCH_WIDTH, if an element is not exactly a float, or if a
    # row's sum of exponentials is not finite: a NaN or +-inf in the row, or
    # a spread beyond the floats.  Those rows are the ones _softmax_row sends
    # to _softmax_row_nonfinite, and here they give a NaN sum: x - top is
    # NaN for a NaN, for +inf and in a row of only -inf, and an infinite d
    # (x = -inf, or x - top overflowing) gives e^d = 0 times an infinite or
    # NaN correction.  The row form then handles them.
    width = len(x[0])
    if not 0 < width <= _SOFTMAX_BATCH_WIDTH or not _only_floats(_elements(x), len(x) * width):
        return None
    exps = _shifted_exps(x, map(max, x))
    totals = list(map(_sum_exps, zip(*[iter(exps)] * width)))
    if not is_finite(sum(totals)):
        return None
    quotients = map(_truediv, exps, _elements(zip(*[totals] * width)))
    return list(map(list, zip(*[quotients] * width)))


def _softmax_row_nonfinite(row, top):
    # The row holds +-inf or NaN, or spans more than the float range, so some
    # d = x - top is infinite or NaN: no correction for those (e^d is 0 or NaN).
    neg_top = -top
    exps = []
    for v in row:
        d = v - top
        e = _exp(d)
        if is_finite(d):
            e += e * (v - (d + top) if v >= neg_top else (v - d) - top)
        exps.append(e)
    total = _sum_exps(exps)
    return [e / total for e in exps]


def softmax(x):
    """Softmax of a vector, or of each row of a batch: e^x_i / sum_j e^x_j.

    Each row is one sample (the book's ``axis=1, keepdims=True``).  The row's
    maximum is subtracted before ``math.exp`` (so nothing overflows), the
    exponentials are summed exactly (``fsum``), and each is divided by the sum.
    Accuracy: within 4 ULP of the true value (measured max 3 ULP on rows of 10
    drawn from N(0, 30) and U(-750, 750), where NumPy is 126 and 511 ULP off):
    the rounding error of x_i - max is recovered exactly and folded back in,
    so it is not magnified by exp; each row sums to 1 within 2**-52.

    Special cases:

    - If a row contains NaN, every result in that row is NaN.
    - If a row contains +inf, every result in that row is NaN.
    - If every element of a row is -inf, every result in that row is NaN.
    - If an element is -inf and the row has a finite element but no NaN or +inf,
      the result for that element is +0.0.
    - If the row is empty, the result is an empty row.

    A plain number is a ``TypeError``; ``softmax([]) == []``.

    >>> softmax([1.0, 1.0])
    [0.5, 0.5]
    >>> softmax([[1, 2, 3]]) == softmax([[-2, -1, 0]])
    True
    """
    return _softmax(x, "softmax", "x")


def _softmax(x, func, name):
    _check_rows(x, func, name)
    if _SOFTMAX_BATCH_WIDTH and _truediv is not None and _elements is not None and _is_rectangular(x):
        out = _softmax_batch(x)
        if out is not None:
            return out
    return map_rows(_softmax_row, x, func, name)


def _check_rows(x, func, name):
    """Softmax works on rows: anything but a list or tuple (a number too) is a TypeError."""
    if not is_sequence(x):
        to_floats(x, func, name)            # not a number either: that TypeError
        raise TypeError("%s: %s is %s; expected a vector or a batch of rows"
                        % (func, name, _describe(x)))
