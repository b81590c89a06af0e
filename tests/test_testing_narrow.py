"""nnref.testing in float16 and bfloat16, and assert_close's dtype, rtol/atol and reports.

The references here never come from nnref:

* a float16 value is decoded from its 16-bit pattern by ``struct``'s ``'e'``
  code and, independently, from its fields with ``fractions.Fraction``; a
  bfloat16 pattern is the top half of a float32 pattern, decoded by
  ``struct``'s ``'f'``;
* the order of the values is the order of the patterns (positives upwards,
  negatives downwards), so the neighbours of a value and the distance between
  two values are read off the patterns;
* rounding to a format is round-half-even of an exact ``Fraction``;
* the tolerance bounds are ``Fraction`` arithmetic.

nnref.testing itself must not rely on ``struct``'s ``'e'`` (MicroPython lacks
it): ``test_no_struct_e`` runs it with a ``struct`` that refuses ``'e'``.
"""

import math
import struct
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import nnref._base.formats as formats_module
from nnref.testing import assert_close, next_down, next_up, ulp, ulp_distance
from test_testing import floor_log2

INF = float("inf")
NAN = float("nan")

# dtype -> (precision p, smallest normal exponent, largest exponent), IEEE widths.
PARAMS = {"float16": (11, -14, 15), "bfloat16": (8, -126, 127),
          "float32": (24, -126, 127), "float64": (53, -1022, 1023)}
NARROW = ("float16", "bfloat16")


# --- independent references ----------------------------------------------------

def decode_float16(n):
    return struct.unpack("<e", struct.pack("<H", n))[0]


def decode_bfloat16(n):
    return struct.unpack("<f", struct.pack("<I", n << 16))[0]


DECODE = {"float16": decode_float16, "bfloat16": decode_bfloat16}


def fields_value(n, dtype):
    """The value of pattern n from its sign, exponent and fraction fields (Fraction, or +-inf)."""
    p, emin, emax = PARAMS[dtype]
    t = p - 1
    w = {"float16": 5, "bfloat16": 8}[dtype]
    sign = -1 if n >> (t + w) else 1
    biased = (n >> t) & ((1 << w) - 1)
    fraction = n & ((1 << t) - 1)
    assert biased != (1 << w) - 1 or fraction == 0, "NaN"
    if biased == (1 << w) - 1:
        return sign * INF
    if biased == 0:
        return sign * Fraction(fraction) * Fraction(2) ** (emin - t)
    return sign * (1 + Fraction(fraction, 1 << t)) * Fraction(2) ** (biased - emax)


SIGN = 0x8000
POS_INF = {"float16": 0x7C00, "bfloat16": 0x7F80}


def non_nan_patterns(dtype):
    top = POS_INF[dtype]
    return list(range(0, top + 1)) + list(range(SIGN, SIGN | top + 1))


def index(n, sign=SIGN):
    """The place of pattern n on the line of values: -0.0 and +0.0 both at 0."""
    return -(n ^ sign) if n & sign else n


def pattern_up(n, dtype):
    """The pattern of the next value above pattern n's value (C nextafter's choice of zero)."""
    if n == POS_INF[dtype]:
        return n
    if n in (0, SIGN):
        return 1
    return n - 1 if n & SIGN else n + 1


def pattern_down(n, dtype):
    if n == SIGN | POS_INF[dtype]:
        return n
    if n in (0, SIGN):
        return SIGN | 1
    return n + 1 if n & SIGN else n - 1


def float_bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def same(a, b):
    """Same float, the sign of zero included; any NaN matches any NaN."""
    if a != a or b != b:
        return a != a and b != b
    return type(a) is float and float_bits(a) == float_bits(b)


def round_to(value, dtype, mode="even"):
    """The number value (int, float or Fraction; not NaN) rounded to dtype, as a float.

    ``mode``: "even" (to nearest, ties to even), "down" (towards -inf), "up".
    """
    p, emin, emax = PARAMS[dtype]
    if value in (INF, -INF):
        return float(value)
    q = Fraction(value)
    if q == 0:
        return float(value) if isinstance(value, float) else 0.0
    a = abs(q)
    e = max(floor_log2(a), emin)
    quantum = Fraction(2) ** (e - p + 1)
    steps = a / quantum
    if mode == "even":
        n = round(steps)  # round() of a Fraction is half to even
    elif (mode == "down") == (q > 0):
        n = math.floor(steps)
    else:
        n = math.ceil(steps)
    rounded = n * quantum
    if rounded >= Fraction(2) ** (emax + 1):
        if mode == "even" or (mode == "up") == (q > 0):
            result = INF
        else:
            result = float((2 - Fraction(2) ** (1 - p)) * Fraction(2) ** emax)
    else:
        result = float(rounded)  # exact: a value of the format
    if result == 0.0:
        return -0.0 if q < 0 else 0.0
    return -result if q < 0 else result


# --- the references agree with each other ----------------------------------------

@pytest.mark.parametrize("dtype", NARROW)
def test_decoders_agree_with_the_fields(dtype):
    for n in non_nan_patterns(dtype)[::37] + [0, 1, SIGN | 1, POS_INF[dtype] - 1]:
        assert DECODE[dtype](n) == fields_value(n, dtype)


def test_decoders_know_the_landmarks():
    assert decode_float16(0x7BFF) == 65504.0 and decode_float16(0x0001) == 2.0 ** -24
    assert decode_float16(0x0400) == 2.0 ** -14 and decode_float16(0x3C00) == 1.0
    assert decode_bfloat16(0x0001) == 2.0 ** -133 and decode_bfloat16(0x3F80) == 1.0
    assert decode_bfloat16(0x7F7F) == (2 - 2.0 ** -7) * 2.0 ** 127
    assert round_to(0.1, "float16") == decode_float16(0x2E66)
    assert round_to(65519.99, "float16") == 65504.0 and round_to(65520, "float16") == INF


# --- every pattern: neighbours, distances, ulp -----------------------------------

def neighbour_mismatches(dtype, up, down, limit=None):
    """Patterns whose next_up/next_down (the functions given) differ from the pattern order.

    The search stops after ``limit`` mismatches, if given."""
    decode = DECODE[dtype]
    wrong = []
    for n in non_nan_patterns(dtype):
        x = decode(n)
        if not same(up(x, dtype), decode(pattern_up(n, dtype))):
            wrong.append(("up", hex(n)))
        if not same(down(x, dtype), decode(pattern_down(n, dtype))):
            wrong.append(("down", hex(n)))
        if limit is not None and len(wrong) >= limit:
            break
    return wrong


@pytest.mark.parametrize("dtype", NARROW)
def test_every_pattern_steps_to_the_next_pattern(dtype):
    assert neighbour_mismatches(dtype, next_up, next_down) == []


@pytest.mark.parametrize("dtype", NARROW)
def test_every_pattern_is_its_index_away_from_minus_inf_and_zero(dtype):
    decode = DECODE[dtype]
    bottom = index(SIGN | POS_INF[dtype])
    for n in non_nan_patterns(dtype):
        x = decode(n)
        assert ulp_distance(x, -INF, dtype) == index(n) - bottom
        assert ulp_distance(0.0, x, dtype) == abs(index(n))


@pytest.mark.parametrize("dtype", NARROW)
def test_ulp_of_every_pattern_is_the_gap_to_the_next_magnitude(dtype):
    decode = DECODE[dtype]
    top = POS_INF[dtype]
    for n in non_nan_patterns(dtype):
        magnitude = n & ~SIGN
        if magnitude == top:
            expected = INF
        elif magnitude == top - 1:  # the largest finite value: the gap below it
            expected = decode(magnitude) - decode(magnitude - 1)
        else:
            expected = decode(magnitude + 1) - decode(magnitude)
        assert ulp(decode(n), dtype) == expected


@pytest.mark.parametrize("dtype", NARROW)
def test_nan_patterns(dtype):
    decode = DECODE[dtype]
    for n in (POS_INF[dtype] + 1, POS_INF[dtype] | 0x40, SIGN | POS_INF[dtype] | 1):
        x = decode(n)
        assert x != x
        for f in (next_up, next_down, ulp):
            r = f(x, dtype)
            assert r != r
        assert ulp_distance(x, NAN, dtype) == 0 and ulp_distance(x, 1.0, dtype) == INF


# The reference check above must be able to fail: wrong neighbours it catches.

def flushing_next_up(x, dtype):
    # subnormals flushed: from zero straight to the smallest normal
    r = next_up(x, dtype)
    smallest_normal = 2.0 ** PARAMS[dtype][1]
    return smallest_normal if 0 < r < smallest_normal else r


def unsigned_zero_next_up(x, dtype):
    r = next_up(x, dtype)
    return 0.0 if r == 0 else r  # loses the -0.0 of the step up from -tiny


def float32_next_up(x, dtype):
    return next_up(x, "float32")  # the float32 neighbour: far too close


@pytest.mark.parametrize("wrong", [flushing_next_up, unsigned_zero_next_up, float32_next_up])
def test_the_pattern_check_catches_wrong_neighbours(wrong):
    assert neighbour_mismatches("float16", wrong, next_down, limit=1) != []


# --- rounding into the format ------------------------------------------------------

float16_patterns = st.sampled_from(non_nan_patterns("float16"))
bfloat16_patterns = st.sampled_from(non_nan_patterns("bfloat16"))
PATTERNS = {"float16": float16_patterns, "bfloat16": bfloat16_patterns}
any_float64 = st.integers(min_value=0, max_value=2 ** 64 - 1).map(
    lambda n: struct.unpack("<d", struct.pack("<Q", n))[0])
numbers = st.one_of(st.floats(allow_nan=False), any_float64.filter(lambda x: x == x),
                    st.floats(min_value=-70000, max_value=70000),
                    st.floats(min_value=-1e-6, max_value=1e-6),
                    st.integers(min_value=-10 ** 40, max_value=10 ** 40))


PATTERN_OF = {"float16": lambda v: struct.unpack("<H", struct.pack("<e", v))[0],
              "bfloat16": lambda v: struct.unpack("<I", struct.pack("<f", v))[0] >> 16,
              "float32": lambda v: struct.unpack("<I", struct.pack("<f", v))[0]}


def reference_distance(a, b, dtype):
    """Patterns between a and b rounded to dtype (float16, bfloat16, float32)."""
    x, y = round_to(a, dtype), round_to(b, dtype)
    sign = 0x80000000 if dtype == "float32" else SIGN
    return abs(index(PATTERN_OF[dtype](x), sign) - index(PATTERN_OF[dtype](y), sign))


@pytest.mark.parametrize("dtype", NARROW)
@given(a=numbers, b=numbers)
@example(a=65520.0, b=65504.0)           # the float16 overflow threshold rounds up to inf
@example(a=65519.99999999999, b=65504.0)
@example(a=2.0 ** -25, b=0.0)           # half the smallest float16 subnormal: a tie, to 0
@example(a=3 * 2.0 ** -26, b=2.0 ** -24)
@example(a=1.00390625, b=1.0)           # a bfloat16 tie between 1.0 and 1.0078125
def test_distances_round_from_the_exact_value(dtype, a, b):
    assert ulp_distance(a, b, dtype) == reference_distance(a, b, dtype)


# Values whose float32 rounding lands exactly on a midpoint of the narrow format:
# rounding through float32 would then round the tie to even, the wrong way.
DOUBLE_ROUNDING_TRAPS = [
    ("float16", 1.0 + 2.0 ** -11 + 2.0 ** -30, 1.0 + 2.0 ** -10),   # just above a midpoint
    ("float16", 1.0 + 3 * 2.0 ** -11 - 2.0 ** -30, 1.0 + 2.0 ** -10),  # just below one
    ("float16", 2.0 ** -25 + 2.0 ** -60, 2.0 ** -24),                # subnormal midpoint
    ("bfloat16", 1.0 + 2.0 ** -8 + 2.0 ** -40, 1.0078125),
    ("bfloat16", 2.0 ** -134 + 2.0 ** -170, 2.0 ** -133),
]


@pytest.mark.parametrize("dtype, x, nearest", DOUBLE_ROUNDING_TRAPS)
def test_no_double_rounding(dtype, x, nearest):
    assert round_to(x, dtype) == nearest                        # the case itself is right
    assert round_to(round_to(x, "float32"), dtype) != nearest   # and is a trap
    assert ulp_distance(x, nearest, dtype) == 0
    assert next_up(x, dtype) == round_to(Fraction(nearest) + Fraction(ulp(nearest, dtype)), dtype)


@pytest.mark.parametrize("dtype", NARROW)
@given(n=st.integers(min_value=-(2 ** 200), max_value=2 ** 200))
@example(n=2 ** 11 + 1)
@example(n=65520)
@example(n=2 ** 8 + 1)
def test_ints_round_from_their_exact_value(dtype, n):
    assert ulp_distance(n, 0, dtype) == reference_distance(n, 0, dtype)


# --- properties ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", NARROW)
@given(data=st.data())
def test_symmetric_and_triangle_equality(dtype, data):
    a, b, c = sorted(DECODE[dtype](data.draw(PATTERNS[dtype])) for _ in range(3))
    assert ulp_distance(a, b, dtype) == ulp_distance(b, a, dtype)
    assert ulp_distance(a, c, dtype) == ulp_distance(a, b, dtype) + ulp_distance(b, c, dtype)


@pytest.mark.parametrize("dtype", NARROW)
@given(data=st.data())
def test_next_up_undoes_next_down(dtype, data):
    x = DECODE[dtype](data.draw(PATTERNS[dtype]))
    if x in (INF, -INF):
        return
    assert next_up(next_down(x, dtype), dtype) == x
    assert next_down(next_up(x, dtype), dtype) == x
    assert same(next_down(x, dtype), -next_up(-x, dtype))
    assert ulp_distance(x, next_up(x, dtype), dtype) == 1


@pytest.mark.parametrize("dtype", NARROW)
@given(x=numbers)
def test_neighbours_of_non_values_are_those_of_the_rounded_value(dtype, x):
    r = round_to(x, dtype)
    assert same(next_up(x, dtype), next_up(r, dtype))
    assert same(next_down(x, dtype), next_down(r, dtype))
    assert same(ulp(x, dtype), ulp(r, dtype))


def test_no_struct_e(monkeypatch):
    class NoE(object):
        """struct without the 'e' code, as on MicroPython."""

        def __getattr__(self, name):
            real = getattr(struct, name)

            def call(fmt, *args):
                if "e" in fmt:
                    raise struct.error("bad char in struct format")
                return real(fmt, *args)
            return call

    monkeypatch.setattr(formats_module, "struct", NoE())
    with pytest.raises(struct.error):
        formats_module.struct.pack("<e", 1.0)
    for n in non_nan_patterns("float16")[::97]:
        x = decode_float16(n)
        assert same(next_up(x, "float16"), decode_float16(pattern_up(n, "float16")))
        assert ulp_distance(x, 0.0, "bfloat16") >= 0 and ulp(x, "float16") > 0
    assert_close([1.0009765625], [1.0], max_ulp=1, dtype="float16")
    assert "not a float16 value" in failure([0.1], [0.1], dtype="float16")


# --- assert_close: the dtype of the objects given ------------------------------------

def failure(actual, expected, **options):
    with pytest.raises(AssertionError) as info:
        assert_close(actual, expected, **options)
    return str(info.value)


class NumpyDtype(object):
    """A dtype as NumPy (and JAX, with ml_dtypes' bfloat16) has it: a .name."""

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name


class TorchDtype(object):
    """A dtype as PyTorch has it: no .name, printed as torch.NAME."""

    def __init__(self, name):
        self._name = name

    def __str__(self):
        return "torch." + self._name


class FakeArray(object):
    """.dtype and .tolist(), like a NumPy array, a PyTorch tensor or a JAX array."""

    def __init__(self, values, dtype):
        self.values = values
        self.dtype = dtype

    def tolist(self):
        return [list(v) if isinstance(v, (list, tuple)) else v for v in self.values]


class FakeScalar(object):
    """.dtype and .item() only, like a NumPy float32 scalar (not a float subclass)."""

    def __init__(self, value, dtype):
        self.value = value
        self.dtype = dtype

    def item(self):
        return self.value


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def float32_up(x):
    n = struct.unpack("<I", struct.pack("<f", x))[0]
    return struct.unpack("<f", struct.pack("<I", n + 1 if x > 0 else n - 1))[0]


# A "correct float32 sigmoid": the float32 values of sigmoid, one float32 step
# off here and there, as a real float32 kernel is.
XS = [i / 4.0 for i in range(-40, 41)]
SIGMOID32 = [f32(1 / (1 + math.exp(-x))) for x in XS]   # exp in float64: within 1 float32 step
EXPECTED32 = [round_to(Fraction(1) / (1 + Fraction(math.exp(-x))), "float32") for x in XS]
KERNEL32 = [float32_up(v) if i % 7 == 3 else v for i, v in enumerate(EXPECTED32)]


def test_a_float32_array_is_compared_in_float32_without_being_told():
    actual = FakeArray(KERNEL32, NumpyDtype("float32"))
    assert_close(actual, EXPECTED32, max_ulp=1)
    message = failure(actual, EXPECTED32)
    assert "compared as float32, the dtype of actual" in message and "1 ULP apart" in message
    # the trap the dtype reading removes: the same values as a plain list are float64
    message = failure(KERNEL32, EXPECTED32, max_ulp=1)
    assert "compared as float64" in message and "536870912 ULP apart" in message


@pytest.mark.parametrize("dtype_object", [NumpyDtype("bfloat16"), TorchDtype("bfloat16")])
def test_bfloat16_tensors_and_arrays(dtype_object):
    actual = FakeArray([[1.0, 0.10009765625], [2.0 ** -133, -0.0]], dtype_object)
    assert_close(actual, [[1.0, 0.10009765625], [2.0 ** -133, 0.0]])
    assert_close(actual, [[1.0078125, 0.099609375], [0.0, 0.0]], max_ulp=1)
    message = failure(actual, [[1.0, 0.10009765625], [2.0 ** -132, 0.0]])
    assert "compared as bfloat16, the dtype of actual" in message
    assert "worst at [1][0]" in message and "1 ULP apart" in message
    message = failure(actual, [[1.0, 0.1], [0.0, 0.0]], max_ulp=1)
    assert "expected[0][1] = 0.1 is not a bfloat16 value" in message


@pytest.mark.parametrize("name, wrapper", [
    ("float64", NumpyDtype), ("float32", NumpyDtype), ("float16", NumpyDtype),
    ("float64", TorchDtype), ("float32", TorchDtype), ("float16", TorchDtype),
    ("bfloat16", TorchDtype), ("bfloat16", NumpyDtype),
])
def test_each_dtype_is_read(name, wrapper):
    one = {"float64": 1.0 + 2.0 ** -52, "float32": 1.0 + 2.0 ** -23,
           "float16": 1.0 + 2.0 ** -10, "bfloat16": 1.0 + 2.0 ** -7}[name]
    actual = FakeArray([1.0, one], wrapper(name))
    assert_close(actual, [1.0, 1.0], max_ulp=1)
    assert "compared as %s, the dtype of actual" % name in failure(actual, [1.0, 1.0])
    assert_close([FakeScalar(1.0, wrapper(name)), FakeScalar(one, wrapper(name))], [1.0, 1.0],
                 max_ulp=1)
    # explicit and equal: fine
    assert_close(actual, [1.0, 1.0], max_ulp=1, dtype=name)


@pytest.mark.parametrize("name", ["int64", "int32", "complex128", "bool", "float8_e4m3fn",
                                  "float128", "uint8"])
def test_other_dtypes_are_type_errors_naming_them(name):
    for wrapper in (NumpyDtype, TorchDtype):
        pattern = ("assert_close: actual has dtype %s, not one of the float formats"
                   " 'float64', 'float32', 'float16' or 'bfloat16'" % name)
        with pytest.raises(TypeError, match=pattern):
            assert_close(FakeArray([1], wrapper(name)), [1])
        with pytest.raises(TypeError, match=r"actual\[1\] has dtype %s" % name):
            assert_close([1.0, FakeScalar(1, wrapper(name))], [1.0, 1.0])


def test_an_explicit_dtype_that_disagrees_is_an_error():
    actual = FakeArray([1.0], NumpyDtype("float32"))
    with pytest.raises(ValueError, match="dtype='float64' was passed, but actual has dtype"
                                         " float32"):
        assert_close(actual, [1.0], dtype="float64")
    with pytest.raises(ValueError, match=r"pass plain floats \(.tolist\(\)\) to compare them as"
                                         " float16"):
        assert_close(actual, [1.0], dtype="float16")
    # the way round it: the values alone
    assert_close(actual.tolist(), [1.0], dtype="float16")
    with pytest.raises(TypeError, match="has dtype int64"):
        assert_close(FakeArray([1], NumpyDtype("int64")), [1.0], dtype="float64")


def test_mixed_dtypes_in_actual_are_an_error():
    mixed = [FakeScalar(1.0, NumpyDtype("float32")), FakeScalar(1.0, TorchDtype("float64"))]
    with pytest.raises(ValueError, match=r"actual mixes dtypes: actual\[0\] is float32 but"
                                         r" actual\[1\] is float64"):
        assert_close(mixed, [1.0, 1.0])
    # plain numbers beside them carry no dtype
    assert_close([FakeScalar(1.0, NumpyDtype("float16")), 2.0], [1.0, 2.0])
    assert "compared as float16" in failure([FakeScalar(1.0, NumpyDtype("float16")), 0.1], [1.0, 0.1])


def test_expected_lends_its_dtype_only_to_a_plain_actual():
    assert "compared as float16, the dtype of expected" in failure(
        [1.0, 1.0], FakeArray([1.0, 1.0009765625], NumpyDtype("float16")))
    assert_close([1.0, 1.0], FakeArray([1.0, 1.0009765625], NumpyDtype("float16")), max_ulp=1)
    # actual's dtype wins over expected's
    message = failure(FakeArray([1.0], NumpyDtype("float32")),
                      FakeArray([1.0009765625], NumpyDtype("float16")))
    assert "compared as float32, the dtype of actual" in message and "8192 ULP" in message
    # an expected int array, or a mixed one, lends nothing
    assert "compared as float64)" in failure([0.5], FakeArray([1], NumpyDtype("int64")))
    assert_close([1.0, 2.0], FakeArray([1, 2], NumpyDtype("int64")))


def test_float64_subclasses_with_a_dtype():
    class Float64(float):
        dtype = NumpyDtype("float64")

    assert_close([Float64(0.1)], [0.1])
    with pytest.raises(ValueError, match=r"actual\[0\] has dtype float64"):
        assert_close([Float64(0.1)], [0.1], dtype="float32")


# --- assert_close: values that are not of the dtype ----------------------------------

@pytest.mark.parametrize("dtype, value, pattern", [
    ("float16", 0.1, 0x2E66),
    ("float16", 70000.0, 0x7BFF),
    ("float16", 2.0 ** -26, 0x0000),
    ("float16", -1e-9, 0x8001),
    ("bfloat16", 0.1, 0x3DCC),
    ("bfloat16", 1.001, 0x3F80),
    ("float32", 0.1, 0x3DCCCCCC),
])
def test_a_value_that_is_not_of_the_dtype_is_named_with_its_neighbours(dtype, value, pattern):
    if dtype == "float32":
        below, above = [struct.unpack("<f", struct.pack("<I", n))[0] for n in (pattern, pattern + 1)]
    else:
        below, above = DECODE[dtype](pattern), DECODE[dtype](pattern_up(pattern, dtype))
    assert below < value < above and Fraction(below) < Fraction(value)   # the reference is right
    shown = "is not a %s value; nearest are %r and %r" % (dtype, below, above)
    message = failure([1.0, value], [1.0, 0.0], dtype=dtype)
    assert "actual[1] = %r %s" % (value, shown) in message
    message = failure([1.0, 0.0], [1.0, value], max_ulp=10 ** 9, dtype=dtype)
    assert "expected[1] = %r %s" % (value, shown) in message
    assert "1 of 2 elements" in message and "ULP apart" not in message


def test_the_count_of_such_values():
    message = failure([0.1, 0.2, 1.0, 0.3], [0.1, 0.2, 1.0, 0.3], dtype="float16")
    assert "3 of 4 elements" in message
    assert "actual[0] = 0.1 is not a float16 value" in message
    assert "(2 more actual values are not float16 values either)" in message
    assert "expected" not in message.split("\n", 1)[1]   # actual's values are the ones blamed
    message = failure([1.0, 1.0, 1.0], [1.0, 0.1, 1.0009765625], dtype="float16")
    assert "2 of 3 elements" in message
    assert "expected[1] = 0.1 is not a float16 value" in message
    assert "worst at [2]" in message and "1 ULP apart" in message
    assert "round the reference once to float16" in message


def test_value_tolerances_compare_an_expected_that_is_not_of_the_dtype_exactly():
    # A float32 result against a float64 reference: NumPy-style rtol needs no rounding.
    actual = FakeArray(SIGMOID32, NumpyDtype("float32"))
    reference = [1 / (1 + math.exp(-x)) for x in XS]
    assert_close(actual, reference, rtol=2.0 ** -23)
    assert "is not a float32 value" in failure(actual, reference, max_ulp=2)
    # actual is the thing under test: a value not of its dtype always fails
    assert "actual[0] = 0.1 is not a float16 value" in failure([0.1], [0.1], rtol=1.0,
                                                              dtype="float16")


def test_ints_are_values_of_a_format_when_they_are_exactly():
    assert_close([2048, -65504], [2048.0, -65504.0], dtype="float16")
    assert "actual[0] = 2049 is not a float16 value; nearest are 2048.0 and 2050.0" in failure(
        [2049], [2048.0], max_ulp=5, dtype="float16")
    assert "actual = 65536 is not a float16 value; nearest are 65504.0 and inf" in failure(
        65536, INF, dtype="float16")
    assert_close(256.0, 257, atol=1, dtype="bfloat16")


def test_infinities_and_nan_are_values_of_every_format():
    for dtype in NARROW:
        assert_close([INF, -INF, NAN, -0.0], [INF, -INF, NAN, 0.0], dtype=dtype)
        assert "NaN against a number" in failure([NAN], [1.0], dtype=dtype, rtol=1.0)
        assert "inf" in failure([INF], [1.0], dtype=dtype, atol=1e30, rtol=1.0)
    assert_close([65504.0], [INF], max_ulp=1, dtype="float16")
    assert_close([-INF], [-3.3895313892515355e38], max_ulp=1, dtype="bfloat16")


# --- assert_close: rtol and atol, exactly --------------------------------------------

@pytest.mark.parametrize("dtype, e, rtol, atol", [
    ("float16", 1.5, 2.0 ** -6, 2.0 ** -8),
    ("float16", -100.0, 2.0 ** -6, 0.0),
    ("float16", 2.0 ** -20, 0.0, 2.0 ** -22),          # subnormals
    ("bfloat16", 3.0, 2.0 ** -4, 2.0 ** -5),
    ("bfloat16", -2.0 ** -130, 2.0 ** -1, 2.0 ** -133),  # subnormals
    ("float32", 1.0, 2.0 ** -20, 2.0 ** -21),
    ("float64", 1.0, 2.0 ** -40, 2.0 ** -45),
])
def test_values_on_the_bound_pass_and_one_step_beyond_fail(dtype, e, rtol, atol):
    bound = Fraction(atol) + Fraction(rtol) * abs(Fraction(e))
    top, bottom = float(Fraction(e) + bound), float(Fraction(e) - bound)
    for a, beyond in ((top, next_up(top, dtype)), (bottom, next_down(bottom, dtype))):
        assert round_to(a, dtype) == a                    # on the bound, and a value of dtype
        assert abs(Fraction(beyond) - Fraction(e)) > bound
        assert_close([a], [e], rtol=rtol, atol=atol, dtype=dtype)
        failure([beyond], [e], rtol=rtol, atol=atol, dtype=dtype)


def test_rtol_and_atol_add_where_rel_and_abs_do_not():
    assert_close(1.5, 1.0, rtol=0.25, atol=0.25)
    failure(1.5, 1.0, rel=0.25, abs=0.25)
    failure(1.5, 1.0, rtol=0.25)
    failure(1.5, 1.0, atol=0.25)
    assert_close(1.5, 1.0, rtol=0.5)
    assert_close(1.5, 1.0, atol=0.5)
    assert "rtol=0.25, atol=0.25" in failure(1.75, 1.0, rtol=0.25, atol=0.25)
    assert "equal values only" in failure(1.75, 1.0, rtol=0, atol=0.0)


def test_a_bound_the_float_formula_gets_wrong():
    # e = 2**-52, rtol = 0.75, atol = 1: the exact bound is 1 + 0.75 * 2**-52,
    # which float arithmetic rounds up to 1 + 2**-52.  a = 1 + 2**-51 is
    # 1 + 2**-52 from e, beyond the exact bound, but within the rounded one.
    e, rtol, atol, a = 2.0 ** -52, 0.75, 1.0, 1.0 + 2.0 ** -51
    exact_bound = Fraction(atol) + Fraction(rtol) * Fraction(e)
    assert Fraction(a) - Fraction(e) > exact_bound
    assert abs(a - e) <= atol + rtol * abs(e)          # the float formula passes it
    failure(a, e, rtol=rtol, atol=atol)
    inside = next_down(a)
    assert Fraction(inside) - Fraction(e) <= exact_bound
    assert_close(inside, e, rtol=rtol, atol=atol)


@pytest.mark.parametrize("dtype", NARROW + ("float32",))
@given(data=st.data(),
       rtol=st.one_of(st.just(0.0), st.floats(min_value=0, max_value=1)),
       atol=st.one_of(st.just(0.0), st.floats(min_value=0, max_value=10)),
       max_ulp=st.one_of(st.none(), st.integers(min_value=0, max_value=100)))
def test_tolerances_match_exact_arithmetic(dtype, data, rtol, atol, max_ulp):
    a = round_to(data.draw(st.floats(allow_nan=False)), dtype)
    e = data.draw(st.one_of(st.floats(allow_nan=False), st.just(a),
                            st.floats(allow_nan=False).map(lambda v: round_to(v, dtype))))
    e_is_value = round_to(e, dtype) == e
    finite = a - a == 0 and e - e == 0
    difference = abs(Fraction(a) - Fraction(e)) if finite else None
    should_pass = (
        (e_is_value and reference_distance(a, e, dtype) == 0)
        or (e_is_value and max_ulp is not None and reference_distance(a, e, dtype) <= max_ulp)
        or (finite and difference <= Fraction(atol) + Fraction(rtol) * abs(Fraction(e)))
    )
    try:
        assert_close([a], [e], max_ulp=max_ulp, rtol=rtol, atol=atol, dtype=dtype)
        passed = True
    except AssertionError as error:
        passed = False
        assert ("expected[0] = %r is not a %s value" % (e, dtype) in str(error)) == (not e_is_value)
    assert passed == should_pass


@pytest.mark.parametrize("name, value, error", [
    ("rtol", -1e-9, ValueError), ("atol", -0.5, ValueError), ("rtol", NAN, ValueError),
    ("atol", INF, ValueError), ("rtol", True, TypeError), ("atol", "1e-9", TypeError),
])
def test_rtol_and_atol_are_validated(name, value, error):
    with pytest.raises(error, match="assert_close: %s" % name):
        assert_close(1.0, 1.0, **{name: value})
