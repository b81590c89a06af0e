"""The conformance cases: what each operation's vectors hold, and their expected values.

``build(op)`` returns one vector file as a plain dict, floats still floats
(``_format.encode`` writes them as ``{"dec", "hex"}`` objects, ``_format.dumps``
as text).  Each test gets its tolerance from ``_tolerances``.

Where the expected values come from:

* activations and ``dense``: ``nnref.exact``, the correctly rounded oracle
  (exact rational or ``decimal`` arithmetic, never the float code under test);
* data sets: nnref's float64 data sets, which the test suite checks bit for
  bit against values recorded from NumPy/nnfs (``tests/fixtures``).

This module runs on CPython and PyPy only (it needs ``fractions`` and
``nnref.exact``); checking results does not (see ``nnref.conformance``).

>>> document = build("relu")
>>> document["numberOfTests"], sorted(document["notes"])[:3]
(33, ['chapter-example', 'empty', 'inf-input'])
"""

import math
from fractions import Fraction

from .. import _chapter
from ..rng import RandomState
from . import _format
from ._format import ARGUMENTS, OPERATIONS
from ._tolerances import (dense_tolerance, exact_tolerance, exp_tolerance, libm_tolerance,
                          softmax_tolerance, tolerance)

#: Every flag a case may carry, and what it means.  A file's ``notes`` hold
#: the flags that file uses.
FLAGS = {
    "all-neginf-row": "A softmax row made only of -inf: every result is NaN (0/0 after the max shift).",
    "bias-vector": "The biases are given as a vector (m,) instead of the book's row (1, m).",
    "cancellation": "Large terms cancel, so the result is small next to the terms: the tolerance is "
                    "an absolute bound, (k + 1) * 2**-52 * sum|terms|, since ULPs of the result mean "
                    "nothing to a float64 dot product.",
    "chapter-example": "Taken from chapter 4 of Neural Networks from Scratch in Python.",
    "empty": "An empty vector or batch, or a zero-size dimension.",
    "exp-underflow": "exp of an argument below about -708.4 is subnormal or zero.",
    "huge-row": "A long row (1,000 or more elements).",
    "inf-input": "An input is +inf or -inf.",
    "inf-minus-inf": "The terms include both +inf and -inf: the result is NaN.",
    "inf-times-zero": "A product is 0 * inf: the result is NaN.",
    "intermediate-overflow": "A running float64 sum overflows although the exact result is finite; "
                             "nnref rounds the exact sum once.",
    "large-magnitude": "Inputs near the largest float (1.7976931348623157e308).",
    "libm": "The expected values use the platform's sin, cos, log or exp (glibc x86-64 here), "
            "so another libm may differ in the last bits: the tolerance allows a few ULP.",
    "naive-exp-overflow": "The textbook formula overflows here: exp(-x) in 1/(1 + exp(-x)) for "
                          "x < -709.78, or exp(x) in softmax without the max shift.",
    "nan-propagation": "An input is NaN: the result is NaN (for softmax, the whole row).",
    "overflow-boundary": "An input next to an exp overflow or underflow boundary: +-709.78 "
                         "(exp overflows), -708.40 (exp leaves the normal range), +-745.13 "
                         "(exp rounds to 0).",
    "not-a-batch": "A vector (k,) where a batch of rows (n, k) is required; nnref does not guess "
                   "that it is one sample.",
    "posinf-in-row": "A softmax row holding +inf: every result in that row is NaN (inf - inf).",
    "random": "Seeded random inputs, drawn with nnref.RandomState (NumPy's legacy generator).",
    "scalar-input": "A plain number where the operation needs a vector or batch.",
    "seeded": "A data set drawn from nnref.RandomState(seed), as NumPy's legacy "
              "np.random.RandomState(seed) draws it.",
    "shape-error": "Invalid shapes (ragged rows, misaligned or missing dimensions): the call "
                   "must fail.",
    "signed-zero": "The sign of a zero result matters here (the tolerance has signedZero).",
    "subnormal": "A subnormal input or expected result (below 2.2250738585072014e-308).",
    "zero-size": "A dimension of length 0 inside a non-empty shape, e.g. (2, 0) inputs.",
}

_INF = float("inf")
_NAN = float("nan")

# Values every elementwise operation is tried on, each with its flags.
_MAX = 1.7976931348623157e308
_MIN_NORMAL = 2.2250738585072014e-308
_MAX_SUBNORMAL = 2.225073858507201e-308
_SPECIAL_VALUES = (
    (0.0, ()), (-0.0, ("signed-zero",)), (1.0, ()), (-1.0, ()), (0.5, ()), (-0.5, ()),
    (5e-324, ("subnormal",)), (-5e-324, ("subnormal",)),
    (_MAX_SUBNORMAL, ("subnormal",)), (-_MAX_SUBNORMAL, ("subnormal",)),
    (_MIN_NORMAL, ()), (-_MIN_NORMAL, ()),
    (1e-300, ()), (-1e-300, ()), (1e300, ()), (-1e300, ()),
    (_MAX, ("large-magnitude",)), (-_MAX, ("large-magnitude",)),
    (_INF, ("inf-input",)), (-_INF, ("inf-input",)), (_NAN, ("nan-propagation",)),
)
# Arguments next to exp's boundaries: overflow at ln(max) = 709.782712893384,
# the normal range ends at ln(2**-1022) = -708.3964185322641, and exp rounds to
# 0 below ln(2**-1075) = -745.1332191019412.
_BOUNDARY_VALUES = (
    709.78, 709.782712893384, 709.7827128933841, 710.0, -709.78, -709.782712893384,
    -709.7827128933841, -710.0, -708.3964185322641, -708.4, -720.0, -744.44, -745.0,
    -745.1332191019411, -745.1332191019412, -745.2, -746.0, 745.0, 745.1332191019412, 746.0,
    36.7, 37.0, -36.7, -37.0, 1e-10, -1e-10,
)


def _has_subnormal(value):
    # Any subnormal float in an input or expected value (tuples and dicts too).
    if isinstance(value, dict):
        return any(_has_subnormal(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_subnormal(v) for v in value)
    return type(value) is float and 0.0 < abs(value) < _MIN_NORMAL


# --- expected values -------------------------------------------------------------

def _oracle(op):
    from .. import exact
    return getattr(exact, op)


def _expected(op, inputs):
    if op in ("spiral_data", "vertical_data"):
        from .. import datasets
        X, y = getattr(datasets, op)(inputs["samples"], inputs["classes"],
                                     rng=RandomState(inputs["seed"]))
        return {"X": X, "y": y}
    if op == "sine_data":
        from .. import datasets
        X, y = datasets.sine_data(inputs["samples"])
        return {"X": X, "y": y}
    args = [inputs[name] for name in ARGUMENTS[op]]
    return _oracle(op)(*args)


# --- files, groups, tests -----------------------------------------------------------

class _Builder(object):
    """Collects the groups and tests of one file, numbering tcIds in order."""

    def __init__(self, op):
        self.op = op
        self.groups = []
        self.count = 0

    def group(self, category, description, **params):
        group = {"category": category, "description": description, "tests": []}
        group.update(params)
        self.groups.append(group)
        return group

    def add(self, group, comment, flags, inputs, tol=None, result="valid",
            exception=None, alternatives=None, expected=None):
        self.count += 1
        test = {"tcId": self.count, "comment": comment, "inputs": inputs, "result": result}
        if result == "invalid":
            test["expected"] = None
            test["exception"] = exception
            test["tolerance"] = exact_tolerance()
        else:
            test["expected"] = _expected(self.op, inputs) if expected is None else expected
            test["tolerance"] = tol
            if alternatives is not None:
                test["alternatives"] = alternatives
        # Every case that holds a subnormal says so: flush-to-zero hardware modes fail exactly these.
        if _has_subnormal(inputs) or _has_subnormal(test["expected"]):
            flags = list(flags) + ["subnormal"]
        test["flags"] = sorted(set(flags))
        group["tests"].append(test)
        return test

    def document(self):
        used = sorted(set(flag for g in self.groups for t in g["tests"] for flag in t["flags"]))
        return _format.document(self.op, dict((flag, FLAGS[flag]) for flag in used), self.groups)


def _elementwise_cases(b, op, tol_for):
    chapter = b.group("chapter", "The chapter's ReLU inputs, as a vector and as a batch.")
    b.add(chapter, "chapter inputs as a vector", ["chapter-example"],
          {"x": [float(v) for v in _chapter.RELU_INPUTS]}, tol_for(None))
    b.add(chapter, "chapter layer outputs as a batch", ["chapter-example"],
          {"x": _chapter.SOFTMAX_BATCH}, tol_for(None))

    special = b.group("special-values", "Each special value as a number.")
    for value, flags in _SPECIAL_VALUES:
        flags = list(flags)
        tol = tol_for(value)
        alternatives = None
        result = "valid"
        if value == 0.0 and math.copysign(1.0, value) < 0:
            if op == "relu":
                # max(0, -0.0) may be either zero: IEEE leaves max's choice open.
                result, alternatives = "acceptable", [0.0]
            tol = tolerance(tol["rule"], tol["ulp"], signed_zero=op in ("relu", "linear"))
        b.add(special, "%s(%r)" % (op, value), flags, {"x": value}, tol, result=result,
              alternatives=alternatives)
    b.add(special, "all special values in one vector", ["nan-propagation", "inf-input", "subnormal"],
          {"x": [v for v, _ in _SPECIAL_VALUES]}, tol_for(None))

    boundary = b.group("overflow-boundaries", "Arguments next to exp's overflow and underflow "
                       "boundaries, as one vector.")
    flags = ["overflow-boundary"]
    if op == "sigmoid":
        flags += ["naive-exp-overflow", "exp-underflow", "subnormal"]
    b.add(boundary, "boundary values", flags, {"x": list(_BOUNDARY_VALUES)}, tol_for(None))
    if op == "sigmoid":
        for value in (-709.79, -720.0, -740.0, -745.0, -745.1332191019411):
            b.add(boundary, "sigmoid(%r) is subnormal; 1/(1 + exp(-x)) overflows" % value,
                  ["naive-exp-overflow", "subnormal", "exp-underflow", "overflow-boundary"],
                  {"x": value}, tol_for(value))

    shapes = b.group("shapes", "Empty inputs and batches.")
    b.add(shapes, "empty vector", ["empty"], {"x": []}, tol_for(None))
    b.add(shapes, "batch of empty rows", ["empty", "zero-size"], {"x": [[], []]}, tol_for(None))
    b.add(shapes, "one-row batch", [], {"x": [[1.5, -2.0, 0.0]]}, tol_for(None))
    errors = b.group("shape-errors", "Ragged batches must be rejected.")
    b.add(errors, "ragged batch", ["shape-error"], {"x": [[1.0, 2.0], [3.0]]},
          result="invalid", exception="ValueError")

    rand = b.group("random", "Seeded normal draws times a scale, from nnref.RandomState(seed).",
                   seed=42)
    rs = RandomState(42)
    for scale in (1.0, 10.0, 100.0, 400.0):
        rows = [[v * scale for v in row] for row in rs.randn(4, 8)]
        b.add(rand, "randn(4, 8) * %r" % scale, ["random"], {"x": rows}, tol_for(None))


def _build_elementwise(op):
    b = _Builder(op)
    if op == "sigmoid":
        _elementwise_cases(b, op, lambda v: exp_tolerance())
        huge = b.group("huge-rows", "A long row of seeded draws.", seed=7)
        row = [v * 30.0 for v in RandomState(7).randn(1000)]
        b.add(huge, "randn(1000) * 30", ["huge-row", "random"], {"x": row}, exp_tolerance())
    else:
        _elementwise_cases(b, op, lambda v: exact_tolerance())
    return b


def _build_softmax():
    b = _Builder("softmax")

    def add(group, comment, flags, x, **kw):
        b.add(group, comment, flags, {"x": x}, softmax_tolerance(x), **kw)

    chapter = b.group("chapter", "The chapter's softmax examples.")
    add(chapter, "softmax([4.8, 1.21, 2.385])", ["chapter-example"], _chapter.SOFTMAX_INPUTS)
    add(chapter, "the chapter's 3x3 layer outputs, row by row", ["chapter-example"], _chapter.SOFTMAX_BATCH)
    add(chapter, "[[1, 2, 3]]: equal to softmax([[-2, -1, 0]])", ["chapter-example"], [[1.0, 2.0, 3.0]])
    add(chapter, "[[-2, -1, 0]]: the max-shifted row", ["chapter-example"], [[-2.0, -1.0, 0.0]])

    special = b.group("special-values", "Rows with NaN, infinities, signed zeros and subnormals.")
    add(special, "NaN makes the row NaN", ["nan-propagation"], [_NAN, 1.0, 2.0])
    add(special, "NaN in one row leaves the other row alone", ["nan-propagation"],
        [[1.0, _NAN], [1.0, 2.0]])
    add(special, "+inf makes the row NaN (inf - inf)", ["posinf-in-row", "inf-input"], [_INF, 1.0])
    add(special, "two +inf", ["posinf-in-row", "inf-input"], [_INF, _INF])
    add(special, "-inf gives 0 beside finite values", ["inf-input"], [-_INF, 1.0, 2.0])
    add(special, "a row of only -inf is NaN (0/0)", ["all-neginf-row", "inf-input"], [-_INF, -_INF])
    add(special, "one -inf alone", ["all-neginf-row", "inf-input"], [-_INF])
    add(special, "+0.0 and -0.0 are equal", ["signed-zero"], [0.0, -0.0])
    add(special, "a single element is 1", [], [3.0])
    add(special, "subnormal inputs", ["subnormal"], [5e-324, 0.0, -5e-324])
    add(special, "largest floats: the shift overflows to -inf", ["large-magnitude"], [_MAX, -_MAX])
    add(special, "two largest floats", ["large-magnitude"], [_MAX, _MAX])

    overflow = b.group("overflow-boundaries", "Rows whose unshifted exp overflows or underflows.")
    add(overflow, "[1000, 1000]: exp(1000) overflows unshifted", ["naive-exp-overflow"],
        [1000.0, 1000.0])
    add(overflow, "[1000, 0]", ["naive-exp-overflow"], [1000.0, 0.0])
    add(overflow, "[710, 709.78, 0]", ["naive-exp-overflow", "overflow-boundary"], [710.0, 709.78, 0.0])
    add(overflow, "[-1000, -1000]: exp underflows unshifted", ["exp-underflow"], [-1000.0, -1000.0])
    for gap in (700.0, 708.3964185322641, 720.0, 744.44, 745.0, 745.1332191019411, 746.0):
        flags = ["exp-underflow", "overflow-boundary"]
        if 708.3964185322641 < gap < 745.1332191019412:
            flags.append("subnormal")
        add(overflow, "[0, -%r]" % gap, flags, [0.0, -gap])
    add(overflow, "a wide row: 0 down to -740", ["exp-underflow", "subnormal"],
        [0.0, -1.0, -10.0, -100.0, -500.0, -700.0, -730.0, -740.0])

    shapes = b.group("shapes", "Empty rows, empty batches and one-element rows.")
    add(shapes, "empty vector", ["empty"], [])
    add(shapes, "batch of two empty rows", ["empty", "zero-size"], [[], []])
    add(shapes, "column batch: each row is [1.0]", [], [[1.0], [2.0], [-3.0]])
    errors = b.group("shape-errors", "Invalid arguments must be rejected.")
    b.add(errors, "ragged batch", ["shape-error"], {"x": [[1.0, 2.0], [3.0]]},
          result="invalid", exception="ValueError")
    b.add(errors, "a plain number has no row", ["scalar-input"], {"x": 1.0},
          result="invalid", exception="TypeError")

    huge = b.group("huge-rows", "Long rows: the sum has many terms.", seed=7)
    add(huge, "1000 equal values: each 1/1000", ["huge-row"], [0.25] * 1000)
    add(huge, "randn(2000) * 20", ["huge-row", "random"], [v * 20.0 for v in RandomState(7).randn(2000)])

    rand = b.group("random", "Seeded normal draws times a scale, from nnref.RandomState(seed).",
                   seed=42)
    rs = RandomState(42)
    for scale in (1.0, 10.0, 100.0, 300.0):
        rows = [[v * scale for v in row] for row in rs.randn(4, 6)]
        add(rand, "randn(4, 6) * %r" % scale, ["random"], rows)
    return b


def _transpose(rows):
    return [list(column) for column in zip(*rows)]


def _build_dense():
    from .. import datasets, layers
    b = _Builder("dense")

    def add(group, comment, flags, inputs, weights, biases, signed_zero=False, **kw):
        args = {"inputs": inputs, "weights": weights, "biases": biases}
        b.add(group, comment, flags, args, dense_tolerance(inputs, weights, biases, signed_zero), **kw)

    chapter = b.group("chapter", "The chapter's layers; the book's weights are neurons x inputs, "
                      "so they appear here transposed (inputs x neurons).")
    add(chapter, "one sample through the book's first layer", ["chapter-example"],
        [_chapter.INPUTS[0]], _transpose(_chapter.WEIGHTS), [_chapter.BIASES])
    add(chapter, "a batch through the book's first layer", ["chapter-example"],
        _chapter.INPUTS, _transpose(_chapter.WEIGHTS), [_chapter.BIASES])
    first = b.groups[-1]["tests"][-1]["expected"]
    add(chapter, "the book's second layer on the first layer's outputs", ["chapter-example"],
        first, _transpose(_chapter.WEIGHTS2), [_chapter.BIASES2])
    X, _ = datasets.spiral_data(100, 3, rng=RandomState(0))
    rng = RandomState(1)
    layer = layers.Dense(2, 3, rng=rng)
    add(chapter, "spiral_data(100, 3, seed 0)[:5] through Dense(2, 3, RandomState(1))",
        ["chapter-example", "random"], X[:5], layer.weights, layer.biases)

    exact = b.group("exact", "Small integers: every float64 order of operations is exact.")
    add(exact, "2x2 integers", [], [[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]], [[1.0, -1.0]])
    add(exact, "bias given as a vector", ["bias-vector"], [[1.0, 2.0]], [[1.0], [1.0]], [0.5])

    special = b.group("special-values", "NaN, infinities, signed zeros, overflow and underflow.")
    ones3 = [[1.0], [1.0], [1.0]]
    add(special, "NaN input", ["nan-propagation"], [[_NAN, 1.0]], [[1.0], [1.0]], [[0.0]])
    add(special, "NaN weight", ["nan-propagation"], [[1.0, 1.0]], [[_NAN], [1.0]], [[0.0]])
    add(special, "NaN bias", ["nan-propagation"], [[1.0, 1.0]], [[1.0], [1.0]], [[_NAN]])
    add(special, "inf * 0 is NaN", ["inf-times-zero", "inf-input"], [[_INF, 1.0]], [[0.0], [1.0]], [[0.0]])
    add(special, "inf - inf is NaN", ["inf-minus-inf", "inf-input"], [[_INF, _INF]], [[1.0], [-1.0]],
        [[0.0]])
    add(special, "inf input gives inf", ["inf-input"], [[_INF, 1.0]], [[2.0], [1.0]], [[0.0]])
    add(special, "-inf bias gives -inf", ["inf-input"], [[1.0, 1.0]], [[2.0], [1.0]], [[-_INF]])
    add(special, "[1e308, 1e308, -1e308] . ones = 1e308", ["intermediate-overflow", "large-magnitude"],
        [[1e308, 1e308, -1e308]], ones3, [[0.0]])
    add(special, "[max, max, -max] . ones = max", ["intermediate-overflow", "large-magnitude"],
        [[_MAX, _MAX, -_MAX]], ones3, [[0.0]])
    add(special, "1e308 + 1e308 overflows to inf", ["large-magnitude"], [[1e308, 1e308]],
        [[1.0], [1.0]], [[0.0]])
    add(special, "-0.0 * 1 + -0.0 is -0.0", ["signed-zero"], [[-0.0]], [[1.0]], [[-0.0]],
        signed_zero=True, result="acceptable", alternatives=[[[0.0]]])
    add(special, "0.0 * 1 + -0.0 is +0.0", ["signed-zero"], [[0.0]], [[1.0]], [[-0.0]],
        signed_zero=True)
    add(special, "1 - 1 is +0.0", ["signed-zero"], [[1.0, -1.0]], [[1.0], [1.0]], [[0.0]],
        signed_zero=True)
    add(special, "products underflow to subnormals", ["subnormal"], [[1e-160, 1e-160]],
        [[1e-160], [3e-160]], [[0.0]])
    add(special, "subnormal inputs", ["subnormal"], [[5e-324, -5e-324]], [[1.0], [0.5]], [[0.0]])
    add(special, "product below the smallest subnormal", ["subnormal"], [[1e-200]], [[1e-200]], [[0.0]])

    cancel = b.group("ill-conditioned", "Large terms that cancel.  The tolerance is absolute: "
                     "(k + 1) * 2**-52 * sum|x_i w_i| (plus underflow units).", seed=3)
    add(cancel, "1e16 + 1 - 1e16 = 1", ["cancellation"], [[1e16, 1.0, -1e16]], ones3, [[0.0]])
    add(cancel, "0.1 * 3 - 0.3 = 5.55e-17", ["cancellation"], [[0.1, 0.1, 0.1, -0.3]],
        [[1.0], [1.0], [1.0], [1.0]], [[0.0]])
    rs = RandomState(3)
    for n in (8, 64):
        xs = [v * 1e6 for v in rs.randn(n)]
        ws = [v for v in rs.randn(n)]
        # Choose the last weight so the sum nearly cancels: condition number ~1e12.
        partial = sum(Fraction(a) * Fraction(w) for a, w in zip(xs[:-1], ws[:-1]))
        ws[-1] = float(-partial / Fraction(xs[-1]))
        add(cancel, "randn(%d) * 1e6 against weights chosen to cancel" % n, ["cancellation", "random"],
            [xs], [[w] for w in ws], [[0.0]])

    shapes = b.group("shapes", "Zero-size shapes behave like NumPy.")
    add(shapes, "(0, 2) inputs give []", ["empty"], [], [[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0]])
    add(shapes, "k = 0: every row is the biases", ["zero-size"], [[], []], [], [[1.5, -2.0]])
    errors = b.group("shape-errors", "Misaligned shapes must be rejected.")
    for comment, inputs, weights, biases, flags in (
            ("inputs (1, 2) and weights (3, 3)", [[1.0, 2.0]], [[1.0] * 3] * 3, [[0.0] * 3], []),
            ("biases (2,) for weights (2, 3)", [[1.0, 2.0]], [[1.0] * 3] * 2, [[0.0, 0.0]], []),
            ("biases (2, 3): two rows", [[1.0, 2.0]], [[1.0] * 3] * 2, [[0.0] * 3] * 2, []),
            ("ragged inputs", [[1.0, 2.0], [3.0]], [[1.0], [1.0]], [[0.0]], []),
            ("ragged weights", [[1.0, 2.0]], [[1.0, 2.0], [3.0]], [[0.0, 0.0]], []),
            ("inputs is a vector (2,), not a batch", [1.0, 2.0], [[1.0], [1.0]], [[0.0]], ["not-a-batch"])):
        b.add(errors, comment, ["shape-error"] + flags,
              {"inputs": inputs, "weights": weights, "biases": biases},
              result="invalid", exception="ValueError")

    huge = b.group("huge-rows", "A long dot product.", seed=11)
    rs = RandomState(11)
    k = 1000
    add(huge, "k = 1000: (2, 1000) @ (1000, 2)", ["huge-row", "random"], rs.randn(2, k), rs.randn(k, 2),
        [rs.randn(2)])

    rand = b.group("random", "Seeded draws: inputs randn * 10, weights 0.01 * randn, biases randn.",
                   seed=42)
    rs = RandomState(42)
    for n, k, m in ((1, 3, 2), (4, 5, 3), (8, 16, 4)):
        inputs = [[v * 10.0 for v in row] for row in rs.randn(n, k)]
        weights = [[v * 0.01 for v in row] for row in rs.randn(k, m)]
        add(rand, "(%d, %d) @ (%d, %d) + (1, %d)" % (n, k, k, m, m), ["random"], inputs, weights,
            [rs.randn(m)])
    return b


def _build_dataset(op):
    b = _Builder(op)
    if op == "sine_data":
        group = b.group("data", "x = i / samples and y = sin(2 pi x), as columns.")
        for samples in (1000, 7):
            b.add(group, "sine_data(%d)" % samples, ["libm"], {"samples": samples},
                  libm_tolerance(op, 0))
        b.add(group, "sine_data(0)", ["empty"], {"samples": 0}, libm_tolerance(op, 0))
        errors = b.group("shape-errors", "Negative sizes must be rejected.")
        b.add(errors, "sine_data(-1)", ["shape-error"], {"samples": -1}, result="invalid",
              exception="ValueError")
        return b
    group = b.group("data", "The data set from RandomState(seed), as nnfs builds it.")
    # The first three are also recorded from NumPy/nnfs in tests/fixtures.
    for samples, classes, seed in ((100, 3, 0), (7, 2, 0), (1, 3, 0), (5, 2, 2 ** 32 - 1)):
        b.add(group, "%s(%d, %d) with seed %d" % (op, samples, classes, seed), ["libm", "seeded"],
              {"samples": samples, "classes": classes, "seed": seed}, libm_tolerance(op, classes))
    for samples, classes in ((0, 3), (4, 0)):
        b.add(group, "%s(%d, %d) is empty" % (op, samples, classes), ["empty"],
              {"samples": samples, "classes": classes, "seed": 0}, libm_tolerance(op, classes))
    errors = b.group("shape-errors", "Negative sizes must be rejected.")
    b.add(errors, "%s(-1, 3)" % op, ["shape-error"], {"samples": -1, "classes": 3, "seed": 0},
          result="invalid", exception="ValueError")
    return b


def build(op):
    """The vector file for ``op`` as a dict, with floats as Python floats."""
    if op not in ARGUMENTS:
        raise ValueError("vectors: unknown operation %r; expected one of %s"
                         % (op, ", ".join(name for name, _ in OPERATIONS)))
    if op == "softmax":
        return _build_softmax().document()
    if op == "dense":
        return _build_dense().document()
    if op in ("step", "linear", "relu", "sigmoid"):
        return _build_elementwise(op).document()
    return _build_dataset(op).document()
