"""NumPy implementations against the narrow-format vectors: the sound ones pass, wrong ones fail.

These need NumPy (and ml_dtypes for bfloat16), so they are not part of the
default suite (setup.cfg's ``norecursedirs``); ``tools/ci/20-crosscheck.sh``
runs them in its venv: ``python -m pytest tests/peers``.

* NumPy float32 softmax with the max shift, using NumPy's own float32 ``exp``
  (its SIMD ``exp``, up to about 2 ULP off): the sound float32 kernel that
  the float32 tolerances are derived to accept.
* float16 and bfloat16 kernels that widen their inputs to float32, compute
  there and round once at the end, as most narrow-format kernels do: every
  operation passes.
* softmax without the max shift, computed in float32 or float16, fails on
  exactly the cases whose rows make the textbook formula break in that format
  (an ``exp`` or the row's sum overflows, or every ``exp`` rounds to 0),
  worked out here from the inputs with ``math.exp``, not from the flags.
"""

import math
import os

import ml_dtypes
import numpy as np
import pytest

from nnref import conformance
from nnref.conformance import _data

NARROW = {"float16": np.float16, "bfloat16": ml_dtypes.bfloat16}
ACTIVATIONS_AND_DENSE = ["step", "linear", "relu", "sigmoid", "softmax", "dense"]


def _quiet(function):
    # Overflow to inf and 0/0 are what the cases provoke, not news.
    def wrapped(*args):
        with np.errstate(all="ignore"):
            return function(*args)
    return wrapped


def _rows(a):
    # A vector or a batch, as nnref's softmax takes; a plain number is an error there.
    if a.ndim not in (1, 2):
        raise TypeError("softmax needs a vector or a batch, got %d dimensions" % a.ndim)
    return a


def _softmax(a):
    """Softmax with the max shift, in ``a``'s own dtype: subtract, NumPy's exp, sum, divide."""
    a = _rows(a)
    if a.size == 0:
        return a.copy()
    exps = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return exps / np.sum(exps, axis=-1, keepdims=True)


def _tests(op, dtype):
    """The tests of the committed ``op`` vectors in ``dtype``."""
    path = os.path.join(_data.VECTORS_DIR, conformance.file_name(op, dtype))
    return [t for g in conformance.load(path)["testGroups"] for t in g["tests"]]


# --- sound: float32 with NumPy's exp -----------------------------------------------------

def test_numpy_float32_softmax_with_the_max_shift_passes():
    softmax = _quiet(lambda x: _softmax(np.asarray(x, dtype=np.float32)))
    report = conformance.run({"softmax": softmax}, dtype="float32", ops=["softmax"])
    assert report.ok and not report.failures, str(report)
    assert [r.cases for r in report.results] == [len(_tests("softmax", "float32"))]


# --- sound: float16 and bfloat16 computed in float32, rounded once ---------------------

def _dense(inputs, weights, biases):
    # nnref's shapes: [] is a batch of no rows, [] weights are k = 0 by m (m from the biases).
    if inputs.ndim == 1 and inputs.size == 0:
        return np.zeros((0, biases.shape[-1]), dtype=inputs.dtype)
    if weights.ndim == 1 and weights.size == 0:
        weights = np.zeros((inputs.shape[-1], biases.shape[-1]), dtype=inputs.dtype)
    if inputs.ndim != 2 or weights.ndim != 2 or biases.ndim not in (1, 2):
        raise ValueError("dense needs a batch, a weight matrix and a bias row")
    if (biases.ndim == 2 and biases.shape[0] != 1) or inputs.shape[1] != weights.shape[0] \
            or biases.shape[-1] != weights.shape[1]:
        raise ValueError("dense: shapes %s, %s, %s do not fit" % (inputs.shape, weights.shape, biases.shape))
    return inputs @ weights + biases


def _sigmoid(a):
    # Two branches, so exp never overflows: exp(-|x|) is in (0, 1].
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


FLOAT32_KERNELS = {
    "step": lambda a: np.heaviside(a, 0.0),
    "linear": lambda a: a,
    "relu": lambda a: np.maximum(0, a),
    "sigmoid": _sigmoid,
    "softmax": _softmax,
    "dense": _dense,
}


def float32_then_round(kind):
    """The kernels above on inputs of ``kind`` widened exactly to float32, each result
    rounded once to ``kind``."""
    def narrow(kernel):
        def call(*args):
            wide = [np.asarray(a, dtype=kind).astype(np.float32) for a in args]
            with np.errstate(all="ignore"):
                return np.asarray(kernel(*wide)).astype(kind)
        return call
    return dict((op, narrow(kernel)) for op, kernel in FLOAT32_KERNELS.items())


@pytest.mark.parametrize("dtype", sorted(NARROW))
def test_computing_in_float32_and_rounding_once_passes(dtype):
    report = conformance.run(float32_then_round(NARROW[dtype]), dtype=dtype)
    assert [r.op for r in report.results] == ACTIVATIONS_AND_DENSE
    assert report.ok and not report.failures, str(report)


def test_the_float32_kernels_themselves_pass_the_float32_vectors():
    # The same kernels, fed float32 and left in float32: sound float32 kernels too.
    impl = dict((op, _quiet(lambda *args, k=kernel: k(*[np.asarray(a, dtype=np.float32) for a in args])))
                for op, kernel in FLOAT32_KERNELS.items())
    report = conformance.run(impl, dtype="float32", ops=ACTIVATIONS_AND_DENSE)
    assert report.ok and not report.failures, str(report)


# --- wrong: no max shift ------------------------------------------------------------------

# Where exp(x) rounds to inf (at and above the midpoint between the largest finite
# value and the next power of two) and where it rounds to 0 (at and below half the
# smallest subnormal; the tie goes to the even 0).
OVERFLOW = {"float16": 65520.0, "float32": (2 - 2 ** -24) * 2.0 ** 127}
ZERO = {"float16": 2.0 ** -25, "float32": 2.0 ** -150}
KINDS = {"float16": np.float16, "float32": np.float32}


def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        return float("inf")


def _breaks_without_the_shift(x, dtype):
    """Whether exp(x) / sum(exp(x)) computed in ``dtype`` goes wrong on some row of ``x``:
    an exp or the row's sum overflows, or every exp of the row rounds to 0.  Rows
    that are NaN whatever is done (a NaN, only +inf, only -inf) do not count."""
    inf = float("inf")
    rows = x if x and isinstance(x[0], list) else [x]
    for row in rows:
        if not row or any(v != v for v in row) or all(v == inf for v in row) \
                or all(v == -inf for v in row):
            continue
        exps = [_exp(v) for v in row]
        if max(exps) >= OVERFLOW[dtype] or sum(exps) >= OVERFLOW[dtype]:
            return True
        if all(e <= ZERO[dtype] for e in exps):
            return True
    return False


def softmax_without_the_shift(kind):
    def softmax(x):
        exps = np.exp(_rows(np.asarray(x, dtype=kind)))
        return exps / np.sum(exps, axis=-1, keepdims=True)
    return _quiet(softmax)


@pytest.mark.parametrize("dtype", sorted(KINDS))
def test_softmax_without_the_max_shift_fails_exactly_where_the_formula_breaks(dtype):
    report = conformance.run({"softmax": softmax_without_the_shift(KINDS[dtype])},
                             dtype=dtype, ops=["softmax"])
    failed = sorted(f.tc_id for f in report.failures)
    tests = _tests("softmax", dtype)
    breaking = sorted(t["tcId"] for t in tests if t["result"] == "valid"
                      and _breaks_without_the_shift(_decode(t["inputs"]["x"]), dtype))
    assert not report.ok and breaking
    assert failed == breaking, [(t["tcId"], t["comment"]) for t in tests
                                if (t["tcId"] in failed) != (t["tcId"] in breaking)]
    # The three bugs the C++ port had are among them.
    comments = dict((t["tcId"], t["comment"]) for t in tests)
    assert any("overflow" in comments[i] for i in failed)             # exp overflows: NaN
    assert any("+inf" in comments[i] for i in failed)                 # only partly NaN
    assert any("underflows unshifted" in comments[i] for i in failed)  # 0 / 0


def _decode(tree):
    # Nested lists, or {"shape", "values"} where a dimension is empty (issue 13).
    return conformance.decode_tree(tree)
