"""Tests for nnref.testing: ULP distances, neighbours and assert_close.

The reference answers never come from nnref.testing itself.  A float's
position on the line of representable values is recomputed here from its
value with exact rational arithmetic (``fractions.Fraction``): count the
subnormals, the whole binades below it, and its place inside its own binade.
Rounding to float32 is recomputed the same way (round half to even of an
exact rational).  Neighbours come from ``math.nextafter`` where Python has it
(3.9+), and from stepping the bit pattern with ``struct`` before that.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from nnref.testing import assert_close, next_down, next_up, ulp, ulp_distance

from support import bits, from_bits

INF = float("inf")
NAN = float("nan")
MAX64 = 1.7976931348623157e308
MAX32 = 3.4028234663852886e38
TINY64 = 5e-324
TINY32 = 2.0 ** -149

# (precision p with the implicit bit, smallest normal exponent, largest exponent)
FORMATS = {"float64": (53, -1022, 1023), "float32": (24, -126, 127)}


# --- independent references ----------------------------------------------------

def floor_log2(q):
    """The integer e with 2**e <= q < 2**(e+1), for a positive Fraction q."""
    e = q.numerator.bit_length() - q.denominator.bit_length()
    if Fraction(2) ** e > q:
        e -= 1
    if Fraction(2) ** (e + 1) <= q:
        e += 1
    return e


def position(x, dtype):
    """The index of the value x (exactly a value of dtype) among the format's values.

    Zero is 0, the smallest subnormal 1, and so on up through every binade;
    +inf is one past the largest finite value; negatives mirror positives.
    """
    p, emin, emax = FORMATS[dtype]
    if x < 0:
        return -position(-x, dtype)
    per_binade = 2 ** (p - 1)
    if x == INF:
        return (emax - emin + 2) * per_binade
    q = Fraction(x)
    if q < Fraction(2) ** emin:
        steps = q / Fraction(2) ** (emin - p + 1)  # multiples of the smallest subnormal
    else:
        e = floor_log2(q)
        steps = (e - emin + 1) * per_binade + (q / Fraction(2) ** e - 1) * per_binade
    assert steps.denominator == 1, "%r is not a %s value" % (x, dtype)
    return int(steps)


def round_to(value, dtype):
    """The number value (float or int, not NaN) rounded to dtype, half to even, as a float."""
    p, emin, emax = FORMATS[dtype]
    if value in (INF, -INF):
        return float(value)
    q = Fraction(value)
    if q == 0:
        return float(value)  # keeps the sign of a float zero
    a = abs(q)
    e = max(floor_log2(a), emin)
    quantum = Fraction(2) ** (e - p + 1)
    rounded = round(a / quantum) * quantum  # round() of a Fraction is half to even
    if rounded >= Fraction(2) ** (emax + 1):
        result = INF
    else:
        result = float(rounded)  # exact: rounded is a value of the format
    return -result if q < 0 else result


def reference_distance(a, b, dtype):
    if a != a or b != b:
        return 0 if (a != a and b != b) else INF
    return abs(position(round_to(a, dtype), dtype) - position(round_to(b, dtype), dtype))


def bit_neighbour_up(x):
    """The next float64 above x (finite, not the largest), by stepping its bit pattern."""
    if x == 0:
        return TINY64
    n = bits(x)
    return from_bits(n + 1 if x > 0 else n - 1)


if hasattr(math, "nextafter"):  # Python 3.9+
    def neighbour_up(x):
        return math.nextafter(x, INF)
else:
    neighbour_up = bit_neighbour_up


def float32_neighbour_up(x):
    if x == 0:
        return TINY32
    n = bits(x, "float32")
    return from_bits(n + 1 if x > 0 else n - 1, "float32")


# --- strategies ----------------------------------------------------------------

SPECIAL = [0.0, -0.0, TINY64, -TINY64, 2.0 ** -1022, -(2.0 ** -1022), 2.0 ** -1022 - TINY64,
           1.0, -1.0, MAX64, -MAX64, INF, -INF, TINY32, MAX32, 2.0 ** -126, 1e39, -1e39]

# Uniform over bit patterns reaches every binade and the subnormals equally;
# st.floats() favours "interesting" values.
any_bits = st.integers(min_value=0, max_value=2 ** 64 - 1).map(from_bits)
numbers = st.one_of(st.floats(), any_bits, st.sampled_from(SPECIAL))
non_nan = numbers.filter(lambda x: x == x)
finite = numbers.filter(lambda x: x == x and x not in (INF, -INF))
float32_values = st.floats(width=32)


# --- ulp_distance: hand cases --------------------------------------------------

@pytest.mark.parametrize("a, b, dtype, expected", [
    (1.0, 1.0, "float64", 0),
    (0.0, -0.0, "float64", 0),
    (-0.0, 0.0, "float32", 0),
    (NAN, NAN, "float64", 0),
    (NAN, -NAN, "float32", 0),
    (TINY64, 0.0, "float64", 1),
    (TINY64, -0.0, "float64", 1),
    (-TINY64, TINY64, "float64", 2),
    (2.0 ** -1022, 2.0 ** -1022 - TINY64, "float64", 1),  # smallest normal, largest subnormal
    (1.0, 1.0 + 2.0 ** -52, "float64", 1),
    (1.0, 1.0 - 2.0 ** -53, "float64", 1),  # the binade below is twice as dense
    (1.0, 2.0, "float64", 2 ** 52),
    (-1.0, 1.0, "float64", 2 * 1023 * 2 ** 52),
    (MAX64, INF, "float64", 1),
    (-MAX64, -INF, "float64", 1),
    (-INF, INF, "float64", 2 * 2047 * 2 ** 52),
    (0.0, INF, "float64", 0x7FF0000000000000),
    (1.0, 1.0 + 2.0 ** -23, "float32", 1),
    (1.0, 1.0 + 2.0 ** -23, "float64", 2 ** 29),
    (TINY32, -TINY32, "float32", 2),
    (TINY64, 0.0, "float32", 0),  # rounds to 0 in float32
    (0.1, 0.10000000149011612, "float32", 0),
    (MAX32, INF, "float32", 1),
    (1e39, MAX32, "float32", 1),  # 1e39 overflows float32 to inf
    (-1e39, -INF, "float32", 0),
    (1, 1.0, "float64", 0),
    (-3, 3, "float64", 2 * position(3.0, "float64")),
])
def test_hand_cases(a, b, dtype, expected):
    assert ulp_distance(a, b, dtype) == expected
    assert ulp_distance(b, a, dtype) == expected


def test_result_types():
    assert type(ulp_distance(1.0, 2.0)) is int
    assert ulp_distance(NAN, 1.0) == INF and math.isinf(ulp_distance(1.0, NAN))
    assert ulp_distance(NAN, INF) == INF
    assert ulp_distance(NAN, 1.0, "float32") == INF


def test_default_dtype_is_float64():
    a, b = 1.0, 1.0 + 2.0 ** -52
    assert ulp_distance(a, b) == ulp_distance(a, b, "float64") == 1


def test_float_subclasses_are_numbers():
    class MyFloat(float):
        pass

    assert ulp_distance(MyFloat(1.0), 1.0 + 2.0 ** -52) == 1
    assert ulp_distance(MyFloat("nan"), MyFloat("nan")) == 0


@pytest.mark.parametrize("n, b, dtype, expected", [
    (2 ** 53 + 1, 2.0 ** 53, "float64", 0),  # tie: rounds to even, 2**53
    (2 ** 53 + 3, 2.0 ** 53, "float64", 2),  # tie: rounds to even, 2**53 + 4
    (-(2 ** 53 + 3), -(2.0 ** 53), "float64", 2),
    # float(n) first would round twice (to 2**60 + 2**36, then a float32 tie
    # to even, 2**60); from the exact value it is one float32 step above 2**60.
    (2 ** 60 + 2 ** 36 + 1, 2.0 ** 60, "float32", 1),
    (2 ** 24 + 1, 2.0 ** 24, "float32", 0),
    (2 ** 1024 - 2 ** 970 - 1, MAX64, "float64", 0),  # just below the overflow threshold
    (2 ** 200, INF, "float32", 0),  # finite in float64, past the float32 range
    (10 ** 30, 1e30, "float64", 0),
])
def test_ints_are_rounded_from_their_exact_value(n, b, dtype, expected):
    assert reference_distance(n, b, dtype) == expected  # the case itself is right
    assert ulp_distance(n, b, dtype) == expected


@pytest.mark.parametrize("n", [2 ** 1024, 2 ** 1024 - 2 ** 970, -(10 ** 400)])
def test_ints_past_the_float64_range_are_rejected(n):
    for dtype in ("float64", "float32"):
        with pytest.raises(ValueError, match="ulp_distance: a is an int too large"):
            ulp_distance(n, 1.0, dtype)


@pytest.mark.parametrize("bad", [True, False, "1.0", None, 1j, [1.0], Fraction(1, 2)])
def test_non_numbers_are_type_errors(bad):
    with pytest.raises(TypeError, match="ulp_distance: a is"):
        ulp_distance(bad, 1.0)
    with pytest.raises(TypeError, match="ulp_distance: b is"):
        ulp_distance(1.0, bad)


@pytest.mark.parametrize("dtype", ["float8", "f8", "", None, 64, "FLOAT64"])
def test_unknown_dtype_names_the_allowed_ones(dtype):
    with pytest.raises(ValueError, match="ulp_distance: dtype must be 'float64', 'float32', 'float16' or 'bfloat16'"):
        ulp_distance(1.0, 1.0, dtype)


# --- ulp_distance: properties --------------------------------------------------

@given(a=numbers, b=numbers)
@example(a=0.0, b=-0.0)
@example(a=-TINY64, b=TINY64)
@example(a=MAX64, b=INF)
def test_float64_matches_exact_positions(a, b):
    assert ulp_distance(a, b) == reference_distance(a, b, "float64")


@given(a=numbers, b=numbers)
@example(a=1e39, b=MAX32)
@example(a=TINY32 / 2, b=0.0)  # a tie: rounds to even, zero
@example(a=TINY32 * 1.5, b=TINY32)  # a tie: rounds to even, 2 * TINY32
def test_float32_matches_exact_rounding_and_positions(a, b):
    assert ulp_distance(a, b, "float32") == reference_distance(a, b, "float32")


@given(a=float32_values, b=float32_values)
def test_float32_values_count_float32_steps(a, b):
    assert ulp_distance(a, b, "float32") == reference_distance(a, b, "float32")


@given(n=st.integers(min_value=-(2 ** 1000), max_value=2 ** 1000), b=finite)
def test_ints_match_exact_rounding(n, b):
    for dtype in ("float64", "float32"):
        assert ulp_distance(n, b, dtype) == reference_distance(n, b, dtype)


@given(x=finite.filter(lambda x: x != MAX64))
@example(x=-TINY64)
@example(x=-0.0)
@example(x=2.0 ** -1022 - TINY64)
@example(x=-(2.0 ** -1022))
def test_neighbours_are_one_apart(x):
    up = neighbour_up(x)
    assert ulp_distance(x, up) == 1
    assert ulp_distance(up, x) == 1


@given(x=float32_values.filter(lambda x: x == x and abs(x) < MAX32))
def test_float32_neighbours_are_one_apart(x):
    assert ulp_distance(x, float32_neighbour_up(x), "float32") == 1


@given(a=numbers, b=numbers)
def test_symmetric(a, b):
    for dtype in ("float64", "float32"):
        assert ulp_distance(a, b, dtype) == ulp_distance(b, a, dtype)


@given(a=non_nan, b=non_nan, c=non_nan)
def test_triangle_inequality(a, b, c):
    for dtype in ("float64", "float32"):
        assert ulp_distance(a, c, dtype) <= ulp_distance(a, b, dtype) + ulp_distance(b, c, dtype)


@given(values=st.lists(non_nan, min_size=3, max_size=3))
def test_triangle_equality_for_ordered_values(values):
    a, b, c = sorted(values)
    for dtype in ("float64", "float32"):
        assert ulp_distance(a, c, dtype) == ulp_distance(a, b, dtype) + ulp_distance(b, c, dtype)


# --- next_up, next_down, ulp ---------------------------------------------------

@pytest.mark.parametrize("x, up, down", [
    (1.0, 1.0 + 2.0 ** -52, 1.0 - 2.0 ** -53),
    (0.0, TINY64, -TINY64),
    (-0.0, TINY64, -TINY64),
    (TINY64, 2 * TINY64, 0.0),
    (MAX64, INF, 1.7976931348623155e308),
    (INF, INF, MAX64),
    (-INF, -MAX64, -INF),
])
def test_neighbour_hand_cases(x, up, down):
    assert next_up(x) == up
    assert next_down(x) == down


def test_steps_onto_zero_keep_the_sign_of_the_start():
    # As C nextafter and math.nextafter do.
    assert math.copysign(1.0, next_up(-TINY64)) == -1.0
    assert math.copysign(1.0, next_down(TINY64)) == 1.0
    assert math.copysign(1.0, next_up(-TINY32, "float32")) == -1.0


def test_neighbours_of_nan_are_nan():
    for f in (next_up, next_down, ulp):
        for dtype in ("float64", "float32"):
            r = f(NAN, dtype)
            assert r != r


@given(x=non_nan)
def test_next_up_and_down_step_one_position(x):
    up, down = next_up(x), next_down(x)
    if x != INF:
        assert position(up, "float64") == position(x, "float64") + 1
        assert up == neighbour_up(x)
    if x != -INF:
        assert position(down, "float64") == position(x, "float64") - 1
    assert next_down(x) == -next_up(-x)


@given(x=non_nan)
def test_float32_steps(x):
    r = round_to(x, "float32")
    up, down = next_up(x, "float32"), next_down(x, "float32")
    if r != INF:
        assert position(up, "float32") == position(r, "float32") + 1
    if r != -INF:
        assert position(down, "float32") == position(r, "float32") - 1


@pytest.mark.parametrize("x, dtype, expected", [
    (1.0, "float64", 2.0 ** -52),
    (-1.0, "float64", 2.0 ** -52),
    (0.0, "float64", TINY64),
    (-0.0, "float32", TINY32),
    (MAX64, "float64", 2.0 ** 971),
    (MAX32, "float32", 2.0 ** 104),
    (INF, "float64", INF),
    (-INF, "float32", INF),
    (1.0, "float32", 2.0 ** -23),
    (0.1, "float32", 2.0 ** -27),
    (2.0 ** -1022, "float64", TINY64),
])
def test_ulp_hand_cases(x, dtype, expected):
    assert ulp(x, dtype) == expected


@given(x=finite)
def test_ulp_is_the_gap_to_the_next_float(x):
    a = abs(x)
    if a == MAX64:
        assert Fraction(ulp(x)) == Fraction(a) - Fraction(from_bits(bits(a) - 1))
    else:
        assert Fraction(ulp(x)) == Fraction(neighbour_up(a)) - Fraction(a)
    if hasattr(math, "ulp"):
        assert ulp(x) == math.ulp(x)


def test_helpers_validate_like_ulp_distance():
    for f in (next_up, next_down, ulp):
        with pytest.raises(TypeError):
            f(True)
        with pytest.raises(TypeError):
            f("1")
        with pytest.raises(ValueError, match="'float64', 'float32', 'float16' or 'bfloat16'"):
            f(1.0, "float8")


# --- assert_close ----------------------------------------------------------------

def failure(actual, expected, **tolerances):
    with pytest.raises(AssertionError) as info:
        assert_close(actual, expected, **tolerances)
    return str(info.value)


def test_equal_values_pass_and_return_none():
    assert assert_close([[1.0, 2.0], [3.0, -4.5]], [[1.0, 2.0], [3.0, -4.5]]) is None
    assert assert_close(2.5, 2.5) is None
    assert assert_close([], []) is None
    assert assert_close([[], []], ((), ())) is None


def test_nan_equals_nan_and_zero_equals_negative_zero():
    assert_close([NAN, 0.0, -0.0, INF, -INF], [NAN, -0.0, 0.0, INF, -INF])


def test_any_difference_fails_without_tolerance():
    message = failure([1.0], [1.0 + 2.0 ** -52])
    assert "1 of 1 elements" in message
    assert "equal values only" in message


def test_message_names_the_worst_element_both_values_and_the_count():
    expected = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    actual = [[1.0 + 2.0 ** -52, 2.0, 3.0], [4.0, 5.0, 6.0 + 3 * 2.0 ** -50]]
    message = failure(actual, expected)
    worst_actual = 6.0 + 3 * 2.0 ** -50
    assert "2 of 6 elements" in message
    assert "[1][2]" in message
    assert "[0][0]" not in message
    assert repr(worst_actual) in message and worst_actual.hex() in message
    assert repr(6.0) in message and (6.0).hex() in message
    assert "3 ULP" in message


def test_worst_is_the_largest_distance_first_on_ties():
    message = failure([1.0, 2.0 + 2.0 ** -51, 3.0 + 2.0 ** -51], [1.5, 2.0, 3.0], max_ulp=0)
    assert "worst at [0]:" in message
    message = failure([1.0, 2.0 + 2.0 ** -51, 4.0 + 2.0 ** -50], [1.0, 2.0, 4.0])
    assert "worst at [1]:" in message and "2 of 3 elements" in message


def test_nan_against_a_number_always_fails():
    for tolerances in ({}, {"max_ulp": 10 ** 30}, {"rel": 1e300}, {"abs": 1e300}):
        message = failure([1.0, NAN], [1.0, 2.0], **tolerances)
        assert "[1]" in message and "NaN" in message and "1 of 2 elements" in message
        failure([1.0, 2.0], [1.0, NAN], **tolerances)


def test_infinities():
    assert_close(INF, INF)
    assert_close(INF, MAX64, max_ulp=1)  # inf is one step past the largest finite
    failure(INF, MAX64, abs=1e308, rel=1.0)
    failure(INF, -INF, max_ulp=10 ** 6)
    failure(1.0, INF, rel=1e300)


def test_shapes_are_checked_first():
    message = failure([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[1.0, 2.0], [4.0, 5.0]], abs=1e9)
    assert "shapes differ" in message and "(2, 3)" in message and "(2, 2)" in message
    assert "at [0]" in message
    message = failure([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, [4.0]]])
    assert "at [1][1]" in message and "ragged" in message
    assert "(1,)" in failure(1.0, [1.0])
    assert "shapes differ" in failure([1.0], 1.0)
    assert "shapes differ" in failure([], [[]])
    assert "shapes differ" in failure([NAN], [])


class FakeArray:
    """Just enough of an array: .tolist() returns nested lists, like NumPy and PyTorch."""

    def __init__(self, rows):
        self.rows = rows

    def tolist(self):
        return [list(row) for row in self.rows]


class FakeScalar:
    """A scalar with .item() only, like a 0-d tensor without .tolist()."""

    def __init__(self, value):
        self.value = value

    def item(self):
        return self.value


def test_objects_with_tolist_and_item():
    assert_close(FakeArray([[1.0, 2.0], [3.0, 4.0]]), [[1.0, 2.0], [3.0, 4.0]])
    assert_close([FakeScalar(1.5), FakeScalar(2)], FakeArray([[1.5, 2.0]]).tolist()[0])
    assert_close([FakeArray([[1.0]]), FakeArray([[2.0]])], [[[1.0]], [[2.0]]])
    message = failure(FakeArray([[1.0, 2.0], [3.0, 4.0]]), [[1.0, 2.0], [3.0, 5.0]])
    assert "[1][1]" in message
    assert "shapes differ" in failure(FakeArray([[1.0, 2.0]]), [1.0, 2.0])


def test_converted_objects_are_checked_like_lists():
    class TupleArray:
        def tolist(self):
            return ((1, 2.0), (3, 4))

    assert_close(TupleArray(), [[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(TypeError, match=r"assert_close: expected\[0\]\[1\] is True"):
        assert_close([[1.0, 2.0]], FakeArray([[1.0, True]]))
    with pytest.raises(TypeError, match=r"assert_close: actual\[1\]\[0\] is 'x'"):
        assert_close(FakeArray([[1.0], "x"]), [[1.0], [2.0]])
    # issue 12: values are no longer rounded to the dtype; 0.1 is not a float32 value
    message = failure(FakeArray([[0.1]]), [[0.10000000149011612]], dtype="float32")
    assert "actual[0][0] = 0.1 is not a float32 value" in message


def test_an_object_converting_to_itself_is_a_type_error():
    class Loop:
        def tolist(self):
            return self

    with pytest.raises(TypeError, match="assert_close: expected is"):
        assert_close(1.0, Loop())


def test_ints_are_compared_at_their_exact_values():
    # issue 12 changed this: ints used to be rounded to the dtype first (so
    # 2**53 + 1 passed against 2.0**53); now an int that is not a value of the
    # dtype is reported as such, like a float.
    assert_close(2 ** 53, 2.0 ** 53)
    assert_close([2 ** 60 + 2 ** 37], [2.0 ** 60 + 2.0 ** 37], dtype="float32")
    assert_close([3, -2048], [3.0, -2048.0], dtype="float16")
    message = failure(2 ** 53 + 1, 2.0 ** 53)
    assert "actual = 9007199254740993 is not a float64 value" in message
    assert "nearest are 9007199254740992.0 and 9007199254740994.0" in message
    message = failure([2 ** 60 + 2 ** 36 + 1], [2.0 ** 60], dtype="float32")
    assert "actual[0] = %d is not a float32 value" % (2 ** 60 + 2 ** 36 + 1) in message
    # an expected int is compared exactly by the value tolerances
    assert_close(2.0 ** 53, 2 ** 53 + 1, abs=1)
    failure(2.0 ** 53, 2 ** 53 + 1, abs=next_down(1.0))
    # past the float32 range an int is not a float32 value (it used to become inf)
    assert "not a float32 value; nearest are 3.4028234663852886e+38 and inf" in failure(
        2 ** 200, 1e300, abs=1.0, dtype="float32")
    failure(2 ** 200, 1e30, abs=1e301, dtype="float32")


def test_float_subclass_elements():
    class Float64(float):
        pass

    assert_close([Float64(0.1)], [0.1])
    failure([Float64(0.1)], [0.2])


@pytest.mark.parametrize("actual, where", [
    ([1.0, True], "actual[1]"),
    ([[1.0, 2.0], [3.0, "4"]], "actual[1][1]"),
    (None, "actual"),
    ([1.0, 1j], "actual[1]"),
    ({"a": 1.0}, "actual"),
])
def test_non_numbers_are_type_errors_with_position(actual, where):
    pattern = "assert_close: %s is" % where.replace("[", r"\[").replace("]", r"\]")
    with pytest.raises(TypeError, match=pattern):
        assert_close(actual, actual)


def test_max_ulp_boundary():
    actual, expected = [1.0 + 3 * 2.0 ** -52], [1.0]
    assert_close(actual, expected, max_ulp=3)
    assert_close(actual, expected, max_ulp=3.5)
    assert "3 ULP" in failure(actual, expected, max_ulp=2)


def test_rel_is_relative_to_expected_and_exact():
    assert_close(1.0 + 2.0 ** -20, 1.0, rel=2.0 ** -20)
    failure(1.0 + 2.0 ** -20, 1.0, rel=next_down(2.0 ** -20))
    # relative to expected, not to actual: |2 - 1| <= 0.5 * 2 but not <= 0.5 * 1
    assert_close(1.0, 2.0, rel=0.5)
    failure(2.0, 1.0, rel=0.5)


def test_abs_is_exact():
    # The float difference 1.0 - (-1e-20) rounds to 1.0, but the true
    # difference is larger than 1, so abs=1.0 must not pass it.
    assert Fraction(1.0) - Fraction(-1e-20) > 1 and 1.0 - (-1e-20) == 1.0
    failure(1.0, -1e-20, abs=1.0)
    assert_close(1.0, -1e-20, abs=next_up(1.0))
    assert_close(1e-300, -1e-300, abs=2e-300)
    assert_close(0.0, TINY64, abs=TINY64)
    # a normal against a subnormal: exact across the boundary
    assert_close(2.0 ** -1022, 2.0 ** -1022 - TINY64, abs=TINY64)
    failure(2.0 ** -1022, 2.0 ** -1022 - 2 * TINY64, abs=TINY64)
    assert_close(2.0 ** -1022, 2.0 ** -1022 - TINY64, rel=2.0 ** -51)
    failure(2.0 ** -1022, 2.0 ** -1022 - TINY64, rel=2.0 ** -52)  # 2**-52 * expected < 2**-1074


def test_any_tolerance_suffices():
    actual, expected = [1.0, 100.0], [1.0 + 2.0 ** -50, 100.5]
    failure(actual, expected, max_ulp=4)  # 100 vs 100.5 is far more than 4 ULP
    failure(actual, expected, abs=0.1)  # passes 1.0 but not 100.0
    failure(actual, expected, rel=1e-15)  # passes 1.0 (rel 8.9e-16) but not 100.0
    assert_close(actual, expected, max_ulp=4, abs=0.5)
    assert_close(actual, expected, rel=0.01)
    assert_close(actual, expected, rel=1e-20, abs=0.5)


@given(actual=finite, expected=finite,
       max_ulp=st.one_of(st.none(), st.integers(min_value=0, max_value=2 ** 60)),
       rel=st.one_of(st.none(), st.floats(min_value=0, max_value=10)),
       absolute=st.one_of(st.none(), st.floats(min_value=0, max_value=1e300)))
def test_tolerances_match_exact_arithmetic(actual, expected, max_ulp, rel, absolute):
    difference = abs(Fraction(actual) - Fraction(expected))
    should_pass = (
        difference == 0
        or (max_ulp is not None and reference_distance(actual, expected, "float64") <= max_ulp)
        or (rel is not None and difference <= Fraction(rel) * abs(Fraction(expected)))
        or (absolute is not None and difference <= Fraction(absolute))
    )
    try:
        assert_close(actual, expected, max_ulp=max_ulp, rel=rel, abs=absolute)
        passed = True
    except AssertionError:
        passed = False
    assert passed == should_pass


def test_float32_compares_float32_values():
    assert_close(0.10000000149011612, 0.10000000149011612, dtype="float32")
    failure(0.1, 0.10000000149011612)
    assert_close(1.0, 1.0 + 2.0 ** -23, max_ulp=1, dtype="float32")
    failure(1.0, 1.0 + 2.0 ** -23, max_ulp=1)
    message = failure([1.0, 1.0], [1.0, 1.0 + 2.0 ** -21], dtype="float32")
    assert "float32" in message and "4 ULP" in message and "[1]" in message
    # issue 12 changed this: the values used to be rounded to float32 first, so
    # 0.1 passed against 0.10000000149011612 (and against 0.1000000001, abs=0).
    # Now a value that is not a float32 value is reported as such.
    message = failure(0.1, 0.10000000149011612, dtype="float32")
    assert "actual = 0.1 is not a float32 value" in message
    message = failure(0.10000000149011612, 0.1000000001, abs=0.0, dtype="float32")
    assert "expected = 0.1000000001 is not a float32 value" in message
    # abs and rel compare exact values, so a float64 reference is fine with them
    assert_close(0.10000000149011612, 0.1, abs=1.5e-9, dtype="float32")


@pytest.mark.parametrize("name, value, error", [
    ("max_ulp", -1, ValueError),
    ("rel", -1e-9, ValueError),
    ("abs", -0.5, ValueError),
    ("rel", NAN, ValueError),
    ("abs", INF, ValueError),
    ("max_ulp", True, TypeError),
    ("rel", False, TypeError),
    ("abs", "1e-9", TypeError),
    ("max_ulp", [1], TypeError),
])
def test_tolerances_are_validated(name, value, error):
    with pytest.raises(error, match="assert_close: %s" % name):
        assert_close(1.0, 1.0, **{name: value})


def test_unknown_dtype():
    with pytest.raises(ValueError, match="'float64', 'float32', 'float16' or 'bfloat16'"):
        assert_close(1.0, 1.0, dtype="float8")


def test_tolerances_are_keyword_only():
    with pytest.raises(TypeError):
        assert_close(1.0, 1.0, 1)


def test_inputs_are_not_modified():
    actual = [[1.0, 2.0], (3, 4.0)]
    expected = [[1.0, 2.0], [3.0, 4.5]]
    failure(actual, expected)
    assert actual == [[1.0, 2.0], (3, 4.0)] and type(actual[1]) is tuple
    assert expected == [[1.0, 2.0], [3.0, 4.5]]
