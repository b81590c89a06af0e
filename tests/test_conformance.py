"""The conformance vectors, the checker and the cross-check machinery.

The vectors, every operation in every dtype, are generated once per session
(a few seconds); the committed ``nnref/conformance/vectors/`` folder (package
data) is checked to be exactly what ``python -m nnref vectors`` writes.  The
narrow dtypes' own cases, tolerances and checks are in
``test_conformance_dtypes.py``.  Expected values are checked against
independent sources: exact fractions for ``dense``, the NumPy/nnfs recordings
for the data sets, the issue's numbers for the chapter's softmax.
"""

import copy
import json
import math
import os
import re
import subprocess
import sys
from fractions import Fraction

import pytest

import nnref
from nnref import conformance
from nnref.conformance import _cases, _data, _format
from nnref.cli import conformance as cli
from nnref.rng import RandomState

from support import same

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VECTORS = os.path.join(ROOT, "nnref", "conformance", "vectors")
SCHEMA_DOC = os.path.join(ROOT, "docs", "conformance.schema.json")
ALLOWLIST = os.path.join(ROOT, "nnref", "conformance", "allowlist.json")
OPS = [op for op, _ in _format.OPERATIONS]
# Every vector file: (op, dtype) in file order.
FILES = [(op, dtype) for dtype in _format.DTYPES for op in _format.operations(dtype)]
_CACHE = {}


def generate_all():
    """(op, dtype) -> (document, text) as generated now; once per process."""
    if not _CACHE:
        for op, dtype in FILES:
            text = _format.dumps(_format.encode(_cases.build(op, dtype)))
            _CACHE[op, dtype] = (json.loads(text), text)
    return _CACHE


@pytest.fixture(scope="module")
def every_file():
    """(op, dtype) -> (document, text) for every vector file."""
    return generate_all()


@pytest.fixture(scope="module")
def generated(every_file):
    """op -> (document, text) of the float64 files."""
    return dict((op, every_file[op, "float64"]) for op in OPS)


# --- a small JSON Schema validator (the subset the schema uses) ----------------------

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_KNOWN_KEYWORDS = {"$schema", "$id", "title", "description", "definitions", "$ref", "type",
                   "properties", "required", "additionalProperties", "items", "enum", "pattern",
                   "minimum", "anyOf"}


def validate(value, schema, root, where="$"):
    """Return a list of error strings (empty if ``value`` conforms)."""
    unknown = set(schema) - _KNOWN_KEYWORDS
    if unknown:
        return ["%s: schema uses unsupported keywords %s" % (where, sorted(unknown))]
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        return validate(value, root["definitions"][name], root, where)
    if "anyOf" in schema:
        for option in schema["anyOf"]:
            if not validate(value, option, root, where):
                return []
        return ["%s: %s matches none of the anyOf options" % (where, _short(value))]
    errors = []
    if "type" in schema and not _TYPES[schema["type"]](value):
        return ["%s: %s is not of type %s" % (where, _short(value), schema["type"])]
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %s is not one of %s" % (where, _short(value), schema["enum"]))
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        errors.append("%s: %r does not match %s" % (where, value, schema["pattern"]))
    if "minimum" in schema and _TYPES["number"](value) and value < schema["minimum"]:
        errors.append("%s: %r is below %r" % (where, value, schema["minimum"]))
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                errors.append("%s: missing %r" % (where, key))
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                errors.extend(validate(item, properties[key], root, "%s.%s" % (where, key)))
            elif extra is False:
                errors.append("%s: unexpected key %r" % (where, key))
            elif isinstance(extra, dict):
                errors.extend(validate(item, extra, root, "%s.%s" % (where, key)))
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors.extend(validate(item, schema["items"], root, "%s[%d]" % (where, i)))
    return errors


def _short(value):
    text = json.dumps(value)
    return text if len(text) < 60 else text[:57] + "..."


def test_validator_can_fail():
    schema = _format.SCHEMA
    good = {"dec": "0.5", "hex": "0x1.0000000000000p-1", "bits": "3fe0000000000000"}
    assert validate(good, schema["definitions"]["float"], schema) == []
    assert validate({"dec": "0.5", "hex": "0x1.0000000000000p-1"}, schema["definitions"]["float"], schema)
    assert validate(dict(good, bits="3FE0000000000000"), schema["definitions"]["float"], schema)
    assert validate(dict(good, bits="3fe00"), schema["definitions"]["float"], schema)
    assert validate({"dec": "0.5"}, schema["definitions"]["float"], schema)
    assert validate({"dec": "0.5", "hex": "1.0"}, schema["definitions"]["float"], schema)
    assert validate({"dec": 0.5, "hex": "0x1p-1"}, schema["definitions"]["float"], schema)
    assert validate([good, [good]], schema["definitions"]["tree"], schema) == []
    assert validate([good, 0.5], schema["definitions"]["tree"], schema)
    assert validate({"shape": [0, 3], "values": []}, schema["definitions"]["tree"], schema) == []
    assert validate({"shape": [0, -3], "values": []}, schema["definitions"]["tree"], schema)
    assert validate({"shape": [0, 3]}, schema["definitions"]["tree"], schema)
    assert validate(good, schema["definitions"]["bound"], schema)          # bounds carry no bits
    assert validate({"tcId": 0}, schema["definitions"]["test"], schema)


@pytest.mark.parametrize("op,dtype", FILES)
def test_every_generated_file_matches_the_schema(every_file, op, dtype):
    document, _ = every_file[op, dtype]
    assert validate(document, _format.SCHEMA, _format.SCHEMA) == []


def test_the_schema_is_a_draft07_document_with_the_files_id(every_file):
    assert _format.SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    for key in FILES:
        assert every_file[key][0]["schema"] == _format.SCHEMA["$id"]


def test_every_operation_has_a_file_in_every_dtype():
    # Issue 12: the six activations and dense in all four dtypes; the data sets in
    # float64, and book mode's float32 spiral and vertical data.
    names = set(_format.file_name(op, dtype) for op, dtype in FILES)
    for dtype in ("float32", "float16", "bfloat16"):
        for op in ("step", "linear", "relu", "sigmoid", "softmax", "dense"):
            assert "%s.%s.json" % (op, dtype) in names
    assert set(op + ".json" for op in OPS) <= names
    assert {"spiral_data.float32.json", "vertical_data.float32.json"} <= names
    assert len(names) == 17 + 16 + 14 + 14   # four backward passes and four losses in every dtype


# --- determinism and the committed files ---------------------------------------------

def test_generation_is_byte_for_byte_deterministic(every_file):
    for op, dtype in FILES:
        again = _format.dumps(_format.encode(_cases.build(op, dtype)))
        assert again == every_file[op, dtype][1], (op, dtype)
        assert again.endswith("\n") and "\r" not in again


def test_committed_vectors_are_up_to_date(every_file):
    # Regenerate with `python -m nnref vectors --out nnref/conformance/vectors` when this fails.
    names = sorted(os.listdir(VECTORS))
    assert names == sorted([_format.file_name(op, dtype) for op, dtype in FILES] + [_format.SCHEMA_FILE])
    for op, dtype in FILES:
        with open(os.path.join(VECTORS, _format.file_name(op, dtype)), "rb") as handle:
            assert handle.read().decode("utf-8") == every_file[op, dtype][1], (op, dtype)
    schema_text = _format.dumps(_format.SCHEMA)
    for path in (os.path.join(VECTORS, _format.SCHEMA_FILE), SCHEMA_DOC):
        with open(path, "rb") as handle:
            assert handle.read().decode("utf-8") == schema_text, path


def test_the_vectors_command_writes_the_committed_files(tmp_path):
    out = str(tmp_path / "v")
    proc = subprocess.run([sys.executable, "-m", "nnref", "vectors", "--out", out, "--ops", "relu,dense"],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.returncode == 0, proc.stderr
    # Issue 12: --ops writes those operations in every dtype.
    assert sorted(os.listdir(out)) == sorted(["conformance.schema.json"] + [
        _format.file_name(op, dtype) for op in ("relu", "dense") for dtype in _format.DTYPES])
    for name in os.listdir(out):
        with open(os.path.join(out, name), "rb") as a, open(os.path.join(VECTORS, name), "rb") as b:
            assert a.read() == b.read(), name
    out = str(tmp_path / "w")
    proc = subprocess.run([sys.executable, "-m", "nnref", "vectors", "--out", out, "--ops", "relu,dense",
                           "--dtype", "float64"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(out)) == ["conformance.schema.json", "dense.json", "relu.json"]


# --- the float notation ------------------------------------------------------------

def _float_objects(value):
    if isinstance(value, dict):
        if set(value) in ({"dec", "hex"}, {"dec", "hex", "bits"}):
            yield value
        else:
            for item in value.values():
                for found in _float_objects(item):
                    yield found
    elif isinstance(value, list):
        for item in value:
            for found in _float_objects(item):
                yield found


def _expected_bits(x, dtype):
    # The IEEE pattern from struct (CPython's 'e' for float16; bfloat16 is the top half of
    # float32's, exactly, since the value is a bfloat16 value); NaN: the quiet NaN, sign clear.
    import struct
    if x != x:
        return {"float64": "7ff8000000000000", "float32": "7fc00000", "float16": "7e00",
                "bfloat16": "7fc0"}[dtype]
    if dtype == "float64":
        return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]
    if dtype == "float16":
        return "%04x" % struct.unpack("<H", struct.pack("<e", x))[0]
    n = struct.unpack("<I", struct.pack("<f", x))[0]
    return "%08x" % n if dtype == "float32" else "%04x" % (n >> 16)


def _data_floats(test):
    # The float objects of a test's inputs, expected value and alternatives (not its bounds).
    for part in [test["inputs"], test["expected"]] + test.get("alternatives", []):
        for obj in _float_objects(part):
            yield obj


def test_dec_and_hex_name_the_same_float_everywhere(every_file):
    count = 0
    for key in FILES:
        for obj in _float_objects(every_file[key][0]):
            from_dec, from_hex = float(obj["dec"]), float.fromhex(obj["hex"])
            assert same(from_dec, from_hex), obj
            assert conformance.parse_hex(obj["hex"]).hex() == from_hex.hex() or from_hex != from_hex
            assert obj["dec"] == repr(from_dec), obj
            count += 1
    assert count > 40000


def test_every_value_carries_its_bits_in_the_files_dtype_and_bounds_carry_none(every_file):
    count = 0
    for op, dtype in FILES:
        for test in _tests(every_file[op, dtype][0]):
            data = list(_data_floats(test))
            for obj in data:
                assert obj["bits"] == _expected_bits(float.fromhex(obj["hex"]), dtype), (op, dtype, obj)
                count += 1
            bounds = [o for o in _float_objects(test["tolerance"])]
            assert all("bits" not in o for o in bounds), (op, dtype, test["tcId"])
            # every float object of the test is one or the other
            assert len(data) + len(bounds) == len(list(_float_objects(test)))
    assert count > 30000


def test_arrays_with_an_empty_dimension_state_their_shape(every_file):
    # No bare [] operand or result anywhere; the dense zero-size operands have the shapes
    # nnref reads: (0, k) inputs, (0, m) weights, (0, m) results.
    def bare_empty(value):
        if isinstance(value, list):
            return value == [] or any(bare_empty(v) for v in value)
        if isinstance(value, dict) and "shape" not in value:
            return any(bare_empty(v) for v in value.values())
        return False

    shaped = {}
    for op, dtype in FILES:
        for test in _tests(every_file[op, dtype][0]):
            for part in ("inputs", "expected", "alternatives", "tolerance"):
                assert not bare_empty(test.get(part)), (op, dtype, test["tcId"], part)
            if op == "dense" and ("empty" in test["flags"] or "zero-size" in test["flags"]):
                shaped[dtype, test["comment"]] = test
    for dtype in _format.DTYPES:
        zero_n = shaped[dtype, "(0, 2) inputs give []"]
        assert zero_n["inputs"]["inputs"] == {"shape": [0, 2], "values": []}
        assert zero_n["expected"] == {"shape": [0, 2], "values": []}
        zero_k = shaped[dtype, "k = 0: every row is the biases"]
        assert zero_k["inputs"]["inputs"] == {"shape": [2, 0], "values": []}
        assert zero_k["inputs"]["weights"] == {"shape": [0, 2], "values": []}


def test_a_shaped_array_decodes_to_the_nested_lists_of_its_shape():
    decode = conformance.decode_tree
    assert decode({"shape": [0, 3], "values": []}) == []
    assert decode({"shape": [3, 0], "values": []}) == [[], [], []]
    assert decode({"shape": [2, 0, 5], "values": []}) == [[], []]
    assert decode({"shape": [1, 2, 0], "values": []}) == [[[], []]]
    assert decode({"shape": [], "values": [{"dec": "1.5"}]}) == 1.5
    values = [{"bits": "%04x" % (0x3c00 + i)} for i in range(6)]           # float16 1 + i/1024
    assert decode({"shape": [2, 3], "values": values}, dtype="float16") == [
        [1.0 + i / 1024.0 for i in range(3)], [1.0 + i / 1024.0 for i in range(3, 6)]]
    assert decode({"shape": [3, 2], "values": values}, dtype="float16")[2] == [1.0 + 4 / 1024.0,
                                                                              1.0 + 5 / 1024.0]


def test_special_values_are_spelled_out():
    assert _format.encode_float(float("nan")) == {"dec": "nan", "hex": "nan"}
    assert _format.encode_float(float("-inf")) == {"dec": "-inf", "hex": "-inf"}
    assert _format.encode_float(-0.0) == {"dec": "-0.0", "hex": "-0x0.0p+0"}
    assert _format.encode_float(5e-324) == {"dec": "5e-324", "hex": "0x0.0000000000001p-1022"}


@pytest.mark.parametrize("text", ["0x1.8p+0", "-0x1.fffffffffffffp+1023", "0x0.0000000000001p-1022",
                                  "0x1.00000000000008p+0", "0x1.00000000000018p+0", "0x10p-4", "0x1p-1075",
                                  "0x1.8p-1075", "-0x0.0p+0", "0x3.0p+0", "inf", "-inf"])
def test_parse_hex_agrees_with_float_fromhex(text):
    assert conformance.parse_hex(text).hex() == float.fromhex(text).hex()


def test_decode_float_rejects_disagreeing_dec_and_hex():
    with pytest.raises(conformance.VectorFormatError):
        conformance.decode_float({"dec": "0.1", "hex": "0x1.999999999999bp-4"})
    with pytest.raises(conformance.VectorFormatError):
        conformance.decode_float({"dec": "0.0", "hex": "-0x0.0p+0"})
    assert math.isnan(conformance.decode_float({"hex": "nan"}))


# --- the structure of the files ---------------------------------------------------------

def _tests(document):
    return [t for g in document["testGroups"] for t in g["tests"]]


def test_every_flag_in_notes_is_used_and_every_used_flag_is_explained(every_file):
    for op, dtype in FILES:
        document = every_file[op, dtype][0]
        used = set(flag for t in _tests(document) for flag in t["flags"])
        assert used == set(document["notes"]), (op, dtype)
        notes = _cases.flag_notes(dtype)
        for flag in used:
            assert document["notes"][flag] == notes[flag]
            if dtype == "float64":
                assert notes[flag] == _cases.FLAGS[flag]
    every = set(flag for op in OPS for flag in every_file[op, "float64"][0]["notes"])
    assert every == set(_cases.FLAGS)
    narrow = set(flag for op, dtype in FILES if dtype != "float64"
                 for flag in every_file[op, dtype][0]["notes"])
    assert set(_cases.NARROW_FLAGS) <= narrow <= set(_cases.FLAGS) | set(_cases.NARROW_FLAGS)


def test_every_flag_is_documented():
    with open(os.path.join(ROOT, "docs", "conformance.md")) as handle:
        text = handle.read()
    for flag in list(_cases.FLAGS) + list(_cases.NARROW_FLAGS):
        assert "| `%s` |" % flag in text, flag


def test_issue_flags_are_present(generated):
    every = set(flag for op in OPS for flag in generated[op][0]["notes"])
    for flag in ("nan-propagation", "signed-zero", "inf-input", "all-neginf-row", "naive-exp-overflow",
                 "subnormal", "empty", "shape-error"):
        assert flag in every


def test_test_ids_results_and_counts(every_file):
    for op, dtype in FILES:
        document = every_file[op, dtype][0]
        tests = _tests(document)
        assert [t["tcId"] for t in tests] == list(range(1, len(tests) + 1))
        assert document["numberOfTests"] == len(tests)
        assert document["operation"] == op and document["nnrefVersion"] == nnref.__version__
        assert document["dtype"] == dtype
        assert document["arguments"] == list(_format.ARGUMENTS[op])
        for t in tests:
            assert t["comment"]
            assert set(t["inputs"]) == set(document["arguments"])
            if t["result"] == "invalid":
                assert t["expected"] is None and t["exception"] in ("ValueError", "TypeError")
            else:
                assert t["expected"] is not None and "exception" not in t
            assert ("alternatives" in t) == (t["result"] == "acceptable")


def test_cases_cover_the_issue(generated):
    def comments(op):
        return " | ".join(t["comment"] for t in _tests(generated[op][0]))
    sigmoid_inputs = [conformance.decode_tree(t["inputs"]["x"]) for t in _tests(generated["sigmoid"][0])]
    flat = set()
    for x in sigmoid_inputs:
        flat.update(x if isinstance(x, list) and x and not isinstance(x[0], list) else [])
        if isinstance(x, float):
            flat.add(x)
    for value in (709.78, -709.78, 745.0, -745.0, 5e-324, float("inf"), -float("inf")):
        assert value in flat, value
    assert "softmax([4.8, 1.21, 2.385])" in comments("softmax")
    assert "1e16 + 1 - 1e16 = 1" in comments("dense")
    results = set(t["result"] for op in OPS for t in _tests(generated[op][0]))
    assert results == {"valid", "acceptable", "invalid"}


# --- expected values from independent sources ------------------------------------------

def _decoded(generated, op):
    return [conformance.decode_test(op, t) for t in _tests(generated[op][0])]


def test_dense_expected_values_are_the_rounded_exact_sums(generated):
    checked = 0
    for t in _decoded(generated, "dense"):
        inputs, weights, biases = (t["inputs"][k] for k in ("inputs", "weights", "biases"))
        if t["result"] == "invalid" or not inputs or not weights:
            continue
        values = [v for row in inputs + weights for v in row]
        bias = biases[0] if isinstance(biases[0], list) else biases
        if not all(math.isfinite(v) for v in values + bias):
            continue
        for i, row in enumerate(inputs):
            for j, b in enumerate(bias):
                exact = sum(Fraction(row[k]) * Fraction(weights[k][j]) for k in range(len(row))) + Fraction(b)
                got = t["expected"][i][j]
                if abs(exact) >= 2 ** 1024 - 2 ** 970:      # rounds past the largest float
                    assert got == (float("inf") if exact > 0 else -float("inf"))
                    continue
                assert got == float(exact), (t["tcId"], i, j)
                checked += 1
    assert checked > 90


def test_chapter_softmax_matches_the_book():
    t = _decoded({"softmax": (_format.encode(_cases.build("softmax")), None)}, "softmax")[0]
    for got, book in zip(t["expected"], [0.89528266, 0.02470831, 0.08000903]):
        assert abs(got - book) < 5e-9


def test_softmax_rows_sum_to_one_and_special_rows_are_nan(generated):
    for t in _decoded(generated, "softmax"):
        if t["result"] == "invalid" or not t["expected"]:
            continue
        rows = t["expected"] if isinstance(t["expected"][0], list) else [t["expected"]]
        inputs = t["inputs"]["x"] if isinstance(t["inputs"]["x"][0], list) else [t["inputs"]["x"]]
        for x, row in zip(inputs, rows):
            if not row:
                continue
            special = any(v != v or v == float("inf") for v in x) or all(v == -float("inf") for v in x)
            if special:
                assert all(v != v for v in row)
            else:
                assert abs(sum(Fraction(v) for v in row) - 1) <= Fraction(len(row), 2 ** 53)


def test_sigmoid_expected_values_against_closed_forms(generated):
    known = {0.0: 0.5, -0.0: 0.5, float("inf"): 1.0, -float("inf"): 0.0, -745.0: 5e-324, 1000.0: 1.0}
    seen = 0
    for t in _decoded(generated, "sigmoid"):
        x = t["inputs"]["x"]
        if isinstance(x, float) and x in known:
            assert t["expected"] == known[x]
            seen += 1
    assert seen >= 4


def _fixture(name):
    with open(os.path.join(ROOT, "tests", "fixtures", "datasets_float64.json")) as handle:
        return json.load(handle)[name]


@pytest.mark.parametrize("op,name", [("spiral_data", "spiral"), ("vertical_data", "vertical"),
                                     ("sine_data", "sine")])
def test_data_set_vectors_match_the_numpy_recordings(generated, op, name):
    recorded = dict(((r["samples"], r.get("classes"), r.get("seed")), r) for r in _fixture(name))
    matched = 0
    for t in _decoded(generated, op):
        key = (t["inputs"]["samples"], t["inputs"].get("classes"), t["inputs"].get("seed"))
        if t["result"] == "invalid" or key not in recorded:
            continue
        r = recorded[key]
        X = [v for row in t["expected"]["X"] for v in row]
        want = [float.fromhex(v) for row in r["X"] for v in (row if isinstance(row, list) else [row])]
        assert [v.hex() for v in X] == [v.hex() for v in want]
        if op == "sine_data":
            assert [v.hex() for row in t["expected"]["y"] for v in row] == r["y"]
        else:
            assert t["expected"]["y"] == r["y"]
        matched += 1
    assert matched >= 2


# --- the checker ---------------------------------------------------------------------

def _write(path, document):
    with open(path, "w") as handle:
        json.dump(document, handle)
    return path


def test_check_passes_the_vectors_own_expected_values(every_file, tmp_path):
    for op, dtype in FILES:
        document = every_file[op, dtype][0]
        accumulators = conformance.accumulators(dtype) if op == "dense" else [None]
        for accumulate in accumulators:
            result = conformance.check_documents(document, conformance.as_results(document),
                                                 accumulate=accumulate)
            assert result.failures == [] and result.passed == result.cases == document["numberOfTests"], \
                (op, dtype, accumulate)


def test_check_fails_naming_the_tcid_when_one_value_changes(generated, tmp_path):
    document = generated["softmax"][0]
    results = conformance.as_results(document)
    target = results["testGroups"][0]["tests"][0]     # tcId 1
    value = float.fromhex(target["output"][1]["hex"])
    changed = value * (1 + 2.0 ** -40)
    target["output"][1] = {"dec": repr(changed), "hex": changed.hex()}
    vectors_path = _write(str(tmp_path / "softmax.json"), document)
    results_path = _write(str(tmp_path / "results.json"), results)
    report = conformance.check_files(vectors_path, results_path)
    assert not report.ok and [f.tc_id for f in report.failures] == [1]
    proc = subprocess.run([sys.executable, "-m", "nnref", "check", vectors_path, results_path], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert proc.returncode == 1
    assert "softmax #1 FAIL" in proc.stdout and "at [1]" in proc.stdout
    assert re.search(r"^softmax\s+39\s+38\s+0\s+1\s", proc.stdout, re.M), proc.stdout


def test_check_of_folders_and_a_passing_cli_run(generated, tmp_path):
    (tmp_path / "v").mkdir()
    (tmp_path / "r").mkdir()
    for op in ("relu", "dense"):
        _write(str(tmp_path / "v" / (op + ".json")), generated[op][0])
        _write(str(tmp_path / "r" / (op + ".json")), conformance.as_results(generated[op][0]))
    proc = subprocess.run([sys.executable, "-m", "nnref", "check", str(tmp_path / "v"), str(tmp_path / "r")],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "OK"


def test_missing_outputs_errors_and_bad_notation_fail(generated):
    document = generated["relu"][0]
    results = conformance.as_results(document)
    tests = [t for g in results["testGroups"] for t in g["tests"]]
    del tests[0]["output"]                                  # tcId 1: no output
    tests[1]["output"] = {"error": "ValueError"}            # tcId 2: raised on valid input
    tests[2]["output"] = {"dec": "0.0", "hex": "0x1.0p+0"}  # tcId 3: dec and hex disagree
    invalid = [t for t in tests if t["result"] == "invalid"][0]
    invalid["output"] = [[1.0, 2.0], [3.0]]                 # accepted a ragged batch
    result = conformance.check_documents(document, results)
    assert sorted(f.tc_id for f in result.failures) == [1, 2, 3, invalid["tcId"]]


# --- comparison rules ------------------------------------------------------------------

def _case(expected, result="valid", alternatives=None, **tol):
    tolerance = {"rule": "exact", "ulp": 0, "signedZero": False}
    tolerance.update(tol)
    test = {"tcId": 1, "result": result, "expected": expected, "tolerance": tolerance}
    if alternatives is not None:
        test["alternatives"] = alternatives
    return test


def _passes(test, output):
    return conformance.check_case(test, ("value", output))[0]


def test_ulp_rel_and_abs_tolerances():
    one_up = 1.0 + 2.0 ** -52
    assert _passes(_case([1.0]), [1.0]) and not _passes(_case([1.0]), [one_up])
    assert _passes(_case([1.0], ulp=1), [one_up]) and not _passes(_case([1.0], ulp=1), [1.0 + 2.0 ** -51])
    # rel: |a - e| <= rel * |e|, exactly; one element's bound from a tree
    assert _passes(_case([1.0, 2.0], rel=[0.0, 2.0 ** -51]), [1.0, 2.0 + 2.0 ** -50])
    assert not _passes(_case([1.0, 2.0], rel=[2.0 ** -51, 0.0]), [1.0, 2.0 + 2.0 ** -51])
    assert _passes(_case([0.1], abs=1e-3), [0.1009]) and not _passes(_case([0.1], abs=1e-3), [0.1011])
    # the bound is exact, not rounded: 0.3 - 0.1 is not 0.2
    assert not _passes(_case([0.3], abs=0.1), [0.1 + 2.0 ** -60])


def test_nan_inf_signed_zero_and_shapes():
    nan, inf = float("nan"), float("inf")
    assert _passes(_case([nan]), [nan]) and not _passes(_case([nan], ulp=10, abs=1.0), [1.0])
    assert not _passes(_case([1.0], abs=1e300), [nan])
    assert not _passes(_case([1.7976931348623157e308], abs=1e300), [inf])
    assert _passes(_case([-0.0]), [0.0]) and not _passes(_case([-0.0], signedZero=True), [0.0])
    assert not _passes(_case([[1.0]]), [1.0]) and not _passes(_case([1.0, 2.0]), [1.0])
    assert not _passes(_case(1.0), True)


def test_acceptable_alternatives_and_invalid_cases():
    test = _case(-0.0, result="acceptable", alternatives=[0.0], signedZero=True)
    assert conformance.check_case(test, ("value", -0.0))[:1] == (True,)
    passed, _, _, via_alternative = conformance.check_case(test, ("value", 0.0))
    assert passed and via_alternative
    assert not _passes(test, 1.0)
    invalid = {"tcId": 2, "result": "invalid", "expected": None, "exception": "ValueError"}
    assert conformance.check_case(invalid, ("error", "RuntimeError: nope"))[0]
    assert not conformance.check_case(invalid, ("value", [1.0]))[0]


# --- run(impl) ----------------------------------------------------------------------------

def nnref_impl():
    from nnref import datasets
    return {
        "step": nnref.step, "linear": nnref.linear, "relu": nnref.relu, "sigmoid": nnref.sigmoid,
        "softmax": nnref.softmax, "dense": nnref.dense,
        "relu_backward": nnref.relu_backward, "sigmoid_backward": nnref.sigmoid_backward,
        "softmax_backward": nnref.softmax_backward, "dense_backward": nnref.dense_backward,
        "categorical_crossentropy": nnref.categorical_crossentropy,
        "categorical_crossentropy_backward": nnref.categorical_crossentropy_backward,
        "softmax_crossentropy_backward": nnref.softmax_crossentropy_backward,
        "accuracy": nnref.accuracy,
        "spiral_data": lambda n, k, seed: datasets.spiral_data(n, k, rng=RandomState(seed)),
        "vertical_data": lambda n, k, seed: datasets.vertical_data(n, k, rng=RandomState(seed)),
        "sine_data": datasets.sine_data,
    }


def test_nnref_itself_passes_every_case():
    report = conformance.run(nnref_impl(), vectors_dir=VECTORS)
    assert report.ok and not report.failures, str(report)
    assert [r.op for r in report.results] == OPS
    assert sum(r.cases for r in report.results) == sum(
        json.load(open(os.path.join(VECTORS, op + ".json")))["numberOfTests"] for op in OPS)


def test_run_reports_a_naive_sigmoid():
    def naive(x):
        if isinstance(x, list):
            return [naive(v) for v in x]
        try:
            return 1.0 / (1.0 + math.exp(-x))
        except OverflowError:
            return 0.0
    report = conformance.run({"sigmoid": naive})
    flags = set(f for failure in report.failures for f in failure.flags)
    assert not report.ok and "naive-exp-overflow" in flags
    with pytest.raises(conformance.ConformanceError) as info:
        report.raise_for_failures()
    assert "sigmoid:" in str(info.value) and "tcId" in str(info.value)


def test_run_accepts_tolist_results_and_rejects_unknown_ops():
    class Array(object):
        def __init__(self, value):
            self.value = value

        def tolist(self):
            return self.value

    report = conformance.run({"linear": lambda x: Array(nnref.linear(x))})
    assert report.ok, str(report)
    with pytest.raises(ValueError):
        conformance.run({"tanh": math.tanh})


# --- cross-checks ----------------------------------------------------------------------

def test_allowlist_entries_are_well_formed_and_point_at_real_cases(every_file):
    entries = cli.load_allowlist(ALLOWLIST)
    assert entries
    supported = cli.load_adapters().SUPPORTED
    for entry in entries:
        assert entry["library"] in cli.CROSSCHECK_LIBRARIES
        assert entry["dtype"] in supported[entry["library"]], entry
        dtype_ops = _format.operations(entry["dtype"])
        assert entry["op"] in dtype_ops or (entry["op"] == "*" and "flag" in entry)
        ops = dtype_ops if entry["op"] == "*" else [entry["op"]]
        tests = [t for op in ops for t in _tests(every_file[op, entry["dtype"]][0])]
        if "flag" in entry:
            assert any(entry["flag"] in t["flags"] for t in tests), entry
        else:
            assert entry["tcId"] in [t["tcId"] for t in tests], entry


class _FakeAdapters(object):
    def __init__(self, adapter):
        self.adapter = adapter


def test_crosscheck_applies_the_allowlist(monkeypatch, tmp_path):
    def fake_adapter(name, dtype):
        impl = nnref_impl()
        impl["sigmoid"] = lambda x: [0.0 if v < -709.78 else nnref.sigmoid(v) for v in x] \
            if isinstance(x, list) and x and not isinstance(x[0], list) else nnref.sigmoid(x)
        del impl["sine_data"]
        return impl, {"fake": "1.0"}

    monkeypatch.setattr(cli, "load_adapters", lambda path: _FakeAdapters(fake_adapter))
    allow = {"entries": [
        {"library": "fake", "op": "sigmoid", "flag": "naive-exp-overflow", "reason": "naive"},
        {"library": "fake", "op": "dense", "tcId": 31, "reason": "stale on purpose"}]}
    path = _write(str(tmp_path / "allow.json"), allow)
    report, stale = cli.crosscheck("fake", allowlist=path)
    assert report.ok, str(report)
    assert report.failures and all(f.allowed == "naive" for f in report.failures)
    assert [e["tcId"] for e in stale] == [31]
    assert "sine_data" in str(report) and "skipped" in str(report)
    path = _write(str(tmp_path / "none.json"), {"entries": []})
    report, _ = cli.crosscheck("fake", allowlist=path)
    assert not report.ok


def test_allowlist_entries_need_flag_or_tcid(tmp_path):
    path = _write(str(tmp_path / "bad.json"), {"entries": [{"library": "numpy", "op": "relu", "reason": "x"}]})
    with pytest.raises(ValueError):
        cli.load_allowlist(path)


def test_nnref_never_imports_the_libraries():
    code = ("import sys, nnref, nnref.conformance, nnref.cli.conformance\n"
            "nnref.cli.conformance.load_adapters()\n"
            "bad = [m for m in ('numpy', 'torch', 'onnx', 'jax') if m in sys.modules]\n"
            "sys.exit(1 if bad else 0)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT)
    assert proc.returncode == 0


def test_crosscheck_of_a_missing_library_says_so(monkeypatch, capsys):
    def missing(name, dtype):
        raise ImportError("No module named %r" % name)

    monkeypatch.setattr(cli, "load_adapters", lambda path: _FakeAdapters(missing))
    assert cli.main(["crosscheck", "jax"]) == 2
    assert "cannot import jax" in capsys.readouterr().err


def test_crosscheck_without_the_adapters_file_says_where_it_looked(tmp_path, capsys):
    missing = str(tmp_path / "nowhere.py")
    assert cli.main(["crosscheck", "numpy", "--adapters", missing]) == 2
    assert "nowhere.py" in capsys.readouterr().err


def test_the_vectors_and_the_allowlist_are_package_data():
    # The defaults are found beside the conformance package, not in a checkout...
    package = os.path.dirname(os.path.abspath(conformance.__file__))
    assert _data.VECTORS_DIR == os.path.join(package, "vectors") and os.path.isdir(_data.VECTORS_DIR)
    assert cli.DEFAULT_ALLOWLIST == _data.ALLOWLIST == os.path.join(package, "allowlist.json")
    # ... and setup.cfg ships every data file there, in the wheel and the sdist.
    import configparser
    import fnmatch
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(ROOT, "setup.cfg"))
    patterns = [p.strip() for p in re.split(r"[,\n]", cfg["options.package_data"]["nnref.conformance"])]
    folder = os.path.join(ROOT, "nnref", "conformance")
    data = [os.path.relpath(os.path.join(d, name), folder).replace(os.sep, "/")
            for d, _, names in os.walk(folder) for name in names
            if not name.endswith((".py", ".pyi", ".pyc")) and "__pycache__" not in d]
    assert sorted(data) == sorted(["allowlist.json", "vectors/" + _format.SCHEMA_FILE]
                                  + ["vectors/" + _format.file_name(op, dtype) for op, dtype in FILES])
    for name in data:
        assert any(fnmatch.fnmatch(name, p) for p in patterns if p), name


def test_the_adapters_ship_in_the_package():
    # So crosscheck works from an installed wheel, with no checkout around.
    from nnref.conformance import _adapters
    assert cli.DEFAULT_ADAPTERS is None
    module = cli.load_adapters()
    assert module is _adapters
    assert os.path.dirname(module.__file__) == os.path.join(ROOT, "nnref", "conformance")
    assert not os.path.exists(os.path.join(ROOT, "tools", "crosscheck_adapters.py"))
    assert module.LIBRARIES == cli.CROSSCHECK_LIBRARIES == ("numpy", "torch", "onnx", "onnxruntime", "jax")


def test_the_ci_job_cross_checks_every_library_in_its_dtypes_in_its_own_venv():
    with open(os.path.join(ROOT, "tools", "ci", "20-crosscheck.sh")) as handle:
        script = handle.read()
    assert "versions/3.11.7/bin/python" in script and "-m venv" in script
    assert "numpy torch==2.13.0 onnx onnxruntime jax jaxlib ml_dtypes pytest hypothesis" in script
    pairs = set(re.search(r'PAIRS="([^"]*)"', script).group(1).split())
    wanted = set("%s:%s" % (library, dtype) for library in cli.CROSSCHECK_LIBRARIES
                 for dtype in ("float64", "float32", "float16"))
    wanted |= set(["torch:bfloat16", "jax:bfloat16", "onnx:bfloat16"])
    assert pairs == wanted
    assert '-m nnref crosscheck "$library" --dtype "$dtype"' in script
    assert "-m pytest -q -p no:cacheprovider tests/peers" in script
