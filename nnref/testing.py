"""ULP distances and closeness checks: the tools nnref's accuracy claims are measured with.

A claim such as "within 2 ULP of the true value" needs a way to count ULPs
(units in the last place): how many representable floating-point values lie
between a result and the value it should have been.  This module counts them
exactly, in float64 or in float32, and builds a test assertion on top.

=====================================  =========================================
Function                               What it does
=====================================  =========================================
``ulp_distance(a, b, dtype)``          number of float steps from ``a`` to ``b``
``assert_close(actual, expected, ..)`` compare nested lists, tuples, arrays and
                                       tensors element by element, within
                                       ``max_ulp``, ``rel`` or ``abs``
``next_up(x, dtype)``                  the next float above ``x``
``next_down(x, dtype)``                the next float below ``x``
``ulp(x, dtype)``                      the spacing of the floats at ``x``
=====================================  =========================================

``dtype`` is ``"float64"`` (the default) or ``"float32"``.  With
``"float32"`` each value is first rounded to the nearest float32 (ties to
even) and steps are counted between float32 values; results are Python floats
that hold float32 values.

Everything here is exact: distances are counted on the bit patterns, and the
``rel``/``abs`` tests of ``assert_close`` compare exact rational values, not
rounded differences.  Only ``struct`` and ``math`` are used, so the module
also runs on MicroPython (which lacks ``float.hex``, ``math.nextafter`` and
``sys.float_info``).

>>> from nnref.testing import ulp_distance, assert_close, next_up, ulp
>>> ulp_distance(1.0, 1.0 + 2**-52)
1
>>> ulp_distance(0.1 + 0.2, 0.3)
1
>>> ulp_distance(-5e-324, 5e-324)        # -tiny, 0, +tiny: two steps
2
>>> ulp_distance(1.0, 1.0 + 2**-23, dtype="float32")
1
>>> next_up(1.0) == 1.0 + ulp(1.0) == 1.0000000000000002
True
>>> assert_close([[0.1 + 0.2, 1.0]], [[0.3, 1.0]], max_ulp=1)
>>> assert_close([0.1 + 0.2], [0.3])    # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
AssertionError: assert_close: 1 of 1 elements are not close (allowed: equal values only; compared as float64)...
"""

import math

from ._base.checks import plain_number, plain_sequence
from ._base.formats import (FLOAT64, bit_length, check_dtype, float_hex, from_bits,
                            round_float, round_scaled, to_bits, to_scaled_int)

_INF = float("inf")


# --- validation and conversion -------------------------------------------------

def _round_int(func, name, n, fmt):
    # The int n correctly rounded (ties to even) to the format, from its exact
    # value: float(n) would round twice for float32, and truncates on MicroPython.
    value = round_scaled(n, 0)
    if value in (_INF, -_INF):
        raise ValueError("%s: %s is an int too large for a float64 (%d bits)"
                         % (func, name, bit_length(n)))
    if fmt is FLOAT64:
        return value
    return round_scaled(n, 0, fmt)  # past the float32 range: inf (IEEE overflow), as for floats


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
    consecutive values get consecutive integers (a positive float maps to its
    IEEE bit pattern, a negative one to minus the pattern of its magnitude);
    the distance is the absolute difference of the two positions.  The result
    is an ``int``.

    ``a`` and ``b`` are ints or floats (float subclasses such as
    ``numpy.float64`` included; a ``numpy.float32`` is not a float subclass:
    pass ``x.item()``, or use ``assert_close``).  With ``dtype="float32"`` both are first
    rounded to the nearest float32 (ties to even) and float32 steps are
    counted.  Ints are rounded from their exact value.

    Two NaNs are 0 apart, and a NaN is ``math.inf`` (a float) from any
    number.  ``0.0`` and ``-0.0`` are the same point, so the smallest
    subnormals of either sign are 1 step from zero.  ``inf`` is one step
    above the largest finite value, as the next point of the line; ``-inf``
    is symmetric.  With ``dtype="float32"``, values past the float32 range
    round to ``±inf`` (IEEE overflow).

    Special cases:

    - If `b` is `float("nan")`, `ulp_distance(float("nan"), b)` is `0`.
    - If `b` is `1.0`, `ulp_distance(float("nan"), b)` is `float("inf")`.
    - If `b` is `-0.0`, `ulp_distance(0.0, b)` is `0`.
    - If `b` is `0.0`, `ulp_distance(-5e-324, b)` is `1`.
    - If `b` is `1.7976931348623157e308`, `ulp_distance(float("inf"), b)` is `1`.
    - If `b` is `3.4028234663852886e38`, `ulp_distance(1e39, b, "float32")` is `1`.
    - If `a` is `2**1024`, `ulp_distance(a, 1.0)` raises ValueError.

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
    """
    fmt = check_dtype(dtype, "ulp_distance")
    x = _as_format("ulp_distance", "a", a, fmt)
    y = _as_format("ulp_distance", "b", b, fmt)
    return _distance(x, y, fmt)


def next_up(x, dtype="float64"):
    """The next float above ``x``: a portable ``math.nextafter(x, math.inf)``.

    With ``dtype="float32"``, ``x`` is first rounded to float32 (ties to
    even), then the next float32 above that is returned (as a float).

    Special cases:

    - If `x` is NaN, the result is NaN.
    - If `x` is +inf, the result is +inf.
    - If `x` is 1.7976931348623157e308, the result is +inf.
    - If `x` is -inf, the result is -1.7976931348623157e308.
    - If `x` is +0.0, the result is 5e-324.
    - If `x` is -0.0, the result is 5e-324.
    - If `x` is -5e-324, the result is -0.0.
    - If `dtype` is "float32" and `x` is 3.4028234663852886e38, the result is +inf.

    The step from ``-5e-324`` up gives ``-0.0``, as C's ``nextafter`` and
    ``math.nextafter`` do.

    Errors: as for ``ulp_distance``.  Accuracy: exact.

    >>> next_up(1.0)
    1.0000000000000002
    >>> next_up(0.0), next_up(-5e-324)
    (5e-324, -0.0)
    >>> next_up(1.0, dtype="float32")
    1.0000001192092896
    """
    fmt = check_dtype(dtype, "next_up")
    return _step(_as_format("next_up", "x", x, fmt), 1, fmt)


def next_down(x, dtype="float64"):
    """The next float below ``x``: a portable ``math.nextafter(x, -math.inf)``.

    With ``dtype="float32"``, ``x`` is first rounded to float32 (ties to
    even), then the next float32 below that is returned.  The mirror image
    of ``next_up``: ``next_down(x) == -next_up(-x)``.

    Special cases:

    - If `x` is NaN, the result is NaN.
    - If `x` is -inf, the result is -inf.
    - If `x` is -1.7976931348623157e308, the result is -inf.
    - If `x` is +inf, the result is 1.7976931348623157e308.
    - If `x` is +0.0, the result is -5e-324.
    - If `x` is -0.0, the result is -5e-324.
    - If `x` is 5e-324, the result is +0.0.

    Errors: as for ``ulp_distance``.  Accuracy: exact.

    >>> next_down(1.0)
    0.9999999999999999
    >>> next_down(float("inf"))
    1.7976931348623157e+308
    >>> next_down(0.0)
    -5e-324
    """
    fmt = check_dtype(dtype, "next_down")
    return _step(_as_format("next_down", "x", x, fmt), -1, fmt)


def ulp(x, dtype="float64"):
    """The unit in the last place of ``x``: the gap from ``|x|`` to the next float above it.

    This is ``math.ulp`` (Python 3.9+) for any interpreter, and for float32
    too: with ``dtype="float32"``, ``x`` is first rounded to float32.

    If ``|x|`` is the largest finite value, the result is the gap below it
    (``2**971`` for float64, ``2**104`` for float32), so that ``x - ulp(x)``
    is the next value down.

    Special cases:

    - If `x` is NaN, the result is NaN.
    - If `x` is +inf, the result is +inf.
    - If `x` is -inf, the result is +inf.
    - If `x` is +0.0, the result is 5e-324.
    - If `x` is -0.0, the result is 5e-324.
    - If `x` is 1.7976931348623157e308, the result is 1.99584030953472e+292.
    - If `dtype` is "float32" and `x` is 1.0, the result is 1.1920928955078125e-07.

    Errors: as for ``ulp_distance``.  Accuracy: exact (the gap between
    neighbouring floats is itself a float).

    >>> ulp(1.0) == 2**-52, ulp(1.0, dtype="float32") == 2**-23
    (True, True)
    >>> ulp(0.0)
    5e-324
    >>> ulp(1.7976931348623157e308) == 2.0**971
    True
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


# --- assert_close --------------------------------------------------------------

def _tree(value, name, where, fmt):
    # value as nested lists of floats of the format fmt; where names the position.
    label = name + where
    if type(value) is bool:
        raise TypeError("assert_close: %s is %r (bool), not a number" % (label, value))
    if plain_number(value) is not None:
        return _as_format("assert_close", label, value, fmt)
    items = plain_sequence(value)
    if items is not None:
        return [_tree(v, name, "%s[%d]" % (where, i), fmt) for i, v in enumerate(items)]
    # NumPy arrays and scalars, PyTorch tensors: converted by their own methods,
    # so that neither library has to be imported here.
    for method in ("tolist", "item"):
        convert = getattr(value, method, None)
        if convert is not None and callable(convert):
            converted = convert()
            if converted is not value:
                return _tree(converted, name, where, fmt)
    raise TypeError("assert_close: %s is %r (%s), not a number, list, tuple or object"
                    " with .tolist()" % (label, value, type(value).__name__))


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


def _check_tolerance(name, value, integral_ok):
    if value is None:
        return None
    if type(value) is bool or not isinstance(value, (int, float)):
        raise TypeError("assert_close: %s must be an int or float, not %r (%s)"
                        % (name, value, type(value).__name__))
    if value != value or value < 0 or value == _INF:
        raise ValueError("assert_close: %s must be a finite number >= 0, not %r" % (name, value))
    if integral_ok:
        return value
    return to_scaled_int(_as_format("assert_close", name, value, FLOAT64))


def _within(x, y, bound):
    # |x - y| <= bound_m * 2**bound_e, computed exactly in integers.
    xm, xe = to_scaled_int(x)
    ym, ye = to_scaled_int(y)
    bm, be = bound
    base = min(xe, ye, be)
    d = (xm << (xe - base)) - (ym << (ye - base))
    if d < 0:
        d = -d
    return d <= bm << (be - base)


def _element_passes(x, y, distance, max_ulp, rel, absolute):
    if distance == 0:  # equal, both NaN, or 0.0 against -0.0
        return True
    if x != x or y != y:  # NaN against a number fails whatever the tolerance
        return False
    if max_ulp is not None and distance <= max_ulp:
        return True
    if x in (_INF, -_INF) or y in (_INF, -_INF):
        return False  # rel and abs measure finite differences only
    if rel is not None:
        ym, ye = to_scaled_int(y)
        if _within(x, y, (rel[0] * (-ym if ym < 0 else ym), rel[1] + ye)):
            return True
    if absolute is not None and _within(x, y, absolute):
        return True
    return False


def _number(x):
    return "%r (%s)" % (x, float_hex(x))


def _failure_message(failed, total, worst, allowed, dtype):
    where, x, y, distance = worst
    lines = ["assert_close: %d of %d elements are not close (allowed: %s; compared as %s)"
             % (failed, total, allowed, dtype)]
    place = "worst at %s" % where if where else "the numbers"
    text = "%s: actual %s, expected %s: " % (place, _number(x), _number(y))
    if distance == _INF:
        text += "NaN against a number"
    else:
        difference = abs(x - y)
        text += "%d ULP apart, |actual - expected| = %.3g" % (distance, difference)
        if y != 0 and y not in (_INF, -_INF):
            text += " (relative %.3g)" % (difference / abs(y))
    lines.append(text)
    return "\n".join(lines)


def assert_close(actual, expected, *, max_ulp=None, rel=None, abs=None, dtype="float64"):
    """Check that ``actual`` equals ``expected`` within the tolerances, element by element.

    ``actual`` and ``expected`` are numbers, nested lists or tuples of
    numbers, or objects with a ``.tolist()`` or ``.item()`` method (NumPy
    arrays and scalars, PyTorch tensors), which are converted by that method
    so that no array library is imported here.  Numbers are ints or floats
    (float subclasses included); ``bool`` and other objects give a
    ``TypeError`` naming the position, e.g. ``actual[1][0] is 'a' (str)``.

    Steps:

    1. The shapes must match: same nesting, same lengths everywhere, and a
       number never matches a list (no broadcasting).  Otherwise an
       ``AssertionError`` names both shapes and the first position where they
       differ.
    2. Each pair of elements passes if ANY given tolerance holds:

       - ``ulp_distance(a, e, dtype) <= max_ulp``;
       - ``|a - e| <= rel * |e|`` (relative to ``expected``);
       - ``|a - e| <= abs``.

       With no tolerance given the elements must be equal (ULP distance 0).
       Equal elements always pass, and "equal" means ULP distance 0: NaN
       equals NaN, ``0.0`` equals ``-0.0`` (the sign of zero is not
       checked), ``inf`` equals ``inf``.
    3. Return ``None`` if every element passes.  Otherwise raise
       ``AssertionError`` saying how many elements failed out of how many,
       and naming the worst one (largest ULP distance; the first such in
       row-major order) by its position ``[i][j]``, with both values as
       ``repr`` and as ``float.hex()``, their ULP distance and their
       difference.

    NaN against a number fails, whatever the tolerances.  ``rel`` and
    ``abs`` apply to finite pairs only; an infinite value passes only
    against the same infinity, or within ``max_ulp`` (``inf`` is one step
    above the largest finite value, see ``ulp_distance``).  Empty inputs of
    the same shape pass.

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

    ``dtype="float32"`` rounds every value to float32 first (ties to even);
    the ULP distance, ``rel`` and ``abs`` are then applied to those float32
    values.  The tolerances themselves are not rounded.

    Tolerances are ints or floats, finite and ``>= 0``: a ``bool`` gives
    ``TypeError``, a negative, NaN or infinite value gives ``ValueError``.
    An unknown ``dtype`` gives ``ValueError``.  The inputs are not modified.

    Accuracy: exact; ``rel`` and ``abs`` compare exact rational values, not
    rounded differences.

    >>> assert_close([[1.0, 2.0], [3.0, float("nan")]], ((1.0, 2.0), (3.0, float("nan"))))
    >>> assert_close(0.1 + 0.2, 0.3, max_ulp=1)
    >>> assert_close([100.0, 0.0], [100.5, 1e-12], rel=0.01, abs=1e-9)
    >>> assert_close([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0000000000000036]], max_ulp=1)
    Traceback (most recent call last):
        ...
    AssertionError: assert_close: 1 of 4 elements are not close (allowed: max_ulp=1; compared as float64)
    worst at [1][1]: actual 4.0 (0x1.0000000000000p+2), expected 4.0000000000000036 (0x1.0000000000004p+2): 4 ULP apart, |actual - expected| = 3.55e-15 (relative 8.88e-16)
    >>> assert_close([[1.0, 2.0]], [[1.0], [2.0]])
    Traceback (most recent call last):
        ...
    AssertionError: assert_close: shapes differ: actual (1, 2), expected (2, 1); at the top level actual has 1 element, expected 2
    """
    fmt = check_dtype(dtype, "assert_close")
    max_ulp = _check_tolerance("max_ulp", max_ulp, True)
    rel_bound = _check_tolerance("rel", rel, False)
    abs_bound = _check_tolerance("abs", abs, False)

    actual_tree = _tree(actual, "actual", "", fmt)
    expected_tree = _tree(expected, "expected", "", fmt)
    found = _structure_difference(actual_tree, expected_tree, "")
    if found is not None:
        raise AssertionError("assert_close: shapes differ: actual %s, expected %s; %s"
                             % (_show_shape(actual_tree), _show_shape(expected_tree), found))

    pairs = []
    _leaves(actual_tree, expected_tree, "", pairs)
    failed = 0
    worst = None
    for where, x, y in pairs:
        distance = _distance(x, y, fmt)
        if _element_passes(x, y, distance, max_ulp, rel_bound, abs_bound):
            continue
        failed += 1
        if worst is None or distance > worst[3]:
            worst = (where, x, y, distance)
    if failed:
        allowed = ", ".join("%s=%r" % (name, value) for name, value in
                            (("max_ulp", max_ulp), ("rel", rel), ("abs", abs))
                            if value is not None)
        raise AssertionError(_failure_message(failed, len(pairs), worst,
                                              allowed or "equal values only", dtype))
    return None
