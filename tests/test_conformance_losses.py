"""The losses' conformance vectors (issue 17): expected values checked against an
evaluation written apart from nnref.exact (Fraction and 90-digit decimal, with the
rounding to each format of tests/test_conformance_backward.py), and deliberately wrong
implementations that must fail ``check``."""

import decimal
import json
import math
from fractions import Fraction

import pytest

import nnref
from nnref import conformance
from nnref.conformance import _format

from test_conformance_backward import (CONTEXT, DTYPES, INF, dec, flat, op_flags, results_of,
                                      round_to, to_fraction)

LOSSES = ("categorical_crossentropy", "categorical_crossentropy_backward",
          "softmax_crossentropy_backward", "accuracy")


def tc(case):
    return int(case.id.rsplit("-", 1)[1])


def bounds(dtype):
    # NumPy casts the Python floats 1e-7 and 1 - 1e-7 (0.9999999) to the array's dtype.
    return round_to(Fraction(1e-7), dtype), round_to(Fraction(1 - 1e-7), dtype)


def one_hot(y, k):
    if y and isinstance(y[0], list):
        return y
    return [[1.0 if j == label else 0.0 for j in range(k)] for label in y]


def first_argmax(row):
    # NumPy: the first NaN, else the first maximum
    for j, v in enumerate(row):
        if v != v:
            return j
    best = 0
    for j, v in enumerate(row):
        if v > row[best]:
            best = j
    return best


def neg_ln(c):
    # -ln(c) for a positive rational c, 90 digits
    return -CONTEXT.ln(dec(c))


def clip(v, low, high):
    return low if v < low else high if v > high else v


def independent(op, case):
    """Expected elements (flat, None where not evaluated) from Fraction and decimal."""
    dtype = case.dtype
    if op == "categorical_crossentropy":
        p, y, reduction = case.args
        low, high = bounds(dtype)
        losses = []
        for row, target in zip(p, one_hot(y, len(p[0]) if p else 0)):
            if any(v != v for v in row) or not all(t in (0.0, 1.0) for t in target):
                return None
            conf = sum((Fraction(clip(v, low, high)) * Fraction(t) for v, t in zip(row, target)), Fraction(0))
            if conf == 0:
                return None
            losses.append(neg_ln(conf))
        if reduction == "none":
            return [round_to(to_fraction(v), dtype) for v in losses]
        if not losses:
            return None
        total = sum(losses, decimal.Decimal(0))
        if reduction == "mean":
            total = CONTEXT.divide(total, len(losses))
        return [round_to(to_fraction(total), dtype)]
    if op == "categorical_crossentropy_backward":
        p, y = case.args
        n = len(p)
        out = []
        for row, target in zip(p, one_hot(y, len(p[0]) if p else 0)):
            for v, t in zip(row, target):
                if v == 0.0 or not all(w == w and w not in (INF, -INF) for w in (v, t)):
                    out.append(None)
                else:
                    out.append(round_to(-Fraction(t) / Fraction(v) / n, dtype))
        return out
    if op == "softmax_crossentropy_backward":
        x, y = case.args
        n = len(x)
        out = []
        for row, target in zip(x, one_hot(y, len(x[0]) if x else 0)):
            if any(v != v or v == INF for v in row):
                out += [None] * len(row)
                continue
            top = max(row)
            exps = [CONTEXT.exp(dec(v) - dec(top)) if v != -INF else decimal.Decimal(0) for v in row]
            total = sum(exps, decimal.Decimal(0))
            for i, (e, t) in enumerate(zip(exps, target)):
                if t == 1.0:                       # s_i - 1 = -(the others' share): no cancellation
                    others = sum((f for j, f in enumerate(exps) if j != i), decimal.Decimal(0))
                    g = -CONTEXT.divide(others, total)
                else:
                    g = CONTEXT.divide(e, total) - dec(t)
                out.append(round_to(to_fraction(g) / n, dtype))
        return out
    p, y = case.args
    if not p:
        return None
    labels = [first_argmax(t) for t in y] if y and isinstance(y[0], list) else y
    right = sum(1 for row, label in zip(p, labels) if first_argmax(row) == label)
    return [round_to(Fraction(right, len(p)), dtype)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", LOSSES)
def test_expected_values_match_an_independent_evaluation(op, dtype):
    checked = 0
    for case in conformance.cases(op, dtype):
        if case.result == "invalid":
            continue
        want = independent(op, case)
        if want is None:
            continue
        got = flat(case.expected)
        assert len(want) == len(got), case.id
        for a, b in zip(got, want):
            if b is None:
                continue
            assert a == b or (a == 0.0 and b == 0.0), (case.id, a, b)
            checked += 1
    assert checked >= (15 if op == "accuracy" else 40), (op, dtype, checked)


def test_the_clip_bounds_are_each_dtypes():
    assert bounds("float64") == (1e-7, 0.9999999)
    assert bounds("float32")[1] == 1 - 2.0 ** -23
    assert bounds("float16") == (2.0 ** -23, 1.0)
    assert bounds("bfloat16")[1] == 1.0
    for dtype in DTYPES:
        [case] = [c for c in conformance.cases("categorical_crossentropy", dtype)
                  if c.comment.startswith("p = ")]
        ps = [row[0] for row in case.args[0]]
        low, high = bounds(dtype)
        assert low in ps and high in ps and 0.0 in ps and 1.0 in ps
        assert "clip-boundary" in case.flags


def test_the_chapter_example_is_there():
    [case] = [c for c in conformance.cases("categorical_crossentropy")
              if c.comment == "chapter 5's outputs, classes [0, 1, 1], none"]
    assert case.args[0] == [[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]]
    assert case.args[1] == [0, 1, 1] and all(type(v) is int for v in case.args[1])
    assert case.expected == [-math.log(0.7), -math.log(0.5), -math.log(0.9)]
    [acc] = [c for c in conformance.cases("accuracy") if "loss-example" in c.flags]
    assert acc.expected == 1.0                      # every row's argmax is its class
    [six] = [c for c in conformance.cases("accuracy") if c.comment.startswith("chapter 6's")]
    assert six.expected == 2 / 3


def test_class_indices_are_json_integers_and_one_hot_rows_floats():
    document = conformance.vectors("categorical_crossentropy", "float32")
    kinds = set()
    for group in document["testGroups"]:
        for test in group["tests"]:
            y = test["inputs"]["y_true"]
            if not isinstance(y, list) or not y:
                continue
            if isinstance(y[0], int):
                kinds.add("labels")
            elif isinstance(y[0], list):
                assert isinstance(y[0][0], dict) and "bits" in y[0][0]
                kinds.add("one-hot")
            assert test["inputs"]["reduction"] in ("mean", "sum", "none")
    assert kinds == {"labels", "one-hot"}


# --- deliberately wrong implementations --------------------------------------------------

def round_tree(tree, dtype):
    if isinstance(tree, list):
        return [round_tree(v, dtype) for v in tree]
    if tree != tree or tree in (INF, -INF):
        return tree
    return round_to(Fraction(tree), dtype)


def float64_clip(dtype):
    # the loss of float64 arithmetic, clip bounds included, rounded to the dtype at the end
    def loss(y_pred, y_true, reduction="mean"):
        return round_tree(nnref.categorical_crossentropy(y_pred, y_true, reduction), dtype)
    return loss


def last_max_accuracy(dtype):
    def acc(y_pred, y_true):
        nnref.accuracy(y_pred, y_true)                       # the argument checks
        if not y_pred:
            return float("nan")

        def last(row):
            best = 0
            for j, v in enumerate(row):
                if v != v:
                    return j
                if v >= row[best]:
                    best = j
            return best
        labels = [last(t) for t in y_true] if isinstance(y_true[0], list) else y_true
        right = sum(1 for row, label in zip(y_pred, labels) if last(row) == label)
        return round_to(Fraction(right, len(y_pred)), dtype)
    return acc


def gradient_without_n(dtype):
    def grad(y_pred, y_true):
        g = nnref.categorical_crossentropy_backward(y_pred, y_true)
        n = len(y_pred)
        return round_tree([[v * n for v in row] for row in g], dtype)
    return grad


def sum_for_mean(dtype):
    # reduction "mean" computed as the sum
    def loss(y_pred, y_true, reduction="mean"):
        from nnref import exact
        return exact.categorical_crossentropy(y_pred, y_true, "sum" if reduction == "mean" else reduction,
                                              dtype=dtype)
    return loss


def check(op, dtype, func, tmp_path):
    document, results = results_of(op, dtype, func)
    (tmp_path / "v.json").write_text(json.dumps(document))
    (tmp_path / "r.json").write_text(json.dumps(results))
    return conformance.check_files(str(tmp_path / "v.json"), str(tmp_path / "r.json"))


def failed_flags(report, op, dtype):
    by_id = dict((tc(c), c) for c in conformance.cases(op, dtype))
    return set(f for fail in report.failures for f in by_id[fail.tc_id].flags)


@pytest.mark.parametrize("dtype", ("float32", "float16", "bfloat16"))
def test_float64_clip_bounds_for_narrow_data_fail_check(dtype, tmp_path):
    report = check("categorical_crossentropy", dtype, float64_clip(dtype), tmp_path)
    assert not report.ok
    assert "clip-boundary" in failed_flags(report, "categorical_crossentropy", dtype)


def test_float64_clip_bounds_pass_in_float64(tmp_path):
    assert check("categorical_crossentropy", "float64", float64_clip("float64"), tmp_path).ok


@pytest.mark.parametrize("dtype", DTYPES)
def test_last_max_accuracy_fails_check_at_the_ties(dtype, tmp_path):
    report = check("accuracy", dtype, last_max_accuracy(dtype), tmp_path)
    assert not report.ok
    flags = failed_flags(report, "accuracy", dtype)
    assert "argmax-tie" in flags and "argmax-nan" not in flags


@pytest.mark.parametrize("dtype", DTYPES)
def test_wrong_reductions_and_gradients_fail_check(dtype, tmp_path):
    assert not check("categorical_crossentropy", dtype, sum_for_mean(dtype), tmp_path).ok
    assert not check("categorical_crossentropy_backward", dtype, gradient_without_n(dtype), tmp_path).ok


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", LOSSES)
def test_the_oracle_passes_check(op, dtype, tmp_path):
    from nnref import exact

    def right(*args):
        return getattr(exact, op)(*args, dtype=dtype)
    report = check(op, dtype, right, tmp_path)
    assert report.ok, str(report)


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_mean_rounded_twice_is_within_the_derived_tolerance(dtype, tmp_path):
    # The mean of the float64 losses, rounded to the dtype: two roundings (and the float64
    # clip's losses in float64). The tolerance is derived for a sum in the dtype, 2k + n + 1
    # ULP, so one extra rounding never shows in the mean; it shows in accuracy, whose
    # tolerance is 0 (below).
    from nnref import exact

    def twice(y_pred, y_true, reduction="mean"):
        losses = exact.categorical_crossentropy(y_pred, y_true, "none", dtype=dtype)
        if reduction == "none":
            return losses
        total = sum(losses)
        value = total / len(losses) if reduction == "mean" and losses else total if losses else \
            (float("nan") if reduction == "mean" else 0.0)
        return round_tree(value, dtype)
    assert check("categorical_crossentropy", dtype, twice, tmp_path).ok


def test_nnref_float_tier_passes_the_float64_loss_vectors():
    impl = dict((op, getattr(nnref, op)) for op in LOSSES)
    report = conformance.run(impl)
    assert report.ok and not report.failures, str(report)


def test_the_loss_vectors_cover_the_issue():
    flags = op_flags(LOSSES)
    for needed in [("categorical_crossentropy", "clip-boundary"), ("categorical_crossentropy", "one-hot"),
                   ("categorical_crossentropy", "saturated-row"), ("categorical_crossentropy", "nan-propagation"),
                   ("categorical_crossentropy", "inf-input"), ("categorical_crossentropy", "loss-example"),
                   ("categorical_crossentropy_backward", "clip-boundary"),
                   ("softmax_crossentropy_backward", "saturated-row"),
                   ("softmax_crossentropy_backward", "subnormal"),
                   ("softmax_crossentropy_backward", "constant-dvalues"),
                   ("accuracy", "argmax-tie"), ("accuracy", "argmax-nan")]:
        assert needed in flags, needed
