"""The float32, float16 and bfloat16 conformance vectors (issue 12), and the checker in those dtypes.

Three kinds of test:

* the files hold what the issue asks, checked from first principles: every
  value is a value of the format (by a rounding written here, from the
  formats' field widths, not nnref's), expected values are the exact results
  rounded once (exact fractions for dense, 50-digit ``decimal`` for sigmoid
  and softmax), the format's thresholds are where ``decimal`` says they are;
* the vectors catch real bugs: small, deliberately wrong float32 and float16
  implementations fail, on the cases that show their bug, and sound ones
  pass.  Narrow arithmetic is emulated in pure Python: every operation's
  result is rounded to the format (``round_float``), ``exp`` is ``math.exp``
  rounded to it (or pushed 2 ULP off, the worst the tolerances assume);
* the checker and ``python -m nnref check`` in every dtype: ULPs in the
  dtype, outputs that are not values of it, ``--dtype``, ``--ops``,
  ``--accumulate``, and nothing on the checking path that MicroPython lacks.
"""

import decimal
import json
import math
import os
import re
import subprocess
import sys
from fractions import Fraction

import pytest

from nnref import book, conformance
from nnref._base.formats import FORMATS, round_float
from nnref.conformance import _cases, _format
from nnref.rng import RandomState

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VECTORS = os.path.join(ROOT, "nnref", "conformance", "vectors")
NARROW = ("float32", "float16", "bfloat16")
OPS6 = ("step", "linear", "relu", "sigmoid", "softmax", "dense")
INF = float("inf")
NAN = float("nan")

# (precision p, smallest normal exponent emin, largest exponent emax), from IEEE 754
# and the bfloat16 definition (float32's exponent, 8 significant bits).
WIDTHS = {"float64": (53, -1022, 1023), "float32": (24, -126, 127), "float16": (11, -14, 15),
          "bfloat16": (8, -126, 127)}


def load(op, dtype):
    with open(os.path.join(VECTORS, _format.file_name(op, dtype))) as handle:
        return json.load(handle)


_DECODED = {}


def decoded(op, dtype):
    """The committed file's tests, decoded (test_conformance checks they are what nnref generates)."""
    if (op, dtype) not in _DECODED:
        _DECODED[op, dtype] = [conformance.decode_test(op, t)
                               for g in load(op, dtype)["testGroups"] for t in g["tests"]]
    return _DECODED[op, dtype]


def run(impl, **options):
    # The committed vectors, which are what run() would generate, read rather than regenerated.
    options.setdefault("vectors_dir", VECTORS)
    return conformance.run(impl, **options)


def leaves(tree):
    if isinstance(tree, list):
        for item in tree:
            for leaf in leaves(item):
                yield leaf
    elif tree is not None:
        yield tree


# --- rounding, written here from the field widths ------------------------------------

def round_to(q, dtype):
    """The exact rational ``q`` rounded to nearest (ties to even) in ``dtype``, as a float."""
    p, emin, emax = WIDTHS[dtype]
    if q == 0:
        return 0.0
    sign = -1.0 if q < 0 else 1.0
    q = abs(Fraction(q))
    e = q.numerator.bit_length() - q.denominator.bit_length()
    if Fraction(2) ** e > q:
        e -= 1
    quantum = Fraction(2) ** (max(e, emin) - (p - 1))   # the spacing of the values around q
    n, rest = divmod(q, quantum)
    n = int(n)
    if rest * 2 > quantum or (rest * 2 == quantum and n % 2):
        n += 1
    value = n * quantum
    if value >= Fraction(2) ** (emax + 1):
        return sign * INF
    return sign * float(value)


def is_value_of(x, dtype):
    return x != x or x in (INF, -INF) or round_to(Fraction(x), dtype) == x


def test_the_rounding_here_can_fail():
    assert round_to(Fraction(1, 3), "float16") == 0.333251953125
    assert round_to(Fraction(65520), "float16") == INF and round_to(Fraction(65519), "float16") == 65504.0
    assert round_to(Fraction(1, 2 ** 25), "float16") == 0.0          # half the smallest subnormal: to even
    assert round_to(Fraction(3, 2 ** 26), "float16") == 2.0 ** -24
    assert round_to(Fraction(257), "bfloat16") == 256.0 and round_to(Fraction(259), "bfloat16") == 260.0
    assert not is_value_of(0.1, "float16") and is_value_of(0.0999755859375, "float16")


D50 = decimal.Context(prec=50, Emin=-10 ** 6, Emax=10 ** 6)


def exp50(x):
    return D50.exp(decimal.Decimal(x))


def sigmoid_exact(x, dtype):
    if x != x:
        return NAN
    if x in (INF, -INF):
        return 1.0 if x > 0 else 0.0
    e = exp50(-abs(x))                              # e**-|x|, never overflowing
    value = D50.divide(1, 1 + e) if x >= 0 else D50.divide(e, 1 + e)
    return round_to(Fraction(value), dtype)


def softmax_row_exact(row, dtype):
    if not row:
        return []
    if any(v != v or v == INF for v in row) or all(v == -INF for v in row):
        return [NAN] * len(row)
    top = max(row)
    exps = [decimal.Decimal(0) if v == -INF
            else exp50(D50.subtract(decimal.Decimal(v), decimal.Decimal(top))) for v in row]
    total = sum(exps)
    return [round_to(Fraction(D50.divide(e, total)), dtype) for e in exps]


# --- the files hold values of their format, and exact expected values ------------------

@pytest.mark.parametrize("dtype", NARROW)
@pytest.mark.parametrize("op", OPS6)
def test_inputs_and_expected_values_are_values_of_the_format(op, dtype):
    document = load(op, dtype)
    assert document["dtype"] == dtype and _format.file_name(op, dtype) == "%s.%s.json" % (op, dtype)
    count = 0
    for t in decoded(op, dtype):
        for value in list(t["inputs"].values()) + [t["expected"]] + t.get("alternatives", []):
            for leaf in leaves(value):
                assert is_value_of(leaf, dtype), (op, dtype, t["tcId"], leaf)
                count += 1
    assert count > 50


@pytest.mark.parametrize("dtype", NARROW)
def test_dense_expected_values_are_the_exact_sums_rounded_once(dtype):
    checked = 0
    for t in decoded("dense", dtype):
        inputs, weights, biases = (t["inputs"][k] for k in ("inputs", "weights", "biases"))
        if t["result"] == "invalid" or not inputs or not weights:
            continue
        bias = biases[0] if isinstance(biases[0], list) else biases
        if not all(math.isfinite(v) for v in list(leaves(inputs)) + list(leaves(weights)) + bias):
            continue
        for i, row in enumerate(inputs):
            for j, b in enumerate(bias):
                exact = sum(Fraction(row[k]) * Fraction(weights[k][j]) for k in range(len(row))) + Fraction(b)
                got = t["expected"][i][j]
                assert got == round_to(exact, dtype), (t["tcId"], i, j)
                checked += 1
    assert checked > 90


@pytest.mark.parametrize("dtype", NARROW)
def test_sigmoid_expected_values_from_decimal(dtype):
    checked = 0
    for t in decoded("sigmoid", dtype):
        if t["result"] == "invalid":
            continue
        xs, want = t["inputs"]["x"], t["expected"]
        for x, e in zip(leaves(xs if isinstance(xs, list) else [xs]),
                        leaves(want if isinstance(want, list) else [want])):
            got = sigmoid_exact(x, dtype)
            assert got == e or (got != got and e != e), (t["tcId"], x, e, got)
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize("dtype", NARROW)
def test_softmax_expected_values_from_decimal(dtype):
    checked = 0
    for t in decoded("softmax", dtype):
        if t["result"] == "invalid":
            continue
        x = t["inputs"]["x"]
        rows, want = (x, t["expected"]) if x and isinstance(x[0], list) else ([x], [t["expected"]])
        for row, expected in zip(rows, want):
            got = softmax_row_exact(row, dtype)
            assert [repr(v) for v in got] == [repr(v) for v in expected], (t["tcId"], row)
            checked += len(row)
    assert checked > 3000


# --- the format's own boundaries -----------------------------------------------------------

def _below_and_above(dtype, crossed):
    """The adjacent pair (a, b) of the format's values in the boundary vector with
    ``crossed(a)`` false and ``crossed(b)`` true."""
    x = decoded("sigmoid", dtype)
    values = [t for t in x if t["comment"] == "boundary values"][0]["inputs"]["x"]
    pairs = [(a, b) for a in values for b in values if a != b and not crossed(a) and crossed(b)
             and abs(Fraction(b) - Fraction(a)) <= _spacing(max(abs(a), abs(b)), dtype)]
    assert pairs, dtype
    return pairs[0]


def _spacing(x, dtype):
    p, emin, _ = WIDTHS[dtype]
    e = max(math.frexp(x)[1] - 1, emin)
    return Fraction(2) ** (e - p + 1)


# The approximate thresholds: exp overflows above, and rounds to 0 below.
APPROXIMATE = {"float32": (88.72, -103.97), "float16": (11.09, -17.33), "bfloat16": (88.72, -92.9)}


@pytest.mark.parametrize("dtype", NARROW)
def test_the_boundaries_are_the_formats_own(dtype):
    overflows = lambda x: round_to(Fraction(exp50(x)), dtype) == INF     # noqa: E731
    a, b = _below_and_above(dtype, overflows)
    assert a - 0.01 < APPROXIMATE[dtype][0] < b + 0.01 and b > a
    # ... and the negatives, where 1/(1 + exp(-x)) overflows.
    zero = lambda x: round_to(Fraction(exp50(x)), dtype) != 0.0          # noqa: E731
    low, high = _below_and_above(dtype, zero)
    assert low - 0.01 < APPROXIMATE[dtype][1] < high + 0.01 and low < high
    p, emin, _ = WIDTHS[dtype]
    normal = lambda x: abs(round_to(Fraction(exp50(x)), dtype)) >= 2.0 ** emin   # noqa: E731
    _below_and_above(dtype, normal)
    saturates = lambda x: sigmoid_exact(x, dtype) == 1.0                 # noqa: E731
    below, at = _below_and_above(dtype, saturates)
    assert sigmoid_exact(below, dtype) == 1.0 - 2.0 ** -p
    # the largest value, the smallest normal and the smallest subnormal are special values
    specials = [t["inputs"]["x"] for t in decoded("relu", dtype) if t["comment"].startswith("relu(")]
    p, emin, emax = WIDTHS[dtype]
    for value in ((2 - 2.0 ** (1 - p)) * 2.0 ** emax, 2.0 ** emin, 2.0 ** (emin - p + 1)):
        assert value in specials and -value in specials, (dtype, value)


@pytest.mark.parametrize("dtype", ("float16", "bfloat16"))
def test_dense_sums_that_overflow_the_format_but_not_a_float32_accumulator(dtype):
    # A case whose exact result is finite, whose running sum overflows the format,
    # and whose running sum in float32 is exact: a float32 accumulator gets it right.
    p, emin, emax = WIDTHS[dtype]
    largest = (2 - 2.0 ** (1 - p)) * 2.0 ** emax
    found = []
    for t in decoded("dense", dtype):
        if "intermediate-overflow" not in t["flags"]:
            continue
        row = t["inputs"]["inputs"][0]
        in_format, in_float32 = 0.0, 0.0
        for v in row:
            if in_format != INF:
                in_format = round_to(Fraction(in_format) + Fraction(v), dtype)
            if in_float32 != INF:
                in_float32 = round_to(Fraction(in_float32) + Fraction(v), "float32")
        expected = t["expected"][0][0]
        if in_format == INF and abs(expected) <= largest and in_float32 != INF \
                and round_to(Fraction(in_float32), dtype) == expected:
            found.append(t["tcId"])
            assert t["tolerance"]["accumulators"][dtype].get("overflow")
    assert found, dtype
    if dtype == "float16":       # float16's range is far inside float32's: no order can overflow it
        assert not any(decoded("dense", dtype)[i - 1]["tolerance"]["accumulators"]["float32"].get("overflow")
                       for i in found)


@pytest.mark.parametrize("dtype", NARROW)
def test_the_chapters_examples_rounded_to_the_format(dtype):
    first = decoded("softmax", dtype)[0]
    assert first["inputs"]["x"] == [round_to(Fraction(v), dtype) for v in (4.8, 1.21, 2.385)]
    assert "chapter-example" in first["flags"]
    for op in OPS6:
        assert any("chapter-example" in t["flags"] for t in decoded(op, dtype)), op


@pytest.mark.parametrize("dtype", NARROW)
@pytest.mark.parametrize("op", OPS6)
def test_the_float64_case_families_are_there(op, dtype):
    # The same groups as the float64 file, and its special-value flags.
    wide = load(op, "float64")
    narrow = load(op, dtype)
    assert [g["category"] for g in narrow["testGroups"]] == [g["category"] for g in wide["testGroups"]]
    for flag in ("nan-propagation", "inf-input", "signed-zero", "empty", "shape-error", "random", "subnormal"):
        if flag in wide["notes"]:
            assert flag in narrow["notes"], (op, dtype, flag)
    for flag, text in narrow["notes"].items():
        assert "float64" not in text and "708" not in text and "1.79" not in text, (dtype, flag, text)


def test_book_mode_data_sets_match_the_numpy_recordings():
    with open(os.path.join(ROOT, "tests", "fixtures", "datasets_float32.json")) as handle:
        fixture = json.load(handle)
    for op, name in (("spiral_data", "spiral"), ("vertical_data", "vertical")):
        recorded = dict(((r["samples"], r["classes"], r["seed"]), r) for r in fixture[name])
        matched = 0
        for t in decoded(op, "float32"):
            key = (t["inputs"]["samples"], t["inputs"]["classes"], t["inputs"]["seed"])
            if t["result"] == "invalid" or key not in recorded:
                continue
            want = [float.fromhex(v) for row in recorded[key]["X"] for v in row]
            assert [v.hex() for v in leaves(t["expected"]["X"])] == [v.hex() for v in want]
            assert t["expected"]["y"] == recorded[key]["y"]
            matched += 1
        assert matched >= 2, op
    assert conformance.operations("float32")[-2:] == ["spiral_data", "vertical_data"]
    assert "sine_data" not in conformance.operations("float32")     # book mode's sine data is float64


# --- emulated narrow implementations ----------------------------------------------------

def _tree(function):
    def apply(x):
        if isinstance(x, list):
            if x and isinstance(x[0], list) and len(set(len(r) for r in x)) > 1:
                raise ValueError("ragged")
            return [apply(v) for v in x]
        return function(x)
    return apply


def _rows(function):
    def apply(x):
        if not isinstance(x, list):
            raise TypeError("softmax needs a vector or rows")
        if x and isinstance(x[0], list):
            if len(set(len(r) for r in x)) > 1:
                raise ValueError("ragged")
            return [function(r) for r in x]
        return function(x)
    return apply


class Arithmetic(object):
    """Arithmetic in ``work`` (each result rounded to it), results rounded to ``dtype``;
    ``exp`` is math.exp rounded to ``work``, then moved ``exp_ulps`` steps."""

    def __init__(self, dtype, work="float32", exp_ulps=0):
        self.out = FORMATS[dtype]
        self.fmt = FORMATS[work]
        self.exp_ulps = exp_ulps

    def r(self, v):
        return round_float(v, self.fmt)

    def exp(self, x):
        from nnref.testing import next_down, next_up
        if x != x:
            return x
        try:
            value = self.r(math.exp(x))
        except OverflowError:
            return INF
        step = next_up if self.exp_ulps > 0 else next_down
        for _ in range(abs(self.exp_ulps)):
            if value not in (0.0, INF):
                value = max(step(value, self.fmt.name), 0.0)
        return value

    def done(self, v):
        return round_float(v, self.out)

    def sigmoid(self, x):
        # The two-branch form, which cannot overflow.
        if x != x:
            return x
        if x >= 0:
            return self.done(self.r(1.0 / self.r(1.0 + self.exp(-x))))
        e = self.exp(x)
        return self.done(self.r(e / self.r(1.0 + e)))

    def naive_sigmoid(self, x):
        if x != x:
            return x
        return self.done(self.r(1.0 / self.r(1.0 + self.exp(-x))))

    def softmax_row(self, row, shift=True, skip_zero_sum=False):
        if not row:
            return []
        if any(v != v for v in row):
            return [NAN] * len(row)
        top = max(row) if shift else 0.0
        if skip_zero_sum and top == -INF:
            top = 0.0                      # the bug's guard against -inf - -inf
        exps = [self.exp(self.r(v - top)) for v in row]
        total = 0.0
        for e in exps:
            total = self.r(total + e)
        if skip_zero_sum and total == 0.0:
            return [self.done(e) for e in exps]
        return [self.done(self.r(e / total)) for e in exps]

    def dense(self, inputs, weights, biases):
        bias = biases[0] if biases and isinstance(biases[0], list) else biases
        if biases and isinstance(biases[0], list) and len(biases) != 1:
            raise ValueError("biases must be one row")
        if inputs and not isinstance(inputs[0], list):
            raise ValueError("inputs must be a batch")
        k = len(weights)
        if any(len(w) != len(bias) for w in weights) or any(len(row) != k for row in inputs):
            raise ValueError("shapes")
        out = []
        for row in inputs:
            line = []
            for j in range(len(bias)):
                total = 0.0
                for i in range(k):
                    total = self.r(total + self.r(row[i] * weights[i][j]))
                line.append(self.done(self.r(total + bias[j])))
            out.append(line)
        return out

    def impl(self):
        return {"step": _tree(lambda v: v if v != v else (1.0 if v > 0 else 0.0)),
                "linear": _tree(lambda v: v),
                "relu": _tree(lambda v: v if (v > 0 or v != v or v == 0.0) else 0.0),
                "sigmoid": _tree(self.sigmoid), "softmax": _rows(self.softmax_row),
                "dense": self.dense}


def _failed(report):
    return dict((f.tc_id, f) for f in report.failures)


def _tests_by_id(op, dtype):
    return dict((t["tcId"], t) for t in decoded(op, dtype))


@pytest.mark.parametrize("dtype", NARROW)
def test_sound_wide_kernels_pass(dtype):
    # Computed in float32, rounded once to the dtype (for float32: computed in float32).
    report = conformance.run(Arithmetic(dtype, "float32").impl(), dtype=dtype)   # generated vectors
    assert report.ok and not report.failures, str(report)
    assert [r.label for r in report.results] == [conformance._report.label(op, dtype) for op in OPS6]


@pytest.mark.parametrize("dtype", NARROW)
@pytest.mark.parametrize("exp_ulps", (-2, 2))
def test_sound_kernels_pass_with_an_exp_2_ulp_off(dtype, exp_ulps):
    # The tolerances assume an exp within 2 ULP of the format it computes in:
    # the native kind (every step in the dtype, adding in it too) and the wide one.
    native = Arithmetic(dtype, dtype, exp_ulps)
    report = run(native.impl(), dtype=dtype, accumulate=dtype, ops=["sigmoid", "softmax", "dense"])
    assert report.ok and not report.failures, str(report)
    wide = Arithmetic(dtype, "float32", exp_ulps)
    report = run(wide.impl(), dtype=dtype, ops=["sigmoid", "softmax"])
    assert report.ok and not report.failures, str(report)


def test_a_float32_kernel_with_math_exp_and_the_max_shift_passes():
    f32 = Arithmetic("float32", "float32")
    report = run({"softmax": _rows(f32.softmax_row), "sigmoid": _tree(f32.sigmoid)},
                             dtype="float32")
    assert report.ok and not report.failures, str(report)


def _exp_in(x, dtype):
    # e**x rounded once to dtype, from 50-digit decimal (far outside any format's range: inf or 0).
    if abs(x) > 1e5:
        return INF if x > 0 else 0.0
    return round_to(Fraction(exp50(x)), dtype)


def _naive_formula_breaks(op, x, expected, dtype):
    """From first principles: does the textbook formula, in dtype, over- or underflow where it matters?"""
    smallest_normal = 2.0 ** WIDTHS[dtype][1]
    if op == "sigmoid":
        # 1/(1 + exp(-x)): exp(-x) is inf, so the result is 0, where the true one is not.
        return any(v == v and v != -INF and _exp_in(-v, dtype) == INF and e != 0.0
                   for v, e in zip(leaves([x]), leaves([expected])))
    rows, outs = (x, expected) if x and isinstance(x[0], list) else ([x], [expected])
    for row, out in zip(rows, outs):
        if any(v != v or v == INF for v in row):
            continue                                 # NaN either way
        exps = [_exp_in(v, dtype) if v != -INF else 0.0 for v in row]
        exact_sum = sum(Fraction(exp50(v)) for v in row if -1e5 <= v <= 1e5)
        if INF in exps or (exps and round_to(exact_sum, dtype) == INF):
            return True                              # exp(x) or the sum of the exps is inf
        if any(v != -INF and e < smallest_normal <= y for v, e, y in zip(row, exps, out)):
            return True                              # exp(x) lost its precision (or is 0) where y is normal
    return False


@pytest.mark.parametrize("dtype", ("float64",) + NARROW)
@pytest.mark.parametrize("op", ("sigmoid", "softmax"))
def test_the_naive_exp_overflow_flag_is_on_exactly_the_cases_where_the_textbook_formula_breaks(op, dtype):
    flagged = set()
    for t in decoded(op, dtype):
        if t["result"] == "invalid":
            assert "naive-exp-overflow" not in t["flags"]
            continue
        breaks = _naive_formula_breaks(op, t["inputs"]["x"], t["expected"], dtype)
        assert ("naive-exp-overflow" in t["flags"]) == breaks, (t["tcId"], t["comment"])
        if breaks:
            flagged.add(t["tcId"])
    assert len(flagged) >= 4
    # The cases the cross-checks found unflagged (issue 12) are flagged now.
    missing = {("sigmoid", "float32"): {1, 36}, ("sigmoid", "float16"): {35, 36, 37},
               ("softmax", "float32"): {15, 16, 40}, ("softmax", "float16"): {15, 16, 36, 40}}
    assert missing.get((op, dtype), set()) <= flagged


def test_naive_exp_overflow_of_hand_made_inputs():
    # The generator's own predicate on inputs worked by hand (float16: exp overflows from 11.09375,
    # leaves the normal range below -9.7109375).
    f = _cases.naive_exp_overflows
    assert f("softmax", [11.09375, 0.0], [1.0, 0.0], "float16")
    assert not f("softmax", [11.0859375, 0.0], [1.0, 1.5e-05], "float16")
    assert f("softmax", [11.0, 11.0], [0.5, 0.5], "float16")            # 2 e**11 > 65504
    assert f("softmax", [-10.0, -10.0], [0.5, 0.5], "float16")          # e**-10 is subnormal
    assert not f("softmax", [0.0, -10.0], [1.0, 4.5e-05], "float16")    # y_1 is subnormal too
    assert not f("softmax", [NAN, 100.0], [NAN, NAN], "float16")
    assert f("sigmoid", [[0.0, -11.09375]], [[0.5, 1.52e-05]], "float16")
    assert not f("sigmoid", -65504.0, 0.0, "float16")                   # the result is 0 either way
    assert not f("relu", [-1e9], [0.0], "float16")


def _softmax_summing_in_the_dtype(dtype):
    # exps (and the shift, the division) in float32, the running sum rounded to the dtype:
    # the ONNX reference evaluator's bfloat16 Softmax (NumPy's sum of a bfloat16 array).
    wide, fmt = Arithmetic(dtype, "float32"), FORMATS[dtype]

    def row(values):
        if not values:
            return []
        if any(v != v for v in values):
            return [NAN] * len(values)
        top = max(values)
        exps = [round_float(wide.exp(wide.r(v - top)), fmt) for v in values]
        total = 0.0
        for e in exps:
            total = round_float(total + e, fmt)
        return [wide.done(wide.r(e / total)) for e in exps]
    return _rows(row)


@pytest.mark.parametrize("dtype", ("float16", "bfloat16"))
def test_softmax_summing_in_the_dtype_fails_long_rows_by_default_and_passes_its_own_accumulator(dtype):
    tests = _tests_by_id("softmax", dtype)
    huge = set(i for i, t in tests.items() if "huge-row" in t["flags"])
    # Summing in the dtype, the rest in float32; then every step in the dtype (whose shifted
    # exps also miss the float32 bounds elsewhere: far below the max, |d_i| 2**-p grows).
    for impl, only_huge in (({"softmax": _softmax_summing_in_the_dtype(dtype)}, True),
                            ({"softmax": _rows(Arithmetic(dtype, dtype).softmax_row)}, False)):
        failed = _failed(run(impl, dtype=dtype))          # the default: a float32 accumulator
        assert failed and (set(failed) <= huge or not only_huge), sorted(failed)
        assert set(failed) & huge
        if dtype == "bfloat16":                            # 1 + 1 + ... stalls at 256 in bfloat16
            equal = [i for i in huge if len(set(tests[i]["inputs"]["x"])) == 1]
            assert equal and set(equal) <= set(failed)
        report = run(impl, dtype=dtype, accumulate=dtype)
        assert report.ok and not report.failures, str(report)
    # bfloat16's running sum of 1000 exps e**0 = 1 stalls at 256 (256 + 1 ties back to even), so
    # each result is 1/256, where the correctly rounded one is 0.00099945068359375.
    if dtype == "bfloat16":
        (i,) = [i for i in huge if len(set(tests[i]["inputs"]["x"])) == 1]
        assert "got 0.00390625, expected 0.00099945068359375" in failed[i].reason


@pytest.mark.parametrize("dtype", ("float16", "bfloat16"))
def test_softmax_2_ulp_off_passes_the_native_bound_but_not_the_float32_one(dtype):
    # A float32 kernel whose result is then pushed 2 ULP up: inside (|d| + n + 6) 2**(1-p),
    # outside the float32 accumulator's 2**-23 (|d| + n + 6) + 3 * 2**-p.
    from nnref.testing import next_up
    wide = Arithmetic(dtype, "float32")

    def off(row):
        return [next_up(next_up(v, dtype), dtype) if 0.0 < v < 1.0 else v for v in wide.softmax_row(row)]
    chapter = [t["tcId"] for t in decoded("softmax", dtype) if "chapter-example" in t["flags"]]
    failed = _failed(run({"softmax": _rows(off)}, dtype=dtype))
    assert chapter and set(chapter) <= set(failed)
    report = run({"softmax": _rows(off)}, dtype=dtype, accumulate=dtype)
    assert not set(chapter) & set(_failed(report)), str(report)


def test_softmax_bounds_per_accumulator_worked_by_hand():
    # [0.25] * 1000 in bfloat16: d_i = 0, n = 1000.  Native: (1000 + 6) * 2**-7 = 7.859375;
    # float32: (1000 + 6) * 2**-23 + 3 * 2**-8; float64: (1000 + 6) * 2**-52 + 3 * 2**-8.
    tol = [t for t in decoded("softmax", "bfloat16") if t["comment"].startswith("1000 equal")][0]["tolerance"]
    bounds = tol["accumulators"]
    assert sorted(bounds) == ["bfloat16", "float32", "float64"] and "rel" not in tol
    assert bounds["bfloat16"]["rel"][0] == 7.859375
    for name, p_a in (("float32", 24), ("float64", 53)):
        exact = Fraction(1006, 2 ** (p_a - 1)) + Fraction(3, 2 ** 8)
        assert Fraction(bounds[name]["rel"][0]) >= exact > Fraction(bounds[name]["rel"][0]) * (1 - Fraction(1, 2 ** 52))
        assert Fraction(bounds[name]["abs"][0]) >= exact * Fraction(1, 2 ** 126)
    assert bounds["bfloat16"]["abs"][0] == 1006 * 2.0 ** -133
    # float32 and float64 keep one pair of bounds, for any accumulator.
    assert all("accumulators" not in t["tolerance"] for dtype in ("float64", "float32")
               for t in decoded("softmax", dtype))


@pytest.mark.parametrize("dtype,threshold", (("float32", 88.72), ("float16", 11.09)))
def test_softmax_without_the_max_shift_fails_above_the_overflow_threshold(dtype, threshold):
    bad = Arithmetic(dtype, dtype)
    # Checked against its own accumulator (it adds in the dtype): only the missing shift shows.
    report = run({"softmax": _rows(lambda row: bad.softmax_row(row, shift=False))}, dtype=dtype,
                 accumulate=dtype)
    failed = _failed(report)
    tests = _tests_by_id("softmax", dtype)
    flagged = [i for i, t in tests.items() if "naive-exp-overflow" in t["flags"]]
    assert flagged and set(flagged) <= set(failed)
    for i in failed:                  # every failure shows the bug: an exp or a sum past the range ...
        x = tests[i]["inputs"]["x"]
        rows = x if isinstance(x[0], list) else [x]
        assert any(max(r) + math.log(len(r)) > threshold or INF in r or max(r) < -9.7 for r in rows), (i, x)
    # ... and a row that stays inside it passes.
    chapter = [i for i, t in tests.items() if "chapter-example" in t["flags"]]
    assert chapter and not set(chapter) & set(failed)


@pytest.mark.parametrize("dtype", ("float32", "float16"))
def test_softmax_that_skips_the_division_when_the_sum_is_0_fails_on_rows_of_minus_inf(dtype):
    bad = Arithmetic(dtype, "float32")
    report = run({"softmax": _rows(lambda row: bad.softmax_row(row, skip_zero_sum=True))},
                             dtype=dtype)
    tests = _tests_by_id("softmax", dtype)
    flagged = set(i for i, t in tests.items() if "all-neginf-row" in t["flags"])
    assert flagged and set(_failed(report)) == flagged
    assert all("got 0.0, expected nan" in f.reason for f in report.failures)


@pytest.mark.parametrize("dtype", ("float32", "float16"))
def test_a_naive_sigmoid_in_the_format_fails_where_exp_overflows(dtype):
    bad = Arithmetic(dtype, dtype)
    report = run({"sigmoid": _tree(bad.naive_sigmoid)}, dtype=dtype)
    failed = _failed(report)
    tests = _tests_by_id("sigmoid", dtype)
    p, emin, _ = WIDTHS[dtype]
    six_ulp = 6 * 2.0 ** (emin - p + 1)             # the tolerance: 6 subnormal ULP
    # exp(-x) overflows the format below -ln(max) (checked against decimal above)
    threshold = -_cases._spec(dtype).thresholds["overflow"][0]
    singles = [i for i, t in tests.items() if "naive-exp-overflow" in t["flags"]
               and isinstance(t["inputs"]["x"], float) and t["expected"] > six_ulp]
    assert len(singles) >= 3 and set(singles) <= set(failed)
    for i, t in tests.items():
        # It fails exactly where an input is below the threshold and its true
        # sigmoid is more than the tolerance above the 0 it gets.
        below = [v for v in leaves([t["inputs"]["x"]]) if v < threshold]
        shows_the_bug = any(sigmoid_exact(v, dtype) > six_ulp for v in below)
        if t["result"] == "invalid":
            continue
        assert (i in failed) == shows_the_bug, (i, t["comment"], failed.get(i))
        if i in failed:
            assert "got 0.0" in failed[i].reason, failed[i].reason


def test_dense_accumulating_in_float16_fails_by_default_and_passes_with_accumulate_float16():
    native = Arithmetic("float16", "float16")
    report = run({"dense": native.dense}, dtype="float16")
    failed = _failed(report)
    tests = _tests_by_id("dense", "float16")
    assert failed
    for i in failed:
        assert set(tests[i]["flags"]) & {"accumulator-precision", "intermediate-overflow"}, i
    assert any("accumulator-precision" in tests[i]["flags"] for i in failed)
    assert any("intermediate-overflow" in tests[i]["flags"] and math.isfinite(tests[i]["expected"][0][0])
               for i in failed)
    assert run({"dense": native.dense}, dtype="float16", accumulate="float32").ok is False
    report = run({"dense": native.dense}, dtype="float16", accumulate="float16")
    assert report.ok and not report.failures, str(report)
    # A float32 accumulator passes the default.
    wide = Arithmetic("float16", "float32")
    assert run({"dense": wide.dense}, dtype="float16").ok


def test_book_mode_passes_its_float32_vectors_but_its_naive_sigmoid():
    def layer(cls, rows=False):
        def apply(x):
            if rows and not isinstance(x, list):
                raise TypeError("softmax needs a vector or rows")
            batch = isinstance(x, list) and x and isinstance(x[0], list)
            unit = cls()
            unit.forward(x if batch else [x] if isinstance(x, list) else [[x]])
            return unit.output if batch else unit.output[0] if isinstance(x, list) else unit.output[0][0]
        return apply

    impl = {"step": layer(book.Activation_Step), "linear": layer(book.Activation_Linear),
            "relu": layer(book.Activation_ReLU), "sigmoid": layer(book.Activation_Sigmoid),
            "softmax": layer(book.Activation_Softmax, rows=True),
            "dense": lambda i, w, b: book._dense_f32(i, w, b, "dense"),
            "spiral_data": lambda n, k, seed: book.spiral_data(n, k, rng=RandomState(seed)),
            "vertical_data": lambda n, k, seed: book.vertical_data(n, k, rng=RandomState(seed)),
            "sine_data": book.sine_data}
    report = run(impl, dtype="float32")
    tests = _tests_by_id("sigmoid", "float32")
    threshold = -88.72283172607422
    for failure in report.failures:
        if failure.op == "dense":     # Layer_Dense keeps its biases as a row (1, n)
            assert "bias-vector" in failure.flags, failure
            continue
        # nnfs's 1 / (1 + np.exp(-x)) in float32 is 0 below -88.72, where the
        # true value is still a float32 (subnormal): the book's own behaviour.
        assert failure.op == "sigmoid", failure
        assert min(leaves([tests[failure.tc_id]["inputs"]["x"]])) < threshold, failure
    assert any(f.op == "sigmoid" for f in report.failures)
    assert [r.label for r in report.results if r.skipped] == ["sine_data.float32"]
    assert all(not r.failures for r in report.results if r.op in ("softmax", "relu", "spiral_data",
                                                                   "vertical_data"))


# --- the checker in every dtype --------------------------------------------------------------

def test_an_output_that_is_not_a_value_of_the_dtype_fails_saying_so():
    document = load("relu", "float16")
    results = conformance.as_results(document)
    target = results["testGroups"][0]["tests"][0]        # the chapter's inputs, as a vector
    target["output"][2] = {"dec": "0.1"}
    result = conformance.check_documents(document, results)
    assert [f.tc_id for f in result.failures] == [1]
    assert result.failures[0].reason == "output[2] = 0.1 is not a float16 value"
    assert result.failures[0].dtype == "float16" and result.label == "relu.float16"


def test_worst_ulp_and_failure_lines_are_in_the_dtypes_ulps(tmp_path):
    document = load("sigmoid", "float16")
    results = conformance.as_results(document)
    tests = [t for g in results["testGroups"] for t in g["tests"]]
    chapter = tests[0]["output"]                         # sigmoid of the chapter's inputs
    value = float.fromhex(chapter[1]["hex"])             # sigmoid(2) = 0.88..., float16 ULP 2**-11
    three_up = value + 3 * 2.0 ** -11
    chapter[1] = {"dec": repr(three_up), "hex": three_up.hex()}
    other = float.fromhex(tests[1]["output"][0][0]["hex"])   # sigmoid(4.8) in [0.5, 1)
    ten_up = other + 10 * 2.0 ** -11
    tests[1]["output"][0][0] = {"dec": repr(ten_up), "hex": ten_up.hex()}
    vectors = str(tmp_path / "sigmoid.float16.json")
    with open(vectors, "w") as handle:
        json.dump(document, handle)
    path = str(tmp_path / "results.json")
    with open(path, "w") as handle:
        json.dump(results, handle)
    report = conformance.check_files(vectors, path)
    assert [f.tc_id for f in report.failures] == [2]
    text = str(report)
    assert re.search(r"^sigmoid\.float16\s+\d+\s+\d+\s+0\s+1\s+0\s+3 \(#1\)\s+2$", text, re.M), text
    assert "(10 ULP)" in text and "sigmoid.float16 #2 FAIL" in text


def test_run_reads_the_dtype_and_rejects_what_does_not_apply(tmp_path):
    with pytest.raises(ValueError):
        conformance.run({"relu": lambda x: x}, dtype="float8")
    with pytest.raises(ValueError) as info:
        conformance.run({"dense": lambda *a: None}, dtype="float32", accumulate="float16")
    assert "accumulate must be 'float32' or 'float64' for float32 vectors" in str(info.value)
    with pytest.raises(ValueError):
        conformance.run({"dense": lambda *a: None}, dtype="float16", accumulate="bfloat16")
    report = conformance.run({"sine_data": lambda n: None}, dtype="float16")
    assert report.ok and report.results[0].skipped == "no float16 vectors for sine_data"
    # A folder of vectors: the dtype's file is read, and its dtype field must agree.
    folder = tmp_path / "v"
    folder.mkdir()
    document = load("relu", "float16")
    (folder / "relu.float16.json").write_text(json.dumps(document))
    assert conformance.run({"relu": _tree(lambda v: v if v > 0 or v != v or v == 0 else 0.0)},
                           vectors_dir=str(folder), dtype="float16").ok
    document["dtype"] = "bfloat16"
    (folder / "relu.float16.json").write_text(json.dumps(document))
    with pytest.raises(conformance.VectorFormatError):
        conformance.run({"relu": lambda x: x}, vectors_dir=str(folder), dtype="float16")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "nnref"] + list(args), cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)


def test_check_dtype_ops_and_accumulate_on_the_command_line(tmp_path):
    vectors, results = tmp_path / "v", tmp_path / "r"
    vectors.mkdir()
    results.mkdir()
    native = Arithmetic("float16", "float16")
    for op, dtype in (("relu", "float64"), ("relu", "float16"), ("dense", "float16"), ("dense", "float32")):
        document = load(op, dtype)
        outputs = None
        if (op, dtype) == ("dense", "float16"):       # a float16-accumulating kernel's results
            outputs = {}
            for t in decoded(op, dtype):
                try:
                    value = native.dense(t["inputs"]["inputs"], t["inputs"]["weights"], t["inputs"]["biases"])
                    # a (0, m) result is [] in Python: say its shape, as the format asks
                    m = len(t["inputs"]["weights"][0]) if t["inputs"]["weights"] else 2
                    outputs[t["tcId"]] = _format.encode_tree(value, "float16", None if value else (0, m))
                except ValueError as error:
                    outputs[t["tcId"]] = {"error": str(error)}
        name = _format.file_name(op, dtype)
        (vectors / name).write_text(json.dumps(document))
        (results / name).write_text(json.dumps(conformance.as_results(document, outputs)))
    proc = _cli("check", str(vectors), str(results))
    assert proc.returncode == 1 and "dense.float16 #" in proc.stdout and "relu.float16" in proc.stdout
    proc = _cli("check", str(vectors), str(results), "--ops", "relu")
    assert proc.returncode == 0, proc.stdout
    assert re.findall(r"^relu\S*", proc.stdout, re.M) == ["relu", "relu.float16"]
    proc = _cli("check", str(vectors), str(results), "--dtype", "float16", "--accumulate", "float16")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "dense.float16" in proc.stdout and "dense.float32" not in proc.stdout
    proc = _cli("check", str(vectors), str(results), "--accumulate", "float16")
    assert proc.returncode == 2 and "accumulate must be" in proc.stderr
    proc = _cli("check", str(vectors / "dense.float32.json"), str(results / "dense.float32.json"),
                "--dtype", "float16")
    assert proc.returncode == 2 and "holds float32 vectors, not float16" in proc.stderr
    proc = _cli("check", str(vectors), str(results), "--ops", "tanh")
    assert proc.returncode == 2 and "unknown operation" in proc.stderr
    proc = _cli("check", str(vectors), str(results), "--dtype", "bfloat16")
    # Issue 13: the folder's files are all reported; a selection that matches none says so.
    assert proc.returncode == 2 and "nothing to check: no bfloat16 vectors in" in proc.stderr


def test_checking_needs_nothing_micropython_lacks():
    # Blocked: fractions and decimal (MicroPython has neither); the checker still
    # reads the committed narrow files and judges outputs in their dtype.
    code = r"""
import sys
for name in ("fractions", "decimal"):
    sys.modules[name] = None
import json, os
from nnref import conformance
from nnref.conformance._run import check_documents
folder = sys.argv[1]
total = 0
for name in sorted(os.listdir(folder)):
    if name.endswith((".float16.json", ".bfloat16.json", ".float32.json")):
        with open(os.path.join(folder, name)) as handle:
            document = json.load(handle)
        for accumulate in (conformance.accumulators(document["dtype"]) if document["operation"] == "dense"
                           else [None]):
            result = check_documents(document, conformance.as_results(document), accumulate=accumulate)
            assert not result.failures, (name, accumulate)
            total += result.cases
print(total)
"""
    proc = subprocess.run([sys.executable, "-c", code, VECTORS], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 600
