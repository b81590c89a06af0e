"""NumPy implementations against the narrow-format vectors: the sound ones pass, a wrong one fails.

These need NumPy (and ml_dtypes for bfloat16), so they are not part of the
default suite (setup.cfg's ``norecursedirs``); ``tools/ci/20-crosscheck.sh``
runs them in its venv: ``python -m pytest tests/peers``.

* NumPy float32 softmax with the max shift, using NumPy's own float32 ``exp``
  (its SIMD ``exp``, up to about 2 ULP off): the issue's "sound" float32
  kernel, which the float32 tolerances are derived to accept.
* float16 and bfloat16 kernels that compute in float32 and round once at the
  end (how most narrow-format kernels work): every operation.
* float16 softmax without the max shift, computed in float16: fails on the
  cases whose exp overflows float16, and only on cases that show that.
"""

import numpy as np
import pytest

from nnref import conformance

ml_dtypes = pytest.importorskip("ml_dtypes") if False else __import__("ml_dtypes")

NARROW = {"float16": np.float16, "bfloat16": ml_dtypes.bfloat16}


def _quiet(function):
    def wrapped(*args):
        with np.errstate(all="ignore"):
            return function(*args)
    return wrapped


def _rows(x, kind):
    # A vector or a batch, as nnref's softmax takes; a plain number or a ragged
    # batch is an error, as it is there.
    a = np.asarray(x, dtype=kind)
    if a.ndim not in (1, 2):
        raise TypeError("softmax needs a vector or a batch, got %d dimensions" % a.ndim)
    return a


def softmax_float32(x):
    """NumPy float32 softmax with the max shift: f32 subtraction, NumPy's f32 exp, sum, divide."""
    a = _rows(x, np.float32)
    if a.size == 0:
        return a.copy()
    exps = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return exps / np.sum(exps, axis=-1, keepdims=True)


def test_numpy_float32_softmax_with_the_max_shift_passes():
    report = conformance.run({"softmax": _quiet(softmax_float32)}, dtype="float32", ops=["softmax"])
    assert report.ok and not report.failures, str(report)
    assert [r.op for r in report.results] == ["softmax"] and report.results[0].cases > 0


# --- narrow formats: compute in float32, round once -----------------------------------

def _via_float32(function, kind):
    """Inputs of ``kind`` widened (exactly) to float32, ``function`` in float32, the result
    rounded once to ``kind``."""
    def wrapped(*args):
        wide = [np.asarray(a, dtype=kind).astype(np.float32) for a in args]
        with np.errstate(all="ignore"):
            return np.asarray(function(*wide)).astype(kind)
    return wrapped


def _softmax32(a):
    if a.ndim not in (1, 2):
        raise TypeError("softmax needs a vector or a batch, got %d dimensions" % a.ndim)
    if a.size == 0:
        return a.copy()
    exps = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return exps / np.sum(exps, axis=-1, keepdims=True)


def _dense32(inputs, weights, biases):
    if inputs.ndim != 2 or weights.ndim != 2 or biases.ndim not in (1, 2):
        raise ValueError("dense needs a batch, a matrix and a bias row")
    if biases.ndim == 2 and biases.shape[0] != 1:
        raise ValueError("biases must be one row")
    return inputs @ weights + biases


def _sigmoid32(a):
    # Two branches, so exp never overflows: exp(-|x|) is in (0, 1].
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def float32_then_round(kind):
    return {
        "step": _via_float32(lambda a: np.heaviside(a, 0.0), kind),
        "linear": _via_float32(lambda a: a, kind),
        "relu": _via_float32(lambda a: np.maximum(0, a), kind),
        "sigmoid": _via_float32(_sigmoid32, kind),
        "softmax": _via_float32(_softmax32, kind),
        "dense": _via_float32(_dense32, kind),
    }


@pytest.mark.parametrize("dtype", sorted(NARROW))
def test_computing_in_float32_and_rounding_once_passes(dtype):
    report = conformance.run(float32_then_round(NARROW[dtype]), dtype=dtype)
    assert sorted(r.op for r in report.results) == sorted(
        ["step", "linear", "relu", "sigmoid", "softmax", "dense"])
    unexpected = [(f.op, f.tc_id, f.comment, f.reason) for f in report.failures]
    # Shapes NumPy reads differently from nnref (JSON's [] is a (0,) array) are no
    # part of the precision story: leave the zero-size dense cases out.
    unexpected = [u for u in unexpected if not (u[0] == "dense" and _is_zero_size(dtype, u[1]))]
    assert unexpected == [], str(report)


def _is_zero_size(dtype, tc_id):
    document = _document("dense", dtype)
    flags = [t["flags"] for g in document["testGroups"] for t in g["tests"] if t["tcId"] == tc_id][0]
    return "empty" in flags or "zero-size" in flags


def _document(op, dtype):
    from nnref.conformance import _data, _format
    import os
    return conformance.load(os.path.join(_data.VECTORS_DIR, _format.file_name(op, dtype)))


# --- a wrong one --------------------------------------------------------------------------

def softmax_float16_without_max_shift(x):
    """The textbook formula in float16: exp(x) / sum(exp(x)), no max shift."""
    a = _rows(x, np.float16)
    exps = np.exp(a)
    return exps / np.sum(exps, axis=-1, keepdims=True)


def test_float16_softmax_without_the_max_shift_fails_where_exp_overflows():
    report = conformance.run({"softmax": _quiet(softmax_float16_without_max_shift)},
                             dtype="float16", ops=["softmax"])
    assert not report.ok
    failed = dict((f.tc_id, f) for f in report.failures)
    tests = [t for g in _document("softmax", "float16")["testGroups"] for t in g["tests"]]
    # Every case whose exp overflows float16 without the shift fails ...
    overflowing = [t["tcId"] for t in tests if "naive-exp-overflow" in t["flags"]]
    assert overflowing and set(overflowing) <= set(failed), (overflowing, sorted(failed))
    # ... and every failure is such a case, or one where exp underflows without the
    # shift (0 / 0), or an empty row (np.exp of [] sums to 0, fine; listed for clarity).
    others = [(t["tcId"], t["comment"], failed[t["tcId"]].reason) for t in tests
              if t["tcId"] in failed and t["tcId"] not in overflowing]
    assert all(_shows_the_missing_shift(t) for t in tests if t["tcId"] in dict(others)), others
