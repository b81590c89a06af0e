"""The backward passes' conformance vectors (issue 17): expected values checked against
an evaluation written apart from nnref.exact (Fraction and decimal, with a rounding to
each format written here), and deliberately wrong backward passes that must fail."""

import decimal
import json
from fractions import Fraction

import pytest

import nnref
from nnref import conformance
from nnref.conformance import _format

BACKWARD = ("relu_backward", "sigmoid_backward", "softmax_backward", "dense_backward")
DTYPES = ("float64", "float32", "float16", "bfloat16")
# precision, smallest normal exponent, largest exponent: IEEE 754 and bfloat16's layout
FORMATS = {"float64": (53, -1022, 1023), "float32": (24, -126, 127), "float16": (11, -14, 15),
           "bfloat16": (8, -126, 127)}
INF = float("inf")


def round_to(q, dtype):
    """The exact rational q rounded to the nearest value of dtype, ties to even (as a float)."""
    p, emin, emax = FORMATS[dtype]
    if q == 0:
        return 0.0
    sign = -1 if q < 0 else 1
    a = abs(Fraction(q))
    e = a.numerator.bit_length() - a.denominator.bit_length()
    if Fraction(2) ** e > a:
        e -= 1
    e = max(e, emin)                               # below the normal range: a fixed quantum
    scale = Fraction(2) ** (p - 1 - e)
    value = Fraction(round(a * scale)) / scale     # Fraction's round is half to even
    largest = (2 - Fraction(2) ** (1 - p)) * Fraction(2) ** emax
    if value > largest:
        return sign * INF
    return sign * float(value)


def finite(tree):
    if isinstance(tree, dict):
        return all(finite(v) for v in tree.values())
    if isinstance(tree, list):
        return all(finite(v) for v in tree)
    return tree == tree and tree not in (INF, -INF)


def flat(tree):
    if isinstance(tree, list):
        return [v for item in tree for v in flat(item)]
    return [tree]


def rows(tree):
    return tree if tree and isinstance(tree[0], list) else [tree]


CONTEXT = decimal.Context(prec=90, Emin=-999999, Emax=999999)


def dec(x):
    return decimal.Decimal(Fraction(x).numerator) / decimal.Decimal(Fraction(x).denominator)


def to_fraction(d):
    n, den = d.as_integer_ratio()
    return Fraction(n, den)


def independent(op, case):
    """The expected value of a finite case, from Fraction and 90-digit decimal."""
    dtype = case.dtype
    if op == "relu_backward":
        d, x = case.args
        return [round_to(Fraction(dv), dtype) if v > 0 else 0.0 for dv, v in zip(flat(d), flat(x))]
    if op == "sigmoid_backward":
        d, x = case.args
        out = []
        for dv, v in zip(flat(d), flat(x)):
            t = CONTEXT.exp(-abs(dec(v)))
            g = CONTEXT.divide(CONTEXT.multiply(dec(dv), t), CONTEXT.power(1 + t, 2))
            out.append(round_to(to_fraction(g), dtype))
        return out
    if op == "softmax_backward":
        d, x = case.args
        out = []
        for drow, xrow in zip(rows(d), rows(x)):
            if not xrow:
                continue
            top = max(xrow)
            exps = [CONTEXT.exp(dec(v) - dec(top)) if v != -INF else decimal.Decimal(0) for v in xrow]
            total = sum(exps, decimal.Decimal(0))
            s = [CONTEXT.divide(e, total) for e in exps]
            # g_i = s_i (d_i - sum_j s_j d_j) = s_i sum_j s_j (d_i - d_j), since the s_j sum
            # to 1: no 1 - s_i to cancel in a saturated row
            for si, di in zip(s, drow):
                inner = sum((CONTEXT.multiply(sj, dec(di) - dec(dj)) for sj, dj in zip(s, drow)),
                            decimal.Decimal(0))
                out.append(round_to(to_fraction(CONTEXT.multiply(si, inner)), dtype))
        return out
    d, x, w = case.args
    k = len(w)
    m = len(w[0]) if w else len(d[0])
    F = Fraction
    dinputs = [[round_to(sum((F(row[j]) * F(w[r][j]) for j in range(m)), F(0)), dtype) for r in range(k)]
               for row in d]
    dweights = [[round_to(sum((F(x[i][r]) * F(d[i][j]) for i in range(len(x))), F(0)), dtype)
                 for j in range(m)] for r in range(k)]
    dbiases = [[round_to(sum((F(row[j]) for row in d), F(0)), dtype) for j in range(m)]]
    return flat(dinputs) + flat(dweights) + flat(dbiases)


def expected_flat(op, case):
    e = case.expected
    if op == "dense_backward":
        return flat(e["dinputs"]) + flat(e["dweights"]) + flat(e["dbiases"])
    return flat(e)


def sample(op, dtype):
    out = []
    for case in conformance.cases(op, dtype):
        if case.result == "invalid" or not finite(case.inputs) or not finite(case.expected):
            continue
        if "constant-dvalues" in case.flags:      # exactly 0: decimal leaves a 1e-90 residue
            continue
        out.append(case)
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", BACKWARD)
def test_expected_values_match_an_independent_evaluation(op, dtype):
    cases = sample(op, dtype)
    assert len(cases) >= 10
    for case in cases:
        want = independent(op, case)
        got = expected_flat(op, case)
        assert len(want) == len(got), case.id
        for a, b in zip(got, want):
            assert a == b or (a == 0.0 and b == 0.0), (case.id, a, b)


def test_the_independent_rounding_can_tell_the_formats_apart():
    third = Fraction(1, 3)
    assert round_to(third, "float64") == 1 / 3
    assert round_to(third, "float16") == 0.333251953125
    assert round_to(third, "bfloat16") == 0.333984375
    assert round_to(Fraction(65520), "float16") == INF           # the tie above 65504 rounds up
    assert round_to(Fraction(1, 2 ** 25), "float16") == 0.0      # half the smallest subnormal: even
    assert round_to(Fraction(3, 2 ** 26), "float16") == 2.0 ** -24


# --- deliberately wrong backward passes ------------------------------------------------------

def softmax_backward_without_dot(dvalues, inputs):
    # s * d: the <s, d> term forgotten
    kind_rows = inputs and isinstance(inputs[0], list)
    if not isinstance(inputs, list):
        raise TypeError("a number has no row")
    out = []
    for d, x in zip(rows(dvalues), rows(inputs)):
        s = nnref.softmax(x) if x else []
        out.append([si * di for si, di in zip(s, d)])
    return out if kind_rows else out[0]


def dense_backward_transposed(dvalues, inputs, weights):
    # dinputs from W instead of W.T (square layers give no shape error to hide it)
    dinputs, dweights, dbiases = nnref.dense_backward(dvalues, inputs, weights)
    if weights and len(weights) == len(weights[0]):
        dinputs = nnref.matrix.matmul(dvalues, weights)
    else:
        dinputs = [list(c) for c in zip(*dinputs)] if dinputs else dinputs
    return dinputs, dweights, dbiases


def relu_backward_at_zero(dvalues, inputs):
    # dvalues where inputs >= 0: the derivative at 0 taken as 1
    def one(dv, x):
        return dv if x >= 0.0 or x != x else 0.0
    if isinstance(inputs, list):
        return [relu_backward_at_zero(d, x) if isinstance(x, list) else one(d, x)
                for d, x in zip(dvalues, inputs)]
    return one(dvalues, inputs)


WRONG = {
    "softmax_backward": softmax_backward_without_dot,
    "dense_backward": dense_backward_transposed,
    "relu_backward": relu_backward_at_zero,
}


def results_of(op, dtype, func):
    """A RESULTS document of func's outputs for the op's vectors, in the file notation."""
    document = conformance.vectors(op, dtype)
    outputs = {}
    for case in conformance.cases(op, dtype):
        try:
            value = func(*case.args)
        except Exception as error:
            outputs[int(case.id.rsplit("-", 1)[1])] = {"error": type(error).__name__}
            continue
        if op == "dense_backward":
            value = dict(zip(_format.PARTS[op], value))
        shape = None
        if op == "dense_backward":             # the shapes of [] parts, as the vectors give them
            shape = _format._backward_shapes(case.inputs, value).get("expected")
        outputs[int(case.id.rsplit("-", 1)[1])] = _format._encode_output(op, value, dtype, shape)
    return document, _format.as_results(document, outputs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", sorted(WRONG))
def test_wrong_backward_passes_fail_check(op, dtype, tmp_path):
    document, results = results_of(op, dtype, WRONG[op])
    vectors_path = tmp_path / "v.json"
    results_path = tmp_path / "r.json"
    vectors_path.write_text(json.dumps(document))
    results_path.write_text(json.dumps(results))
    report = conformance.check_files(str(vectors_path), str(results_path))
    assert not report.ok and report.failures
    # ... and so does run(), on the same cases
    assert not conformance.run({op: WRONG[op]}, dtype=dtype).ok
    if op == "relu_backward":
        failed = dict((c.id.rsplit("-", 1)[1], c) for c in conformance.cases(op, dtype))
        flags = set(f for fail in report.failures for f in failed[str(fail.tc_id)].flags)
        assert "signed-zero" in flags            # the +-0.0 inputs


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", BACKWARD)
def test_the_right_backward_passes_pass_check(op, dtype, tmp_path):
    from nnref import exact

    def right(*args):
        return getattr(exact, op)(*args, dtype=dtype)
    document, results = results_of(op, dtype, right)
    (tmp_path / "v.json").write_text(json.dumps(document))
    (tmp_path / "r.json").write_text(json.dumps(results))
    report = conformance.check_files(str(tmp_path / "v.json"), str(tmp_path / "r.json"))
    assert report.ok, str(report)


def test_nnref_float_tier_passes_the_float64_backward_vectors():
    impl = dict((op, getattr(nnref, op)) for op in BACKWARD)
    report = conformance.run(impl)
    assert report.ok and not report.failures, str(report)


def test_a_tuple_result_is_read_from_a_tuple_or_a_dict_and_its_parts_named_in_failures():
    def as_dict(*args):
        return dict(zip(("dinputs", "dweights", "dbiases"), nnref.dense_backward(*args)))
    assert conformance.run({"dense_backward": as_dict}).ok

    def bad_dbiases(*args):
        dinputs, dweights, dbiases = nnref.dense_backward(*args)
        return dinputs, dweights, [[v + 1.0 for v in dbiases[0]]]
    report = conformance.run({"dense_backward": bad_dbiases})
    assert not report.ok
    assert "at dbiases[0][" in report.failures[0].reason, report.failures[0].reason

    def two_parts(*args):
        return nnref.dense_backward(*args)[:2]
    reason = conformance.run({"dense_backward": two_parts}).failures[0].reason
    assert "expected a tuple of 3 (dinputs, dweights, dbiases)" in reason, reason


def test_sigmoid_backward_cases_flag_where_y_times_one_minus_y_fails():
    flagged = [c for c in conformance.cases("sigmoid_backward") if "one-minus-output" in c.flags]
    assert flagged
    # the book's (1 - output) * output from a correctly rounded output: fails exactly there
    from nnref import exact

    def book(dvalues, inputs):
        nnref.sigmoid_backward(dvalues, inputs)          # the shape checks
        y = exact.sigmoid(inputs)
        if isinstance(y, list):
            return [book(d, x) if isinstance(x, list) else d * (1.0 - s) * s
                    for d, x, s in zip(dvalues, inputs, y)]
        return dvalues * (1.0 - y) * y
    report = conformance.run({"sigmoid_backward": book})
    failed = set(f.tc_id for f in report.failures)
    assert failed and failed <= set(int(c.id.rsplit("-", 1)[1]) for c in flagged)


def test_relu_backward_vectors_keep_dvalues_at_nan_inputs_and_zero_at_signed_zeros():
    nan_cases = [c for c in conformance.cases("relu_backward") if "relu-nan-input" in c.flags]
    assert nan_cases
    for case in nan_cases:
        for d, x, e in zip(flat(case.args[0]), flat(case.args[1]), flat(case.expected)):
            if x != x:
                assert e == d or (e != e and d != d)
    [zero] = [c for c in conformance.cases("relu_backward") if c.comment.startswith("inputs +-0.0")]
    assert zero.expected[:2] == [0.0, 0.0]


def op_flags(ops):
    """Every (op, flag) pair the vectors of ``ops`` carry, in any dtype."""
    return set((op, f) for op in ops for dtype in DTYPES
               for case in conformance.cases(op, dtype) for f in case.flags)


def test_the_backward_vectors_cover_the_issue():
    flags = op_flags(BACKWARD)
    for needed in [("softmax_backward", "saturated-row"), ("softmax_backward", "subnormal"),
                   ("softmax_backward", "nan-propagation"), ("softmax_backward", "inf-input"),
                   ("relu_backward", "signed-zero"), ("relu_backward", "relu-nan-input"),
                   ("dense_backward", "cancellation"), ("dense_backward", "chapter-example"),
                   ("sigmoid_backward", "one-minus-output"), ("dense_backward", "inf-input")]:
        assert needed in flags, needed
