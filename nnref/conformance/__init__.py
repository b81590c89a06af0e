"""Check another implementation against nnref's conformance vectors.

The vectors (``python -m nnref vectors --out DIR``, one JSON file per
operation; the format is in ``docs/conformance.md``) hold cases with their
expected outputs and tolerances.  This module checks outputs against them:

=========================================  =====================================
Function                                   What it does
=========================================  =====================================
``run(impl, vectors_dir=None, ops=None)``  call a Python implementation on every
                                           case and check what it returns
``check_files(vectors, results)``          check a RESULTS file (the vectors with
                                           ``expected`` replaced by ``output``)
``load(path)``                             read a vector or results file
``decode_float(obj)``                      ``{"dec", "hex"}`` -> float, exactly
=========================================  =====================================

Both checks return a ``Report``: ``report.ok``, ``report.failures`` (with
the ``tcId`` of each), ``str(report)`` (a table: op, cases, passed, worst
ULP distance, failures by ``tcId``), and ``report.raise_for_failures()``,
which raises ``ConformanceError`` (an ``AssertionError``) naming them.

An element passes if it equals the expected value, or is within the test's
tolerance: ULP distance <= ``ulp``, or ``|out - expected| <= rel * |expected|``,
or ``|out - expected| <= abs`` (``rel`` and ``abs`` compared exactly, not in
rounded float arithmetic).  NaN matches NaN only; an infinity matches only
itself (or is ``ulp`` steps from the largest float); the sign of a zero
counts only where the tolerance says ``signedZero``.  An ``invalid`` case
passes if the call raises (any exception: other languages name theirs
differently); an ``acceptable`` case also passes if the output matches one of
its ``alternatives``.

>>> import nnref
>>> from nnref import conformance
>>> report = conformance.run({"relu": nnref.relu, "step": nnref.step})
>>> report.ok
True
>>> def bad_relu(x):          # Python's bare max: an int 0, and NaN lost
...     if isinstance(x, list):
...         return [bad_relu(v) for v in x]
...     return max(0, x)
>>> report = conformance.run({"relu": bad_relu})
>>> report.ok
False
>>> [(f.tc_id, f.comment) for f in report.failures]
[(23, 'relu(nan)'), (24, 'all special values in one vector'), (29, 'ragged batch')]
>>> report.raise_for_failures()          # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
nnref.conformance.ConformanceError: relu: 3 of 33 cases failed: tcId 23, 24, 29 (first: ... got 0.0, expected nan (inf ULP))
>>> print(report)                        # doctest: +ELLIPSIS
op    cases  passed  allowed  failed  worst ULP  failed tcIds
relu     33      30        0       3          0  23 24 29
relu #23 FAIL [nan-propagation]: relu(nan) -- 1 of 1 elements outside the tolerance; worst: got 0.0, expected nan (inf ULP)
...
FAILED: 3 case(s) outside the allow-list

Decoding needs no ``float.fromhex``: hex strings are parsed by hand, so the
checker itself also runs where that is missing.
"""

import json
import math
import os

from .._base.rounding import round_scaled, to_scaled_int
from ..testing import ulp_distance

_INF = float("inf")
_NAN = float("nan")
_HEX_DIGITS = "0123456789abcdef"


__all__ = ["run", "check_files", "check_documents", "check_case", "as_results", "load",
           "decode_test", "decode_tree", "decode_float", "parse_hex", "Report", "OpResult",
           "Failure", "ConformanceError", "VectorFormatError"]


class ConformanceError(AssertionError):
    """Raised by ``Report.raise_for_failures`` when a case failed."""


class VectorFormatError(ValueError):
    """A vector or results file that does not follow the format."""


# --- decoding ------------------------------------------------------------------

def parse_hex(text):
    """The float written as ``float.hex()`` text (also ``nan``, ``inf``, ``-inf``).

    Parsed by hand, exactly (digits beyond 53 bits round to nearest even, as
    ``float.fromhex`` does).

    >>> parse_hex("0x1.8000000000000p+0"), parse_hex("-0x0.0p+0"), parse_hex("-inf")
    (1.5, -0.0, -inf)
    >>> parse_hex("0x0.0000000000001p-1022")
    5e-324
    """
    if not isinstance(text, str):
        raise VectorFormatError("hex value %r is not a string" % (text,))
    s = text.strip().lower()
    sign = 1
    if s[:1] in ("-", "+"):
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if s in ("nan", "inf", "infinity"):
        value = _NAN if s == "nan" else _INF
        return -value if sign < 0 and s != "nan" else value
    if not s.startswith("0x"):
        raise VectorFormatError("hex value %r does not start with 0x" % (text,))
    s = s[2:]
    exponent = 0
    if "p" in s:
        s, power = s.split("p", 1)
        try:
            exponent = int(power)
        except ValueError:
            raise VectorFormatError("hex value %r has a bad exponent" % (text,))
    whole, _, fraction = s.partition(".")
    digits = whole + fraction
    if not digits or any(c not in _HEX_DIGITS for c in digits):
        raise VectorFormatError("hex value %r has bad digits" % (text,))
    n = int(digits, 16)
    value = round_scaled(n, exponent - 4 * len(fraction))
    if n == 0:
        value = 0.0
    return -value if sign < 0 else value


def decode_float(obj, where="value"):
    """The float in ``{"dec": repr, "hex": float.hex()}``; either key may be missing.

    If both are present they must name the same float (bit for bit, or both
    NaN), else ``VectorFormatError``.  A plain JSON number is accepted too.

    >>> decode_float({"dec": "0.1", "hex": "0x1.999999999999ap-4"})
    0.1
    >>> decode_float({"dec": "nan", "hex": "nan"})
    nan
    """
    if isinstance(obj, (int, float)) and type(obj) is not bool:
        return float(obj)
    if not isinstance(obj, dict) or not ("hex" in obj or "dec" in obj):
        raise VectorFormatError("%s: %r is not a float object {\"dec\": ..., \"hex\": ...}"
                                % (where, obj))
    from_hex = parse_hex(obj["hex"]) if "hex" in obj else None
    from_dec = None
    if "dec" in obj:
        try:
            from_dec = float(obj["dec"])
        except (TypeError, ValueError):
            raise VectorFormatError("%s: dec %r is not a number" % (where, obj["dec"]))
    if from_hex is None:
        return from_dec
    if from_dec is not None and not _same_bits(from_hex, from_dec):
        raise VectorFormatError("%s: dec %r and hex %r differ" % (where, obj["dec"], obj["hex"]))
    return from_hex


def _same_bits(a, b):
    if a != a or b != b:
        return a != a and b != b
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def decode_tree(value, where="value"):
    """Nested lists of float objects -> nested lists of floats (see ``decode_float``).

    >>> decode_tree([[{"hex": "0x1.0p+0"}, {"dec": "-inf"}]])
    [[1.0, -inf]]
    """
    if isinstance(value, list):
        return [decode_tree(v, "%s[%d]" % (where, i)) for i, v in enumerate(value)]
    return decode_float(value, where)


def load(path):
    """Read a vector or results file (JSON) and return the document, floats still
    in their ``{"dec", "hex"}`` notation; ``VectorFormatError`` if it has no
    ``testGroups``."""
    with open(path) as handle:
        document = json.load(handle)
    if not isinstance(document, dict) or "testGroups" not in document:
        raise VectorFormatError("%s is not a conformance vector file (no testGroups)" % path)
    return document


# --- comparing -----------------------------------------------------------------

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


def _bound_at(bound, path):
    # A bound is one float for every element, or a tree shaped like expected.
    for i in path:
        if not isinstance(bound, list):
            break
        bound = bound[i]
    return bound if isinstance(bound, float) else None


def _compare(actual, expected, tol, path, found):
    """Walk the trees; append (path, actual, expected, distance, how) for each element,
    where ``how`` is the test it passed (``ulp``, ``rel``, ``abs``), or None."""
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            raise _Mismatch("shape differs at %s: expected %s, got %s"
                            % (_where(path), _shape(expected), _shape(actual)))
        for i, (a, e) in enumerate(zip(actual, expected)):
            _compare(a, e, tol, path + (i,), found)
        return
    if isinstance(actual, list):
        raise _Mismatch("shape differs at %s: expected a number, got a list" % _where(path))
    if type(actual) is bool or not isinstance(actual, (int, float)):
        raise _Mismatch("%s is %r (%s), not a number" % (_where(path), actual, type(actual).__name__))
    a, e = float(actual), float(expected)
    distance = ulp_distance(a, e)
    how = "ulp" if distance <= tol["ulp"] else None
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


class _Mismatch(Exception):
    pass


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


def _check_value(actual, expected, tol):
    """(passed, worst distance, reason) for one output against one expected value."""
    found = []
    try:
        if isinstance(expected, dict):                 # data sets: {"X": ..., "y": ...}
            if not isinstance(actual, dict) or set(actual) != set(expected):
                raise _Mismatch("expected an (X, y) pair")
            _compare(actual["X"], expected["X"], tol, (), found)
            _compare(actual["y"], expected["y"], {"ulp": 0}, (), found)
        else:
            _compare(actual, expected, tol, (), found)
    except _Mismatch as error:
        return False, None, str(error)
    worst = max([d for _, _, _, d, how in found if how is not None] + [0])
    bad = [item for item in found if item[4] is None]
    if not bad:
        return True, worst, ""
    path, a, e, distance, _ = max(bad, key=lambda item: item[3])
    return False, worst, "%d of %d elements outside the tolerance; worst: %s" % (
        len(bad), len(found), _describe_element(path, a, e, distance))


def check_case(test, outcome):
    """Check one outcome against one decoded test (see ``decode_test``).

    ``outcome`` is ``("value", output)`` or ``("error", description)``.
    Returns ``(passed, worst_ulp, reason, via_alternative)``: ``worst_ulp``
    is the largest ULP distance of a compared element (None if nothing could
    be compared), ``reason`` says why it failed (empty if it passed).

    >>> test = {"tcId": 1, "result": "valid", "expected": [1.0, 0.5],
    ...         "tolerance": {"rule": "exp", "ulp": 4, "signedZero": False}}
    >>> check_case(test, ("value", [1.0, 0.5000000000000002]))
    (True, 2, '', False)
    >>> check_case(test, ("value", [1.0, 0.6]))[2]
    '1 of 2 elements outside the tolerance; worst: got 0.6, expected 0.5 (900719925474099 ULP) at [1]'
    >>> check_case(test, ("error", "ValueError: no"))[2]
    'raised ValueError: no'
    """
    kind, payload = outcome
    if test["result"] == "invalid":
        if kind == "error":
            return True, 0, "", False
        return False, 0, "expected an error (%s), got a result" % test.get("exception"), False
    if kind == "error":
        return False, None, "raised %s" % payload, False
    tol = test["tolerance"]
    passed, worst, reason = _check_value(payload, test["expected"], tol)
    if passed:
        return True, worst, "", False
    for alternative in test.get("alternatives", ()):
        ok, alt_worst, _ = _check_value(payload, alternative, tol)
        if ok:
            return True, alt_worst, "", True
    return False, worst, reason, False


# --- decoding whole tests --------------------------------------------------------

def _decode_output(value, where):
    if value is None:
        return None
    if isinstance(value, dict) and "X" in value:
        y = value["y"]
        if y and isinstance(y[0], (list, dict)):
            y = decode_tree(y, where + ".y")
        return {"X": decode_tree(value["X"], where + ".X"), "y": y}
    return decode_tree(value, where)


def decode_test(op, test):
    """A copy of ``test`` (from a vector file of ``op``) with its inputs,
    expected value, alternatives and tolerance bounds decoded to floats.

    >>> t = decode_test("relu", {"tcId": 4, "inputs": {"x": {"dec": "-0.0", "hex": "-0x0.0p+0"}},
    ...                          "expected": {"dec": "-0.0", "hex": "-0x0.0p+0"}, "result": "valid",
    ...                          "tolerance": {"rule": "exact", "ulp": 0, "signedZero": True}})
    >>> t["inputs"], t["expected"]
    ({'x': -0.0}, -0.0)
    """
    where = "%s tcId %s" % (op, test.get("tcId"))
    out = dict(test)
    out["inputs"] = dict((name, v if isinstance(v, int) and type(v) is not bool
                          else decode_tree(v, "%s inputs.%s" % (where, name)))
                         for name, v in test["inputs"].items())
    out["expected"] = _decode_output(test.get("expected"), where + " expected")
    if "alternatives" in test:
        out["alternatives"] = [_decode_output(a, where + " alternative") for a in test["alternatives"]]
    tol = dict(test["tolerance"])
    for key in ("rel", "abs"):
        if key in tol:
            tol[key] = decode_tree(tol[key], "%s tolerance.%s" % (where, key))
    out["tolerance"] = tol
    return out


def _tests_of(document):
    """Every test of a vector document, in order."""
    for group in document["testGroups"]:
        for test in group["tests"]:
            yield test


# --- reports ---------------------------------------------------------------------

class Failure(object):
    """One failed case: ``op``, ``tc_id``, ``comment``, ``flags``, ``reason``;
    ``allowed`` is the allow-list's reason when one covers it (else None)."""

    def __init__(self, op, tc_id, comment, flags, reason):
        self.op = op
        self.tc_id = tc_id
        self.comment = comment
        self.flags = list(flags)
        self.reason = reason
        self.allowed = None

    def __repr__(self):
        return "Failure(op=%r, tc_id=%r, reason=%r)" % (self.op, self.tc_id, self.reason)


class OpResult(object):
    """The outcome for one operation: counts, the worst ULP distance seen, failures."""

    def __init__(self, op):
        self.op = op
        self.cases = 0
        self.passed = 0
        self.acceptable = 0        # passed through an alternative
        self.worst = 0             # largest ULP distance in a passed case (abs-bound passes aside)
        self.worst_tc_id = None
        self.failures = []
        self.skipped = None        # reason, if the op was not run at all

    def record(self, test, passed, worst, reason, via_alternative):
        self.cases += 1
        # After cancellation the ULPs of a result say nothing: leave those out.
        if passed and worst > self.worst and "cancellation" not in test.get("flags", ()):
            self.worst = worst
            self.worst_tc_id = test["tcId"]
        if passed:
            self.passed += 1
            if via_alternative:
                self.acceptable += 1
        else:
            self.failures.append(Failure(self.op, test["tcId"], test.get("comment", ""),
                                         test.get("flags", ()), reason))


class Report(object):
    """What a check found, per operation (``results``) and overall.

    ``ok`` is True when every failure is covered by an allow-list (or there
    are none); ``failures`` lists every failure, ``unexpected`` those not
    allowed.  ``str(report)`` is the table.
    """

    def __init__(self, results, title=""):
        self.results = list(results)
        self.title = title

    @property
    def failures(self):
        return [f for r in self.results for f in r.failures]

    @property
    def unexpected(self):
        return [f for f in self.failures if f.allowed is None]

    @property
    def ok(self):
        return not self.unexpected

    def raise_for_failures(self):
        """Raise ``ConformanceError`` naming the failed tcIds, unless ``ok``."""
        if self.ok:
            return
        parts = []
        for r in self.results:
            bad = [f for f in r.failures if f.allowed is None]
            if bad:
                ids = ", ".join(str(f.tc_id) for f in bad[:5]) + ("..." if len(bad) > 5 else "")
                parts.append("%s: %d of %d cases failed: tcId %s (first: %s)"
                             % (r.op, len(bad), r.cases, ids, bad[0].reason))
        raise ConformanceError("; ".join(parts))

    def __str__(self):
        return _format_table(self)


def _ids(failures):
    return " ".join(str(f.tc_id) for f in failures)


def _format_table(report):
    """The report as a text table, then one line per failure."""
    header = ("op", "cases", "passed", "allowed", "failed", "worst ULP", "failed tcIds")
    rows = []
    for r in report.results:
        if r.skipped:
            rows.append((r.op, "-", "-", "-", "-", "-", "skipped: " + r.skipped))
            continue
        allowed = [f for f in r.failures if f.allowed is not None]
        bad = [f for f in r.failures if f.allowed is None]
        worst = str(r.worst) + ("" if r.worst_tc_id is None else " (#%d)" % r.worst_tc_id)
        text = _ids(bad)
        if allowed:
            text = (text + "; " if text else "") + "allowed: " + _ids(allowed)
        rows.append((r.op, str(r.cases), str(r.passed), str(len(allowed)), str(len(bad)), worst, text))
    widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header) - 1)]
    lines = []
    if report.title:
        lines.append(report.title)
    for row in [header] + rows:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:-1], widths[1:])]
        lines.append("  ".join(cells + [row[-1]]).rstrip())
    for f in report.failures:
        status = "allowed (%s)" % f.allowed if f.allowed is not None else "FAIL"
        lines.append("%s #%s %s [%s]: %s -- %s" % (f.op, f.tc_id, status, ", ".join(f.flags),
                                                  f.comment, f.reason))
    lines.append("OK" if report.ok else "FAILED: %d case(s) outside the allow-list" % len(report.unexpected))
    return "\n".join(lines)


# --- running ---------------------------------------------------------------------

def _operations():
    from ._cases import OPERATIONS
    return [name for name, _ in OPERATIONS]


def _vector_document(op, vectors_dir=None):
    """The vector document for ``op``: read from ``vectors_dir/op.json``, or
    generated in memory by this nnref when ``vectors_dir`` is None."""
    if vectors_dir is not None:
        return load(os.path.join(vectors_dir, op + ".json"))
    if op not in _GENERATED:            # generating takes a moment: once per process
        from . import _cases
        _GENERATED[op] = _cases.encode(_cases.build(op))
    return _GENERATED[op]


_GENERATED = {}


def _to_plain(value):
    # NumPy arrays and scalars, tensors: .tolist(); tuples become lists.
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_to_plain(v) for v in value]
    return value


def _call_case(function, op, arguments, inputs):
    """Call ``function`` on a decoded test's inputs; return an outcome pair."""
    args = [inputs[name] for name in arguments]
    try:
        value = function(*args)
    except Exception as error:  # any error counts as rejecting the input
        return "error", "%s: %s" % (type(error).__name__, error)
    if op.endswith("_data"):
        try:
            X, y = value
        except (TypeError, ValueError):
            return "value", value
        return "value", {"X": _to_plain(X), "y": _to_plain(y)}
    return "value", _to_plain(value)


def _run_document(document, function):
    """Check ``function`` on every test of one vector document; an ``OpResult``."""
    op = document["operation"]
    arguments = document["arguments"]
    result = OpResult(op)
    for raw in _tests_of(document):
        test = decode_test(op, raw)
        outcome = _call_case(function, op, arguments, test["inputs"])
        result.record(test, *check_case(test, outcome))
    return result


def run(impl, vectors_dir=None, ops=None):
    """Run a Python implementation through the conformance vectors and return a ``Report``.

    ``impl`` maps operation names to callables: ``"step"``, ``"linear"``,
    ``"relu"``, ``"sigmoid"``, ``"softmax"`` take ``x`` (a float, a list, or
    a list of rows); ``"dense"`` takes ``(inputs, weights, biases)``;
    ``"spiral_data"`` and ``"vertical_data"`` take ``(samples, classes,
    seed)`` and ``"sine_data"`` takes ``samples``, each returning ``(X, y)``.
    Results may be lists, tuples or anything with ``.tolist()``.  Operations
    missing from ``impl`` are not checked; an unknown name is a
    ``ValueError``.

    ``vectors_dir`` is a folder of vector files; None uses the vectors this
    nnref generates (identical to the committed ``vectors/``).  ``ops``
    restricts the run to some operations.  Nothing is raised for failures:
    call ``report.raise_for_failures()`` for that.
    """
    known = _operations()
    for name in impl:
        if name not in known:
            raise ValueError("conformance.run: impl has unknown operation %r; expected some of %s"
                             % (name, ", ".join(known)))
    results = []
    for op in known:
        if op not in impl or (ops is not None and op not in ops):
            continue
        results.append(_run_document(_vector_document(op, vectors_dir), impl[op]))
    return Report(results)


def _results_outputs(document, path):
    outputs = {}
    for test in _tests_of(document):
        if "tcId" not in test:
            raise VectorFormatError("%s: a test has no tcId" % path)
        outputs[test["tcId"]] = test
    return outputs


def check_documents(vectors, results, path="results"):
    """Check one results document against its vector document; an ``OpResult``.

    Tests are matched by ``tcId``; a test without an ``output`` fails.  The
    tolerances come from ``vectors``, never from ``results``.

    >>> vectors = _vector_document("step")
    >>> result = check_documents(vectors, as_results(vectors))
    >>> result.cases, result.passed, result.failures
    (33, 33, [])
    """
    op = vectors["operation"]
    if results.get("operation", op) != op:
        raise VectorFormatError("%s is for %r, the vectors for %r" % (path, results.get("operation"), op))
    outputs = _results_outputs(results, path)
    result = OpResult(op)
    for raw in _tests_of(vectors):
        test = decode_test(op, raw)
        given = outputs.get(raw["tcId"])
        if given is None or "output" not in given:
            result.record(test, False, None, "no output in %s" % path, False)
            continue
        output = given["output"]
        try:
            if isinstance(output, dict) and "error" in output:
                outcome = ("error", str(output["error"]))
            else:
                outcome = ("value", _decode_output(output, "%s tcId %s output" % (op, raw["tcId"])))
        except VectorFormatError as error:
            result.record(test, False, None, str(error), False)
            continue
        result.record(test, *check_case(test, outcome))
    return result


def check_files(vectors_path, results_path):
    """Check RESULTS against VECTORS and return a ``Report``.

    Both are files, or both folders, whose ``*.json`` files are paired by
    name (the schema aside); ``python -m nnref check`` calls this.
    """
    pairs = []
    if os.path.isdir(vectors_path):
        for name in sorted(os.listdir(vectors_path)):
            if name.endswith(".json") and not name.endswith(".schema.json"):
                target = os.path.join(results_path, name) if os.path.isdir(results_path) else None
                if target is not None and os.path.exists(target):
                    pairs.append((os.path.join(vectors_path, name), target))
        if not pairs:
            raise VectorFormatError("no results in %s match the vectors in %s" % (results_path, vectors_path))
    else:
        pairs.append((vectors_path, results_path))
    return Report([check_documents(load(v), load(r), r) for v, r in pairs])


def as_results(document, outputs=None):
    """A RESULTS document: ``document`` with each ``expected`` replaced by ``output``.

    ``outputs`` maps tcId to an output in the file notation (a float tree, or
    ``{"error": "..."}``); without it the vectors' own expected values are
    used, and invalid cases get ``{"error": <exception>}``.  Handy for ports
    that want a template to fill in.

    >>> vectors = _vector_document("relu")
    >>> results = as_results(vectors)
    >>> test = results["testGroups"][0]["tests"][0]
    >>> sorted(test)
    ['comment', 'flags', 'inputs', 'output', 'result', 'tcId', 'tolerance']
    """
    out = dict(document)
    out["testGroups"] = []
    for group in document["testGroups"]:
        g = dict(group)
        g["tests"] = []
        for test in group["tests"]:
            t = dict((k, v) for k, v in test.items() if k not in ("expected", "alternatives"))
            if outputs is not None:
                t["output"] = _copy_tree(outputs[test["tcId"]])
            elif test["result"] == "invalid":
                t["output"] = {"error": test.get("exception", "error")}
            else:
                t["output"] = _copy_tree(test["expected"])
            g["tests"].append(t)
        out["testGroups"].append(g)
    return out


def _copy_tree(value):
    # New lists and dicts all the way down, so editing the results never edits the vectors.
    if isinstance(value, list):
        return [_copy_tree(v) for v in value]
    if isinstance(value, dict):
        return dict((k, _copy_tree(v)) for k, v in value.items())
    return value
