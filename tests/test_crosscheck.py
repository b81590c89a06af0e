"""``python -m nnref crosscheck LIB --dtype DTYPE``: the parts that need no third-party library.

The allow-list's ``dtype`` field, which (library, dtype) pairs the adapters
run and how an unsupported one is refused, and how an operation a runtime
has no kernel for is reported.  The runs through the libraries themselves
are tests/peers/, in CI's cross-check venv.
"""

import json
import os
import subprocess
import sys

import pytest

import nnref
from nnref.cli import conformance as cli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class _Adapters(object):
    """A stand-in for nnref/conformance/_adapters.py."""

    def __init__(self, adapter, supported=None):
        self.adapter = adapter
        if supported is not None:
            self.check_supported = supported


def _write(tmp_path, name, entries):
    path = str(tmp_path / name)
    with open(path, "w") as handle:
        json.dump({"entries": entries}, handle)
    return path


def _bad_relu_adapter(name, dtype):
    # nnref's relu, but relu(nan) is 0: relu tcIds 23 and 24 carry nan-propagation.
    def no_nan(y):
        if isinstance(y, list):
            return [no_nan(v) for v in y]
        return 0.0 if y != y else y
    return {"relu": lambda x: no_nan(nnref.relu(x)), "step": nnref.step}, {"fake": "1.0"}



def test_allowlist_entries_default_to_float64_and_keep_their_dtype(tmp_path):
    path = _write(tmp_path, "allow.json", [
        {"library": "numpy", "op": "relu", "flag": "nan-propagation", "reason": "a"},
        {"library": "numpy", "op": "relu", "flag": "nan-propagation", "reason": "b", "dtype": "float16"}])
    entries = cli.load_allowlist(path)
    assert [e["dtype"] for e in entries] == ["float64", "float16"]
    with open(path) as handle:                 # the file is read, not rewritten
        assert "float64" not in handle.read()


def test_an_allowlist_entry_with_an_unknown_dtype_is_refused(tmp_path):
    path = _write(tmp_path, "allow.json", [
        {"library": "numpy", "op": "relu", "flag": "nan-propagation", "reason": "a", "dtype": "float8"}])
    with pytest.raises(ValueError) as info:
        cli.load_allowlist(path)
    assert "entries[0]" in str(info.value) and "float8" in str(info.value)


def test_an_entry_covers_failures_in_its_own_dtype_only(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "load_adapters", lambda path: _Adapters(_bad_relu_adapter))
    only_float16 = _write(tmp_path, "f16.json", [
        {"library": "fake", "op": "relu", "flag": "nan-propagation", "reason": "f16 only",
         "dtype": "float16"}])
    report, stale = cli.crosscheck("fake", allowlist=only_float16)
    assert not report.ok
    assert sorted(f.tc_id for f in report.failures if f.allowed is None) == [23, 24]
    assert stale == []                       # a float16 entry is not stale in a float64 run
    for given in ({}, {"dtype": "float64"}):   # no dtype means float64
        entry = dict({"library": "fake", "op": "relu", "flag": "nan-propagation", "reason": "ok"}, **given)
        report, stale = cli.crosscheck("fake", allowlist=_write(tmp_path, "f64.json", [entry]))
        assert report.ok and stale == [], str(report)
        assert [f.allowed for f in report.failures] == ["ok", "ok"]


def test_a_stale_entry_is_named_only_for_its_dtype():
    report = nnref.conformance.Report([])
    entries = [{"library": "fake", "op": "relu", "tcId": 1, "reason": "x"},
               {"library": "fake", "op": "relu", "tcId": 1, "reason": "y", "dtype": "bfloat16"}]
    assert [e["reason"] for e in cli.apply_allowlist(report, entries, "fake")] == ["x"]
    assert [e["reason"] for e in cli.apply_allowlist(report, entries, "fake", "bfloat16")] == ["y"]


def test_an_operation_without_a_kernel_is_skipped_with_the_runtimes_reason(monkeypatch, tmp_path):
    def adapter(name, dtype):
        impl, versions = _bad_relu_adapter(name, dtype)
        impl["relu"] = nnref.relu
        impl["dense"] = ValueError("no float64 kernel: NotImplemented: Gemm(13)")
        return impl, versions

    monkeypatch.setattr(cli, "load_adapters", lambda path: _Adapters(adapter))
    report, _ = cli.crosscheck("fake", allowlist=_write(tmp_path, "none.json", []), ops=["relu", "dense"])
    assert report.ok, str(report)
    dense = [r for r in report.results if r.op == "dense"]
    assert len(dense) == 1 and dense[0].skipped == "no float64 kernel: NotImplemented: Gemm(13)"
    assert "skipped: no float64 kernel" in str(report)


def test_an_unsupported_pair_is_refused_before_the_adapter_runs(monkeypatch):
    called = []

    def refuse(name, dtype):
        raise ValueError("%s is not supported in %s" % (name, dtype))

    monkeypatch.setattr(cli, "load_adapters",
                        lambda path: _Adapters(lambda *a: called.append(a), refuse))
    with pytest.raises(cli.Unsupported) as info:
        cli.crosscheck("numpy", dtype="bfloat16")
    assert str(info.value) == "numpy is not supported in bfloat16" and called == []


def test_adapters_without_dtypes_run_float64_only(monkeypatch):
    monkeypatch.setattr(cli, "load_adapters", lambda path: _Adapters(_bad_relu_adapter))
    with pytest.raises(cli.Unsupported) as info:
        cli.crosscheck("fake", dtype="float32")
    assert "float64 only" in str(info.value)


# --- the real adapters' table, without importing any library -----------------------------

def test_the_adapters_say_which_dtypes_each_library_runs():
    adapters = cli.load_adapters()
    assert adapters.LIBRARIES == cli.CROSSCHECK_LIBRARIES
    assert adapters.DTYPES == tuple(nnref.conformance.DTYPES)
    assert dict((k, set(v)) for k, v in adapters.SUPPORTED.items()) == {
        "numpy": {"float64", "float32", "float16"},
        "torch": {"float64", "float32", "float16", "bfloat16"},
        "onnx": {"float64", "float32", "float16", "bfloat16"},
        "onnxruntime": {"float64", "float32", "float16"},
        "jax": {"float64", "float32", "float16", "bfloat16"},
    }
    with pytest.raises(adapters.Unsupported) as info:
        adapters.check_supported("numpy", "bfloat16")
    assert "NumPy has no bfloat16" in str(info.value)
    with pytest.raises(ValueError):
        adapters.check_supported("cobol", "float32")


@pytest.mark.parametrize("library", ["numpy", "onnxruntime"])
def test_an_unsupported_pair_is_a_usage_error_without_importing_the_library(tmp_path, library):
    # -X importtime names every module imported: the library must not be among them.
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "nnref", "crosscheck", library,
                           "--dtype", "bfloat16"], cwd=str(tmp_path), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.returncode == 2 and proc.stdout == ""
    lines = [line for line in proc.stderr.splitlines() if not line.startswith("import time:")]
    assert lines == ["nnref crosscheck: error: %s is not supported in bfloat16 (%s); it runs in "
                     "float64, float32, float16" % (library, {
                         "numpy": "NumPy has no bfloat16 dtype",
                         "onnxruntime": "ONNX Runtime's CPU provider has no bfloat16 kernels "
                                        "for Greater, Relu, Sigmoid, Softmax or Gemm"}[library])]
    imported = set(line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines()
                   if line.startswith("import time:"))
    assert not imported & {"numpy", "torch", "onnx", "onnxruntime", "jax", "ml_dtypes"}


# --- the NumPy adapter itself, where NumPy is importable ----------------------------------

def _numpy_importable():
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.filterwarnings("ignore::RuntimeWarning")      # NumPy's mean of an empty batch
@pytest.mark.parametrize("dtype", ["float64", "float32", "float16"])
def test_the_numpy_adapter_passes_its_vectors_or_names_the_missing_import(dtype):
    # tools/ci/20-crosscheck.sh runs every library in its own venv.  Here, in whatever
    # interpreter runs the suite: with NumPy importable (a developer's, the mutation
    # tester's), the adapter (the book's NumPy code) must pass the vectors, with only
    # its allowlisted differences; without it (the README's test venv), crosscheck
    # must fail on that import and name it.  Both branches assert.
    if not _numpy_importable():
        with pytest.raises(ImportError, match="numpy"):
            cli.crosscheck("numpy", dtype=dtype)
        return
    report, stale = cli.crosscheck("numpy", dtype=dtype)
    assert report.ok, [str(f) for f in report.failures][:3]
    assert stale == []
