"""``nnref.exact`` in float16 and bfloat16, against computations that share no code with nnref.

Everything expected here is worked out in this file from the IEEE 754
layout, with ``fractions.Fraction`` and ``decimal``:

* ``decode(n, dtype)`` -- the exact value of a bit pattern, from the field
  widths alone (judged against CPython's ``struct`` ``'e'`` for float16 and
  against the top half of a float32 for bfloat16, in the test only);
* ``nearest(q, dtype)`` -- a ``Fraction`` rounded to the nearest value of the
  format by integer arithmetic: ties to even, the format's subnormals
  kept, and ``±inf`` from the largest value plus half an ULP on, as IEEE
  round-to-nearest gives;
* sigmoid and softmax: ``decimal`` at 100 digits with ordinary operations,
  rounded by ``nearest`` only where that 100-digit value decides the
  rounding (``decide``), as in tests/test_exact.py.

The double-rounding traps are inputs whose exact result, rounded first to
float32 (or float64), lands exactly on a midpoint of the narrow format, so
that a second rounding (ties to even) goes the wrong way.  The sigmoid ones
were found by solving sigmoid(x) = m at 120 digits for midpoints m and
trying the float64 x around the solution; each is checked below to be a
trap.  A deliberately wrong oracle that rounds through a wider format falls
into every one of them, which shows the checks can fail.
"""

import math
import re
import struct
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_EVEN, Context, Decimal, Inexact
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nnref import exact
from nnref._base.formats import FORMATS, from_bits, to_bits

from support import same

INF = float("inf")
NAN = float("nan")
NARROW = ("float16", "bfloat16")

# --- the formats, from their layout -------------------------------------------------

# dtype -> (exponent bits, stored fraction bits); float32 and float64 too, for
# the wrong oracles that round through them.
LAYOUT = {"float16": (5, 10), "bfloat16": (8, 7), "float32": (8, 23), "float64": (11, 52)}


def params(dtype):
    """(p, emin, emax, bias) for the dtype: precision, normal exponent range, bias."""
    w, t = LAYOUT[dtype]
    bias = 2 ** (w - 1) - 1
    return t + 1, 1 - bias, bias, bias


def decode(n, dtype):
    """The value of the bit pattern ``n`` as a float, from the fields alone.

    Exact: every value of these formats is a small int scaled by a power of
    two, well inside float64.  NaN patterns give NaN; the sign bit gives
    -0.0 for the negative zero.
    """
    w, t = LAYOUT[dtype]
    _, emin, _, bias = params(dtype)
    negative = n >> (w + t)
    biased = (n >> t) & (2 ** w - 1)
    fraction = n & (2 ** t - 1)
    if biased == 2 ** w - 1:
        value = NAN if fraction else INF
    elif biased == 0:
        value = math.ldexp(fraction, emin - t)                 # subnormal: 0.f * 2**emin
    else:
        value = math.ldexp(2 ** t + fraction, biased - bias - t)   # 1.f * 2**(biased - bias)
    return -value if negative else value


def is_float_same(a, e):
    """Bitwise sameness of two floats (zeros' signs count, NaN matches NaN), quickly."""
    if type(a) is not float:
        return False
    if a != a or e != e:
        return a != a and e != e
    return a == e and (a != 0.0 or math.copysign(1.0, a) == math.copysign(1.0, e))


def floor_log2(q):
    """The integer e with 2**e <= q < 2**(e+1), for a Fraction q > 0."""
    e = q.numerator.bit_length() - q.denominator.bit_length()
    while Fraction(2) ** e > q:
        e -= 1
    while Fraction(2) ** (e + 1) <= q:
        e += 1
    return e


def nearest_fraction(q, dtype):
    """The value of ``dtype`` nearest the Fraction q (ties to even), as a Fraction or ±INF."""
    if q == 0:
        return Fraction(0)
    p, emin, emax, _ = params(dtype)
    magnitude = abs(q)
    quantum = max(floor_log2(magnitude), emin) - (p - 1)   # the spacing of the values there
    scaled = magnitude / Fraction(2) ** quantum
    n = scaled.numerator // scaled.denominator
    rest = scaled - n
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and n % 2 == 1):
        n += 1
    value = n * Fraction(2) ** quantum
    if value >= Fraction(2) ** (emax + 1):
        value = INF
    return -value if q < 0 else value


def nearest(q, dtype):
    """``nearest_fraction`` as a Python float; a negative q that rounds to zero gives -0.0."""
    v = nearest_fraction(q, dtype)
    if v in (INF, -INF):
        return v
    f = float(v)
    assert Fraction(f) == v                       # exact: a value of the format
    return -0.0 if f == 0.0 and q < 0 else f


def round_float(x, dtype):
    """The float x rounded to dtype: NaN, ±inf and signed zeros unchanged."""
    if x != x or x in (INF, -INF) or x == 0.0:
        return x
    return nearest(Fraction(x), dtype)


def pattern_values(dtype):
    """The decoded values of all 65536 patterns of a 16-bit format, by pattern."""
    return [decode(n, dtype) for n in range(1 << 16)]


class _Lazy(dict):
    # dtype -> table, built on first use (not at collection).
    def __init__(self, build):
        dict.__init__(self)
        self.build = build

    def __missing__(self, dtype):
        self[dtype] = value = self.build(dtype)
        return value


_PATTERNS = _Lazy(pattern_values)


def test_the_layout_gives_the_known_constants():
    # Textbook values, not derived from the code above.
    def finite_positive(dtype):
        return [v for v in _PATTERNS[dtype] if v - v == 0.0 and v > 0.0]
    assert max(finite_positive("float16")) == 65504.0
    assert max(finite_positive("bfloat16")) == float(2 ** 128 - 2 ** 120)
    assert min(finite_positive("float16")) == 2.0 ** -24
    assert min(finite_positive("bfloat16")) == 2.0 ** -133
    assert decode(0x3C00, "float16") == 1.0 and decode(0x3F80, "bfloat16") == 1.0
    assert decode(0x3555, "float16") == Fraction(1024 + 0x155, 4096)         # 0.33325195...
    assert decode(0x7C00, "float16") == INF and decode(0xFF80, "bfloat16") == -INF
    assert decode(0x7E00, "float16") != decode(0x7E00, "float16")            # NaN
    assert is_float_same(decode(0x8000, "float16"), -0.0)


def test_the_decoder_agrees_with_independent_judges():
    # float16: CPython's struct 'e' (IEEE binary16); bfloat16: the upper half
    # of a float32 pattern, which struct 'f' reads.  Every pattern.
    for n, value in enumerate(_PATTERNS["float16"]):
        assert is_float_same(value, struct.unpack("<e", struct.pack("<H", n))[0]), hex(n)
    for n, value in enumerate(_PATTERNS["bfloat16"]):
        assert is_float_same(value, struct.unpack("<f", struct.pack("<I", n << 16))[0]), hex(n)


def test_nearest_agrees_with_structs_rounding_for_float16():
    # struct 'e' rounds a double to binary16 once, ties to even (CPython's
    # PyFloat_Pack2); a second opinion on nearest, midpoints included.
    cases = [0.1, 1.0 + 2 ** -11, 1.0 + 3 * 2 ** -11, 2.0 ** -25, 3 * 2.0 ** -25, 2.0 ** -26,
             65504.0, 65519.99, -65519.99, 6.1e-5, 1e-7, -3.0e-8, 1.0 + 2 ** -11 + 2 ** -40]
    for x in cases:
        judge = struct.unpack("<e", struct.pack("<e", x))[0]
        assert same(round_float(x, "float16"), judge), x
    with pytest.raises(OverflowError):     # CPython refuses; IEEE says inf
        struct.pack("<e", 65520.0)
    assert round_float(65520.0, "float16") == INF


# --- every bit pattern ---------------------------------------------------------------

def finite_values(dtype):
    """Every finite value of the format as a float, -0.0 included, in pattern order."""
    return [v for v in _PATTERNS[dtype] if v - v == 0.0]


@pytest.mark.parametrize("dtype", NARROW)
def test_every_bit_pattern_round_trips(dtype):
    fmt = FORMATS[dtype]
    w, t = LAYOUT[dtype]
    for n, value in enumerate(_PATTERNS[dtype]):
        got = from_bits(n, fmt)
        assert is_float_same(got, value), hex(n)
        back = to_bits(got, fmt)
        if value != value:
            # some NaN pattern: exponent all ones, fraction nonzero
            assert (back >> t) & (2 ** w - 1) == 2 ** w - 1 and back & (2 ** t - 1), hex(back)
        else:
            assert back == n, hex(n)


def _value_failures(linear, relu, dtype):
    # linear must give back every finite value (and infinities), relu max(0, v).
    values = finite_values(dtype) + [INF, -INF]
    failures = []
    out = linear(values, dtype=dtype)
    failures += [(v, o) for v, o in zip(values, out) if not is_float_same(o, v)]
    out = relu(values, dtype=dtype)
    failures += [(v, o) for v, o in zip(values, out)
                 if not is_float_same(o, v if (v > 0.0 or v == 0.0) else 0.0)]
    nans = [from_bits(n, FORMATS[dtype]) for n, v in enumerate(_PATTERNS[dtype]) if v != v]
    assert len(nans) == 2 * (2 ** LAYOUT[dtype][1] - 1)
    failures += [(v, o) for v, o in zip(nans, linear(nans, dtype=dtype)) if o == o]
    failures += [(v, o) for v, o in zip(nans, relu(nans, dtype=dtype)) if o == o]
    return failures


@pytest.mark.parametrize("dtype", NARROW)
def test_every_value_of_the_format_is_its_own_rounding(dtype):
    assert _value_failures(exact.linear, exact.relu, dtype) == []
    assert exact.step(finite_values(dtype)[:3], dtype=dtype) == [0.0, 1.0, 1.0]


def test_an_oracle_that_flushes_subnormals_fails_the_pattern_check():
    def flushing(function):
        def wrong(x, dtype):
            tiny = 2.0 ** params(dtype)[1]
            return [math.copysign(0.0, v) if abs(v) < tiny else v
                    for v in function(x, dtype=dtype)]
        return wrong
    for dtype in NARROW:
        failures = _value_failures(flushing(exact.linear), flushing(exact.relu), dtype)
        # every nonzero subnormal (both signs through linear, the positive ones through relu)
        assert len(failures) == 3 * (2 ** LAYOUT[dtype][1] - 1)


# --- every midpoint ------------------------------------------------------------------

def next_float64(x, toward):
    # The float64 next to x in the direction of toward, from its bit pattern.
    if x == 0.0:
        return 5e-324 if toward > 0.0 else -5e-324
    n = struct.unpack("<q", struct.pack("<d", x))[0]
    n += 1 if (toward > x) == (x >= 0.0) else -1
    return struct.unpack("<d", struct.pack("<q", n))[0]


def midpoint_cases(dtype):
    """[(x, expected, odd_side)]: every midpoint between two adjacent non-negative
    values (the last one between the largest value and 2**(emax+1), where inf
    sits), and the float64 on either side of it; then the same negated.
    ``odd_side`` is True for the neighbour on the side of the odd value, which
    rounds away from the even one."""
    p, emin, emax, _ = params(dtype)
    ordered = [v for v in _PATTERNS[dtype][:0x8000] if v - v == 0.0]
    ordered.append(2.0 ** (emax + 1))
    cases = []
    for i in range(len(ordered) - 1):
        below, above = ordered[i], ordered[i + 1]
        # exact: a midpoint has p + 1 significant bits, and is far above 2**-1074
        x = (below + above) / 2
        if i + 1 == len(ordered) - 1:
            above = INF
        odd_above = i % 2 == 0                      # pattern i is a's: its last bit is i's
        cases += [(x, below if odd_above else above, False),
                  (next_float64(x, -INF), below, not odd_above),
                  (next_float64(x, INF), above, odd_above)]
    return cases + [(-x, -e, odd) for x, e, odd in cases]


_MIDPOINTS = _Lazy(midpoint_cases)


def _midpoint_failures(linear, relu, dtype):
    cases = _MIDPOINTS[dtype]
    xs = [x for x, _, _ in cases]
    failures = [(x, e, o) for (x, e, _), o in zip(cases, linear(xs, dtype=dtype))
                if not is_float_same(o, e)]
    positive = cases[:len(cases) // 2]          # relu of the negated half is all +0.0
    failures += [(x, e, o) for (x, e, _), o in zip(positive, relu(xs[:len(positive)], dtype=dtype))
                 if not is_float_same(o, e)]
    failures += [(x, 0.0, o) for x, o in zip(xs[-3:], relu(xs[-3:], dtype=dtype))
                 if not is_float_same(o, 0.0)]
    return failures


@pytest.mark.parametrize("dtype", NARROW)
def test_every_midpoint_and_its_neighbours_round_correctly(dtype):
    assert len(_MIDPOINTS[dtype]) == 6 * (0x8000 - 2 ** LAYOUT[dtype][1])
    ordered = [v for v in _PATTERNS[dtype][:0x8000] if v - v == 0.0] + [INF]
    for k, (x, e, odd) in enumerate(_MIDPOINTS[dtype][:len(_MIDPOINTS[dtype]) // 2]):
        if k % 15 == 0 or (k % 3 == 0 and k > 3 * len(ordered) - 20):   # midpoints (a sample)
            a, b = ordered[k // 3], ordered[k // 3 + 1]
            top = Fraction(2) ** (params(dtype)[2] + 1) if b == INF else Fraction(b)
            assert 2 * Fraction(x) == Fraction(a) + top, x
    for x, e, odd in _MIDPOINTS[dtype][:3000:7]:          # the table itself, by Fractions
        assert same(round_float(x, dtype), e), x
        assert odd == (round_float(round_float(x, "float32"), dtype) != e), x
    assert _midpoint_failures(exact.linear, exact.relu, dtype) == []


def through(dtype_first, function, again=None):
    """A deliberately wrong oracle: ``function`` in ``dtype_first``, then rounded again.

    The second rounding is this file's ``round_float``, or ``again(list, dtype)``
    (a faster one for long lists).
    """
    def wrong(*args, **kwargs):
        dtype = kwargs.pop("dtype")
        out = function(*args, dtype=dtype_first, **kwargs)

        def twice(v):
            return [twice(e) for e in v] if isinstance(v, list) else round_float(v, dtype)
        if again is not None and isinstance(out, list):
            return again(out, dtype)
        return twice(out)
    return wrong


@pytest.mark.parametrize("dtype", NARROW)
def test_rounding_through_float32_fails_the_midpoint_check(dtype):
    # Every float64 just past a midpoint towards the odd neighbour is rounded
    # to the midpoint by float32, and then (a tie) to the even neighbour:
    # wrong.  The second rounding here is nnref's own, of float32 values,
    # which the checks above found right; the fault is rounding twice.
    def again(values, dtype):
        return exact.linear(values, dtype=dtype)
    failures = _midpoint_failures(through("float32", exact.linear, again),
                                  through("float32", exact.relu, again), dtype)
    odd_side = [x for x, _, odd in _MIDPOINTS[dtype] if odd]
    assert len(odd_side) == len(_MIDPOINTS[dtype]) // 3      # one per midpoint and sign
    # linear misses every one of them, relu the positive ones
    assert sorted(x for x, _, _ in failures) == sorted(odd_side + [x for x in odd_side if x > 0])


# --- overflow -------------------------------------------------------------------------

def test_float16_overflow_threshold():
    # 65504 is the largest float16; 65520 = 65504 + 16 is halfway to 2**16,
    # and the tie goes to the even pattern, which is inf.
    xs = [65504.0, 65519.99, 65519.999, 65520.0 - 2 ** -37, 65520.0, 65520.0 + 2 ** -37, 1e5, 1e300]
    expected = [65504.0, 65504.0, 65504.0, 65504.0, INF, INF, INF, INF]
    for function in (exact.linear, exact.relu):
        assert [same(o, e) for o, e in zip(function(xs, dtype="float16"), expected)] == [True] * 8
    assert exact.linear([-v for v in xs], dtype="float16") == [-e for e in expected]
    assert exact.relu([-v for v in xs], dtype="float16") == [0.0] * 8
    ones = [[1.0], [1.0]]
    assert exact.dense([[65504.0, 16.0], [65504.0, 15.99], [-65504.0, -16.0]], ones, [0.0],
                       dtype="float16") == [[INF], [65504.0], [-INF]]
    # a float32 accumulator would hold 65519.999 as 65520 and then overflow
    assert same(round_float(round_float(65519.999, "float32"), "float16"), INF)


def test_bfloat16_overflow_threshold():
    largest = float(2 ** 128 - 2 ** 120)
    tie = float(2 ** 128 - 2 ** 119)
    xs = [largest, float(2 ** 128 - 2 ** 119 - 2 ** 90), tie, 3.4028234663852886e38, 1e39]
    expected = [largest, largest, INF, INF, INF]
    for function in (exact.linear, exact.relu):
        assert function(xs, dtype="bfloat16") == expected
    assert exact.linear([-v for v in xs], dtype="bfloat16") == [-e for e in expected]
    assert exact.dense([[largest, 2.0 ** 119], [largest, 2.0 ** 118]], [[1.0], [1.0]], [0.0],
                       dtype="bfloat16") == [[INF], [largest]]
    # float32's largest value is above bfloat16's threshold: inf (as ml_dtypes gives)
    assert exact.linear(3.4028234663852886e38, dtype="bfloat16") == INF


def test_ints_are_taken_as_the_nearest_float64_first():
    # Documented: inputs are the float64 values given, ints converted as by
    # the float tier.  2**128 - 2**119 - 1 is below the tie, but its float64
    # is the tie itself, which rounds to inf.
    assert float(2 ** 128 - 2 ** 119 - 1) == float(2 ** 128 - 2 ** 119)
    assert exact.linear(2 ** 128 - 2 ** 119 - 1, dtype="bfloat16") == INF
    assert exact.linear(65519, dtype="float16") == 65504.0


# --- double-rounding traps ------------------------------------------------------------

_REF = Context(prec=100, rounding=ROUND_HALF_EVEN, Emin=MIN_EMIN, Emax=MAX_EMAX, traps=[])
_EXACT = Context(prec=2000, Emin=MIN_EMIN, Emax=MAX_EMAX, traps=[Inexact])
_REF_ERROR = Fraction(1, 10 ** 95)


def decide(v, dtype):
    # v is within 1e-95 (relative) of the true value: round it only if all of
    # that neighbourhood rounds the same way.
    if v == 0:
        return 0.0
    q = Fraction(v)
    low, high = nearest(q * (1 - _REF_ERROR), dtype), nearest(q * (1 + _REF_ERROR), dtype)
    assert same(low, high), "the 100-digit reference cannot decide %r" % (v,)
    return low


def ref_sigmoid_value(x):
    return _REF.divide(1, _REF.add(1, _REF.exp(Decimal(x).copy_negate())))


def ref_sigmoid(x, dtype):
    if x != x:
        return NAN
    if x < -2000.0:
        return 0.0            # below e^-2000: far below every half-subnormal
    if x > 2000.0:
        return 1.0
    return decide(ref_sigmoid_value(x), dtype)


def ref_softmax_values(row):
    top = max(row)
    exps = [_REF.exp(_EXACT.subtract(Decimal(v), Decimal(top))) if v != -INF else Decimal(0)
            for v in row]
    total = Decimal(0)
    for e in exps:
        total = _REF.add(total, e)
    return [_REF.divide(e, total) for e in exps]


def ref_softmax(row, dtype):
    if any(v != v or v == INF for v in row) or all(v == -INF for v in row):
        return [NAN] * len(row)
    return [decide(v, dtype) for v in ref_softmax_values(row)]


# (dtype, x, sigmoid(x) rounded once, the wider formats through which a
# second rounding goes wrong).  Midpoints near 0.5 and 1, where sigmoid is
# flat, and at the half-way points of the subnormals, where float32 (whose
# subnormals are finer) holds the midpoint exactly.
SIGMOID_TRAPS = [
    ("float16", 0.0009765625776102258, 0.50048828125, ("float32", "float64")),     # 0.5 + 0.5 ulp
    ("float16", -0.0004882812597012773, 0.499755859375, ("float32", "float64")),   # 0.5 - 0.5 ulp
    ("float16", 8.317521996287168, 0.99951171875, ("float32", "float64")),         # 1 - 0.5 ulp
    ("float16", 0.0029296895954784904, 0.50048828125, ("float32", "float64")),     # 0.5 + 1.5 ulp
    ("float16", 7.218421187824294, 0.99951171875, ("float32", "float64")),         # 1 - 1.5 ulp
    ("float16", -17.328679484196307, 5.960464477539063e-08, ("float32",)),         # 0.5 subnormal
    ("float16", -16.230067135923555, 5.960464477539063e-08, ("float32",)),         # 1.5 subnormals
    ("float16", -15.71924145255291, 1.7881393432617188e-07, ("float32",)),         # 2.5 subnormals
    ("float16", -12.025368615654815, 6.020069122314453e-06, ("float32",)),         # 100.5
    ("float16", -9.704487921122514, 6.097555160522461e-05, ("float32",)),   # 2**-14 - 0.5 subn.
    ("bfloat16", 0.007812539736793652, 0.50390625, ("float32", "float64")),
    ("bfloat16", -0.003906254967065101, 0.498046875, ("float32", "float64")),
    ("bfloat16", 6.2363695902037035, 0.99609375, ("float32", "float64")),
    ("bfloat16", 5.133835727882413, 0.99609375, ("float32", "float64")),
    ("bfloat16", -92.88172219503267, 9.183549615799121e-41, ("float32",)),
    ("bfloat16", -91.78310990636457, 9.183549615799121e-41, ("float32",)),
    ("bfloat16", -90.93581204597737, 2.7550648847397363e-40, ("float32",)),
    ("bfloat16", -87.34045864987426, 1.1663108012064884e-38, ("float32",)),
]

# (function, args, dtype, expected, wider formats that mislead): the exact
# value of each is a hair beside a midpoint of the format.
_ONES2, _ONES3 = [[1.0], [1.0]], [[1.0], [1.0], [1.0]]
ELEMENTWISE_TRAPS = [
    # 1 + 2**-11 is float16's midpoint between 1 and 1 + 2**-10
    ("linear", 1.0 + 2 ** -11 + 2 ** -40, "float16", 1.0009765625, ("float32",)),
    ("relu", 1.0 + 2 ** -11 + 2 ** -40, "float16", 1.0009765625, ("float32",)),
    ("linear", -(1.0 + 2 ** -11 + 2 ** -40), "float16", -1.0009765625, ("float32",)),
    # 3 + 3 * 2**-10 lies between 3 + 2**-9 (odd) and 3 + 2**-8 (even)
    ("linear", 3.0 + 3 * 2 ** -10 - 2 ** -40, "float16", 3.001953125, ("float32",)),
    # 2**-25, half of float16's smallest subnormal: float32 holds it exactly
    ("linear", 2.0 ** -25 + 2.0 ** -50, "float16", 2.0 ** -24, ("float32",)),
    ("relu", 3 * 2.0 ** -25 - 2.0 ** -50, "float16", 2.0 ** -24, ("float32",)),
    # just below the overflow tie: float32 rounds up onto it, then to inf
    ("linear", 65519.999, "float16", 65504.0, ("float32",)),
    ("relu", 65520.0 - 2 ** -20, "float16", 65504.0, ("float32",)),
    # bfloat16: 1 + 2**-8 between 1 and 1 + 2**-7; 2**-134; the tie 2**128 - 2**119
    ("linear", 1.0 + 2 ** -8 + 2 ** -30, "bfloat16", 1.0078125, ("float32",)),
    ("linear", 2.0 ** -134 + 2.0 ** -160, "bfloat16", 2.0 ** -133, ("float32",)),
    ("relu", float(2 ** 128 - 2 ** 119 - 2 ** 90), "bfloat16", float(2 ** 128 - 2 ** 120),
     ("float32",)),
]
DENSE_TRAPS = [
    # exact sums a hair past a midpoint that neither float32 nor float64 can hold
    (([[1.0, 2.0 ** -11, 2.0 ** -60]], _ONES3, [0.0]), "float16", [[1.0009765625]],
     ("float32", "float64")),
    (([[1.0, 2.0 ** -11]], _ONES2, [2.0 ** -60]), "float16", [[1.0009765625]],
     ("float32", "float64")),
    (([[2.0 ** -25, 2.0 ** -80]], _ONES2, [0.0]), "float16", [[2.0 ** -24]],
     ("float32", "float64")),
    (([[65504.0, 16.0, -2.0 ** -40]], _ONES3, [0.0]), "float16", [[65504.0]],
     ("float32", "float64")),
    # 1 + 3 * 2**-11 lies between 1 + 2**-10 (odd) and 1 + 2**-9 (even): a hair below it
    (([[1.0, 3 * 2.0 ** -11, -2.0 ** -60]], _ONES3, [0.0]), "float16", [[1.0009765625]],
     ("float32", "float64")),
    (([[1.0, 2.0 ** -8, 2.0 ** -60]], _ONES3, [0.0]), "bfloat16", [[1.0078125]],
     ("float32", "float64")),
    (([[2.0 ** -134, 2.0 ** -200]], _ONES2, [0.0]), "bfloat16", [[2.0 ** -133]],
     ("float32", "float64")),
    (([[float(2 ** 128 - 2 ** 120), 2.0 ** 119, -2.0 ** 60]], _ONES3, [0.0]), "bfloat16",
     [[float(2 ** 128 - 2 ** 120)]], ("float32", "float64")),
]


def _expected_from_fractions():
    # The dense expectations above, worked out again with Fractions.
    out = []
    for (inputs, weights, biases), dtype, expected, _ in DENSE_TRAPS:
        columns = list(zip(*weights))
        got = [[nearest(sum((Fraction(x) * Fraction(w) for x, w in zip(row, col)), Fraction(b)),
                        dtype) for col, b in zip(columns, biases)] for row in inputs]
        out.append((got, expected))
    return out


def trap_cases():
    """[(label, call, expected, misleading wider formats)], call(oracle) giving the result."""
    cases = []
    for dtype, x, expected, vias in SIGMOID_TRAPS:
        cases.append(("sigmoid(%r, %s)" % (x, dtype),
                      lambda o, x=x, d=dtype: o.sigmoid(x, dtype=d), expected, vias))
        row = [x, 0.0]
        cases.append(("softmax(%r, %s)" % (row, dtype),
                      lambda o, r=row, d=dtype: o.softmax(r, dtype=d)[0], expected, vias))
        row3 = [x, 0.0, -800.0]        # e^-800 moves the value by ~1e-348: still a trap
        cases.append(("softmax(%r, %s)" % (row3, dtype),
                      lambda o, r=row3, d=dtype: o.softmax(r, dtype=d)[0], expected, vias))
        flipped = [0.0, -x]            # e^0 / (e^0 + e^-x) is sigmoid(x) too
        cases.append(("softmax(%r, %s)" % (flipped, dtype),
                      lambda o, r=flipped, d=dtype: o.softmax(r, dtype=d)[0], expected, vias))
    for name, x, dtype, expected, vias in ELEMENTWISE_TRAPS:
        cases.append(("%s(%r, %s)" % (name, x, dtype),
                      lambda o, n=name, x=x, d=dtype: getattr(o, n)(x, dtype=d), expected, vias))
    for args, dtype, expected, vias in DENSE_TRAPS:
        cases.append(("dense%r %s" % (args, dtype),
                      lambda o, a=args, d=dtype: o.dense(*a, dtype=d), expected, vias))
    return cases


TRAPS = trap_cases()


class Through(object):
    """A wrong oracle: nnref.exact in a wider format, then rounded to the target."""

    def __init__(self, wider):
        self.wider = wider
        for name in ("linear", "relu", "sigmoid", "softmax", "dense"):
            setattr(self, name, through(wider, getattr(exact, name)))


def test_the_trap_tables_are_right():
    # Each expected value is the single rounding, by this file's references;
    # each listed wider format really misleads a second rounding.
    for dtype, x, expected, vias in SIGMOID_TRAPS:
        s = Fraction(ref_sigmoid_value(x))
        assert same(decide(ref_sigmoid_value(x), dtype), expected), x
        for via in ("float32", "float64"):
            twice = nearest(Fraction(nearest(s, via)), dtype)
            assert (twice != expected) == (via in vias), (x, via)
    for name, x, dtype, expected, vias in ELEMENTWISE_TRAPS:
        assert same(nearest(Fraction(x), dtype), expected), x
        assert round_float(round_float(x, "float32"), dtype) != expected, x
    for got, expected in _expected_from_fractions():
        assert got == expected
    for (inputs, weights, biases), dtype, expected, vias in DENSE_TRAPS:
        columns = list(zip(*weights))
        exact_sum = sum((Fraction(a) * Fraction(w) for a, w in zip(inputs[0], columns[0])),
                        Fraction(biases[0]))
        for via in vias:
            twice = nearest(Fraction(nearest(exact_sum, via)), dtype)
            assert twice != expected[0][0], (via, inputs)


@pytest.mark.parametrize("label, call, expected, vias", TRAPS, ids=[t[0][:60] for t in TRAPS])
def test_the_oracle_avoids_the_double_rounding_trap(label, call, expected, vias):
    assert same_nested(call(exact), expected), label


@pytest.mark.parametrize("wider", ["float32", "float64"])
def test_rounding_through_a_wider_format_falls_into_the_traps(wider):
    # The checks above can fail: the wrong oracle fails exactly the traps
    # listed for its wider format, and passes the others.
    wrong = Through(wider)
    caught = [label for label, call, expected, vias in TRAPS
              if not same_nested(call(wrong), expected)]
    listed = [label for label, _, _, vias in TRAPS if wider in vias]
    assert caught == listed
    assert len(listed) >= 20


def same_nested(actual, expected):
    if isinstance(expected, list):
        return (isinstance(actual, list) and len(actual) == len(expected)
                and all(same_nested(a, e) for a, e in zip(actual, expected)))
    return same(actual, expected)


# --- the shortcuts and the documented table hold for every format ----------------------

def test_the_sigmoid_and_softmax_shortcuts_hold_in_every_format():
    from nnref.exact import _decimal_math as dm
    context = Context(prec=60, Emin=MIN_EMIN, Emax=MAX_EMAX)
    for name in sorted(FORMATS):
        p, emin, _, _ = params(name)
        min_lsb = emin - (p - 1)
        # 1 - sigmoid(x) < e^-x: below the midpoint under 1 from _ONE_FROM on
        assert Fraction(Decimal(-dm._ONE_FROM).exp(context)) < Fraction(1, 2 ** (p + 1)), name
        # sigmoid(x) < e^x and a far softmax term < e^-gap: below half the smallest subnormal
        for gap in (-dm._ZERO_TO, dm._ZERO_BELOW):
            bound = Decimal(-gap).exp(context) * Decimal("1.000001")
            assert Fraction(bound) < Fraction(1, 2 ** (1 - min_lsb)), name


def test_the_module_docstring_table_matches_the_layout():
    doc = exact.__doc__
    rows = re.findall(r"^(float64|float32|float16|bfloat16) +(\d+) bits +(-\d+)\.\.(\d+) +(\S+) +"
                      r"2\*\*(-\d+) +2\*\*(\d+) - 2\*\*(\d+)$", doc, re.M)
    assert [r[0] for r in rows] == ["float64", "float32", "float16", "bfloat16"]
    for name, prec, low, high, largest, sub, top, half in rows:
        p, emin, emax, _ = params(name)
        assert (int(prec), int(low), int(high)) == (p, emin, emax)
        assert Fraction(float(largest)) == Fraction(2) ** (emax + 1) - Fraction(2) ** (emax + 1 - p)
        assert int(sub) == emin - (p - 1)
        assert (int(top), int(half)) == (emax + 1, emax - p)        # max + half an ULP


# --- property tests ---------------------------------------------------------------------

def _around_values(dtype):
    # A value of the format, a midpoint between two, or a float64 a few steps
    # from either; both signs.
    patterns = st.integers(min_value=0, max_value=0x7FFF - (1 << LAYOUT[dtype][1]))

    def build(n, kind, steps, negative):
        a = _PATTERNS[dtype][n]
        b = _PATTERNS[dtype][n + 1]
        b = 2.0 ** (params(dtype)[2] + 1) if b == INF else b
        x = a if kind == "value" else (a + b) / 2          # exact, as in midpoint_cases
        for _ in range(abs(steps)):
            x = next_float64(x, INF if steps > 0 else -INF)
        return -x if negative else x
    return st.builds(build, patterns, st.sampled_from(["value", "midpoint"]),
                     st.integers(min_value=-3, max_value=3), st.booleans())


def narrow_floats(dtype):
    p, emin, emax, _ = params(dtype)
    top = float(2 ** (emax + 2))
    return st.one_of(
        _around_values(dtype),
        st.floats(min_value=-top, max_value=top),
        st.floats(min_value=-2.0 ** (emin + 1), max_value=2.0 ** (emin + 1)),   # subnormals
        st.floats(allow_nan=False),
    )


def _element_strategy():
    return st.sampled_from(NARROW).flatmap(
        lambda d: st.tuples(st.just(d), st.lists(narrow_floats(d), min_size=1, max_size=6)))


@given(_element_strategy())
@example(("float16", [65520.0, -65520.0, 65519.99, 2.0 ** -25, -2.0 ** -25, 3 * 2.0 ** -25]))
@example(("bfloat16", [2.0 ** -134, 3 * 2.0 ** -134, float(2 ** 128 - 2 ** 119), -1e-45]))
def test_linear_and_relu_are_the_fraction_rounding(case):
    dtype, xs = case
    expected = [round_float(x, dtype) for x in xs]
    assert [same(o, e) for o, e in zip(exact.linear(xs, dtype=dtype), expected)] == [True] * len(xs)
    expected = [round_float(x if x > 0.0 else (x if x == 0.0 else 0.0), dtype) for x in xs]
    assert [same(o, e) for o, e in zip(exact.relu(xs, dtype=dtype), expected)] == [True] * len(xs)


@st.composite
def dense_problems(draw):
    dtype = draw(st.sampled_from(NARROW))
    element = narrow_floats(dtype).filter(lambda v: abs(v) < 1e200)
    n = draw(st.integers(min_value=1, max_value=2))
    k = draw(st.integers(min_value=1, max_value=4))
    m = draw(st.integers(min_value=1, max_value=2))
    inputs = [[draw(element) for _ in range(k)] for _ in range(n)]
    weights = [[draw(st.one_of(st.just(1.0), st.just(-1.0), element)) for _ in range(m)]
               for _ in range(k)]
    biases = [draw(element) for _ in range(m)]
    return dtype, inputs, weights, biases


def ref_dense(inputs, weights, biases, dtype):
    columns = list(zip(*weights))
    out = []
    for row in inputs:
        line = []
        for col, b in zip(columns, biases):
            total = sum((Fraction(x) * Fraction(w) for x, w in zip(row, col)), Fraction(b))
            terms = [x * w for x, w in zip(row, col)] + [b]
            if total == 0:
                # -0.0 only if every term is -0.0 (IEEE's sum of zeros)
                negative = all(t == 0.0 and math.copysign(1.0, t) < 0 for t in terms)
                line.append(-0.0 if negative else 0.0)
            else:
                line.append(nearest(total, dtype))
        out.append(line)
    return out


@given(dense_problems())
@example(("float16", [[65504.0, 16.0]], [[1.0], [1.0]], [0.0]))
@example(("float16", [[2.0 ** -13, 2.0 ** -13]], [[2.0 ** -12], [2.0 ** -13]], [0.0]))
@example(("bfloat16", [[1e38, 1e38, -1e38]], [[3.0], [1.0], [1.0]], [-1e38]))
def test_dense_is_the_fraction_rounding_of_the_exact_sum(problem):
    dtype, inputs, weights, biases = problem
    expected = ref_dense(inputs, weights, biases, dtype)
    assert same_nested(exact.dense(inputs, weights, biases, dtype=dtype), expected), expected


def sigmoid_inputs(dtype):
    low, high = {"float16": (-19.0, 10.0), "bfloat16": (-95.0, 8.0)}[dtype]
    return st.one_of(st.floats(min_value=low, max_value=high),
                     st.floats(min_value=-1e-3, max_value=1e-3),
                     st.floats(min_value=-100.0, max_value=100.0),
                     st.sampled_from([NAN, INF, -INF, 0.0, -0.0]))


@settings(max_examples=150)
@given(st.sampled_from(NARROW).flatmap(lambda d: st.tuples(st.just(d), sigmoid_inputs(d))))
@example(("float16", -17.32))
@example(("float16", -17.33))
@example(("float16", 8.3175))
@example(("bfloat16", -92.88))
@example(("bfloat16", 6.2364))
def test_sigmoid_is_the_decimal_reference_rounded_once(case):
    dtype, x = case
    expected = ref_sigmoid(x, dtype) if x == x and x not in (INF, -INF) else \
        {INF: 1.0, -INF: 0.0}.get(x, NAN)
    assert same(exact.sigmoid(x, dtype=dtype), expected)


@settings(max_examples=100)
@given(st.sampled_from(NARROW).flatmap(lambda d: st.tuples(
    st.just(d), st.lists(st.one_of(sigmoid_inputs(d), st.floats(min_value=-20, max_value=20)),
                         min_size=1, max_size=4))))
@example(("float16", [0.0, -17.32, -17.33]))
@example(("bfloat16", [0.0, 0.0, 0.0]))
@example(("float16", [11.0, 11.1, -INF]))
def test_softmax_is_the_decimal_reference_rounded_once(case):
    dtype, row = case
    assert same_nested(exact.softmax(row, dtype=dtype), ref_softmax(row, dtype))


def test_nan_stays_nan_in_every_narrow_format():
    for dtype in NARROW:
        for function in (exact.step, exact.linear, exact.relu, exact.sigmoid):
            assert function(NAN, dtype=dtype) != function(NAN, dtype=dtype)
        assert all(v != v for v in exact.softmax([1.0, NAN], dtype=dtype))
        out = exact.dense([[NAN, 1.0], [INF, -INF]], [[1.0], [1.0]], [0.0], dtype=dtype)
        out += exact.dense([[INF]], [[0.0]], [1.0], dtype=dtype)
        assert len(out) == 3 and all(row[0] != row[0] for row in out)
        assert exact.relu([-0.0, -1.0], dtype=dtype) == [-0.0, 0.0]
        assert math.copysign(1.0, exact.relu(-0.0, dtype=dtype)) < 0
        assert math.copysign(1.0, exact.linear(-1e-300, dtype=dtype)) < 0
