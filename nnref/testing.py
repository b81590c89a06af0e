"""ULP distances and closeness checks: the tools nnref's accuracy claims are measured with.

A claim such as "within 2 ULP of the true value" needs a way to count ULPs
(units in the last place): how many representable floating-point values lie
between a result and the value it should have been.  This module counts them
exactly, in each of nnref's four formats, and builds a test assertion on top.

=====================================  =========================================
Function                               What it does
=====================================  =========================================
``ulp_distance(a, b, dtype)``          number of float steps from ``a`` to ``b``
``assert_close(actual, expected, ..)`` compare nested lists, tuples, arrays and
                                       tensors element by element, within
                                       ``max_ulp``, ``rtol``/``atol``, ``rel``
                                       or ``abs``, in the dtype of ``actual``
``next_up(x, dtype)``                  the next float above ``x``
``next_down(x, dtype)``                the next float below ``x``
``ulp(x, dtype)``                      the spacing of the floats at ``x``
=====================================  =========================================

``dtype`` names one row of the table of formats (``nnref._base.formats``):

=============  =========  ==============  ====================  ===============
dtype          precision  exponent range  smallest subnormal    largest finite
=============  =========  ==============  ====================  ===============
``float64``    53 bits    -1022 .. 1023   2**-1074 (5e-324)     1.80e308
``float32``    24 bits    -126 .. 127     2**-149 (1.4e-45)     3.40e38
``float16``    11 bits    -14 .. 15       2**-24 (6.0e-08)      65504.0
``bfloat16``   8 bits     -126 .. 127     2**-133 (9.2e-41)     3.39e38
=============  =========  ==============  ====================  ===============

``float16`` is IEEE 754 binary16; ``bfloat16`` has float32's sign and 8
exponent bits and 7 stored fraction bits, and keeps its subnormals, as
ml_dtypes and PyTorch's CPU kernels do.  ``ulp_distance``, ``next_up``,
``next_down`` and ``ulp`` default to ``"float64"`` and first round their
arguments to ``dtype`` (once, from the exact value, ties to even; past the
range to ``±inf``), then count steps between values of that format; results
are Python floats that hold values of the format.  ``assert_close`` rounds
nothing: it reads the dtype from ``actual`` (a NumPy array, a PyTorch
tensor, a JAX array) and reports a value that is not of that dtype as such.

Everything here is exact: distances are counted on the bit patterns, and the
tolerances of ``assert_close`` compare exact rational values in integer
arithmetic, not rounded differences.  Only ``struct`` (its ``'d'`` and
``'f'`` codes, never ``'e'``) and ``math`` are used, so the module also runs
on MicroPython (which lacks ``float.hex``, ``math.nextafter``,
``sys.float_info``, ``fractions`` and ``struct``'s ``'e'``).

>>> from nnref.testing import ulp_distance, assert_close, next_up, ulp
>>> ulp_distance(1.0, 1.0 + 2**-52)
1
>>> ulp_distance(0.1 + 0.2, 0.3)
1
>>> ulp_distance(-5e-324, 5e-324)        # -tiny, 0, +tiny: two steps
2
>>> ulp_distance(1.0, 1.0 + 2**-23, dtype="float32")
1
>>> ulp_distance(1.0, 1.0 + 2**-10, "float16"), ulp_distance(1.0, 1.0 + 2**-7, "bfloat16")
(1, 1)
>>> next_up(1.0) == 1.0 + ulp(1.0) == 1.0000000000000002
True
>>> next_up(65504.0, dtype="float16"), ulp(1.0, dtype="bfloat16")
(inf, 0.0078125)
>>> assert_close([[0.1 + 0.2, 1.0]], [[0.3, 1.0]], max_ulp=1)
>>> assert_close([0.1 + 0.2], [0.3])    # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
AssertionError: assert_close: 1 of 1 elements are not close (allowed: equal values only; compared as float64)...
"""

import math

from ._base.checks import plain_number, plain_sequence
from ._base.formats import (FLOAT64, FORMATS, bit_length, check_dtype, float_hex, from_bits,
                            is_finite, round_float, round_scaled, to_bits, to_scaled_int)

_INF = float("inf")

# "'float64', 'float32', 'float16' or 'bfloat16'", in the table's order.
_FORMAT_NAMES = ", ".join("%r" % name for name in list(FORMATS)[:-1]) + " or %r" % list(FORMATS)[-1]


# --- validation and conversion -------------------------------------------------

def _round_int(func, name, n, fmt):
    # The int n correctly rounded (ties to even) to the format, from its exact
    # value: float(n) would round twice for the narrower formats, and truncates
    # on MicroPython.
    value = round_scaled(n, 0)
    if value in (_INF, -_INF):
        raise ValueError("%s: %s is an int too large for a float64 (%d bits)"
                         % (func, name, bit_length(n)))
    if fmt is FLOAT64:
        return value
    return round_scaled(n, 0, fmt)  # past the format's range: inf (IEEE overflow), as for floats


def _as_format(func, name, x, fmt):
    # The number x as a float holding a value of the format fmt.
    if type(x) is bool:  # bool is an int on CPython but not a number here
        raise TypeError("%s: %s is %r (bool), not an int or float" % (func, name, x))
    number = plain_number(x)      # the reading rule: a subclass's stored value
    if type(number) is float:
        return round_float(number, fmt)
    if type(number) is int:
        return _round_int(func, name, number, fmt)
    raise TypeError("%s: %s is %r (%s), not an int or float"
                    % (func, name, x, type(x).__name__))


# --- the integer line of floats ------------------------------------------------

def _order_key(x, fmt):
    # Non-NaN floats in increasing order map to consecutive integers: positive
    # floats to their bit pattern, negative ones to minus the pattern of their
    # magnitude, so +0.0 and -0.0 both map to 0 and +inf sits one above the
    # largest finite value.
    bits = to_bits(x, fmt)
    sign = fmt.sign_bit
    if bits & sign:
        return -(bits ^ sign)
    return bits


def _from_key(key, fmt):
    bits = -key | fmt.sign_bit if key < 0 else key
    return from_bits(bits, fmt)


def _distance(x, y, fmt):
    # x, y already of the format fmt.
    if x != x or y != y:
        return 0 if (x != x and y != y) else _INF
    d = _order_key(x, fmt) - _order_key(y, fmt)
    return -d if d < 0 else d


def _step(x, direction, fmt):
    # The neighbour of x (of the format fmt) in the given direction (+1/-1).
    if x != x or x == direction * _INF:
        return x
    result = _from_key(_order_key(x, fmt) + direction, fmt)
    if result == 0.0:
        return math.copysign(0.0, x)  # as C nextafter: stepping from -tiny up gives -0.0
    return result


# --- public functions ----------------------------------------------------------

def ulp_distance(a, b, dtype="float64"):
    """The number of representable steps between ``a`` and ``b``: 0 if equal, 1 for neighbours.

    Formula: order all non-NaN values of the format on an integer line, where
    consecutive values get consecutive integers (a positive value maps to its
    IEEE bit pattern, a negative one to minus the pattern of its magnitude);
    the distance is the absolute difference of the two positions.  The result
    is an ``int``.

    ``a`` and ``b`` are ints or floats (float subclasses such as
    ``numpy.float64`` included; a ``numpy.float32`` is not a float subclass:
    pass ``x.item()``, or use ``assert_close``).  ``dtype`` is ``"float64"``,
    ``"float32"``, ``"float16"`` or ``"bfloat16"``; both numbers are first
    rounded to the nearest value of that format (ties to even, from their
    exact values: an int is never rounded to float64 first, a float64 never
    to float32 first), and that format's steps are counted.

    Two NaNs are 0 apart, and a NaN is ``math.inf`` (a float) from any
    number.  ``0.0`` and ``-0.0`` are the same point, so the smallest
    subnormals of either sign are 1 step from zero (and 2 from each other).
    ``inf`` is one step above the largest finite value, as the next point
    of the line; ``-inf`` is symmetric.  Values past a format's range round
    to ``±inf`` (IEEE overflow: from halfway between the largest finite
    value and the next power of two on).  Ints too large for a float64
    (``2**1024`` and beyond) are a ``ValueError`` in every dtype.

    Special cases:

    - If `b` is `float("nan")`, `ulp_distance(float("nan"), b)` is `0`.
    - If `b` is `1.0`, `ulp_distance(float("nan"), b)` is `float("inf")`.
    - If `b` is `-0.0`, `ulp_distance(0.0, b)` is `0`.
    - If `b` is `0.0`, `ulp_distance(-5e-324, b)` is `1`.
    - If `b` is `1.7976931348623157e308`, `ulp_distance(float("inf"), b)` is `1`.
    - If `b` is `3.4028234663852886e38`, `ulp_distance(1e39, b, "float32")` is `1`.
    - If `a` is `2**1024`, `ulp_distance(a, 1.0)` raises ValueError.
    - If `b` is `65504.0`, `ulp_distance(float("inf"), b, "float16")` is `1`.
    - If `b` is `65504.0`, `ulp_distance(65520.0, b, "float16")` is `1`.
    - If `b` is `-2.0**-24`, `ulp_distance(2.0**-24, b, "float16")` is `2`.
    - If `b` is `0.0`, `ulp_distance(2.0**-133, b, "bfloat16")` is `1`.
    - If `b` is `1.0`, `ulp_distance(1.00390625, b, "bfloat16")` is `0`.

    (65520.0 is the float16 overflow threshold, halfway from 65504.0 to
    2**16: it rounds to ``inf``.  1.00390625 = 1 + 2**-8 is halfway between
    the bfloat16 values 1.0 and 1.0078125, and rounds to the even one, 1.0.)

    Errors: ``TypeError`` if ``a`` or ``b`` is a ``bool`` or not a number;
    ``ValueError`` for an unknown ``dtype``.

    Accuracy: exact.

    >>> ulp_distance(1.0, 1.0 + 2**-52)
    1
    >>> ulp_distance(5e-324, 0.0), ulp_distance(-5e-324, 5e-324)
    (1, 2)
    >>> ulp_distance(0.0, -0.0), ulp_distance(float("nan"), float("nan"))
    (0, 0)
    >>> ulp_distance(float("nan"), 1.0)
    inf
    >>> ulp_distance(1.0, 1.0 + 2**-23), ulp_distance(1.0, 1.0 + 2**-23, dtype="float32")
    (536870912, 1)
    >>> ulp_distance(0.1, 0.10000000149011612, dtype="float32")   # same float32
    0
    >>> ulp_distance(1.0, 2.0, dtype="float16"), ulp_distance(0.0, 65504.0, dtype="float16")
    (1024, 31743)
    >>> ulp_distance(1.0, 2.0, dtype="bfloat16"), ulp_distance(-1.0, 1.0, dtype="bfloat16")
    (128, 32512)
    """
    fmt = check_dtype(dtype, "ulp_distance")
    x = _as_format("ulp_distance", "a", a, fmt)
    y = _as_format("ulp_distance", "b", b, fmt)
    return _distance(x, y, fmt)


def next_up(x, dtype="float64"):
    """The next value above ``x`` in ``dtype``: a portable ``math.nextafter(x, math.inf)``.

    ``x`` is first rounded to ``dtype`` (ties to even), then the next value
    of that format above it is returned, as a float.  So with a narrow
    ``dtype``, ``next_up(x)`` of an ``x`` that is not a value of the format
    is the neighbour of the value ``x`` rounds to, which may be below ``x``'s
    rounding up: ``next_up(0.1, "float16")`` is 0.10003662109375, the next
    float16 above 0.0999755859375.

    Special cases:

    - If `x` is NaN, the result is NaN.
    - If `x` is +inf, the result is +inf.
    - If `x` is 1.7976931348623157e308, the result is +inf.
    - If `x` is -inf, the result is -1.7976931348623157e308.
    - If `x` is +0.0, the result is 5e-324.
    - If `x` is -0.0, the result is 5e-324.
    - If `x` is -5e-324, the result is -0.0.
    - If `dtype` is "float32" and `x` is 3.4028234663852886e38, the result is +inf.
    - If `x` is `65504.0`, `next_up(x, "float16")` is `float("inf")`.
    - If `x` is `0.0`, `next_up(x, "float16")` is `2.0**-24`.
    - If `x` is `1.0`, `next_up(x, "float16")` is `1.0009765625`.
    - If `x` is `-2.0**-24`, `next_up(x, "float16")` is `-0.0`.
    - If `x` is `0.0`, `next_up(x, "bfloat16")` is `2.0**-133`.
    - If `x` is `1.0`, `next_up(x, "bfloat16")` is `1.0078125`.
    - If `x` is `float("-inf")`, `next_up(x, "bfloat16")` is `-3.3895313892515355e38`.

    The step from the smallest negative subnormal up gives ``-0.0``, as C's
    ``nextafter`` and ``math.nextafter`` do.

    Errors: as for ``ulp_distance``.  Accuracy: exact.

    >>> next_up(1.0)
    1.0000000000000002
    >>> next_up(0.0), next_up(-5e-324)
    (5e-324, -0.0)
    >>> next_up(1.0, dtype="float32")
    1.0000001192092896
    >>> next_up(1.0, dtype="float16"), next_up(2048.0, dtype="float16")
    (1.0009765625, 2050.0)
    >>> next_up(1.0, dtype="bfloat16"), next_up(256.0, dtype="bfloat16")
    (1.0078125, 258.0)
    """
    fmt = check_dtype(dtype, "next_up")
    return _step(_as_format("next_up", "x", x, fmt), 1, fmt)


def next_down(x, dtype="float64"):
    """The next value below ``x`` in ``dtype``: a portable ``math.nextafter(x, -math.inf)``.

    ``x`` is first rounded to ``dtype`` (ties to even), then the next value
    of that format below it is returned.  The mirror image of ``next_up``:
    ``next_down(x, dtype) == -next_up(-x, dtype)``.

    Special cases:

    - If `x` is NaN, the result is NaN.
    - If `x` is -inf, the result is -inf.
    - If `x` is -1.7976931348623157e308, the result is -inf.
    - If `x` is +inf, the result is 1.7976931348623157e308.
    - If `x` is +0.0, the result is -5e-324.
    - If `x` is -0.0, the result is -5e-324.
    - If `x` is 5e-324, the result is +0.0.
    - If `x` is `float("inf")`, `next_down(x, "float16")` is `65504.0`.
    - If `x` is `0.0`, `next_down(x, "float16")` is `-2.0**-24`.
    - If `x` is `1.0`, `next_down(x, "float16")` is `0.99951171875`.
    - If `x` is `2.0**-14`, `next_down(x, "float16")` is `2.0**-14 - 2.0**-24`.
    - If `x` is `float("inf")`, `next_down(x, "bfloat16")` is `3.3895313892515355e38`.
    - If `x` is `2.0**-133`, `next_down(x, "bfloat16")` is `0.0`.

    Errors: as for ``ulp_distance``.  Accuracy: exact.

    >>> next_down(1.0)
    0.9999999999999999
    >>> next_down(float("inf"))
    1.7976931348623157e+308
    >>> next_down(0.0)
    -5e-324
    >>> next_down(1.0, dtype="float16"), next_down(1.0, dtype="bfloat16")
    (0.99951171875, 0.99609375)
    """
    fmt = check_dtype(dtype, "next_down")
    return _step(_as_format("next_down", "x", x, fmt), -1, fmt)


def ulp(x, dtype="float64"):
    """The unit in the last place of ``x``: the gap from ``|x|`` to the next value above it.

    This is ``math.ulp`` (Python 3.9+) for any interpreter and every
    ``dtype``: ``x`` is first rounded to ``dtype`` (ties to even).  For a
    normal value in the binade ``2**e <= |x| < 2**(e+1)`` the result is
    ``2**(e - p + 1)`` (p the precision: 53, 24, 11 or 8 bits); for
    subnormals and zero it is the smallest subnormal, ``2**(emin - p + 1)``.

    If ``|x|`` is the largest finite value, the result is the gap below it
    (``2**971`` for float64, ``2**104`` for float32, ``32.0`` for float16,
    ``2**120`` for bfloat16), so that ``x - ulp(x)`` is the next value down.

    Special cases:

    - If `x` is NaN, the result is NaN.
    - If `x` is +inf, the result is +inf.
    - If `x` is -inf, the result is +inf.
    - If `x` is +0.0, the result is 5e-324.
    - If `x` is -0.0, the result is 5e-324.
    - If `x` is 1.7976931348623157e308, the result is 1.99584030953472e+292.
    - If `dtype` is "float32" and `x` is 1.0, the result is 1.1920928955078125e-07.
    - If `x` is `1.0`, `ulp(x, "float16")` is `2.0**-10`.
    - If `x` is `0.0`, `ulp(x, "float16")` is `2.0**-24`.
    - If `x` is `65504.0`, `ulp(x, "float16")` is `32.0`.
    - If `x` is `1.0`, `ulp(x, "bfloat16")` is `2.0**-7`.
    - If `x` is `-0.0`, `ulp(x, "bfloat16")` is `2.0**-133`.
    - If `x` is `3.3895313892515355e38`, `ulp(x, "bfloat16")` is `2.0**120`.

    Errors: as for ``ulp_distance``.  Accuracy: exact (the gap between
    neighbouring values is itself a value of the format, or of float64).

    >>> ulp(1.0) == 2**-52, ulp(1.0, dtype="float32") == 2**-23
    (True, True)
    >>> ulp(0.0)
    5e-324
    >>> ulp(1.7976931348623157e308) == 2.0**971
    True
    >>> ulp(1000.0, dtype="float16"), ulp(1000.0, dtype="bfloat16")
    (0.5, 4.0)
    >>> ulp(0.0, dtype="float16") == 2**-24, ulp(0.0, dtype="bfloat16") == 2**-133
    (True, True)
    """
    fmt = check_dtype(dtype, "ulp")
    v = _as_format("ulp", "x", x, fmt)
    if v != v:
        return v
    v = math.fabs(v)
    if v == _INF:
        return v
    up = _step(v, 1, fmt)
    if up == _INF:  # the largest finite value: use the gap below it
        return v - _step(v, -1, fmt)
    return up - v


# --- assert_close: reading the inputs -----------------------------------------

def _dtype_name(value):
    # The name of value's dtype, if it has one: NumPy and JAX dtypes have .name
    # ("float32", and "bfloat16" for ml_dtypes' type); a PyTorch dtype has no
    # .name, but prints as "torch.float32".  None for an object without .dtype.
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        return None
    name = getattr(dtype, "name", None)
    if not isinstance(name, str):
        name = str(dtype)
    if name.startswith("torch."):
        name = name[len("torch."):]
    return name


def _plain(value, name, where, dtypes):
    # value as nested lists of ints and floats (float subclasses made plain
    # floats), nothing rounded; where names the position.  Appends (position,
    # dtype name) to dtypes for every object met that carries a dtype.
    label = name + where
    if type(value) is bool:
        raise TypeError("assert_close: %s is %r (bool), not a number" % (label, value))
    dtype = _dtype_name(value)
    if dtype is not None:
        if name == "actual" and dtype not in FORMATS:
            # before its values: a complex or int array is named by its dtype
            raise TypeError("assert_close: %s has dtype %s, not one of the float formats %s"
                            % (label, dtype, _FORMAT_NAMES))
        dtypes.append((where, dtype))
    # Numbers and sequences by the reading rule (nnref._base.checks): a
    # subclass is read by the value or items it stores, never its own dunders.
    number = plain_number(value)
    if number is not None:
        return number
    items = plain_sequence(value)
    if items is not None:
        return [_plain(v, name, "%s[%d]" % (where, i), dtypes) for i, v in enumerate(items)]
    # NumPy arrays and scalars, PyTorch tensors, JAX arrays: converted by their
    # own methods, so that no array library has to be imported here.  Their
    # .tolist() gives Python floats holding the values exactly (bfloat16 and
    # float16 included); the dtype was noted above, before the conversion.
    for method in ("tolist", "item"):
        convert = getattr(value, method, None)
        if convert is not None and callable(convert):
            converted = convert()
            if converted is not value:
                return _plain(converted, name, where, [])
    raise TypeError("assert_close: %s is %r (%s), not a number, list, tuple or object"
                    " with .tolist()" % (label, value, type(value).__name__))


def _check_dtypes(name, dtypes, fmt):
    # The Format all of dtypes (a list of (position, dtype name), each one of
    # the four) name, or None for none.  ValueError for one that differs from
    # fmt (the dtype passed) or from the first.
    for where, dtype in dtypes:
        if fmt is not None and dtype != fmt.name:
            raise ValueError("assert_close: dtype=%r was passed, but %s%s has dtype %s; leave out"
                             " dtype, or pass plain floats (.tolist()) to compare them as %s"
                             % (fmt.name, name, where, dtype, fmt.name))
        if dtype != dtypes[0][1]:
            raise ValueError("assert_close: %s mixes dtypes: %s%s is %s but %s%s is %s; convert"
                             " them to one, or pass plain lists and dtype="
                             % (name, name, dtypes[0][0], dtypes[0][1], name, where, dtype))
    return FORMATS[dtypes[0][1]] if dtypes else None


def _resolve_dtype(dtype, actual_dtypes, expected_dtypes):
    # (Format, how it was chosen) for the comparison; see assert_close.
    if dtype is not None:
        fmt = check_dtype(dtype, "assert_close")
        _check_dtypes("actual", actual_dtypes, fmt)
        return fmt, ""
    fmt = _check_dtypes("actual", actual_dtypes, None)
    if fmt is not None:
        return fmt, ", the dtype of actual"
    names = [n for _, n in expected_dtypes]
    if names and names[0] in FORMATS and names.count(names[0]) == len(names):
        return FORMATS[names[0]], ", the dtype of expected"
    return FLOAT64, ""


def _shape(tree):
    # The shape as a tuple, or None for a ragged structure.
    if not isinstance(tree, list):
        return ()
    shapes = [_shape(child) for child in tree]
    first = shapes[0] if shapes else ()
    for child_shape in shapes:
        if child_shape is None or child_shape != first:
            return None
    return (len(tree),) + first


def _show_shape(tree):
    shape = _shape(tree)
    return "ragged" if shape is None else repr(shape)


def _structure_difference(actual, expected, where):
    # The first position where the two trees differ in structure, described,
    # or None if they match.
    place = "at %s" % where if where else "at the top level"
    if isinstance(actual, list) and isinstance(expected, list):
        if len(actual) != len(expected):
            return "%s actual has %d element%s, expected %d" % (
                place, len(actual), "" if len(actual) == 1 else "s", len(expected))
        for i in range(len(actual)):
            found = _structure_difference(actual[i], expected[i], "%s[%d]" % (where, i))
            if found is not None:
                return found
        return None
    if isinstance(actual, list):
        return "%s actual is a list of %d, expected a number" % (place, len(actual))
    if isinstance(expected, list):
        return "%s actual is a number, expected a list of %d" % (place, len(expected))
    return None


def _leaves(actual, expected, where, out):
    # Append (position, actual, expected) for every number, in row-major order.
    if isinstance(actual, list):
        for i in range(len(actual)):
            _leaves(actual[i], expected[i], "%s[%d]" % (where, i), out)
    else:
        out.append((where, actual, expected))


# --- assert_close: exact values ------------------------------------------------

def _exact(x):
    # (n, e) with x == n * 2**e, for a finite float or any int.
    if isinstance(x, int):
        return x, 0
    return to_scaled_int(x)


def _sum(x, y):
    # The exact x + y of two (n, e) pairs, as an (n, e) pair.
    base = min(x[1], y[1])
    return (x[0] << (x[1] - base)) + (y[0] << (y[1] - base)), base


def _difference(x, y):
    # The exact x - y of two (n, e) pairs, as an (n, e) pair.
    return _sum(x, (-y[0], y[1]))


def _value_of(x, fmt, label):
    # (x as a float of fmt, True) if the int or float x is a value of fmt
    # exactly (NaN and the infinities are values of every format); else
    # (x unchanged, False).
    if isinstance(x, float):
        if fmt is FLOAT64 or not is_finite(x) or round_float(x, fmt) == x:
            return x, True
        return x, False
    value = _round_int("assert_close", label, x, fmt)
    if is_finite(value) and _difference(_exact(value), (x, 0))[0] == 0:
        return value, True
    return x, False


def _neighbours(x, fmt):
    # The two values of fmt either side of x, a finite number that is not one.
    n, e = _exact(x)
    r = round_scaled(n, e, fmt)
    if r == _INF:
        return fmt.max_finite, _INF
    if r == -_INF:
        return -_INF, -fmt.max_finite
    if _difference(_exact(r), (n, e))[0] < 0:
        return r, _step(r, 1, fmt)
    return _step(r, -1, fmt), r


def _tolerance(name, value, integral_ok):
    # None, or the checked tolerance: as given (max_ulp), else exact (n, e).
    if value is None:
        return None
    if type(value) is bool or not isinstance(value, (int, float)):
        raise TypeError("assert_close: %s must be an int or float, not %r (%s)"
                        % (name, value, type(value).__name__))
    if value != value or value < 0 or value == _INF:
        raise ValueError("assert_close: %s must be a finite number >= 0, not %r" % (name, value))
    if integral_ok:
        return value
    return _exact(float(value) if isinstance(value, float) else value)


def _within(x, y, rtol, atol):
    # |x - y| <= atol + rtol * |y|, every quantity an exact (n, e) pair.
    d, e = _difference(x, y)
    excess = _difference((-d if d < 0 else d, e),
                         _sum(atol, (rtol[0] * (-y[0] if y[0] < 0 else y[0]), rtol[1] + y[1])))
    return excess[0] <= 0


_ZERO = (0, 0)


# --- assert_close: judging and reporting ---------------------------------------

def _judge(a, a_ok, e, e_ok, fmt, max_ulp, bounds):
    # None if the pair passes, else why it fails: ("actual",) or ("expected",)
    # for a value not of fmt, ("ulp", distance) otherwise (distance inf for NaN
    # against a number).
    if not a_ok:
        return ("actual",)
    if a != a or e != e:
        return None if (a != a and e != e) else ("ulp", _INF)
    distance = None
    if e_ok:
        distance = _distance(a, e, fmt)
        if distance == 0 or (max_ulp is not None and distance <= max_ulp):
            return None
    if is_finite(a) and is_finite(e):
        x, y = _exact(a), _exact(e)
        for rtol, atol in bounds:
            if _within(x, y, rtol, atol):
                return None
    return ("ulp", distance) if e_ok else ("expected",)


def _number(x):
    return "%r (%s)" % (x, float_hex(x))


def _worst_line(worst, rtol, atol):
    where, x, y, distance = worst
    place = "worst at %s" % where if where else "the numbers"
    text = "%s: actual %s, expected %s: " % (place, _number(x), _number(y))
    if distance == _INF:
        return text + "NaN against a number"
    difference = abs(x - y)
    text += "%d ULP apart, |actual - expected| = %.3g" % (distance, difference)
    if is_finite(y) and y != 0:
        text += " (relative %.3g)" % (difference / abs(y))
    if is_finite(x) and is_finite(y) and (rtol or atol):
        # Both to 17 digits: they may agree to 3 where the exact test tells them apart.
        text += "; %r > atol + rtol * |expected| = %r" % (difference, atol + rtol * abs(y))
    return text


def _not_a_value_line(name, first, more, fmt):
    where, x = first
    below, above = _neighbours(x, fmt)
    text = "%s%s = %r is not a %s value; nearest are %r and %r" % (
        name, where, x, fmt.name, below, above)
    if more:
        text += " (%d more %s %s either)" % (
            more, name, ("value is not a %s value" if more == 1 else "values are not %s values")
            % fmt.name)
    return text


def assert_close(actual, expected, *, max_ulp=None, rel=None, abs=None, rtol=0, atol=0,
                 dtype=None):
    """Check that ``actual`` equals ``expected`` within the tolerances, element by element.

    ``actual`` and ``expected`` are numbers, nested lists or tuples of
    numbers, or objects with a ``.tolist()`` or ``.item()`` method (NumPy
    arrays and scalars, PyTorch tensors, JAX arrays), which are converted by
    that method so that no array library is imported here.  Numbers are
    ints or floats (float subclasses included); ``bool`` and other objects
    give a ``TypeError`` naming the position, e.g. ``actual[1][0] is 'a' (str)``.

    The dtype the values are compared in:

    - ``dtype`` if it is given: ``"float64"``, ``"float32"``, ``"float16"``
      or ``"bfloat16"``.  If ``actual`` carries a different dtype, that is
      a ``ValueError`` (pass ``actual.tolist()`` to compare its values in
      another dtype on purpose).
    - Otherwise the dtype ``actual`` carries: the ``.dtype`` of a NumPy
      array or scalar (``.dtype.name``, such as ``"float32"``), of a
      PyTorch tensor (``str(dtype)``, such as ``"torch.bfloat16"``) or of a
      JAX array (ml_dtypes' ``"bfloat16"`` too), read without importing
      any of them; in a list of such objects all must agree
      (``ValueError`` if not).  A dtype that is not one of the four
      (``int64``, ``complex128``, ``float8_e4m3fn``, ...) is a
      ``TypeError`` naming it.
    - Otherwise, if ``actual`` carries none (plain lists and floats), the
      dtype ``expected`` carries, if that is one of the four; otherwise
      ``"float64"``.

    So a float32 NumPy result is compared in float32 ULPs without being
    told, and a ``torch.bfloat16`` tensor in bfloat16 ULPs.

    Nothing is rounded.  Every value of ``actual`` must be a value of that
    dtype; one that is not fails, reported as such (``actual[3] = 0.1 is
    not a float16 value; nearest are 0.0999755859375 and
    0.10003662109375``).  A value of ``expected`` that is not a value of
    the dtype cannot be ULPs away from one: it fails the same way, unless
    the element passes ``rtol``/``atol``, ``rel`` or ``abs``, which compare
    exact values and need no format.

    Steps:

    1. The shapes must match: same nesting, same lengths everywhere, and a
       number never matches a list (no broadcasting).  Otherwise an
       ``AssertionError`` names both shapes and the first position where they
       differ.
    2. Each pair of elements (``a`` from ``actual``, ``e`` from ``expected``)
       passes if ANY of these holds:

       - ``a`` and ``e`` are equal (ULP distance 0);
       - ``ulp_distance(a, e, dtype) <= max_ulp``;
       - ``|a - e| <= atol + rtol * |e|`` (NumPy's ``isclose`` and
         ``assert_allclose`` rule, also PyTorch's ``assert_close``);
       - ``|a - e| <= rel * |e|`` (relative to ``expected``);
       - ``|a - e| <= abs``.

       ``rtol`` and ``atol`` default to 0, where their test passes equal
       values only, so the default is the ULP check: with no tolerance
       given the elements must be equal.  "Equal" means ULP distance 0:
       NaN equals NaN, ``0.0`` equals ``-0.0`` (the sign of zero is not
       checked), ``inf`` equals ``inf``.  ``rel=r`` alone is
       ``rtol=r``, ``abs=t`` alone is ``atol=t``; given together, ``rel``
       and ``abs`` are two separate tests, where ``rtol`` and ``atol`` add.
    3. Return ``None`` if every element passes.  Otherwise raise
       ``AssertionError`` saying how many elements failed out of how many
       and in which dtype; naming the first value of ``actual`` and of
       ``expected`` that is not a value of the dtype, if any, with its two
       nearest values; and naming the worst other failure (largest ULP
       distance; the first such in row-major order) by its position
       ``[i][j]``, with both values as ``repr`` and as ``float.hex()``,
       their ULP distance and their difference.

    NaN against a number fails, whatever the tolerances.  ``rtol``,
    ``atol``, ``rel`` and ``abs`` apply to finite pairs only; an infinite
    value passes only against the same infinity, or within ``max_ulp``
    (``inf`` is one step above the largest finite value, see
    ``ulp_distance``).  Empty inputs of the same shape pass.

    Special cases:

    - If `actual` is `[float("nan")]`, `assert_close(actual, [float("nan")])` is `None`.
    - If `actual` is `[float("nan")]`, `assert_close(actual, [1.0], max_ulp=10**6, abs=1e300)`
      raises AssertionError.
    - If `actual` is `[float("inf")]`, `assert_close(actual, [1e308], rel=1e300, abs=1e308)`
      raises AssertionError.
    - If `actual` is `[float("inf")]`, `assert_close(actual, [1.7976931348623157e308], max_ulp=1)`
      is `None`.
    - If `actual` is `[[]]`, `assert_close(actual, [[]])` is `None`.
    - If `actual` is `1.0`, `assert_close(actual, [1.0])` raises AssertionError.
    - If `actual` is `[1.5]`, `assert_close(actual, [1.0], rtol=0.25, atol=0.25)` is `None`.
    - If `actual` is `[1.5]`, `assert_close(actual, [1.0], rel=0.25, abs=0.25)` raises
      AssertionError.
    - If `actual` is `[float("inf")]`, `assert_close(actual, [1e308], rtol=1e300)` raises
      AssertionError.
    - If `actual` is `[0.1]`, `assert_close(actual, [0.1], dtype="float32")` raises AssertionError.
    - If `actual` is `[0.10000000149011612]`, `assert_close(actual, [0.1], dtype="float32")`
      raises AssertionError.
    - If `actual` is `[0.10000000149011612]`, `assert_close(actual, [0.1], rtol=1e-7,
      dtype="float32")` is `None`.
    - If `actual` is `[65504.0]`, `assert_close(actual, [float("inf")], max_ulp=1,
      dtype="float16")` is `None`.
    - If `actual` is `[1.0078125]`, `assert_close(actual, [1.0], max_ulp=1, dtype="bfloat16")`
      is `None`.
    - If `dtype` is `"float8"`, `assert_close(1.0, 1.0, dtype=dtype)` raises ValueError.

    Tolerances are ints or floats, finite and ``>= 0``, taken at their exact
    values (never rounded to the dtype): a ``bool`` gives ``TypeError``, a
    negative, NaN or infinite value gives ``ValueError``.  An unknown
    ``dtype`` gives ``ValueError``.  The inputs are not modified.

    Accuracy: exact; ``rtol``, ``atol``, ``rel`` and ``abs`` compare exact
    rational values in integer arithmetic (every finite float is an integer
    times a power of two), not rounded differences: a value exactly on the
    bound ``atol + rtol * |e|`` passes, the next value beyond it fails.

    >>> assert_close([[1.0, 2.0], [3.0, float("nan")]], ((1.0, 2.0), (3.0, float("nan"))))
    >>> assert_close(0.1 + 0.2, 0.3, max_ulp=1)
    >>> assert_close([100.0, 0.0], [100.5, 1e-12], rel=0.01, abs=1e-9)
    >>> assert_close([100.0, 0.0], [100.5, 1e-12], rtol=0.01, atol=1e-9)
    >>> assert_close([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0000000000000036]], max_ulp=1)
    Traceback (most recent call last):
        ...
    AssertionError: assert_close: 1 of 4 elements are not close (allowed: max_ulp=1; compared as float64)
    worst at [1][1]: actual 4.0 (0x1.0000000000000p+2), expected 4.0000000000000036 (0x1.0000000000004p+2): 4 ULP apart, |actual - expected| = 3.55e-15 (relative 8.88e-16)
    >>> assert_close([[1.0, 2.0]], [[1.0], [2.0]])
    Traceback (most recent call last):
        ...
    AssertionError: assert_close: shapes differ: actual (1, 2), expected (2, 1); at the top level actual has 1 element, expected 2

    In the narrow formats (the values below are float32, float16 and
    bfloat16 values; an array or tensor of that dtype would say so itself):

    >>> assert_close([0.10000000149011612], [0.10000000149011612], dtype="float32")
    >>> assert_close([1.0009765625, 65504.0], [1.0, float("inf")], max_ulp=1, dtype="float16")
    >>> assert_close([1.0, 0.5], [1.0078125, 0.498046875], max_ulp=1, dtype="bfloat16")
    >>> assert_close([1.0, 1.0], [1.0, 0.1], max_ulp=1000, dtype="float16")
    Traceback (most recent call last):
        ...
    AssertionError: assert_close: 1 of 2 elements are not close (allowed: max_ulp=1000; compared as float16)
    expected[1] = 0.1 is not a float16 value; nearest are 0.0999755859375 and 0.10003662109375
    (a ULP count needs expected in float16 too: round the reference once to float16, as nnref.exact's dtype='float16' does, or compare with rtol/atol)
    >>> assert_close([0.10009765625], [0.1], rtol=2**-8, dtype="bfloat16")
    """
    max_ulp = _tolerance("max_ulp", max_ulp, True)
    bounds = []
    for name, value, as_rtol in (("rel", rel, True), ("abs", abs, False)):
        value = _tolerance(name, value, False)
        if value is not None:
            bounds.append((value, _ZERO) if as_rtol else (_ZERO, value))
    rtol_value = _tolerance("rtol", rtol, False) or _ZERO
    atol_value = _tolerance("atol", atol, False) or _ZERO
    if rtol_value[0] or atol_value[0]:
        bounds.append((rtol_value, atol_value))
    if dtype is not None:
        check_dtype(dtype, "assert_close")

    actual_dtypes = []
    expected_dtypes = []
    actual_tree = _plain(actual, "actual", "", actual_dtypes)
    expected_tree = _plain(expected, "expected", "", expected_dtypes)
    fmt, source = _resolve_dtype(dtype, actual_dtypes, expected_dtypes)
    found = _structure_difference(actual_tree, expected_tree, "")
    if found is not None:
        raise AssertionError("assert_close: shapes differ: actual %s, expected %s; %s"
                             % (_show_shape(actual_tree), _show_shape(expected_tree), found))

    pairs = []
    _leaves(actual_tree, expected_tree, "", pairs)
    failed = 0
    worst = None
    not_values = {"actual": [], "expected": []}
    for where, a, e in pairs:
        a, a_ok = _value_of(a, fmt, "actual" + where)
        e, e_ok = _value_of(e, fmt, "expected" + where)
        why = _judge(a, a_ok, e, e_ok, fmt, max_ulp, bounds)
        if why is None:
            continue
        failed += 1
        if why[0] == "ulp":
            if worst is None or why[1] > worst[3]:
                worst = (where, a, e, why[1])
        else:
            not_values[why[0]].append((where, a if why[0] == "actual" else e))
    if not failed:
        return None
    allowed = ", ".join("%s=%r" % (name, value) for name, value in
                        (("max_ulp", max_ulp), ("rel", rel), ("abs", abs),
                         ("rtol", rtol), ("atol", atol))
                        if value is not None and (value or name in ("max_ulp", "rel", "abs")))
    lines = ["assert_close: %d of %d elements are not close (allowed: %s; compared as %s%s)"
             % (failed, len(pairs), allowed or "equal values only", fmt.name, source)]
    for name in ("actual", "expected"):
        if not_values[name]:
            lines.append(_not_a_value_line(name, not_values[name][0],
                                           len(not_values[name]) - 1, fmt))
    if not_values["expected"]:
        lines.append("(a ULP count needs expected in %s too: round the reference once to %s,"
                     " as nnref.exact's dtype=%r does, or compare with rtol/atol)"
                     % (fmt.name, fmt.name, fmt.name))
    if worst is not None:
        lines.append(_worst_line(worst, float(rtol or 0), float(atol or 0)))
    raise AssertionError("\n".join(lines))
