"""Adapters that run the conformance vectors through NumPy, PyTorch, ONNX, ONNX Runtime and JAX.

Each adapter does what a user of that library would write, in the dtype
asked for: the inputs become arrays or tensors of that dtype (the vectors'
inputs are values of it, so this is exact), the library's own operations run
in that dtype, and the outputs come back as Python floats, exactly
(float16 and bfloat16 widen to float32 and float64 without rounding):

===========  ==================================================================
library      operations
===========  ==================================================================
numpy        ``np.heaviside(x, 0)``, ``x``, ``np.maximum(0, x)``,
             ``1 / (1 + np.exp(-x))``, softmax with ``x - x.max(axis=-1)``,
             ``x @ W + b``, on ``np.float64``/``float32``/``float16`` arrays;
             the data sets as nnfs writes them, with
             ``np.random.RandomState(seed)``: in float64 all three, in
             float32 the two that ``nnfs.init()`` makes float32 (``randn``
             and ``zeros`` give float32); the losses as the book's NumPy
             code writes them (``np.clip``, ``-np.log``, ``-y / p / n``,
             ``np.argmax``)
torch        ``torch.heaviside``, ``torch.relu``, ``torch.sigmoid``,
             ``torch.softmax(x, dim=-1)``, ``x @ W + b`` on tensors of
             ``torch.float64``/``float32``/``float16``/``bfloat16`` (CPU);
             the backward passes by ``torch.autograd.grad`` of ``relu``,
             ``sigmoid``, ``softmax`` and ``x @ W + b`` (a zero bias) with
             the dvalues as ``grad_outputs``; the losses by ``F.nll_loss``
             of the clamped log, ``torch.autograd.grad`` of the mean -sum y
             log p and of ``F.cross_entropy``, and ``torch.argmax``
onnx         one-node models (``Greater``+``Cast`` for step, ``Identity``,
             ``Relu``, ``Sigmoid``, ``Softmax(axis=-1)``, ``Gemm``) with
             ``TensorProto.DOUBLE``/``FLOAT``/``FLOAT16``/``BFLOAT16`` (fed
             ``ml_dtypes.bfloat16`` arrays), run by
             ``onnx.reference.ReferenceEvaluator``
onnxruntime  the same models, run by ``onnxruntime.InferenceSession`` with
             ``providers=["CPUExecutionProvider"]``, in float64, float32 and
             float16 (its CPU provider has no bfloat16 kernels for them)
jax          ``jnp.heaviside``, ``jax.nn.relu``, ``jax.nn.sigmoid``,
             ``jax.nn.softmax(axis=-1)``, ``x @ W + b`` on ``jnp`` arrays of
             float64 (with ``jax_enable_x64``), float32, float16, bfloat16;
             the backward passes by ``jax.vjp`` of the same operations; the
             losses in ``jnp`` as the book writes them, their gradients by
             ``jax.vjp``, accuracy by ``jnp.argmax``
===========  ==================================================================

``SUPPORTED`` says which dtypes each library runs: NumPy has no bfloat16,
and ONNX Runtime's CPU provider has no bfloat16 kernels for these operators
(nor can its Python binding take an ``ml_dtypes.bfloat16`` array).  ``adapter(name, dtype)`` raises ``Unsupported`` (a
``ValueError``) for any other pair, before importing anything.

An operation a library cannot run in a dtype it otherwise supports (ONNX
Runtime without a kernel for it, say) is not left out silently: its entry in
the map is an ``Unsupported`` object whose ``reason`` says why, and
``python -m nnref crosscheck`` reports it as skipped with that reason.

The adapters ship with the package, so ``python -m nnref crosscheck LIB``
works from an installed wheel; ``--adapters FILE`` replaces them with a
module of your own.  nnref itself needs nothing but the standard library: a
library is imported (by ``_library``) only when its adapter is called, never
when nnref or this module is.  Install what you want to check into the environment
that runs ``python -m nnref crosscheck``: ``pip install numpy``, ``pip install
torch==2.13.0`` (on Python 3.11 that is the CPU build; other versions pull the
CUDA build), ``pip install onnx`` (it brings NumPy), ``pip install
onnxruntime``, ``pip install jax``.  ``adapter(name, dtype)`` returns
``(impl, versions)``: the operation -> callable map for
``nnref.conformance.run`` and a ``{"numpy": "2.4.6", ...}`` map for the
report.
"""

import importlib
import platform

LIBRARIES = ("numpy", "torch", "onnx", "onnxruntime", "jax")
DTYPES = ("float64", "float32", "float16", "bfloat16")

def _library(name):
    """The module ``name`` of a peer library, imported now, when an adapter needs it.

    ImportError, naming what to install, if it is missing.
    """
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ImportError("%s is not installed here (%s); pip install %s"
                          % (name, exc, name.split(".")[0]))


SUPPORTED = {
    "numpy": ("float64", "float32", "float16"),
    "torch": DTYPES,
    "onnx": DTYPES,
    "onnxruntime": ("float64", "float32", "float16"),
    "jax": DTYPES,
}

_WHY_NOT = {
    ("numpy", "bfloat16"): "NumPy has no bfloat16 dtype",
    ("onnxruntime", "bfloat16"): "ONNX Runtime's CPU provider has no bfloat16 kernels for "
                                 "Greater, Relu, Sigmoid, Softmax or Gemm",
}


class Unsupported(ValueError):
    """A library, dtype or operation the adapters cannot run; ``reason`` says why.

    Raised by ``adapter`` for a (library, dtype) pair outside ``SUPPORTED``;
    an instance also stands in an ``impl`` map for one operation the library
    cannot run in that dtype (calling it raises it).
    """

    def __init__(self, reason):
        ValueError.__init__(self, reason)
        self.reason = reason

    def __call__(self, *args):
        raise self


def check_supported(name, dtype):
    """Raise ``ValueError`` for an unknown library or dtype, ``Unsupported`` for an unsupported pair."""
    if name not in LIBRARIES:
        raise ValueError("unknown library %r; expected one of %s" % (name, ", ".join(LIBRARIES)))
    if dtype not in DTYPES:
        raise ValueError("unknown dtype %r; expected one of %s" % (dtype, ", ".join(DTYPES)))
    if dtype not in SUPPORTED[name]:
        raise Unsupported("%s is not supported in %s (%s); it runs in %s"
                          % (name, dtype, _WHY_NOT.get((name, dtype), "no adapter"),
                             ", ".join(SUPPORTED[name])))


def adapter(name, dtype="float64"):
    """``(impl, versions)`` for ``name`` in ``LIBRARIES`` computing in ``dtype``.

    ``Unsupported`` if the library does not run in that dtype (checked
    before importing it); ImportError if it is not installed.
    """
    check_supported(name, dtype)
    impl, versions = globals()["_" + name](dtype)
    versions["python"] = platform.python_version()
    return impl, versions


# --- NumPy ------------------------------------------------------------------------------

def _numpy_dtype(np, dtype):
    if dtype == "bfloat16":
        return _library("ml_dtypes").bfloat16
    return getattr(np, dtype)


def _to_floats(np):
    """Array -> nested Python floats, exactly (float16 and bfloat16 widen exactly)."""
    def convert(value):
        value = np.asarray(value)
        if value.dtype.kind == "f" or value.dtype.name == "bfloat16":
            value = value.astype(np.float64)
        return value.tolist()
    return convert


def _numpy(dtype):
    np = _library("numpy")
    kind = _numpy_dtype(np, dtype)
    plain = _to_floats(np)

    def arr(x):
        return np.asarray(x, dtype=kind)

    def quiet(function):
        # Overflow to inf and invalid 0/0 are part of the cases, not news.
        def wrapped(*args):
            with np.errstate(all="ignore"):
                return plain(function(*args))
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
    }
    impl.update(_numpy_losses(np, kind, arr, softmax))
    impl = dict((op, quiet(f)) for op, f in impl.items())
    if dtype in ("float64", "float32"):
        # The data sets as nnfs writes them (after nnfs.init() in float32: randn and
        # zeros give float32); X and y are returned as they are.
        impl["spiral_data"] = lambda samples, classes, seed: _numpy_spiral(np, kind, samples, classes, seed)
        impl["vertical_data"] = lambda samples, classes, seed: _numpy_vertical(np, kind, samples, classes, seed)
    if dtype == "float64":
        impl["sine_data"] = lambda samples: _numpy_sine(np, samples)
    return impl, {"numpy": np.__version__}


def _numpy_losses(np, kind, arr, softmax):
    """The book's NumPy loss code (chapters 5, 6 and 9), in the array's dtype."""
    def one_hot(y_true, classes):
        y = np.asarray(y_true)
        return np.eye(classes, dtype=kind)[y.astype(np.intp)] if y.ndim == 1 else arr(y_true)

    def batch(y_pred):
        p = arr(y_pred)
        return p.reshape(0, 1) if p.size == 0 and p.ndim == 1 else p

    def crossentropy(y_pred, y_true, reduction="mean"):
        clipped = np.clip(batch(y_pred), 1e-7, 1 - 1e-7)
        y = np.asarray(y_true)
        if y.ndim == 1:
            # the book's y_pred_clipped[range(samples), y_true] (JSON's [] is a float array)
            confidences = clipped[range(len(clipped)), y if y.size else y.astype(np.intp)]
        else:
            confidences = np.sum(clipped * arr(y_true), axis=1)
        losses = -np.log(confidences)
        if reduction == "none":
            return losses
        return (np.mean(losses) if reduction == "mean" else np.sum(losses)).astype(kind)

    def crossentropy_backward(y_pred, y_true):
        p = batch(y_pred)
        return -one_hot(y_true, p.shape[1]) / p / kind(len(p))

    def softmax_crossentropy_backward(inputs, y_true):
        x = batch(inputs)
        return (softmax(x) - one_hot(y_true, x.shape[1])) / kind(len(x))

    def accuracy(y_pred, y_true):
        p = batch(y_pred)
        y = np.asarray(y_true)
        if y.ndim == 2:
            y = np.argmax(y, axis=1)
        return np.mean(np.argmax(p, axis=1) == y).astype(kind)

    return {"categorical_crossentropy": crossentropy,
            "categorical_crossentropy_backward": crossentropy_backward,
            "softmax_crossentropy_backward": softmax_crossentropy_backward,
            "accuracy": accuracy}


def _check_sizes(*sizes):
    for size in sizes:
        if size < 0:
            raise ValueError("negative size %d" % size)


def _numpy_randn(np, kind, seed):
    # A seeded legacy generator instead of nnfs's global one; nnfs.init() makes
    # randn return float32 (the float64 draws, rounded).
    rs = np.random.RandomState(seed)
    return lambda n: rs.randn(n).astype(kind)


def _numpy_classes(np, kind, samples, classes, seed, points):
    # The frame nnfs's spiral_data and vertical_data share: a seeded legacy
    # generator instead of nnfs's global one, zeros of ``kind``, and
    # points(c, randn) giving class c's (samples, 2) block, in class order.
    _check_sizes(samples, classes)
    randn = _numpy_randn(np, kind, seed)
    X = np.zeros((samples * classes, 2), dtype=kind)
    y = np.zeros(samples * classes, dtype="uint8")
    for c in range(classes):
        ix = range(samples * c, samples * (c + 1))
        X[ix] = points(c, randn)
        y[ix] = c
    return X, y


def _numpy_spiral(np, kind, samples, classes, seed):
    # nnfs.datasets.spiral_data.
    def points(c, randn):
        r = np.linspace(0.0, 1, samples)
        t = np.linspace(c * 4, (c + 1) * 4, samples) + randn(samples) * 0.2
        return np.c_[r * np.sin(t * 2.5), r * np.cos(t * 2.5)]
    return _numpy_classes(np, kind, samples, classes, seed, points)


def _numpy_vertical(np, kind, samples, classes, seed):
    # nnfs.datasets.vertical_data.
    def points(c, randn):
        return np.c_[randn(samples) * 0.1 + c / 3, randn(samples) * 0.1 + 0.5]
    return _numpy_classes(np, kind, samples, classes, seed, points)


def _numpy_sine(np, samples):
    X = np.arange(samples).reshape(-1, 1) / samples
    return X, np.sin(2 * np.pi * X)


# --- PyTorch ----------------------------------------------------------------------------

def _torch(dtype):
    torch = _library("torch")
    kind = getattr(torch, dtype)

    def t(x):
        return torch.tensor(x, dtype=kind)

    def plain(function):
        # float16 and bfloat16 widen to float64 exactly; so does float32.
        def wrapped(*args):
            return function(*args).to(torch.float64).tolist()
        return wrapped

    impl = {
        "step": lambda x: torch.heaviside(t(x), torch.tensor(0.0, dtype=kind)),
        "linear": t,
        "relu": lambda x: torch.relu(t(x)),
        "sigmoid": lambda x: torch.sigmoid(t(x)),
        "softmax": lambda x: torch.softmax(t(x), dim=-1),
        "dense": lambda inputs, weights, biases: t(inputs) @ t(weights) + t(biases),
    }
    impl = dict((op, plain(f)) for op, f in impl.items())

    def grad_of(forward):
        # The vector-Jacobian product by autograd: torch.autograd.grad of the forward op
        # with the given dvalues as grad_outputs.
        def backward(dvalues, inputs):
            x = t(inputs).requires_grad_()
            (dx,) = torch.autograd.grad(forward(x), x, grad_outputs=t(dvalues))
            return dx.to(torch.float64).tolist()
        return backward

    def dense_backward(dvalues, inputs, weights):
        x, w = t(inputs).requires_grad_(), t(weights).requires_grad_()
        b = torch.zeros((1, w.shape[-1]), dtype=kind, requires_grad=True)
        grads = torch.autograd.grad(x @ w + b, (x, w, b), grad_outputs=t(dvalues))
        return tuple(g.to(torch.float64).tolist() for g in grads)

    impl.update({
        "relu_backward": grad_of(torch.relu),
        "sigmoid_backward": grad_of(torch.sigmoid),
        "softmax_backward": grad_of(lambda x: torch.softmax(x, dim=-1)),
        "dense_backward": dense_backward,
    })
    impl.update(_torch_losses(torch, kind, t))
    return impl, {"torch": torch.__version__}


def _torch_losses(torch, kind, t):
    """The losses as a PyTorch user writes them: ``F.nll_loss`` of the clamped log
    (class indices) or the book's formula (one-hot rows), ``F.cross_entropy`` for
    the softmax step, and ``torch.autograd.grad`` for the two gradients."""
    F = _library("torch.nn.functional")

    def batch(y_pred):
        p = t(y_pred)
        return p.reshape(0, 1) if p.numel() == 0 and p.dim() == 1 else p

    def labels_or_rows(y_true, classes):
        # (indices, None) for class indices, (None, rows) for one-hot rows
        if y_true and isinstance(y_true[0], list):
            return None, t(y_true)
        # torch.tensor of ints is int64, as nll_loss wants; float labels stay float
        return torch.tensor(y_true) if y_true else torch.zeros(0, dtype=torch.int64), None

    def one_hot(y_true, classes):
        indices, rows = labels_or_rows(y_true, classes)
        return rows if rows is not None else F.one_hot(indices, classes).to(kind)

    def out(value):
        return value.detach().to(torch.float64).tolist()

    def crossentropy(y_pred, y_true, reduction="mean"):
        p = batch(y_pred)
        clipped = torch.clamp(p, 1e-7, 1 - 1e-7)
        indices, rows = labels_or_rows(y_true, p.shape[1])
        if indices is not None:
            return out(F.nll_loss(torch.log(clipped), indices, reduction=reduction))
        losses = -torch.log(torch.sum(clipped * rows, dim=1))
        return out({"none": losses, "sum": losses.sum(), "mean": losses.mean()}[reduction])

    def crossentropy_backward(y_pred, y_true):
        # d/dp of the unclipped mean -sum(y log p), as the book's backward has no clip
        p = batch(y_pred).requires_grad_()
        y = one_hot(y_true, p.shape[1])
        loss = -(y * torch.log(p)).sum(dim=1).mean()
        (grad,) = torch.autograd.grad(loss, p)
        return out(grad)

    def softmax_crossentropy_backward(inputs, y_true):
        x = batch(inputs).requires_grad_()
        indices, rows = labels_or_rows(y_true, x.shape[1])
        loss = F.cross_entropy(x, indices if indices is not None else rows)
        (grad,) = torch.autograd.grad(loss, x)
        return out(grad)

    def accuracy(y_pred, y_true):
        p = batch(y_pred)
        indices, rows = labels_or_rows(y_true, p.shape[1])
        if rows is not None:
            indices = torch.argmax(rows, dim=1)
        return out((torch.argmax(p, dim=1) == indices).to(kind).mean())

    return {"categorical_crossentropy": crossentropy,
            "categorical_crossentropy_backward": crossentropy_backward,
            "softmax_crossentropy_backward": softmax_crossentropy_backward,
            "accuracy": accuracy}


# --- ONNX: the reference evaluator and ONNX Runtime -------------------------------------

def _onnx_models(dtype):
    """``{op: (ModelProto, input names)}``: one-node models a user of ONNX would write."""
    np = _library("numpy")
    onnx = _library("onnx")
    TensorProto, helper, numpy_helper = onnx.TensorProto, onnx.helper, onnx.numpy_helper

    elem = {"float64": TensorProto.DOUBLE, "float32": TensorProto.FLOAT,
            "float16": TensorProto.FLOAT16, "bfloat16": TensorProto.BFLOAT16}[dtype]

    def model(nodes, inputs):
        graph = helper.make_graph(
            nodes, "nnref_crosscheck",
            [helper.make_tensor_value_info(name, elem, None) for name in inputs],
            [helper.make_tensor_value_info("Y", elem, None)])
        # Opset 21 and IR version 10: what onnx 1.23 writes, and what ONNX Runtime reads.
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)], ir_version=10), inputs

    def single(op_type, **attributes):
        return model([helper.make_node(op_type, ["X"], ["Y"], **attributes)], ["X"])

    # ONNX has no Heaviside: a user writes Greater(x, 0) then Cast to the dtype.
    zero = numpy_helper.from_array(np.zeros((), dtype=_numpy_dtype(np, dtype)), "zero")
    return {
        "step": model([helper.make_node("Constant", [], ["Z"], value=zero),
                       helper.make_node("Greater", ["X", "Z"], ["G"]),
                       helper.make_node("Cast", ["G"], ["Y"], to=elem)], ["X"]),
        "linear": single("Identity"),
        "relu": single("Relu"),
        "sigmoid": single("Sigmoid"),
        "softmax": single("Softmax", axis=-1),
        "dense": model([helper.make_node("Gemm", ["A", "B", "C"], ["Y"])], ["A", "B", "C"]),
    }


def _onnx_impl(dtype, session):
    """Build each op's runner with ``session(model) -> run(feeds)``; an op whose model
    the runtime refuses becomes ``Unsupported`` with the runtime's message."""
    np = _library("numpy")
    kind = _numpy_dtype(np, dtype)
    plain = _to_floats(np)

    def runner(run, names):
        def call(*args):
            feeds = dict((name, np.asarray(a, dtype=kind)) for name, a in zip(names, args))
            with np.errstate(all="ignore"):
                return plain(run(feeds))
        return call

    impl = {}
    for op, (proto, names) in sorted(_onnx_models(dtype).items()):
        try:
            run = session(proto)
        except Exception as exc:    # no kernel for this operator in this dtype
            impl[op] = Unsupported("no %s kernel: %s" % (dtype, _first_line(exc)))
            continue
        impl[op] = runner(run, names)
    return impl


def _first_line(exc):
    text = str(exc).strip().splitlines()
    return "%s: %s" % (type(exc).__name__, text[0] if text else "")


def _onnx(dtype):
    np = _library("numpy")
    onnx = _library("onnx")
    ReferenceEvaluator = _library("onnx.reference").ReferenceEvaluator

    def session(proto):
        evaluator = ReferenceEvaluator(proto)
        return lambda feeds: evaluator.run(None, feeds)[0]

    return _onnx_impl(dtype, session), {"onnx": onnx.__version__, "numpy": np.__version__}


def _onnxruntime(dtype):
    onnx = _library("onnx")
    onnxruntime = _library("onnxruntime")

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4      # fatal only: the invalid cases make it log every rejection

    def session(proto):
        sess = onnxruntime.InferenceSession(proto.SerializeToString(), options,
                                            providers=["CPUExecutionProvider"])
        return lambda feeds: sess.run(None, feeds)[0]

    return _onnx_impl(dtype, session), {"onnxruntime": onnxruntime.__version__,
                                        "onnx": onnx.__version__}


# --- JAX --------------------------------------------------------------------------------

def _jax(dtype):
    jax = _library("jax")
    # float64 needs x64 mode; every narrower dtype runs as JAX users run it, without.
    jax.config.update("jax_enable_x64", dtype == "float64")
    jnp = _library("jax.numpy")
    np = _library("numpy")
    kind = getattr(jnp, dtype)
    plain = _to_floats(np)

    def a(x):
        return jnp.asarray(x, dtype=kind)

    impl = {
        "step": lambda x: jnp.heaviside(a(x), 0.0),
        "linear": a,
        "relu": lambda x: jax.nn.relu(a(x)),
        "sigmoid": lambda x: jax.nn.sigmoid(a(x)),
        "softmax": lambda x: jax.nn.softmax(a(x), axis=-1),
        "dense": lambda inputs, weights, biases: a(inputs) @ a(weights) + a(biases),
    }
    impl = dict((op, (lambda f: lambda *args: plain(f(*args)))(f)) for op, f in impl.items())

    def vjp_of(forward):
        # jax.vjp of the forward op, applied to the given dvalues.
        def backward(dvalues, inputs):
            _, pullback = jax.vjp(forward, a(inputs))
            return plain(pullback(a(dvalues))[0])
        return backward

    def dense_backward(dvalues, inputs, weights):
        w = a(weights)
        b = jnp.zeros((1, w.shape[-1]), dtype=kind)
        _, pullback = jax.vjp(lambda x, w, b: x @ w + b, a(inputs), w, b)
        return tuple(plain(g) for g in pullback(a(dvalues)))

    impl.update({
        "relu_backward": vjp_of(jax.nn.relu),
        "sigmoid_backward": vjp_of(jax.nn.sigmoid),
        "softmax_backward": vjp_of(lambda x: jax.nn.softmax(x, axis=-1)),
        "dense_backward": dense_backward,
    })
    impl.update(_jax_losses(jax, jnp, kind, a, plain))
    return impl, {"jax": jax.__version__}


def _jax_losses(jax, jnp, kind, a, plain):
    """The losses in ``jnp`` as the book writes them (``jnp.clip``, ``-jnp.log``, the
    mean), the two gradients by ``jax.vjp`` (of the unclipped mean ``-sum(y log p)``,
    and of the mean ``-sum(y * log_softmax(x))``), accuracy by ``jnp.argmax``."""
    def batch(y_pred):
        p = a(y_pred)
        return p.reshape(0, 1) if p.size == 0 and p.ndim == 1 else p

    def one_hot(y_true, classes):
        if y_true and isinstance(y_true[0], list):
            return a(y_true)
        return jax.nn.one_hot(jnp.asarray(y_true, dtype=jnp.int32), classes, dtype=kind)

    def crossentropy(y_pred, y_true, reduction="mean"):
        p = batch(y_pred)
        clipped = jnp.clip(p, 1e-7, 1 - 1e-7)
        if y_true and isinstance(y_true[0], list):
            confidences = jnp.sum(clipped * a(y_true), axis=1)
        else:
            labels = jnp.asarray(y_true) if y_true else jnp.zeros(0, dtype=jnp.int32)
            confidences = clipped[jnp.arange(p.shape[0]), labels]
        losses = -jnp.log(confidences)
        return plain({"none": losses, "sum": jnp.sum(losses), "mean": jnp.mean(losses)}[reduction])

    def pullback_of(loss, x):
        value, pullback = jax.vjp(loss, x)
        return plain(pullback(jnp.ones_like(value))[0])

    def crossentropy_backward(y_pred, y_true):
        p = batch(y_pred)
        y = one_hot(y_true, p.shape[1])
        return pullback_of(lambda p: -jnp.mean(jnp.sum(y * jnp.log(p), axis=1)), p)

    def softmax_crossentropy_backward(inputs, y_true):
        x = batch(inputs)
        y = one_hot(y_true, x.shape[1])
        return pullback_of(lambda x: -jnp.mean(jnp.sum(y * jax.nn.log_softmax(x, axis=-1), axis=1)), x)

    def accuracy(y_pred, y_true):
        p = batch(y_pred)
        if y_true and isinstance(y_true[0], list):
            labels = jnp.argmax(a(y_true), axis=1)
        else:
            labels = jnp.asarray(y_true, dtype=jnp.int32)
        return plain(jnp.mean(jnp.argmax(p, axis=1) == labels).astype(kind))

    return {"categorical_crossentropy": crossentropy,
            "categorical_crossentropy_backward": crossentropy_backward,
            "softmax_crossentropy_backward": softmax_crossentropy_backward,
            "accuracy": accuracy}
