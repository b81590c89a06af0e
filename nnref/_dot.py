"""Correctly rounded dot products: the arithmetic behind ``dense`` and ``matmul``.

Each output is sum_i x_i * w_i + b computed exactly and rounded once.  A
finite float is ``n * 2**e`` with an integer ``n``, so a row of floats scaled
by the power of two of its smallest element is a row of exact integers; the
dot product of two such rows is an exact integer, and ``round_scaled`` turns
it into the nearest float.  Non-finite data (NaN, +-inf) takes its own path,
which gives what IEEE arithmetic gives for the exact terms.
"""

import math

from ._rounding import round_scaled, special_sum, to_scaled_int

try:
    from operator import mul
except ImportError:  # MicroPython has no operator.mul
    def mul(a, b):
        return a * b

_INF = float("inf")


def _is_negative_zero(x):
    return x == 0.0 and math.copysign(1.0, x) < 0.0


def scale_to_ints(values):
    """``(ints, e)`` with ``values[i] == ints[i] * 2**e`` exactly, or None if any is not finite."""
    pairs = []
    for v in values:
        if v - v != 0.0:                     # NaN or +-inf
            return None
        pairs.append(to_scaled_int(v))
    exponents = [e for n, e in pairs if n]
    low = min(exponents) if exponents else 0
    return [n << (e - low) if n else 0 for n, e in pairs], low


def _zero_sign(row, column, bias):
    # The exact sum is zero.  IEEE addition gives -0.0 only if every term is
    # -0.0: here, every product is a zero of negative sign and so is the bias.
    if not _is_negative_zero(bias):
        return 0.0
    for x, w in zip(row, column):
        if x != 0.0 and w != 0.0:
            return 0.0                       # a nonzero product (even if it underflows)
        if math.copysign(1.0, x) * math.copysign(1.0, w) > 0.0:
            return 0.0                       # a +0.0 product
    return -0.0


def _nonfinite_dot(row, column, bias):
    # Some input is NaN or infinite.  The infinite terms decide the answer
    # (NaN for inf - inf or 0 * inf, as IEEE says); finite products, even huge
    # ones, cannot cancel an infinity.
    terms = []
    for x, w in zip(row, column):
        if x != x or w != w:
            return float("nan")
        if x - x != 0.0 or w - w != 0.0:     # an infinite factor
            if x == 0.0 or w == 0.0:
                return float("nan")          # 0 * inf
            terms.append(x * w)              # +-inf with the right sign
    terms.append(bias)
    return special_sum(terms)                 # not None: some term is NaN or infinite


def dot_plus_bias(row, row_scaled, column, column_scaled, bias):
    """Correctly rounded ``sum(row[i] * column[i]) + bias``.

    ``row_scaled`` and ``column_scaled`` are ``scale_to_ints`` of ``row`` and
    ``column`` (None where not finite), computed once by the caller.
    """
    if row_scaled is None or column_scaled is None or bias - bias != 0.0:
        return _nonfinite_dot(row, column, bias)
    row_ints, row_exp = row_scaled
    column_ints, column_exp = column_scaled
    total = sum(map(mul, row_ints, column_ints))
    exponent = row_exp + column_exp
    if bias != 0.0:
        bias_int, bias_exp = to_scaled_int(bias)
        if bias_exp >= exponent:
            total += bias_int << (bias_exp - exponent)
        else:
            total = (total << (exponent - bias_exp)) + bias_int
            exponent = bias_exp
    if total == 0:
        return _zero_sign(row, column, bias)
    return round_scaled(total, exponent)


def dense_rows(inputs, weights, biases):
    """``inputs @ weights + biases`` on validated lists of floats, each output rounded once.

    ``inputs`` is n x k, ``weights`` k x m (or ``[]`` with k == 0), ``biases``
    a list of m floats.
    """
    if not weights:
        return [list(biases) for _ in inputs]
    columns = [list(c) for c in zip(*weights)]
    columns_scaled = [scale_to_ints(c) for c in columns]
    out = []
    for row in inputs:
        row_scaled = scale_to_ints(row)
        out.append([dot_plus_bias(row, row_scaled, column, column_scaled, bias)
                    for column, column_scaled, bias in zip(columns, columns_scaled, biases)])
    return out
