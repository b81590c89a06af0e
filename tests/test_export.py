"""``python -m nnref data`` and ``python -m nnref book``: exact, deterministic exports.

Every exported file is read back and compared bit for bit with the values it
came from, and with the nnfs fixtures (tools/record_fixtures.py).
"""

import csv
import io
import json
import os
import subprocess
import sys

import pytest

import nnref
from nnref import book, datasets
from nnref.cli import main
from nnref.rng import RandomState

from support import hexes

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)


DATA32 = load("datasets_float32.json")
DATA64 = load("datasets_float64.json")
RUN = load("book_ch4_float32.json")


def export(args, tmp_path, name="out"):
    """Run the command with --out; return (exit code, file text)."""
    path = str(tmp_path / name)
    code = main(list(args) + ["--out", path])
    with open(path, newline="") as f:
        return code, f.read()


def read_csv(text):
    return list(csv.reader(io.StringIO(text)))


# ------------------------------------------------------------ CSV round trips

@pytest.mark.parametrize("name", ["spiral", "vertical"])
@pytest.mark.parametrize("float32", [False, True])
def test_csv_reads_back_to_the_same_floats(tmp_path, name, float32):
    args = ["data", name, "--samples", "7", "--classes", "2", "--seed", "3"]
    code, text = export(args + (["--float32"] if float32 else []), tmp_path)
    assert code == 0
    module = book if float32 else datasets
    X, y = getattr(module, name + "_data")(7, 2, rng=RandomState(3))
    rows = read_csv(text)
    assert len(rows) == 14
    assert hexes([[float(a), float(b)] for a, b, _ in rows]) == hexes(X)
    assert [int(label) for _, _, label in rows] == y


def test_csv_float32_spiral_is_nnfs_after_init(tmp_path):
    code, text = export(["data", "spiral", "--samples", "100", "--classes", "3", "--float32"],
                        tmp_path)
    rows = read_csv(text)
    case = DATA32["spiral"][0]
    assert (case["samples"], case["classes"], case["seed"]) == (100, 3, 0)
    assert hexes([[float(a), float(b)] for a, b, _ in rows]) == case["X"]
    assert [int(r[2]) for r in rows] == case["y"]


def test_csv_float64_vertical_is_nnfs(tmp_path):
    case = DATA64["vertical"][1]
    code, text = export(["data", "vertical", "--samples", str(case["samples"]), "--classes",
                         str(case["classes"]), "--seed", str(case["seed"])], tmp_path)
    rows = read_csv(text)
    assert hexes([[float(a), float(b)] for a, b, _ in rows]) == case["X"]


def test_csv_sine_reads_back(tmp_path):
    code, text = export(["data", "sine", "--samples", "7", "--header"], tmp_path)
    rows = read_csv(text)
    assert rows[0] == ["x", "y"]
    assert hexes([float(x) for x, _ in rows[1:]]) == DATA64["sine"][1]["X"]
    assert hexes([float(v) for _, v in rows[1:]]) == DATA64["sine"][1]["y"]


def test_csv_header_and_value_notation(tmp_path):
    code, text = export(["data", "spiral", "--samples", "2", "--classes", "1", "--header",
                         "--float32"], tmp_path)
    lines = text.split("\n")
    assert lines[0] == "x0,x1,label"
    assert lines[1] == "0.0,0.0,0"
    assert text.endswith("\n") and "\r" not in text
    # A float32 value is written as its exact float64 value, repr of it.
    X, _ = book.spiral_data(2, 1, rng=RandomState(0))
    assert lines[2] == "%r,%r,0" % (X[1][0], X[1][1])
    code, text = export(["data", "spiral", "--samples", "2", "--classes", "1"], tmp_path)
    assert not text.startswith("x0")


def test_the_books_relu_value_is_written_exactly(tmp_path):
    code, text = export(["book", "ch4"], tmp_path)
    assert "0.00011395361070754007" in text


# ------------------------------------------------------------ JSON round trips

@pytest.mark.parametrize("name", ["spiral", "vertical", "sine"])
@pytest.mark.parametrize("float32", [False, True])
def test_json_reads_back_values_and_bit_patterns(tmp_path, name, float32):
    args = ["data", name, "--samples", "9", "--format", "json"]
    if name != "sine":
        args += ["--classes", "2", "--seed", "11"]
    code, text = export(args + (["--float32"] if float32 else []), tmp_path)
    assert code == 0
    doc = json.loads(text)
    if name == "sine":
        X, y = datasets.sine_data(9)
        assert doc["dtype"] == "float64"            # float64 even with --float32, as nnfs
        assert hexes(doc["X"]) == hexes([r[0] for r in X])
        assert hexes(doc["y"]) == hexes([r[0] for r in y])
        assert doc["y_hex"] == hexes(doc["y"])
    else:
        module = book if float32 else datasets
        X, y = getattr(module, name + "_data")(9, 2, rng=RandomState(11))
        assert doc["dtype"] == ("float32" if float32 else "float64")
        assert (doc["samples"], doc["classes"], doc["seed"]) == (9, 2, 11)
        assert hexes(doc["X"]) == hexes(X)
        assert doc["y"] == y
    assert [[float.fromhex(h) for h in row] if isinstance(row, list) else float.fromhex(row)
            for row in doc["X_hex"]] == doc["X"]
    assert doc["X_hex"] == hexes(doc["X"])


def test_book_ch4_json_has_every_step_bit_for_bit(tmp_path):
    code, text = export(["book", "ch4", "--format", "json"], tmp_path)
    assert code == 0
    doc = json.loads(text)
    assert doc["steps"] == list(book.CHAPTER4_STEPS)
    for step in ("X", "dense1_weights", "dense1_biases", "dense1_output", "relu_output",
                 "dense2_weights", "dense2_biases", "dense2_output"):
        assert doc[step + "_hex"] == RUN[step]
        assert hexes(doc[step]) == RUN[step]
    assert doc["y"] == RUN["y"]
    softmax = doc["softmax_output"]
    assert book.format_array(softmax[:5]) == (
        "[[0.33333334 0.33333334 0.33333334]\n"
        " [0.33333316 0.3333332  0.33333364]\n"
        " [0.33333287 0.3333329  0.33333418]\n"
        " [0.3333326  0.33333263 0.33333477]\n"
        " [0.33333233 0.3333324  0.33333528]]")
    assert [[float.fromhex(h) for h in row] for row in doc["softmax_output_hex"]] == softmax


def test_output_is_deterministic(tmp_path):
    first = export(["book", "ch4"], tmp_path, "a")
    nnref.seed(99)                 # the default generator plays no part
    second = export(["book", "ch4"], tmp_path, "b")
    assert first == second
    a = export(["data", "spiral", "--format", "json", "--float32"], tmp_path, "c")
    b = export(["data", "spiral", "--format", "json", "--float32"], tmp_path, "d")
    assert a == b
    nnref.seed(0)


def test_stdout_is_the_same_as_the_file(tmp_path, capsys):
    code, text = export(["data", "vertical", "--samples", "5"], tmp_path)
    assert main(["data", "vertical", "--samples", "5"]) == 0
    assert capsys.readouterr().out == text


def test_python_dash_m_runs_the_export():
    result = subprocess.run([sys.executable, "-m", "nnref", "data", "sine", "--samples", "3"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True)
    assert result.returncode == 0
    assert result.stdout == "0.0,0.0\n0.3333333333333333,%r\n0.6666666666666666,%r\n" % (
        datasets.sine_data(3)[1][1][0], datasets.sine_data(3)[1][2][0])


# ---------------------------------------------------------------- errors

@pytest.mark.parametrize("args, message", [
    (["data", "blobs"], "invalid choice: 'blobs'"),
    (["data"], "required"),
    (["data", "spiral", "--samples", "-1"], "samples must be non-negative"),
    (["data", "spiral", "--samples", "ten"], "invalid int value"),
    (["data", "spiral", "--seed", "4294967296"], "seed must be between 0 and 2**32 - 1"),
    (["data", "sine", "--classes", "2"], "sine has no classes"),
    (["data", "spiral", "--format", "xml"], "invalid choice: 'xml'"),
    (["book", "ch5"], "invalid choice: 'ch5'"),
    (["book", "ch4", "--format", "csv"], "invalid choice: 'csv'"),
])
def test_usage_errors_exit_2(capsys, args, message):
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_unwritable_output_exits_1(tmp_path, capsys):
    path = str(tmp_path / "missing" / "out.csv")
    assert main(["data", "spiral", "--out", path]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert main(["data", "--help"]) == 0
    assert "--float32" in capsys.readouterr().out
    assert main(["book", "-h"]) == 0
