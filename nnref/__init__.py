"""nnref: the chapter-4 building blocks of *Neural Networks from Scratch*, in pure Python.

A dependency-free reference implementation: lists of floats and the ``math``
module replace NumPy.  Every function states its formula, its special cases
and its accuracy, and the examples below run as tests.

=================  ===========================================================
Function           What it computes
=================  ===========================================================
``step(x)``        1.0 where x > 0, else 0.0 (NaN stays NaN)
``linear(x)``      x, as new floats
``sigmoid(x)``     1 / (1 + e^-x), computed without overflow
``relu(x)``        max(0, x), as floats
``softmax(x)``     e^x / sum(e^x), row by row, after subtracting the row max
``dense(i, w, b)`` inputs @ weights + biases, each output correctly rounded
=================  ===========================================================

>>> import nnref
>>> nnref.relu([0, 2, -1, 3.3, -2.7, 1.1, 2.2, -100])
[0.0, 2.0, 0.0, 3.3, 0.0, 1.1, 2.2, 0.0]
>>> nnref.softmax([[1, 2, 3]]) == nnref.softmax([[-2, -1, 0]])
True
>>> nnref.dense([[1.0, 2.0]], [[1.0, 0.5], [0.25, 2.0]], [[0.5, -1.0]])
[[2.0, 3.5]]

Layer objects mirror the book's classes (``Dense``, ``ReLU``, ``Softmax``
...), ``nnref.matrix`` holds the list versions of the NumPy calls the chapter
uses, ``RandomState`` reproduces NumPy's legacy generator bit for bit, and
``nnref.datasets`` builds the book's data sets.

The backward passes of chapter 9 are ``relu_backward``, ``sigmoid_backward``,
``softmax_backward`` and ``dense_backward`` (``nnref.gradients``), and each
layer's ``backward(dvalues)``, which sets ``.dinputs`` as the book's does:

>>> nnref.softmax_backward([[1.0, 0.0]], [[0.0, 0.0]])
[[0.25, -0.25]]

More, each in its own module: ``nnref.exact`` (the correctly rounded oracle;
absent where ``decimal``/``fractions`` are, as on MicroPython),
``nnref.testing`` (ULP distances and ``assert_close``), ``nnref.book`` (the
book's float32 numbers, as after ``nnfs.init()``; import it explicitly),
``nnref.conformance`` (check another implementation against the vectors;
import it explicitly) and ``nnref.selfcheck()`` (known-answer checks that
need nothing but nnref).  ``python -m nnref --help`` lists the commands.
"""

from ._base.version import __version__

from .activations import step, linear, sigmoid, relu, softmax
from .layers import dense, Dense, Step, Linear, Sigmoid, ReLU, Softmax
from .gradients import relu_backward, sigmoid_backward, softmax_backward, dense_backward
from . import matrix
from .rng import RandomState, seed
from . import datasets
from . import testing
from ._selfcheck import selfcheck
from .losses import (categorical_crossentropy, categorical_crossentropy_backward,
                     softmax_crossentropy_backward, accuracy,
                     CategoricalCrossentropy, SoftmaxCategoricalCrossentropy)

try:
    from . import exact
except ImportError:  # no fractions/decimal (MicroPython): the oracle is absent
    pass

__all__ = [
    "step", "linear", "sigmoid", "relu", "softmax", "dense",
    "Dense", "Step", "Linear", "Sigmoid", "ReLU", "Softmax",
    "matrix", "RandomState", "seed", "datasets", "testing", "selfcheck",
]
__all__ += ["relu_backward", "sigmoid_backward", "softmax_backward", "dense_backward"]
__all__ += [
    "categorical_crossentropy", "categorical_crossentropy_backward",
    "softmax_crossentropy_backward", "accuracy",
    "CategoricalCrossentropy", "SoftmaxCategoricalCrossentropy",
]
