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
from .. import losses as _losses
from .._base.checks import (_describe, apply_elementwise, batch_to_floats, check_int,
                            is_sequence, plain_sequence, shape, shape_text, to_batch, to_floats)
from ._float32 import column_sums_f32, div_f32, dot_f64, exp_f32, f32, log_f32, sum_f32
from ._printing import format_array as _format_array, scalar_text as _scalar_text
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
    """``print(array)`` of a float32 array, as NumPy shows it; of a number, ``print(np.float32(x))``.

    The shortest digits that read back as the same float32, at most 8
    decimals, NumPy's alignment; see ``nnref._printing``.  Values are
    rounded to float32 first.  A number (such as the loss
    ``Loss.calculate`` returns) prints as NumPy prints a float32 scalar:
    the shortest digits, positional from ``1e-4`` up to ``1e6``
    (``1.0986104``, ``2.0``), scientific outside (``1e-05``).

    >>> print(format_array([1 / 3, 0.1]))
    [0.33333334 0.1       ]
    >>> print(format_array(1.0986103773117065))
    1.0986104
    """
    if plain_sequence(x) is None:
        return _scalar_text(x, "float32", "format_array")
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


def _batch_f32(x, func, name="dvalues"):
    # A batch (list of rows), every value rounded to float32.
    return [[f32(v) for v in row] for row in to_batch(x, func, name)]


def _same(v):
    return v


def _zip_map(function, kind, data, other):
    # function(a, b) over two float data of the same kind and shape.
    if kind == "scalar":
        return function(data, other)
    if kind == "vector":
        return [function(a, b) for a, b in zip(data, other)]
    return [[function(a, b) for a, b in zip(row, other_row)]
            for row, other_row in zip(data, other)]


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


def _softmax_backward_row(s, d):
    # The book's Jacobian J = diagflat(s) - np.dot(s, s.T) in float32 (the
    # outer product rounded to float32 by nnfs's dot), then np.dot(J, d).
    jacobian = [[f32((si if i == j else 0.0) - f32(si * sj)) for j, sj in enumerate(s)]
                for i, si in enumerate(s)]
    return [f32(dot_f64(row, d)) for row in jacobian]


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
    - If `dvalues` is `[[1.0, 2.0]]`, `Layer_Dense(1, 2, RandomState(0)).backward(dvalues)` raises
      ValueError.
    - If `dvalues` is `[[0.5]]`, `[d.backward(dvalues) for d in [Layer_Dense(2, 1, RandomState(0))]
      if d.forward([[1.0, -2.0]])][0]` is `[[0.008820261806249619, 0.002000786131247878]]`.

    ``backward(dvalues)`` is the book's (see ``Layer_Dense.backward``).

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

    def __init__(self, n_inputs, n_neurons, rng=None):
        _DenseLayer.__init__(self, n_inputs, n_neurons, rng)
        self.inputs = None
        self.dweights = None
        self.dbiases = None
        self.dinputs = None

    def _apply(self, inputs, func):
        rows = to_batch(inputs, func, "inputs")
        output = _dense_f32(rows, self.weights, self.biases, func)
        self.inputs = rows
        return output

    def backward(self, dvalues):
        """The book's ``Layer_Dense.backward``: set ``dweights``, ``dbiases``, ``dinputs``; return ``dinputs``.

        With ``X`` = ``self.inputs`` (n x k, as the forward pass took them),
        ``W`` = ``self.weights`` (k x m) and ``D`` = ``dvalues`` (n x m, read
        as a float32 array):

        - ``dweights = np.dot(X.T, D)``: each value the float64 dot product
          over the n samples, added sample after sample as OpenBLAS does for
          these shapes, rounded to float32;
        - ``dbiases = np.sum(D, axis=0, keepdims=True)``: each column added
          sample after sample in float32, from +0.0, as NumPy adds along
          axis 0;
        - ``dinputs = np.dot(D, W.T)``: the float64 dot of the m terms in
          order, rounded to float32, as the forward pass's dot.

        Before any ``forward``, and for ``dvalues`` of another shape than the
        output's, it raises ValueError.  After ``forward([])``, ``backward([])``
        is ``[]``, with zero ``dweights`` (n_inputs x n_neurons) and
        ``dbiases`` ``[[0.0] * n_neurons]``, as NumPy's empty sums.

        Accuracy: NumPy's float32 values bit for bit, in NumPy's order of
        operations (checked against OpenBLAS under NumPy 2.4.6; another BLAS
        may add a long dot in another order).  NaN and infinities follow
        IEEE arithmetic.

        >>> layer = Layer_Dense(2, 1, rng=RandomState(0))
        >>> layer.weights = [[0.5], [2.0]]
        >>> _ = layer.forward([[1.0, 3.0], [2.0, -1.0]])
        >>> layer.backward([[1.0], [0.25]])
        [[0.5, 2.0], [0.125, 0.5]]
        >>> layer.dweights, layer.dbiases
        ([[1.5], [2.75]], [[1.25]])
        """
        func = type(self).__name__ + ".backward"
        if self.inputs is None:
            raise ValueError("%s: no forward pass yet; call forward(inputs) first" % func)
        rows = to_batch(self.inputs, func, "inputs")
        grads = _batch_f32(dvalues, func)
        matrix = to_batch(self.weights, func, "weights")
        depth = len(matrix)
        width = len(matrix[0]) if matrix else len(self.biases[0])
        if grads and len(grads[0]) != width or len(grads) != len(rows):
            raise ValueError("%s: dvalues has shape %s but the output has shape (%d, %d)"
                             % (func, shape_text("batch", grads), len(rows), width))
        weights = [[f32(w) for w in row] for row in matrix]
        columns = [[row[i] for row in rows] for i in range(depth)]
        grad_columns = [[row[j] for row in grads] for j in range(width)]
        self.dweights = [[f32(dot_f64(column, grad_column)) for grad_column in grad_columns]
                         for column in columns]
        self.dbiases = [column_sums_f32(grads, width)]
        self.dinputs = [[f32(dot_f64(row, weight_row)) for weight_row in weights]
                        for row in grads]
        return self.dinputs


class _Activation(_CoreActivation):
    # nnref's activation layer (forward, repr, error names), computing in
    # float32: each subclass's _apply converts the inputs to float32, keeps
    # them as .inputs and applies its rule; backward(dvalues) reads dvalues
    # as float32, checks them against _against (the attribute the gradient
    # needs: "inputs" or "output") and sets .dinputs to _gradient's result.
    _tag = "float32"
    _against = "inputs"

    def __init__(self):
        _CoreActivation.__init__(self)
        self.inputs = None
        self.dinputs = None

    def _read(self, inputs, func):
        kind, data = _as_f32(inputs, func, "inputs")
        self.inputs = data
        return kind, data

    def backward(self, dvalues):
        """Set and return ``self.dinputs``, the gradient with respect to the inputs."""
        func = type(self).__name__ + ".backward"
        reference = getattr(self, self._against)
        if reference is None:
            raise ValueError("%s: no forward pass yet; call forward(inputs) first" % func)
        ref_kind, ref = _as_f32(reference, func, self._against)
        kind, grads = _as_f32(dvalues, func, "dvalues")
        if shape(kind, grads) != shape(ref_kind, ref):
            raise ValueError("%s: dvalues has shape %s but %s has shape %s"
                             % (func, shape_text(kind, grads), self._against,
                                shape_text(ref_kind, ref)))
        self.dinputs = self._gradient(kind, grads, ref)
        return self.dinputs


class Activation_ReLU(_Activation):
    """The book's ReLU in float32: ``max(0, x)`` of the float32 inputs.

    Exact; NaN stays NaN and ``-0.0`` stays ``-0.0``, as ``np.maximum(0, x)``.

    Special cases (`x` is the float32 an input rounds to):

    - If `x` is NaN, the result is NaN.
    - If `x` is -0.0, the result is -0.0.
    - If `x` is -inf, the result is +0.0.
    - If `x` is greater than 0, the result is `x`.
    - If `x` is less than 0, the result is +0.0.
    - If `dvalues` is `[5.0, 5.0, 5.0, 5.0]`, `[a.backward(dvalues) for a in [Activation_ReLU()]
      if a.forward([-1.0, -0.0, 2.0, float("nan")])][0]` is `[0.0, 0.0, 5.0, 5.0]`.

    ``backward(dvalues)`` is the book's ``dinputs = dvalues.copy();
    dinputs[inputs <= 0] = 0``: each float32 gradient where the input is
    greater than 0, else +0.0.  A NaN input is not ``<= 0``, so its
    gradient passes through; ``-0.0`` and ``0.0`` inputs give +0.0.

    >>> relu = Activation_ReLU()
    >>> relu.forward([[-1.0, 0.1]])
    [[0.0, 0.10000000149011612]]
    >>> relu.backward([[5.0, 5.0]])
    [[0.0, 5.0]]
    """

    def _apply(self, inputs, func):
        kind, data = self._read(inputs, func)
        return activations.relu(data)

    @staticmethod
    def _gradient(kind, grads, inputs):
        return _zip_map(lambda d, x: 0.0 if x <= 0.0 else d, kind, grads, inputs)


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

    ``backward(dvalues)`` is the book's loop over the samples: for each
    row ``s`` of ``self.output``, the Jacobian ``J = diagflat(s) -
    np.dot(s, s.T)`` (each ``s_i * s_j`` rounded to float32 by nnfs's
    ``np.dot``, then subtracted in float32) and ``dinputs = np.dot(J,
    dvalues)`` (float64 dots of the row, in order, rounded to float32).  It
    uses ``self.output`` as it is, so an output set by hand works, as in
    the book.

    >>> softmax = Activation_Softmax()
    >>> softmax.forward([[1.0, 2.0, 3.0]])
    [[0.09003057330846786, 0.2447284758090973, 0.6652409434318542]]
    >>> softmax.backward([[1.0, 0.0, 0.0]])
    [[0.08192507177591324, -0.022033045068383217, -0.05989202484488487]]
    """

    _against = "output"

    def _apply(self, inputs, func):
        activations._check_rows(inputs, func, "inputs")
        kind, data = self._read(inputs, func)
        if kind == "vector":
            return _softmax_row_f32(data)
        return [_softmax_row_f32(row) for row in data]

    @staticmethod
    def _gradient(kind, grads, output):
        if kind == "vector":
            return _softmax_backward_row(output, grads)
        return [_softmax_backward_row(s, d) for s, d in zip(output, grads)]


class Activation_Sigmoid(_Activation):
    """The book's sigmoid in float32: ``f32(1 / f32(1 + f32(exp(-x))))``.

    An ``exp`` past the float32 range is inf, so large negative inputs give
    ``0.0``; NaN stays NaN.

    Special cases (`x` is the float32 an input rounds to):

    - If `x` is NaN, the result is NaN.
    - If `x` is greater than 17, the result is 1.0.
    - If `x` is less than -89, the result is +0.0.

    ``backward(dvalues)`` is the book's ``dvalues * (1 - self.output) *
    self.output``, each step in float32, from left to right.

    >>> sigmoid = Activation_Sigmoid()
    >>> sigmoid.forward([0.0, 200.0, -200.0])
    [0.5, 1.0, 0.0]
    >>> sigmoid.backward([1.0, 1.0, 1.0])
    [0.25, 0.0, 0.0]
    """

    _against = "output"

    def _apply(self, inputs, func):
        kind, data = self._read(inputs, func)
        return apply_elementwise(_sigmoid_f32, kind, data)

    @staticmethod
    def _gradient(kind, grads, output):
        return _zip_map(lambda d, s: f32(f32(d * f32(1.0 - s)) * s), kind, grads, output)


class Activation_Step(_Activation):
    """The step function on float32 inputs: 1.0 for x > 0, else 0.0 (NaN stays NaN).

    Special cases (`x` is the float32 an input rounds to):

    - If `x` is NaN, the result is NaN.
    - If `x` is greater than 0, the result is 1.0.
    - If `inputs` is `[5e-324, 1e-45]`, `Activation_Step().forward(inputs)` is `[0.0, 1.0]`.

    ``backward(dvalues)`` gives +0.0 everywhere: the step's derivative is
    0 wherever it exists (the book gives the step no backward pass).

    >>> step = Activation_Step()
    >>> step.forward([-1.0, 0.0, 2.0])
    [0.0, 0.0, 1.0]
    >>> step.backward([3.0, 3.0, 3.0])
    [0.0, 0.0, 0.0]
    """

    def _apply(self, inputs, func):
        kind, data = self._read(inputs, func)
        return activations.step(data)

    @staticmethod
    def _gradient(kind, grads, inputs):
        return _zip_map(lambda d, x: 0.0, kind, grads, inputs)


class Activation_Linear(_Activation):
    """The linear activation on float32 inputs: the inputs, rounded to float32.

    Special cases (`x` is the float32 an input rounds to):

    - If `x` is any float, the result is `x`.
    - If `inputs` is `[0.1, -1e39]`, `Activation_Linear().forward(inputs)` is
      `[0.10000000149011612, float("-inf")]`.

    ``backward(dvalues)`` is the book's ``dvalues.copy()``, as float32.

    >>> linear = Activation_Linear()
    >>> linear.forward([0.1])
    [0.10000000149011612]
    >>> linear.backward([0.2])
    [0.20000000298023224]
    """

    def _apply(self, inputs, func):
        kind, data = self._read(inputs, func)
        return apply_elementwise(_same, kind, data)

    @staticmethod
    def _gradient(kind, grads, inputs):
        return grads


# ------------------------------------------------------------ loss, accuracy

_CLIP_LOW = f32(1e-7)
_CLIP_HIGH = f32(1 - 1e-7)      # 1 - 2**-23


def _clip_f32(v):
    # np.clip(y_pred, 1e-7, 1 - 1e-7) of a float32 array: bounds in float32, NaN stays NaN.
    return _losses.clip(v, _CLIP_LOW, _CLIP_HIGH)


def _labels(y_true, func, n, m):
    # ("indices", [int, ...]) or ("onehot", [[float32, ...], ...]), checked against n x m.
    items = plain_sequence(y_true)
    if items is None:
        raise TypeError("%s: y_true is %s; expected class indices (a list of ints) or one-hot "
                        "rows" % (func, _describe(y_true)))
    if items and is_sequence(items[0]):
        rows = [[f32(v) for v in row] for row in batch_to_floats(items, func, "y_true")]
        if len(rows) != n or len(rows[0]) != m:
            raise ValueError("%s: y_true has shape %s but the predictions have shape (%d, %d)"
                             % (func, shape_text("batch", rows), n, m))
        return "onehot", rows
    if len(items) != n:
        raise ValueError("%s: y_true has shape (%d,) but the predictions have %d rows"
                         % (func, len(items), n))
    labels = []
    for i, value in enumerate(items):
        where = "y_true[%d]" % i
        label = check_int(func, where, value)
        if not 0 <= label < m:
            raise ValueError("%s: %s is %d; expected a class index from 0 to %d"
                             % (func, where, label, m - 1))
        labels.append(label)
    return "indices", labels


def _argmax(row):
    # np.argmax of one row: the first NaN, else the first largest value.
    best = 0
    for j, v in enumerate(row):
        if v != v:
            return j
        if v > row[best]:
            best = j
    return best


def _class_indices(kind, labels):
    return labels if kind == "indices" else [_argmax(row) for row in labels]


def _predictions(y_pred, func):
    rows = _batch_f32(y_pred, func, "y_pred")
    if rows and not rows[0]:
        raise ValueError("%s: y_pred has shape (%d, 0); np.argmax of an empty row fails"
                         % (func, len(rows)))
    return rows


def accuracy(y_pred, y_true):
    """The book's accuracy: ``np.mean(np.argmax(y_pred, axis=1) == y_true)``, a float64.

    ``y_true`` is class indices, or one-hot rows (their ``argmax``, as the
    book does).  The share of rows whose first largest value is at the true
    class, ``count / n`` correctly rounded (NumPy's float64 mean of the
    booleans).  A row's ``argmax`` is its first NaN if it has one, as in
    NumPy.

    Special cases:

    - If `y_pred` is `[]`, `book.accuracy(y_pred, [])` is `float("nan")`.
    - If `y_pred` is `[[0.5, 0.5]]`, `book.accuracy(y_pred, [1])` is `0.0`.
    - If `y_pred` is `[[0.1, float("nan")]]`, `book.accuracy(y_pred, [1])` is `1.0`.

    >>> accuracy([[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]], [0, 1, 1])
    0.6666666666666666
    """
    func = "accuracy"
    rows = _predictions(y_pred, func)
    kind, labels = _labels(y_true, func, len(rows), len(rows[0]) if rows else 0)
    if not rows:
        return _NAN
    hits = sum(1 for row, label in zip(rows, _class_indices(kind, labels))
               if _argmax(row) == label)
    return hits / len(rows)


class Loss(object):
    """The book's ``Loss``: ``calculate(output, y)`` is the float32 mean of ``self.forward(output, y)``.

    ``np.mean`` of the float32 sample losses: their float32 sum in NumPy's
    pairwise order, divided by their number and rounded to float32.  A
    subclass defines ``forward``.

    Special cases:

    - If `output` is `[]`, `book.Loss_CategoricalCrossentropy().calculate(output, [])` is `float("nan")`.

    >>> Loss_CategoricalCrossentropy().calculate([[0.5, 0.5], [0.25, 0.75]], [0, 1])
    0.4904146194458008
    """

    def calculate(self, output, y):
        """The mean loss over the samples, as a float32 value (``np.mean``)."""
        sample_losses = self.forward(output, y)
        if not sample_losses:
            return _NAN
        return f32(sum_f32(sample_losses) / len(sample_losses))

    def forward(self, y_pred, y_true):
        """The sample losses; a subclass's job."""
        raise NotImplementedError("%s.forward: a Loss subclass defines forward"
                                  % type(self).__name__)

    def __repr__(self):
        return "%s(float32)" % type(self).__name__


class Loss_CategoricalCrossentropy(Loss):
    """The book's categorical cross-entropy in float32.

    ``forward(y_pred, y_true)`` returns the sample losses ``-log(c)``, ``c``
    the clipped predicted probability of the true class: the predictions
    are clipped to the float32 values of ``1e-7`` and ``1 - 1e-7`` (the
    latter is ``1 - 2**-23``), as ``np.clip`` does on a float32 array; with
    one-hot rows ``c`` is the float32 pairwise sum of the clipped row times
    the row.  ``log`` is ``math.log`` rounded to float32.  ``y_true`` is
    class indices (ints from 0 to m - 1) or one-hot rows (read as float32).

    ``backward(dvalues, y_true)`` sets and returns ``self.dinputs``: the
    book's ``-y_true / dvalues / samples`` in float32 (labels as one-hot
    float32 rows, so the zeros give ``-0.0 / d``).

    Special cases:

    - If `y_pred` is `[[1.0, 0.0]]`, `book.Loss_CategoricalCrossentropy().forward(y_pred, [1])`
      is `[16.11809539794922]`.
    - If `y_pred` is `[[1.0, 0.0]]`, `book.Loss_CategoricalCrossentropy().forward(y_pred, [0])`
      is `[1.1920930376163597e-07]`.
    - If `y_pred` is `[[float("nan"), 1.0]]`,
      `book.Loss_CategoricalCrossentropy().forward(y_pred, [0])` is `[float("nan")]`.
    - If `y_true` is `[2]`, `book.Loss_CategoricalCrossentropy().forward([[0.5, 0.5]], y_true)`
      raises ValueError.
    - If `dvalues` is `[[0.0, 1.0]]`, `book.Loss_CategoricalCrossentropy().backward(dvalues, [0])`
      is `[[float("-inf"), -0.0]]`.

    Accuracy: ``log`` is the C library's, rounded to float32; NumPy's own
    SIMD float32 ``log`` differs from it in the last bit on some values (on
    the chapter run, 51 of the 300 sample losses, though not the mean).

    >>> loss = Loss_CategoricalCrossentropy()
    >>> loss.forward([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4]], [0, 1])
    [0.3566749691963196, 0.6931471824645996]
    >>> loss.backward([[0.5, 0.5]], [[0.0, 1.0]])
    [[-0.0, -2.0]]
    """

    def __init__(self):
        self.dinputs = None

    def forward(self, y_pred, y_true):
        """The float32 sample losses ``-log(clip(y_pred))`` at the true classes."""
        func = type(self).__name__ + ".forward"
        rows = _batch_f32(y_pred, func, "y_pred")
        kind, labels = _labels(y_true, func, len(rows), len(rows[0]) if rows else 0)
        if kind == "indices":
            confidences = [_clip_f32(row[label]) for row, label in zip(rows, labels)]
        else:
            confidences = [sum_f32([f32(_clip_f32(p) * t) for p, t in zip(row, hot)])
                           for row, hot in zip(rows, labels)]
        return [-log_f32(c) for c in confidences]

    def backward(self, dvalues, y_true):
        """Set and return ``self.dinputs = -y_true / dvalues / samples``, in float32."""
        func = type(self).__name__ + ".backward"
        rows = _batch_f32(dvalues, func)
        width = len(rows[0]) if rows else 0
        kind, labels = _labels(y_true, func, len(rows), width)
        if kind == "indices":
            labels = [[1.0 if j == label else 0.0 for j in range(width)] for label in labels]
        samples = float(len(rows))
        self.dinputs = [[div_f32(div_f32(-t, d), samples) for t, d in zip(hot, row)]
                        for hot, row in zip(labels, rows)]
        return self.dinputs


class Activation_Softmax_Loss_CategoricalCrossentropy(object):
    """The book's softmax and cross-entropy in one, for a faster backward pass, in float32.

    ``forward(inputs, y_true)`` runs ``self.activation`` (an
    ``Activation_Softmax``) on the inputs, sets ``self.output`` to its
    output and returns ``self.loss.calculate(self.output, y_true)`` (a
    ``Loss_CategoricalCrossentropy``): the mean loss, a float32 value.

    ``backward(dvalues, y_true)`` sets and returns ``self.dinputs``: the
    float32 ``dvalues`` with 1 subtracted at each row's true class (one-hot
    rows give their ``argmax``), each value then divided by the number of
    samples in float32, as the book's ``dinputs[range(samples), y_true] -=
    1; dinputs = dinputs / samples``.

    Special cases:

    - If `dvalues` is `[[0.25, 0.75]]`,
      `book.Activation_Softmax_Loss_CategoricalCrossentropy().backward(dvalues, [1])` is
      `[[0.25, -0.25]]`.
    - If `y_true` is `[[0.0, 1.0]]`,
      `book.Activation_Softmax_Loss_CategoricalCrossentropy().backward([[0.25, 0.75]], y_true)`
      is `[[0.25, -0.25]]`.
    - If `dvalues` is `[]`,
      `book.Activation_Softmax_Loss_CategoricalCrossentropy().backward(dvalues, [])` is `[]`.

    >>> loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    >>> loss_activation.forward([[1.0, 2.0, 3.0]], [2])
    0.40760597586631775
    >>> loss_activation.backward(loss_activation.output, [2])
    [[0.09003057330846786, 0.2447284758090973, -0.33475905656814575]]
    """

    def __init__(self):
        self.activation = Activation_Softmax()
        self.loss = Loss_CategoricalCrossentropy()
        self.output = None
        self.dinputs = None

    def forward(self, inputs, y_true):
        """The mean loss of the softmax of ``inputs``; ``self.output`` is the softmax."""
        self.activation.forward(inputs)
        self.output = self.activation.output
        return self.loss.calculate(self.output, y_true)

    def backward(self, dvalues, y_true):
        """Set and return ``self.dinputs``: ``(dvalues - one_hot(y_true)) / samples``, in float32."""
        func = type(self).__name__ + ".backward"
        rows = _batch_f32(dvalues, func)
        kind, labels = _labels(y_true, func, len(rows), len(rows[0]) if rows else 0)
        samples = float(len(rows))
        dinputs = []
        for row, label in zip(rows, _class_indices(kind, labels)):
            row = list(row)
            row[label] = f32(row[label] - 1.0)
            dinputs.append([f32(v / samples) for v in row])
        self.dinputs = dinputs
        return self.dinputs

    def __repr__(self):
        return "%s(float32)" % type(self).__name__


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
    run, _ = _chapter_network(random_seed)
    run["softmax_output"] = Activation_Softmax().forward(run["dense2_output"])
    return run


def _chapter_network(random_seed):
    # The chapter's data and network up to dense2's output, drawn in the
    # book's order from a new RandomState: (the steps so far, the layers).
    rng = RandomState(random_seed)
    X, y = spiral_data(samples=100, classes=3, rng=rng)
    dense1 = Layer_Dense(2, 3, rng=rng)
    activation1 = Activation_ReLU()
    dense2 = Layer_Dense(3, 3, rng=rng)
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    run = {
        "X": X, "y": y,
        "dense1_weights": dense1.weights, "dense1_biases": dense1.biases,
        "dense1_output": dense1.output, "relu_output": activation1.output,
        "dense2_weights": dense2.weights, "dense2_biases": dense2.biases,
        "dense2_output": dense2.output,
    }
    return run, (dense1, activation1, dense2)


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


#: The intermediates of the chapter-5 run: chapter 4's, then the loss.
CHAPTER5_STEPS = CHAPTER4_STEPS + ("sample_losses", "loss")

#: The intermediates and gradients of the chapter-9 run, in the order they are computed.
CHAPTER9_STEPS = ("X", "y", "dense1_weights", "dense1_biases", "dense1_output",
                  "relu_output", "dense2_weights", "dense2_biases", "dense2_output",
                  "softmax_output", "sample_losses", "loss", "predictions", "accuracy",
                  "loss_dinputs", "dense2_dweights", "dense2_dbiases", "dense2_dinputs",
                  "relu_dinputs", "dense1_dweights", "dense1_dbiases", "dense1_dinputs")


def chapter5(random_seed=0):
    """The book's chapter-5 run after ``nnfs.init()``: chapter 4's, then the loss.

    The chapter-4 network (see ``chapter4``), then
    ``Loss_CategoricalCrossentropy().calculate(softmax_output, y)``.
    Returns a dict with the keys of ``CHAPTER5_STEPS``: chapter 4's, the
    float32 ``sample_losses`` and the float32 mean ``loss``.

    >>> print(format_array(chapter5()["loss"]))
    1.0986104
    """
    run = chapter4(random_seed)
    loss_function = Loss_CategoricalCrossentropy()
    run["sample_losses"] = loss_function.forward(run["softmax_output"], run["y"])
    run["loss"] = loss_function.calculate(run["softmax_output"], run["y"])
    return run


def chapter9(random_seed=0):
    """The book's chapter-9 run after ``nnfs.init()``, with every intermediate and gradient.

    spiral_data(100, 3) -> Layer_Dense(2, 3) -> ReLU -> Layer_Dense(3, 3) ->
    Activation_Softmax_Loss_CategoricalCrossentropy, the loss and the
    accuracy, then the backward pass: the combined step (from its own
    output), dense2, ReLU, dense1.  Draws from a new
    ``RandomState(random_seed)`` in the book's order, as ``chapter4``.
    Returns a dict with the keys of ``CHAPTER9_STEPS``: ``predictions`` (the
    rows' argmax, ints) and ``accuracy`` (a float64, as ``np.mean`` of the
    booleans) beside float32 values.

    >>> run = chapter9()
    >>> run["accuracy"], print(format_array(run["dense1_dbiases"]))
    [[-3.6055347e-04  9.6611722e-05 -1.0367142e-04]]
    (0.34, None)
    """
    run, (dense1, activation1, dense2) = _chapter_network(random_seed)
    y = run["y"]
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    loss = loss_activation.forward(dense2.output, y)
    softmax_output = loss_activation.output
    loss_activation.backward(softmax_output, y)
    dense2.backward(loss_activation.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)
    run.update({
        "softmax_output": softmax_output,
        "sample_losses": loss_activation.loss.forward(softmax_output, y), "loss": loss,
        "predictions": [_argmax(row) for row in softmax_output],
        "accuracy": accuracy(softmax_output, y),
        "loss_dinputs": loss_activation.dinputs,
        "dense2_dweights": dense2.dweights, "dense2_dbiases": dense2.dbiases,
        "dense2_dinputs": dense2.dinputs, "relu_dinputs": activation1.dinputs,
        "dense1_dweights": dense1.dweights, "dense1_dbiases": dense1.dbiases,
        "dense1_dinputs": dense1.dinputs,
    })
    return run


def print_chapter5(file=None):
    """Print what the book's chapter-5 script prints: ``activation2.output[:5]`` and the loss.

    Exactly the book's text, ``loss: 1.0986104`` last.  ``file`` is a text
    stream (default ``sys.stdout``).
    """
    out = sys.stdout if file is None else file
    run = chapter5()
    out.write(format_array(run["softmax_output"][:5]) + "\n")
    out.write("loss: " + format_array(run["loss"]) + "\n")


def print_chapter9(file=None):
    """Print what the book's chapter-9 script prints, exactly as the book shows it.

    The softmax output's first 5 rows, ``loss:``, ``acc:``, then
    ``dense1.dweights``, ``dense1.dbiases``, ``dense2.dweights`` and
    ``dense2.dbiases``.  ``file`` is a text stream (default ``sys.stdout``).
    """
    out = sys.stdout if file is None else file
    run = chapter9()
    out.write(format_array(run["softmax_output"][:5]) + "\n")
    out.write("loss: " + format_array(run["loss"]) + "\n")
    out.write("acc: " + _scalar_text(run["accuracy"], "float64", "print_chapter9") + "\n")
    for key in ("dense1_dweights", "dense1_dbiases", "dense2_dweights", "dense2_dbiases"):
        out.write(format_array(run[key]) + "\n")
