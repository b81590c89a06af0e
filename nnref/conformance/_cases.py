"""The conformance cases: what each operation's vectors hold, and their expected values.

``build(op, dtype)`` returns one vector file as a plain dict, floats still
floats (``_format.encode`` writes them as ``{"dec", "hex"}`` objects,
``_format.dumps`` as text).  Each test gets its tolerance from ``_tolerances``.

Where the expected values come from:

* activations and ``dense``: ``nnref.exact``, the correctly rounded oracle
  (exact rational or ``decimal`` arithmetic, never the float code under test),
  in the file's dtype;
* data sets: nnref's float64 data sets and book mode's float32 ones, which
  the test suite checks bit for bit against values recorded from NumPy/nnfs
  (``tests/fixtures``).

In float32, float16 and bfloat16 (``_Spec``) every input is a value of the
format: the float64 file's case families with each value rounded to it, and
the format's own boundaries in place of float64's (its exp overflow and
underflow thresholds, largest, smallest normal and subnormal values, where
sigmoid first rounds to 1, dense sums past its range).

This module runs on CPython and PyPy only (it needs ``fractions`` and
``nnref.exact``); checking results does not (see ``nnref.conformance``).

>>> document = build("relu")
>>> document["numberOfTests"], sorted(document["notes"])[:3]
(33, ['chapter-example', 'empty', 'inf-input'])
"""

import decimal
import math
from fractions import Fraction

from .. import _chapter
from .._base.formats import FORMATS, check_dtype, round_float
from ..rng import RandomState
from . import _format
from ._format import ARGUMENTS, OPERATIONS, operations
from ._tolerances import (crossentropy_backward_tolerance, crossentropy_tolerance,
                          dense_backward_tolerance, dense_tolerance, exact_tolerance, exp_tolerance,
                          libm_tolerance, sigmoid_backward_tolerance, softmax_backward_tolerance,
                          softmax_crossentropy_backward_tolerance, softmax_tolerance, tolerance)

#: Every flag a case may carry, and what it means (in float64 files; ``flag_notes``
#: gives each dtype's wording).  A file's ``notes`` hold the flags that file uses.
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
    "naive-exp-overflow": "The textbook formula overflows or underflows here: exp(-x) in "
                          "1/(1 + exp(-x)) for x < -709.78 where the result is not 0, or, in "
                          "softmax without the max shift, exp(x) or the sum of the exps "
                          "overflows, or exp(x) leaves the normal range where the result is "
                          "normal.",
    "nan-propagation": "An input is NaN: the result is NaN (for softmax, the whole row).",
    "overflow-boundary": "An input next to an exp overflow or underflow boundary: +-709.78 "
                         "(exp overflows), -708.40 (exp leaves the normal range), +-745.13 "
                         "(exp rounds to 0).",
    "one-minus-output": "sigmoid_backward as dvalues * y * (1 - y) from the forward output y (the "
                        "book's, PyTorch's and JAX's rule) is outside the tolerance here even with "
                        "y correctly rounded: 1 - y cancels as y nears 1 (derived from the inputs).",
    "relu-nan-input": "relu_backward at a NaN input keeps the dvalue, as the book's "
                      "dinputs[inputs <= 0] = 0 does (NaN <= 0 is False) and PyTorch's "
                      "autograd does; JAX gives 0.",
    "saturated-row": "A softmax row so spread that a share, and the gradient with it, is subnormal "
                     "or 0.",
    "constant-dvalues": "Equal dvalues across a softmax row: the gradient is exactly 0.",
    "loss-example": "The softmax outputs of chapters 5 and 6 of Neural Networks from Scratch in "
                    "Python, [[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]], with classes "
                    "[0, 1, 1] (rounded to the dtype).",
    "clip-boundary": "A probability at or next to the book's clip bounds, np.clip(y_pred, 1e-7, "
                     "1 - 1e-7): the bounds are the floats of the dtype nearest 1e-7 and 0.9999999 "
                     "(in float32 1.0000000116860974e-07 and 1 - 2**-23; in float16 and bfloat16 "
                     "the upper one is 1.0), or 0, 1, or outside [0, 1].",
    "one-hot": "y_true as one-hot rows (floats) rather than class indices (JSON integers).",
    "argmax-tie": "Equal maxima in a row: NumPy's argmax takes the first.",
    "argmax-nan": "A NaN in a row: NumPy's argmax takes the first NaN, as if it were the maximum.",
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

# The flags only narrow-format files use; their wording is in flag_notes.
NARROW_FLAGS = ("accumulator-precision", "rounds-to-one")


def flag_notes(dtype="float64"):
    """Every flag's meaning as a ``dtype`` file's ``notes`` state it.

    float64 files use ``FLAGS``.  The other dtypes word the flags that name
    a format's numbers with their own (thresholds, largest value, the
    accumulator), and add ``NARROW_FLAGS``.

    >>> print(flag_notes("float16")["overflow-boundary"])
    An input next to one of float16's exp boundaries: exp is finite up to 11.0859375 and overflows from 11.09375 on (and their negatives for exp(-x)), is subnormal from -9.7109375 down, and rounds to 0 from -17.34375 down.
    """
    if check_dtype(dtype, "flag_notes").name == "float64":
        return dict(FLAGS)
    spec = _spec(dtype)
    t = spec.thresholds
    words = {"dtype": dtype, "max": repr(spec.fmt.max_finite), "normal": repr(spec.fmt.smallest_normal),
             "ov": repr(t["overflow"][0]), "ov_next": repr(t["overflow"][1]),
             "norm": repr(t["normal"][0]), "zero": repr(t["zero"][0]), "one": repr(t["one"][1])}
    notes = dict(FLAGS)
    notes.update({
        "accumulator-precision": "A large term absorbs small ones: the running sum 2**p + 1 + 1 + ... "
                                 "stays 2**p in %(dtype)s arithmetic, while a wider accumulator "
                                 "keeps every 1." % words,
        "cancellation": "Large terms cancel, so the result is small next to the terms: the "
                        "tolerance is an absolute bound in units of sum|terms|, one per accumulator "
                        "(tolerance.accumulators), since ULPs of the result mean nothing to a dot "
                        "product." % words,
        "chapter-example": "Taken from chapter 4 of Neural Networks from Scratch in Python, each "
                           "value rounded to %(dtype)s." % words,
        "exp-underflow": "exp of an argument of %(norm)s or below is subnormal or zero in "
                         "%(dtype)s." % words,
        "intermediate-overflow": "The terms reach past the largest %(dtype)s value (%(max)s) "
                                 "although the exact result is finite: a running sum in %(dtype)s "
                                 "(or, past 3.4e38, in float32) overflows; nnref rounds the exact "
                                 "sum once." % words,
        "large-magnitude": "Inputs near the largest %(dtype)s value (%(max)s)." % words,
        "naive-exp-overflow": "The textbook formula overflows or underflows %(dtype)s here: "
                              "exp(-x) in 1/(1 + exp(-x)) for x < -%(ov)s where the result is not "
                              "0, or, in softmax without the max shift, exp(x) or the sum of the "
                              "exps overflows, or exp(x) falls below %(normal)s where the result "
                              "is normal." % words,
        "overflow-boundary": "An input next to one of %(dtype)s's exp boundaries: exp is finite "
                             "up to %(ov)s and overflows from %(ov_next)s on (and their negatives "
                             "for exp(-x)), is subnormal from %(norm)s down, and rounds to 0 from "
                             "%(zero)s down." % words,
        "random": "Seeded random inputs, drawn with nnref.RandomState (NumPy's legacy generator) "
                  "and rounded to %(dtype)s." % words,
        "rounds-to-one": "sigmoid(x) rounds to 1 in %(dtype)s from x = %(one)s on: inputs on "
                         "either side of it." % words,
        "subnormal": "A subnormal input or expected result (below %(normal)s in %(dtype)s)." % words,
    })
    return notes


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


# --- what each dtype's files hold ---------------------------------------------------

def _neighbours(t, fmt):
    """The two values of ``fmt`` on either side of the irrational ``t`` (a Decimal)."""
    from ..testing import next_down, next_up
    exact = Fraction(t)
    x = round_float(float(t), fmt)
    while Fraction(x) > exact:
        x = next_down(x, fmt.name)
    while Fraction(next_up(x, fmt.name)) < exact:
        x = next_up(x, fmt.name)
    return x, next_up(x, fmt.name)


class _Spec(object):
    """The numbers a narrow dtype's cases are built from: its values, thresholds and scales.

    ``thresholds`` maps each exp boundary to the pair of the format's values
    around it, from the exact (60-digit ``decimal``) boundary:

    * ``overflow``: ln(2**max_top (1 - 2**-(p+1))), above which exp rounds past the largest value;
    * ``normal``: ln(2**emin), below which exp is subnormal;
    * ``zero``: ln(2**(min_lsb - 1)), below which exp rounds to 0;
    * ``one``: ln(2**(p+1) - 1), above which sigmoid rounds to 1.
    """

    # Random-case scales, per dtype: elementwise rows, the sigmoid row, softmax
    # rows, the long softmax row, and the cancelling dot products' inputs.
    SCALES = {
        "float32": ((1.0, 10.0, 40.0, 100.0), 15.0, (1.0, 10.0, 40.0, 80.0), 20.0, 1e6),
        "float16": ((1.0, 4.0, 10.0, 20.0), 5.0, (1.0, 3.0, 6.0, 10.0), 4.0, 100.0),
        "bfloat16": ((1.0, 10.0, 40.0, 100.0), 4.0, (1.0, 10.0, 40.0, 80.0), 20.0, 1e6),
    }

    def __init__(self, dtype):
        self.dtype = dtype
        self.fmt = fmt = FORMATS[dtype]
        self.thresholds = exp_thresholds(dtype)
        (self.elementwise_scales, self.sigmoid_scale, self.softmax_scales, self.softmax_huge_scale,
         self.cancel_scale) = self.SCALES[dtype]

    def round(self, value):
        """``value`` (a number or a tree) rounded to the format."""
        if isinstance(value, (list, tuple)):
            return [self.round(v) for v in value]
        return round_float(float(value), self.fmt)

    def special_values(self):
        fmt = self.fmt
        one_up = 1.0 + 2.0 ** (1 - fmt.precision)
        below_normal = fmt.smallest_normal - fmt.smallest_subnormal
        return (
            (0.0, ()), (-0.0, ("signed-zero",)), (1.0, ()), (-1.0, ()), (0.5, ()), (-0.5, ()),
            (fmt.smallest_subnormal, ("subnormal",)), (-fmt.smallest_subnormal, ("subnormal",)),
            (below_normal, ("subnormal",)), (-below_normal, ("subnormal",)),
            (fmt.smallest_normal, ()), (-fmt.smallest_normal, ()),
            (one_up, ()), (-one_up, ()),
            (fmt.max_finite, ("large-magnitude",)), (-fmt.max_finite, ("large-magnitude",)),
            (_INF, ("inf-input",)), (-_INF, ("inf-input",)), (_NAN, ("nan-propagation",)),
        )

    def boundary_values(self):
        t = self.thresholds
        ov, ov_next = t["overflow"]
        norm_low, norm_high = t["normal"]
        zero_low, zero_high = t["zero"]
        one_low, one_high = t["one"]
        tiny = 2.0 ** -(self.fmt.precision + 2)
        values = [ov, ov_next, self.round(ov + 1.0), -ov, -ov_next, self.round(-ov - 1.0),
                  norm_high, norm_low, self.round(norm_low - 1.0), zero_high, zero_low,
                  self.round(zero_low - 1.0), -zero_low, one_low, one_high, -one_low, -one_high,
                  tiny, -tiny]
        return values

    def naive_sigmoid_values(self):
        # Between -ln(max) and where sigmoid rounds to 0: 1/(1 + exp(-x)) overflows to 0 there
        # while the true result is a value of the format.
        start = -self.thresholds["overflow"][1]
        end = self.thresholds["zero"][1]
        return [start] + [self.round(start + (end - start) * i / 4.0) for i in (1, 2, 3)] + [end]


_SPECS = {}
_THRESHOLDS = {}


def exp_thresholds(dtype):
    """The ``thresholds`` of ``_Spec`` for ``dtype`` (float64 too), from 60-digit ``decimal``.

    >>> exp_thresholds("float16")["overflow"]
    (11.0859375, 11.09375)
    """
    if dtype not in _THRESHOLDS:
        fmt = FORMATS[dtype]
        p = fmt.precision
        context = decimal.Context(prec=60)
        ln2 = context.ln(decimal.Decimal(2))
        top = decimal.Decimal((2 ** (p + 1) - 1) * 2 ** (fmt.max_top - p - 1))
        _THRESHOLDS[dtype] = {
            "overflow": _neighbours(context.ln(top), fmt),
            "normal": _neighbours(context.multiply(fmt.min_exponent, ln2), fmt),
            "zero": _neighbours(context.multiply(fmt.min_lsb - 1, ln2), fmt),
            "one": _neighbours(context.ln(decimal.Decimal(2 ** (p + 1) - 1)), fmt),
        }
    return _THRESHOLDS[dtype]


def naive_exp_overflows(op, x, expected, dtype="float64"):
    """Whether the textbook formula's exp overflows or underflows ``dtype`` on input ``x``
    where that changes the result: the ``naive-exp-overflow`` flag.

    sigmoid, as ``1/(1 + exp(-x))`` in ``dtype``: an element whose ``exp(-x)``
    overflows (``x`` below ``-ln(max)``) while its true result (``expected``)
    is not 0.  softmax without the max shift, row by row (rows holding NaN or
    +inf are NaN either way; -inf elements are 0 either way): an ``exp(x_j)``
    that overflows; or the sum of the exps past the largest finite value; or
    an ``exp(x_j)`` below the normal range (or 0) while the true result
    ``y_j`` is a normal value, so the ratio of the underflowed exps is off
    or 0/0.  Any other operation: False.

    >>> naive_exp_overflows("softmax", [1000.0, 0.0], [1.0, 0.0])
    True
    >>> naive_exp_overflows("softmax", [-1000.0, -1000.0], [0.5, 0.5])
    True
    >>> naive_exp_overflows("softmax", [0.0, -1000.0], [1.0, 0.0])
    False
    >>> naive_exp_overflows("sigmoid", [-12.0, -1e4], [6.139278411865234e-06, 0.0], "float16")
    True
    """
    t = exp_thresholds(dtype)
    if op == "sigmoid":
        limit = -t["overflow"][1]                   # exp(-x) overflows for x <= limit
        return any(limit >= v > -_INF and e != 0.0 for v, e in zip(_leaves(x), _leaves(expected)))
    if op != "softmax" or not isinstance(x, list):
        return False
    rows = x if x and isinstance(x[0], list) else [x]
    outs = expected if x and isinstance(x[0], list) else [expected]
    ov, normal = t["overflow"][1], t["normal"][0]
    ln_max = math.log(FORMATS[dtype].max_finite)
    smallest = FORMATS[dtype].smallest_normal
    for row, out in zip(rows, outs):
        finite = [v for v in row if v > -_INF]
        if not finite or any(v != v or v == _INF for v in row):
            continue
        top = max(finite)
        if top >= ov or top + math.log(sum(math.exp(v - top) for v in finite)) > ln_max:
            return True
        if any(-_INF < v <= normal and e >= smallest for v, e in zip(row, out)):
            return True
    return False


def _leaves(tree):
    if isinstance(tree, list):
        return [leaf for item in tree for leaf in _leaves(item)]
    return [tree]


def _spec(dtype):
    if dtype not in _SPECS:
        _SPECS[dtype] = _Spec(dtype)
    return _SPECS[dtype]


def _has_subnormal(value, fmt=None):
    # Any subnormal value (of fmt) in an input or expected value (tuples and dicts too).
    smallest = _MIN_NORMAL if fmt is None else fmt.smallest_normal
    if isinstance(value, dict):
        return any(_has_subnormal(v, fmt) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_subnormal(v, fmt) for v in value)
    return type(value) is float and 0.0 < abs(value) < smallest


# --- expected values -------------------------------------------------------------

def _oracle(op):
    from .. import exact
    return getattr(exact, op)


def _expected(op, inputs, dtype="float64"):
    if op in ("spiral_data", "vertical_data"):
        if dtype == "float32":
            from .. import book as datasets
        else:
            from .. import datasets
        X, y = getattr(datasets, op)(inputs["samples"], inputs["classes"],
                                     rng=RandomState(inputs["seed"]))
        return {"X": X, "y": y}
    if op == "sine_data":
        from .. import datasets
        X, y = datasets.sine_data(inputs["samples"])
        return {"X": X, "y": y}
    args = [inputs[name] for name in ARGUMENTS[op]]
    if dtype == "float64":
        value = _oracle(op)(*args)
    else:
        value = _oracle(op)(*args, dtype=dtype)
    if op in _format.PARTS:
        value = dict(zip(_format.PARTS[op], value))
    return value


# --- files, groups, tests -----------------------------------------------------------

class _Builder(object):
    """Collects the groups and tests of one file, numbering tcIds in order."""

    def __init__(self, op, dtype="float64"):
        self.op = op
        self.dtype = dtype
        self.fmt = FORMATS[dtype]
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
            test["expected"] = _expected(self.op, inputs, self.dtype) if expected is None else expected
            test["tolerance"] = tol
            if alternatives is not None:
                test["alternatives"] = alternatives
        # Where the textbook formula over- or underflows, derived from the inputs: never by hand.
        flags = [f for f in flags if f != "naive-exp-overflow"]
        if result != "invalid" and naive_exp_overflows(self.op, inputs.get("x"), test["expected"],
                                                       self.dtype):
            flags.append("naive-exp-overflow")
        flags = [f for f in flags if f != "one-minus-output"]
        if result != "invalid" and self.op == "sigmoid_backward" and \
                one_minus_output_fails(inputs, test["expected"], test["tolerance"], self.dtype):
            flags.append("one-minus-output")
        # Every case that holds a subnormal says so: flush-to-zero hardware modes fail exactly these.
        if _has_subnormal(inputs, self.fmt) or _has_subnormal(test["expected"], self.fmt):
            flags = list(flags) + ["subnormal"]
        test["flags"] = sorted(set(flags))
        group["tests"].append(test)
        return test

    def document(self):
        used = sorted(set(flag for g in self.groups for t in g["tests"] for flag in t["flags"]))
        notes = flag_notes(self.dtype)
        return _format.document(self.op, dict((flag, notes[flag]) for flag in used), self.groups,
                                self.dtype)


def _elementwise_cases(b, op, tol_for, spec=None):
    r = spec.round if spec else (lambda v: v)
    chapter = b.group("chapter", "The chapter's ReLU inputs, as a vector and as a batch.")
    b.add(chapter, "chapter inputs as a vector", ["chapter-example"],
          {"x": r([float(v) for v in _chapter.RELU_INPUTS])}, tol_for(None))
    b.add(chapter, "chapter layer outputs as a batch", ["chapter-example"],
          {"x": r(_chapter.SOFTMAX_BATCH)}, tol_for(None))

    special = b.group("special-values", "Each special value as a number.")
    special_values = spec.special_values() if spec else _SPECIAL_VALUES
    for value, flags in special_values:
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
          {"x": [v for v, _ in special_values]}, tol_for(None))

    boundary = b.group("overflow-boundaries", "Arguments next to exp's overflow and underflow "
                       "boundaries, as one vector.")
    flags = ["overflow-boundary"]
    if op == "sigmoid":
        flags += ["exp-underflow", "subnormal"]
        if spec:
            flags.append("rounds-to-one")
    b.add(boundary, "boundary values", flags,
          {"x": spec.boundary_values() if spec else list(_BOUNDARY_VALUES)}, tol_for(None))
    if op == "sigmoid":
        naive = spec.naive_sigmoid_values() if spec else (-709.79, -720.0, -740.0, -745.0,
                                                          -745.1332191019411)
        for value in naive:
            b.add(boundary, "sigmoid(%r) is subnormal; 1/(1 + exp(-x)) overflows" % value
                  if not spec else "sigmoid(%r); 1/(1 + exp(-x)) overflows %s" % (value, spec.dtype),
                  ["subnormal", "exp-underflow", "overflow-boundary"],
                  {"x": value}, tol_for(value))

    shapes = b.group("shapes", "Empty inputs and batches.")
    b.add(shapes, "empty vector", ["empty"], {"x": []}, tol_for(None))
    b.add(shapes, "batch of empty rows", ["empty", "zero-size"], {"x": [[], []]}, tol_for(None))
    b.add(shapes, "one-row batch", [], {"x": [[1.5, -2.0, 0.0]]}, tol_for(None))
    errors = b.group("shape-errors", "Ragged batches must be rejected.")
    b.add(errors, "ragged batch", ["shape-error"], {"x": [[1.0, 2.0], [3.0]]},
          result="invalid", exception="ValueError")

    rand = b.group("random", "Seeded normal draws times a scale, from nnref.RandomState(seed)%s."
                   % ("" if not spec else ", rounded to " + spec.dtype), seed=42)
    rs = RandomState(42)
    for scale in (spec.elementwise_scales if spec else (1.0, 10.0, 100.0, 400.0)):
        rows = [[v * scale for v in row] for row in rs.randn(4, 8)]
        b.add(rand, "randn(4, 8) * %r" % scale, ["random"], {"x": r(rows)}, tol_for(None))


def _build_elementwise(op, dtype="float64"):
    b = _Builder(op, dtype)
    spec = _spec(dtype) if dtype != "float64" else None
    if op == "sigmoid":
        _elementwise_cases(b, op, lambda v: exp_tolerance(dtype), spec)
        huge = b.group("huge-rows", "A long row of seeded draws.", seed=7)
        scale = spec.sigmoid_scale if spec else 30.0
        row = [v * scale for v in RandomState(7).randn(1000)]
        b.add(huge, "randn(1000) * %s" % ("%r" % scale if spec else "30"), ["huge-row", "random"],
              {"x": spec.round(row) if spec else row}, exp_tolerance(dtype))
    else:
        _elementwise_cases(b, op, lambda v: exact_tolerance(), spec)
    return b


def _build_softmax(dtype="float64"):
    b = _Builder("softmax", dtype)
    spec = _spec(dtype) if dtype != "float64" else None
    r = spec.round if spec else (lambda v: v)

    def add(group, comment, flags, x, **kw):
        b.add(group, comment, flags, {"x": x}, softmax_tolerance(x, dtype), **kw)

    chapter = b.group("chapter", "The chapter's softmax examples.")
    add(chapter, "softmax([4.8, 1.21, 2.385])", ["chapter-example"], r(_chapter.SOFTMAX_INPUTS))
    add(chapter, "the chapter's 3x3 layer outputs, row by row", ["chapter-example"],
        r(_chapter.SOFTMAX_BATCH))
    add(chapter, "[[1, 2, 3]]: equal to softmax([[-2, -1, 0]])", ["chapter-example"], [[1.0, 2.0, 3.0]])
    add(chapter, "[[-2, -1, 0]]: the max-shifted row", ["chapter-example"], [[-2.0, -1.0, 0.0]])

    tiny = spec.fmt.smallest_subnormal if spec else 5e-324
    big = spec.fmt.max_finite if spec else _MAX
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
    add(special, "subnormal inputs", ["subnormal"], [tiny, 0.0, -tiny])
    add(special, "largest floats: the shift overflows to -inf", ["large-magnitude"], [big, -big])
    add(special, "two largest floats", ["large-magnitude"], [big, big])

    overflow = b.group("overflow-boundaries", "Rows whose unshifted exp overflows or underflows.")
    add(overflow, "[1000, 1000]: exp(1000) overflows unshifted", [], [1000.0, 1000.0])
    add(overflow, "[1000, 0]", [], [1000.0, 0.0])
    if spec:
        ov, ov_next = spec.thresholds["overflow"]
        add(overflow, "[%r, %r, 0]: exp overflows %s from the first on" % (ov_next, ov, dtype),
            ["overflow-boundary"], [ov_next, ov, 0.0])
        add(overflow, "[%r, %r]: each exp is finite, their sum overflows %s" % (ov, ov, dtype),
            ["overflow-boundary"], [ov, ov])
    else:
        add(overflow, "[710, 709.78, 0]", ["overflow-boundary"],
            [710.0, 709.78, 0.0])
    add(overflow, "[-1000, -1000]: exp underflows unshifted", ["exp-underflow"], [-1000.0, -1000.0])
    if spec:
        norm_low, norm_high = spec.thresholds["normal"]
        zero_low, zero_high = spec.thresholds["zero"]
    for gap in _underflow_gaps(spec):
        flags = ["exp-underflow", "overflow-boundary"]
        if not spec and 708.3964185322641 < gap < 745.1332191019412:
            flags.append("subnormal")
        add(overflow, "[0, -%r]" % gap, flags, [0.0, -gap])
    if spec:
        wide = r([0.0, -1.0, -4.0, spec.thresholds["normal"][0], (norm_low + zero_high) / 2.0,
                  zero_high])
        add(overflow, "a wide row: 0 down to %r" % wide[-1], ["exp-underflow", "subnormal"], wide)
    else:
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
    scale = spec.softmax_huge_scale if spec else 20.0
    add(huge, "randn(2000) * %s" % ("%r" % scale if spec else "20"), ["huge-row", "random"],
        r([v * scale for v in RandomState(7).randn(2000)]))

    rand = b.group("random", "Seeded normal draws times a scale, from nnref.RandomState(seed)%s."
                   % ("" if not spec else ", rounded to " + dtype), seed=42)
    rs = RandomState(42)
    for scale in (spec.softmax_scales if spec else (1.0, 10.0, 100.0, 300.0)):
        rows = [[v * scale for v in row] for row in rs.randn(4, 6)]
        add(rand, "randn(4, 6) * %r" % scale, ["random"], r(rows))
    return b


def _underflow_gaps(spec):
    """Positive gaps g, for rows [0, -g]: either side of where exp(-g) leaves the normal
    range and where it rounds to 0, and between and beyond them (float64's for None)."""
    if not spec:
        return (700.0, 708.3964185322641, 720.0, 744.44, 745.0, 745.1332191019411, 746.0)
    norm_low, norm_high = spec.thresholds["normal"]
    zero_low, zero_high = spec.thresholds["zero"]
    return [spec.round(g) for g in (-norm_high - 1.0, -norm_high, -norm_low,
                                    -(norm_low + zero_high) / 2.0, -zero_high, -zero_low,
                                    -zero_low + 1.0)]


def _transpose(rows):
    return [list(column) for column in zip(*rows)]


def _build_dense(dtype="float64"):
    from .. import datasets, layers
    b = _Builder("dense", dtype)
    spec = _spec(dtype) if dtype != "float64" else None
    r = spec.round if spec else (lambda v: v)

    def add(group, comment, flags, inputs, weights, biases, signed_zero=False, **kw):
        args = {"inputs": inputs, "weights": weights, "biases": biases}
        b.add(group, comment, flags, args, dense_tolerance(inputs, weights, biases, signed_zero, dtype),
              **kw)

    chapter = b.group("chapter", "The chapter's layers; the book's weights are neurons x inputs, "
                      "so they appear here transposed (inputs x neurons).")
    add(chapter, "one sample through the book's first layer", ["chapter-example"],
        r([_chapter.INPUTS[0]]), r(_transpose(_chapter.WEIGHTS)), r([_chapter.BIASES]))
    add(chapter, "a batch through the book's first layer", ["chapter-example"],
        r(_chapter.INPUTS), r(_transpose(_chapter.WEIGHTS)), r([_chapter.BIASES]))
    first = b.groups[-1]["tests"][-1]["expected"]
    add(chapter, "the book's second layer on the first layer's outputs", ["chapter-example"],
        first, r(_transpose(_chapter.WEIGHTS2)), r([_chapter.BIASES2]))
    X, _ = datasets.spiral_data(100, 3, rng=RandomState(0))
    rng = RandomState(1)
    layer = layers.Dense(2, 3, rng=rng)
    add(chapter, "spiral_data(100, 3, seed 0)[:5] through Dense(2, 3, RandomState(1))",
        ["chapter-example", "random"], r(X[:5]), r(layer.weights), r(layer.biases))

    exact = b.group("exact", "Small integers: every %s order of operations is exact." % dtype)
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
    if spec:
        _narrow_dense_extremes(add, special, spec, ones3)
    else:
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
    if spec:
        fmt = spec.fmt
        a = (fmt.min_exponent + fmt.min_lsb) // 4
        small = 2.0 ** a
        add(special, "products underflow to subnormals", ["subnormal"], [[small, small]],
            [[small], [3.0 * small]], [[0.0]])
        tiny = fmt.smallest_subnormal
        add(special, "subnormal inputs", ["subnormal"], [[tiny, -tiny]], [[1.0], [0.5]], [[0.0]])
        below = 2.0 ** ((fmt.min_lsb - 2) // 2)
        add(special, "product below the smallest subnormal", ["subnormal"], [[below]], [[below]], [[0.0]])
    else:
        add(special, "products underflow to subnormals", ["subnormal"], [[1e-160, 1e-160]],
            [[1e-160], [3e-160]], [[0.0]])
        add(special, "subnormal inputs", ["subnormal"], [[5e-324, -5e-324]], [[1.0], [0.5]], [[0.0]])
        add(special, "product below the smallest subnormal", ["subnormal"], [[1e-200]], [[1e-200]], [[0.0]])

    if spec:
        bound = "one per accumulator, (k + 1) * 2**(1 - p) * sum|x_i w_i| and more (see the docs)"
    else:
        bound = "(k + 1) * 2**-52 * sum|x_i w_i| (plus underflow units)"
    cancel = b.group("ill-conditioned", "Large terms that cancel.  The tolerance is absolute: "
                     "%s." % bound, seed=3)
    if spec:
        big = 2.0 ** (spec.fmt.precision + 1)
        add(cancel, "%r + 1 - %r = 1" % (big, big), ["cancellation"], [[big, 1.0, -big]], ones3, [[0.0]])
        point1, point3 = spec.round(0.1), spec.round(0.3)
        add(cancel, "%r * 3 - %r, exactly" % (point1, point3), ["cancellation"],
            [[point1, point1, point1, -point3]], [[1.0], [1.0], [1.0], [1.0]], [[0.0]])
    else:
        add(cancel, "1e16 + 1 - 1e16 = 1", ["cancellation"], [[1e16, 1.0, -1e16]], ones3, [[0.0]])
        add(cancel, "0.1 * 3 - 0.3 = 5.55e-17", ["cancellation"], [[0.1, 0.1, 0.1, -0.3]],
            [[1.0], [1.0], [1.0], [1.0]], [[0.0]])
    rs = RandomState(3)
    cancel_scale = spec.cancel_scale if spec else 1e6
    for n in (8, 64):
        xs = r([v * cancel_scale for v in rs.randn(n)])
        ws = r([v for v in rs.randn(n)])
        # Choose the last weight so the sum nearly cancels: condition number ~1e12.
        partial = sum(Fraction(a) * Fraction(w) for a, w in zip(xs[:-1], ws[:-1]))
        ws[-1] = r(float(-partial / Fraction(xs[-1])))
        add(cancel, "randn(%d) * %s against weights chosen to cancel"
            % (n, "1e6" if not spec else repr(cancel_scale)), ["cancellation", "random"],
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
    add(huge, "k = 1000: (2, 1000) @ (1000, 2)", ["huge-row", "random"], r(rs.randn(2, k)),
        r(rs.randn(k, 2)), r([rs.randn(2)]))

    rand = b.group("random", "Seeded draws: inputs randn * 10, weights 0.01 * randn, biases randn%s."
                   % ("" if not spec else ", rounded to " + dtype), seed=42)
    rs = RandomState(42)
    for n, k, m, inputs, weights in _dense_draws(rs):
        add(rand, "(%d, %d) @ (%d, %d) + (1, %d)" % (n, k, k, m, m), ["random"], r(inputs), r(weights),
            r([rs.randn(m)]))
    return b


def _dense_draws(rs):
    """The random dense layers, in draw order: (n, k, m, inputs randn * 10, weights
    0.01 * randn); the caller draws its third operand from ``rs`` before the next."""
    for n, k, m in ((1, 3, 2), (4, 5, 3), (8, 16, 4)):
        inputs = [[v * 10.0 for v in row] for row in rs.randn(n, k)]
        weights = [[v * 0.01 for v in row] for row in rs.randn(k, m)]
        yield n, k, m, inputs, weights


def _narrow_dense_extremes(add, group, spec, ones3):
    """A narrow format's dense sums at the top of its range, and one a narrow
    accumulator gets wrong (``accumulator-precision``)."""
    fmt = spec.fmt
    top = fmt.max_finite
    big = 1.5 * 2.0 ** fmt.max_exponent                  # two of them overflow the format
    half = fmt.max_top - fmt.precision - 1               # 2**half: half an ULP of the largest value
    add(group, "[%r, %r, -%r] . ones = %r" % (big, big, big, big),
        ["intermediate-overflow", "large-magnitude"], [[big, big, -big]], ones3, [[0.0]])
    add(group, "[max, max, -max] . ones = max", ["intermediate-overflow", "large-magnitude"],
        [[top, top, -top]], ones3, [[0.0]])
    add(group, "[max, 2**%d, -2**%d] . ones = max: max + 2**%d rounds to inf in %s"
        % (half, half, half, spec.dtype), ["intermediate-overflow", "large-magnitude"],
        [[top, 2.0 ** half, -2.0 ** half]], ones3, [[0.0]])
    add(group, "%r + %r overflows to inf" % (big, big), ["large-magnitude"], [[big, big]],
        [[1.0], [1.0]], [[0.0]])
    lead = 2.0 ** fmt.precision
    add(group, "2**%d + sixteen 1s = %r" % (fmt.precision, lead + 16), ["accumulator-precision"],
        [[lead] + [1.0] * 16], [[1.0]] * 17, [[0.0]])


def _build_dataset(op, dtype="float64"):
    b = _Builder(op, dtype)
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
    group = b.group("data", "The data set from RandomState(seed), as nnfs builds it%s."
                    % ("" if dtype == "float64" else " after nnfs.init() (book mode, float32)"))
    # The first three are also recorded from NumPy/nnfs in tests/fixtures.
    for samples, classes, seed in ((100, 3, 0), (7, 2, 0), (1, 3, 0), (5, 2, 2 ** 32 - 1)):
        b.add(group, "%s(%d, %d) with seed %d" % (op, samples, classes, seed), ["libm", "seeded"],
              {"samples": samples, "classes": classes, "seed": seed}, libm_tolerance(op, classes, dtype))
    for samples, classes in ((0, 3), (4, 0)):
        b.add(group, "%s(%d, %d) is empty" % (op, samples, classes), ["empty"],
              {"samples": samples, "classes": classes, "seed": 0}, libm_tolerance(op, classes, dtype))
    errors = b.group("shape-errors", "Negative sizes must be rejected.")
    b.add(errors, "%s(-1, 3)" % op, ["shape-error"], {"samples": -1, "classes": 3, "seed": 0},
          result="invalid", exception="ValueError")
    return b


def build(op, dtype="float64"):
    """The vector file for ``op`` in ``dtype`` as a dict, with floats as Python floats.

    ``ValueError`` for an unknown operation, or one without vectors in
    ``dtype`` (``nnref.conformance.operations``).
    """
    if op not in ARGUMENTS:
        raise ValueError("vectors: unknown operation %r; expected one of %s"
                         % (op, ", ".join(name for name, _ in OPERATIONS)))
    if op not in operations(dtype):
        raise ValueError("vectors: there are no %s vectors for %s" % (dtype, op))
    if op == "softmax":
        return _build_softmax(dtype).document()
    if op == "dense":
        return _build_dense(dtype).document()
    if op in ("step", "linear", "relu", "sigmoid"):
        return _build_elementwise(op, dtype).document()
    if op in _BACKWARD_BUILDERS:
        return _BACKWARD_BUILDERS[op](dtype).document()
    return _build_dataset(op, dtype).document()


# --- the backward passes ------------------------------------------------------------

def one_minus_output_fails(inputs, expected, tol, dtype="float64"):
    """Whether ``dvalues * y * (1 - y)``, from the correctly rounded forward output ``y``
    and rounded once to ``dtype``, is outside the tolerance somewhere: the
    ``one-minus-output`` flag of the sigmoid_backward cases.

    >>> from nnref.conformance._tolerances import sigmoid_backward_tolerance
    >>> tol = sigmoid_backward_tolerance()
    >>> one_minus_output_fails({"dvalues": [1.0], "inputs": [40.0]}, [4.248354255291589e-18], tol)
    True
    >>> one_minus_output_fails({"dvalues": [1.0], "inputs": [-40.0]}, [4.248354255291589e-18], tol)
    False
    """
    from .. import exact
    from ..testing import ulp_distance
    fmt = FORMATS[dtype]
    for dv, x, e in zip(_leaves(inputs["dvalues"]), _leaves(inputs["inputs"]), _leaves(expected)):
        if not all(v == v and abs(v) != _INF for v in (dv, x, e)):
            continue
        y = Fraction(exact.sigmoid(x, dtype=dtype))
        got = round_float(float(Fraction(dv) * y * (1 - y)), fmt)
        if ulp_distance(got, e, dtype) > tol["ulp"]:
            return True
    return False


def _backward_builder(op, dtype):
    b = _Builder(op, dtype)
    spec = _spec(dtype) if dtype != "float64" else None
    r = spec.round if spec else (lambda v: v)
    return b, spec, r


def _pair_cases(b, spec, r, tol_for, special_inputs):
    """The cases relu_backward and sigmoid_backward share: elementwise (dvalues, inputs)."""
    def add(group, comment, flags, d, x, **kw):
        b.add(group, comment, flags, {"dvalues": d, "inputs": x}, tol_for(d, x), **kw)

    chapter = b.group("chapter", "Chapter 9's ReLU example: z and its dvalues (rounded to the "
                      "dtype), and the chapter's ReLU inputs with dvalues of ones.")
    z = [[1.0, 2.0, -3.0, -4.0], [2.0, -7.0, -1.0, 3.0], [-1.0, 2.0, 5.0, -1.0]]
    dz = [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]
    add(chapter, "chapter 9's z with dvalues 1..12", ["chapter-example"], dz, z)
    add(chapter, "the chapter's ReLU inputs, dvalues of ones", ["chapter-example"],
        [1.0] * 8, r([float(v) for v in _chapter.RELU_INPUTS]))

    special = b.group("special-values", "Each special value as an input (dvalues 2.0), then as "
                      "a dvalue (inputs 1.0 and -1.0).")
    values = spec.special_values() if spec else _SPECIAL_VALUES
    for value, flags in values:
        flags = [f for f in flags if f != "signed-zero"] + list(special_inputs.get(repr(value), ()))
        if value != value:
            flags = [f for f in flags if f != "nan-propagation"] + list(special_inputs.get("nan", ()))
        add(special, "inputs %r, dvalues 2.0" % value, flags, [2.0], [value])
    add(special, "special values as dvalues at inputs 1.0 and -1.0",
        ["nan-propagation", "inf-input", "subnormal"],
        [[v for v, _ in values], [v for v, _ in values]],
        [[1.0] * len(values), [-1.0] * len(values)])
    add(special, "a NaN dvalue at inputs 0.0 and 3.0", ["nan-propagation"], [_NAN, _NAN], [0.0, 3.0])
    add(special, "+0.0 and -0.0 inputs", ["signed-zero"], [2.0, -2.0], [0.0, -0.0])

    shapes = b.group("shapes", "Numbers, empty inputs and batches.")
    add(shapes, "plain numbers", [], 3.0, 1.5)
    add(shapes, "empty vectors", ["empty"], [], [])
    add(shapes, "batches of empty rows", ["empty", "zero-size"], [[], []], [[], []])
    errors = b.group("shape-errors", "Different shapes and ragged batches must be rejected.")
    b.add(errors, "dvalues (3,) for inputs (2,)", ["shape-error"],
          {"dvalues": [1.0, 2.0, 3.0], "inputs": [1.0, 2.0]}, result="invalid", exception="ValueError")
    b.add(errors, "ragged batch", ["shape-error"], {"dvalues": [[1.0, 2.0], [3.0]],
          "inputs": [[1.0, 2.0], [3.0]]}, result="invalid", exception="ValueError")

    rand = b.group("random", "Seeded normal draws: inputs times a scale, dvalues randn%s."
                   % ("" if not spec else ", rounded to " + b.dtype), seed=42)
    rs = RandomState(42)
    for scale in (spec.elementwise_scales if spec else (1.0, 10.0, 100.0, 400.0)):
        x = [[v * scale for v in row] for row in rs.randn(4, 8)]
        d = rs.randn(4, 8)
        add(rand, "randn(4, 8) * %r" % scale, ["random"], r(d), r(x))
    return add


def _build_relu_backward(dtype="float64"):
    b, spec, r = _backward_builder("relu_backward", dtype)
    add = _pair_cases(b, spec, r, lambda d, x: exact_tolerance(), {"nan": ("relu-nan-input",)})
    extra = b.group("rule", "The book's rule: dvalues where inputs > 0, else 0, whatever the dvalue.")
    tiny = spec.fmt.smallest_subnormal if spec else 5e-324
    add(extra, "inputs +-0.0 and +-smallest subnormal", ["signed-zero", "subnormal"],
        [5.0, 5.0, 5.0, 5.0], [0.0, -0.0, tiny, -tiny])
    add(extra, "infinite dvalues at inputs 0.0 and -1.0 are 0", ["inf-input"], [_INF, -_INF], [0.0, -1.0])
    add(extra, "a NaN input keeps its dvalue (NumPy's NaN <= 0 is False)", ["relu-nan-input"],
        [[1.5, -2.5]], [[_NAN, -_NAN]])
    return b


def _build_sigmoid_backward(dtype="float64"):
    b, spec, r = _backward_builder("sigmoid_backward", dtype)
    add = _pair_cases(b, spec, r, lambda d, x: sigmoid_backward_tolerance(dtype), {})
    tails = b.group("tails", "Large |x|: the derivative is about e**-|x|, and subnormal or 0 far out.")
    if spec:
        t = spec.thresholds
        xs = [1.0, 4.0, t["one"][0], t["one"][1], -t["one"][1], -t["normal"][0], t["normal"][0],
              -t["zero"][0], t["zero"][0], -t["zero"][0] + 1.0]
    else:
        xs = [1.0, 4.0, 20.0, 36.7, 37.0, 40.0, -40.0, 700.0, -708.4, 740.0, -745.0, 746.0]
    xs = r(xs)
    add(tails, "dvalues 1 at x = %s" % ", ".join(repr(v) for v in xs), ["exp-underflow"],
        [1.0] * len(xs), xs)
    return b


def _build_softmax_backward(dtype="float64"):
    b, spec, r = _backward_builder("softmax_backward", dtype)

    def add(group, comment, flags, d, x, **kw):
        b.add(group, comment, flags, {"dvalues": d, "inputs": x},
              softmax_backward_tolerance(d, x, dtype), **kw)

    chapter = b.group("chapter", "The chapter's softmax inputs with one-hot and chapter-9-style "
                      "dvalues.")
    add(chapter, "softmax([4.8, 1.21, 2.385]) with dvalues [1, 0, 0]", ["chapter-example"],
        [1.0, 0.0, 0.0], r(_chapter.SOFTMAX_INPUTS))
    add(chapter, "the chapter's 3x3 layer outputs with dvalues 1..9", ["chapter-example"],
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], r(_chapter.SOFTMAX_BATCH))
    add(chapter, "[[0.7, 0.1, 0.2]]-like row: inputs log(0.7, 0.1, 0.2), dvalues [-1/0.7, 0, 0]",
        ["chapter-example"], r([[-1.0 / 0.7, 0.0, 0.0]]), r([[math.log(0.7), math.log(0.1), math.log(0.2)]]))

    special = b.group("special-values", "NaN, infinities, constant dvalues, one-element rows.")
    add(special, "NaN input makes the row NaN", ["nan-propagation"], [1.0, 0.0, 0.0], [_NAN, 1.0, 2.0])
    add(special, "NaN dvalue makes the row NaN", ["nan-propagation"], [_NAN, 0.0], [1.0, 2.0])
    add(special, "NaN in one row leaves the other alone", ["nan-propagation"],
        [[1.0, 0.0], [1.0, 0.0]], [[1.0, _NAN], [1.0, 2.0]])
    add(special, "+inf input makes the row NaN", ["posinf-in-row", "inf-input"], [1.0, 0.0], [_INF, 1.0])
    add(special, "-inf input: its share and gradient are 0", ["inf-input"], [1.0, 0.0, 2.0],
        [-_INF, 1.0, 2.0])
    add(special, "an infinite dvalue makes the row NaN", ["inf-input", "nan-propagation"],
        [_INF, 0.0], [1.0, 2.0])
    add(special, "a row of only -inf is NaN", ["all-neginf-row", "inf-input"], [1.0, 0.0], [-_INF, -_INF])
    add(special, "equal dvalues give exactly 0", ["constant-dvalues"], [5.0, 5.0, 5.0], [1.0, 2.0, 3.0])
    add(special, "equal inputs, dvalues [1, -1]: [0.5, -0.5]", [], [1.0, -1.0], [0.0, 0.0])
    add(special, "one element: 0", ["constant-dvalues"], [3.0], [7.0])
    add(special, "+0.0 and -0.0 inputs", ["signed-zero"], [1.0, 0.0], [0.0, -0.0])

    sat = b.group("saturated", "Saturated rows [0, -g] with dvalues [1, 0]: the gradient is about "
                  "+-e**-g, subnormal or 0 for large gaps.")
    gaps = _underflow_gaps(spec)
    for gap in gaps:
        add(sat, "[0, -%r]" % gap, ["saturated-row", "exp-underflow"], [1.0, 0.0], [0.0, -gap])
    add(sat, "[0, -g] with dvalues [0, 1]: the same gradient negated", ["saturated-row", "exp-underflow"],
        [0.0, 1.0], [0.0, -gaps[3]])
    big = spec.fmt.max_finite if spec else _MAX
    add(sat, "largest floats: the shift overflows, one share is 1", ["large-magnitude", "saturated-row"],
        [1.0, 0.0], [big, -big])

    shapes = b.group("shapes", "Empty rows and column batches.")
    add(shapes, "empty vector", ["empty"], [], [])
    add(shapes, "batch of two empty rows", ["empty", "zero-size"], [[], []], [[], []])
    add(shapes, "column batch", ["constant-dvalues"], [[1.0], [2.0]], [[3.0], [-3.0]])
    errors = b.group("shape-errors", "Different shapes and plain numbers must be rejected.")
    b.add(errors, "dvalues (2,) for inputs (3,)", ["shape-error"],
          {"dvalues": [1.0, 2.0], "inputs": [1.0, 2.0, 3.0]}, result="invalid", exception="ValueError")
    b.add(errors, "ragged batch", ["shape-error"], {"dvalues": [[1.0, 2.0], [3.0]],
          "inputs": [[1.0, 2.0], [3.0]]}, result="invalid", exception="ValueError")
    b.add(errors, "a plain number has no row", ["scalar-input"], {"dvalues": 1.0, "inputs": 1.0},
          result="invalid", exception="TypeError")

    rand = b.group("random", "Seeded draws: inputs randn(4, 6) times a scale, dvalues randn%s."
                   % ("" if not spec else ", rounded to " + dtype), seed=42)
    rs = RandomState(42)
    for scale in (spec.softmax_scales[:3] if spec else (1.0, 10.0, 100.0)):
        x = [[v * scale for v in row] for row in rs.randn(4, 6)]
        add(rand, "randn(4, 6) * %r" % scale, ["random"], r(rs.randn(4, 6)), r(x))
    return b


def _build_dense_backward(dtype="float64"):
    b, spec, r = _backward_builder("dense_backward", dtype)

    def add(group, comment, flags, d, x, w, **kw):
        b.add(group, comment, flags, {"dvalues": d, "inputs": x, "weights": w},
              dense_backward_tolerance(d, x, w, dtype), **kw)

    chapter = b.group("chapter", "Chapter 9's dense example: dvalues [[1, 1, 1], [2, 2, 2], [3, 3, 3]] "
                      "through the chapter's first layer (weights transposed: inputs x neurons).")
    dv = [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [3.0, 3.0, 3.0]]
    add(chapter, "chapter 9's dvalues, inputs and weights", ["chapter-example"], dv,
        r(_chapter.INPUTS), r(_transpose(_chapter.WEIGHTS)))
    add(chapter, "one sample", ["chapter-example"], [[1.0, -2.0, 0.5]], r([_chapter.INPUTS[0]]),
        r(_transpose(_chapter.WEIGHTS)))

    exact = b.group("exact", "Small integers: every order of operations is exact.")
    add(exact, "2x2 integers", [], [[1.0, -1.0], [2.0, 3.0]], [[1.0, 2.0], [3.0, 4.0]],
        [[5.0, 6.0], [7.0, 8.0]])

    special = b.group("special-values", "NaN, infinities and signed zeros.")
    add(special, "NaN dvalue", ["nan-propagation"], [[_NAN, 1.0]], [[1.0]], [[1.0, 2.0]])
    add(special, "NaN input", ["nan-propagation"], [[1.0]], [[_NAN, 1.0]], [[1.0], [2.0]])
    add(special, "inf weight times a 0 dvalue is NaN", ["inf-times-zero", "inf-input"],
        [[0.0, 1.0]], [[1.0]], [[_INF, 1.0]])
    add(special, "inf dvalues that cancel in dbiases: NaN", ["inf-minus-inf", "inf-input"],
        [[_INF], [-_INF]], [[1.0], [1.0]], [[2.0]])
    add(special, "-0.0 dvalues: -0.0 everywhere", ["signed-zero"], [[-0.0]], [[1.0]], [[1.0]],
        result="acceptable", alternatives=[{"dinputs": [[0.0]], "dweights": [[0.0]], "dbiases": [[0.0]]}])

    if spec:
        top = spec.fmt.max_finite
        add(special, "[max, max, -max] down a column: dbiases max", ["intermediate-overflow",
            "large-magnitude"], [[top], [top], [-top]], [[1.0], [1.0], [1.0]], [[1.0]])
    else:
        add(special, "[1e308, 1e308, -1e308] down a column: dbiases 1e308", ["intermediate-overflow",
            "large-magnitude"], [[1e308], [1e308], [-1e308]], [[1.0], [1.0], [1.0]], [[1.0]])
    big = 2.0 ** ((spec.fmt.precision + 1) if spec else 54)
    cancel = b.group("cancellation", "Cancelling dvalues: dbiases and dweights are small next to "
                     "their terms (an absolute bound).", seed=3)
    add(cancel, "dvalues [%r, 1, -%r] down a column: dbiases 1" % (big, big), ["cancellation"],
        [[big], [1.0], [-big]], [[1.0], [1.0], [1.0]], [[1.0]])
    p1, p3 = r(0.1), r(0.3)
    add(cancel, "dvalues %r three times, -%r: the column sum" % (p1, p3), ["cancellation"],
        [[p1], [p1], [p1], [-p3]], [[1.0], [2.0], [3.0], [1.0]], [[1.0]])
    rs = RandomState(3)
    scale = spec.cancel_scale if spec else 1e6
    d = r([v * scale for v in rs.randn(8)])
    total = sum(Fraction(v) for v in d[:-1])
    d[-1] = r(float(-total))
    add(cancel, "randn(8) * %r dvalues made to cancel in the column sum" % scale,
        ["cancellation", "random"], [[v] for v in d], r([[v] for v in rs.randn(8)]), [[1.0]])


    shapes = b.group("shapes", "Zero-size shapes.")
    add(shapes, "n = 0: [] dinputs, zero dweights and dbiases", ["empty"], [], [], [[1.0, 2.0]])
    add(shapes, "k = 0: dinputs (2, 0), [] dweights", ["zero-size"], [[1.0, 2.0], [3.0, 4.0]],
        [[], []], [])
    errors = b.group("shape-errors", "Misaligned shapes must be rejected.")
    for comment, d, x, w in (
            ("dvalues (1, 3) for an output (1, 2)", [[1.0, 2.0, 3.0]], [[1.0]], [[1.0, 2.0]]),
            ("inputs (1, 2) and weights (3, 1)", [[1.0]], [[1.0, 2.0]], [[1.0], [1.0], [1.0]]),
            ("ragged dvalues", [[1.0, 2.0], [3.0]], [[1.0], [1.0]], [[1.0, 2.0]]),
            ("dvalues is a vector (2,), not a batch", [1.0, 2.0], [[1.0]], [[1.0, 2.0]])):
        b.add(errors, comment, ["shape-error"], {"dvalues": d, "inputs": x, "weights": w},
              result="invalid", exception="ValueError")

    rand = b.group("random", "Seeded draws: inputs randn * 10, weights 0.01 * randn, dvalues randn%s."
                   % ("" if not spec else ", rounded to " + dtype), seed=42)
    rs = RandomState(42)
    for n, k, m, x, w in _dense_draws(rs):
        add(rand, "dvalues (%d, %d), inputs (%d, %d), weights (%d, %d)" % (n, m, n, k, k, m), ["random"],
            r(rs.randn(n, m)), r(x), r(w))
    return b


# --- the losses ---------------------------------------------------------------------

_LOSS_EXAMPLE = [[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]]
_LOSS_CLASSES = [0, 1, 1]


def _ry(r, y):
    # y_true in the dtype: class indices stay ints, one-hot rows are rounded.
    return y if _format.is_labels(y) or y == [] else r(y)


def _labels(rs, classes, n):
    # n seeded class indices: floor(classes * random_sample()).
    return [int(v * classes) for v in rs.random_sample(n)]


def _one_hot(labels, classes):
    return [[1.0 if j == label else 0.0 for j in range(classes)] for label in labels]


def _clip_probabilities(dtype):
    """The probabilities around the book's clip bounds in ``dtype``: each bound, its two
    neighbours, 0, the smallest subnormal, 1, values above 1 and below 0."""
    from ..testing import next_down, next_up
    from ..exact._losses import clip_bounds
    fmt = FORMATS[dtype]
    low, high = clip_bounds(fmt)
    values = [0.0, -0.0, fmt.smallest_subnormal, next_down(low, dtype), low, next_up(low, dtype),
              0.5, next_down(high, dtype), high, 1.0, 1.5, -0.25, _INF, -_INF]
    if high < 1.0:
        values.insert(values.index(1.0), next_up(high, dtype))
    out = []
    for v in values:
        if v not in out or (v == 0.0 and repr(v) not in [repr(w) for w in out]):
            out.append(v)
    return out


def _saturated_probabilities(spec):
    # Saturated softmax outputs: one share 1 (or just below), the others subnormal or 0.
    fmt = spec.fmt if spec else FORMATS["float64"]
    tiny = fmt.smallest_subnormal
    return [[1.0, tiny, 0.0], [1.0, 0.0, 0.0], [fmt.smallest_normal, 1.0, tiny]]


def _build_crossentropy(dtype="float64"):
    b, spec, r = _backward_builder("categorical_crossentropy", dtype)

    def add(group, comment, flags, p, y, reduction="mean", **kw):
        b.add(group, comment, flags, {"y_pred": r(p), "y_true": _ry(r, y), "reduction": reduction},
              crossentropy_tolerance(len(p), reduction, dtype), **kw)

    chapter = b.group("chapter", "The book's softmax outputs and classes, each reduction, with "
                      "class indices and one-hot rows.")
    for reduction in ("mean", "sum", "none"):
        add(chapter, "chapter 5's outputs, classes [0, 1, 1], %s" % reduction, ["loss-example"],
            r(_LOSS_EXAMPLE), list(_LOSS_CLASSES), reduction)
    add(chapter, "chapter 5's outputs, one-hot rows, mean", ["loss-example", "one-hot"],
        r(_LOSS_EXAMPLE), _one_hot(_LOSS_CLASSES, 3))

    clip = b.group("clip", "Probabilities at and around the clip bounds of %s, per sample "
                   "(reduction none), class 0 of rows [p, 0.5]." % dtype)
    ps = _clip_probabilities(dtype)
    add(clip, "p = %s, class indices" % ", ".join(repr(v) for v in ps), ["clip-boundary", "inf-input"],
        [[v, 0.5] for v in ps], [0] * len(ps), "none")
    add(clip, "the same rows as one-hot labels", ["clip-boundary", "one-hot", "inf-input"],
        [[v, 0.5] for v in ps], _one_hot([0] * len(ps), 2), "none")
    add(clip, "the same rows, mean", ["clip-boundary", "inf-input"], [[v, 0.5] for v in ps],
        [0] * len(ps), "mean")

    special = b.group("special-values", "NaN, saturated rows, one-element rows, rows of zeros.")
    add(special, "NaN at the true class is NaN; elsewhere it is not read", ["nan-propagation"],
        [[_NAN, 0.5], [0.5, _NAN]], [0, 0], "none")
    add(special, "a one-hot row multiplies the NaN: NaN", ["nan-propagation", "one-hot"],
        [[_NAN, 0.5]], [[0.0, 1.0]], "none")
    add(special, "a NaN loss makes the mean NaN", ["nan-propagation"], [[_NAN, 0.5], [0.5, 0.5]], [0, 1])
    add(special, "an infinite one-hot weight: +inf * clipped p gives -log(inf) = -inf",
        ["inf-input", "one-hot"], [[0.5, 0.5]], [[_INF, 0.0]], "none")
    add(special, "a one-hot row of zeros: -log(0) = +inf, and the mean +inf", ["one-hot"],
        [[0.5, 0.5], [0.25, 0.75]], [[0.0, 0.0], [1.0, 0.0]])
    add(special, "saturated softmax rows", ["saturated-row", "clip-boundary", "subnormal"],
        r(_saturated_probabilities(spec)), [0, 2, 1], "none")
    add(special, "one-element rows", ["clip-boundary"], [[1.0], [0.25], [0.0]], [0, 0, 0], "none")
    add(special, "one-element rows, sum", ["clip-boundary"], [[1.0], [0.25], [0.0]], [0, 0, 0], "sum")

    shapes = b.group("shapes", "No samples: the mean is NaN (NumPy's mean of nothing), the sum 0.")
    for reduction in ("mean", "sum", "none"):
        add(shapes, "no samples, %s" % reduction, ["empty"], [], [], reduction)
    errors = b.group("errors", "Labels out of range, float labels, mismatched shapes.")
    for comment, p, y, kind in (
            ("class 3 of 3", [[0.2, 0.3, 0.5]], [3], "ValueError"),
            ("2 labels for 1 row", [[0.2, 0.3, 0.5]], [0, 1], "ValueError"),
            ("float labels of rank 1", [[0.2, 0.8]], [1.0], "TypeError"),
            ("one-hot rows of another width", [[0.2, 0.8]], [[0.0, 0.0, 1.0]], "ValueError")):
        b.add(errors, comment, ["shape-error"], {"y_pred": r(p), "y_true": y, "reduction": "mean"},
              result="invalid", exception=kind)

    rand = b.group("random", "Seeded softmax outputs of randn(8, 3) * a scale%s, random classes."
                   % ("" if not spec else ", rounded to " + dtype), seed=7)
    rs = RandomState(7)
    from .. import exact
    for scale in (1.0, 5.0, 20.0):
        p = r(exact.softmax([[v * scale for v in row] for row in rs.randn(8, 3)]))
        labels = _labels(rs, 3, 8)
        for reduction in ("mean", "none"):
            add(rand, "softmax(randn(8, 3) * %r), %s" % (scale, reduction), ["random"], p, labels,
                reduction)
    return b


def _build_crossentropy_backward(dtype="float64"):
    b, spec, r = _backward_builder("categorical_crossentropy_backward", dtype)
    tol = crossentropy_backward_tolerance()

    def add(group, comment, flags, p, y, **kw):
        b.add(group, comment, flags, {"y_pred": r(p), "y_true": _ry(r, y)}, tol, **kw)

    chapter = b.group("chapter", "The book's softmax outputs and classes (n = 3).")
    add(chapter, "chapter 5's outputs, classes [0, 1, 1]", ["loss-example"], r(_LOSS_EXAMPLE),
        list(_LOSS_CLASSES))
    add(chapter, "chapter 5's outputs, one-hot rows", ["loss-example", "one-hot"], r(_LOSS_EXAMPLE),
        _one_hot(_LOSS_CLASSES, 3))
    special = b.group("special-values", "No clip here: 0, subnormal, the clip bounds, 1, NaN and "
                      "infinities at the true class and elsewhere.")
    ps = _clip_probabilities(dtype)
    add(special, "class 0 of rows [p, 0.5], p = %s" % ", ".join(repr(v) for v in ps),
        ["clip-boundary", "inf-input", "subnormal"], [[v, 0.5] for v in ps], [0] * len(ps))
    add(special, "NaN at and off the true class", ["nan-propagation"], [[_NAN, 0.5], [0.5, _NAN]], [0, 0])
    add(special, "one-hot with NaN and infinite weights", ["nan-propagation", "inf-input", "one-hot"],
        [[0.5, 0.25], [0.5, 0.25]], [[_NAN, 1.0], [_INF, -_INF]])
    add(special, "saturated softmax rows", ["saturated-row", "subnormal"], r(_saturated_probabilities(spec)),
        [0, 2, 1])
    add(special, "one-element rows", [], [[1.0], [0.25]], [0, 0])
    shapes = b.group("shapes", "No samples.")
    add(shapes, "no samples", ["empty"], [], [])
    errors = b.group("errors", "Labels out of range, mismatched shapes.")
    b.add(errors, "class 2 of 2", ["shape-error"], {"y_pred": [[0.5, 0.5]], "y_true": [2]},
          result="invalid", exception="ValueError")
    b.add(errors, "ragged batch", ["shape-error"], {"y_pred": [[0.5, 0.5], [1.0]], "y_true": [0, 0]},
          result="invalid", exception="ValueError")
    rand = b.group("random", "Seeded softmax outputs of randn(5, 4) * a scale%s, random classes."
                   % ("" if not spec else ", rounded to " + dtype), seed=11)
    rs = RandomState(11)
    from .. import exact
    for scale in (1.0, 5.0):
        p = r(exact.softmax([[v * scale for v in row] for row in rs.randn(5, 4)]))
        add(rand, "softmax(randn(5, 4) * %r)" % scale, ["random"], p,
            _labels(rs, 4, 5))
    return b


def _build_softmax_crossentropy_backward(dtype="float64"):
    b, spec, r = _backward_builder("softmax_crossentropy_backward", dtype)

    def add(group, comment, flags, x, y, **kw):
        b.add(group, comment, flags, {"inputs": r(x), "y_true": _ry(r, y)},
              softmax_crossentropy_backward_tolerance(r(x), _ry(r, y), dtype), **kw)

    chapter = b.group("chapter", "Logits whose softmax is the book's outputs, log([[0.7, 0.1, 0.2], "
                      "...]), with classes [0, 1, 1].")
    logits = r([[math.log(v) for v in row] for row in _LOSS_EXAMPLE])
    add(chapter, "log of chapter 5's outputs, classes [0, 1, 1]", ["loss-example"], logits,
        list(_LOSS_CLASSES))
    add(chapter, "the same, one-hot rows", ["loss-example", "one-hot"], logits, _one_hot(_LOSS_CLASSES, 3))
    add(chapter, "the chapter's 3x3 layer outputs, classes [0, 1, 1]", ["chapter-example"],
        r(_chapter.SOFTMAX_BATCH), list(_LOSS_CLASSES))

    special = b.group("special-values", "NaN, infinities, equal logits, one-element rows.")
    add(special, "NaN makes its row NaN, the other row stays", ["nan-propagation"],
        [[_NAN, 0.0], [1.0, 2.0]], [0, 1])
    add(special, "+inf makes its row NaN", ["posinf-in-row", "inf-input"], [[_INF, 0.0]], [0])
    add(special, "-inf: a share of exactly 0", ["inf-input"], [[0.0, -_INF, 1.0], [0.0, -_INF, 1.0]], [1, 2])
    add(special, "equal logits: s = 1/k", [], [[3.0, 3.0, 3.0, 3.0]], [2])
    add(special, "one-element rows: s - y is exactly 0", ["constant-dvalues"], [[5.0], [-7.0]], [0, 0])

    sat = b.group("saturated", "Saturated rows [0, -g]: the share e**-g and the gradient are "
                  "subnormal or 0 for large gaps; class 0 (s - 1 cancels) and class 1.")
    for gap in _underflow_gaps(spec):
        add(sat, "[0, -%r], classes 0 and 1" % gap, ["saturated-row", "exp-underflow"],
            [[0.0, -gap], [0.0, -gap]], [0, 1])
    big = spec.fmt.max_finite if spec else _MAX
    add(sat, "largest floats", ["large-magnitude", "saturated-row"], [[big, -big]], [1])

    shapes = b.group("shapes", "No samples.")
    add(shapes, "no samples", ["empty"], [], [])
    errors = b.group("errors", "Labels out of range, mismatched shapes.")
    b.add(errors, "class 2 of 2", ["shape-error"], {"inputs": [[0.5, 0.5]], "y_true": [2]},
          result="invalid", exception="ValueError")
    b.add(errors, "one-hot rows of another width", ["shape-error"],
          {"inputs": [[0.5, 0.5]], "y_true": [[1.0, 0.0, 0.0]]}, result="invalid", exception="ValueError")
    rand = b.group("random", "Seeded logits randn(6, 4) * a scale%s, random classes."
                   % ("" if not spec else ", rounded to " + dtype), seed=13)
    rs = RandomState(13)
    for scale in (spec.softmax_scales[:3] if spec else (1.0, 10.0, 100.0)):
        x = r([[v * scale for v in row] for row in rs.randn(6, 4)])
        add(rand, "randn(6, 4) * %r" % scale, ["random"], x, _labels(rs, 4, 6))
    return b


def _build_accuracy(dtype="float64"):
    b, spec, r = _backward_builder("accuracy", dtype)

    def add(group, comment, flags, p, y, **kw):
        b.add(group, comment, flags, {"y_pred": r(p), "y_true": _ry(r, y)}, exact_tolerance(), **kw)

    chapter = b.group("chapter", "Chapter 6's example and the loss example: 2 of 3 rows right.")
    add(chapter, "chapter 5's outputs, classes [0, 1, 1]", ["loss-example"], r(_LOSS_EXAMPLE),
        list(_LOSS_CLASSES))
    add(chapter, "chapter 6's outputs [[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]]",
        ["chapter-example"], r([[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]]), [0, 1, 1])
    add(chapter, "the same, one-hot rows", ["chapter-example", "one-hot"],
        r([[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]]), _one_hot([0, 1, 1], 3))
    ties = b.group("ties", "NumPy's argmax: the first of equal maxima, the first NaN.")
    add(ties, "a tie counts for the first class only", ["argmax-tie"], [[0.5, 0.5], [0.5, 0.5]], [0, 1])
    add(ties, "three-way tie after a smaller value", ["argmax-tie"], [[0.1, 0.3, 0.3, 0.3]] * 3, [1, 2, 3])
    add(ties, "-0.0 and +0.0 are equal: the first", ["argmax-tie", "signed-zero"],
        [[-0.0, 0.0], [0.0, -0.0]], [0, 0])
    add(ties, "a tie in a one-hot label row: its first maximum is the class", ["argmax-tie", "one-hot"],
        [[0.2, 0.8], [0.8, 0.2]], [[0.5, 0.5], [0.5, 0.5]])
    add(ties, "NaN is the argmax; the first NaN of two", ["argmax-nan", "nan-propagation"],
        [[0.1, _NAN, 0.9], [_NAN, 0.2, _NAN], [0.3, _NAN, _NAN]], [1, 0, 2])
    add(ties, "NaN in a one-hot label row", ["argmax-nan", "one-hot"], [[0.1, 0.9], [0.9, 0.1]],
        [[0.0, _NAN], [_NAN, 1.0]])
    add(ties, "+inf beats every finite value; -inf loses", ["inf-input"],
        [[1.0, _INF], [-_INF, -1.0], [-_INF, -_INF]], [1, 1, 0])
    add(ties, "one-element rows are always right", [], [[0.0], [_NAN], [-_INF]], [0, 0, 0])
    counts = b.group("counts", "The share rounded once: 1/3, 2/7, 5/11 and the like.")
    for n, right in ((3, 1), (7, 2), (11, 5), (10, 3)):
        p = [[0.9, 0.1]] * n
        add(counts, "%d of %d" % (right, n), [], p, [0] * right + [1] * (n - right))
    shapes = b.group("shapes", "No samples: NaN.")
    add(shapes, "no samples", ["empty"], [], [])
    errors = b.group("errors", "Labels out of range, mismatched shapes.")
    b.add(errors, "class 2 of 2", ["shape-error"], {"y_pred": [[0.5, 0.5]], "y_true": [2]},
          result="invalid", exception="ValueError")
    b.add(errors, "3 labels for 2 rows", ["shape-error"], {"y_pred": [[0.5, 0.5]] * 2, "y_true": [0, 1, 0]},
          result="invalid", exception="ValueError")
    rand = b.group("random", "Seeded randn(20, 3)%s, random classes." % ("" if not spec else
                   ", rounded to " + dtype), seed=17)
    rs = RandomState(17)
    for _ in range(2):
        add(rand, "randn(20, 3)", ["random"], r(rs.randn(20, 3)),
            _labels(rs, 3, 20))
    return b


_BACKWARD_BUILDERS = {
    "categorical_crossentropy": _build_crossentropy,
    "categorical_crossentropy_backward": _build_crossentropy_backward,
    "softmax_crossentropy_backward": _build_softmax_crossentropy_backward,
    "accuracy": _build_accuracy,
    "relu_backward": _build_relu_backward,
    "sigmoid_backward": _build_sigmoid_backward,
    "softmax_backward": _build_softmax_backward,
    "dense_backward": _build_dense_backward,
}
