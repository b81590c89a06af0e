"""Correctly rounded sigmoid and softmax: bounds from ``decimal``, Ziv's loop.

The one fact relied on
----------------------
Python documents ``Decimal.exp`` as correctly rounded: "The function always
uses the ROUND_HALF_EVEN mode and the result is correctly rounded"
(https://docs.python.org/3/library/decimal.html#decimal.Decimal.exp; the
same sentence is the method's docstring in CPython 3.6 to 3.13, whose
``decimal`` is libmpdec.  PyPy 3.9 runs the pure-Python ``_pydecimal``,
which documents the same module and raises its working precision until the
rounding is unambiguous).  So at a precision of P digits the result ``r`` is
within half a unit in its last place of e^x.  ``exp_bounds`` widens that to
a whole unit, ``10**k`` with ``k = r.adjusted() - P + 1`` (the unit of the
P-digit grid at ``r``, which is at least the unit at e^x even when e^x
rounded up to a power of ten), so e^x lies in ``[r - 10**k, r + 10**k]``.

Everything else is exact: floats and their differences become ``Decimal``
values without rounding (constructors and ``copy_negate`` do not round),
``exp`` is the only rounding operation, and the bounds are combined as
fractions of Python ints and rounded once each by ``round_ratio``,
directly to the target format (float64, float32, float16 or bfloat16, with
its subnormals and its overflow to ``±inf``): no bound is rounded to a
wider format first, so no result is rounded twice.

Ziv's strategy
--------------
The true value lies between two exact bounds.  If both round to the same
value of the format, that value is the correctly rounded result (rounding
is monotonic, so everything between the bounds rounds to it too).  If not,
the precision doubles and the bounds are computed again.  The loop ends because the true
value is never exactly halfway between two floats: for a rational x != 0,
e^x is transcendental (Lindemann), so sigmoid(x) = 1/(1 + e^-x) is
irrational; a softmax output is 1 / sum_j e^(x_j - x_i), and by the
Lindemann-Weierstrass theorem that sum is algebraic only when every finite
x_j equals x_i, when the output is 1/n -- exact if n is a power of two,
else not a dyadic rational at all.  None of this depends on the format:
its midpoints are dyadic rationals too.  (A cap on the precision turns a
broken proof into an error instead of an endless loop.)

The working precision
---------------------
The loop starts at 30 digits whatever the format.  The widest format,
float64, needs 17 digits to tell its values apart, so 30 settles almost
every float64 case at once; narrower formats (float32 9 digits, float16 5,
bfloat16 4) settle at once even more often.  Their subnormal results
(float16's lie between 2**-24 = 5.96e-8 and 2**-14, sigmoid(-16.6) to
sigmoid(-9.7)) are bounded with the same relative precision as any other
value, since ``exp`` is correct to 30 significant digits however small its
result; ``round_ratio`` then rounds each bound with the format's fixed
subnormal quantum, half-way cases included.  A narrower start for the
narrow formats would save at most about a third of the time (on CPython
3.11, ``Decimal.exp`` takes about 17 µs at 30 digits and 8 µs at 15, of
some 30 µs per result); one rule for every format is kept instead.
"""

import decimal
from decimal import Decimal

from .._base.formats import round_ratio, to_scaled_int

_INF = float("inf")
_NAN = float("nan")

_FIRST_DIGITS = 30         # float64, the widest format, needs 17; 30 settles almost every case
_MAX_DIGITS = 1 << 16      # unreachable by the argument above; an error, not a hang

_contexts = {}


def _context(digits):
    # Round half even at `digits` digits; any underflow or overflow would
    # break the error bound, so it raises instead.  Results here lie in
    # [10**-(2 * digits + 400), 1], far inside the exponent range.
    context = _contexts.get(digits)
    if context is None:
        context = decimal.Context(
            prec=digits, rounding=decimal.ROUND_HALF_EVEN, Emin=-999999, Emax=999999,
            traps=[decimal.InvalidOperation, decimal.DivisionByZero,
                   decimal.Overflow, decimal.Underflow])
        _contexts[digits] = context
    return context


def exp_bounds(arg, digits):
    """``(low, high, k)`` with ``low * 10**k <= e**arg <= high * 10**k``, ``0 < low``.

    ``arg`` is an exact ``Decimal``; ``high - low == 2``, so the bounds are
    two units apart at ``digits`` significant digits.

    >>> low, high, k = exp_bounds(Decimal(1), 10)
    >>> (low, high, k)
    (2718281827, 2718281829, -9)
    """
    context = _context(digits)
    r = arg.exp(context)
    k = r.adjusted() - digits + 1             # the unit of r's last digit
    # r * 10**-k is an integer of at most `digits` digits, so scaleb is exact.
    units = int(r.scaleb(-k, context))
    return units - 1, units + 1, k


def _ratio_parts(units, k):
    # units * 10**k as (numerator, denominator).
    if k >= 0:
        return units * 10 ** k, 1
    return units, 10 ** -k


def _too_many_digits(what):
    return ArithmeticError("nnref.exact: %s did not settle below %d digits; "
                           "please report this input" % (what, _MAX_DIGITS))


# --- sigmoid ---------------------------------------------------------------------

# Shortcuts for arguments whose answer is certain without decimal, and where
# Decimal(x).exp() would underflow or be slow (x = -1e308):
#
# * x >= 38: 1 - sigmoid(x) = e^-x / (1 + e^-x) < e^-x <= e^-38 < 3.2e-17,
#   below 2**-54 = 5.55e-17.  So sigmoid(x) > 1 - 2**-54, the midpoint between
#   1 and the float64 below it (1 - 2**-53): the result is 1.0.  A format of
#   precision p has its midpoint below 1 at 1 - 2**-(p+1), and p <= 53 for
#   every format in the table (float32 1 - 2**-25, float16 1 - 2**-12,
#   bfloat16 1 - 2**-9: lower still), so it is 1.0 in each of them.
# * x <= -746: sigmoid(x) = e^x / (1 + e^x) < e^x <= e^-746 < 1.1e-324, below
#   2**-1075 = 2.47e-324, half of float64's smallest subnormal: the result
#   rounds to +0.0.  Every other format's half-subnormal is larger still
#   (float32 2**-150, bfloat16 2**-134, float16 2**-25).
# Narrower formats reach 1.0 and +0.0 much sooner (float16 past 8.32 and
# below -17.33), but those results come out of the general path, which
# rounds them correctly; tests/test_exact_narrow.py checks these two
# shortcuts against every row of the table.
_ONE_FROM = 38.0
_ZERO_TO = -746.0


def sigmoid(x, fmt):
    """The ``fmt`` value nearest to 1 / (1 + e^-x) for the float ``x``.

    >>> from nnref._base.formats import FLOAT64
    >>> sigmoid(1.0, FLOAT64)
    0.7310585786300049
    >>> sigmoid(-745.0, FLOAT64)
    5e-324
    """
    if x != x:
        return x
    if x >= _ONE_FROM:
        return 1.0
    if x <= _ZERO_TO:
        return 0.0
    if x == 0.0:
        return 0.5
    positive = x > 0.0
    # Exponentiate a non-positive argument: e^-x for x > 0, e^x for x < 0.
    arg = Decimal(x).copy_negate() if positive else Decimal(x)
    digits = _FIRST_DIGITS
    while digits <= _MAX_DIGITS:
        low, high, k = exp_bounds(arg, digits)
        low, den = _ratio_parts(low, k)
        high, _ = _ratio_parts(high, k)
        # e lies in [low/den, high/den]
        if positive:
            # 1/(1 + e) decreases with e
            lower = round_ratio(den, den + high, fmt)
            upper = round_ratio(den, den + low, fmt)
        else:
            # e/(1 + e) increases with e
            lower = round_ratio(low, den + low, fmt)
            upper = round_ratio(high, den + high, fmt)
        if lower == upper:
            return lower
        digits *= 2
    raise _too_many_digits("sigmoid(%r)" % (x,))


# --- softmax ---------------------------------------------------------------------

# An output whose exponent difference x_i - max is below -746 is +0.0: it is
# e^(x_i - max) / S with S >= 1 (the max's own term is e^0 = 1), so it is
# below e^-746 < 2**-1075, half of float64's smallest subnormal (and a
# fortiori of every narrower format's), as for sigmoid above.
_ZERO_BELOW = 746


def _below(units, low, bound):
    # Exactly: units * 2**low < -bound (bound a positive int).
    if low >= 0:
        return units << low < -bound
    return units < -(bound << -low)


def _exact_decimal(units, low, fives):
    # units * 2**low as an exact Decimal; fives == 5**-low when low < 0, since
    # 2**-j == 5**j * 10**-j.
    if low >= 0:
        return Decimal(units << low)
    return Decimal("%de%d" % (units * fives, low))


def _softmax_try(differences, low, decimals, fives, digits, fmt):
    # One pass at `digits` digits: the row's outputs, or None if some
    # output's bounds round to different floats.  differences[j] is
    # (x_j - max) / 2**low, an int, or None for -inf.
    #
    # Terms far below the max are left out of the sum, each bounded by
    # 0 < e^d < e^-drop < 10**-(digits + 10) (2.31 > ln 10); terms kept are
    # all those that can give a nonzero output (d >= -746).
    drop = max(_ZERO_BELOW, 231 * (digits + 10) // 100 + 1)
    floor_k = -(digits + 10)
    bounds = []
    dropped = 0
    for j, units in enumerate(differences):
        if units is None or _below(units, low, drop):
            bounds.append(None)
            dropped += units is not None
        elif units == 0:
            bounds.append((1, 1, 0))          # e^0 = 1 exactly
        else:
            if decimals[j] is None:
                decimals[j] = _exact_decimal(units, low, fives)
            bounds.append(exp_bounds(decimals[j], digits))
    k_min = min([floor_k] + [b[2] for b in bounds if b is not None])
    # The sum S lies in [sum_low, sum_high] * 10**k_min.
    sum_low = sum_high = 0
    for b in bounds:
        if b is not None:
            scale = 10 ** (b[2] - k_min)
            sum_low += b[0] * scale
            sum_high += b[1] * scale
    sum_high += dropped * 10 ** (floor_k - k_min)
    out = []
    for units, b in zip(differences, bounds):
        if units is None or _below(units, low, _ZERO_BELOW):
            out.append(0.0)
            continue
        scale = 10 ** (b[2] - k_min)
        lower = round_ratio(b[0] * scale, sum_high, fmt)
        upper = round_ratio(b[1] * scale, sum_low, fmt)
        if lower != upper:
            return None
        out.append(lower)
    return out


def softmax_row(row, fmt):
    """The ``fmt`` values nearest to e^x_i / sum_j e^x_j for a list of floats.

    A row holding NaN or +inf, or only -inf, is all NaN; -inf elements give
    +0.0; an empty row gives ``[]``.

    >>> from nnref._base.formats import FLOAT32, FLOAT64
    >>> softmax_row([0.0, 0.0, 0.0], FLOAT64)
    [0.3333333333333333, 0.3333333333333333, 0.3333333333333333]
    >>> softmax_row([0.0, float("-inf")], FLOAT32)
    [1.0, 0.0]
    """
    finite = []
    for v in row:
        if v != v or v == _INF:
            return [_NAN] * len(row)
        if v != -_INF:
            finite.append(v)
    if not finite:
        return [_NAN] * len(row)
    # The differences x_j - max, exactly, as ints over one power of two.
    pairs = [None if v == -_INF else to_scaled_int(v) for v in row]
    top_n, top_e = to_scaled_int(max(finite))
    low = min([top_e] + [p[1] for p in pairs if p is not None])
    top = top_n << (top_e - low)
    differences = [None if p is None else (p[0] << (p[1] - low)) - top for p in pairs]
    fives = 5 ** -low if low < 0 else 1
    decimals = [None] * len(row)
    digits = _FIRST_DIGITS
    while digits <= _MAX_DIGITS:
        out = _softmax_try(differences, low, decimals, fives, digits, fmt)
        if out is not None:
            return out
        digits *= 2
    raise _too_many_digits("softmax(%r)" % (row,))
