"""nnref/conformance/_adapters.py with the real libraries: each computes in the dtype asked for.

Needs NumPy, PyTorch, ONNX, ONNX Runtime, JAX and ml_dtypes (CI's cross-check
venv; ``python -m pytest tests/peers``).
"""

import pytest

from nnref import _chapter
from nnref._base import formats
from nnref.cli import conformance as cli

ADAPTERS = cli.load_adapters()
PAIRS = [(library, dtype) for library in ADAPTERS.LIBRARIES for dtype in ADAPTERS.SUPPORTED[library]]


def _leaves(tree):
    if isinstance(tree, list):
        return [v for t in tree for v in _leaves(t)]
    return [tree]


def _rounded(tree, fmt):
    if isinstance(tree, list):
        return [_rounded(t, fmt) for t in tree]
    return formats.round_float(float(tree), fmt)


@pytest.mark.parametrize("library, dtype", PAIRS)
def test_every_output_is_a_plain_float_of_the_dtype(library, dtype):
    fmt = formats.FORMATS[dtype]
    impl, versions = ADAPTERS.adapter(library, dtype)
    assert library in versions and "python" in versions
    x = _rounded(_chapter.SOFTMAX_BATCH, fmt)
    weights = _rounded([list(col) for col in zip(*_chapter.WEIGHTS)], fmt)
    biases = _rounded(_chapter.BIASES, fmt)
    calls = dict((op, (x,)) for op in ("step", "linear", "relu", "sigmoid", "softmax"))
    calls["dense"] = (_rounded(_chapter.INPUTS, fmt), weights, biases)
    for op, args in sorted(calls.items()):
        out = impl[op](*args)
        leaves = _leaves(out)
        assert leaves and all(type(v) is float for v in leaves), (op, out)
        # A value of the dtype: rounding it to the dtype changes nothing.
        assert all(formats.round_float(v, fmt) == v for v in leaves), (op, out)
    # The one-point shape check: softmax rows sum to about 1 in the dtype.
    for row in impl["softmax"](x):
        assert abs(sum(row) - 1) <= 8 * 2.0 ** (1 - fmt.precision), row


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_the_narrow_adapters_really_compute_narrow(dtype):
    # sigmoid(1) is 0.7310585786300049 in float64; each library's answer is a
    # value of the dtype, within a few of its ULPs, and not the float64 one.
    fmt = formats.FORMATS[dtype]
    for library in ADAPTERS.LIBRARIES:
        value = ADAPTERS.adapter(library, dtype)[0]["sigmoid"]([1.0])[0]
        assert value != 0.7310585786300049
        assert abs(value - 0.7310585786300049) <= 4 * 2.0 ** (-fmt.precision), (library, value)


def test_a_missing_onnx_runtime_kernel_is_an_unsupported_operation_not_a_traceback():
    # ONNX Runtime's CPU provider has no bfloat16 kernels (and its binding takes no
    # ml_dtypes.bfloat16 arrays), so building the bfloat16 models is what a missing
    # kernel looks like: every operation comes back Unsupported, with the reason.
    import onnxruntime

    def session(proto):
        sess = onnxruntime.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
        return lambda feeds: sess.run(None, feeds)[0]

    impl = ADAPTERS._onnx_impl("bfloat16", session)
    assert sorted(impl) == ["dense", "linear", "relu", "sigmoid", "softmax", "step"]
    missing = dict((op, f) for op, f in impl.items() if isinstance(f, ADAPTERS.Unsupported))
    assert sorted(missing) == ["dense", "relu", "sigmoid", "softmax", "step"]
    assert "NOT_IMPLEMENTED" in missing["dense"].reason and "Gemm" in missing["dense"].reason
    with pytest.raises(ADAPTERS.Unsupported):
        missing["relu"]([1.0])
    # Identity has a bfloat16 kernel; it is the binding that refuses the array.
    with pytest.raises(Exception):
        impl["linear"]([1.0])


def test_the_reference_evaluator_runs_bfloat16():
    impl, _ = ADAPTERS.adapter("onnx", "bfloat16")
    assert impl["relu"]([-1.0, 0.5, 3.0]) == [0.0, 0.5, 3.0]
    assert impl["dense"]([[1.0, 2.0]], [[1.0], [1.0]], [0.5]) == [[3.5]]
