"""The loss functions of ``nnref.losses``, each result the exact value rounded once to ``dtype``.

* ``categorical_crossentropy``: -ln of the exact clipped confidence, from
  ``Decimal.ln`` (correctly rounded, as ``Decimal.exp``; see
  ``nnref.exact._decimal_math``) widened to a one-unit bound, the bounds
  rounded with ``round_ratio`` and the precision doubled until both round to
  the same value (Ziv).  The sum and the mean are rounded once from the
  bounds of the exact sum of the exact losses.
* ``categorical_crossentropy_backward`` and ``accuracy``: rational values,
  rounded once by integer arithmetic (``nnref.losses``' own kernels, which
  are exact, given the format).
* ``softmax_crossentropy_backward``: (e^d_i / sum_j e^d_j - y_i) / n with
  bounds on every e^d from ``exp_bounds``; rational results (every finite
  logit of the row equal, so s = 1/m, or a -inf logit, s = 0) are computed
  exactly first, so an exact zero never enters the loop.

Why the loops end: a loss is -ln s for a dyadic rational s != 1, which is
transcendental (Lindemann), so never a midpoint of a format; a sum of losses
is -ln of the product of the s_i, transcendental unless that product is 1,
which is tested exactly (the sum is then 0).  A softmax output of a row whose
finite logits are not all equal is irrational (``_decimal_math``), so s - y
is never 0 nor a midpoint.  Saturated rows (s near 1 and y = 1) need digits
in proportion to the spread of the logits; the loop doubles them until the
bounds agree.
"""

import decimal  # noqa: F401  (absent on MicroPython)
from decimal import Decimal

from . import _decimal_math
from .. import losses
from .._base.formats import check_dtype, is_finite, round_float, round_ratio, to_scaled_int

_INF = float("inf")
_NAN = float("nan")


def clip_bounds(fmt):
    """The book's clip bounds in ``fmt``: ``1e-7`` and ``1 - 1e-7`` rounded to the format.

    >>> from nnref._base.formats import FORMATS
    >>> [clip_bounds(FORMATS[d]) for d in ("float64", "float32", "float16")]
    [(1e-07, 0.9999999), (1.0000000116860974e-07, 0.9999998807907104), (1.1920928955078125e-07, 1.0)]
    """
    return round_float(losses.CLIP_LOW, fmt), round_float(losses.CLIP_HIGH, fmt)


def _same(a, b):
    # Equal values, zeros of the same sign (a and b are never NaN here).
    return a == b and (a != 0.0 or str(a) == str(b))


def _as_decimal(n, e):
    # n * 2**e exactly.
    if e >= 0:
        return Decimal(n << e)
    return Decimal("%de%d" % (n * 5 ** -e, e))


# --- the loss -------------------------------------------------------------------------

def _decided_or_pending(s):
    # A float loss when no logarithm is needed, else the exact s as (n, e).
    if type(s) is not tuple:                     # NaN or an infinity from the IEEE sum
        return losses._negative_log(s)
    n, e = s
    if n <= 0:
        return _NAN if n < 0 else _INF
    if n == 1 and e == 0 or (e < 0 and n == 1 << -e):
        return -0.0                              # -ln 1, signed as NumPy's -log(1.0)
    return (n, e)


def _confidences(rows, labels, targets, fmt):
    low, high = clip_bounds(fmt)
    if labels is not None:
        out = []
        for row, label in zip(rows, labels):
            c = losses.clip(row[label], low, high)
            out.append(c if c != c else to_scaled_int(c))
        return out
    return [losses.clipped_confidence(row, target, low, high)
            for row, target in zip(rows, targets)]


def _ln_bounds(value, digits):
    # (low, high, k): -ln(value) lies in [low, high] * 10**k.
    context = _decimal_math._context(digits)
    r = value.ln(context)
    k = r.adjusted() - digits + 1
    units = int(r.scaleb(-k, context))
    return -units - 1, -units + 1, k


def _round_interval(low, high, k, count, fmt):
    # The two roundings of [low, high] * 10**k / count.
    if k >= 0:
        scale = 10 ** k
        return (round_ratio(low * scale, count, fmt), round_ratio(high * scale, count, fmt))
    den = count * 10 ** -k
    return round_ratio(low, den, fmt), round_ratio(high, den, fmt)


def _loss_of(pending, fmt):
    value = _as_decimal(*pending)
    digits = _decimal_math._FIRST_DIGITS
    while digits <= _decimal_math._MAX_DIGITS:
        lower, upper = _round_interval(*(_ln_bounds(value, digits) + (1, fmt)))
        if _same(lower, upper):
            return lower
        digits *= 2
    raise _decimal_math._too_many_digits("-ln(%r)" % (pending,))


def _product_is_one(pendings):
    numerator, exponent = 1, 0
    for n, e in pendings:
        numerator *= n
        exponent += e
    return exponent <= 0 and numerator == 1 << -exponent


def _reduced(decided, pendings, count, fmt):
    # The exact sum of every loss, divided by count, rounded once.
    specials = [v for v in decided if v != 0.0]
    if specials:                                  # NaN or an infinity decides
        return losses.exact_mean(specials, 1, fmt)
    if not pendings:
        return losses.exact_mean(decided, count, fmt)   # zeros only
    values = [_as_decimal(*p) for p in pendings]
    digits = _decimal_math._FIRST_DIGITS
    while digits <= _decimal_math._MAX_DIGITS:
        bounds = [_ln_bounds(v, digits) for v in values]
        least = min(b[2] for b in bounds)
        low = sum(b[0] * 10 ** (b[2] - least) for b in bounds)
        high = sum(b[1] * 10 ** (b[2] - least) for b in bounds)
        lower, upper = _round_interval(low, high, least, count, fmt)
        if _same(lower, upper):
            return lower
        if digits == _decimal_math._FIRST_DIGITS and _product_is_one(pendings):
            return 0.0                            # the losses cancel exactly
        digits *= 2
    raise _decimal_math._too_many_digits("a sum of %d losses" % len(pendings))


def categorical_crossentropy(y_pred, y_true, reduction="mean", dtype="float64"):
    """Categorical cross-entropy, ``nnref.categorical_crossentropy``, correctly rounded.

    Formula: the book's, with its clip bounds in ``dtype`` (NumPy casts the
    Python floats 1e-7 and 1 - 1e-7 to the array's dtype): 1e-7 and
    0.9999999 in float64, 1.0000000116860974e-07 and 1 - 2**-23 in float32,
    2**-23 and 1.0 in float16, 1.0011717677116394e-07 and 1.0 in bfloat16.
    The inputs are the given float64 values; each loss is the exact -ln of
    the exact clipped confidence (for one-hot rows the exact weighted sum),
    rounded once, directly, to ``dtype``; the mean and the sum are the exact
    sum of the exact losses (divided by n), rounded once.  Where the upper
    bound is 1.0 (float16, bfloat16) a confidence of 1 gives -0.0, as
    NumPy's ``-np.log(1.0)``.  Shapes, errors and the other special values
    are those of ``nnref.categorical_crossentropy``.

    Accuracy: <= 0.5 ULP (ties cannot occur).  Speed: about 0.1 ms per sample
    on CPython 3.11 (x86-64), most of it in ``Decimal.ln``.

    Special cases:

    - If `d` is `"float32"`, `exact.categorical_crossentropy([[0.0, 1.0]], [1], dtype=d)` is `1.1920930376163597e-07`.
    - If `d` is `"float16"`, `exact.categorical_crossentropy([[0.0, 1.0]], [1], dtype=d)` is `-0.0`.
    - If `y` is `[]`, `exact.categorical_crossentropy([], y)` is `float("nan")`.
    - If `y` is `[True]`, `exact.categorical_crossentropy([[0.5, 0.5]], y)` raises TypeError.

    >>> categorical_crossentropy([[1/3, 1/3, 1/3]], [0])
    1.0986122886681098
    >>> categorical_crossentropy([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4]], [0, 1], dtype="float32")
    0.5249110460281372
    >>> categorical_crossentropy([[0.0, 1.0], [1.0, 0.0]], [0, 0], "none", dtype="bfloat16")
    [16.125, -0.0]
    """
    func = "exact.categorical_crossentropy"
    fmt = check_dtype(dtype, func)
    losses.check_reduction(reduction, func)
    rows, labels, targets = losses.check_loss_arguments(y_pred, y_true, func)
    items = [_decided_or_pending(s) for s in _confidences(rows, labels, targets, fmt)]
    if reduction == "none":
        return [_loss_of(v, fmt) if type(v) is tuple else round_float(v, fmt) for v in items]
    decided = [v for v in items if type(v) is not tuple]
    pendings = [v for v in items if type(v) is tuple]
    return _reduced(decided, pendings, len(items) if reduction == "mean" else 1, fmt)


def categorical_crossentropy_backward(y_pred, y_true, dtype="float64"):
    """-y_true / y_pred / n, ``nnref.categorical_crossentropy_backward``, rounded to ``dtype``.

    Each element is the exact quotient -t / (p * n) for the given floats,
    rounded once, directly, to ``dtype`` (<= 0.5 ULP, ties to even,
    subnormals kept, ±inf past the range); signs, shapes and errors as in the
    float tier, whose kernel this is (it is exact for any format).

    Special cases:

    - If `d` is `"float16"`, `exact.categorical_crossentropy_backward([[1e-6, 0.5]], [0], dtype=d)` is `[[-float("inf"), -0.0]]`.

    >>> categorical_crossentropy_backward([[0.7, 0.3]], [0], dtype="float32")
    [[-1.4285714626312256, -0.0]]
    """
    func = "exact.categorical_crossentropy_backward"
    fmt = check_dtype(dtype, func)
    rows, labels, targets = losses.check_loss_arguments(y_pred, y_true, func)
    return losses._crossentropy_gradient(rows, labels, targets, fmt)


def accuracy(y_pred, y_true, dtype="float64"):
    """``nnref.accuracy``: the share of rows whose argmax is the true class, rounded to ``dtype``.

    The count of correct rows over n, rounded once, directly, to ``dtype``;
    argmax, shapes and errors as in the float tier.

    Special cases:

    - If `d` is `"bfloat16"`, `exact.accuracy([[1.0, 0.0]] * 3, [0, 1, 1], dtype=d)` is `0.333984375`.

    >>> accuracy([[0.7, 0.3], [0.1, 0.9], [0.5, 0.5]], [0, 1, 1], dtype="float16")
    0.66650390625
    """
    func = "exact.accuracy"
    fmt = check_dtype(dtype, func)
    rows, labels, targets = losses.check_loss_arguments(y_pred, y_true, func)
    if not rows:
        return _NAN
    return round_ratio(losses.count_correct(rows, labels, targets, func), len(rows), fmt)


# --- the softmax step's gradient -----------------------------------------------------

def _over(num, den, y, count, fmt):
    # The fmt value nearest to (num / den - y) / count, y a finite float; +0.0 if exactly 0.
    a, e = to_scaled_int(y)
    if e >= 0:
        top, bottom = num - ((den * a) << e), den * count
    else:
        top, bottom = (num << -e) - den * a, (den * count) << -e
    return round_ratio(top, bottom, fmt) if top else 0.0


def _side(num, den, y):
    # The sign of num / den - y (den > 0, y a finite float): -1, 0 or 1.
    a, e = to_scaled_int(y)
    difference = (num - ((den * a) << e)) if e >= 0 else ((num << -e) - den * a)
    return (difference > 0) - (difference < 0)


def _settle(low, high, den_low, den_high, y, count, fmt):
    # s in [low / den_low, high / den_high]: the rounding of (s - y) / count if
    # both ends give it, else None.  When both give a zero, its sign is the
    # side of y the whole interval lies on (s != y here).
    lower = _over(low, den_low, y, count, fmt)
    upper = _over(high, den_high, y, count, fmt)
    if lower != 0.0 or upper != 0.0:
        return lower if _same(lower, upper) else None
    if _side(high, den_high, y) <= 0:
        return -0.0
    if _side(low, den_low, y) >= 0:
        return 0.0
    return None


def _row_exponents(row):
    # (differences, low): x_j - max == differences[j] * 2**low exactly; None for -inf.
    finite = [v for v in row if v != -_INF]
    pairs = [None if v == -_INF else to_scaled_int(v) for v in row]
    top_n, top_e = to_scaled_int(max(finite))
    low = min([top_e] + [p[1] for p in pairs if p is not None])
    top = top_n << (top_e - low)
    return [None if p is None else (p[0] << (p[1] - low)) - top for p in pairs], low


def _gradient_try(differences, low, decimals, target, count, digits, fmt, known):
    # One pass at `digits` digits: the row's results, None where unsettled;
    # the elements already known (not None in `known`) are kept as they are.
    # Terms below e^far are bounded, not computed: 0 < e^d < e^far <= 10**tiny_k,
    # since ln 10 < 2.31.  far is below -746 (such a term is below half of float64's
    # smallest subnormal) and goes down with the digits, so every term counts in the end.
    far = -(max(750, 231 * (digits + 10) // 100 + 1))
    tiny_k = -((-far * 100) // 231)
    terms = []
    for j, d in enumerate(differences):
        if d is None:
            terms.append(None)
        elif d == 0:
            terms.append((1, 1, 0))
        elif (d << low if low >= 0 else d) < (far if low >= 0 else far << -low):
            terms.append("tiny")
        else:
            if decimals[j] is None:
                decimals[j] = _as_decimal(d, low)
            terms.append(_decimal_math.exp_bounds(decimals[j], digits))
    least = min([tiny_k] + [t[2] for t in terms if type(t) is tuple])
    sum_low = sum(t[0] * 10 ** (t[2] - least) for t in terms if type(t) is tuple)
    tinies = terms.count("tiny")
    sum_high = (sum(t[1] * 10 ** (t[2] - least) for t in terms if type(t) is tuple)
                + tinies * 10 ** (tiny_k - least))
    out = []
    for t, y, done in zip(terms, target, known):
        if done is not None:
            out.append(done)
        elif t == "tiny":
            out.append(_settle(0, 10 ** (tiny_k - least), 1, sum_low, y, count, fmt))
        else:
            scale = 10 ** (t[2] - least)
            out.append(_settle(t[0] * scale, t[1] * scale, sum_high, sum_low, y, count, fmt))
    return out


def _softmax_gradient_row(row, target, count, fmt):
    if any(v != v or v == _INF for v in row) or all(v == -_INF for v in row):
        return [_NAN] * len(row)                   # softmax is NaN throughout
    finite = [v for v in row if v != -_INF]
    top = max(finite)
    if all(v == top for v in finite):              # s = 1/m or 0: rational
        share = [(1, len(finite)) if v != -_INF else (0, 1) for v in row]
    else:
        share = [None if v != -_INF else (0, 1) for v in row]
    out = []
    for s, y in zip(share, target):
        if not is_finite(y):
            out.append(round_float((0.5 - y) / count, fmt))   # NaN or -+inf, s in [0, 1]
        elif s is not None:
            out.append(_over(s[0], s[1], y, count, fmt))
        else:
            out.append(None)
    if None not in out:
        return out
    differences, low = _row_exponents(row)
    decimals = [None] * len(row)
    digits = _decimal_math._FIRST_DIGITS
    while digits <= _decimal_math._MAX_DIGITS:
        out = _gradient_try(differences, low, decimals, target, count, digits, fmt, out)
        if None not in out:
            return out
        digits *= 2
    raise _decimal_math._too_many_digits("softmax_crossentropy_backward(%r)" % (row,))


def softmax_crossentropy_backward(inputs, y_true, dtype="float64"):
    """(softmax(inputs) - y) / n, ``nnref.softmax_crossentropy_backward``, correctly rounded.

    Each element is the exact value (e^x_i / sum_j e^x_j - y_i) / n for the
    given floats, rounded once, directly, to ``dtype`` (<= 0.5 ULP).  Exact
    zeros are found before any refinement: a row whose finite logits are all
    equal has s = 1/m exactly (a one-element row: s = 1, and 0 for its true
    class), and a -inf logit has s = 0.  Where y is 1 and the row is
    saturated, s - 1 is tiny and the loop raises the precision with the
    spread of the logits; a result that rounds to zero gets the sign of the
    exact value.  Shapes, errors and NaN rules as in the float tier.

    Special cases:

    - If `x` is `[[5.0]]`, `exact.softmax_crossentropy_backward(x, [0])` is `[[0.0]]`.
    - If `x` is `[[0.0, -800.0]]`, `exact.softmax_crossentropy_backward(x, [0])` is `[[-0.0, 0.0]]`.
    - If `x` is `[[0.0, -40.0]]`, `exact.softmax_crossentropy_backward(x, [0])` is `[[-4.248354255291589e-18, 4.248354255291589e-18]]`.

    >>> softmax_crossentropy_backward([[1.0, 2.0, 3.0]], [2])
    [[0.09003057317038046, 0.24472847105479764, -0.3347590442251781]]
    >>> softmax_crossentropy_backward([[0.0, 0.0, 0.0]], [[0.0, 0.5, 0.5]], dtype="float32")
    [[0.3333333432674408, -0.1666666716337204, -0.1666666716337204]]
    """
    func = "exact.softmax_crossentropy_backward"
    fmt = check_dtype(dtype, func)
    rows, labels, targets = losses.check_loss_arguments(inputs, y_true, func, "inputs")
    if targets is None:
        targets = losses.one_hot(labels, len(rows[0]) if rows else 0)
    return [_softmax_gradient_row(row, target, len(rows), fmt)
            for row, target in zip(rows, targets)]
