"""Chapter 4's examples and its forward pass, in float64: written once, used by the tour, the plots
and the self-check.

The constants are the book's own numbers, as its code writes them:

* ``RELU_INPUTS``: the inputs of the ReLU (and step) examples;
* ``SOFTMAX_INPUTS`` and ``SOFTMAX_BATCH``: the layer outputs of the
  softmax examples, one sample and a batch of three;
* ``INPUTS``, ``WEIGHTS``, ``BIASES``, ``WEIGHTS2``, ``BIASES2``: a batch of
  three samples through the book's two layers of three neurons.  The
  weights are in the book's layout, one row per neuron (neurons x inputs),
  so ``nnref.dense`` takes them transposed.

``forward_pass`` runs the chapter's network on the spiral data:
``spiral_data(samples, classes)``, then Dense(2, 3) -> ReLU -> Dense(3, 3)
-> Softmax, drawing the data and then the weights from one generator, in
the book's order.  Book mode's float32 run of the same code is
``nnref.book.chapter4``.

>>> from nnref.matrix import transpose
>>> dense(INPUTS, transpose(WEIGHTS), BIASES)[0]
[4.8, 1.21, 2.385]
"""

from .activations import relu, softmax
from .datasets import spiral_data
from .layers import Dense, ReLU, Softmax, dense

RELU_INPUTS = [0, 2, -1, 3.3, -2.7, 1.1, 2.2, -100]
SOFTMAX_INPUTS = [4.8, 1.21, 2.385]
SOFTMAX_BATCH = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]

INPUTS = [[1, 2, 3, 2.5], [2.0, 5.0, -1.0, 2.0], [-1.5, 2.7, 3.3, -0.8]]
WEIGHTS = [[0.2, 0.8, -0.5, 1.0], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]]
BIASES = [2.0, 3.0, 0.5]
WEIGHTS2 = [[0.1, -0.14, 0.5], [-0.5, 0.12, -0.33], [-0.44, 0.73, -0.13]]
BIASES2 = [-1.0, 2.0, -0.5]


def forward_pass(samples=100, classes=3, rng=None):
    """The chapter's network, run on its spiral data; a dict of the data and the four layers.

    Draws from ``rng`` (a ``RandomState``; None: nnref's default
    generator, as the book draws from ``np.random``) in the book's order:
    ``X, y = spiral_data(samples, classes)``, then ``Dense(2, 3)``'s and
    ``Dense(3, 3)``'s weights.  Then ``dense1 -> activation1 (ReLU) ->
    dense2 -> activation2 (Softmax)`` run forward on ``X``, each keeping its
    ``.output``.  The keys are the book's names: ``"X"``, ``"y"``,
    ``"dense1"``, ``"activation1"``, ``"dense2"``, ``"activation2"``.

    Accuracy: each layer is nnref's float64 operation (``dense`` correctly
    rounded, softmax within a few ULP); ``nnref.book.chapter4`` is the same
    run in float32, as the book prints it.

    >>> from nnref.rng import RandomState
    >>> run = forward_pass(rng=RandomState(0))
    >>> len(run["X"]), sorted(set(run["y"]))
    (300, [0, 1, 2])
    >>> run["dense1"], run["activation1"]
    (Dense(n_inputs=2, n_neurons=3), ReLU(output shape (300, 3)))
    >>> [round(p, 6) for p in run["activation2"].output[0]]
    [0.333333, 0.333333, 0.333333]
    """
    X, y = spiral_data(samples, classes, rng=rng)
    run = {"X": X, "y": y}
    # Made in this order, so dense1 draws its weights before dense2.
    chain = (("dense1", Dense(2, 3, rng=rng)), ("activation1", ReLU()),
             ("dense2", Dense(3, 3, rng=rng)), ("activation2", Softmax()))
    outputs = X
    for name, layer in chain:
        outputs = layer.forward(outputs)
        run[name] = layer
    return run


def predict(run, rows):
    """The softmax outputs of ``run``'s network (from ``forward_pass``) on other ``rows``.

    The same computation as the forward pass, on new inputs (a grid over
    the plane, say); the layers' ``.output`` are left as they are.

    >>> from nnref.rng import RandomState
    >>> run = forward_pass(samples=10, rng=RandomState(0))
    >>> predict(run, run["X"]) == run["activation2"].output
    True
    """
    hidden = relu(dense(rows, run["dense1"].weights, run["dense1"].biases))
    return softmax(dense(hidden, run["dense2"].weights, run["dense2"].biases))
