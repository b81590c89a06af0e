"""Float helpers the tests share: bit patterns, bitwise sameness, ULP steps, float32, hex,
naive sums.

They are written with ``struct`` and ``array`` alone and never call nnref:
``nnref.testing`` (ULP distances) and ``nnref._base.formats`` (bit views,
float32 rounding) are among what the tests check, so the tests must not
measure nnref with itself.  Test modules import them as ``from support
import ...`` (pytest puts this folder on ``sys.path``, as there is no
``__init__.py``).
"""

import array
import struct

# dtype -> (struct format of the float, struct format of its bit pattern)
_FORMATS = {"float64": ("<d", "<Q"), "float32": ("<f", "<I")}


def bits(x, dtype="float64"):
    """The IEEE bit pattern of ``x`` as an unsigned int (``dtype="float32"``: of a float32 value)."""
    value_format, bits_format = _FORMATS[dtype]
    return struct.unpack(bits_format, struct.pack(value_format, x))[0]


def from_bits(n, dtype="float64"):
    """The float whose IEEE bit pattern is the unsigned int ``n``."""
    value_format, bits_format = _FORMATS[dtype]
    return struct.unpack(value_format, struct.pack(bits_format, n))[0]


def same(actual, expected):
    """``actual`` is a float (not a subclass, not an int) with the bits of ``expected``.

    The sign of zero counts; any NaN matches any NaN.  ``expected`` may be
    an int, compared as the float it converts to.
    """
    if type(actual) is not float:
        return False
    expected = float(expected)
    if actual != actual or expected != expected:
        return actual != actual and expected != expected
    return bits(actual) == bits(expected)


def _ordinal(x):
    # Floats on an integer line in their order: neighbours differ by 1, and
    # -0.0 and 0.0 both sit at 0.
    n = bits(x)
    return -(n & 0x7FFFFFFFFFFFFFFF) if n >> 63 else n


def ulps(a, b):
    """How many float64 steps apart the finite floats ``a`` and ``b`` are (0 for -0.0 and 0.0)."""
    return abs(_ordinal(a) - _ordinal(b))


def rounded_sum(values):
    """The floats added left to right, each addition rounded: the naive sum.

    Not ``sum()``, which is compensated for floats from CPython 3.12 on.
    """
    total = 0.0
    for value in values:
        total += value
    return total


def f32(x):
    """``x`` rounded to float32 (through ``array('f')``, the C cast), as a Python float."""
    return array.array("f", [x])[0]


def hexes(value):
    """``float.hex`` of every float in nested lists, keeping the nesting; anything else fails."""
    if isinstance(value, list):
        return [hexes(v) for v in value]
    assert type(value) is float, value
    return value.hex()
