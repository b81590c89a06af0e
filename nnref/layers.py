"""The dense layer and the layer objects that mirror the book's classes.

``dense(inputs, weights, biases)`` is the chapter's ``np.dot(inputs,
weights) + biases``.  ``Dense``, ``Step``, ``Linear``, ``Sigmoid``, ``ReLU``
and ``Softmax`` are the book's ``Layer_Dense`` and ``Activation_*`` classes:
``forward(inputs)`` sets ``.output`` and returns it.
"""

from . import activations
from ._base.checks import dense_operands
from ._base.dot import dense_rows


def dense(inputs, weights, biases):
    """A dense layer's output: inputs @ weights + biases, each output correctly rounded.

    Formula: out[i][j] = sum_k inputs[i][k] * weights[k][j] + biases[j].

    Shapes: ``inputs`` is n x k (a batch; one sample is ``[sample]``),
    ``weights`` k x m, ``biases`` 1 x m (how the book stores them) or a
    length-m vector; the result is a new n x m batch.  A (0, k) batch gives
    ``[]``; k == 0 (``weights == []``, rows ``[]``) gives a copy of the biases
    for every row.

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

    >>> dense([[1, 2, 3, 2.5]], [[0.2, 0.5], [0.8, -0.91], [-0.5, 0.26], [1.0, -0.5]], [2, 3])
    [[4.8, 1.21]]
    >>> dense([[1e308, 1e308, -1e308]], [[1.0], [1.0], [1.0]], [[0.0]])
    [[1e+308]]
    """
    rows, matrix, bias = dense_operands(inputs, weights, biases, "dense")
    return dense_rows(rows, matrix, bias)


class Dense(object):
    """The book's ``Layer_Dense``: weights ``0.01 * randn(n_inputs, n_neurons)``, zero biases.

    ``rng`` is a ``RandomState`` (or anything with ``randn``); ``None`` draws
    from nnref's default generator (``nnref.seed``), as the book's code draws
    from NumPy's global one.

    >>> from nnref import RandomState
    >>> layer = Dense(2, 3, rng=RandomState(0))
    >>> layer
    Dense(n_inputs=2, n_neurons=3)
    >>> layer.biases
    [[0.0, 0.0, 0.0]]
    >>> layer.forward([[0.0, 0.0]])
    [[0.0, 0.0, 0.0]]
    """

    def __init__(self, n_inputs, n_neurons, rng=None):
        for name, value in (("n_inputs", n_inputs), ("n_neurons", n_neurons)):
            if type(value) is bool or not isinstance(value, int):
                raise TypeError("Dense: %s is %r (%s); expected a non-negative int"
                                % (name, value, type(value).__name__))
            if value < 0:
                raise ValueError("Dense: %s is %d; expected a non-negative int" % (name, value))
        if rng is None:
            from .rng import _default
            rng = _default()
        draws = rng.randn(n_inputs, n_neurons)
        self.n_inputs = n_inputs
        self.n_neurons = n_neurons
        self.weights = [[0.01 * v for v in row] for row in draws]
        self.biases = [[0.0] * n_neurons]
        self.output = None

    def forward(self, inputs):
        """Set and return ``self.output = dense(inputs, self.weights, self.biases)``."""
        self.output = dense(inputs, self.weights, self.biases)
        return self.output

    def __repr__(self):
        return "Dense(n_inputs=%d, n_neurons=%d)" % (self.n_inputs, self.n_neurons)


class _Activation(object):
    # Each subclass names its function; forward() applies it and keeps the result.
    function = None

    def __init__(self):
        self.output = None

    def forward(self, inputs):
        """Set and return ``self.output``, the activation of ``inputs``."""
        self.output = type(self).function(inputs)
        return self.output

    def __repr__(self):
        name = type(self).__name__
        out = self.output
        if out is None:
            return "%s()" % name
        if isinstance(out, list) and out and isinstance(out[0], list):
            return "%s(output shape (%d, %d))" % (name, len(out), len(out[0]))
        if isinstance(out, list):
            return "%s(output shape (%d,))" % (name, len(out))
        return "%s(output=%r)" % (name, out)


class Step(_Activation):
    """The book's step activation: ``forward`` applies ``nnref.step``."""
    function = staticmethod(activations.step)


class Linear(_Activation):
    """The book's linear activation: ``forward`` applies ``nnref.linear``."""
    function = staticmethod(activations.linear)


class Sigmoid(_Activation):
    """The book's ``Activation_Sigmoid``: ``forward`` applies ``nnref.sigmoid``."""
    function = staticmethod(activations.sigmoid)


class ReLU(_Activation):
    """The book's ``Activation_ReLU``: ``forward`` applies ``nnref.relu``.

    >>> ReLU().forward([[-1, 2]])
    [[0.0, 2.0]]
    """
    function = staticmethod(activations.relu)


class Softmax(_Activation):
    """The book's ``Activation_Softmax``: ``forward`` applies ``nnref.softmax`` row by row."""
    function = staticmethod(activations.softmax)
