"""Known-answer self-check: ``nnref.selfcheck()`` and ``python -m nnref selfcheck``.

It runs a few dozen fast checks over every public function -- the chapter's
examples, the special values of the contract (NaN, +-inf, -0.0, empty input,
errors), the backward passes and the loss, a ``RandomState`` stream, the
data sets and the book's float32 chapter-4 and chapter-9 runs -- and prints one line per check, then ``N passed, N failed``
as its last line.  It needs
nothing but nnref and the parts of the standard library that every target
interpreter has, so it is how nnref is proven on MicroPython and Pyodide,
where pytest cannot run.

The expected values are literals, none computed by nnref: random streams and
data from a real NumPy/nnfs, dense outputs and sums from exact rational
arithmetic, sigmoid, softmax and the cross-entropy from 60-digit mpmath values rounded
to the nearest float, the chapter-9 run from nnfs + NumPy (the fixture
``tools/record_book_ch9.py`` records).  ``tools/selfcheck_constants.py`` prints them all again.

How results are compared, as each line says:

* ``exact``: the same float bit for bit (NaN matches any NaN, and the sign
  of zero counts), the same int, the same nesting.  Everything that is exact
  arithmetic: ``step``, ``linear``, ``relu``, ``dense``, the sums, the MT19937
  words and ``random_sample``.
* ``within N ULP``: for results that go through the platform's ``exp``,
  ``log``, ``sin`` or ``cos`` (``sigmoid``, ``softmax``, ``randn``, the data
  sets), whose last bit differs between libm builds (glibc and WebAssembly's);
  ``within N float32 ULP`` for book mode, which computes in float32.
"""

import struct
import sys

from . import _chapter

_INF = float("inf")
_NAN = float("nan")


class _Mismatch(Exception):
    """A check's result differs from its known answer."""


# --- comparison (self-contained, so that nnref.testing is checked, not used) ---

def _bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def _ulp_key(x):
    # Floats ordered on an integer line: neighbours differ by 1, and -0.0 == 0.0.
    bits = _bits(x)
    if bits >> 63:
        return -(bits & ((1 << 63) - 1))
    return bits


def _ulps(a, b):
    return abs(_ulp_key(a) - _ulp_key(b))


def _ulps32(a, b):
    # The same count between float32 values (held in Python floats).
    keys = []
    for x in (a, b):
        bits = struct.unpack("<I", struct.pack("<f", x))[0]
        keys.append(-(bits & 0x7FFFFFFF) if bits >> 31 else bits)
    return abs(keys[0] - keys[1])


def _compare(actual, expected, where, max_ulp, float32=False):
    # max_ulp None: bit for bit.  float32: count float32 steps.  Raises
    # _Mismatch naming the first difference.
    if isinstance(expected, (list, tuple)):
        if type(actual) is not type(expected):
            raise _Mismatch("%s: got %r (%s), expected a %s" % (
                where or "result", actual, type(actual).__name__, type(expected).__name__))
        if len(actual) != len(expected):
            raise _Mismatch("%s: got %d elements, expected %d" % (
                where or "result", len(actual), len(expected)))
        for i in range(len(expected)):
            _compare(actual[i], expected[i], "%s[%d]" % (where, i), max_ulp, float32)
        return
    if type(actual) is not type(expected):
        raise _Mismatch("%s: got %r (%s), expected %r (%s)" % (
            where or "result", actual, type(actual).__name__, expected, type(expected).__name__))
    if type(expected) is not float:
        if actual != expected:
            raise _Mismatch("%s: got %r, expected %r" % (where or "result", actual, expected))
        return
    if expected != expected or actual != actual:
        if expected != expected and actual != actual:
            return
        raise _Mismatch("%s: got %r, expected %r" % (where or "result", actual, expected))
    if max_ulp is None:
        if _bits(actual) != _bits(expected):
            raise _Mismatch("%s: got %r, expected %r bit for bit" % (where or "result", actual, expected))
        return
    if expected in (_INF, -_INF) or actual in (_INF, -_INF):
        if actual != expected:
            raise _Mismatch("%s: got %r, expected %r" % (where or "result", actual, expected))
        return
    distance = _ulps32(actual, expected) if float32 else _ulps(actual, expected)
    if distance > max_ulp:
        raise _Mismatch("%s: got %r, expected %r: %d %sULP apart, more than %d" % (
            where or "result", actual, expected, distance, "float32 " if float32 else "", max_ulp))


def _exact(actual, expected):
    _compare(actual, expected, "", None)


def _near(actual, expected, max_ulp):
    _compare(actual, expected, "", max_ulp)


def _near32(actual, expected, max_ulp):
    _compare(actual, expected, "", max_ulp, True)


def _raises(kind, words, function, *args):
    # function(*args) must raise `kind` with every one of `words` in its message.
    try:
        function(*args)
    except kind as exc:
        message = str(exc)
        for word in words:
            if word not in message:
                raise _Mismatch("%s message %r does not mention %r" % (kind.__name__, message, word))
        return
    except Exception as exc:
        raise _Mismatch("raised %s(%r), expected %s" % (type(exc).__name__, str(exc), kind.__name__))
    raise _Mismatch("no %s raised" % kind.__name__)


# --- known answers ---------------------------------------------------------------

# The inputs are the chapter's examples (nnref/_chapter.py); the answers
# below are not computed from them by nnref.

# Exact rational results rounded once (fractions.Fraction).
_DENSE_CHAPTER = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.19999999999999987],
                  [1.4100000000000004, 1.0509999999999997, 0.02599999999999989]]
_SUM_ALL = 18.172
_SUM_ROWS = [[8.395], [7.29], [2.4869999999999997]]
_SUM_COLUMNS = [15.11, 0.45099999999999985, 2.6109999999999998]

# True values (mpmath, 60 digits) rounded to the nearest float.
_SIGMOID = [(1.0, 0.7310585786300049), (-3.5, 0.02931223075135632), (20.0, 0.9999999979388464)]
_SOFTMAX_CHAPTER = [0.895282663957262, 0.02470830678209937, 0.08000902926063869]
_SIGMOID_1_FLOAT32 = 0.7310585975646973   # rounded once to float32

# numpy.random.RandomState (NumPy 2.4.6).
_MT_SEED0_WORDS = [2357136044, 2546248239, 3071714933, 3626093760]
_MT_SEEDMAX_WORDS = [419326371, 479346978]
_SAMPLE_SEED0 = [0.5488135039273248, 0.7151893663724195, 0.6027633760716439]
_RANDN_SEED0 = [1.764052345967664, 0.4001572083672233, 0.9787379841057392,
                2.240893199201458, 1.8675579901499675, -0.977277879876411]
# RandomState(7): randn(1), random_sample(), randn(2).
_MIXED_SEED7 = [1.690525703800356, 0.9779895119966027, -0.4659373705408328, 0.09316606097975175]

# nnfs 0.5.1 spiral_data(samples=4, classes=2) after np.random.seed(0), float64.
_SPIRAL_X = [[0.0, 0.0], [-0.1272901524030417, -0.3080719529790427],
             [0.5107758746560241, 0.42843021638747414], [-0.9922135786035949, 0.12454804066964548],
             [-0.0, -0.0], [0.09158143993491186, 0.3205057736930167],
             [-0.6604156760651707, -0.09108007055238745], [0.8794785548136086, 0.4759385166415578]]
_SPIRAL_Y = [0, 0, 0, 0, 1, 1, 1, 1]

# nnfs 0.5.1 vertical_data(samples=3, classes=2) after np.random.seed(0), and sine_data(4).
_VERTICAL_X = [[0.1764052345967664, 0.7240893199201458], [0.040015720836722335, 0.6867557990149967],
               [0.09787379841057392, 0.4022722120123589], [0.42834217508589223, 0.5410598501938373],
               [0.31819761250356354, 0.5144043571160878], [0.32301144815397753, 0.6454273506962975]]
_SINE_Y = [[0.0], [1.0], [1.2246467991473532e-16], [-1.0]]

# The book's chapter-4 run after nnfs.init() (float32), rows picked by index.
_BOOK_X = {1: [0.0029955569189041853, 0.00964660756289959],
           150: [0.3220980763435364, -0.38901007175445557],
           299: [-0.9427887797355652, 0.3333906829357147]}
_BOOK_DENSE1 = {1: [-0.00010475188173586503, 0.00011395361070754007, -4.7983499825932086e-05],
                299: [0.010050137527287006, -0.01341101061552763, -0.00042195949936285615]}
_BOOK_RELU = {2: [0.0, 0.00031729150214232504, 0.0], 299: [0.010050137527287006, 0.0, 0.0]}
_BOOK_DENSE2 = {1: [-1.8183968109042326e-07, -1.523577566331369e-07, 1.22812787139992e-06],
                299: [-0.0001340948074357584, -0.0001353469560854137, 6.972515257075429e-05]}

# How far transcendental results may stray: a libm's exp/log/sin/cos is
# within 1 ULP, and a few roundings follow.
_LIBM_ULP = 4
_WITHIN = "within %d ULP" % _LIBM_ULP
_WITHIN_FLOAT32 = "within %d float32 ULP" % _LIBM_ULP


# --- the checks: each raises _Mismatch (or anything) on failure ------------------

_CHECKS = []   # (name, how results are compared, check), in the order they run


def _check(name, how="exact"):
    # Makes the function below a check named `name`, its results compared as
    # `how` says ("exact", or _WITHIN for results through the libm).
    def register(check):
        _CHECKS.append((name, how, check))
        return check
    return register


@_check("relu: the chapter's example")
def _check_relu_chapter(nnref):
    _exact(nnref.relu(_chapter.RELU_INPUTS),
           [0.0, 2.0, 0.0, 3.3, 0.0, 1.1, 2.2, 0.0])
    _exact(nnref.relu(3), 3.0)
    _exact(nnref.relu([[-1, 2], [3, -4]]), [[0.0, 2.0], [3.0, 0.0]])


@_check("relu: NaN, +-inf, -0.0, subnormals")
def _check_relu_special(nnref):
    _exact(nnref.relu([_NAN, _INF, -_INF, -0.0, 0.0, -5e-324, 5e-324]),
           [_NAN, _INF, 0.0, -0.0, 0.0, 0.0, 5e-324])


@_check("step: values and special values")
def _check_step(nnref):
    _exact(nnref.step([-1, 0, 0.5, 2]), [0.0, 0.0, 1.0, 1.0])
    _exact(nnref.step([_NAN, _INF, -_INF, -0.0, 5e-324]), [_NAN, 1.0, 0.0, 0.0, 1.0])
    _exact(nnref.step(0.0), 0.0)


@_check("linear: ints to floats, special values kept")
def _check_linear(nnref):
    _exact(nnref.linear([[1, -2.5], [-0.0, _INF]]), [[1.0, -2.5], [-0.0, _INF]])
    _exact(nnref.linear(_NAN), _NAN)
    _exact(nnref.linear(-_INF), -_INF)


@_check("sigmoid: 0, +-inf, NaN, +-1000, +-1e308")
def _check_sigmoid_special(nnref):
    _exact(nnref.sigmoid([0.0, -0.0, _INF, -_INF, _NAN, 1000.0, -1000.0, 1e308, -1e308]),
           [0.5, 0.5, 1.0, 0.0, _NAN, 1.0, 0.0, 1.0, 0.0])


@_check("sigmoid: values against mpmath, subnormal tail", _WITHIN)
def _check_sigmoid_values(nnref):
    xs = [x for x, _ in _SIGMOID]
    _near(nnref.sigmoid(xs), [y for _, y in _SIGMOID], _LIBM_ULP)
    # Below the normal range the result keeps its subnormal value.
    _near(nnref.sigmoid(-745.0), 5e-324, 1)


@_check("softmax: the chapter's [4.8, 1.21, 2.385] against mpmath", _WITHIN)
def _check_softmax_chapter(nnref):
    _near(nnref.softmax(_chapter.SOFTMAX_INPUTS), _SOFTMAX_CHAPTER, _LIBM_ULP)
    _near(nnref.softmax([_chapter.SOFTMAX_INPUTS, _chapter.SOFTMAX_INPUTS]),
          [_SOFTMAX_CHAPTER, _SOFTMAX_CHAPTER], _LIBM_ULP)


@_check("softmax: [[1, 2, 3]] equals [[-2, -1, 0]]")
def _check_softmax_shift(nnref):
    # Subtracting the row max makes these the same computation, exactly.
    _exact(nnref.softmax([[1, 2, 3]]), nnref.softmax([[-2, -1, 0]]))
    _exact(nnref.softmax([1.0, 1.0]), [0.5, 0.5])
    _exact(nnref.softmax([1000.0, 1000.0, 1000.0, 1000.0]), [0.25, 0.25, 0.25, 0.25])


@_check("softmax: NaN, +-inf, empty, TypeError for a number")
def _check_softmax_special(nnref):
    _exact(nnref.softmax([1.0, _NAN]), [_NAN, _NAN])
    _exact(nnref.softmax([_INF, 1.0]), [_NAN, _NAN])
    _exact(nnref.softmax([-_INF, -_INF]), [_NAN, _NAN])
    _exact(nnref.softmax([-_INF, 0.0]), [0.0, 1.0])
    _exact(nnref.softmax([[0.0, -_INF], [_NAN, 0.0]]), [[1.0, 0.0], [_NAN, _NAN]])
    _exact(nnref.softmax([]), [])
    _raises(TypeError, ["softmax"], nnref.softmax, 3.0)


@_check("dense: the chapter's 3x4 batch, correctly rounded")
def _check_dense_chapter(nnref):
    # The book's weights are neurons x inputs; dense takes inputs x neurons.
    weights = [list(column) for column in zip(*_chapter.WEIGHTS)]
    _exact(nnref.dense(_chapter.INPUTS, weights, [_chapter.BIASES]), _DENSE_CHAPTER)
    _exact(nnref.dense(_chapter.INPUTS, weights, _chapter.BIASES), _DENSE_CHAPTER)


@_check("dense: small integers and dyadic values")
def _check_dense_integers(nnref):
    _exact(nnref.dense([[1, 2], [3, 4]], [[5, 6], [7, 8]], [[1, -1]]), [[20.0, 21.0], [44.0, 49.0]])
    _exact(nnref.dense([[0.5, 0.25, -2]], [[4], [8], [0.125]], [0.75]), [[4.5]])


@_check("dense: one rounding, no intermediate overflow")
def _check_dense_rounding(nnref):
    # One rounding of the exact sum: no intermediate overflow, no lost terms.
    _exact(nnref.dense([[1e308, 1e308, -1e308]], [[1.0], [1.0], [1.0]], [[0.0]]), [[1e308]])
    _exact(nnref.dense([[1.0, 1e100, 1.0, -1e100]], [[1.0], [1.0], [1.0], [1.0]], [0.0]), [[2.0]])
    _exact(nnref.dense([[0.1] * 10], [[1.0]] * 10, [0.0]), [[1.0]])


@_check("dense: inf - inf, 0 * inf, overflow, signed zeros")
def _check_dense_special(nnref):
    ones = [[1.0], [1.0]]
    _exact(nnref.dense([[_INF, -_INF]], ones, [0.0]), [[_NAN]])
    _exact(nnref.dense([[0.0]], [[_INF]], [0.0]), [[_NAN]])
    _exact(nnref.dense([[_INF, 1.0]], ones, [0.0]), [[_INF]])
    _exact(nnref.dense([[_NAN, 1.0]], ones, [0.0]), [[_NAN]])
    _exact(nnref.dense([[1e308, 1e308]], ones, [0.0]), [[_INF]])
    _exact(nnref.dense([[-0.0]], [[1.0]], [-0.0]), [[-0.0]])
    _exact(nnref.dense([[-0.0]], [[1.0]], [0.0]), [[0.0]])
    _exact(nnref.dense([[1.0, -1.0]], ones, [-0.0]), [[0.0]])


@_check("dense: (0, k) and k == 0 shapes")
def _check_dense_shapes(nnref):
    _exact(nnref.dense([], [[1.0, 2.0]], [[0.0, 0.0]]), [])
    biases = [[1.0, 2.0]]
    out = nnref.dense([[], []], [], biases)
    _exact(out, [[1.0, 2.0], [1.0, 2.0]])
    if out[0] is biases[0] or out[0] is out[1]:
        raise _Mismatch("k == 0 must give a new copy of the biases for every row")


@_check("errors: TypeError/ValueError naming argument and position")
def _check_dense_errors(nnref):
    _raises(ValueError, ["(1, 2)", "(3, 3)", "2 != 3"], nnref.dense,
            [[1.0, 2.0]], [[1.0] * 3] * 3, [[0.0] * 3])
    _raises(TypeError, ["inputs[0][1]", "'a'", "str"], nnref.dense,
            [[1.0, "a"]], [[1.0], [1.0]], [0.0])
    _raises(TypeError, ["weights[1][0]", "bool"], nnref.dense, [[1.0, 2.0]], [[1.0], [True]], [0.0])
    _raises(ValueError, ["inputs[1]"], nnref.dense, [[1.0, 2.0], [1.0]], [[1.0], [1.0]], [0.0])
    _raises(TypeError, ["relu", "None"], nnref.relu, [1.0, None])
    _raises(TypeError, ["sigmoid", "complex"], nnref.sigmoid, [1j])


@_check("inputs never modified or returned")
def _check_inputs_untouched(nnref):
    row = [-1.0, 2.0]
    batch = [row]
    for function in (nnref.relu, nnref.step, nnref.linear, nnref.sigmoid, nnref.softmax):
        out = function(batch)
        if out is batch or out[0] is row:
            raise _Mismatch("%s returned the caller's list" % function.__name__)
        if batch != [[-1.0, 2.0]]:
            raise _Mismatch("%s modified its input" % function.__name__)
    weights = [[1.0], [1.0]]
    biases = [[0.5]]
    nnref.dense(batch, weights, biases)
    if (batch, weights, biases) != ([[-1.0, 2.0]], [[1.0], [1.0]], [[0.5]]):
        raise _Mismatch("dense modified its inputs")


@_check("layers: Dense weights from randn, forward, activations", _WITHIN)
def _check_layers(nnref):
    layer = nnref.Dense(2, 3, rng=nnref.RandomState(0))
    expected = [[0.01 * v for v in _RANDN_SEED0[0:3]], [0.01 * v for v in _RANDN_SEED0[3:6]]]
    _near(layer.weights, expected, _LIBM_ULP)
    _exact(layer.biases, [[0.0, 0.0, 0.0]])
    out = layer.forward([[1.0, 0.0], [0.0, 1.0]])
    if layer.output is not out:
        raise _Mismatch("Dense.forward must set .output and return it")
    _exact(out, layer.weights)
    if repr(layer) != "Dense(n_inputs=2, n_neurons=3)":
        raise _Mismatch("repr(Dense) is %r" % repr(layer))
    for cls, expected_out in ((nnref.ReLU, [[0.0, 2.0]]), (nnref.Step, [[0.0, 1.0]]),
                              (nnref.Linear, [[-1.0, 2.0]]), (nnref.Softmax, None),
                              (nnref.Sigmoid, None)):
        activation = cls()
        out = activation.forward([[-1.0, 2.0]])
        if activation.output is not out:
            raise _Mismatch("%s.forward must set .output and return it" % cls.__name__)
        if expected_out is not None:
            _exact(out, expected_out)


@_check("matrix.sum: the chapter's axis/keepdims examples")
def _check_matrix_sums(nnref):
    m = nnref.matrix
    _exact(m.sum(_chapter.SOFTMAX_BATCH), _SUM_ALL)
    _exact(m.sum(_chapter.SOFTMAX_BATCH, axis=1, keepdims=True), _SUM_ROWS)
    _exact(m.sum(_chapter.SOFTMAX_BATCH, axis=0), _SUM_COLUMNS)
    _exact(m.sum(_chapter.SOFTMAX_BATCH, axis=-1), [v[0] for v in _SUM_ROWS])
    _exact(m.sum(_chapter.SOFTMAX_BATCH, axis=None, keepdims=True), [[_SUM_ALL]])


@_check("matrix.sum: exact sums, NaN, inf, -0.0, empty")
def _check_matrix_sum_special(nnref):
    m = nnref.matrix
    _exact(m.sum([0.1] * 10), 1.0)
    _exact(m.sum([1e308, 1e308, -1e308]), 1e308)
    _exact(m.sum([1.0, 1e100, 1.0, -1e100]), 2.0)
    _exact(m.sum([]), 0.0)
    _exact(m.sum([-0.0, -0.0]), -0.0)
    _exact(m.sum([1.0, _NAN]), _NAN)
    _exact(m.sum([_INF, -_INF]), _NAN)
    _exact(m.sum([_INF, 1.0]), _INF)
    _exact(m.sum([1e308, 1e308]), _INF)


@_check("matrix.max: axes, keepdims, NaN wins, empty")
def _check_matrix_max(nnref):
    m = nnref.matrix
    _exact(m.max(_chapter.SOFTMAX_BATCH), 8.9)
    _exact(m.max(_chapter.SOFTMAX_BATCH, axis=1, keepdims=True), [[4.8], [8.9], [1.41]])
    _exact(m.max(_chapter.SOFTMAX_BATCH, axis=0), [8.9, 1.21, 2.385])
    _exact(m.max([1.0, _NAN, 3.0]), _NAN)
    _exact(m.max([[1, 5], [7, 2]], axis=1), [5.0, 7.0])
    _raises(ValueError, ["max"], m.max, [])


@_check("matrix: shape, zeros, transpose, matmul, add_row")
def _check_matrix_helpers(nnref):
    m = nnref.matrix
    _exact(m.shape([[1, 2, 3], [4, 5, 6]]), (2, 3))
    _exact(m.shape([]), (0,))
    _exact(m.shape(2.0), ())
    _exact(m.zeros((2, 3)), [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    _exact(m.zeros(2), [0.0, 0.0])
    _exact(m.transpose([[1, 2, 3], [4, 5, 6]]), [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]])
    _exact(m.matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]]), [[19.0, 22.0], [43.0, 50.0]])
    _exact(m.matmul([0.1, 0.2], [0.3, 0.4]), 0.11000000000000001)
    _exact(m.add_row([[1, 2], [3, 4]], [10, 20]), [[11.0, 22.0], [13.0, 24.0]])
    _exact(m.add_row([[1, 2]], [[0.5, -0.5]]), [[1.5, 1.5]])
    _raises(ValueError, ["(2, 3)", "(2,)"], m.matmul, [[1, 2, 3], [4, 5, 6]], [1.0, 2.0])


@_check("RandomState: MT19937 words for seeds 0, 2**32-1, 5489")
def _check_mt19937(nnref):
    rs = nnref.RandomState(0)
    _exact([rs.random_uint32() for _ in range(4)], _MT_SEED0_WORDS)
    rs = nnref.RandomState(2 ** 32 - 1)
    _exact([rs.random_uint32() for _ in range(2)], _MT_SEEDMAX_WORDS)
    rs = nnref.RandomState(5489)       # the reference implementation's default seed
    _exact(rs.random_uint32(), 3499211612)


@_check("RandomState: pure-Python MT19937 path")
def _check_mt19937_pure(nnref):
    # The pure-Python MT19937 (MicroPython's path) against the same words.
    rs = nnref.RandomState(0, _pure=True)
    _exact([rs.random_uint32() for _ in range(4)], _MT_SEED0_WORDS)
    _exact(nnref.RandomState(0, _pure=True).random_sample(3), _SAMPLE_SEED0)


@_check("RandomState: random_sample, seed 0 (NumPy's values)")
def _check_random_sample(nnref):
    _exact(nnref.RandomState(0).random_sample(3), _SAMPLE_SEED0)
    _exact(nnref.RandomState(0).random_sample(), _SAMPLE_SEED0[0])
    _exact(nnref.RandomState(0).random_sample((1, 2)), [_SAMPLE_SEED0[0:2]])
    _exact(nnref.RandomState(0).random_sample(0), [])


@_check("RandomState: randn and a mixed sequence (NumPy's values)", _WITHIN)
def _check_randn(nnref):
    _near(nnref.RandomState(0).randn(6), _RANDN_SEED0, _LIBM_ULP)
    _near(nnref.RandomState(0).randn(2, 3), [_RANDN_SEED0[0:3], _RANDN_SEED0[3:6]], _LIBM_ULP)
    rs = nnref.RandomState(7)
    mixed = rs.randn(1) + [rs.random_sample()] + rs.randn(2)
    _near(mixed, _MIXED_SEED7, _LIBM_ULP)
    # The kept Box-Muller value carries over: randn(3) then randn(3) is randn(6), exactly.
    rs = nnref.RandomState(1)
    _exact(rs.randn(3) + rs.randn(3), nnref.RandomState(1).randn(6))


@_check("RandomState: seed errors")
def _check_random_errors(nnref):
    _raises(ValueError, ["seed"], nnref.RandomState, 2 ** 32)
    _raises(ValueError, ["seed"], nnref.RandomState, -1)
    _raises(TypeError, ["bool"], nnref.RandomState, True)
    _raises(TypeError, ["float"], nnref.RandomState, 1.0)


@_check("seed(): the default generator behind rng=None", _WITHIN)
def _check_default_generator(nnref):
    # nnref.seed reseeds the generator that rng=None draws from; restore it after.
    default = nnref.rng._default()
    saved = default.get_state()
    try:
        nnref.seed(0)
        _exact(default.random_sample(), _SAMPLE_SEED0[0])
        nnref.seed(0)
        _near(nnref.Dense(1, 2).weights, [[0.01 * _RANDN_SEED0[0], 0.01 * _RANDN_SEED0[1]]],
              _LIBM_ULP)
        nnref.seed(0)
        X, y = nnref.datasets.spiral_data(4, 2)
        _near(X, _SPIRAL_X, _LIBM_ULP)
    finally:
        default.set_state(saved)


@_check("datasets.spiral_data(4, 2), seed 0 (nnfs's values)", _WITHIN)
def _check_spiral(nnref):
    X, y = nnref.datasets.spiral_data(4, 2, rng=nnref.RandomState(0))
    _near(X, _SPIRAL_X, _LIBM_ULP)
    _exact(y, _SPIRAL_Y)
    _exact(nnref.datasets.spiral_data(0, 3), ([], []))
    _raises(TypeError, ["samples", "bool"], nnref.datasets.spiral_data, True, 2)
    _raises(ValueError, ["classes"], nnref.datasets.spiral_data, 2, -1)


@_check("datasets: vertical_data and sine_data (nnfs's values)", _WITHIN)
def _check_other_datasets(nnref):
    X, y = nnref.datasets.vertical_data(3, 2, rng=nnref.RandomState(0))
    _near(X, _VERTICAL_X, _LIBM_ULP)
    _exact(y, [0, 0, 0, 1, 1, 1])
    X, y = nnref.datasets.sine_data(4)
    _exact(X, [[0.0], [0.25], [0.5], [0.75]])
    _near(y, _SINE_Y, _LIBM_ULP)


@_check("book: the chapter-4 run in float32 (nnfs's values)", _WITHIN_FLOAT32)
def _check_book(nnref):
    # Book mode computes in float32, rounding where NumPy rounds.
    from nnref import book
    run = book.chapter4()
    for name, rows in (("X", _BOOK_X), ("dense1_output", _BOOK_DENSE1),
                       ("relu_output", _BOOK_RELU), ("dense2_output", _BOOK_DENSE2)):
        for i in sorted(rows):
            try:
                _near32(run[name][i], rows[i], _LIBM_ULP)
            except _Mismatch as exc:
                raise _Mismatch("%s[%d]%s" % (name, i, exc))
    _exact(run["y"][150], 1)
    _exact(run["dense1_biases"], [[0.0, 0.0, 0.0]])
    for row in run["softmax_output"][:3]:
        _near32([sum(row)], [1.0], 4)         # rows sum to 1 within float32 rounding


@_check("backward passes: relu, softmax and dense on small exact values")
def _check_backward(nnref):
    # relu's gradient is the book's mask; softmax's of equal logits is
    # s * (d - <s, d>) with s = 1/2; dense's are products of small integers.
    _exact(nnref.relu_backward([[1.0, 2.0, 3.0, 4.0]], [[1.0, -1.0, 0.0, -0.0]]),
           [[1.0, 0.0, 0.0, 0.0]])
    _exact(nnref.softmax_backward([[1.0, 0.0]], [[0.0, 0.0]]), [[0.25, -0.25]])
    _exact(nnref.softmax_backward([[3.0, 3.0, 3.0]], [[1.0, 2.0, 3.0]]), [[0.0, 0.0, 0.0]])
    dinputs, dweights, dbiases = nnref.dense_backward(
        [[1, 2], [3, -1]], [[3, 4, 5], [1, 0, -2]], [[1, 0], [0, 1], [1, 1]])
    _exact(dinputs, [[1.0, 2.0, 3.0], [3.0, -1.0, 2.0]])
    _exact(dweights, [[6.0, 5.0], [4.0, 8.0], [-1.0, 12.0]])
    _exact(dbiases, [[4.0, 1.0]])


@_check("loss: cross-entropy of ln 2 and ln 4, accuracy, the softmax step", _WITHIN)
def _check_loss(nnref):
    # -ln(1/2) and -ln(1/4) through the libm's log; accuracy 2/3; the
    # combined gradient (softmax - one-hot) / n of two equal logits.
    _near([nnref.categorical_crossentropy([[0.5, 0.25, 0.25], [0.25, 0.25, 0.5]], [0, 1],
                                          reduction="none")],
          [[0.6931471805599453, 1.3862943611198906]], _LIBM_ULP)
    _exact(nnref.accuracy([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], [1, 0, 0]), 0.6666666666666666)
    _exact(nnref.softmax_crossentropy_backward([[0.0, 0.0]], [0]), [[-0.5, 0.5]])


@_check("book: the chapter-9 loss, accuracy and bias gradients (nnfs's values)", _WITHIN_FLOAT32)
def _check_book_chapter9(nnref):
    from nnref import book
    run = book.chapter9()
    _near32([run["loss"]], [1.0986104011535645], _LIBM_ULP)
    _exact(run["accuracy"], 0.34)
    _near32(run["dense1_dbiases"][0],
            [-0.000360553473001346, 9.661172225605696e-05, -0.00010367141658207402], _LIBM_ULP)
    _near32(run["dense2_dbiases"][0],
            [-1.0732794180512428e-05, -9.459094144403934e-06, 2.0027626305818558e-05], _LIBM_ULP)


@_check("testing.ulp_distance: known distances")
def _check_ulp_distance(nnref):
    t = nnref.testing
    _exact(t.ulp_distance(1.0, 1.0 + 2.0 ** -52), 1)
    _exact(t.ulp_distance(0.0, -0.0), 0)
    _exact(t.ulp_distance(-5e-324, 5e-324), 2)
    _exact(t.ulp_distance(_NAN, _NAN), 0)
    _exact(t.ulp_distance(_NAN, 1.0), _INF)
    _exact(t.ulp_distance(_INF, 1.7976931348623157e308), 1)
    _exact(t.ulp_distance(1.0, 1.0 + 2.0 ** -23, dtype="float32"), 1)
    _exact(t.ulp_distance(1.0, 1.0 + 2.0 ** -23), 2 ** 29)
    _exact(t.ulp_distance(0.1 + 0.2, 0.3), 1)


@_check("testing: next_up, next_down, ulp, assert_close")
def _check_testing_helpers(nnref):
    t = nnref.testing
    _exact(t.next_up(1.0), 1.0000000000000002)
    _exact(t.next_down(1.0), 0.9999999999999999)
    _exact(t.next_up(-5e-324), -0.0)
    _exact(t.ulp(1.0), 2.0 ** -52)
    _exact(t.ulp(0.0), 5e-324)
    _exact(t.assert_close([[0.1 + 0.2, 1.0]], [[0.3, 1.0]], max_ulp=1), None)
    _raises(AssertionError, ["1 of 1"], t.assert_close, [0.1 + 0.2], [0.3])


@_check("testing in float16 and bfloat16: neighbours, distances, no struct 'e'")
def _check_testing_narrow(nnref):
    # IEEE binary16 and bfloat16 values, worked out by hand: 2**-10 and 2**-7
    # are their steps above 1.0, 65504 is float16's largest value, 2**-24 its
    # smallest subnormal and 2**-133 bfloat16's.
    t = nnref.testing
    _exact(t.next_up(1.0, "float16"), 1.0009765625)
    _exact(t.next_down(1.0, "float16"), 0.99951171875)
    _exact(t.next_up(65504.0, "float16"), _INF)
    _exact(t.next_up(0.0, "float16"), 5.960464477539063e-08)
    _exact(t.ulp(1.0, "bfloat16"), 0.0078125)
    _exact(t.next_up(0.0, "bfloat16"), 9.183549615799121e-41)
    _exact(t.ulp_distance(1.0, 2.0, dtype="float16"), 1024)
    _exact(t.ulp_distance(-1.0, 1.0, dtype="bfloat16"), 2 * 16256)
    _exact(t.assert_close([1.0009765625], [1.0], max_ulp=1, dtype="float16"), None)
    _raises(AssertionError, ["not a float16 value"],
            lambda: t.assert_close([0.1], [0.1], dtype="float16"))


@_check("exact: the oracle's correctly rounded values")
def _check_exact(nnref):
    # The correctly rounded oracle: the true values rounded once, bit for bit.
    exact = nnref.exact
    _exact(exact.sigmoid([0.0, 1.0, -3.5, 20.0, -745.0]),
           [0.5] + [y for _, y in _SIGMOID] + [5e-324])
    _exact(exact.softmax(_chapter.SOFTMAX_INPUTS), _SOFTMAX_CHAPTER)
    weights = [list(column) for column in zip(*_chapter.WEIGHTS)]
    _exact(exact.dense(_chapter.INPUTS, weights, [_chapter.BIASES]), _DENSE_CHAPTER)
    _exact(exact.relu([-1.0, -0.0, _NAN, 2]), [0.0, -0.0, _NAN, 2.0])
    _exact(exact.sigmoid(1.0, dtype="float32"), _SIGMOID_1_FLOAT32)


# Checks of optional parts: (check name, module attribute, why it may be absent).
_OPTIONAL = {_check_exact: ("exact", "needs the decimal module")}


def _interpreter():
    impl = getattr(sys, "implementation", None)
    name = getattr(impl, "name", "python")
    version = getattr(impl, "version", sys.version_info)
    return "%s %s (Python %s)" % (name, ".".join(str(v) for v in tuple(version)[:3]),
                                  ".".join(str(v) for v in tuple(sys.version_info)[:3]))


def selfcheck(verbose=True, file=None):
    """Run nnref's known-answer checks; print one line per check and return the number that failed.

    Every line reads ``PASS`` or ``FAIL``, the check's name and how its
    results are compared: ``exact`` (bit for bit) or ``within N ULP`` (for
    results that go through the platform's ``exp``, ``log``, ``sin`` or
    ``cos``, whose last bit differs between libm builds).  A failing line
    says what differed.  The checks of ``nnref.exact`` print ``SKIP`` where
    it is absent (MicroPython, which has no ``decimal``) and count neither
    way.  The last line is ``N passed, N failed``.  With
    ``verbose=False`` only failing checks and the last line are printed.

    The lines go to ``file`` (default: ``sys.stdout``).  It needs nothing
    but nnref, runs in well under a second on CPython, and runs on
    MicroPython too.  ``python -m nnref selfcheck`` runs it and exits with
    status 1 if any check failed.

    >>> import io
    >>> report = io.StringIO()
    >>> selfcheck(file=report)
    0
    >>> lines = report.getvalue().splitlines()
    >>> lines[1]
    "PASS  relu: the chapter's example [exact]"
    >>> lines[-1].endswith(" passed, 0 failed")
    True
    """
    if file is None:
        file = sys.stdout
    import nnref
    if verbose:
        print("nnref %s self-check on %s" % (nnref.__version__, _interpreter()), file=file)
    passed = failed = 0
    for name, how, check in _CHECKS:
        if check in _OPTIONAL and not hasattr(nnref, _OPTIONAL[check][0]):
            # Documented as absent here (MicroPython): not a pass, not a failure.
            print("SKIP  %s: nnref.%s is absent on this interpreter (it %s)"
                  % (name, _OPTIONAL[check][0], _OPTIONAL[check][1]), file=file)
            continue
        try:
            check(nnref)
        except Exception as exc:
            failed += 1
            if isinstance(exc, _Mismatch):
                detail = str(exc)
            else:
                detail = "%s: %s" % (type(exc).__name__, exc)
            print("FAIL  %s [%s]: %s" % (name, how, detail), file=file)
        else:
            passed += 1
            if verbose:
                print("PASS  %s [%s]" % (name, how), file=file)
    print("%d passed, %d failed" % (passed, failed), file=file)
    return failed

