"""Exact arithmetic on floats, and the one correctly rounded way back to a float.

A finite float is an integer times a power of two, so sums and products of
floats are exact in Python's unbounded integers.  The only inexact step is the
final rounding to binary64, done here by hand (round half to even, gradual
underflow, overflow to infinity) rather than by ``float(int)`` or ``int / int``:
MicroPython truncates the first and computes the second through floats.

The helpers:

* ``to_scaled_int(x)`` -- the exact ``(n, e)`` with ``x == n * 2**e``;
* ``round_scaled(n, e)`` -- the float nearest to ``n * 2**e``;
* ``exact_sum(values)`` -- the correctly rounded sum, with IEEE special values;
* ``fsum`` -- ``math.fsum`` where it exists, else ``exact_sum``.
"""

import math

_INF = float("inf")
_NAN = float("nan")

_PRECISION = 53        # bits in a binary64 significand
_MIN_LSB = -1074       # exponent of the last bit of the smallest subnormal
_MAX_TOP = 1024        # every finite float is below 2**1024
_TWO_53 = 9007199254740992.0

if hasattr(1, "bit_length"):
    def _bit_length(n):
        return n.bit_length()
else:
    def _bit_length(n):
        # int.bit_length is missing on MicroPython: count in 64-bit strides, then bits.
        n = -n if n < 0 else n
        length = 0
        while n >> 64:
            n >>= 64
            length += 64
        while n:
            n >>= 1
            length += 1
        return length


def to_scaled_int(x):
    """Return ``(n, e)`` with ``x == n * 2**e`` exactly, for a finite float ``x``.

    ``|n| < 2**53``.  Zeros give ``(0, 0)`` (their sign is lost; callers that
    care about ``-0.0`` look at the float itself).

    >>> to_scaled_int(0.75)
    (3, -2)
    """
    if x == 0.0:
        return 0, 0
    mantissa, exponent = math.frexp(x)
    n = int(mantissa * _TWO_53)  # exact: scaling by a power of two
    e = exponent - _PRECISION
    # Strip trailing zero bits so the integers that later sums shift stay short.
    zeros = _bit_length(n & -n) - 1
    return n >> zeros, e + zeros


def round_scaled(n, e):
    """The binary64 value nearest to ``n * 2**e`` (ties to even).

    ``n`` and ``e`` are integers.  Results below the normal range keep their
    subnormal value (one rounding, not two); results at or past 2**1024 after
    rounding are ``±inf``.  A nonzero ``n`` whose value rounds to zero gives a
    zero with the sign of ``n``; ``n == 0`` gives ``+0.0``.

    >>> round_scaled(3, -2)
    0.75
    >>> round_scaled(2**53 + 1, 0) == 2.0**53   # a tie: to even
    True
    >>> round_scaled(1, -1075)                  # half the smallest subnormal: to even, 0
    0.0
    >>> round_scaled(3, -1076)                  # 0.75 of it: up
    5e-324
    """
    if n == 0:
        return 0.0
    negative = n < 0
    magnitude = -n if negative else n
    top = _bit_length(magnitude) + e          # magnitude * 2**e < 2**top
    lsb = top - _PRECISION                    # weight of the last kept bit
    if lsb < _MIN_LSB:
        lsb = _MIN_LSB                        # gradual underflow: fewer bits kept
    shift = lsb - e
    if shift > 0:
        kept = magnitude >> shift
        dropped = magnitude - (kept << shift)
        half = 1 << (shift - 1)
        if dropped > half or (dropped == half and kept & 1):
            kept += 1
    else:
        kept, lsb = magnitude, e              # already representable
    if _bit_length(kept) + lsb > _MAX_TOP:
        result = _INF
    else:
        # kept <= 2**53, so float(kept) is exact even where float(int) truncates.
        result = math.ldexp(float(kept), lsb)
    return -result if negative else result


def is_negative_zero(x):
    """True for ``-0.0`` only (``-0.0 == 0.0``, so the sign bit has to be asked for)."""
    return x == 0.0 and math.copysign(1.0, x) < 0.0


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
