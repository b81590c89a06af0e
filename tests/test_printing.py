"""The NumPy-style printer against NumPy's own output and against exact arithmetic.

tests/fixtures/printing_numpy.json holds ``str(np.array(values, dtype))``
from NumPy 2.4.6 (tools/record_printing.py) for hand-picked and random
arrays.  The shortest-digit search is also checked against Python's own
``repr`` (float64) and, for float32, against exact ``Fraction`` bounds.
"""

import json
import math
import os
import struct
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from nnref.book._printing import format_array, shortest_digits

from support import f32

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

with open(os.path.join(FIXTURES, "printing_numpy.json")) as _f:
    RECORDED = json.load(_f)


def unhex(value):
    if isinstance(value, list):
        return [unhex(v) for v in value]
    return float.fromhex(value)


def test_recording_uses_numpys_default_options():
    assert "precision=8" in RECORDED["meta"]["options"]
    assert len(RECORDED["cases"]) > 700


@pytest.mark.parametrize("index", range(len(RECORDED["cases"])))
def test_prints_like_numpy(index):
    case = RECORDED["cases"][index]
    assert format_array(unhex(case["values"]), case["dtype"]) == case["text"]


# Outputs whose rules the module docstring states, spelled out.
@pytest.mark.parametrize("values, dtype, text", [
    ([0.0, 0.00011395361070754007, 0.0], "float32", "[0.         0.00011395 0.        ]"),
    ([0.33333319425582886], "float32", "[0.3333332]"),        # shortest float32 digits
    ([0.33333319425582886], "float64", "[0.33333319]"),       # float64: capped at 8 decimals
    ([1 / 512], "float64", "[0.00195312]"),                   # exact tie: to even
    ([0.5, 100.0, -2.0], "float64", "[  0.5 100.   -2. ]"),   # aligned on the point
    ([1e-5, 1.5], "float64", "[1.0e-05 1.5e+00]"),            # min < 1e-4: scientific
    ([0.001, 1.0], "float64", "[0.001 1.   ]"),                # ratio 1000 is not > 1000
    ([1e6, 1.5], "float32", "[1.0e+06 1.5e+00]"),             # float32 cutoff 1e6
    ([1e6, 1.5], "float64", "[1.0e+06 1.5e+00]"),             # ratio > 1000
    ([99999999.0], "float64", "[99999999.]"),
    ([100000000.0], "float64", "[1.e+08]"),
    ([-0.0], "float64", "[-0.]"),
    ([float("nan"), float("inf"), -float("inf")], "float64", "[ nan  inf -inf]"),
    ([], "float64", "[]"),
    ([[], []], "float32", "[]"),
])
def test_documented_rules(values, dtype, text):
    assert format_array(values, dtype) == text


def test_float32_thresholds_compare_in_float32():
    # f32(1e-4) is below 1e-4 in float64 but equal to it in float32, and
    # NumPy compares in float32: positional.
    assert f32(1e-4) < 1e-4
    assert format_array([1e-4, 0.05], "float32") == "[0.0001 0.05  ]"
    assert format_array([f32(1e-4), 0.05], "float64") == "[9.99999975e-05 5.00000000e-02]"


def test_wraps_rows_at_75_columns():
    text = format_array([x / 7 for x in range(30)])
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 75 and len(lines) == 5


def test_summarises_past_1000_values():
    # max / min == 1000 is not > 1000, so this stays positional.
    text = format_array([float(i) for i in range(1001)])
    assert text == "[   0.    1.    2. ...  998.  999. 1000.]"
    assert format_array([float(i) for i in range(1000)]).count("...") == 0


def test_float32_dtype_rounds_the_values_first():
    assert format_array([0.1], "float32") == "[0.1]"
    assert format_array([0.1 + 1e-12], "float32") == "[0.1]"
    assert format_array([0.1 + 1e-12], "float64") == "[0.1]"
    assert format_array([1e39], "float32") == "[inf]"


def test_errors():
    with pytest.raises(ValueError, match="dtype must be 'float64', 'float32', 'float16' or 'bfloat16'"):
        format_array([1.0], "float8")
    with pytest.raises(TypeError, match="format_array: x is 1.0"):
        format_array(1.0)
    with pytest.raises(TypeError, match=r"x\[1\] is True"):
        format_array([1.0, True])
    with pytest.raises(TypeError, match=r"x\[0\]\[0\] is 'a'"):
        format_array([["a"]])
    with pytest.raises(ValueError, match=r"x\[1\] has length 1"):
        format_array([[1.0, 2.0], [3.0]])


def test_inputs_are_not_modified():
    values = [[0.1, 0.2]]
    format_array(values, "float32")
    assert values == [[0.1, 0.2]]


# ----------------------------------------------------- shortest digits

def repr_digits(x):
    # (digits, exponent) from Python's repr, the shortest round-trip float64 text.
    mantissa, _, exponent = ("%r" % abs(x)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    exp10 = len(whole) - 1 + (int(exponent) if exponent else 0)
    if whole == "0":
        exp10 = -(len(fraction) - len(fraction.lstrip("0"))) - 1 + (int(exponent) if exponent else 0)
    return digits.rstrip("0") or "0", exp10


finite_nonzero = st.floats(allow_nan=False, allow_infinity=False).filter(lambda v: v != 0)


@given(finite_nonzero)
def test_float64_digits_are_pythons_repr_digits(x):
    assert shortest_digits(x) == repr_digits(x)


def float32_interval(x):
    # The exact rounding interval of the float32 x: half-way to each neighbour.
    bits = struct.unpack("<I", struct.pack("<f", abs(x)))[0]
    up = struct.unpack("<f", struct.pack("<I", bits + 1))[0] if bits < 0x7F7FFFFF else None
    down = struct.unpack("<f", struct.pack("<I", bits - 1))[0]
    exact = Fraction(abs(x))
    low = (exact + Fraction(down)) / 2
    high = (exact + Fraction(up)) / 2 if up is not None else exact + (exact - Fraction(down)) / 2
    return low, high, bits % 2 == 0


def reads_back(text_value, x):
    low, high, even = float32_interval(x)
    if even:
        return low <= text_value <= high
    return low < text_value < high


@given(st.integers(1, 0x7F7FFFFF))
def test_float32_digits_are_shortest_and_read_back(bits):
    x = struct.unpack("<f", struct.pack("<I", bits))[0]
    digits, exp10 = shortest_digits(x, "float32")
    value = Fraction(int(digits)) * Fraction(10) ** (exp10 - len(digits) + 1)
    assert reads_back(value, x)
    # One digit fewer never reads back: try the two nearest shorter decimals.
    p = len(digits) - 1
    if p >= 1:
        scale = Fraction(10) ** (exp10 - p + 1)
        base = math.floor(Fraction(abs(x)) / scale)
        for d in (base, base + 1):
            assert not reads_back(d * scale, x)
