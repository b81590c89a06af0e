"""conformance.vectors() and conformance.cases(): the packaged vectors in a pytest suite.

The documents are compared with the package's JSON files read here with
``json`` alone, and the decoded inputs with ``float.fromhex`` (not nnref's
own hex parser).  ``Case.check`` is shown to pass nnref's functions (and the
exact oracle in the narrow dtypes), and to fail wrong ones with the reason:
a softmax without the max shift, a function that returns on an invalid case,
one that raises on a valid case.
"""

import json
import math
import os
import re
import subprocess
import sys

import pytest

import nnref
from nnref import conformance, exact

from support import same

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VECTORS = os.path.join(ROOT, "nnref", "conformance", "vectors")
FILES = [(op, dtype) for dtype in conformance.DTYPES for op in conformance.operations(dtype)]
ACTIVATIONS = ("step", "linear", "relu", "sigmoid", "softmax")


def raw_document(op, dtype):
    name = op + ".json" if dtype == "float64" else "%s.%s.json" % (op, dtype)
    with open(os.path.join(VECTORS, name)) as handle:
        return json.load(handle)


def raw_tests(op, dtype):
    return [t for group in raw_document(op, dtype)["testGroups"] for t in group["tests"]]


def from_hex(tree):
    # The file's floats with the standard library's parser: a check on nnref's decoder.
    if isinstance(tree, list):
        return [from_hex(v) for v in tree]
    if isinstance(tree, dict) and "shape" in tree and "values" in tree:
        values = [from_hex(v) for v in tree["values"]]
        shape = tree["shape"]
        if len(shape) == 1 or 0 in shape[:1]:
            return values if len(shape) == 1 else []
        return [[] for _ in range(shape[0])]           # (n, 0): n empty rows
    if isinstance(tree, int) and not isinstance(tree, bool):
        return tree
    if isinstance(tree, str):                          # categorical_crossentropy's reduction
        return tree
    text = tree["hex"]
    if text in ("nan", "inf", "-inf"):
        return float(text)
    return float.fromhex(text)


def same_tree(a, b):
    if isinstance(b, list):
        return isinstance(a, list) and len(a) == len(b) and all(same_tree(x, y) for x, y in zip(a, b))
    if isinstance(b, int):
        return type(a) is int and a == b
    if isinstance(b, str):
        return a == b
    return same(a, b)


def find(op, dtype, flag=None, comment=None, result=None):
    found = [c for c in conformance.cases(op, dtype)
             if (flag is None or flag in c.flags) and (comment is None or c.comment == comment)
             and (result is None or c.result == result)]
    assert found, (op, dtype, flag, comment)
    return found


# --- vectors() ---------------------------------------------------------------------

@pytest.mark.parametrize("op,dtype", FILES)
def test_vectors_is_the_packaged_file(op, dtype):
    assert conformance.vectors(op, dtype) == raw_document(op, dtype)


def test_vectors_defaults_to_float64():
    assert conformance.vectors("softmax") == raw_document("softmax", "float64")
    assert conformance.vectors("softmax")["dtype"] == "float64"


def test_vectors_returns_a_fresh_document_each_call():
    doc = conformance.vectors("relu")
    doc["testGroups"][0]["tests"].clear()
    doc["operation"] = "changed"
    again = conformance.vectors("relu")
    assert again == raw_document("relu", "float64")


@pytest.mark.parametrize("call,kind,text", [
    (lambda: conformance.vectors("tanh"), ValueError,
     "conformance.vectors: op must be one of step, linear, relu, sigmoid, softmax, dense, "
     "relu_backward, sigmoid_backward, softmax_backward, dense_backward, "
     "categorical_crossentropy, categorical_crossentropy_backward, softmax_crossentropy_backward, "
     "accuracy, "
     "spiral_data, vertical_data, sine_data, got 'tanh'"),
    (lambda: conformance.vectors("sine_data", "float16"), ValueError,
     "conformance.vectors: there are no float16 vectors for 'sine_data'; float16 has step, "
     "linear, relu, sigmoid, softmax, dense"),
    (lambda: conformance.vectors(None), TypeError,
     "conformance.vectors: op must be an operation name (str), got None (NoneType)"),
    (lambda: conformance.vectors("relu", "float8"), ValueError,
     "conformance.vectors: dtype must be 'float64', 'float32', 'float16' or 'bfloat16', got 'float8'"),
    (lambda: conformance.cases("relu", "float8"), ValueError, "conformance.cases: dtype must be"),
    (lambda: conformance.cases(3), TypeError,
     "conformance.cases: op must be an operation name (str), got 3 (int)"),
    (lambda: conformance.cases("spiral_data", "bfloat16"), ValueError,
     "conformance.cases: there are no bfloat16 vectors for 'spiral_data'"),
])
def test_vectors_and_cases_reject_bad_arguments(call, kind, text):
    with pytest.raises(kind) as info:
        call()
    assert str(info.value).startswith(text)


# --- cases(): ids, flags, inputs -------------------------------------------------------

@pytest.mark.parametrize("op,dtype", FILES)
def test_case_ids_are_op_dtype_tcid_unique_and_stable(op, dtype):
    raw = raw_tests(op, dtype)
    ids = [case.id for case in conformance.cases(op, dtype)]
    assert ids == ["%s-%s-%d" % (op, dtype, t["tcId"]) for t in raw]
    assert len(set(ids)) == len(ids)
    assert all(re.match(r"^[a-z_]+-(float64|float32|float16|bfloat16)-[1-9][0-9]*$", i) for i in ids)
    assert [case.id for case in conformance.cases(op, dtype)] == ids      # the same next time


def test_ids_are_unique_across_every_file():
    ids = [case.id for op, dtype in FILES for case in conformance.cases(op, dtype)]
    assert len(set(ids)) == len(ids)


def test_the_issue_example_id():
    assert [c.id for c in conformance.cases("softmax", "float32")][16] == "softmax-float32-17"


@pytest.mark.parametrize("op,dtype", FILES)
def test_case_fields_follow_the_file(op, dtype):
    document = raw_document(op, dtype)
    for case, raw in zip(conformance.cases(op, dtype), raw_tests(op, dtype)):
        assert (case.op, case.dtype, case.tc_id) == (op, dtype, raw["tcId"])
        assert case.flags == tuple(raw["flags"])
        assert case.comment == raw["comment"]
        assert case.result == raw["result"]
        assert case.exception == raw.get("exception")
        assert case.arguments == tuple(document["arguments"])
        expected_inputs = dict((name, from_hex(v)) for name, v in raw["inputs"].items())
        assert set(case.inputs) == set(expected_inputs)
        for name in expected_inputs:
            assert same_tree(case.inputs[name], expected_inputs[name]), (case.id, name)
        assert same_tree(case.args, [expected_inputs[name] for name in document["arguments"]])
        if raw["expected"] is None:
            assert case.expected is None


def test_dense_arguments_come_in_calling_order():
    case = conformance.cases("dense")[0]
    assert case.arguments == ("inputs", "weights", "biases")
    assert case.args == [case.inputs["inputs"], case.inputs["weights"], case.inputs["biases"]]


def test_inputs_are_plain_python_floats_and_lists():
    def kinds(tree):
        if isinstance(tree, list):
            return set().union(*[kinds(v) for v in tree]) if tree else {list}
        return {type(tree)}
    for op in ("relu", "softmax", "dense"):
        for case in conformance.cases(op, "float32"):
            for value in case.inputs.values():
                assert kinds(value) <= {float, list}, case.id
    sizes = conformance.cases("spiral_data")[0].inputs
    assert all(type(v) is int for v in sizes.values())


def test_inputs_args_and_expected_are_copies():
    case = conformance.cases("relu")[0]
    case.inputs["x"].append(99.0)
    case.args[0].append(99.0)
    case.expected.append(99.0)
    assert len(case.inputs["x"]) == len(case.expected) == 8
    case.check(nnref.relu)


def test_repr_names_the_case():
    case = find("softmax", "float32", comment="a plain number has no row")[0]
    assert repr(case) == "<Case %s invalid [scalar-input]>" % case.id


# --- check(): sound functions pass ------------------------------------------------------

FLOAT64 = [(op, case) for op in conformance.operations("float64") for case in conformance.cases(op)]


SEEDED = {
    "spiral_data": lambda n, k, seed: nnref.datasets.spiral_data(n, k, rng=nnref.RandomState(seed)),
    "vertical_data": lambda n, k, seed: nnref.datasets.vertical_data(n, k, rng=nnref.RandomState(seed)),
}


@pytest.mark.parametrize("op,case", FLOAT64, ids=[case.id for _, case in FLOAT64])
def test_nnref_passes_every_float64_case(op, case):
    assert case.check(SEEDED.get(op) or getattr(nnref.datasets if op.endswith("_data") else nnref, op)) is None


NARROW = [case for dtype in ("float32", "float16", "bfloat16")
          for op in ACTIVATIONS + ("dense",) for case in conformance.cases(op, dtype)]


@pytest.mark.parametrize("case", NARROW, ids=lambda case: case.id)
def test_the_exact_oracle_passes_every_narrow_case(case):
    function = getattr(exact, case.op)
    case.check(lambda *args: function(*args, dtype=case.dtype))


def test_check_takes_tolist_results_and_tuples():
    class Array(object):
        def __init__(self, values):
            self.values = values

        def tolist(self):
            return self.values

    case = conformance.cases("softmax")[1]          # a batch of rows
    case.check(lambda x: Array(nnref.softmax(x)))
    case.check(lambda x: tuple(tuple(row) for row in nnref.softmax(x)))


def test_a_function_that_changes_its_inputs_changes_no_later_check():
    case = conformance.cases("relu")[0]

    def clearing(x):
        out = nnref.relu(x)
        del x[:]
        return out
    case.check(clearing)
    case.check(clearing)
    assert len(case.inputs["x"]) == 8


# --- check(): wrong functions fail, with the reason -------------------------------------

def naive_softmax(x):
    # exp(x) / sum(exp(x)) with no max shift, in IEEE arithmetic: exp(1000) is inf,
    # inf / inf and 0 / 0 are NaN.
    def exp(v):
        try:
            return math.exp(v)
        except OverflowError:
            return float("inf")

    def divide(a, b):
        if b == 0.0:
            return float("nan") if a == 0.0 or a != a else math.copysign(float("inf"), a)
        return a / b

    def row(values):
        exps = [exp(v) for v in values]
        total = sum(exps)
        return [divide(e, total) for e in exps]
    if not isinstance(x, list):
        raise TypeError("softmax: a number has no row")
    if x and isinstance(x[0], list):
        if any(len(r) != len(x[0]) for r in x):
            raise ValueError("softmax: ragged batch")
        return [row(r) for r in x]
    return row(x)


def failure(case, func):
    with pytest.raises(AssertionError) as info:
        case.check(func)
    return info.value


def test_softmax_without_the_max_shift_fails_where_exp_overflows_or_underflows():
    failed = {}
    for case in conformance.cases("softmax"):
        try:
            case.check(naive_softmax)
        except AssertionError as error:
            failed[case.tc_id] = (case, str(error))
    # Unshifted, it is wrong only where exp overflows (a large or infinite input) or every
    # exp of a row underflows to 0; everywhere else exp(x - max) / sum is the same quotient.
    reasons = {"naive-exp-overflow", "exp-underflow", "large-magnitude", "posinf-in-row"}
    assert all(reasons & set(case.flags) for case, _ in failed.values()), sorted(failed)
    overflow = find("softmax", "float64", flag="naive-exp-overflow")
    assert set(c.tc_id for c in overflow) <= set(failed)
    [case] = find("softmax", "float64", comment="[1000, 1000]: exp(1000) overflows unshifted")
    assert failed[case.tc_id][1] == (
        "%s [naive-exp-overflow] [1000, 1000]: exp(1000) overflows unshifted: 2 of 2 elements "
        "outside the tolerance; worst: got nan, expected 0.5 (inf ULP) at [0]" % case.id)


def test_a_wrong_value_names_the_element():
    case = conformance.cases("relu")[0]
    text = str(failure(case, lambda x: [abs(v) for v in x]))
    assert text.startswith("relu-float64-1 [chapter-example] chapter inputs as a vector: ")
    # The chapter's inputs [0, 2, -1, 3.3, -2.7, 1.1, 2.2, -100]: three negatives.
    assert "3 of 8 elements outside the tolerance" in text
    assert "worst: got 100.0, expected 0.0 (4636737291354636288 ULP) at [7]" in text


def test_an_invalid_case_that_returns_fails():
    [case] = find("softmax", "float32", flag="scalar-input")
    text = str(failure(case, lambda x: 1.0))
    assert text == ("%s [scalar-input] a plain number has no row: expected an error (nnref raises "
                    "TypeError), got a result: 1.0" % case.id)


def test_an_invalid_case_that_returns_a_long_value_is_cut_short():
    case = find("relu", "float64", flag="shape-error", result="invalid")[0]

    def relu_ragged(x):
        return [[max(0.0, v) for v in row] * 20 for row in x]
    text = str(failure(case, relu_ragged))
    assert "expected an error (nnref raises ValueError), got a result: [[1.0, 2.0, 1.0" in text
    assert text.endswith("...")
    assert len(text.split("got a result: ", 1)[1]) == 60


def test_an_unsupported_input_form_fails_the_case():
    case = conformance.cases("relu")[2]            # relu(0.0): a plain number

    def batch_relu(x):
        if not isinstance(x, list):
            raise conformance.Unsupported("batches only")
        return nnref.relu(x)
    error = failure(case, batch_relu)
    assert str(error) == "%s %s: unsupported: batches only" % (case.id, case.comment)
    assert isinstance(error.__cause__, conformance.Unsupported)
    conformance.cases("relu")[1].check(batch_relu)          # a batch: passes


def test_an_invalid_case_passes_with_any_exception():
    case = find("dense", "float64", result="invalid")[0]
    case.check(nnref.dense)

    def fails(*args):
        raise ZeroDivisionError("not the documented error, but an error")
    case.check(fails)


def test_a_valid_case_that_raises_fails_and_chains_the_error():
    case = conformance.cases("sigmoid")[2]
    boom = ValueError("boom")

    def raising(x):
        raise boom
    error = failure(case, raising)
    assert str(error) == "%s %s: raised ValueError: boom" % (case.id, case.comment)
    assert error.__cause__ is boom


def test_a_result_outside_the_dtype_fails():
    # float64 arithmetic on float32 vectors: sigmoid's results are not float32 values.
    case = find("sigmoid", "float32", comment="sigmoid(1.0)")[0]
    assert "is not a float32 value" in str(failure(case, nnref.sigmoid))


def test_dense_accumulate_chooses_the_bound():
    case = find("dense", "float16", flag="accumulator-precision")[0]

    def dense16(*args):
        return exact.dense(*args, dtype="float16")
    case.check(dense16)
    case.check(dense16, accumulate="float16")
    with pytest.raises(ValueError) as info:
        case.check(dense16, accumulate="bfloat16")
    assert str(info.value).startswith("Case.check: accumulate must be")


def test_the_check_needs_no_pytest():
    # pytest is a test-only dependency: cases() and check() work with it unimportable.
    code = ("import sys; sys.modules['pytest'] = None\n"
            "import nnref\nfrom nnref import conformance\n"
            "[c.check(nnref.softmax) for c in conformance.cases('softmax')]\n"
            "print('pytest' in [m.split('.')[0] for m in sys.modules if sys.modules[m] is not None])\n")
    out = subprocess.check_output([sys.executable, "-c", code], cwd=ROOT)
    assert out.decode().strip() == "False"


# --- the README's pytest example, and the copy CI runs -------------------------------------

README_EXAMPLE = os.path.join(ROOT, "tests", "peers", "test_readme_example.py")


def readme_example():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    blocks = [b for b in re.findall(r"^```python\n(.*?)^```", readme, flags=re.S | re.M)
              if "conformance.cases(" in b]
    assert len(blocks) == 1, "the README should show one pytest example with conformance.cases"
    return blocks[0]


def test_ci_runs_the_readme_pytest_example_verbatim():
    # tests/peers/ runs in tools/ci/20-crosscheck.sh, in the venv that has NumPy.
    with open(README_EXAMPLE, encoding="utf-8") as handle:
        code = handle.read()
    body = code.split('"""', 2)[2].lstrip("\n") if code.startswith('"""') else code
    assert body == readme_example()
    with open(os.path.join(ROOT, "tools", "ci", "20-crosscheck.sh")) as handle:
        assert "tests/peers" in handle.read()


def test_the_readme_example_is_about_ten_lines():
    lines = [line for line in readme_example().splitlines() if line.strip()]
    assert len(lines) <= 14
