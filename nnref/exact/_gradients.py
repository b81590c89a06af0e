"""The correctly rounded backward passes: the exact derivative at the given floats, rounded once.

``relu_backward``, ``sigmoid_backward``, ``softmax_backward`` and
``dense_backward`` take the float tier's arguments (checked by the float
tier's own checks, ``nnref.gradients``) and the keyword ``dtype``.  Each
result is the exact value of the derivative of the exact function, for the
exact values of the given floats, rounded once, directly, to ``dtype``:
not the derivative of any float code.

How they are exact
------------------
* relu: dvalues or 0, rounded to ``dtype``.
* sigmoid: s'(x) = t / (1 + t)**2 with t = e^-|x|, which increases with t
  on (0, 1): ``decimal``'s correctly rounded exp bounds t, so the result
  lies between two exact fractions, rounded as in ``_decimal_math``'s Ziv
  loop.  x = 0 (s' = 1/4) is rounded exactly at once, and so is a result
  that is certainly zero (|x| >= 1460: |dvalues| * e^-1460 < 2**-1082).
* softmax: with E_j = e^(x_j - max) and S = sum_j E_j,
  g_i = E_i * sum_j E_j * (d_i - d_j) / S**2.  Grouping equal logits v,
  sum_j E_j (d_i - d_j) = sum_v e^(v - max) * c_v with the exact rational
  c_v = n_v * d_i - (the sum of d over the group); by the
  Lindemann-Weierstrass theorem (e^v for distinct rational v are linearly
  independent over the rationals) that sum is zero only if every c_v is.
  So exact zeros are found exactly, before any refinement: constant
  dvalues across a row, equal logits with d_i the row's mean, one-element
  rows.  The others are bounded by interval arithmetic on the exp bounds
  and refined by Ziv's loop; terms far below the row's max are bounded by
  [0, e^-drop] with drop growing with the precision, so a saturated row
  gets the precision its spread needs.  An element more than 1500 below its
  row's max, or whose sum has its largest term that far down, rounds to a
  zero, whose sign (that of the exact value) is found from the sum scaled
  by its largest term, whatever the spread.
* dense: the exact integer dot products of ``nnref.exact.dense`` and exact
  column sums.
"""

import math
from decimal import Decimal

from . import _decimal_math
from ._decimal_math import _exact_decimal, _ratio_parts, exp_bounds
from .._base.formats import (all_finite, check_dtype, is_finite, round_float, round_ratio,
                             round_scaled, to_scaled_int)
from ..gradients import (by_rows, check_pair, dense_backward_operands, pairwise)

_INF = float("inf")
_NAN = float("nan")
# Past this |x| the sigmoid's gradient is below 2**-1075 for any float64
# dvalues (|d| * e^-1460 < 2**1024 * 2**-2106): it rounds to a zero.
_ZERO_FROM = 1460
# The same for softmax's: an element this far below its row's max, or whose
# sum_v c_v e^(v - max) has its largest term this far down, is below
# e^-1500 * 2n * 2**1024 < 2**-1075 (for rows of n < 2**64 elements).
_FAR = 1500


def _same(a, b):
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def _ratio(num, den, e, fmt):
    # num / den * 2**e rounded once (den > 0).
    if e >= 0:
        return round_ratio(num << e, den, fmt)
    return round_ratio(num, den << -e, fmt)


# --- relu ------------------------------------------------------------------------

def relu_backward(dvalues, inputs, dtype="float64"):
    """ReLU's backward pass, ``dvalues`` where ``inputs > 0``, else 0, rounded to ``dtype``.

    Formula: dinputs = dvalues * (inputs > 0), elementwise, with the book's
    conventions (``nnref.relu_backward``): 0 where the input is 0 or -0.0,
    the dvalue where it is NaN.  Accuracy: each dvalue rounded once, directly,
    to ``dtype`` (exact in float64).

    Special cases:

    - If `x` is `float("nan")`, `exact.relu_backward([2.0], [x])` is `[2.0]`.
    - If `x` is `0.1`, `exact.relu_backward([x], [1.0], dtype="float32")` is `[0.10000000149011612]`.
    - If `x` is `1e5`, `exact.relu_backward([x], [1.0], dtype="float16")` is `[float("inf")]`.

    >>> relu_backward([[0.1, 0.2]], [[1.0, -1.0]], dtype="bfloat16")
    [[0.10009765625, 0.0]]
    """
    fmt = check_dtype(dtype, "exact.relu_backward")
    kind, d, x = check_pair(dvalues, inputs, "exact.relu_backward")
    return pairwise(lambda dv, v: 0.0 if v <= 0.0 else round_float(dv, fmt), kind, d, x)


# --- sigmoid ---------------------------------------------------------------------

def _taylor_cap(a_int, a_exp):
    # (num, den) of 1 - a + a**2/2 >= e^-a, for a = a_int * 2**a_exp > 0 (a_exp < 0).
    s = -a_exp
    return (1 << (2 * s + 1)) - (a_int << (s + 1)) + a_int * a_int, 1 << (2 * s + 1)


def _sigmoid1(dv, v, fmt):
    if v != v or dv != dv:
        return _NAN
    if not is_finite(v):
        return dv * 0.0                     # s'(+-inf) = 0: NaN for an infinite dvalue
    if not is_finite(dv):
        return dv                           # s'(x) > 0
    if dv == 0.0:
        return dv * 0.25                    # a zero of dvalues' sign
    n, e = to_scaled_int(dv)
    if v == 0.0:
        return round_scaled(n, e - 2, fmt)  # s'(0) = 1/4
    a = -v if v < 0.0 else v
    if a >= _ZERO_FROM:
        return dv * 0.0
    arg = Decimal(a).copy_negate()
    a_int, a_exp = to_scaled_int(a)
    digits = _decimal_math._FIRST_DIGITS
    while digits <= _decimal_math._MAX_DIGITS:
        low, high, k = exp_bounds(arg, digits)
        lo, den = _ratio_parts(low, k)
        hi, den_hi = _ratio_parts(high, k)
        if hi >= den_hi:                    # t within 10**-digits of 1: cap it below 1
            hi, den_hi = _taylor_cap(a_int, a_exp)
        # s' = t / (1 + t)**2 = p*q / (p + q)**2 for t = p/q, increasing in t
        first = _ratio(n * lo * den, (den + lo) ** 2, e, fmt)
        second = _ratio(n * hi * den_hi, (den_hi + hi) ** 2, e, fmt)
        if _same(first, second):
            return first
        digits *= 2
    raise _decimal_math._too_many_digits("sigmoid_backward(%r, %r)" % (dv, v))


def sigmoid_backward(dvalues, inputs, dtype="float64"):
    """Sigmoid's backward pass dvalues * s * (1 - s), s = sigmoid(inputs), correctly rounded.

    Formula: dinputs = dvalues * s(x) * (1 - s(x)) = dvalues * e^-|x| / (1 +
    e^-|x|)**2, elementwise, for the exact values of the floats; the
    derivative at ±inf is 0.  Accuracy: the nearest ``dtype`` value
    (<= 0.5 ULP, ties to even; subnormals kept; past the format's range
    ±inf).  Speed: about 50 µs per element on CPython 3.11 (``Decimal.exp``).

    Special cases:

    - If `x` is `float("inf")`, `exact.sigmoid_backward([-2.0], [x])` is `[-0.0]`.
    - If `x` is `0.0`, `exact.sigmoid_backward([5e-324], [x])` is `[0.0]`.
    - If `x` is `1460.0`, `exact.sigmoid_backward([1e308], [x])` is `[0.0]`.
    - If `x` is `1400.0`, `exact.sigmoid_backward([1e308], [x])` is `[9.721322154756662e-301]`.

    >>> sigmoid_backward([1.0, 1.0], [0.0, 1.0])
    [0.25, 0.19661193324148185]
    >>> sigmoid_backward([1.0], [40.0], dtype="float16")
    [0.0]
    """
    fmt = check_dtype(dtype, "exact.sigmoid_backward")
    kind, d, x = check_pair(dvalues, inputs, "exact.sigmoid_backward")
    return pairwise(lambda dv, v: _sigmoid1(dv, v, fmt), kind, d, x)


# --- softmax ---------------------------------------------------------------------

def _scaled_row(values):
    # (ints, low) with values[j] == ints[j] * 2**low exactly (finite floats).
    pairs = [to_scaled_int(v) if v != 0.0 else (0, 0) for v in values]
    exps = [e for n, e in pairs if n]
    low = min(exps) if exps else 0
    return [n << (e - low) if n else 0 for n, e in pairs], low


def _gradient_bounds(groups, digits):
    # Each group's e^(v - max) as an integer interval at one scale 10**K:
    # [(lo, hi)] (dropped groups (0, unit)), and K.
    drop = max(_FAR, 231 * (digits + 10) // 100 + 1)
    floor_k = -(digits + 10)
    raw = []
    for group in groups:
        units, low = group["difference"]
        if units == 0:
            raw.append((1, 1, 0))
        elif _decimal_math._below(units, low, drop):
            raw.append(None)                # 0 < e^d < e^-drop < 10**floor_k
        else:
            if group["decimal"] is None:
                group["decimal"] = _exact_decimal(units, low, 5 ** -low if low < 0 else 1)
            raw.append(exp_bounds(group["decimal"], digits))
    k_min = min([floor_k] + [b[2] for b in raw if b is not None])
    out = []
    for b in raw:
        if b is None:
            out.append((0, 10 ** (floor_k - k_min)))
        else:
            scale = 10 ** (b[2] - k_min)
            out.append((b[0] * scale, b[1] * scale))
    return out


def _sign_of_sum(coefficients, groups, star):
    # The zero of the sign of sum_v c_v e^(v - max), found from
    # sum_v c_v e^(v - v*) with v* = groups[star], the highest group whose c_v
    # is not 0: its term is c_v* exactly and the others lie in (0, |c_v|],
    # so no precision is spent on how far v* lies below the max.
    base = groups[star]["value"]
    terms = []
    for c, group in zip(coefficients, groups):
        if c and group is not groups[star]:
            ints, low = _scaled_row([group["value"], base])
            terms.append([c, ints[0] - ints[1], low, None])
    digits = _decimal_math._FIRST_DIGITS
    while digits <= _decimal_math._MAX_DIGITS:
        drop = 231 * (digits + 10) // 100 + 1
        floor_k = -(digits + 10)
        raw = []
        for term in terms:
            c, units, low = term[0], term[1], term[2]
            if _decimal_math._below(units, low, drop):
                raw.append(None)            # 0 < e^u < e^-drop < 10**floor_k
                continue
            if term[3] is None:
                term[3] = _exact_decimal(units, low, 5 ** -low if low < 0 else 1)
            raw.append(exp_bounds(term[3], digits))
        k_min = min([floor_k] + [b[2] for b in raw if b is not None])
        lo = hi = coefficients[star] * 10 ** -k_min
        for term, b in zip(terms, raw):
            if b is None:
                low_units, high_units = 0, 10 ** (floor_k - k_min)
            else:
                scale = 10 ** (b[2] - k_min)
                low_units, high_units = b[0] * scale, b[1] * scale
            if term[0] > 0:
                lo += term[0] * low_units
                hi += term[0] * high_units
            else:
                lo += term[0] * high_units
                hi += term[0] * low_units
        if lo > 0:
            return 0.0
        if hi < 0:
            return -0.0
        digits *= 2
    raise _decimal_math._too_many_digits("the sign of a softmax gradient")


def softmax_gradient_row(d, x, fmt):
    """The ``fmt`` values nearest to s_i * (d_i - <s, d>), s the exact softmax of ``x``."""
    size = len(x)
    if any(v != v or v == _INF for v in x) or all(v == -_INF for v in x) or not all_finite(d):
        return [_NAN] * size
    finite = [j for j in range(size) if x[j] != -_INF]
    # Groups of equal logits, their exact differences from the max, counts and d sums.
    top = max(x[j] for j in finite)
    order = {}
    groups = []
    member = [None] * size
    d_ints, d_low = _scaled_row(d)
    for j in finite:
        key = x[j] + 0.0                    # -0.0 and 0.0 are one value
        if key not in order:
            order[key] = len(groups)
            ints, low = _scaled_row([x[j], top])
            groups.append({"difference": (ints[0] - ints[1], low), "decimal": None,
                           "count": 0, "dsum": 0, "value": key})
        group = groups[order[key]]
        group["count"] += 1
        group["dsum"] += d_ints[j]
        member[j] = order[key]
    out = [0.0] * size
    pending = []
    for i in finite:
        coefficients = [g["count"] * d_ints[i] - g["dsum"] for g in groups]
        if not any(coefficients):
            continue                        # an exact zero
        star = max([v for v, c in enumerate(coefficients) if c],
                   key=lambda v: groups[v]["value"])
        if x[i] - top < -_FAR or groups[star]["value"] - top < -_FAR:
            out[i] = _sign_of_sum(coefficients, groups, star)   # rounds to a zero
        else:
            pending.append((i, coefficients))
    digits = _decimal_math._FIRST_DIGITS
    while pending and digits <= _decimal_math._MAX_DIGITS:
        bounds = _gradient_bounds(groups, digits)
        s_low = sum(g["count"] * b[0] for g, b in zip(groups, bounds))
        s_high = sum(g["count"] * b[1] for g, b in zip(groups, bounds))
        left = []
        for i, coefficients in pending:
            # sum_v c_v * e^(v - max) lies in [a, b] (units 10**K * 2**d_low)
            a = b = 0
            for c, (lo, hi) in zip(coefficients, bounds):
                if c > 0:
                    a += c * lo
                    b += c * hi
                elif c < 0:
                    a += c * hi
                    b += c * lo
            e_lo, e_hi = bounds[member[i]]
            n_lo = min(e_lo * a, e_hi * a)
            n_hi = max(e_lo * b, e_hi * b)
            lower = _ratio(n_lo, s_high ** 2 if n_lo >= 0 else s_low ** 2, d_low, fmt)
            upper = _ratio(n_hi, s_low ** 2 if n_hi >= 0 else s_high ** 2, d_low, fmt)
            if _same(lower, upper):
                out[i] = lower
            else:
                left.append((i, coefficients))
        pending = left
        digits *= 2
    if pending:
        raise _decimal_math._too_many_digits("softmax_backward(%r, %r)" % (d, x))
    return out


def softmax_backward(dvalues, inputs, dtype="float64"):
    """Softmax's backward pass, row by row, s * (dvalues - <s, dvalues>), correctly rounded.

    Formula: dinputs_i = s_i * (d_i - sum_j s_j * d_j) with s the exact
    softmax of the row of ``inputs``, for the exact values of the floats,
    each output rounded once, directly, to ``dtype`` (<= 0.5 ULP, ties to
    even, subnormals kept).  Results that are exactly zero are +0.0, found
    before any refinement (constant dvalues, equal logits with a dvalue at
    the row's mean, one-element rows, -inf logits); a nonzero result that
    rounds to zero has the sign of the exact value.  Rows holding NaN or ±inf
    (in either argument) or only -inf logits are NaN, as in
    ``nnref.softmax_backward``.  Speed: about 50 µs per element and row
    element on CPython 3.11; rows with large spreads cost more.

    Special cases:

    - If `x` is `[1.0, 2.0, 3.0]`, `exact.softmax_backward([5.0, 5.0, 5.0], x)` is `[0.0, 0.0, 0.0]`.
    - If `x` is `[0.0, 0.0, 0.0]`, `exact.softmax_backward([1.0, 2.0, 3.0], x)[1]` is `0.0`.
    - If `x` is `[0.0, float("-inf")]`, `exact.softmax_backward([1.0, 2.0], x)` is `[0.0, 0.0]`.
    - If `x` is `[0.0, -800.0]`, `exact.softmax_backward([0.0, -1.0], x)` is `[0.0, -0.0]`.

    >>> softmax_backward([1.0, 0.0], [0.0, 0.0])
    [0.25, -0.25]
    >>> softmax_backward([[1.0, 0.0, 0.0]], [[1.0, 2.0, 3.0]], dtype="float32")
    [[0.08192507177591324, -0.022033045068383217, -0.05989202484488487]]
    """
    fmt = check_dtype(dtype, "exact.softmax_backward")
    kind, d, x = check_pair(dvalues, inputs, "exact.softmax_backward", rows=True)
    return by_rows(lambda dr, xr: softmax_gradient_row(dr, xr, fmt), kind, d, x)


# --- dense -----------------------------------------------------------------------

def dense_backward(dvalues, inputs, weights, dtype="float64"):
    """The dense layer's backward pass ``(dinputs, dweights, dbiases)``, correctly rounded.

    Formula: dinputs = D @ W.T, dweights = X.T @ D and dbiases = the column
    sums of D (a 1 x m row), as ``nnref.dense_backward``; each output is the
    exact sum of the exact products rounded once, directly, to ``dtype``
    (by ``nnref.exact.dense``'s arithmetic, written apart from the float
    tier's).  Special values as there; an empty sum is +0.0.

    Special cases:

    - If `d` is `[[1.0, 2 ** -11, 2 ** -40]]`, `exact.dense_backward(d, [[1.0]], [[1.0, 1.0, 1.0]], dtype="float16")[0]` is `[[1.0009765625]]`.
    - If `d` is `[[60000.0], [60000.0], [-60000.0]]`, `exact.dense_backward(d, [[1.0], [1.0], [1.0]], [[1.0]], dtype="float16")[2]` is `[[60000.0]]`.

    >>> dense_backward([[0.1, 0.2]], [[1.0]], [[1.0, 1.0]])[0]      # 0.1 + 0.2, rounded once
    [[0.30000000000000004]]
    >>> dense_backward([[0.1, 0.2]], [[1.0]], [[1.0, 1.0]], dtype="float32")[2]
    [[0.10000000149011612, 0.20000000298023224]]
    """
    from . import _dense_output            # nnref.exact's exact dot (the package imports this module)
    fmt = check_dtype(dtype, "exact.dense_backward")
    d, x, w, k, m = dense_backward_operands(dvalues, inputs, weights, "exact.dense_backward")
    n = len(x)
    d_t = [list(c) for c in zip(*d)]        # m x n
    x_t = [list(c) for c in zip(*x)] if x else [[] for _ in range(k)]
    if m:
        dinputs = [[_dense_output(row, w_row, -0.0, fmt) for w_row in w] for row in d]
    else:
        dinputs = [[0.0] * k for _ in d]
    if n:
        dweights = [[_dense_output(row, column, -0.0, fmt) for column in d_t] for row in x_t]
        dbiases = [[_dense_output(column, [1.0] * n, -0.0, fmt) for column in d_t]]
    else:
        dweights = [[0.0] * m for _ in x_t]
        dbiases = [[0.0] * m]
    return dinputs, dweights, dbiases
