"""The conformance file format of issue 13: bits, explicit shapes, the line form.

Expected values come from outside the code under test: bit patterns from
``struct`` (and the bfloat16 rule "the top half of float32's"), the line form
from a parser written here from the grammar in docs/conformance.md, and the
one-liners of the docs compiled and run with the real C, JavaScript and Rust
toolchains where they are installed.
"""

import json
import os
import re
import shutil
import struct
import subprocess
import sys

import pytest

from nnref import conformance
from nnref.conformance import _format, _lines
from nnref.conformance._data import VECTORS_DIR

from support import same

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = [(op, dtype) for dtype in _format.DTYPES for op in _format.operations(dtype)]
WIDTH = {"float64": 16, "float32": 8, "float16": 4, "bfloat16": 4}


def vectors(op, dtype="float64"):
    return conformance.load(os.path.join(VECTORS_DIR, conformance.file_name(op, dtype)))


def all_tests(document):
    return [t for g in document["testGroups"] for t in g["tests"]]


def from_bits(text, dtype):
    # Independent of nnref: struct, and bfloat16 as the top half of a float32.
    n = int(text, 16)
    if dtype == "float64":
        return struct.unpack("<d", struct.pack("<Q", n))[0]
    if dtype == "float32":
        return struct.unpack("<f", struct.pack("<I", n))[0]
    if dtype == "float16":
        return struct.unpack("<e", struct.pack("<H", n))[0]
    return struct.unpack("<f", struct.pack("<I", n << 16))[0]


def run_check(*args):
    proc = subprocess.run([sys.executable, "-m", "nnref", "check"] + [str(a) for a in args], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    return proc.returncode, proc.stdout, proc.stderr


def write_json(path, document):
    with open(str(path), "w") as handle:
        json.dump(document, handle)
    return str(path)


# --- bits ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", _format.DTYPES)
def test_bits_round_trip_through_struct_for_special_values(dtype):
    fmt = _format.FORMATS[dtype]
    values = [0.0, -0.0, 1.0, -2.0, fmt.max_finite, -fmt.max_finite, fmt.smallest_subnormal,
              fmt.smallest_normal, float("inf"), float("-inf"), 0.5]
    for x in values:
        text = conformance.encode_bits(x, dtype)
        assert re.match("^[0-9a-f]{%d}$" % WIDTH[dtype], text), text
        assert same(from_bits(text, dtype), x), (dtype, x, text)
        assert same(conformance.decode_float({"bits": text}, dtype=dtype), x)
    assert conformance.encode_bits(float("nan"), dtype) == {
        "float64": "7ff8000000000000", "float32": "7fc00000", "float16": "7e00", "bfloat16": "7fc0"}[dtype]
    assert conformance.encode_bits(-float("nan"), dtype) == conformance.encode_bits(float("nan"), dtype)


def test_any_nan_pattern_reads_as_nan():
    for bits, dtype in (("fff8000000000001", "float64"), ("ffc00001", "float32"), ("7c01", "float16"),
                        ("ff81", "bfloat16")):
        value = conformance.decode_float({"bits": bits}, dtype=dtype)
        assert value != value


@pytest.mark.parametrize("obj,dtype,message", [
    ({"bits": "3f80"}, "float32", "bits '3f80' has 4 digits; a float32 bit pattern has 8"),
    ({"bits": "3ff0000000000000"}, "float16", "has 16 digits; a float16 bit pattern has 4"),
    ({"bits": "zz800000"}, "float32", "is not a string of hex digits"),
    ({"bits": ""}, "float32", "is not a string of hex digits"),
    ({"bits": 1065353216}, "float32", "bits 1065353216 is not a string"),
    ({"bits": "3c00"}, None, "4 digits, and no dtype to read them in"),
    ({"bits": "3f800000", "hex": "0x1.8p+0"}, "float32", "bits '3f800000' (1.0) and hex '0x1.8p+0' (1.5)"),
    ({"bits": "8000", "dec": "0.0"}, "float16", "bits '8000' (-0.0) and dec '0.0' (0.0)"),
    ({"dec": "1.0", "hex": "0x1.0000000000001p+0"}, "float64", "name different floats"),
    ({"dec": "1_0"}, None, "dec '1_0' is not a number"),
    ({"dec": " 1.0"}, None, "dec ' 1.0' is not a number"),
    ({"dec": "infinity"}, None, "is not a number"),
    ({"hex": "0x1.0p+99999999999999"}, None, "bad exponent"),
    ({"value": 1.0}, None, "an object with keys value, not a float object"),
])
def test_a_float_object_that_is_wrong_says_what_is_wrong(obj, dtype, message):
    with pytest.raises(conformance.VectorFormatError) as info:
        conformance.decode_float(obj, "output[0]", dtype)
    assert message in str(info.value) and str(info.value).startswith("output[0]")


def test_without_a_dtype_bits_are_read_where_their_width_says_the_format():
    assert conformance.decode_float({"bits": "3ff8000000000000"}) == 1.5
    assert conformance.decode_float({"bits": "3fc00000"}) == 1.5
    # 4 digits could be float16 or bfloat16: with hex or dec there, those are read
    assert conformance.decode_float({"bits": "3e00", "hex": "0x1.8p+0"}) == 1.5


def test_hex_and_dec_limits_never_overflow_or_hang():
    assert conformance.parse_hex("0x1p+9999") == float("inf")
    assert conformance.parse_hex("-0x1p-99999") == 0.0 and str(conformance.parse_hex("-0x1p-99999")) == "-0.0"
    assert conformance.parse_hex("0x" + "f" * 300 + "p-1200") == float.fromhex("0x" + "f" * 300 + "p-1200")
    assert conformance.decode_float({"dec": "1e400"}) == float("inf")


# --- results may give bits, hex or dec; several must agree ------------------------------

@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "bfloat16"])
def test_results_may_give_any_one_of_bits_hex_and_dec(dtype):
    document = vectors("relu", dtype)
    for keep in (("bits",), ("hex",), ("dec",), ("bits", "dec"), ("bits", "hex", "dec")):
        results = conformance.as_results(document)
        for test in all_tests(results):
            test["output"] = _keep_keys(test["output"], keep)
        result = conformance.check_documents(document, results)
        assert result.failures == [], (dtype, keep, result.failures[:1])


def _keep_keys(value, keep):
    if isinstance(value, list):
        return [_keep_keys(v, keep) for v in value]
    if isinstance(value, dict) and "dec" in value:
        return dict((k, v) for k, v in value.items() if k in keep)
    return value


def test_results_whose_bits_hex_and_dec_disagree_fail_naming_both():
    document = vectors("relu", "float32")
    results = conformance.as_results(document)
    tests = all_tests(results)
    tests[0]["output"][1] = {"bits": "40000000", "dec": "2.5"}         # tcId 1: 2.0 and 2.5
    tests[4]["output"] = {"bits": "3f800000", "hex": "0x1.0000020000000p+0"}   # tcId 5
    result = conformance.check_documents(document, results)
    reasons = dict((f.tc_id, f.reason) for f in result.failures)
    assert sorted(reasons) == [1, 5]
    assert reasons[1] == "output[1]: bits '40000000' (2.0) and dec '2.5' (2.5) name different floats"
    assert "bits '3f800000' (1.0) and hex '0x1.0000020000000p+0' (1.0000001192092896)" in reasons[5]
    # and the one given alone is right: the vectors' own bits pass
    tests[0]["output"][1] = {"bits": "40000000"}
    tests[4]["output"] = {"bits": "3f800000"}
    assert conformance.check_documents(document, results).failures == []


def test_results_bits_of_another_width_fail_the_case():
    document = vectors("sigmoid", "float16")
    results = conformance.as_results(document)
    all_tests(results)[2]["output"] = {"bits": "3f800000"}                   # a float32 1.0
    result = conformance.check_documents(document, results)
    assert [(f.tc_id, f.reason) for f in result.failures] == [
        (3, "output: bits '3f800000' has 8 digits; a float16 bit pattern has 4")]


# --- shapes -----------------------------------------------------------------------------

def test_a_stated_shape_must_be_the_expected_one_even_without_values():
    document = vectors("dense", "float32")
    case = [t for t in all_tests(document) if t["comment"] == "(0, 2) inputs give []"][0]
    assert case["expected"] == {"shape": [0, 2], "values": []}
    for output, ok in (({"shape": [0, 2], "values": []}, True), ([], True),
                       ({"shape": [0, 3], "values": []}, False), ({"shape": [0], "values": []}, False),
                       ({"shape": [2, 0], "values": []}, False)):
        results = conformance.as_results(document)
        [t for t in all_tests(results) if t["tcId"] == case["tcId"]][0]["output"] = output
        failures = conformance.check_documents(document, results).failures
        assert (failures == []) == ok, (output, failures)
        if not ok:
            assert failures[0].reason.startswith("shape differs: expected (0, 2), got (")


def test_any_array_of_a_result_may_use_the_shape_form():
    document = vectors("softmax", "bfloat16")
    results = conformance.as_results(document)
    for test in all_tests(results):
        shape = _format.declared_shape(test["output"]) if test["result"] != "invalid" else None
        if shape:                                     # a vector or a batch: flat, with its shape
            test["output"] = {"shape": list(shape), "values": _flat(test["output"])}
    assert conformance.check_documents(document, results).failures == []
    all_tests(results)[1]["output"]["shape"] = [9, 1]            # (3, 3) values, the wrong shape
    failures = conformance.check_documents(document, results).failures
    assert [f.tc_id for f in failures] == [2] and "expected (3, 3), got (9, 1)" in failures[0].reason


def _flat(value):
    if isinstance(value, dict) and "shape" in value:
        return list(value["values"])
    if isinstance(value, list):
        return [x for v in value for x in _flat(v)]
    return [value]


@pytest.mark.parametrize("value,message", [
    ({"shape": "3", "values": []}, "shape is the string '3', not a list of sizes"),
    ({"shape": [2, -1], "values": []}, "shape[1] is -1, not a size"),
    ({"shape": [2, True], "values": []}, "shape[1] is true, not a size"),
    ({"shape": [2, 2], "values": [1.0]}, "shape (2, 2) holds 4 values, and values has 1"),
    ({"shape": [10 ** 9, 0], "values": []}, "stands for more than 1000000 lists"),
    ({"shape": [1] * 40, "values": [1.0]}, "shape has 40 dimensions, more than any array (32)"),
    ({"shape": [1], "values": "x"}, "values is the string 'x', not a list"),
])
def test_a_wrong_shape_form_says_what_is_wrong(value, message):
    with pytest.raises(conformance.VectorFormatError) as info:
        conformance.decode_tree(value, "output")
    assert message in str(info.value)


# --- the line form ------------------------------------------------------------------------

def parse_case(line, dtype):
    """The grammar of docs/conformance.md, written out again: (fields, args, expected)."""
    tokens = line.split(" ")
    assert "" not in tokens, "tokens are separated by single spaces"
    op, file_dtype, tc_id, result, nargs = tokens[:5]
    assert file_dtype == dtype and result in ("valid", "acceptable", "invalid")
    i = 5
    args = []

    def array(i):
        rank = int(tokens[i])
        dims = [int(t) for t in tokens[i + 1:i + 1 + rank]]
        count = 1
        for d in dims:
            count *= d
        values = tokens[i + 1 + rank:i + 1 + rank + count]
        assert len(values) == count and all(re.match("^[0-9a-f]{%d}$" % WIDTH[dtype], v) for v in values)
        return (dims, [from_bits(v, dtype) for v in values]), i + 1 + rank + count

    for _ in range(int(nargs)):
        kind = tokens[i]
        if kind == "f":
            value, i = array(i + 1)
        elif kind == "i":
            value, i = int(tokens[i + 1]), i + 2
        elif kind == "s":
            value, i = tokens[i + 1], i + 2
        else:
            assert kind == "x"
            value, i = ("x", tokens[i + 1]), i + 2
        args.append(value)
    assert tokens[i] == "expect"
    i += 1
    if tokens[i] == "error":
        expected, i = "error", i + 1
    else:
        expected = []
        while i < len(tokens):
            assert tokens[i] == "f"
            value, i = array(i + 1)
            expected.append(value)
    assert i == len(tokens)
    return (op, int(tc_id), result), args, expected


def nested(dims, values):
    # The nested lists of a shape, for comparing with the JSON's decoded values.
    if not dims:
        return values[0]
    if len(dims) == 1:
        return list(values)
    size = len(values) // dims[0] if dims[0] else 0
    return [nested(dims[1:], values[k * size:(k + 1) * size]) for k in range(dims[0])]


def same_tree(a, b):
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and \
            all(same_tree(x, y) for x, y in zip(a, b))
    return same(float(a), float(b))


@pytest.mark.parametrize("op,dtype", FILES)
def test_every_line_holds_the_json_case(op, dtype):
    document = vectors(op, dtype)
    text = _lines.to_lines(document)
    lines = text.split("\n")
    assert text.endswith("\n") and lines[0].startswith("# nnref conformance vectors, line form")
    head = _lines.parse_header(text)
    assert (head["operation"], head["dtype"], head["nnrefVersion"]) == (op, dtype, document["nnrefVersion"])
    cases = [line for line in lines if line and not line.startswith("#")]
    tests = all_tests(document)
    assert len(cases) == len(tests) == int(head["numberOfTests"])
    for line, test in zip(cases, tests):
        (line_op, tc_id, result), args, expected = parse_case(line, dtype)
        decoded = conformance.decode_test(op, test, dtype)
        assert (line_op, tc_id, result) == (op, test["tcId"], test["result"])
        for name, arg in zip(document["arguments"], args):
            want = decoded["inputs"][name]
            if isinstance(arg, (int, str)):
                assert arg == want
            elif arg[0] == "x":
                assert arg == ("x", "ragged") and _format.array_shape(want) is None
            else:
                dims, values = arg
                assert tuple(dims) == _format.declared_shape(test["inputs"][name])
                assert same_tree(nested(dims, values), want), (op, dtype, tc_id, name)
        if result == "invalid":
            assert expected == "error"
        elif op.endswith("_data"):
            (x_dims, x_values), (y_dims, y_values) = expected
            assert same_tree(nested(x_dims, x_values), decoded["expected"]["X"])
            assert same_tree(nested(y_dims, y_values), decoded["expected"]["y"])
        elif op in _format.PARTS:
            assert len(expected) == len(_format.PARTS[op])
            for part, (dims, values) in zip(_format.PARTS[op], expected):
                assert tuple(dims) == _format.declared_shape(test["expected"][part])
                assert same_tree(nested(dims, values), decoded["expected"][part])
        else:
            [(dims, values)] = expected
            assert tuple(dims) == _format.declared_shape(test["expected"])
            assert same_tree(nested(dims, values), decoded["expected"])


def test_the_line_form_of_the_issue_example():
    text = _lines.to_lines(vectors("dense", "float32"))
    assert "\ndense float32 29 valid 3 f 2 0 2 f 2 2 2 3f800000 40000000 40400000 40800000 " \
           "f 2 1 2 00000000 00000000 expect f 2 0 2\n" in text
    text = _lines.to_lines(vectors("relu", "float32"))
    assert "\nrelu float32 3 valid 1 f 0 00000000 expect f 0 00000000\n" in text
    assert "\nrelu float32 27 invalid 1 x ragged expect error\n" in text


def expected_results_lines(document, change=None):
    """A results file in line form from the vectors' own expected values (invalid: error)."""
    out = ["# results: the expected values"]
    for line in _lines.case_lines(document):
        tokens = line.split(" ")
        tc_id = int(tokens[2])
        rest = tokens[tokens.index("expect") + 1:]
        if rest == ["error"]:
            text = "%d error ValueError: ragged" % tc_id
        else:
            text = "%d value %s" % (tc_id, " ".join(t for t in rest if t != "f"))
        if change and tc_id in change:
            text = change[tc_id]
        out.append(text)
    return "\n".join(out) + "\n"


def test_vectors_format_lines_writes_a_file_per_json_file_and_check_reads_both_forms(tmp_path):
    lines_dir, json_dir, results = tmp_path / "lines", tmp_path / "json", tmp_path / "results"
    for folder, form in ((lines_dir, "lines"), (json_dir, "json")):
        proc = subprocess.run([sys.executable, "-m", "nnref", "vectors", "--format", form, "--out", str(folder),
                               "--ops", "relu,dense,spiral_data"], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
        assert proc.returncode == 0, proc.stderr
    names = sorted(os.listdir(str(lines_dir)))
    assert names == sorted(_lines.lines_name(op, dtype) for op, dtype in FILES
                           if op in ("relu", "dense", "spiral_data"))
    results.mkdir()
    for name in names:
        document = conformance.load(str(json_dir / (name[:-len(".lines")] + ".json")))
        (results / name).write_text(expected_results_lines(document))
        assert (lines_dir / name).read_text() == _lines.to_lines(document)
    for vectors_dir in (lines_dir, json_dir):
        code, out, err = run_check(vectors_dir, results)
        assert code == 0 and out.endswith("OK\n"), out + err
        assert len(re.findall(r"^(relu|dense|spiral_data)\S*\s+\d+\s+(\d+)\s+0\s+0\s+0\s", out, re.M)) == len(names)
    # JSON results against line vectors, one file each
    document = vectors("relu", "float16")
    json_results = write_json(tmp_path / "relu.float16.json", conformance.as_results(document))
    assert run_check(lines_dir / "relu.float16.lines", json_results)[0] == 0


def test_line_results_that_are_wrong_fail_their_own_case_saying_why(tmp_path):
    document = vectors("relu", "float32")
    vectors_path = write_json(tmp_path / "relu.float32.json", document)
    change = {1: "1 valeu 1 8 00000000", 2: "2 value 2 3 x", 3: "3 value 0 3f80",
              5: "5 value 1 3 3f800000", 6: "6", 7: "7 value 1 1 3f000000",
              8: "8 unsupported no negative numbers", 9: "9 value 0 00000001 00000001",
              24: "24 value 1 0", 25: "25 value 1 0", 27: "27 value 2 2 1 3f800000 40000000"}
    path = tmp_path / "relu.float32.lines"
    path.write_text(expected_results_lines(document, change))
    report = conformance.check_files(vectors_path, str(path))
    reasons = dict((f.tc_id, f.reason) for f in report.failures)
    assert sorted(reasons) == [1, 2, 3, 5, 6, 7, 8, 9, 25, 27]   # 24: (0,) is the expected shape
    assert "'valeu' is not value, error or unsupported" in reasons[1]
    assert "line 3: 'x' is not a dimension" in reasons[2]
    assert "bits '3f80' has 4 digits; a float32 bit pattern has 8" in reasons[3]
    assert "needs more values than the line has" in reasons[5]
    assert "a tcId and nothing else" in reasons[6]
    assert reasons[7].startswith("shape differs: expected ()") or "expected a number" in reasons[7]
    assert reasons[8] == "unsupported: no negative numbers"
    assert "1 token(s) left after the output" in reasons[9]
    assert reasons[25] == "shape differs: expected (2, 0), got (0,)"
    assert reasons[27].startswith("expected an error record")
    assert [f.tc_id for f in report.unsupported] == [8]


def test_a_line_results_file_that_is_not_one_is_an_error_naming_the_line(tmp_path):
    document = vectors("relu")
    vectors_path = write_json(tmp_path / "relu.json", document)
    path = tmp_path / "relu.lines"
    path.write_text(expected_results_lines(document, {4: "four value 0 0000000000000000"}))
    code, out, err = run_check(vectors_path, path)
    assert code == 2 and err == "nnref check: error: %s line 5: 'four' is not a tcId (a results line is " \
                                "TCID value ..., TCID error REASON or TCID unsupported REASON)\n" % path
    text = expected_results_lines(document)
    path.write_text(text + "3 value 0 0000000000000000\n4 error x\n")
    code, out, err = run_check(vectors_path, path)
    assert code == 2 and "tcId 3, 4 given more than once (lines 4, 35; 5, 36)" in err, err


def test_line_vectors_must_be_this_nnrefs_line_form(tmp_path):
    document = vectors("sigmoid", "float32")
    text = _lines.to_lines(document)
    results = tmp_path / "results.lines"
    results.write_text(expected_results_lines(document))
    path = tmp_path / "sigmoid.float32.lines"
    path.write_text(text)
    assert run_check(path, results)[0] == 0
    path.write_text(text.replace("# nnrefVersion: %s" % document["nnrefVersion"], "# nnrefVersion: 0.0.1"))
    code, _, err = run_check(path, results)
    assert code == 2 and "written by nnref 0.0.1; this is nnref" in err
    cases = text.split("\n")
    index = [i for i, line in enumerate(cases) if line.startswith("sigmoid float32 3 ")][0]
    cases[index] = cases[index].replace("expect f 0 ", "expect f 0 0").replace(" 0", " 1", 1)
    path.write_text("\n".join(cases))
    code, _, err = run_check(path, results)
    assert code == 2 and "line %d: not the line nnref" % (index + 1) in err and "tcId 3" in err
    path.write_text("\n".join(line for line in text.split("\n") if not line.startswith("sigmoid float32 37 ")))
    code, _, err = run_check(path, results)
    assert code == 2 and "36 cases; the nnref" in err
    path.write_text("relu float32 1 valid\n")
    code, _, err = run_check(path, results)
    assert code == 2 and "no '# nnrefVersion: ...' header line" in err


def test_a_results_folder_with_both_forms_of_one_file_is_an_error(tmp_path):
    vectors_dir, results = tmp_path / "v", tmp_path / "r"
    vectors_dir.mkdir()
    results.mkdir()
    document = vectors("relu")
    write_json(vectors_dir / "relu.json", document)
    write_json(results / "relu.json", conformance.as_results(document))
    (results / "relu.lines").write_text(expected_results_lines(document))
    code, _, err = run_check(vectors_dir, results)
    assert code == 2 and "both relu.json and relu.lines" in err


def test_vectors_out_makes_one_folder_never_its_parents(tmp_path):
    def vectors_command(out):
        return subprocess.run([sys.executable, "-m", "nnref", "vectors", "--format", "lines", "--out", str(out),
                               "--ops", "relu", "--dtype", "float16"], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
    proc = vectors_command(tmp_path / "missing" / "out")
    assert proc.returncode == 1 and proc.stderr.startswith("nnref vectors: error: cannot write the vectors into")
    assert "--out creates one folder, not its parents" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "missing").exists()
    (tmp_path / "file").write_text("x")
    proc = vectors_command(tmp_path / "file")
    assert proc.returncode == 1 and "it is a file, not a folder" in proc.stderr
    proc = vectors_command(tmp_path / "new")
    assert proc.returncode == 0 and os.listdir(str(tmp_path / "new")) == ["relu.float16.lines"]


# --- the docs' one-liners, in C, JavaScript and Rust -------------------------------------

def _doc_block(language):
    with open(os.path.join(ROOT, "docs", "conformance.md")) as handle:
        text = handle.read()
    blocks = re.findall(r"```%s\n(.*?)```" % language, text, re.S)
    assert len(blocks) == 1, language
    return blocks[0]


# bits -> value, as the docs' snippets print it (float.hex), and value -> bits
_CASES = [("3ff8000000000000", "0x1.8000000000000p+0"), ("8000000000000000", "-0x0.0p+0"),
          ("0000000000000001", "0x0.0000000000001p-1022"), ("7fefffffffffffff", "0x1.fffffffffffffp+1023"),
          ("3fb999999999999a", "0x1.999999999999ap-4")]


def test_the_one_liners_are_in_the_docs():
    assert "strtoull" in _doc_block("c") and "memcpy" in _doc_block("c")
    assert "BigInt" in _doc_block("js") and "DataView" in _doc_block("js")
    assert "u64::from_str_radix" in _doc_block("rust") and "f64::from_bits" in _doc_block("rust")


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_the_c_one_liners_read_and_write_bits(tmp_path):
    source = "#include <stdint.h>\n#include <stdlib.h>\n#include <string.h>\n#include <stdio.h>\n" + \
        _doc_block("c") + r'''
int main(int argc, char **argv) {
    char out[9];
    int i;
    for (i = 1; i < argc; i++) printf("%a\n", bits_to_double(argv[i]));
    printf("%a\n", (double)bits_to_float("3fc00000"));
    float_to_bits(-0.1f, out);
    printf("%s\n", out);
    return 0;
}
'''
    (tmp_path / "bits.c").write_text(source)
    subprocess.check_call(["cc", "-std=c99", "-Wall", "-Werror", "-o", str(tmp_path / "bits"), str(tmp_path / "bits.c")])
    out = subprocess.check_output([str(tmp_path / "bits")] + [b for b, _ in _CASES], universal_newlines=True)
    values = out.split()
    assert [float.fromhex(v) for v in values[:-2]] == [float.fromhex(h) for _, h in _CASES]
    assert float.fromhex(values[-2]) == 1.5
    assert values[-1] == "%08x" % struct.unpack("<I", struct.pack("<f", -0.1))[0] == "bdcccccd"


@pytest.mark.skipif(shutil.which("node") is None, reason="no node")
def test_the_javascript_one_liners_read_and_write_bits(tmp_path):
    script = _doc_block("js") + """
for (const bits of process.argv.slice(2)) {
  const x = bitsToFloat64(bits);
  console.log(float64ToBits(x) === bits ? "same" : "differ", Object.is(x, -0) ? "-0" : String(x));
}
console.log(bitsToFloat32("3fc00000"), bitsToFloat32("c0000000"));
"""
    (tmp_path / "bits.mjs").write_text(script)
    out = subprocess.check_output(["node", str(tmp_path / "bits.mjs")] + [b for b, _ in _CASES],
                                  universal_newlines=True).splitlines()
    assert [line.split()[0] for line in out[:-1]] == ["same"] * len(_CASES)
    assert [float(line.split()[1]) for line in out[:-1]] == [float.fromhex(h) for _, h in _CASES]
    assert out[1].split()[1] == "-0" and out[-1] == "1.5 -2"


# (The Rust one-liners are only shown: this machine's rustc may not be on a CI PATH,
# and a test that skips where it cannot run proves nothing.)


# --- checking on MicroPython ---------------------------------------------------------------

_RUNNER = os.path.join(ROOT, "tools", "js", "run_micropython.mjs")
_MICROPYTHON = os.path.join(ROOT, "tools", "js", "node_modules", "@micropython")

_MICROPYTHON_CHECK = r"""
import json, sys
from nnref.conformance._run import check_documents
from nnref.conformance._lines import parse_results
vectors = json.loads(VECTORS)
results = json.loads(RESULTS)
good = check_documents(vectors, results)
tests = [t for g in results["testGroups"] for t in g["tests"]]
tests[0]["output"][1] = {"bits": "40000000", "dec": "2.5"}
tests[1]["output"] = None
tests[2]["output"] = {"unsupported": "no scalars"}
tests[3]["output"] = 10 ** 400
tests[4]["output"] = [[[[[1.0]]]]]
bad = check_documents(vectors, results)
lines = check_documents(vectors, parse_results(LINES, "r.lines", "relu"))
print(json.dumps([good.cases, good.passed, lines.passed, [f.tc_id for f in bad.failures],
                  [f.reason for f in bad.failures], [f.tc_id for f in bad.failures if f.unsupported]]))
"""


@pytest.mark.skipif(shutil.which("node") is None or not os.path.isdir(_MICROPYTHON),
                    reason="needs node and tools/js/node_modules (npm ci in tools/js)")
def test_check_documents_runs_on_micropython():
    document = vectors("relu", "float32")
    # Vectors without dec and hex: bits only, so MicroPython's float() parsing plays no part.
    slim = json.loads(json.dumps(document))
    for test in all_tests(slim):
        for key in ("inputs", "expected", "alternatives"):
            if key in test:
                test[key] = _keep_keys(test[key], ("bits",))
    code = "VECTORS = %r\nRESULTS = %r\nLINES = %r\n" % (
        json.dumps(slim), json.dumps(conformance.as_results(slim)), expected_results_lines(document)) \
        + _MICROPYTHON_CHECK
    proc = subprocess.run(["node", _RUNNER, "--root", ROOT, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    cases, passed, lines_passed, failed, reasons, unsupported = json.loads(proc.stdout.splitlines()[-1])
    assert cases == passed == lines_passed == 31
    assert failed == [1, 2, 3, 4, 5] and unsupported == [3]
    assert reasons[0] == "output[1]: bits '40000000' (2.0) and dec '2.5' (2.5) name different floats"
    assert reasons[1] == "the output is null; expected a result"
    assert "too large for a float" in reasons[3] and "shape differs" in reasons[4]
