"""The rules of ``check`` and ``conformance.run`` from issue 13, each with a failing case.

Every rule is shown twice: a broken results file (or implementation) that the
rule catches, and the sound one, which passes.  The broken ones are the
mistakes the issue found: a results file without its invalid cases' error
records, a folder missing a file, duplicate tcIds, a batch-only port.
"""

import json
import os
import re
import subprocess
import sys

import pytest

import nnref
from nnref import conformance
from nnref.conformance._data import ALLOWLIST, VECTORS_DIR

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def vectors(op, dtype="float64"):
    return conformance.load(os.path.join(VECTORS_DIR, conformance.file_name(op, dtype)))


def all_tests(document):
    return [t for g in document["testGroups"] for t in g["tests"]]


def write_json(path, document):
    with open(str(path), "w") as handle:
        json.dump(document, handle)
    return str(path)


def run_check(*args):
    proc = subprocess.run([sys.executable, "-m", "nnref", "check"] + [str(a) for a in args], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


def row(text, label):
    """(cases, passed, allowed, failed, unsupported) of a table row."""
    match = re.search(r"^%s\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s" % re.escape(label), text, re.M)
    assert match, text
    return tuple(int(g) for g in match.groups())


def nan_losing_results(document):
    """The results of a relu that turns NaN into 0 (tcIds 23 and 24 in float64)."""
    results = conformance.as_results(document)
    for test in all_tests(results):
        test["output"] = _no_nan(test["output"])
    return results


def _no_nan(value):
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    if isinstance(value, dict) and value.get("dec") == "nan":
        return {"bits": "0000000000000000"}
    return value


# --- the case: the vectors with expected renamed to output -------------------------

def renamed(document):
    """The vectors file with "expected" renamed to "output", as a porter would start."""
    results = json.loads(json.dumps(document))
    for test in all_tests(results):
        test["output"] = test.pop("expected")
    return results


def test_invalid_cases_with_a_null_output_say_an_error_record_was_expected():
    document = vectors("relu")
    result = conformance.check_documents(document, renamed(document))
    assert [(f.tc_id, f.reason) for f in result.failures] == [
        (29, 'expected an error record {"error": "..."} (nnref raises ValueError), got null')]
    # The sound file: an error record, of any wording, in place of the null.
    results = renamed(document)
    for test in all_tests(results):
        if test["result"] == "invalid":
            test["output"] = {"error": "IllegalArgumentException"}
    assert conformance.check_documents(document, results).failures == []


@pytest.mark.parametrize("record", [{"error": ""}, {"error": "ValueError: ragged"}, {"error": 42},
                                    {"error": None}, {"error": "x", "detail": [1, 2]}])
def test_any_error_record_passes_an_invalid_case(record):
    document = vectors("softmax", "float32")
    results = conformance.as_results(document)
    for test in all_tests(results):
        if test["result"] == "invalid":
            test["output"] = record
    result = conformance.check_documents(document, results)
    assert result.failures == [] and result.passed == result.cases


def test_a_missing_or_absent_output_of_an_invalid_case_says_what_was_expected(tmp_path):
    document = vectors("sigmoid", "float16")
    results = conformance.as_results(document)
    tests = all_tests(results)
    invalid = [t for t in tests if t["result"] == "invalid"][0]       # tcId 32
    del invalid["output"]
    results["testGroups"][-1]["tests"] = [t for t in results["testGroups"][-1]["tests"]
                                          if t["tcId"] != 37]           # tcId 37 absent
    tests[0]["output"] = None
    path = write_json(tmp_path / "r.json", results)
    report = conformance.check_files(write_json(tmp_path / "v.json", document), path)
    reasons = dict((f.tc_id, f.reason) for f in report.failures)
    assert reasons == {
        1: "the output is null; expected a result",
        32: 'no output in %s; expected an error record {"error": "..."} (nnref raises ValueError)' % path,
        37: "no tcId 37 in %s" % path}
    tests_by_id = dict((t["tcId"], t) for t in all_tests(document))
    assert tests_by_id[32]["result"] == "invalid" and tests_by_id[37]["result"] == "valid"


def test_a_result_for_an_invalid_case_names_it():
    document = vectors("dense")
    results = conformance.as_results(document)
    ragged = [t for t in all_tests(results) if t["comment"] == "ragged inputs"][0]
    ragged["output"] = [[{"dec": "1.0"}]]
    [failure] = conformance.check_documents(document, results).failures
    assert failure.tc_id == ragged["tcId"]
    assert failure.reason == 'expected an error record {"error": "..."} (nnref raises ValueError), ' \
                             'got a result: [[1.0]]'


def test_run_says_what_an_invalid_case_got():
    def lenient(x):                                                 # accepts a ragged batch
        try:
            return nnref.relu(x)
        except ValueError:
            return x
    [failure] = conformance.run({"relu": lenient}).failures
    assert failure.reason == "expected an error (nnref raises ValueError), got a result: [[1.0, 2.0], [3.0]]"


# --- duplicate tcIds ------------------------------------------------------------------------

def test_duplicate_tcids_in_a_results_file_are_an_error_naming_them(tmp_path):
    document = vectors("step")
    vectors_path = write_json(tmp_path / "step.json", document)
    results = conformance.as_results(document)
    group = results["testGroups"][0]
    by_id = dict((t["tcId"], t) for t in all_tests(results))
    extra = [dict(by_id[2]), dict(by_id[4]), dict(by_id[4])]
    extra[0]["output"] = {"bits": "0000000000000000"}                # a different answer for tcId 2
    group["tests"].extend(extra)
    path = write_json(tmp_path / "results.json", results)
    with pytest.raises(conformance.VectorFormatError) as info:
        conformance.check_files(vectors_path, path)
    assert str(info.value) == "%s: tcId 2, 4 appear more than once" % path
    code, out, err = run_check(vectors_path, path)
    assert (code, out, err) == (2, "", "nnref check: error: %s: tcId 2, 4 appear more than once\n" % path)
    del group["tests"][-3:]
    assert run_check(vectors_path, write_json(tmp_path / "results.json", results))[0] == 0


def test_duplicate_tcids_in_vectors_are_an_error_too(tmp_path):
    document = vectors("step")
    document["testGroups"][1]["tests"][0]["tcId"] = 1
    code, _, err = run_check(write_json(tmp_path / "v.json", document),
                             write_json(tmp_path / "r.json", conformance.as_results(document)))
    assert code == 2 and "testGroups[1].tests[0]: tcId 1 appears twice" in err


# --- folders: every vectors file without results is reported ------------------------------

def _folders(tmp_path, names, results_for):
    v, r = tmp_path / "v", tmp_path / "r"
    v.mkdir()
    r.mkdir()
    for op, dtype in names:
        document = vectors(op, dtype)
        name = conformance.file_name(op, dtype)
        write_json(v / name, document)
        if (op, dtype) in results_for:
            write_json(r / name, conformance.as_results(document))
    return v, r


def test_a_folder_run_reports_every_vectors_file_without_results(tmp_path):
    names = [("relu", "float64"), ("softmax", "float64"), ("relu", "float16"), ("dense", "float16")]
    v, r = _folders(tmp_path, names, [("relu", "float64"), ("relu", "float16")])
    report = conformance.check_files(str(v), str(r))
    assert not report.ok and report.failures == []
    assert [(m.op, m.dtype) for m in report.missing] == [("softmax", "float64"), ("dense", "float16")]
    code, out, err = run_check(v, r)
    assert code == 1, out + err
    assert re.search(r"^softmax\s+-\s+-\s+-\s+-\s+-\s+-\s+MISSING: no results file \(softmax\.json or "
                     r"softmax\.lines in .*\)$", out, re.M), out
    assert "dense.float16" in out and out.splitlines()[-1] == "FAILED: 2 vectors file(s) without results"
    with pytest.raises(conformance.ConformanceError) as info:
        report.raise_for_failures()
    assert "softmax: no results file" in str(info.value)
    # --ops and --dtype narrow the run to what the port implements
    assert run_check(v, r, "--ops", "relu")[0] == 0
    code, out, _ = run_check(v, r, "--dtype", "float16")
    assert code == 1 and "dense.float16" in out and "softmax" not in out
    code, out, _ = run_check(v, r, "--dtype", "float16", "--ops", "relu")
    assert code == 0 and re.findall(r"^relu\S*", out, re.M) == ["relu.float16"]
    # the sound folder
    write_json(r / "softmax.json", conformance.as_results(vectors("softmax")))
    write_json(r / "dense.float16.json", conformance.as_results(vectors("dense", "float16")))
    assert run_check(v, r)[0] == 0


def test_a_results_file_of_the_other_dtype_or_operation_is_refused(tmp_path):
    document = vectors("relu", "float32")
    other = conformance.as_results(vectors("relu", "float16"))
    code, _, err = run_check(write_json(tmp_path / "v.json", document), write_json(tmp_path / "r.json", other))
    assert code == 2 and "the results are in 'float16', the vectors" in err
    other = conformance.as_results(vectors("step", "float32"))
    code, _, err = run_check(tmp_path / "v.json", write_json(tmp_path / "r.json", other))
    assert code == 2 and "the results are for 'step'" in err


# --- unsupported --------------------------------------------------------------------------

def test_unsupported_outputs_are_counted_apart_and_fail_unless_allowed(tmp_path):
    document = vectors("softmax")
    results = conformance.as_results(document)
    scalar = [t for t in all_tests(results) if "scalar-input" in t["flags"]]
    assert [t["tcId"] for t in scalar] == [33]
    scalar[0]["output"] = {"unsupported": "batches of rows only"}
    v = write_json(tmp_path / "softmax.json", document)
    r = write_json(tmp_path / "results.json", results)
    code, out, _ = run_check(v, r)
    assert code == 1 and row(out, "softmax") == (39, 38, 0, 0, 1)
    assert "softmax #33 UNSUPPORTED [scalar-input]: a plain number has no row -- unsupported: " \
           "batches of rows only" in out
    assert re.search(r"\s+unsupported: 33$", out.splitlines()[1]), out
    allow = write_json(tmp_path / "allow.json", {"entries": [
        {"op": "softmax", "flag": "scalar-input", "reason": "a batch-only API"}]})
    code, out, _ = run_check(v, r, "--allowlist", allow)
    assert code == 0 and row(out, "softmax") == (39, 38, 1, 0, 0)
    assert "softmax #33 allowed (a batch-only API)" in out and out.splitlines()[-1] == "OK"


def test_run_reports_an_implementation_that_raises_unsupported():
    def batch_only(x):
        if not isinstance(x, list) or not all(isinstance(row, list) for row in x):
            raise conformance.Unsupported("batches of rows only")
        return nnref.softmax(x)

    report = conformance.run({"softmax": batch_only})
    assert not report.ok and report.unexpected == report.unsupported
    assert all(f.reason == "unsupported: batches of rows only" for f in report.unsupported)
    assert "softmax #1 UNSUPPORTED" in str(report)
    # Wrapping the scalar into a batch instead turns a must-fail case into a failure.
    def wrapping(x):
        return nnref.softmax(x) if isinstance(x, list) else nnref.softmax([x])[0]
    wrapped = conformance.run({"softmax": wrapping})
    assert [f.tc_id for f in wrapped.failures] == [33] and not wrapped.failures[0].unsupported
    # The input forms a port does not take, allowed case by case.
    allow = [{"op": "softmax", "tcId": f.tc_id, "reason": "batch-only"} for f in report.unsupported]
    assert conformance.run({"softmax": batch_only}, allow=allow).ok
    assert isinstance(conformance.Unsupported("x"), Exception)
    assert not isinstance(conformance.Unsupported("x"), ValueError)


# --- allow-lists --------------------------------------------------------------------------

def test_check_with_an_allowlist_counts_allowed_failures_apart_and_exits_0(tmp_path):
    document = vectors("relu")
    v = write_json(tmp_path / "relu.json", document)
    r = write_json(tmp_path / "results.json", nan_losing_results(document))
    code, out, _ = run_check(v, r)
    assert code == 1 and row(out, "relu") == (33, 31, 0, 2, 0)
    entries = [{"op": "relu", "flag": "nan-propagation", "reason": "max(0, x) loses NaN"}]
    allow = write_json(tmp_path / "allow.json", {"entries": entries})
    code, out, _ = run_check(v, r, "--allowlist", allow)
    assert code == 0 and row(out, "relu") == (33, 31, 2, 0, 0), out
    assert "relu #23 allowed (max(0, x) loses NaN)" in out and "allowed: 23 24" in out
    # An entry for another dtype, or for the wrong case, covers nothing
    for entry in ({"op": "relu", "flag": "nan-propagation", "reason": "x", "dtype": "float16"},
                  {"op": "relu", "tcId": 23, "reason": "only one"},
                  {"op": "sigmoid", "flag": "nan-propagation", "reason": "another op"}):
        code, out, _ = run_check(v, r, "--allowlist", write_json(tmp_path / "allow.json", {"entries": [entry]}))
        assert code == 1, entry
    # "*" and a library (read by crosscheck only) are fine
    entries = [{"library": "mine", "op": "*", "flag": "nan-propagation", "reason": "NaN"}]
    code, out, _ = run_check(v, r, "--allowlist", write_json(tmp_path / "allow.json", {"entries": entries}))
    assert code == 0, out


def test_check_notes_the_entries_that_covered_nothing(tmp_path):
    document = vectors("relu")
    v = write_json(tmp_path / "relu.json", document)
    r = write_json(tmp_path / "results.json", conformance.as_results(document))
    entries = [{"op": "relu", "flag": "nan-propagation", "reason": "stale"},
               {"op": "softmax", "flag": "empty", "reason": "not checked in this run"}]
    code, out, _ = run_check(v, r, "--allowlist", write_json(tmp_path / "allow.json", {"entries": entries}))
    assert code == 0
    notes = [line for line in out.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and '"reason": "stale"' in notes[0]


def test_the_packages_allowlist_reads_in_check_and_crosscheck_alike(tmp_path):
    # One reader: the crosscheck file is a valid --allowlist (library is optional there).
    entries = conformance.load_allowlist(ALLOWLIST)
    assert entries and all(e["dtype"] in conformance.DTYPES for e in entries)
    from nnref.cli import conformance as cli
    assert cli.load_allowlist(ALLOWLIST) == entries
    document = vectors("dense")
    v = write_json(tmp_path / "dense.json", document)
    r = write_json(tmp_path / "r.json", conformance.as_results(document))
    assert run_check(v, r, "--allowlist", ALLOWLIST)[0] == 0
    # but crosscheck needs the library
    path = write_json(tmp_path / "nolib.json", {"entries": [{"op": "relu", "tcId": 1, "reason": "x"}]})
    with pytest.raises(ValueError) as info:
        cli.load_allowlist(path)
    assert "entries[0] needs library, op, reason and one of flag or tcId" in str(info.value)
    assert conformance.load_allowlist(path)[0]["dtype"] == "float64"


@pytest.mark.parametrize("document,message", [
    ({"entries": [{"op": "relu", "reason": "no flag, no tcId"}]}, "entries[0] needs op, reason and one of flag or tcId"),
    ({"entries": [{"op": "relu", "flag": "x", "tcId": 1, "reason": "both"}]}, "entries[0] needs op"),
    ({"entries": [{"op": "tanh", "flag": "x", "reason": "r"}]}, "entries[0] has op 'tanh'"),
    ({"entries": [{"op": "relu", "flag": "x", "reason": "r", "dtype": "float8"}]}, "entries[0] has dtype 'float8'"),
    ({"entries": [{"op": "relu", "tcId": "3", "reason": "r"}]}, "entries[0] has tcId the string '3', not an integer"),
    ({"entries": [{"op": "relu", "tcId": True, "reason": "r"}]}, "has tcId true, not an integer"),
    ({"entries": ["relu"]}, "entries[0] is the string 'relu', not an object"),
    ({"entries": {"op": "relu"}}, "entries is an object with keys op, not a list"),
    ({"allow": []}, 'not an allow-list: no "entries"'),
    ([1, 2], "entries[0] is 1, not an object"),
])
def test_a_malformed_allowlist_is_a_usage_error_naming_the_file_and_entry(tmp_path, document, message):
    document_path = write_json(tmp_path / "allow.json", document)
    v = write_json(tmp_path / "relu.json", vectors("relu"))
    r = write_json(tmp_path / "r.json", conformance.as_results(vectors("relu")))
    code, out, err = run_check(v, r, "--allowlist", document_path)
    assert code == 2 and out == "" and err.startswith("nnref check: error: %s: " % document_path), err
    assert message in err and len(err.splitlines()) == 1, err
    with pytest.raises(ValueError):
        conformance.run({"relu": nnref.relu}, allow=document_path)


def test_an_allowlist_that_is_missing_or_not_json_is_a_usage_error(tmp_path):
    v = write_json(tmp_path / "relu.json", vectors("relu"))
    r = write_json(tmp_path / "r.json", conformance.as_results(vectors("relu")))
    code, out, err = run_check(v, r, "--allowlist", tmp_path / "nowhere.json")
    assert code == 2 and err == "nnref check: error: cannot read %s: No such file or directory\n" % (
        tmp_path / "nowhere.json")
    (tmp_path / "bad.json").write_text("{entries: []}")
    code, out, err = run_check(v, r, "--allowlist", tmp_path / "bad.json")
    assert code == 2 and err.startswith("nnref check: error: %s: not JSON: " % (tmp_path / "bad.json"))


def test_run_takes_an_allowlist_as_a_path_a_document_or_entries(tmp_path):
    def bad_relu(x):
        if isinstance(x, list):
            return [bad_relu(v) for v in x]
        return max(0.0, x)

    entries = [{"op": "relu", "flag": "nan-propagation", "reason": "NaN lost"},
               {"op": "relu", "flag": "shape-error", "reason": "ragged batches are not checked"}]
    path = write_json(tmp_path / "allow.json", {"entries": entries})
    assert not conformance.run({"relu": bad_relu}).ok
    for allow in (path, {"entries": entries}, entries, tuple(entries)):
        report = conformance.run({"relu": bad_relu}, allow=allow)
        assert report.ok and [f.allowed for f in report.failures] == ["NaN lost"] * 2 + \
            ["ragged batches are not checked"], allow
    assert not conformance.run({"relu": bad_relu}, allow=entries[:1]).ok
    with pytest.raises(TypeError):
        conformance.run({"relu": bad_relu}, allow=42)
    # a float64 entry does not cover float16 failures
    assert not conformance.run({"relu": bad_relu}, dtype="float16", allow=entries).ok
    f16 = [dict(e, dtype="float16") for e in entries]
    report = conformance.run({"relu": bad_relu}, dtype="float16", allow=f16)
    assert report.ok, str(report)
