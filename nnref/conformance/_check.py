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

from .._base.formats import check_dtype, round_float, round_scaled, to_scaled_int
from ..testing import ulp_distance
from ._format import clip, digit_count

_INF = float("inf")


def check_case(test, outcome, dtype="float64", accumulate=None):
    """Check one outcome against one decoded test (see ``decode_test``) of a ``dtype`` file.

    ``outcome`` is ``("value", output)``, ``("error", description)``,
    ``("unsupported", reason)`` (the implementation does not take this input
    form: a failure, which the report counts apart) or ``("unreadable",
    reason)`` (an output that could not be read: a failure with that reason)
    or ``("fail", reason)`` (judged already: a failure with exactly that reason).
    An ``invalid`` case passes on any error, and fails on anything else with a
    reason that says what came instead.  Returns ``(passed, worst_ulp, reason, via_alternative)``: ``worst_ulp``
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
    >>> check_case(test, ("value", None))[2]
    'shape differs at the top level: expected (2), got None'
    >>> invalid = {"tcId": 2, "result": "invalid", "expected": None, "exception": "ValueError"}
    >>> check_case(invalid, ("value", [[1.0, 2.0], [3.0]]))[2]
    'expected an error (nnref raises ValueError), got a result: [[1.0, 2.0], [3.0]]'
    """
    fmt = check_dtype(dtype, "check_case")
    kind, payload = outcome
    if kind == "unsupported":
        return False, None, "unsupported: %s" % payload, False
    if kind == "fail":
        return False, None, payload, False
    if test["result"] == "invalid":
        if kind == "error":
            return True, 0, "", False
        return False, 0, "expected an error (nnref raises %s), got %s" % (
            test.get("exception") or "an error", _received(kind, payload)), False
    if kind == "error":
        return False, None, "raised %s" % payload, False
    if kind == "unreadable":
        return False, None, payload, False
    tol = _tolerance_for(test["tolerance"], accumulate)
    passed, worst, reason = _check_value(payload, test["expected"], tol, fmt)
    if passed:
        return True, worst, "", False
    for alternative in test.get("alternatives", ()):
        ok, alt_worst, _ = _check_value(payload, alternative, tol, fmt)
        if ok:
            return True, alt_worst, "", True
    return False, worst, reason, False


def _received(kind, payload):
    if kind == "unreadable":
        return "an output that cannot be read: %s" % payload
    return "a result: %s" % summary(payload)


def describe(value):
    """What a Python value is, for a message: ``None``, ``True``, ``the string 'x'``,
    ``a list of 3``, ``a dict``, ``an int of 400 digits``, ``a Foo object``; numbers
    as ``repr`` gives them.  Never raises, whatever ``value``'s methods do.

    >>> describe(None), describe("1.5"), describe(10 ** 400), describe([1.0, 2.0])
    ('None', "the string '1.5'", 'an int of 401 digits', 'a list of 2')
    """
    try:
        if value is None or type(value) is bool:
            return repr(value)
        if type(value) is int:
            if -10 ** 30 < value < 10 ** 30:
                return repr(value)
            return "an int of %d digits" % digit_count(value)
        if type(value) is float:
            return repr(value)
        if type(value) is str:
            return "the string %r" % (clip(value),)
        if type(value) in (list, tuple):
            return ("a %s of %d" % (type(value).__name__, len(value))) if value else \
                "an empty %s" % type(value).__name__
        if type(value) is dict:
            return "a dict with keys %s" % clip(", ".join(sorted(str(k) for k in value)))
        return "a %s object" % type(value).__name__
    except Exception:                   # a hostile __len__, __repr__ or __str__
        return "a %s object" % type(value).__name__


def summary(value, size=60):
    """A short text of a plain output (nested lists of numbers): its ``repr``, cut at
    ``size`` characters; ``describe`` for anything else.

    >>> summary([[1.0, 2.0], [3.0]])
    '[[1.0, 2.0], [3.0]]'
    """
    if not _is_plain(value, 0):
        return describe(value)
    return clip(repr(value), size)


def _is_plain(value, depth):
    if type(value) is list:
        return depth < 8 and len(value) < 1000 and all(_is_plain(v, depth + 1) for v in value)
    if type(value) is int:
        return -10 ** 30 < value < 10 ** 30
    return type(value) is float or (isinstance(value, dict) and depth == 0 and set(value) == {"X", "y"}
                                    and _is_plain(value["X"], 1) and _is_plain(value["y"], 1))


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
        if isinstance(expected, dict) and "X" not in expected:   # a tuple result's parts
            if not isinstance(actual, dict) or set(actual) != set(expected):
                raise _Mismatch("expected the parts %s, got %s"
                                % (", ".join(sorted(expected)), describe(actual)))
            for part in sorted(expected):
                _compare(actual[part], expected[part], _part_tolerance(tol, part), ("." + part,),
                         found, fmt, "output")
        elif isinstance(expected, dict):               # data sets: {"X": ..., "y": ...}
            if not isinstance(actual, dict) or set(actual) != set(expected):
                raise _Mismatch("expected an (X, y) pair, got %s" % describe(actual))
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


def _part_tolerance(tol, part):
    # The tolerance of one part of a tuple result: its own rel and abs trees.
    out = dict(tol)
    for key in ("rel", "abs"):
        if isinstance(tol.get(key), dict):
            out[key] = tol[key].get(part)
    return out


class _Mismatch(Exception):
    pass


def _compare(actual, expected, tol, path, found, fmt, name):
    """Walk the trees; append (path, actual, expected, distance, how) for each element,
    where ``how`` is the test it passed (``ulp``, ``rel``, ``abs``, ``overflow``), or None."""
    if isinstance(expected, list):
        if type(actual) is not list or len(actual) != len(expected):
            raise _Mismatch("shape differs at %s: expected %s, got %s"
                            % (_where(path), _shape(expected), _shape(actual)))
        for i, (a, e) in enumerate(zip(actual, expected)):
            _compare(a, e, tol, path + (i,), found, fmt, name)
        return
    if isinstance(actual, list):
        raise _Mismatch("shape differs at %s: expected a number, got %s" % (_where(path), _shape(actual)))
    place = name + _steps(path)
    if type(actual) is bool or not isinstance(actual, (int, float)):
        raise _Mismatch("%s is %s, not a number" % (place, describe(actual)))
    a = _as_float(actual)
    if a is None:
        raise _Mismatch("%s is %s, too large for a float" % (place, describe(actual)))
    e = float(expected)
    if round_float(a, fmt) != a and a == a:
        raise _Mismatch("%s = %r is not a %s value" % (place, a, fmt.name))
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


def _as_float(value):
    # A float as it is; an int rounded exactly (MicroPython's float(int) truncates), None
    # if it is past the largest float (CPython raises OverflowError, MicroPython gives inf).
    if isinstance(value, float):
        return float(value)
    if -_TWO_1100 < value < _TWO_1100:
        result = round_scaled(int(value), 0)
        if result not in (_INF, -_INF):
            return result
    return None


_TWO_1100 = 2 ** 1100


def _bound_at(bound, path):
    # A bound is one float for every element, or a tree shaped like expected.
    for i in path:
        if type(i) is not int:
            continue                         # a part's name: its bounds are sliced already
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


def _steps(path):
    # [2][1], or .dweights[2][1] in a tuple result's part
    return "".join(i if type(i) is str else "[%d]" % i for i in path)


def _where(path):
    return _steps(path).lstrip(".") or "the top level"


def _shape(tree):
    # The shape of a nest of lists, as far as its first elements go; what it is otherwise.
    if type(tree) is not list:
        return describe(tree)
    dims = []
    while type(tree) is list and len(dims) < 40:
        dims.append(len(tree))
        tree = tree[0] if tree else None
    text = "(%s)" % ", ".join(str(d) for d in dims)
    return text if len(dims) < 40 else text[:-1] + ", ...)"


def _describe_element(path, a, e, distance):
    where = " at %s" % _where(path) if path else ""
    return "got %r, expected %r (%s ULP)%s" % (a, e, distance, where)
