"""Bit-level views of floats: float32 rounding and a portable ``float.hex``.

Everything here is exact.  ``struct`` is used because every interpreter nnref
targets has it (MicroPython included), while ``float.hex`` and
``sys.float_info`` are missing on MicroPython.
"""

import math
import struct

_INF = float("inf")

#: Largest finite float32, 2**128 - 2**104.
FLOAT32_MAX = 3.4028234663852886e38


def f64_bits(x):
    """The IEEE 754 binary64 bit pattern of ``x`` as an unsigned int."""
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def f64_from_bits(bits):
    """The float whose binary64 bit pattern is ``bits``."""
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def round_f32(x):
    """Round the float ``x`` to the nearest float32 (ties to even).

    The result is returned as a Python float holding that float32 value.
    Values that round past the float32 range become ``±inf`` (IEEE overflow),
    NaN stays NaN, and the sign of zero is kept.

    >>> round_f32(0.1)
    0.10000000149011612
    >>> round_f32(1e39)
    inf
    """
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        # CPython refuses to pack a finite value that rounds to inf; IEEE
        # rounding says the answer is inf of the same sign.
        return math.copysign(_INF, x)


def f32_bits(x):
    """The binary32 bit pattern of ``round_f32(x)`` as an unsigned int."""
    return struct.unpack("<I", struct.pack("<f", round_f32(x)))[0]


def f32_from_bits(bits):
    """The float32 value whose binary32 bit pattern is ``bits``, as a float."""
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _hex_by_hand(x):
    # float.hex() spelled out from the bit pattern, for interpreters that lack it.
    if x != x:
        return "nan"
    if x in (_INF, -_INF):
        return "inf" if x > 0 else "-inf"
    bits = f64_bits(x)
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
    >>> float_hex(-0.0)
    '-0x0.0p+0'
    """
    x = float(x)
    native = getattr(float, "hex", None)
    if native is not None:
        return native(x)
    return _hex_by_hand(x)
