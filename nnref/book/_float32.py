"""Float32 arithmetic as NumPy does it, on Python floats holding float32 values.

Every float32 ``+ - * /`` is the float64 operation rounded to float32: the
exact result of two float32 operands is at most one float64 rounding away,
and a double rounding through float64 is harmless for these four operations
(53 >= 2 * 24 + 2 bits, Figueroa 1995), so ``f32(a + b)`` is the correctly
rounded float32 sum.  ``exp`` is ``math.exp`` rounded to float32, which is
what NumPy computed before its own SIMD float32 ``exp`` (NumPy 1.19+).

The reductions follow NumPy's order of operations, not a better one, since
the point is to give NumPy's bits:

* ``sum_f32`` is NumPy's pairwise summation in float32: fewer than 8 values
  are added one after another from 0; longer runs use 8 running sums; runs
  over 128 are split in two halves (the first a multiple of 8 long);
* ``dot_f64`` adds the exact float64 products one after another from 0, as
  the BLAS behind ``np.dot`` does for the short rows of the book (checked
  with OpenBLAS under NumPy 2.4.6 for 2 to 8 terms; its kernels split longer
  sums, so for more than 8 terms a BLAS may round differently).  The
  backward pass's ``np.dot(inputs.T, dvalues)``, a sum over the samples,
  is added in order too: OpenBLAS under NumPy 2.4.6 gives exactly that for
  the book's shapes (k x n times n x m with k, m <= 3; checked for n up to
  400, and on the chapter's n = 300);
* ``column_sums_f32`` is ``np.sum(rows, axis=0)`` of a C-ordered float32
  batch: NumPy adds the rows one after another, from +0.0, in float32 (the
  reduced axis is not the contiguous one, so there is no pairwise sum).

``log_f32`` is ``math.log`` rounded to float32, and ``div_f32`` the IEEE
float32 quotient (a zero divisor gives an infinity or NaN, as in NumPy).
"""

import math

from .._base.formats import round_f32

_INF = float("inf")
_NAN = float("nan")

f32 = round_f32

_BLOCK = 128   # NumPy's pairwise block size


def exp_f32(x):
    """``exp(x)`` of a float32 value, rounded to float32; overflow gives inf."""
    try:
        return round_f32(math.exp(x))
    except (OverflowError, ValueError):   # ValueError: MicroPython's overflow
        return _INF


def _pairwise(values, start, n):
    if n < 8:
        total = 0.0
        for i in range(start, start + n):
            total = round_f32(total + values[i])
        return total
    if n <= _BLOCK:
        sums = values[start:start + 8]
        whole = n - n % 8
        for i in range(start + 8, start + whole, 8):
            for j in range(8):
                sums[j] = round_f32(sums[j] + values[i + j])
        total = round_f32(round_f32(round_f32(sums[0] + sums[1]) + round_f32(sums[2] + sums[3]))
                          + round_f32(round_f32(sums[4] + sums[5]) + round_f32(sums[6] + sums[7])))
        for i in range(start + whole, start + n):
            total = round_f32(total + values[i])
        return total
    half = n // 2
    half -= half % 8
    return round_f32(_pairwise(values, start, half) + _pairwise(values, start + half, n - half))


def sum_f32(values):
    """The float32 sum of float32 ``values`` in NumPy's pairwise order."""
    values = list(values)
    return _pairwise(values, 0, len(values))


def dot_f64(row, column):
    """``sum(row[i] * column[i])`` in float64, one term after another from 0.0.

    With float32 operands every product is exact in float64 (24 + 24 bits),
    so only the additions round.
    """
    total = 0.0
    for x, w in zip(row, column):
        total += x * w
    return total


def column_sums_f32(rows, width):
    """``np.sum(rows, axis=0)`` in float32: each column added row after row from +0.0."""
    totals = [0.0] * width
    for row in rows:
        totals = [round_f32(t + v) for t, v in zip(totals, row)]
    return totals


def log_f32(x):
    """``log(x)`` of a float32 value, rounded to float32: -inf at 0, NaN below 0."""
    if x != x or x < 0.0:
        return _NAN
    if x == 0.0:
        return -_INF
    if x == _INF:
        return _INF
    return round_f32(math.log(x))


def div_f32(a, b):
    """The IEEE float32 quotient ``a / b`` of float32 values, a zero ``b`` included."""
    if b == 0.0:
        if a != a or a == 0.0:
            return _NAN
        negative = (math.copysign(1.0, a) < 0) != (math.copysign(1.0, b) < 0)
        return -_INF if negative else _INF
    return round_f32(a / b)
