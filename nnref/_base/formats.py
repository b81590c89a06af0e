"""The float formats: one table, and every exact conversion into and out of them.

Each format nnref computes in is one ``Format`` record, built from its two
field widths; everything else about it (precision, exponent range, largest
value, digits needed to round-trip) is derived from those in one place.
``FORMATS`` maps the ``dtype`` names to the records:

>>> for fmt in (FLOAT64, FLOAT32, FLOAT16, BFLOAT16):
...     print(fmt.name, fmt.total_bits, fmt.exponent_bits, fmt.fraction_bits, fmt.precision,
...           fmt.min_exponent, fmt.max_exponent, fmt.min_lsb, fmt.max_top, fmt.round_trip_digits)
float64 64 11 52 53 -1022 1023 -1074 1024 17
float32 32 8 23 24 -126 127 -149 128 9
float16 16 5 10 11 -14 15 -24 16 5
bfloat16 16 8 7 8 -126 127 -133 128 4

(bits in all, exponent bits, stored fraction bits, precision p, the
exponents of the smallest and largest normal binades, of the smallest
subnormal and of the overflow bound, and the decimal digits that
round-trip; see ``Format``).

The helpers, all exact (no step rounds except where a rounding is named):

* ``check_dtype(dtype, func)`` -- the ``Format`` named ``dtype``, or the one
  ``ValueError``;
* ``is_finite(x)``, ``all_finite(values)``, ``is_negative_zero(x)``;
* ``to_scaled_int(x)`` -- the exact ``(n, e)`` with ``x == n * 2**e``;
* ``round_scaled(n, e, fmt)`` -- the value of ``fmt`` nearest ``n * 2**e``:
  the one rounding from exact integers to a float;
* ``round_ratio(num, den, fmt)`` -- the same for ``num / den``, reduced
  exactly to ``round_scaled``;
* ``round_float(x, fmt)`` and ``round_f32(x)`` -- a float rounded to ``fmt``;
* ``to_bits(x, fmt)`` and ``from_bits(n, fmt)`` -- IEEE bit patterns;
* ``float_hex(x)`` -- ``float.hex`` on every interpreter;
* ``bit_length(n)`` -- ``int.bit_length`` on every interpreter.

Values of every format are held in Python floats (binary64), so a format
here is at most as wide as binary64.  Only ``struct`` codes ``'d'`` and
``'f'`` are used (never ``'e'``, which MicroPython lacks); a format without
one gets its bits computed from its value.  ``float(int)`` and ``int / int``
are never used to round: MicroPython truncates the first and computes the
second through floats, and for float32 either would round twice.
"""

import math
import struct

_INF = float("inf")

if hasattr(1, "bit_length"):
    def bit_length(n):
        """The number of bits of ``|n|``: ``int.bit_length``, which MicroPython lacks.

        >>> bit_length(0), bit_length(1), bit_length(-255), bit_length(2 ** 64)
        (0, 1, 8, 65)
        """
        return n.bit_length()
else:
    def bit_length(n):
        # Count in 64-bit strides, then bit by bit.
        n = -n if n < 0 else n
        length = 0
        while n >> 64:
            n >>= 64
            length += 64
        while n:
            n >>= 1
            length += 1
        return length


# --- the table -------------------------------------------------------------------

class Format(object):
    """One IEEE 754 binary format, derived from its field widths.

    ``Format(name, exponent_bits, fraction_bits, struct_codes=None)``; with
    w = ``exponent_bits`` and t = ``fraction_bits`` (the stored fraction,
    without the implicit bit), the attributes are:

    - ``total_bits`` = 1 + w + t (sign, exponent, fraction), and
      ``sign_bit`` = 2**(total_bits - 1), the sign's place in a bit pattern;
    - ``precision`` p = t + 1 significant bits, the implicit one included;
    - ``bias`` = 2**(w-1) - 1; ``min_exponent`` emin = 1 - bias and
      ``max_exponent`` emax = bias, so the normal values are
      ``m * 2**e`` with 1 <= m < 2 and emin <= e <= emax;
    - ``min_lsb`` = emin - t: the smallest subnormal is ``2**min_lsb``, and
      every value is a multiple of it;
    - ``max_top`` = emax + 1: every finite value is below ``2**max_top``,
      and a result that rounds to ``2**max_top`` or beyond overflows;
    - ``max_finite`` = (2 - 2**-t) * 2**emax, ``smallest_normal`` = 2**emin,
      ``smallest_subnormal`` = 2**min_lsb (as floats);
    - ``round_trip_digits``: the significant decimal digits that always
      read back as the same value, the least d with 10**(d-1) > 2**p
      (IEEE 754's 1 + ceil(p * log10(2)): 17 for float64, 9 for float32).

    ``struct_codes`` is a pair of ``struct`` formats (value, bits) for the
    formats ``struct`` packs natively, ``("<d", "<Q")`` and ``("<f", "<I")``;
    other formats get their bits computed from their values.

    >>> FLOAT32.precision, FLOAT32.min_lsb, FLOAT32.max_top, FLOAT32.round_trip_digits
    (24, -149, 128, 9)
    >>> FLOAT32.max_finite == (2 - 2 ** -23) * 2 ** 127
    True
    """

    def __init__(self, name, exponent_bits, fraction_bits, struct_codes=None):
        self.name = name
        self.exponent_bits = exponent_bits
        self.fraction_bits = fraction_bits
        self.total_bits = 1 + exponent_bits + fraction_bits
        self.sign_bit = 1 << (self.total_bits - 1)
        self.precision = fraction_bits + 1
        self.bias = (1 << (exponent_bits - 1)) - 1
        self.min_exponent = 1 - self.bias
        self.max_exponent = self.bias
        self.min_lsb = self.min_exponent - fraction_bits
        self.max_top = self.max_exponent + 1
        self.max_finite = math.ldexp(float((1 << self.precision) - 1),
                                     self.max_top - self.precision)
        self.smallest_normal = math.ldexp(1.0, self.min_exponent)
        self.smallest_subnormal = math.ldexp(1.0, self.min_lsb)
        digits = 1
        while 10 ** (digits - 1) <= 1 << self.precision:
            digits += 1
        self.round_trip_digits = digits
        self.struct_codes = struct_codes

    def __repr__(self):
        return "<float format %s>" % self.name


FLOAT64 = Format("float64", 11, 52, ("<d", "<Q"))
FLOAT32 = Format("float32", 8, 23, ("<f", "<I"))
# IEEE 754 binary16.
FLOAT16 = Format("float16", 5, 10)
# bfloat16: float32's sign and 8 exponent bits with 7 stored fraction bits
# (precision 8), subnormals kept (down to 2**-133), as ml_dtypes and PyTorch's
# CPU kernels hold them.
BFLOAT16 = Format("bfloat16", 8, 7)

# A row per format, in the order error messages name them.
_ALL = (FLOAT64, FLOAT32, FLOAT16, BFLOAT16)

#: The formats by dtype name.
FORMATS = dict((fmt.name, fmt) for fmt in _ALL)

# "'float64' or 'float32'"; with more rows "'a', 'b' or 'c'".
_NAMES = ["%r" % fmt.name for fmt in _ALL]
_DTYPE_NAMES = ", ".join(_NAMES[:-1]) + " or " + _NAMES[-1] if len(_NAMES) > 1 else _NAMES[0]


def check_dtype(dtype, func, name="dtype"):
    """The ``Format`` named by the string ``dtype``; ``ValueError`` for anything else.

    ``func`` and ``name`` start the message, which lists the formats.
    Anything but one of the names (another string, ``None``, a number, a
    ``Format`` record) is a ``ValueError`` with that one message.

    >>> check_dtype("float32", "ulp")
    <float format float32>
    >>> check_dtype("float8", "ulp")
    Traceback (most recent call last):
        ...
    ValueError: ulp: dtype must be 'float64', 'float32', 'float16' or 'bfloat16', got 'float8'
    """
    fmt = FORMATS.get(dtype) if isinstance(dtype, str) else None
    if fmt is None:
        raise ValueError("%s: %s must be %s, got %r" % (func, name, _DTYPE_NAMES, dtype))
    return fmt


# --- classifying values ----------------------------------------------------------
# x - x is 0 for a finite float and for an int of any size, and NaN for NaN and
# +-inf (inf - inf is NaN), so x - x == 0.0 is the finiteness test that is right
# on every interpreter.  math.isfinite exists everywhere too, and is as fast (a
# loop of 100000 floats: about 28 ns per element inline or bound to a local, on
# CPython 3.11; about 350 vs 300 ns on MicroPython), but it converts an int to a
# float first: CPython raises OverflowError past 2**1024, MicroPython says
# False.  A call of is_finite costs about twice the bare expression, so loops
# over many values use all_finite, which tests them with one C-level sum.

def is_finite(x):
    """True if the float or int ``x`` is finite: not NaN, ``inf`` or ``-inf``.

    Formula: ``x - x == 0.0``.  Any int is finite, however large.

    >>> is_finite(1e308), is_finite(-0.0), is_finite(2 ** 2000)
    (True, True, True)
    >>> is_finite(float("inf")), is_finite(float("-inf")), is_finite(float("nan"))
    (False, False, False)
    """
    return x - x == 0.0


def all_finite(values):
    """True if every float in the list or tuple ``values`` is finite (``True`` for none).

    One C-level ``sum``: a sum is finite only if every term is (NaN and
    infinities propagate, and ``inf - inf`` is NaN).  Only if the sum is not
    finite (an infinite or NaN term, or finite terms whose float sum
    overflows) are the values looked at one by one.

    >>> all_finite([1.0, -2.5, 1e308, 1e308]), all_finite([])
    (True, True)
    >>> all_finite([1.0, float("nan")]), all_finite((float("inf"), float("-inf")))
    (False, False)
    """
    total = sum(values)
    if total - total == 0.0:
        return True
    for v in values:
        if v - v != 0.0:
            return False
    return True


def is_negative_zero(x):
    """True for ``-0.0`` only (``-0.0 == 0.0``, so the sign bit has to be asked for).

    >>> is_negative_zero(-0.0), is_negative_zero(0.0), is_negative_zero(-1.0)
    (True, False, False)
    """
    return x == 0.0 and math.copysign(1.0, x) < 0.0


# --- exact integers and the one rounding -----------------------------------------

_TWO_53 = 9007199254740992.0


def to_scaled_int(x):
    """Return ``(n, e)`` with ``x == n * 2**e`` exactly, for a finite float ``x``.

    ``n`` is odd (trailing zero bits are moved into ``e``) and
    ``|n| < 2**53``.  Zeros give ``(0, 0)`` (their sign is lost; callers that
    care about ``-0.0`` look at the float itself).

    >>> to_scaled_int(0.75), to_scaled_int(-5e-324), to_scaled_int(0.0)
    ((3, -2), (-1, -1074), (0, 0))
    """
    if x == 0.0:
        return 0, 0
    mantissa, exponent = math.frexp(x)
    n = int(mantissa * _TWO_53)  # exact: scaling by a power of two
    e = exponent - 53
    # Strip trailing zero bits so the integers that later sums shift stay short.
    zeros = bit_length(n & -n) - 1
    return n >> zeros, e + zeros


def round_scaled(n, e, fmt=FLOAT64):
    """The ``fmt`` value nearest to ``n * 2**e`` (ints), ties to even.

    This is nnref's one rounding from an exact value to a float; every other
    rounding of integers reduces to it.  The last kept bit has weight
    ``2**lsb`` with ``lsb = max(top - p, min_lsb)``, where
    ``2**(top-1) <= |n| * 2**e < 2**top``: below the normal range fewer bits
    are kept (gradual underflow, one rounding, not two).  The bits below it
    are dropped, rounding up past half and, at exactly half, to an even last
    bit.  A result that reaches ``2**max_top`` is ``±inf``.  A nonzero ``n``
    whose value rounds to zero gives a zero with the sign of ``n``; ``n == 0``
    gives ``+0.0``.  The result is a Python float holding the ``fmt`` value.

    >>> round_scaled(3, -2)
    0.75
    >>> round_scaled(2 ** 53 + 1, 0) == 2.0 ** 53          # a tie: to even
    True
    >>> round_scaled(2 ** 24 + 1, 0, FLOAT32), round_scaled(2 ** 24 + 1, 0)
    (16777216.0, 16777217.0)
    >>> round_scaled(1, -1075), round_scaled(3, -1076)     # half and 0.75 of 5e-324
    (0.0, 5e-324)
    >>> round_scaled(-1, -1080), round_scaled(2 ** 128 - 2 ** 103, 0, FLOAT32)
    (-0.0, inf)
    """
    if n == 0:
        return 0.0
    negative = n < 0
    magnitude = -n if negative else n
    top = bit_length(magnitude) + e           # magnitude * 2**e < 2**top
    lsb = top - fmt.precision                 # weight of the last kept bit
    if lsb < fmt.min_lsb:
        lsb = fmt.min_lsb                     # gradual underflow: fewer bits kept
    shift = lsb - e
    if shift > 0:
        kept = magnitude >> shift
        dropped = magnitude - (kept << shift)
        half = 1 << (shift - 1)
        if dropped > half or (dropped == half and kept & 1):
            kept += 1
    else:
        kept, lsb = magnitude, e              # already representable
    if bit_length(kept) + lsb > fmt.max_top:
        result = _INF
    else:
        # kept <= 2**p <= 2**53, so float(kept) is exact even where float(int)
        # truncates, and so is the scaling by a power of two.
        result = math.ldexp(float(kept), lsb)
    return -result if negative else result


def round_ratio(num, den, fmt=FLOAT64):
    """The ``fmt`` value nearest to ``num / den`` (ints, ``den > 0``), ties to even.

    Special cases and range as for ``round_scaled``, to which it reduces
    exactly: with ``s`` chosen so that ``q = floor(|num| * 2**s / den)`` has
    at least p + 2 bits, the value lies in ``[q, q + 1) * 2**-s``, and every
    value of ``fmt`` there and every midpoint between two of them is a
    multiple of ``2**(1-s)``.  So ``(2q + 1) * 2**(-s-1)``, strictly inside
    the same interval, rounds as the true value does when the division
    leaves a remainder, and ``2q * 2**(-s-1)`` is the value when it does not.

    >>> round_ratio(1, 3), round_ratio(1, 3, FLOAT32)
    (0.3333333333333333, 0.3333333432674408)
    >>> round_ratio(-1, 2 ** 1075)                # half the smallest subnormal: to even, -0
    -0.0
    >>> round_ratio(3, 2 ** 151, FLOAT32)         # 0.75 of float32's smallest subnormal: up
    1.401298464324817e-45
    """
    if num == 0:
        return 0.0
    negative = num < 0
    magnitude = -num if negative else num
    s = fmt.precision + 2 + bit_length(den) - bit_length(magnitude)
    if s >= 0:
        q, rest = divmod(magnitude << s, den)
    else:
        q, rest = divmod(magnitude, den << -s)
    result = round_scaled((q << 1) | (1 if rest else 0), -s - 1, fmt)
    return -result if negative else result


def round_f32(x):
    """The float ``x`` rounded to the nearest float32 (ties to even), by ``struct``.

    The fast form of ``round_float(x, FLOAT32)`` (``struct``'s C cast rounds
    correctly; the tests check it against ``round_scaled``).  Values that
    round past the float32 range become ``±inf`` (IEEE overflow), NaN stays
    NaN, and the sign of zero is kept.

    >>> round_f32(0.1)
    0.10000000149011612
    >>> round_f32(1e39), round_f32(-1e39)
    (inf, -inf)
    """
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        # CPython refuses to pack a finite value that rounds to inf; IEEE
        # rounding says the answer is inf of the same sign.
        return math.copysign(_INF, x)


def round_float(x, fmt):
    """The float ``x`` rounded to ``fmt``, ties to even; NaN, ``±inf`` and zeros unchanged.

    Identity for float64; ``round_f32`` for float32; ``round_scaled`` of the
    exact value for other formats.  Values past the range become ``±inf``.

    >>> round_float(0.1, FLOAT32), round_float(0.1, FLOAT64)
    (0.10000000149011612, 0.1)
    >>> round_float(-1e300, FLOAT32)
    -inf
    """
    if fmt is FLOAT64:
        return x
    if fmt is FLOAT32:
        return round_f32(x)
    return _round_float_exactly(x, fmt)


def _round_float_exactly(x, fmt):
    # round_float by integer arithmetic, for formats struct does not know.
    if not is_finite(x) or x == 0.0:
        return x
    n, e = to_scaled_int(x)
    return round_scaled(n, e, fmt)


# --- bit patterns ----------------------------------------------------------------

def to_bits(x, fmt=FLOAT64):
    """The IEEE bit pattern of the float ``x`` rounded to ``fmt``, as an unsigned int.

    Sign bit first, then the biased exponent, then the stored fraction, in
    ``fmt.total_bits`` bits.  NaN gives a quiet NaN (for float64 and
    float32, the pattern ``struct`` gives, payload kept; for other formats
    the default quiet NaN of the sign of ``x``).

    >>> hex(to_bits(1.0)), hex(to_bits(-2.0, FLOAT32)), to_bits(5e-324)
    ('0x3ff0000000000000', '0xc0000000', 1)
    """
    codes = fmt.struct_codes
    if codes is None:
        return _bits_from_value(round_float(x, fmt), fmt)
    try:
        # Packing rounds to the format, as round_f32 does.
        return struct.unpack(codes[1], struct.pack(codes[0], x))[0]
    except OverflowError:
        # CPython's answer for a finite x that rounds past the range: IEEE says inf.
        return to_bits(math.copysign(_INF, x), fmt)


def from_bits(n, fmt=FLOAT64):
    """The ``fmt`` value whose bit pattern is the unsigned int ``n``, as a float.

    >>> from_bits(0x3ff0000000000000), from_bits(0x3f800001, FLOAT32)
    (1.0, 1.0000001192092896)
    >>> from_bits(0x7f800000, FLOAT32), from_bits(0x80000000, FLOAT32)
    (inf, -0.0)
    """
    codes = fmt.struct_codes
    if codes is None:
        return _value_from_bits(n, fmt)
    return struct.unpack(codes[0], struct.pack(codes[1], n))[0]


def _bits_from_value(v, fmt):
    # The bit pattern of v, a value of fmt, computed from its exact value.
    t = fmt.fraction_bits
    sign = fmt.sign_bit if math.copysign(1.0, v) < 0.0 else 0
    all_ones = (1 << fmt.exponent_bits) - 1
    if v != v:
        return sign | all_ones << t | 1 << (t - 1)
    if not is_finite(v):
        return sign | all_ones << t
    if v == 0.0:
        return sign
    n, e = to_scaled_int(v)
    n = -n if n < 0 else n
    if abs(v) < fmt.smallest_normal:
        return sign | n << (e - fmt.min_lsb)            # subnormal: multiples of 2**min_lsb
    exponent = bit_length(n) - 1 + e                    # 2**exponent <= |v| < 2**(exponent+1)
    significand = n << (t - exponent + e)               # p bits, the leading one included
    return sign | (exponent + fmt.bias) << t | (significand - (1 << t))


def _value_from_bits(n, fmt):
    # The value of the bit pattern n of fmt, computed from its fields.
    t = fmt.fraction_bits
    negative = n >> (fmt.total_bits - 1)
    biased = (n >> t) & ((1 << fmt.exponent_bits) - 1)
    fraction = n & ((1 << t) - 1)
    if biased == (1 << fmt.exponent_bits) - 1:
        value = float("nan") if fraction else _INF
    elif biased == 0:
        value = math.ldexp(float(fraction), fmt.min_lsb)
    else:
        value = math.ldexp(float(fraction | 1 << t), biased - fmt.bias - t)
    return -value if negative else value


def _hex_by_hand(x):
    # float.hex() spelled out from the bit pattern, for interpreters that lack it.
    if x != x:
        return "nan"
    if not is_finite(x):
        return "inf" if x > 0 else "-inf"
    bits = to_bits(x)
    sign = "-" if bits >> 63 else ""
    exponent = (bits >> 52) & 0x7FF
    fraction = bits & ((1 << 52) - 1)
    if exponent == 0 and fraction == 0:
        return sign + "0x0.0p+0"
    lead, power = (0, -1022) if exponent == 0 else (1, exponent - 1023)
    digits = "%013x" % fraction
    return "%s0x%d.%sp%+d" % (sign, lead, digits, power)


def float_hex(x):
    """``float.hex(x)``, also where the interpreter lacks it (MicroPython).

    >>> float_hex(1.5)
    '0x1.8000000000000p+0'
    >>> float_hex(-0.0), float_hex(5e-324)
    ('-0x0.0p+0', '0x0.0000000000001p-1022')
    """
    x = float(x)
    native = getattr(float, "hex", None)
    if native is not None:
        return native(x)
    return _hex_by_hand(x)
