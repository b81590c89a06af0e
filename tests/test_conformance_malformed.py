"""Issue 14, item 4: whatever a results or vectors file holds, and whatever an
implementation returns, the checker answers in words, never with a traceback.

* A file that is not a vectors or results document: ``check`` exits 2 with one
  line, ``nnref check: error: FILE: ...``, naming the place inside it, and
  ``check_files`` raises ``VectorFormatError`` (a ``ValueError``) saying the same.
* In a well-formed file, an output of any type fails its own case with a reason
  that names what it held, and the other cases are checked as usual.
* ``conformance.run``: an implementation that returns None, a string, a huge int,
  a list that holds itself or an object whose methods raise fails those cases and
  the run goes on.

The corpus is generated here; hypothesis then throws arbitrary JSON at the reader.
"""

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnref
from nnref import conformance
from nnref.conformance import _run
from nnref.conformance._data import VECTORS_DIR

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def vectors(op, dtype="float64"):
    return conformance.load(os.path.join(VECTORS_DIR, conformance.file_name(op, dtype)))


def all_tests(document):
    return [t for g in document["testGroups"] for t in g["tests"]]


def copy(document):
    return json.loads(json.dumps(document))


RELU = vectors("relu")
GOOD_RESULTS = conformance.as_results(RELU)


def check_many(tmp_path, pairs):
    """Run ``check`` on each (vectors text, results text) pair in one interpreter; (status,
    stdout, stderr) of each."""
    jobs = []
    for i, (vectors_text, results_text) in enumerate(pairs):
        paths = []
        for kind, text in (("vectors", vectors_text), ("results", results_text)):
            path = tmp_path / ("%s%d.json" % (kind, i))
            path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
            paths.append(str(path))
        jobs.append(paths)
    script = r"""
import contextlib, io, json, sys
from nnref.cli import main
out = []
for vectors, results in json.loads(sys.argv[1]):
    o, e = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(o), contextlib.redirect_stderr(e):
        status = main(["check", vectors, results])
    out.append([status, o.getvalue(), e.getvalue()])
print(json.dumps(out))
"""
    proc = subprocess.run([sys.executable, "-c", script, json.dumps(jobs)], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return [tuple(r) for r in json.loads(proc.stdout)], jobs


def deep(depth, leaf="1.0"):
    return "[" * depth + leaf + "]" * depth


# --- files that are not documents ---------------------------------------------------------

def _document_with(**changes):
    document = copy(RELU)
    for key, value in changes.items():
        if value is None:
            del document[key]
        else:
            document[key] = value
    return json.dumps(document)


def _test_changed(change, index=0):
    document = copy(RELU)
    change(all_tests(document)[index])
    return json.dumps(document)


def _set(key, value):
    def change(test):
        if value is KeyError:
            del test[key]
        else:
            test[key] = value
    return change


_GOOD = json.dumps(GOOD_RESULTS)

# (what is wrong, results text (vectors: relu.json), words the message must hold)
BAD_RESULTS = [
    ("truncated", _GOOD[:200], "not JSON: "),
    ("not UTF-8", b"\xff\xfe{}", "not UTF-8 text"),
    ("empty", "", "not JSON: "),
    ("a list", "[]", "the document is an empty list, not an object with testGroups"),
    ("a string", '"results"', "the document is the string 'results', not an object"),
    ("null", "null", "the document is null, not an object"),
    ("no testGroups", "{}", "not a results file (no testGroups)"),
    ("testGroups a number", '{"testGroups": 5}', "testGroups is 5, not a list"),
    ("a group a number", '{"testGroups": [5]}', "testGroups[0] is 5, not an object"),
    ("a group without tests", '{"testGroups": [{}]}', "testGroups[0].tests is null, not a list"),
    ("tests an object", '{"testGroups": [{"tests": {"tcId": 1}}]}', "testGroups[0].tests is an object with keys tcId"),
    ("a test a number", '{"testGroups": [{"tests": [1]}]}', "testGroups[0].tests[0] is 1, not a test object"),
    ("a test a string", '{"testGroups": [{"tests": ["x"]}]}', "testGroups[0].tests[0] is the string 'x', not a test object"),
    ("no tcId", '{"testGroups": [{"tests": [{"output": []}]}]}', "testGroups[0].tests[0]: tcId is null, not an integer"),
    ("tcId a string", '{"testGroups": [{"tests": [{"tcId": "1"}]}]}', "tcId is the string '1', not an integer"),
    ("tcId true", '{"testGroups": [{"tests": [{"tcId": true}]}]}', "tcId is true, not an integer"),
    ("tcId a float", '{"testGroups": [{"tests": [{"tcId": 1.0}]}]}', "tcId is 1.0, not an integer"),
    ("tcId huge", '{"testGroups": [{"tests": [{"tcId": %s}]}]}' % ("9" * 5000),
     "tcId is an integer of 5000 digits"),
    ("nested too deeply", deep(200000), "not JSON that can be read: nested too deeply"),
    ("another operation", json.dumps(dict(GOOD_RESULTS, operation="softmax")), "the results are for 'softmax'"),
    ("operation a list", json.dumps(dict(GOOD_RESULTS, operation=[1])), "the results are for a list of 1"),
    ("tcId twice", json.dumps({"testGroups": [{"tests": [{"tcId": 3}, {"tcId": 3}]}]}), "tcId 3 appears more than once"),
]

BAD_VECTORS = [
    ("a number", "3", "the document is 3, not an object"),
    ("no operation", _document_with(operation=None), "not a vector document: no 'operation'"),
    ("no arguments", _document_with(arguments=None), "not a vector document: no 'arguments'"),
    ("no testGroups", _document_with(testGroups=None), "not a vector document: no 'testGroups'"),
    ("unknown operation", _document_with(operation="tanh"), "operation is the string 'tanh', not one of step"),
    ("operation a number", _document_with(operation=7), "operation is 7, not one of"),
    ("wrong arguments", _document_with(arguments=["y"]), "arguments is [\"y\"]; relu takes x"),
    ("unknown dtype", _document_with(dtype="float8"), "dtype is the string 'float8', not one of float64"),
    ("dtype a list", _document_with(dtype=[]), "dtype is an empty list, not one of"),
    ("no such file", _document_with(operation="sine_data", arguments=["samples"], dtype="float16"),
     "there are no float16 vectors for sine_data"),
    ("testGroups an object", _document_with(testGroups={}), "testGroups is an empty object, not a list"),
    ("a test a list", _document_with(testGroups=[{"tests": [[]]}]), "testGroups[0].tests[0] is an empty list"),
    ("no tcId", _test_changed(_set("tcId", KeyError)), "testGroups[0].tests[0]: tcId is null, not an integer"),
    ("no tolerance", _test_changed(_set("tolerance", KeyError)), "(relu tcId 1): no 'tolerance'"),
    ("no inputs", _test_changed(_set("inputs", KeyError)), "(relu tcId 1): no 'inputs'"),
    ("inputs a list", _test_changed(_set("inputs", [])), "inputs is an empty list, not an object"),
    ("an argument missing", _test_changed(_set("inputs", {"y": []})), "inputs has no 'x' (relu takes x)"),
    ("result unknown", _test_changed(_set("result", "maybe")), "result is the string 'maybe', not valid"),
    ("ulp a string", _test_changed(_set("tolerance", {"rule": "exact", "ulp": "4", "signedZero": False})),
     "tolerance.ulp is the string '4', not an integer >= 0"),
    ("ulp negative", _test_changed(_set("tolerance", {"rule": "exact", "ulp": -1, "signedZero": False})),
     "tolerance.ulp is -1, not an integer >= 0"),
    ("tolerance a list", _test_changed(_set("tolerance", [])), "tolerance is an empty list, not an object"),
    ("abs a string", _test_changed(_set("tolerance", {"rule": "exact", "ulp": 0, "signedZero": False, "abs": "x"})),
     "tolerance.abs is the string 'x', not a float object"),
    ("flags a string", _test_changed(_set("flags", "random")), "flags is the string 'random', not a list of strings"),
    ("expected missing", _test_changed(_set("expected", KeyError)), "a valid test needs an expected value"),
    ("expected a string", _test_changed(_set("expected", "1.0")), "expected is the string '1.0', not a float object"),
    ("bad bits", _test_changed(_set("expected", [{"bits": "3ff0"}])), "expected[0]: bits '3ff0' has 4 digits; a float64"),
    ("dec and hex differ", _test_changed(_set("expected", {"dec": "1.0", "hex": "0x1.8p+0"})),
     "expected: hex '0x1.8p+0' (1.5) and dec '1.0' (1.0) name different floats"),
    ("input nested too deep", _test_changed(_set("inputs", {"x": json.loads(deep(40, '{"dec": "1.0"}'))})),
     "lists nested more than 32 deep, deeper than any array"),
    ("shape too big", _test_changed(_set("inputs", {"x": {"shape": [10 ** 12, 0], "values": []}})),
     "stands for more than 1000000 lists"),
    ("alternatives an object", _test_changed(_set("alternatives", {})), "alternatives is an empty object, not a list"),
    ("accumulators wrong", _test_changed(_set("tolerance", {"rule": "dense", "ulp": 0, "signedZero": False,
                                                            "accumulators": {"float8": {"abs": 1.0}}})),
     "tolerance.accumulators.float8 is an object with keys abs"),
    ("tcId twice", _document_with(testGroups=[{"tests": [all_tests(RELU)[0], all_tests(RELU)[0]]}]),
     "tcId 1 appears twice"),
]


def test_files_that_are_not_documents_exit_2_naming_the_file_and_the_place(tmp_path):
    good_vectors = json.dumps(RELU)
    pairs = [(good_vectors, text) for _, text, _ in BAD_RESULTS] + \
            [(text, json.dumps(GOOD_RESULTS)) for _, text, _ in BAD_VECTORS]
    outcomes, jobs = check_many(tmp_path, pairs)
    for i, ((what, _, words), (code, out, err)) in enumerate(zip(BAD_RESULTS + BAD_VECTORS, outcomes)):
        vectors_path, results_path = jobs[i]
        path = results_path if i < len(BAD_RESULTS) else vectors_path      # the file at fault
        assert code == 2 and out == "", (what, code, out, err)
        assert err.startswith("nnref check: error: %s: " % path), (what, err)
        assert words in err and err.count("\n") == 1, (what, err)


@pytest.mark.parametrize("what,text,words", BAD_RESULTS[:8] + BAD_RESULTS[12:16])
def test_check_files_raises_a_vector_format_error_naming_the_file(tmp_path, what, text, words):
    vectors_path = tmp_path / "relu.json"
    vectors_path.write_text(json.dumps(RELU))
    results_path = tmp_path / "r.json"
    results_path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(conformance.VectorFormatError) as info:
        conformance.check_files(str(vectors_path), str(results_path))
    assert str(info.value).startswith(str(results_path) + ": ") and words in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("what,text,words", BAD_VECTORS)
def test_check_documents_refuses_vectors_that_are_not_vectors(what, text, words):
    document = json.loads(text)
    with pytest.raises(conformance.VectorFormatError) as info:
        conformance.check_documents(document, GOOD_RESULTS, vectors_path="v.json")
    assert str(info.value).startswith("v.json: ") and words in str(info.value), str(info.value)


def test_run_refuses_a_vectors_folder_whose_file_is_not_vectors(tmp_path):
    (tmp_path / "relu.json").write_text(BAD_VECTORS[16][1])            # an argument missing
    with pytest.raises(conformance.VectorFormatError) as info:
        conformance.run({"relu": nnref.relu}, vectors_dir=str(tmp_path))
    assert "inputs has no 'x'" in str(info.value)


# --- outputs of any type, in a well-formed file -----------------------------------------------

# (output for relu tcId 1, an 8-vector; words its reason must hold)
HOSTILE_OUTPUTS = [
    (10 ** 400, "output is an integer of 401 digits, too large for a float"),
    ([10 ** 400] * 8, "output[0] is an integer of 401 digits, too large for a float"),
    (json.loads(deep(40)), "lists nested more than 32 deep, deeper than any array"),
    (json.loads(deep(900)), "lists nested more than 32 deep"),
    ([[1.0]] * 8, "shape differs at [0]: expected a number, got (1)"),
    ({"value": [1.0]}, "output is an object with keys value, not a float object"),
    ({"X": [], "y": []}, "shape differs at the top level: expected (8), got a dict with keys X, y"),
    (None, "the output is null; expected a result"),
    ("1.0", "output is the string '1.0', not a float object"),
    (True, "output is true, not a float"),
    ([True] * 8, "output[0] is true, not a float"),
    ([None] * 8, "output[0] is null, not a float object"),
    ({"dec": 5}, "output: dec 5 is not a string"),
    ({"hex": "0x1.zzp+0"}, "output: hex value '0x1.zzp+0' has bad digits"),
    ({"bits": "3ff0"}, "output: bits '3ff0' has 4 digits; a float64 bit pattern has 16"),
    ({"shape": "8", "values": []}, "output: shape is the string '8', not a list of sizes"),
    ({"shape": [10 ** 30, 0], "values": []}, "stands for more than 1000000 lists"),
    ({"shape": [8], "values": [1.0]}, "output: shape (8,) holds 8 values, and values has 1"),
    ({"shape": [4, 2], "values": [0.0] * 8}, "shape differs: expected (8,), got (4, 2)"),
    ({"error": "ValueError: no"}, "raised ValueError: no"),
    ({"unsupported": "not here"}, "unsupported: not here"),
    ([], "shape differs at the top level: expected (8), got (0)"),
    (1.5, "shape differs at the top level: expected (8), got 1.5"),
]


def test_every_hostile_output_fails_its_own_case_and_the_run_goes_on(tmp_path):
    huge = json.dumps(GOOD_RESULTS).replace('"output": {"error": "ValueError"}',
                                            '"output": %s' % ("7" * 5000), 1)   # tcId 29, an invalid case
    pairs = []
    for output, _ in HOSTILE_OUTPUTS:
        results = copy(GOOD_RESULTS)
        all_tests(results)[0]["output"] = output
        pairs.append((json.dumps(RELU), json.dumps(results)))
    pairs.append((json.dumps(RELU), huge))
    outcomes, _ = check_many(tmp_path, pairs)
    words = [w for _, w in HOSTILE_OUTPUTS] + ["output is an integer of 5000 digits, too large for a float"]
    for (code, out, err), expected in zip(outcomes, words):
        assert code == 1 and err == "", (expected, out, err)
        lines = out.splitlines()
        assert lines[-1] == "FAILED: 1 case(s) outside the allow-list", (expected, out)
        assert expected in lines[2], (expected, lines[2])
        assert lines[1].split()[1:3] == ["33", "32"], (expected, lines[1])


@pytest.mark.parametrize("output,words", HOSTILE_OUTPUTS)
def test_hostile_outputs_through_check_documents(output, words):
    results = copy(GOOD_RESULTS)
    all_tests(results)[0]["output"] = output
    result = conformance.check_documents(RELU, results)
    assert result.cases == 33 and result.passed == 32
    [failure] = result.failures
    assert failure.tc_id == 1 and words in failure.reason, failure.reason


def test_a_hostile_output_of_an_invalid_case_says_an_error_was_expected():
    results = copy(GOOD_RESULTS)
    for output, words in (("ragged", "an output that cannot be read: output is the string 'ragged'"),
                          ({"value": 1}, "an output that cannot be read: output is an object with keys value"),
                          (10 ** 400, "an output that cannot be read: output is an integer of 401 digits")):
        [t for t in all_tests(results) if t["tcId"] == 29][0]["output"] = output
        [failure] = conformance.check_documents(RELU, results).failures
        assert failure.tc_id == 29 and words in failure.reason and "nnref raises ValueError" in failure.reason, \
            failure.reason


# --- hostile implementations through run() ------------------------------------------------------

class _Raising(object):
    def tolist(self):
        raise RuntimeError("tolist failed")


class _BadList(list):
    def __iter__(self):
        raise RuntimeError("cannot iterate")


class _BadFloat(float):
    def __float__(self):
        raise RuntimeError("no float")

    def __repr__(self):
        raise RuntimeError("no repr")


def _self_referencing():
    value = [1.0]
    value.append(value)
    return value


# (what the implementation returns, words the reason of relu tcId 1 holds, of tcId 3 (a number))
HOSTILE_RETURNS = [
    (lambda x: None, "shape differs at the top level: expected (8), got None", "output is None, not a number"),
    (lambda x: "abc", "got the string 'abc'", "output is the string 'abc', not a number"),
    (lambda x: 10 ** 400, "got an int of 401 digits", "output is an int of 401 digits, too large for a float"),
    (lambda x: _self_referencing(), "nested more than 32 deep (a list that holds itself?)",
     "nested more than 32 deep (a list that holds itself?)"),
    (lambda x: _Raising(), "reading the output raised RuntimeError: tolist failed",
     "reading the output raised RuntimeError: tolist failed"),
    (lambda x: _BadList([1.0]), "reading the output raised RuntimeError: cannot iterate",
     "reading the output raised RuntimeError: cannot iterate"),
    (lambda x: {"a": 1}, "got a dict with keys a", "output is a dict with keys a, not a number"),
    (lambda x: (v for v in [1.0]), "got a generator object", "output is a generator object, not a number"),
    (lambda x: True, "got True", "output is True, not a number"),
    (lambda x: [_BadFloat(1.0)] * 8 if isinstance(x, list) else _BadFloat(0.0),
     "the output could not be checked: RuntimeError: no float", "the output could not be checked"),
]


@pytest.mark.parametrize("function,vector_words,number_words", HOSTILE_RETURNS)
def test_run_reports_what_an_implementation_returned_and_goes_on(function, vector_words, number_words):
    report = conformance.run({"relu": function, "step": nnref.step})
    step, relu = report.results                   # in file order
    assert (step.op, relu.op) == ("step", "relu")
    assert relu.cases == 33 and step.cases == 33 and step.failures == [], str(report)
    reasons = dict((f.tc_id, f.reason) for f in relu.failures)
    assert vector_words in reasons[1], reasons[1]
    assert number_words in reasons[3], reasons[3]
    assert reasons[29].startswith("expected an error (nnref raises ValueError), got ")
    str(report)                                   # the table prints, too


def test_run_stops_reading_an_output_that_is_too_big(monkeypatch):
    monkeypatch.setattr(_run, "MAX_ELEMENTS", 1000)
    wide = [1.0]
    for _ in range(20):                           # 2**20 leaves, through shared lists
        wide = [wide, wide]
    report = conformance.run({"relu": lambda x: wide})
    assert "the output has more than 1000 elements" in report.failures[0].reason


def test_an_implementation_raising_anything_is_an_error_not_a_crash():
    class Odd(Exception):
        def __str__(self):
            raise RuntimeError("no message")

    def raising(x):
        raise Odd()

    report = conformance.run({"relu": raising})
    assert report.results[0].passed == 1                      # the ragged batch: an error is right
    assert report.failures[0].reason == "raised Odd: (its message cannot be shown)"


# --- fuzzing -------------------------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10 ** 400, max_value=10 ** 400)
    | st.floats(allow_nan=False) | st.text(max_size=8)
    | st.sampled_from([{"dec": "1.0"}, {"bits": "3ff0000000000000"}, {"hex": "0x1p+0"}]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["dec", "hex", "bits", "shape", "values", "X", "y", "error", "unsupported", "tcId",
                         "output", "tests", "testGroups", "z"]), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON)
def test_any_json_output_fails_or_passes_its_case_and_nothing_else(output):
    results = copy(GOOD_RESULTS)
    all_tests(results)[0]["output"] = output
    result = conformance.check_documents(RELU, results)
    assert result.cases == 33 and result.passed >= 32
    for failure in result.failures:
        assert failure.tc_id == 1 and failure.reason


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON)
def test_any_json_document_is_results_or_a_vector_format_error(document):
    try:
        result = conformance.check_documents(RELU, document)
    except conformance.VectorFormatError as error:
        assert str(error).startswith("results: ")
    else:
        assert result.cases == 33


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON)
def test_any_json_document_as_vectors_is_vectors_or_a_vector_format_error(document):
    try:
        conformance.check_documents(document, GOOD_RESULTS)
    except conformance.VectorFormatError as error:
        assert str(error).startswith("vectors: ")


_PYTHON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10 ** 400, max_value=10 ** 400) | st.floats()
    | st.text(max_size=4) | st.builds(object) | st.complex_numbers(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=2), inner,
                                                                                        max_size=2),
    max_leaves=10)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PYTHON)
def test_any_python_value_returned_fails_or_passes_its_cases(value):
    report = conformance.run({"step": lambda x: value})
    assert report.results[0].cases == 33
    assert all(f.reason for f in report.failures)
