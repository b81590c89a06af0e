"""Exact sums of floats, rounded once.

A finite float is an integer times a power of two, so a sum of floats is exact
in Python's unbounded integers; ``formats.round_scaled`` rounds it back once.

* ``special_sum(values)`` -- the IEEE sum when a NaN or an infinity decides it;
* ``exact_sum(values)`` -- the correctly rounded sum, with IEEE special values;
* ``fsum`` -- ``math.fsum`` where it exists, else ``exact_sum``.
"""

import math

from .formats import is_negative_zero, round_scaled, to_scaled_int

_INF = float("inf")
_NAN = float("nan")


def special_sum(values):
    """The IEEE sum of ``values`` if it is decided by a NaN or an infinity, else None.

    NaN if any value is NaN or both infinities occur; the infinity if only one
    sign of infinity occurs; otherwise None (the sum is finite, or a finite
    sum that overflows on rounding).
    """
    positive_inf = negative_inf = False
    for v in values:
        if v != v:
            return _NAN
        if v == _INF:
            positive_inf = True
        elif v == -_INF:
            negative_inf = True
    if positive_inf and negative_inf:
        return _NAN
    if positive_inf:
        return _INF
    if negative_inf:
        return -_INF
    return None


def exact_sum(values):
    """The correctly rounded sum of the floats in ``values``, with IEEE specials.

    NaN in, NaN out; ``+inf`` plus ``-inf`` is NaN; an infinity wins over
    finite values.  Finite values are added exactly and rounded once, so an
    intermediate overflow cannot happen (``[1e308, 1e308, -1e308]`` sums to
    ``1e308``).  An exact zero sum is ``-0.0`` only when every value is
    ``-0.0`` (as repeated IEEE addition gives), else ``+0.0``; the empty sum
    is ``0.0``.

    >>> exact_sum([1e308, 1e308, -1e308])
    1e+308
    >>> exact_sum([0.1] * 10)
    1.0
    >>> exact_sum([-0.0, -0.0])
    -0.0
    """
    values = list(values)
    special = special_sum(values)
    if special is not None:
        return special
    pairs = [to_scaled_int(v) for v in values if v != 0.0]
    if not pairs:
        return -0.0 if values and all(map(is_negative_zero, values)) else 0.0
    low = min(e for _, e in pairs)
    total = 0
    for n, e in pairs:
        total += n << (e - low)
    return round_scaled(total, low)


def _fsum_with_ieee_edges(values):
    # math.fsum is exact and fast but raises on an intermediate overflow and on
    # inf - inf, and returns +0.0 for a sum of negative zeros; send those cases
    # to the exact path so every interpreter gives the same answer.
    values = list(values)
    try:
        total = math.fsum(values)
    except (OverflowError, ValueError):
        return exact_sum(values)
    if total == 0.0:
        return exact_sum(values)
    return total


_HAVE_FSUM = hasattr(math, "fsum")


def fsum(values):
    """Correctly rounded sum of floats; the same answer as ``exact_sum``.

    Uses ``math.fsum`` where the interpreter has it (falling back to
    ``exact_sum`` for the cases ``math.fsum`` raises on or signs differently),
    and ``exact_sum`` where it does not (MicroPython).

    >>> fsum([0.1, 0.2, 0.3])
    0.6
    """
    if _HAVE_FSUM:
        return _fsum_with_ieee_edges(values)
    return exact_sum(values)
