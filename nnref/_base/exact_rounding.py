"""One correct rounding from an exact rational to binary64 or binary32.

``nnref.exact`` computes exact values (integers, or bounds on an irrational
value as fractions of integers) and needs one rounding to the result format
at the end.  Rounding to float64 first and then to float32 would round
twice and can be wrong by one float32 step (a float64 value that is exactly
a float32 midpoint after the first rounding), and rounding to 53 bits and
then scaling into the subnormals rounds twice too.  So each format is
described by its precision and range, and the rounding goes straight from
the rational to the format's nearest value:

* ``round_ratio(num, den, fmt)`` -- the value of ``fmt`` nearest to
  ``num / den`` (ties to even, gradual underflow, overflow to infinity);
* ``round_scaled_to(n, e, fmt)`` -- the same for ``n * 2**e``;
* ``round_float(x, fmt)`` -- a float64 value rounded to ``fmt``.

``fmt`` is ``"float64"`` or ``"float32"``.  Only integer arithmetic is used
until the last step, which builds a float from at most 53 bits and a power
of two, exactly.
"""

import math

from .rounding import to_scaled_int

_INF = float("inf")

# Per format: bits of precision p (with the implicit bit), the exponent of the
# last bit of the smallest subnormal, and the bound 2**top that every finite
# value lies below.
FORMATS = {
    "float64": (53, -1074, 1024),
    "float32": (24, -149, 128),
}


def _at_least_power(num, den, b):
    # Exactly: num / den >= 2**b (num, den > 0).
    if b >= 0:
        return num >= den << b
    return num << -b >= den


def round_ratio(num, den, fmt):
    """The ``fmt`` value nearest to ``num / den`` (ints, ``den > 0``), ties to even.

    Results below the normal range keep their subnormal value (one rounding);
    results that round to 2**top or beyond are ``±inf``.  A nonzero ratio
    that rounds to zero gives a zero with its sign; ``num == 0`` gives
    ``+0.0``.

    >>> round_ratio(1, 3, "float64")
    0.3333333333333333
    >>> round_ratio(1, 3, "float32")
    0.3333333432674408
    >>> round_ratio(-1, 2 ** 1075, "float64")      # half the smallest subnormal: to even, -0
    -0.0
    >>> round_ratio(3, 2 ** 151, "float32")        # 0.75 of float32's smallest subnormal: up
    1.401298464324817e-45
    """
    if num == 0:
        return 0.0
    negative = num < 0
    magnitude = -num if negative else num
    precision, min_lsb, max_top = FORMATS[fmt]
    # 2**(top-1) <= magnitude/den < 2**top
    top = magnitude.bit_length() - den.bit_length()
    if _at_least_power(magnitude, den, top):
        top += 1
    lsb = top - precision                     # weight of the last kept bit
    if lsb < min_lsb:
        lsb = min_lsb                         # gradual underflow: fewer bits kept
    if lsb <= 0:
        kept, rest = divmod(magnitude << -lsb, den)
        unit = den                            # rest / unit is the dropped fraction of a bit
    else:
        unit = den << lsb
        kept, rest = divmod(magnitude, unit)
    twice = rest << 1
    if twice > unit or (twice == unit and kept & 1):
        kept += 1
    if kept.bit_length() + lsb > max_top:
        result = _INF
    else:
        # kept <= 2**53, so float(kept) is exact, and so is the scaling.
        result = math.ldexp(float(kept), lsb)
    return -result if negative else result


def round_scaled_to(n, e, fmt):
    """The ``fmt`` value nearest to ``n * 2**e`` (ints), ties to even.

    >>> round_scaled_to(2 ** 24 + 1, 0, "float32")   # a tie: to even
    16777216.0
    >>> round_scaled_to(2 ** 24 + 1, 0, "float64")
    16777217.0
    """
    if e >= 0:
        return round_ratio(n << e, 1, fmt)
    return round_ratio(n, 1 << -e, fmt)


def round_float(x, fmt):
    """The float ``x`` rounded to ``fmt``: NaN, ``±inf`` and signed zeros unchanged.

    >>> round_float(0.1, "float32")
    0.10000000149011612
    >>> round_float(-1e300, "float32")
    -inf
    """
    if fmt == "float64" or x != x or x - x != 0.0 or x == 0.0:
        return x
    n, e = to_scaled_int(x)
    return round_scaled_to(n, e, fmt)
