"""Adapters that run the conformance vectors through NumPy, PyTorch, ONNX and JAX.

Each adapter does what a user of that library would write, in float64:

==========  ====================================================================
library     operations
==========  ====================================================================
numpy       ``np.heaviside(x, 0)``, ``x``, ``np.maximum(0, x)``,
            ``1 / (1 + np.exp(-x))``, softmax with ``x - x.max(axis=-1)``,
            ``x @ W + b``; the data sets as nnfs writes them, with
            ``np.random.RandomState(seed)``
torch       ``torch.heaviside``, ``torch.relu``, ``torch.sigmoid``,
            ``torch.softmax(x, dim=-1)``, ``x @ W + b`` on float64 tensors
onnx        one-node models (``Greater``+``Cast`` for step, ``Identity``,
            ``Relu``, ``Sigmoid``, ``Softmax(axis=-1)``, ``Gemm``), run by
            ``onnx.reference.ReferenceEvaluator``
jax         ``jnp.heaviside``, ``jax.nn.relu``, ``jax.nn.sigmoid``,
            ``jax.nn.softmax(axis=-1)``, ``x @ W + b``, with ``jax_enable_x64``
==========  ====================================================================

This file lives outside the package on purpose: nnref itself needs nothing
but the standard library, and the peer libraries' code belongs with the other
tools that need them.  ``python -m nnref crosscheck LIB`` loads it from the
checkout (or from ``--adapters FILE``), and the library is imported only when
its adapter is asked for.  Install what you want to check into the environment that
runs ``python -m nnref crosscheck``: ``pip install numpy``, ``pip install
torch==2.13.0`` (on Python 3.11 that is the CPU build; other versions pull the
CUDA build), ``pip install onnx`` (it brings NumPy), ``pip install jax``.  ``adapter(name)`` returns ``(impl, versions)``: the
operation -> callable map for ``nnref.conformance.run`` and a
``{"numpy": "2.4.6", ...}`` map for the report.
"""

import platform

LIBRARIES = ("numpy", "torch", "onnx", "jax")


def adapter(name):
    """``(impl, versions)`` for ``name`` in ``LIBRARIES``; ImportError if it is not installed."""
    if name not in LIBRARIES:
        raise ValueError("crosscheck: unknown library %r; expected one of %s" % (name, ", ".join(LIBRARIES)))
    impl, versions = globals()["_" + name]()
    versions["python"] = platform.python_version()
    return impl, versions


def _numpy():
    import numpy as np

    def arr(x):
        return np.asarray(x, dtype=np.float64)

    def quiet(function):
        # Overflow to inf and invalid 0/0 are part of the cases, not news.
        def wrapped(*args):
            with np.errstate(all="ignore"):
                return function(*args)
        return wrapped

    def softmax(x):
        x = arr(x)
        exps = np.exp(x - np.max(x, axis=-1, keepdims=True))
        return exps / np.sum(exps, axis=-1, keepdims=True)

    impl = {
        "step": lambda x: np.heaviside(arr(x), 0.0),
        "linear": arr,
        "relu": lambda x: np.maximum(0, arr(x)),
        "sigmoid": lambda x: 1 / (1 + np.exp(-arr(x))),
        "softmax": softmax,
        "dense": lambda inputs, weights, biases: arr(inputs) @ arr(weights) + arr(biases),
        "spiral_data": lambda samples, classes, seed: _numpy_spiral(np, samples, classes, seed),
        "vertical_data": lambda samples, classes, seed: _numpy_vertical(np, samples, classes, seed),
        "sine_data": lambda samples: _numpy_sine(np, samples),
    }
    return dict((op, quiet(f)) for op, f in impl.items()), {"numpy": np.__version__}


def _check_sizes(*sizes):
    for size in sizes:
        if size < 0:
            raise ValueError("negative size %d" % size)


def _numpy_spiral(np, samples, classes, seed):
    # nnfs.datasets.spiral_data, with a seeded legacy generator instead of the global one.
    _check_sizes(samples, classes)
    rs = np.random.RandomState(seed)
    X = np.zeros((samples * classes, 2))
    y = np.zeros(samples * classes, dtype="uint8")
    for c in range(classes):
        ix = range(samples * c, samples * (c + 1))
        r = np.linspace(0.0, 1, samples)
        t = np.linspace(c * 4, (c + 1) * 4, samples) + rs.randn(samples) * 0.2
        X[ix] = np.c_[r * np.sin(t * 2.5), r * np.cos(t * 2.5)]
        y[ix] = c
    return X, y


def _numpy_vertical(np, samples, classes, seed):
    _check_sizes(samples, classes)
    rs = np.random.RandomState(seed)
    X = np.zeros((samples * classes, 2))
    y = np.zeros(samples * classes, dtype="uint8")
    for c in range(classes):
        ix = range(samples * c, samples * (c + 1))
        X[ix] = np.c_[rs.randn(samples) * 0.1 + c / 3, rs.randn(samples) * 0.1 + 0.5]
        y[ix] = c
    return X, y


def _numpy_sine(np, samples):
    X = np.arange(samples).reshape(-1, 1) / samples
    return X, np.sin(2 * np.pi * X)


def _torch():
    import torch

    def t(x):
        return torch.tensor(x, dtype=torch.float64)

    impl = {
        "step": lambda x: torch.heaviside(t(x), torch.tensor(0.0, dtype=torch.float64)),
        "linear": t,
        "relu": lambda x: torch.relu(t(x)),
        "sigmoid": lambda x: torch.sigmoid(t(x)),
        "softmax": lambda x: torch.softmax(t(x), dim=-1),
        "dense": lambda inputs, weights, biases: t(inputs) @ t(weights) + t(biases),
    }
    return impl, {"torch": torch.__version__}


def _onnx():
    import numpy as np
    import onnx
    from onnx import TensorProto, helper
    from onnx.reference import ReferenceEvaluator

    def model(nodes, inputs):
        graph = helper.make_graph(
            nodes, "nnref_crosscheck",
            [helper.make_tensor_value_info(name, TensorProto.DOUBLE, None) for name in inputs],
            [helper.make_tensor_value_info("Y", TensorProto.DOUBLE, None)])
        return ReferenceEvaluator(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)]))

    def single(op_type, **attributes):
        return model([helper.make_node(op_type, ["X"], ["Y"], **attributes)], ["X"])

    def runner(evaluator, names):
        def call(*args):
            feeds = dict((name, np.asarray(a, dtype=np.float64)) for name, a in zip(names, args))
            return evaluator.run(None, feeds)[0]
        return call

    # ONNX has no Heaviside: a user writes Greater(x, 0) then Cast to double.
    zero = helper.make_tensor("zero", TensorProto.DOUBLE, [], [0.0])
    step = model([helper.make_node("Constant", [], ["Z"], value=zero),
                  helper.make_node("Greater", ["X", "Z"], ["G"]),
                  helper.make_node("Cast", ["G"], ["Y"], to=TensorProto.DOUBLE)], ["X"])
    impl = {
        "step": runner(step, ["X"]),
        "linear": runner(single("Identity"), ["X"]),
        "relu": runner(single("Relu"), ["X"]),
        "sigmoid": runner(single("Sigmoid"), ["X"]),
        "softmax": runner(single("Softmax", axis=-1), ["X"]),
        "dense": runner(model([helper.make_node("Gemm", ["A", "B", "C"], ["Y"])], ["A", "B", "C"]),
                        ["A", "B", "C"]),
    }
    return impl, {"onnx": onnx.__version__, "numpy": np.__version__}


def _jax():
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    def a(x):
        return jnp.asarray(x, dtype=jnp.float64)

    impl = {
        "step": lambda x: jnp.heaviside(a(x), 0.0),
        "linear": a,
        "relu": lambda x: jax.nn.relu(a(x)),
        "sigmoid": lambda x: jax.nn.sigmoid(a(x)),
        "softmax": lambda x: jax.nn.softmax(a(x), axis=-1),
        "dense": lambda inputs, weights, biases: a(inputs) @ a(weights) + a(biases),
    }
    return impl, {"jax": jax.__version__}
