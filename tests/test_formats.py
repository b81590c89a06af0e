"""nnref._base.formats: the table of float formats and the exact conversions.

Every expected value here comes from outside the module: the IEEE 754
definitions worked out with ``fractions.Fraction``, CPython's
``sys.float_info``, ``struct`` (its ``'e'`` code included, which the package
must never use but a test on CPython may), ``float.hex`` and
``math.isfinite``.  Rounding is checked against an independent round half
to even of the exact rational value.
"""

import math
import struct
import sys
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nnref import exact, testing
from nnref._base import formats
from nnref._base.formats import (FLOAT32, FLOAT64, FORMATS, Format, all_finite, check_dtype,
                                 from_bits, is_finite, is_negative_zero, round_f32,
                                 round_float, round_ratio, round_scaled, to_bits, to_scaled_int)
from nnref.book._printing import format_array

INF = float("inf")
NAN = float("nan")

# (precision p, smallest normal exponent emin, largest exponent emax), from
# IEEE 754-2008 table 3.5, written out here rather than read from the module.
IEEE = {"float64": (53, -1022, 1023), "float32": (24, -126, 127), "float16": (11, -14, 15),
        "bfloat16": (8, -126, 127)}

# The narrow formats built here from their IEEE widths (no struct code: bits
# and rounding computed from the values), to check the table's rows against.
FLOAT16 = Format("float16", 5, 10)
BFLOAT16 = Format("bfloat16", 8, 7)


def bits64(x):
    return struct.unpack(">Q", struct.pack(">d", x))[0]


def same_float(a, b):
    """Bit for bit, but any NaN matches any NaN."""
    if a != a or b != b:
        return a != a and b != b
    return bits64(a) == bits64(b)


def reference_round(q, name):
    """The Fraction q rounded to the format (half to even), as a float; signed zero for q < 0."""
    p, emin, emax = IEEE[name]
    if q == 0:
        return 0.0
    a = abs(q)
    e = a.numerator.bit_length() - a.denominator.bit_length()   # floor(log2 a), then fixed up
    if Fraction(2) ** e > a:
        e -= 1
    if Fraction(2) ** (e + 1) <= a:
        e += 1
    quantum = Fraction(2) ** (max(e, emin) - p + 1)
    rounded = round(a / quantum) * quantum                        # Fraction round(): half to even
    result = INF if rounded >= Fraction(2) ** (emax + 1) else float(rounded)
    return -result if q < 0 else result


# --- the table against the maths -------------------------------------------------

def test_the_table_lists_the_four_formats():
    assert sorted(FORMATS) == ["bfloat16", "float16", "float32", "float64"]
    assert FORMATS["float64"] is FLOAT64 and FORMATS["float32"] is FLOAT32
    # The table's rows are the formats this file builds from IEEE 754's widths.
    for name, built in (("float16", FLOAT16), ("bfloat16", BFLOAT16)):
        row = FORMATS[name]
        assert (row.exponent_bits, row.fraction_bits, row.struct_codes) == \
            (built.exponent_bits, built.fraction_bits, None)


@pytest.mark.parametrize("fmt, name, total, exponent_bits, code",
                         [(FLOAT64, "float64", 64, 11, "d"), (FLOAT32, "float32", 32, 8, "f"),
                          (FLOAT16, "float16", 16, 5, "e"), (BFLOAT16, "bfloat16", 16, 8, None)])
def test_layout(fmt, name, total, exponent_bits, code):
    p, emin, emax = IEEE[name]
    assert fmt.name == name
    assert fmt.total_bits == total
    if code is not None:
        assert fmt.total_bits == 8 * struct.calcsize(code)
    assert fmt.exponent_bits == exponent_bits
    assert 1 + fmt.exponent_bits + fmt.fraction_bits == fmt.total_bits
    assert fmt.precision == fmt.fraction_bits + 1 == p
    assert fmt.sign_bit == 2 ** (total - 1)
    assert fmt.bias == 2 ** (exponent_bits - 1) - 1
    assert (fmt.min_exponent, fmt.max_exponent) == (emin, emax)
    assert fmt.min_lsb == emin - (p - 1)
    assert fmt.max_top == emax + 1


@pytest.mark.parametrize("fmt, name", [(FLOAT64, "float64"), (FLOAT32, "float32"),
                                       (FLOAT16, "float16"), (BFLOAT16, "bfloat16")])
def test_extreme_values(fmt, name):
    p, emin, emax = IEEE[name]
    assert Fraction(fmt.max_finite) == (2 - Fraction(1, 2 ** (p - 1))) * Fraction(2) ** emax
    assert Fraction(fmt.smallest_normal) == Fraction(2) ** emin
    assert Fraction(fmt.smallest_subnormal) == Fraction(2) ** (emin - p + 1)
    assert Fraction(fmt.smallest_subnormal) == Fraction(2) ** fmt.min_lsb
    assert Fraction(fmt.max_finite) < Fraction(2) ** fmt.max_top


def test_extreme_values_from_outside():
    assert FLOAT64.max_finite == sys.float_info.max
    assert FLOAT64.smallest_normal == sys.float_info.min
    assert FLOAT64.precision == sys.float_info.mant_dig
    assert FLOAT64.max_top == sys.float_info.max_exp
    assert FLOAT64.min_exponent == sys.float_info.min_exp - 1
    assert FLOAT64.smallest_subnormal == 5e-324
    assert FLOAT32.max_finite == struct.unpack(">f", bytes.fromhex("7f7fffff"))[0]
    assert FLOAT32.max_finite == (2 - 2 ** -23) * 2 ** 127
    assert FLOAT32.smallest_subnormal == struct.unpack(">f", bytes.fromhex("00000001"))[0]
    assert FLOAT32.smallest_normal == struct.unpack(">f", bytes.fromhex("00800000"))[0]
    assert FLOAT16.max_finite == 65504.0


def test_precision_is_where_integers_stop_being_exact():
    assert 2.0 ** 53 + 1 == 2.0 ** 53 and 2.0 ** 53 - 1 != 2.0 ** 53
    f32 = lambda x: struct.unpack("<f", struct.pack("<f", x))[0]   # noqa: E731
    assert f32(2.0 ** 24 + 1) == 2.0 ** 24 and f32(2.0 ** 24 - 1) == 2.0 ** 24 - 1


def _reads_back(value, digits, name):
    text = "%.*e" % (digits - 1, value)
    if name == "float64":
        return float(text) == value
    return reference_round(Fraction(text), name) == value


@pytest.mark.parametrize("fmt, name, digits, start, stop", [
    (FLOAT64, "float64", 17, 0.1, 0.10000000001),
    (FLOAT32, "float32", 9, 1e9, 1.00001e9),
])
def test_round_trip_digits_are_the_least_that_always_work(fmt, name, digits, start, stop):
    assert fmt.round_trip_digits == digits              # IEEE 754-2008 5.12.2
    values = []
    x = reference_round(Fraction(start), name)
    while x < stop and len(values) < 3000:
        values.append(x)
        x = testing.next_up(x, name)
    assert all(_reads_back(v, digits, name) for v in values)
    assert not all(_reads_back(v, digits - 1, name) for v in values)


def test_round_trip_digits_of_the_small_formats():
    assert (FLOAT16.round_trip_digits, BFLOAT16.round_trip_digits) == (5, 4)


# --- check_dtype ----------------------------------------------------------------------

def test_check_dtype_returns_the_record():
    assert check_dtype("float64", "f") is FLOAT64
    assert check_dtype("float32", "f") is FLOAT32
    assert check_dtype("float16", "f").precision == 11
    assert check_dtype("bfloat16", "f").precision == 8


@pytest.mark.parametrize("dtype", ["float8", "FLOAT16", "bf16", "FLOAT32", "f4", "", " float64", b"float64",
                                   None, 32, 64.0, ["float64"], FLOAT32, True])
def test_check_dtype_rejects_everything_else_with_one_message(dtype):
    with pytest.raises(ValueError) as caught:
        check_dtype(dtype, "some.func")
    assert str(caught.value) == ("some.func: dtype must be 'float64', 'float32', 'float16' or "
                                 "'bfloat16', got %r" % (dtype,))
    with pytest.raises(ValueError, match="^f: kind must be 'float64', 'float32', 'float16' or 'bfloat16', got "):
        check_dtype(dtype, "f", "kind")


@pytest.mark.parametrize("call, func", [
    (lambda d: testing.ulp_distance(1.0, 1.0, d), "ulp_distance"),
    (lambda d: testing.next_up(1.0, d), "next_up"),
    (lambda d: testing.assert_close(1.0, 1.0, dtype=d), "assert_close"),
    (lambda d: format_array([1.0], d), "format_array"),
    (lambda d: exact.relu([1.0], dtype=d), "exact.relu"),
    (lambda d: exact.dense([[1.0]], [[1.0]], [0.0], dtype=d), "exact.dense"),
])
def test_every_dtype_check_words_it_the_same(call, func):
    with pytest.raises(ValueError) as caught:
        call("float8")
    assert str(caught.value) == ("%s: dtype must be 'float64', 'float32', 'float16' or 'bfloat16', "
                                 "got 'float8'" % func)


# --- finiteness -------------------------------------------------------------------------

@pytest.mark.parametrize("x, finite", [
    (0.0, True), (-0.0, True), (5e-324, True), (-1e308, True), (1.7976931348623157e308, True),
    (INF, False), (-INF, False), (NAN, False), (-NAN, False),
    (0, True), (-7, True), (2 ** 5000, True), (-(10 ** 400), True),
])
def test_is_finite(x, finite):
    assert is_finite(x) is finite


floats = st.one_of(st.floats(), st.sampled_from([INF, -INF, NAN, 1e308, -1e308, -0.0]))


@given(st.lists(floats, max_size=12))
@example([1e308, 1e308])                  # finite, but the float sum overflows
@example([1e308, 1e308, NAN])
@example([INF, -INF])
@example([])
def test_all_finite_agrees_with_each_element(values):
    want = all(math.isfinite(v) for v in values)
    assert all_finite(values) is want
    assert all_finite(tuple(values)) is want
    assert all(map(is_finite, values)) is want


def test_is_negative_zero():
    assert is_negative_zero(-0.0)
    assert not is_negative_zero(0.0) and not is_negative_zero(-5e-324)
    assert not is_negative_zero(NAN) and not is_negative_zero(-INF)


# --- the rounding against Fraction ------------------------------------------------------

@pytest.mark.parametrize("fmt", [FLOAT64, FLOAT32, FLOAT16, BFLOAT16], ids=lambda f: f.name)
@given(n=st.integers(-2 ** 120, 2 ** 120), e=st.integers(-1200, 1100))
@example(n=2 ** 53 + 1, e=0)              # ties: to even
@example(n=2 ** 24 + 1, e=0)
@example(n=3, e=-1076)
@example(n=-1, e=-1075)                   # half the smallest subnormal: -0.0
@example(n=3, e=-151)
@example(n=2 ** 128 - 2 ** 103, e=0)      # float32's overflow threshold: a tie, to inf
@example(n=2 ** 128 - 2 ** 103 - 1, e=0)
@example(n=2 ** 54 - 1, e=970)            # float64's: up to inf
def test_round_scaled_matches_fraction(fmt, n, e):
    want = reference_round(Fraction(n) * Fraction(2) ** e, fmt.name)
    assert same_float(round_scaled(n, e, fmt), want)


def _ratio(num, den, shift):
    return (num << shift, den) if shift >= 0 else (num, den << -shift)


@pytest.mark.parametrize("fmt", [FLOAT64, FLOAT32, FLOAT16, BFLOAT16], ids=lambda f: f.name)
@given(num=st.integers(-2 ** 100, 2 ** 100), den=st.integers(1, 2 ** 100),
       shift=st.integers(-1200, 1100))
@example(num=1, den=3, shift=0)
@example(num=-1, den=1, shift=-1075)
@example(num=3, den=1, shift=-151)
@example(num=2 ** 24 + 1, den=2, shift=0)
@example(num=2 ** 53 + 1, den=2, shift=0)
def test_round_ratio_matches_fraction(fmt, num, den, shift):
    num, den = _ratio(num, den, shift)
    want = reference_round(Fraction(num, den), fmt.name)
    assert same_float(round_ratio(num, den, fmt), want)


@given(st.integers(-2 ** 200, 2 ** 200), st.integers(1, 2 ** 200))
def test_round_ratio_float64_is_cpythons_true_division(num, den):
    try:
        want = num / den                  # correctly rounded in CPython
    except OverflowError:
        want = INF if num > 0 else -INF
    assert same_float(round_ratio(num, den), want)


def test_round_scaled_defaults_to_float64():
    assert round_scaled(2 ** 24 + 1, 0) == 2 ** 24 + 1
    assert round_ratio(1, 10) == 0.1


# --- float to format -------------------------------------------------------------------

# Uniform over bit patterns reaches the subnormals and every binade equally.
any_float = st.one_of(st.floats(), st.integers(0, 2 ** 64 - 1).map(
    lambda b: struct.unpack(">d", b.to_bytes(8, "big"))[0]))


@given(any_float)
@example(3.4028235677973366e38)           # the float32 overflow threshold: a tie, to inf
@example(3.4028235677973362e38)
@example(2.0 ** -150)                     # half float32's smallest subnormal: to 0
@example(-(2.0 ** -150) * 1.5)
def test_round_f32_is_the_generic_rounding(x):
    got = round_f32(x)
    assert same_float(got, round_float(x, FLOAT32))
    if x != x or x in (INF, -INF):
        assert same_float(got, x)
        return
    if x == 0.0:
        assert same_float(got, x)
        return
    n, e = to_scaled_int(x)
    assert same_float(got, round_scaled(n, e, FLOAT32))
    assert same_float(got, reference_round(Fraction(x), "float32"))


@pytest.mark.parametrize("fmt", [FLOAT16, BFLOAT16], ids=lambda f: f.name)
@given(any_float)
def test_round_float_of_a_format_without_struct(fmt, x):
    got = round_float(x, fmt)
    if x != x or x in (INF, -INF) or x == 0.0:
        assert same_float(got, x)
    else:
        assert same_float(got, reference_round(Fraction(x), fmt.name))


@given(any_float)
def test_round_float_float64_is_the_identity(x):
    assert same_float(round_float(x, FLOAT64), x)


# --- bit patterns ------------------------------------------------------------------------

@given(any_float)
def test_float64_bits_are_structs(x):
    assert to_bits(x) == to_bits(x, FLOAT64) == bits64(x)
    assert same_float(from_bits(bits64(x)), x)


@given(st.integers(0, 2 ** 32 - 1))
def test_float32_bits_round_trip(n):
    value = struct.unpack(">f", n.to_bytes(4, "big"))[0]
    assert same_float(from_bits(n, FLOAT32), value)
    if value == value:                    # a NaN's payload may change on the way
        assert to_bits(value, FLOAT32) == n


@given(any_float)
def test_float32_bits_round_first(x):
    want = struct.unpack(">I", struct.pack(">f", round_f32(x)))[0]
    assert to_bits(x, FLOAT32) == want or (x != x)


def test_bits_of_special_values():
    assert to_bits(1e39, FLOAT32) == 0x7F800000 and to_bits(-1e39, FLOAT32) == 0xFF800000
    assert to_bits(-0.0, FLOAT32) == 0x80000000 and to_bits(-0.0) == 1 << 63
    assert to_bits(5e-324) == 1 and to_bits(2.0 ** -149, FLOAT32) == 1


@pytest.mark.parametrize("fmt", [FLOAT64, FLOAT32], ids=lambda f: f.name)
@given(n=st.integers(0, 2 ** 64 - 1))
def test_bits_computed_by_hand_match_struct(fmt, n):
    # The path a format without a struct code takes, checked where struct can judge it.
    n &= (1 << fmt.total_bits) - 1
    value = from_bits(n, fmt)
    assert same_float(formats._value_from_bits(n, fmt), value)
    if value == value:
        assert formats._bits_from_value(value, fmt) == n


@given(st.integers(0, 2 ** 16 - 1))
def test_float16_bits_by_hand_match_structs_e_code(n):
    value = struct.unpack(">e", n.to_bytes(2, "big"))[0]
    assert same_float(from_bits(n, FLOAT16), value)
    if value == value:
        assert to_bits(value, FLOAT16) == n


@given(st.floats(width=32))
def test_bfloat16_bits_are_the_top_half_of_float32s(x):
    bits = to_bits(x, BFLOAT16)
    if x != x:
        assert from_bits(bits, BFLOAT16) != from_bits(bits, BFLOAT16)
        return
    rounded = reference_round(Fraction(x), "bfloat16") if x - x == 0.0 and x else x
    top = struct.unpack(">I", struct.pack(">f", rounded))[0]
    assert top & 0xFFFF == 0
    assert bits == top >> 16
    assert same_float(from_bits(bits, BFLOAT16), rounded)


def test_nan_bits_are_quiet():
    assert to_bits(NAN, FLOAT32) & 0x7FC00000 == 0x7FC00000
    assert to_bits(NAN, FLOAT16) & 0x7E00 == 0x7E00
    assert from_bits(0x7FC00000, FLOAT32) != from_bits(0x7FC00000, FLOAT32)


# --- float_hex ----------------------------------------------------------------------------

@given(any_float)
@example(-0.0)
@example(5e-324)
@example(INF)
def test_hex_by_hand_is_float_hex(x):
    assert formats._hex_by_hand(x) == x.hex() == formats.float_hex(x)
