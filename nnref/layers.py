"""The dense layer and the layer objects that mirror the book's classes.

``dense(inputs, weights, biases)`` is the chapter's ``np.dot(inputs,
weights) + biases``.  ``Dense``, ``Step``, ``Linear``, ``Sigmoid``, ``ReLU``
and ``Softmax`` are the book's ``Layer_Dense`` and ``Activation_*`` classes:
``forward(inputs)`` sets ``.output`` and returns it, and keeps ``.inputs``;
``backward(dvalues)`` sets ``.dinputs`` (``Dense`` also ``.dweights`` and
``.dbiases``), as the book's chapter 9 code does, by the functions of
``nnref.gradients``.

The book-mode classes (``nnref.book.Layer_Dense``, ``Activation_ReLU`` ...)
are built on the same two private bases, so all of them check their sizes
and generator the same way, name ``<Class>.forward`` in the errors of
``forward``, and show the same repr: ``Dense(n_inputs=2, n_neurons=3)``,
``ReLU()`` before the first ``forward`` and ``ReLU(output shape (300, 3))``
after it, with ``float32`` added for book mode.
"""

from . import activations, gradients
from ._base.checks import check_count, check_size, dense_operands, plain_dense_operands
from ._base.dot import dense_rows, flat_elements, scaled_input_columns, takes_columns
from .rng import _resolve_rng


def dense(inputs, weights, biases):
    """A dense layer's output: inputs @ weights + biases, each output correctly rounded.

    Formula: out[i][j] = sum_k inputs[i][k] * weights[k][j] + biases[j].

    Shapes: ``inputs`` is n x k (a batch; one sample is ``[sample]``),
    ``weights`` k x m, ``biases`` 1 x m (how the book stores them) or a
    length-m vector; the result is a new n x m batch.  Any of n, k and m
    may be 0, with NumPy's shapes; nested lists give the sizes by one rule
    (docs/spec.md, "Zero sizes"): ``inputs == []`` is n == 0, and gives
    ``[]``; rows ``[]`` are k == 0, with ``weights == []`` (a (0, m) matrix,
    m the length of the biases), and give a copy of the biases for every
    row; weights of empty rows with biases ``[]`` or ``[[]]`` are m == 0,
    and give n empty rows.

    Accuracy: every output is the exact sum of the exact products and the
    bias, rounded once to the nearest float (ties to even), on every
    interpreter; measured: no output off on random, ill-conditioned, huge,
    tiny, subnormal and cancelling data (``benchmarks/accuracy.py``), at
    about the speed of the plain ``sum(map(mul, row, col)) + b`` idiom.
    Nothing overflows on the way: ``[[1e308, 1e308, -1e308]]`` times a
    column of ones is ``1e308``.

    Special cases (IEEE arithmetic on the exact terms):

    - If an input or weight in a product is NaN, the result is NaN.
    - If a product is 0 * inf, the result is NaN.
    - If the terms include both +inf and -inf, the result is NaN.
    - If the terms include +inf and not -inf or NaN, the result is +inf.
    - If the exact sum is zero and every term is -0.0, the result is -0.0.
    - If the exact sum is zero otherwise, the result is +0.0.
    - If `inputs` is `[[], []]`, `dense(inputs, [], [])` is `[[], []]`.
    - If `weights` is `[[]]`, `dense([[1.0]], weights, [])` is `[[]]`.

    >>> dense([[1, 2, 3, 2.5]], [[0.2, 0.5], [0.8, -0.91], [-0.5, 0.26], [1.0, -0.5]], [2, 3])
    [[4.8, 1.21]]
    >>> dense([[1e308, 1e308, -1e308]], [[1.0], [1.0], [1.0]], [[0.0]])
    [[1e+308]]
    """
    return _dense(inputs, weights, biases, "dense")


def _dense(inputs, weights, biases, func):
    # Plain float operands go straight in (dense_rows neither changes nor
    # returns its arguments' lists); anything else is checked and copied.
    operands = plain_dense_operands(inputs, weights, biases)
    if operands is None:
        operands = dense_operands(inputs, weights, biases, func)
    return dense_rows(*operands)


class _Layer(object):
    # What every layer class shares, nnref's and nnref.book's: forward(inputs)
    # sets and returns .output, naming "<Class>.forward" in its errors; the
    # repr is "<Class>(fields..., tag)", where the tag says the arithmetic
    # when it is not float64 (book mode: "float32").
    _tag = None

    def forward(self, inputs):
        """Set and return ``self.output``, the layer's output for ``inputs`` (kept as ``self.inputs``)."""
        # Book mode's _apply keeps its own float32 copy as .inputs; the float
        # tier keeps the caller's object, as the book's ``self.inputs = inputs``.
        kept, self.inputs = getattr(self, "inputs", None), None
        try:
            self.output = self._apply(inputs, type(self).__name__ + ".forward")
        except Exception:
            self.inputs = kept  # a refused call leaves the layer as it was
            raise
        if self.inputs is None:
            self.inputs = inputs
        return self.output

    def _backward_name(self):
        # "<Class>.backward", once forward has given the layer its inputs.
        func = type(self).__name__ + ".backward"
        if getattr(self, "inputs", None) is None:
            raise ValueError("%s: the layer has no inputs yet; call forward first" % func)
        return func

    def _fields(self):
        out = self.output
        if isinstance(out, list) and out and isinstance(out[0], list):
            return ["output shape (%d, %d)" % (len(out), len(out[0]))]
        if isinstance(out, list):
            return ["output shape (%d,)" % len(out)]
        if out is not None:
            return ["output=%r" % (out,)]
        return []

    def __repr__(self):
        fields = self._fields()
        if self._tag is not None:
            fields.append(self._tag)
        return "%s(%s)" % (type(self).__name__, ", ".join(fields))


class _DenseLayer(_Layer):
    # Dense and book.Layer_Dense: sizes and rng checked, weights made by
    # _weights_from(randn(n_inputs, n_neurons)), zero biases, no output yet.
    def __init__(self, n_inputs, n_neurons, rng=None):
        func = type(self).__name__
        n_inputs = check_size(func, "n_inputs", n_inputs)
        n_neurons = check_size(func, "n_neurons", n_neurons)
        check_count(func, "weights (%d, %d)" % (n_inputs, n_neurons), n_inputs * n_neurons)
        draws = _resolve_rng(func, rng).randn(n_inputs, n_neurons)
        self.n_inputs = n_inputs
        self.n_neurons = n_neurons
        self.weights = self._weights_from(draws)
        self.biases = [[0.0] * n_neurons]
        self.output = None

    def _fields(self):
        return ["n_inputs=%d" % self.n_inputs, "n_neurons=%d" % self.n_neurons]


class Dense(_DenseLayer):
    """The book's ``Layer_Dense``: weights ``0.01 * randn(n_inputs, n_neurons)``, zero biases.

    ``n_inputs`` and ``n_neurons`` are sizes: ints from 0 to 10**8, with at
    most 10**8 weights in all (``TypeError`` / ``ValueError`` otherwise).  A
    size of 0 gives NumPy's shapes: ``Dense(2, 0).forward([[1.0, 2.0]])`` is
    ``[[]]``.  ``rng`` is a ``RandomState``, or any object
    with a ``randn`` method that works like it (NumPy's ``RandomState``
    draws the same numbers); anything else is a ``TypeError`` naming ``rng``.
    ``None`` draws from nnref's default generator (``nnref.seed``), as the
    book's code draws from NumPy's global one.

    ``forward(inputs)`` sets and returns ``self.output = dense(inputs,
    self.weights, self.biases)``; its errors name ``Dense.forward``.

    ``backward(dvalues)`` computes from ``self.inputs`` and ``self.weights``
    as they are when it runs.  For a batch of narrow rows (at least 16 rows of
    at most 4 values) ``forward`` also keeps a copy of the inputs and their
    columns as exact integers, which ``backward`` reuses for ``dweights`` only
    while ``self.inputs``, once checked, holds values equal to that copy
    element by element (equal values scale alike); any other inputs are read
    afresh.  The copy costs the memory of one more batch.

    >>> from nnref import RandomState
    >>> layer = Dense(2, 3, rng=RandomState(0))
    >>> layer
    Dense(n_inputs=2, n_neurons=3)
    >>> layer.biases
    [[0.0, 0.0, 0.0]]
    >>> layer.forward([[0.0, 0.0]])
    [[0.0, 0.0, 0.0]]
    """

    @staticmethod
    def _weights_from(draws):
        return [[0.01 * v for v in row] for row in draws]

    def _apply(self, inputs, func):
        operands = plain_dense_operands(inputs, self.weights, self.biases)
        if operands is None or not takes_columns(len(inputs), len(self.weights)):
            if operands is None:             # checked and copied, or refused
                operands = dense_operands(inputs, self.weights, self.biases, func)
            output = dense_rows(*operands)
            self._forward_scaling = None
            return output
        # A batch of narrow rows: its columns are scaled to exact integers
        # here, for the forward pass and again for backward's dweights, kept
        # with a copy of the inputs (their elements in one flat list) that
        # backward compares them with.
        flat = flat_elements(inputs)
        scaled = scaled_input_columns(inputs, flat)
        output = dense_rows(inputs, operands[1], operands[2], scaled)
        # None where an input is NaN or infinite.
        self._forward_scaling = None if scaled is None else (flat, scaled)
        return output

    def backward(self, dvalues):
        """Set ``self.dweights``, ``self.dbiases`` and ``self.dinputs`` from ``dvalues``.

        ``nnref.dense_backward(dvalues, self.inputs, self.weights)``, as the
        book's ``Layer_Dense.backward``: every output correctly rounded.

        >>> from nnref import RandomState
        >>> layer = Dense(2, 1, rng=RandomState(0))
        >>> layer.weights = [[0.5], [-1.0]]
        >>> _ = layer.forward([[1.0, 2.0], [3.0, 4.0]])
        >>> layer.backward([[1.0], [0.5]])
        >>> layer.dweights, layer.dbiases, layer.dinputs
        ([[2.5], [4.0]], [[1.5]], [[0.5, -1.0], [0.25, -0.5]])
        """
        func = self._backward_name()
        self.dinputs, self.dweights, self.dbiases = gradients._dense_backward(
            dvalues, self.inputs, self.weights, func, getattr(self, "_forward_scaling", None))


class _Activation(_Layer):
    # An activation layer: forward() applies _apply to the inputs.  nnref's
    # own name their function, the private form of an nnref.activations
    # function (which takes the names its errors give); book mode's define
    # _apply itself.  gradient is the private form of an nnref.gradients
    # function, which backward() applies to dvalues and the kept inputs.
    function = None
    gradient = None

    def __init__(self):
        self.output = None

    def _apply(self, inputs, func):
        return type(self).function(inputs, func, "inputs")

    def backward(self, dvalues):
        """Set ``self.dinputs``, the gradient for the inputs of the last ``forward``."""
        func = self._backward_name()
        self.dinputs = type(self).gradient(dvalues, self.inputs, func)


class Step(_Activation):
    """The book's step activation: ``forward`` applies ``nnref.step``.

    ``backward(dvalues)`` sets ``dinputs`` to zeros of the inputs' shape: the
    step's derivative is 0 wherever it exists, and is taken as 0 at x = 0.
    """
    function = staticmethod(activations._step)
    gradient = staticmethod(gradients._step_backward)


class Linear(_Activation):
    """The book's linear activation: ``forward`` applies ``nnref.linear``.

    ``backward(dvalues)`` sets ``dinputs`` to ``dvalues`` (as new floats).
    """
    function = staticmethod(activations._linear)
    gradient = staticmethod(gradients._linear_backward)


class Sigmoid(_Activation):
    """The book's ``Activation_Sigmoid``: ``forward`` applies ``nnref.sigmoid``.

    ``backward(dvalues)`` sets ``dinputs = nnref.sigmoid_backward(dvalues,
    self.inputs)``: from the inputs, not the book's ``(1 - output) * output``,
    which cancels to 0 for inputs past 37.
    """
    function = staticmethod(activations._sigmoid)
    gradient = staticmethod(gradients._sigmoid_backward)


class ReLU(_Activation):
    """The book's ``Activation_ReLU``: ``forward`` applies ``nnref.relu``.

    >>> layer = ReLU()
    >>> layer
    ReLU()
    >>> layer.forward([[-1, 2]])
    [[0.0, 2.0]]
    >>> layer
    ReLU(output shape (1, 2))

    ``backward(dvalues)`` sets ``dinputs = nnref.relu_backward(dvalues,
    self.inputs)``, the book's ``dinputs[inputs <= 0] = 0``:

    >>> layer.backward([[5.0, 6.0]])
    >>> layer.dinputs
    [[0.0, 6.0]]
    """
    function = staticmethod(activations._relu)
    gradient = staticmethod(gradients._relu_backward)


class Softmax(_Activation):
    """The book's ``Activation_Softmax``: ``forward`` applies ``nnref.softmax`` row by row.

    ``backward(dvalues)`` sets ``dinputs``, row by row s * (d - <s, d>) with
    s the layer's ``output``: ``nnref.softmax_backward(dvalues, self.inputs)``,
    the book's Jacobian product without the Jacobian.

    >>> layer = Softmax()
    >>> layer.forward([[0.0, 0.0]])
    [[0.5, 0.5]]
    >>> layer.backward([[1.0, 0.0]])
    >>> layer.dinputs
    [[0.25, -0.25]]
    """
    function = staticmethod(activations._softmax)

    def backward(self, dvalues):
        """Set ``self.dinputs``, the gradient for the inputs of the last ``forward``."""
        func = self._backward_name()
        self.dinputs = gradients._softmax_backward_from_output(dvalues, self.output, func)
