"""Book mode: the book's own names and numbers, as ``nnfs.init()`` makes NumPy compute them.

The book starts every chapter with ``nnfs.init()``, which seeds NumPy's
generator with 0 and switches the book's arrays to float32.  This module
gives the same classes under the book's names, computing in float32 with
each operation rounded exactly where NumPy rounds, so a reader gets the
book's printed numbers without NumPy:

>>> from nnref import book
>>> run = book.chapter4()
>>> print(book.format_array(run["relu_output"][:5]))
[[0.         0.         0.        ]
 [0.         0.00011395 0.        ]
 [0.         0.00031729 0.        ]
 [0.         0.00052666 0.        ]
 [0.         0.00071401 0.        ]]
>>> print(book.format_array(run["softmax_output"][:5]))
[[0.33333334 0.33333334 0.33333334]
 [0.33333316 0.3333332  0.33333364]
 [0.33333287 0.3333329  0.33333418]
 [0.3333326  0.33333263 0.33333477]
 [0.33333233 0.3333324  0.33333528]]

The book's code works unchanged with these names::

    from nnref import book
    book.init()
    X, y = book.spiral_data(samples=100, classes=3)
    dense1 = book.Layer_Dense(2, 3)
    activation1 = book.Activation_ReLU()
    dense1.forward(X)
    activation1.forward(dense1.output)
    print(book.format_array(activation1.output[:5]))

What ``init`` does, and what it does not: ``init(random_seed=0)`` reseeds
nnref's default generator (``nnref.seed(random_seed)``), the one piece of
global state nnref has, as ``nnfs.init`` seeds NumPy's.  It switches nothing
else: float32 is not a global mode.  Everything in ``nnref.book`` is always
float32 and everything else in nnref is always float64, so ``nnref.Dense``
behaves the same before and after ``book.init()``.  Like the core classes,
the data sets and ``Layer_Dense`` take ``rng=`` to draw from a generator of
their own instead.

Where NumPy rounds, after ``nnfs.init()`` (nnfs 0.5.1, NumPy's promotion
rules, the same in NumPy 1.x and 2.x for these operations):

* ``randn`` is float64 rounded to float32; ``0.01 * randn(...)`` is
  ``f32(f32(0.01) * f32(randn))``;
* ``spiral_data``: the angle is float64 ``linspace`` plus the float32 noise
  ``f32(f32(randn) * f32(0.2))`` (float64 + float32 is float64), and the
  float64 points ``r * sin(2.5 t)``, ``r * cos(2.5 t)`` are rounded to float32
  when stored in the float32 ``X``;
* ``vertical_data``: each coordinate is ``f32(f32(f32(randn) * f32(0.1)) +
  f32(c))`` with ``c`` = class/3 or 0.5; ``sine_data`` is untouched (float64);
* ``Layer_Dense.forward``: nnfs's ``np.dot`` casts both operands to float64,
  so each output is the float64 dot product (exact products, added one after
  another as the BLAS does for short rows) rounded to float32, then the
  float32 biases are added in float32;
* activations take their inputs as a float32 array (rounding them) and
  compute in float32: ReLU exactly, softmax as ``f32(x - max)``, ``exp``
  rounded to float32, the row summed in NumPy's order (one value after
  another for fewer than 8 values), each value divided by the sum.

Accuracy and what cannot match: every ``+ - * /`` above is exact IEEE
float32 arithmetic, so data, weights, dense outputs and ReLU are bit for bit
nnfs's (checked against recordings from nnfs 0.5.1 / NumPy 2.4.6), given the
platform's ``sin``, ``cos`` and ``log`` (glibc x86-64 matches NumPy).  Float32
``exp`` is ``math.exp`` rounded to float32, as the book's NumPy computed it;
NumPy 1.19 and later use their own SIMD float32 ``exp``, which differs by up
to 2 ULP and changes the last printed digit of some softmax values (nnfs_book
issue 13).  The target here is the book's printed numbers.
"""

import math
import sys

from .. import activations
from .._base.checks import to_batch, to_floats
from ._float32 import dot_f64, exp_f32, f32, sum_f32
from ._printing import format_array as _format_array
from ..datasets import _linspace, _stack_classes
from ..datasets import sine_data as _sine_data64
from ..layers import _Activation as _CoreActivation, _DenseLayer
from ..rng import RandomState, seed as _seed

_NAN = float("nan")
_INF = float("inf")

_F32_POINT_TWO = f32(0.2)
_F32_POINT_ONE = f32(0.1)
_F32_WEIGHT_SCALE = f32(0.01)


def init(random_seed=0):
    """The book's ``nnfs.init()``: reseed nnref's default generator with ``random_seed``.

    ``random_seed=None`` leaves the generator alone, as in nnfs.  Nothing
    else changes: the float32 arithmetic belongs to ``nnref.book``'s own
    functions and classes, not to a global switch.

    >>> init()
    >>> X, y = spiral_data(samples=1, classes=1)
    >>> X
    [[0.0, 0.0]]
    """
    if random_seed is not None:
        _seed(random_seed)


def format_array(x):
    """``print(array)`` of a float32 array, as NumPy shows it.

    The shortest digits that read back as the same float32, at most 8
    decimals, NumPy's alignment; see ``nnref._printing``.  Values are
    rounded to float32 first.

    >>> print(format_array([1 / 3, 0.1]))
    [0.33333334 0.1       ]
    """
    return _format_array(x, "float32")


# ---------------------------------------------------------------- data sets

def _spiral_class32(rng, samples, c):
    # nnfs's arm with float32 noise, the point stored as float32.
    radius = _linspace(0.0, 1, samples)
    angle = _linspace(c * 4, (c + 1) * 4, samples)
    noise = [f32(f32(g) * _F32_POINT_TWO) for g in rng.randn(samples)]
    points = []
    for r, base, n in zip(radius, angle, noise):
        t = (base + n) * 2.5
        points.append([f32(r * math.sin(t)), f32(r * math.cos(t))])
    return points


def _vertical_class32(rng, samples, c):
    # The x0 draws, then the x1 draws, every step rounded to float32.
    centre = f32(c / 3)
    xs = [f32(f32(f32(g) * _F32_POINT_ONE) + centre) for g in rng.randn(samples)]
    ys = [f32(f32(f32(g) * _F32_POINT_ONE) + 0.5) for g in rng.randn(samples)]
    return [[a, b] for a, b in zip(xs, ys)]


def spiral_data(samples, classes, rng=None):
    """``nnfs.datasets.spiral_data`` after ``nnfs.init()``: float32 points.

    For class ``c``, in NumPy's order of operations::

        r = linspace(0.0, 1, samples)                      # float64
        t = linspace(4c, 4(c + 1), samples) + f32(f32(randn) * f32(0.2))
        X = f32(r * sin(t * 2.5)), f32(r * cos(t * 2.5))   # float64, then stored as float32

    Returns ``(X, y)`` as lists (``y`` ints; nnfs stores uint8).  Each
    class draws one ``randn(samples)``; ``rng=None`` uses nnref's default
    generator (see ``init``).  Sizes as in ``nnref.datasets.spiral_data``.

    Accuracy: nnfs's float32 values bit for bit where ``sin``/``cos`` are
    NumPy's (glibc x86-64).

    >>> X, y = spiral_data(3, 1, rng=RandomState(0))
    >>> print(format_array(X))
    [[ 0.          0.        ]
     [-0.44170892  0.23429306]
     [-0.8745907  -0.48486194]]
    """
    return _stack_classes("spiral_data", samples, classes, rng, _spiral_class32)


def vertical_data(samples, classes, rng=None):
    """``nnfs.datasets.vertical_data`` after ``nnfs.init()``: float32 points.

    For class ``c``: ``x0 = f32(f32(f32(randn) * f32(0.1)) + f32(c / 3))``
    over one ``randn(samples)``, then ``x1`` the same with ``0.5`` over a
    second one.  Returns ``(X, y)`` as lists.  Only exact float32 operations,
    so bit for bit nnfs's wherever ``randn`` is (see ``nnref.rng``).

    >>> X, y = vertical_data(2, 2, rng=RandomState(0))
    >>> y
    [0, 0, 1, 1]
    """
    return _stack_classes("vertical_data", samples, classes, rng, _vertical_class32)


def sine_data(samples=1000):
    """``nnfs.datasets.sine_data``: float64, because ``nnfs.init()`` leaves it alone.

    The same as ``nnref.datasets.sine_data``: ``x = i / samples`` and
    ``y = sin(2 pi x)`` as column vectors.

    >>> sine_data(2)
    ([[0.0], [0.5]], [[0.0], [1.2246467991473532e-16]])
    """
    return _sine_data64(samples)


# ------------------------------------------------------------- float32 maths

def _as_f32(x, func, name):
    kind, data = to_floats(x, func, name)
    if kind == "scalar":
        return kind, f32(data)
    if kind == "vector":
        return kind, [f32(v) for v in data]
    return kind, [[f32(v) for v in row] for row in data]


def _map_f32(function, x, func):
    kind, data = _as_f32(x, func, "inputs")
    if kind == "scalar":
        return function(data)
    if kind == "vector":
        return [function(v) for v in data]
    return [[function(v) for v in row] for row in data]


def _sigmoid_f32(v):
    # The book's 1 / (1 + np.exp(-inputs)), each step in float32.
    return f32(1.0 / f32(1.0 + exp_f32(-v)))


def _softmax_row_f32(row):
    # exp(f32(x - max)) / sum, in float32; NaN or +inf anywhere, or a row of
    # only -inf, makes inf - inf or NaN appear, so the row is all NaN.
    if not row:
        return []
    for v in row:
        if v != v:
            return [_NAN] * len(row)
    top = max(row)
    if top in (_INF, -_INF):
        return [_NAN] * len(row)
    exps = [exp_f32(f32(v - top)) for v in row]
    total = sum_f32(exps)
    return [f32(e / total) for e in exps]


def _dense_f32(inputs, weights, biases, func):
    # nnfs's np.dot: float64 dot of the operands, rounded to float32; then
    # + the float32 biases in float32.
    rows = to_batch(inputs, func, "inputs")
    matrix = to_batch(weights, func, "weights")
    bias_rows = to_batch(biases, func, "biases")
    if len(bias_rows) != 1:
        raise ValueError("%s: biases has %d rows; expected one row (1, n_neurons)"
                         % (func, len(bias_rows)))
    bias = [f32(b) for b in bias_rows[0]]
    depth = len(matrix)
    width = len(bias)
    if matrix and len(matrix[0]) != width:
        raise ValueError("%s: weights (%d, %d) and biases (1, %d) do not match: %d != %d"
                         % (func, depth, len(matrix[0]), width, len(matrix[0]), width))
    if rows and len(rows[0]) != depth:
        raise ValueError("%s: inputs (%d, %d) and weights (%d, %d) are not aligned: %d != %d"
                         % (func, len(rows), len(rows[0]), depth, width, len(rows[0]), depth))
    columns = [[f32(v) for v in column] for column in zip(*matrix)] if matrix else [[]] * width
    return [[f32(f32(dot_f64(row, column)) + b) for column, b in zip(columns, bias)]
            for row in rows]


# ------------------------------------------------------------------- classes

class Layer_Dense(_DenseLayer):
    """The book's ``Layer_Dense`` in float32: ``0.01 * randn`` weights, zero biases.

    ``weights`` is ``n_inputs`` x ``n_neurons`` of ``f32(f32(0.01) *
    f32(randn))`` drawn row by row from ``rng`` (``None``: nnref's default
    generator, see ``init``; otherwise a generator as ``nnref.Dense`` takes,
    anything with a ``randn`` method); ``biases`` is ``[[0.0] * n_neurons]``.
    Sizes and ``rng`` are checked as ``nnref.Dense`` checks them.
    ``forward(inputs)`` sets and returns ``output``: each value is the
    float64 dot product of the inputs (taken as they are, as nnfs's ``np.dot``
    casts them to float64) and the float32 weights, added term by term,
    rounded to float32, plus the float32 bias in float32.

    Shapes are checked: ``inputs`` (n, n_inputs), a ``ValueError`` naming
    both shapes otherwise.  NaN and infinities follow IEEE arithmetic.

    Special cases:

    - If `inputs` is `[[float("nan"), 1.0]]`, `Layer_Dense(2, 1, RandomState(0)).forward(inputs)`
      is `[[float("nan")]]`.
    - If `inputs` is `[[], []]`, `Layer_Dense(0, 2, RandomState(0)).forward(inputs)` is
      `[[0.0, 0.0], [0.0, 0.0]]`.
    - If `n_inputs` is `-1`, `Layer_Dense(n_inputs, 3)` raises ValueError.

    >>> layer = Layer_Dense(2, 3, rng=RandomState(0))
    >>> layer
    Layer_Dense(n_inputs=2, n_neurons=3, float32)
    >>> layer.weights[0][0]
    0.017640523612499237
    >>> layer.forward([[1.0, 0.0]])[0] == layer.weights[0]
    True
    """

    _tag = "float32"

    @staticmethod
    def _weights_from(draws):
        return [[f32(_F32_WEIGHT_SCALE * f32(v)) for v in row] for row in draws]

    def _apply(self, inputs, func):
        return _dense_f32(inputs, self.weights, self.biases, func)


class _Activation(_CoreActivation):
    # nnref's activation layer (forward, repr, error names), computing in
    # float32: each subclass's _apply converts the inputs to float32 and
    # applies its rule.
    _tag = "float32"


class Activation_ReLU(_Activation):
    """The book's ReLU in float32: ``max(0, x)`` of the float32 inputs.

    Exact; NaN stays NaN and ``-0.0`` stays ``-0.0``, as ``np.maximum(0, x)``.

    Special cases (`x` is the float32 an input rounds to):

    - If `x` is NaN, the result is NaN.
    - If `x` is -0.0, the result is -0.0.
    - If `x` is -inf, the result is +0.0.
    - If `x` is greater than 0, the result is `x`.
    - If `x` is less than 0, the result is +0.0.

    >>> Activation_ReLU().forward([[-1.0, 0.1]])
    [[0.0, 0.10000000149011612]]
    """

    def _apply(self, inputs, func):
        kind, data = _as_f32(inputs, func, "inputs")
        return activations.relu(data)


class Activation_Softmax(_Activation):
    """The book's softmax in float32, row by row.

    For each row: ``d = f32(x - max(row))``, ``e = f32(exp(d))``, ``s`` the
    float32 sum of the row in NumPy's order, and ``f32(e / s)``.  A vector
    is one row.  A row holding NaN or +inf, or made only of -inf, is all
    NaN; an empty row stays empty.

    Special cases (for the float32 values the inputs round to):

    - If a row contains NaN, every result in that row is NaN.
    - If a row contains +inf, every result in that row is NaN.
    - If every element of a row is -inf, every result in that row is NaN.
    - If an element is more than 104 below its row's maximum and the row has no NaN or +inf,
      the result for that element is +0.0.

    Accuracy: ``exp`` is ``math.exp`` rounded to float32, as the book's
    NumPy had it; NumPy 1.19+ may differ by up to 2 ULP (see the module).

    >>> Activation_Softmax().forward([[1.0, 2.0, 3.0]])
    [[0.09003057330846786, 0.2447284758090973, 0.6652409434318542]]
    """

    def _apply(self, inputs, func):
        activations._check_rows(inputs, func, "inputs")
        kind, data = _as_f32(inputs, func, "inputs")
        if kind == "vector":
            return _softmax_row_f32(data)
        return [_softmax_row_f32(row) for row in data]


class Activation_Sigmoid(_Activation):
    """The book's sigmoid in float32: ``f32(1 / f32(1 + f32(exp(-x))))``.

    An ``exp`` past the float32 range is inf, so large negative inputs give
    ``0.0``; NaN stays NaN.

    Special cases (`x` is the float32 an input rounds to):

    - If `x` is NaN, the result is NaN.
    - If `x` is greater than 17, the result is 1.0.
    - If `x` is less than -89, the result is +0.0.

    >>> Activation_Sigmoid().forward([0.0, 200.0, -200.0])
    [0.5, 1.0, 0.0]
    """

    def _apply(self, inputs, func):
        return _map_f32(_sigmoid_f32, inputs, func)


class Activation_Step(_Activation):
    """The step function on float32 inputs: 1.0 for x > 0, else 0.0 (NaN stays NaN).

    Special cases (`x` is the float32 an input rounds to):

    - If `x` is NaN, the result is NaN.
    - If `x` is greater than 0, the result is 1.0.
    - If `inputs` is `[5e-324, 1e-45]`, `Activation_Step().forward(inputs)` is `[0.0, 1.0]`.

    >>> Activation_Step().forward([-1.0, 0.0, 2.0])
    [0.0, 0.0, 1.0]
    """

    def _apply(self, inputs, func):
        kind, data = _as_f32(inputs, func, "inputs")
        return activations.step(data)


class Activation_Linear(_Activation):
    """The linear activation on float32 inputs: the inputs, rounded to float32.

    Special cases (`x` is the float32 an input rounds to):

    - If `x` is any float, the result is `x`.
    - If `inputs` is `[0.1, -1e39]`, `Activation_Linear().forward(inputs)` is
      `[0.10000000149011612, float("-inf")]`.

    >>> Activation_Linear().forward([0.1])
    [0.10000000149011612]
    """

    def _apply(self, inputs, func):
        kind, data = _as_f32(inputs, func, "inputs")
        return data


# --------------------------------------------------------- the chapter's run

#: The intermediates of the chapter-4 run, in the order they are computed.
CHAPTER4_STEPS = ("X", "y", "dense1_weights", "dense1_biases", "dense1_output",
                  "relu_output", "dense2_weights", "dense2_biases", "dense2_output",
                  "softmax_output")


def chapter4(random_seed=0):
    """The book's chapter-4 run after ``nnfs.init()``, with every intermediate.

    spiral_data(100, 3) -> Layer_Dense(2, 3) -> ReLU -> Layer_Dense(3, 3) ->
    Softmax, drawing from a new ``RandomState(random_seed)`` in the book's
    order (the data, then dense1's weights, then dense2's), so nnref's default
    generator is left alone.  Returns a dict with the keys of
    ``CHAPTER4_STEPS``.

    >>> run = chapter4()
    >>> len(run["X"]), run["dense2_output"][0]
    (300, [0.0, 0.0, 0.0])
    """
    rng = RandomState(random_seed)
    X, y = spiral_data(samples=100, classes=3, rng=rng)
    dense1 = Layer_Dense(2, 3, rng=rng)
    activation1 = Activation_ReLU()
    dense2 = Layer_Dense(3, 3, rng=rng)
    activation2 = Activation_Softmax()
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    activation2.forward(dense2.output)
    return {
        "X": X, "y": y,
        "dense1_weights": dense1.weights, "dense1_biases": dense1.biases,
        "dense1_output": dense1.output, "relu_output": activation1.output,
        "dense2_weights": dense2.weights, "dense2_biases": dense2.biases,
        "dense2_output": dense2.output, "softmax_output": activation2.output,
    }


def print_chapter4(file=None):
    """Print the book's chapter-4 outputs: ``activation1.output[:5]`` (ReLU)
    and ``activation2.output[:5]`` (softmax), as the book shows them.

    ``file`` is a text stream (default ``sys.stdout``).
    """
    out = sys.stdout if file is None else file
    run = chapter4()
    out.write("Book mode (nnref.book: float32, as after nnfs.init()):\n")
    out.write(">>> print(activation1.output[:5])\n")
    out.write(format_array(run["relu_output"][:5]) + "\n")
    out.write(">>> print(activation2.output[:5])\n")
    out.write(format_array(run["softmax_output"][:5]) + "\n")
