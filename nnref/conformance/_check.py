"""Compare one outcome with one decoded test: does it pass, and how far off is it?

``check_case(test, outcome)`` applies the test's result kind (``valid``,
``acceptable``, ``invalid``) and its tolerance, element by element: an
element passes if it equals the expected value, or its ULP distance is at
most ``ulp``, or ``|out - expected| <= rel * |expected|``, or
``|out - expected| <= abs``.  ``rel`` and ``abs`` are compared exactly, on
the floats' integer significands, never in rounded float arithmetic.  NaN
matches NaN only; an infinity matches only itself (or is ``ulp`` steps from
the largest float); the sign of a zero counts only with ``signedZero``.

In a ``dtype`` narrower than float64, ULPs are that dtype's, and an output
element that is not a value of the dtype fails ("output[2] = 0.1 is not a
float16 value").  A tolerance with ``accumulators`` (dense in a narrow dtype,
softmax in float16 and bfloat16) holds one set of bounds per accumulator
format; ``accumulate`` picks the one applied.

Why the tolerances are what they are is in ``_tolerances``; this module only
applies them, with nothing MicroPython lacks.
"""

import math

from .._base.formats import check_dtype, round_float, to_scaled_int
from ..testing import ulp_distance

_INF = float("inf")


def check_case(test, outcome, dtype="float64", accumulate=None):
    """Check one outcome against one decoded test (see ``decode_test``) of a ``dtype`` file.

    ``outcome`` is ``("value", output)`` or ``("error", description)``.
    Returns ``(passed, worst_ulp, reason, via_alternative)``: ``worst_ulp``
    is the largest ULP distance (in ``dtype``) of a compared element (None
    if nothing could be compared), ``reason`` says why it failed (empty if
    it passed).  ``accumulate`` names the accumulator whose bound applies
    when the tolerance has ``accumulators`` (dense in a narrow dtype, softmax
    in float16 and bfloat16); it is then required.

    >>> test = {"tcId": 1, "result": "valid", "expected": [1.0, 0.5],
    ...         "tolerance": {"rule": "exp", "ulp": 4, "signedZero": False}}
    >>> check_case(test, ("value", [1.0, 0.5000000000000002]))
    (True, 2, '', False)
    >>> check_case(test, ("value", [1.0, 0.6]))[2]
    '1 of 2 elements outside the tolerance; worst: got 0.6, expected 0.5 (900719925474099 ULP) at [1]'
    >>> check_case(test, ("error", "ValueError: no"))[2]
    'raised ValueError: no'
    >>> check_case(test, ("value", [1.0, 0.5009765625]), dtype="float16")
    (True, 2, '', False)
    >>> check_case(test, ("value", [1.0, 0.5000000000000002]), dtype="float16")[2]
    'output[1] = 0.5000000000000002 is not a float16 value'
    """
    fmt = check_dtype(dtype, "check_case")
    kind, payload = outcome
    if test["result"] == "invalid":
        if kind == "error":
            return True, 0, "", False
        return False, 0, "expected an error (%s), got a result" % test.get("exception"), False
    if kind == "error":
        return False, None, "raised %s" % payload, False
    tol = _tolerance_for(test["tolerance"], accumulate)
    passed, worst, reason = _check_value(payload, test["expected"], tol, fmt)
    if passed:
        return True, worst, "", False
    for alternative in test.get("alternatives", ()):
        ok, alt_worst, _ = _check_value(payload, alternative, tol, fmt)
        if ok:
            return True, alt_worst, "", True
    return False, worst, reason, False


def _tolerance_for(tol, accumulate):
    # A tolerance with bounds per accumulator: the chosen one's (rel, abs,
    # overflow) in place of the per-accumulator map.
    bounds = tol.get("accumulators")
    if bounds is None:
        return tol
    if accumulate not in bounds:
        raise ValueError("check_case: accumulate must be one of %s for this test, got %r"
                         % (", ".join(sorted(bounds)), accumulate))
    out = dict(tol)
    del out["accumulators"]
    out["overflow"] = False
    out.update(bounds[accumulate])
    return out


def _check_value(actual, expected, tol, fmt):
    """(passed, worst distance, reason) for one output against one expected value."""
    found = []
    try:
        if isinstance(expected, dict):                 # data sets: {"X": ..., "y": ...}
            if not isinstance(actual, dict) or set(actual) != set(expected):
                raise _Mismatch("expected an (X, y) pair")
            _compare(actual["X"], expected["X"], tol, (), found, fmt, "output.X")
            _compare(actual["y"], expected["y"], {"ulp": 0}, (), found, fmt, "output.y")
        else:
            _compare(actual, expected, tol, (), found, fmt, "output")
    except _Mismatch as error:
        return False, None, str(error)
    # An infinite output a possible overflow lets pass says nothing about accuracy.
    worst = max([d for _, _, _, d, how in found if how not in (None, "overflow")] + [0])
    bad = [item for item in found if item[4] is None]
    if not bad:
        return True, worst, ""
    path, a, e, distance, _ = max(bad, key=lambda item: item[3])
    return False, worst, "%d of %d elements outside the tolerance; worst: %s" % (
        len(bad), len(found), _describe_element(path, a, e, distance))


class _Mismatch(Exception):
    pass


def _compare(actual, expected, tol, path, found, fmt, name):
    """Walk the trees; append (path, actual, expected, distance, how) for each element,
    where ``how`` is the test it passed (``ulp``, ``rel``, ``abs``, ``overflow``), or None."""
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            raise _Mismatch("shape differs at %s: expected %s, got %s"
                            % (_where(path), _shape(expected), _shape(actual)))
        for i, (a, e) in enumerate(zip(actual, expected)):
            _compare(a, e, tol, path + (i,), found, fmt, name)
        return
    if isinstance(actual, list):
        raise _Mismatch("shape differs at %s: expected a number, got a list" % _where(path))
    if type(actual) is bool or not isinstance(actual, (int, float)):
        raise _Mismatch("%s is %r (%s), not a number" % (_where(path), actual, type(actual).__name__))
    a, e = float(actual), float(expected)
    if round_float(a, fmt) != a and a == a:
        raise _Mismatch("%s%s = %r is not a %s value" % (name, "".join("[%d]" % i for i in path),
                                                          a, fmt.name))
    distance = ulp_distance(a, e, fmt.name)
    how = "ulp" if distance <= tol["ulp"] else None
    if how is None and tol.get("overflow") and not (a - a == 0.0):
        how = "overflow"                   # a sum that may overflow its accumulator: inf or NaN
    if how is None and a == a and e == e and a not in (_INF, -_INF) and e not in (_INF, -_INF):
        rel = _bound_at(tol.get("rel"), path)
        absolute = _bound_at(tol.get("abs"), path)
        if rel is not None and _abs_diff_within(a, e, rel, e):
            how = "rel"
        elif absolute is not None and _abs_diff_within(a, e, absolute, 1.0):
            how = "abs"
    if how is not None and tol.get("signedZero") and a == 0.0 and e == 0.0 \
            and math.copysign(1.0, a) != math.copysign(1.0, e):
        how = None
        distance = 1
    found.append((path, a, e, distance, how))


def _bound_at(bound, path):
    # A bound is one float for every element, or a tree shaped like expected.
    for i in path:
        if not isinstance(bound, list):
            break
        bound = bound[i]
    return bound if isinstance(bound, float) else None


def _abs_diff_within(a, b, bound, scale):
    # Exactly: |a - b| <= bound * |scale| (scale 1.0 for an absolute bound).
    na, ea = to_scaled_int(a)
    nb, eb = to_scaled_int(b)
    nt, et = to_scaled_int(bound)
    ns, es = to_scaled_int(scale)
    low = min(ea, eb, et + es)
    diff = abs((na << (ea - low)) - (nb << (eb - low)))
    limit = abs(nt * ns) << (et + es - low)
    return diff <= limit


def _where(path):
    return "".join("[%d]" % i for i in path) or "the top level"


def _shape(tree):
    dims = []
    while isinstance(tree, list):
        dims.append(len(tree))
        tree = tree[0] if tree else None
    return "(%s)" % ", ".join(str(d) for d in dims) if dims else "a number"


def _describe_element(path, a, e, distance):
    where = " at %s" % _where(path) if path else ""
    return "got %r, expected %r (%s ULP)%s" % (a, e, distance, where)
