"""Categorical cross-entropy, its gradients and accuracy: the book's chapters 5, 6 and 9.

``categorical_crossentropy(y_pred, y_true)`` is the book's
``Loss_CategoricalCrossentropy`` (with PyTorch's ``reduction``);
``categorical_crossentropy_backward`` its ``backward``;
``softmax_crossentropy_backward`` the gradient of the combined softmax and
cross-entropy step with respect to the logits; ``accuracy`` the share of rows
whose argmax is the true class.  ``CategoricalCrossentropy`` and
``SoftmaxCategoricalCrossentropy`` are the book's two loss classes in the
core's style.

Arguments, the same for every function here (one checking function,
``check_loss_arguments``, shared with ``nnref.exact``):

* ``y_pred`` (``inputs`` for the softmax step) is an n x k batch: n samples,
  k classes; ``[]`` is n == 0;
* ``y_true`` is either n class indices (a vector of ints, each from 0 to
  k - 1; a ``bool`` or a float is a ``TypeError``, an index out of range a
  ``ValueError``: NumPy would wrap a negative one, a class label never is),
  or n one-hot rows (an n x k batch of numbers), as the book's
  ``len(y_true.shape) == 1`` or ``== 2`` decides.

The clip is the book's ``np.clip(y_pred, 1e-7, 1 - 1e-7)``: the floats
``1e-7`` and ``0.9999999`` (the float nearest 1 - 1e-7); NaN passes through
it, as it does through ``np.clip``.

>>> categorical_crossentropy([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4]], [0, 1])
0.5249110622493389
>>> accuracy([[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]], [0, 1, 1])
0.6666666666666666
"""

import math

from . import activations
from ._base.checks import _all_float_rows, _describe, batch_to_floats, is_sequence, plain_number, plain_sequence, to_batch
from ._base.formats import FLOAT64, all_finite, is_finite, is_negative_zero, round_ratio, round_scaled, to_scaled_int
from ._base.rounding import special_sum

try:
    from itertools import chain as _chain, repeat as _repeat
    from operator import mul as _mul, sub as _sub, truediv as _truediv
    _elements = _chain.from_iterable
except (ImportError, AttributeError):      # MicroPython: some of these are missing
    _elements = _repeat = None

_INF = float("inf")
_NAN = float("nan")
_log = math.log
_MIN_NORMAL = 2.0 ** -1022

#: The book's clip bounds, as float64 values.
CLIP_LOW = 1e-7
CLIP_HIGH = 1 - 1e-7          # 0.9999999, the float nearest 1 - 1e-7
REDUCTIONS = ("mean", "sum", "none")


# --- the shared argument check ------------------------------------------------------

def _pred_shape(rows):
    return "(%d, %d)" % (len(rows), len(rows[0])) if rows else "(0,)"


def _indices(items, rows, func):
    # Class indices: plain ints from 0 to k - 1, one per row.
    classes = len(rows[0]) if rows else 0
    if list(map(type, items)).count(int) == len(items) and (
            not items or (min(items) >= 0 and max(items) < classes)):
        return list(items)                  # the common case, at C speed
    labels = []
    for i, value in enumerate(items):
        number = plain_number(value)
        if type(number) is not int:
            raise TypeError("%s: y_true[%d] is %s; class indices must be ints "
                            "(one-hot labels are rows of floats)" % (func, i, _describe(value)))
        if not 0 <= number < classes:
            raise ValueError("%s: y_true[%d] is %d, but y_pred %s has %d classes (indices 0 to %d)"
                             % (func, i, number, _pred_shape(rows), classes, classes - 1))
        labels.append(number)
    return labels


def check_loss_arguments(y_pred, y_true, func, name="y_pred", read_only=False):
    """Check a loss's operands; return ``(rows, labels, targets)`` as new lists.

    ``read_only=True``: a caller that only reads ``rows`` gets a plain batch
    of floats as it is, not copied.

    ``rows`` is ``y_pred`` as an n x k batch of floats; exactly one of
    ``labels`` (n ints, for class indices) and ``targets`` (n rows of k
    floats, for one-hot rows) is a list, the other None.  ``name`` is what
    errors call the first argument (``inputs`` for the softmax step).

    >>> check_loss_arguments([[0.5, 0.5]], [1], "f")
    ([[0.5, 0.5]], [1], None)
    >>> check_loss_arguments([[0.5, 0.5]], [[0, 1]], "f")
    ([[0.5, 0.5]], None, [[0.0, 1.0]])
    >>> check_loss_arguments([[0.5, 0.5]], [2], "f")
    Traceback (most recent call last):
        ...
    ValueError: f: y_true[0] is 2, but y_pred (1, 2) has 2 classes (indices 0 to 1)
    """
    rows = y_pred if read_only and _all_float_rows(y_pred) else to_batch(y_pred, func, name)
    items = plain_sequence(y_true)
    if items is None:
        raise TypeError("%s: y_true is %s; expected class indices (a list of ints) or "
                        "one-hot rows (a list of rows)" % (func, _describe(y_true)))
    if items and is_sequence(items[0]):
        targets = batch_to_floats(items, func, "y_true")
        if len(targets) != len(rows) or (rows and len(targets[0]) != len(rows[0])):
            raise ValueError("%s: y_true (%d, %d) does not match %s %s"
                             % (func, len(targets), len(targets[0]), name,
                                _pred_shape(rows).replace("(0,)", "(0, k)")))
        return rows, None, targets
    if len(items) != len(rows):
        raise ValueError("%s: y_true (%d,) does not match %s %s: %d labels for %d rows"
                         % (func, len(items), name, _pred_shape(rows), len(items), len(rows)))
    return rows, _indices(items, rows, func), None


def check_reduction(reduction, func):
    """``reduction`` if it is "mean", "sum" or "none"; else the ``ValueError``."""
    if type(reduction) is not str or reduction not in REDUCTIONS:
        raise ValueError('%s: reduction must be "mean", "sum" or "none", not %s'
                         % (func, _describe(reduction)))
    return reduction


def one_hot(labels, classes):
    """Rows of ``np.eye(classes)[labels]``: 1.0 at each label, +0.0 elsewhere."""
    out = []
    for label in labels:
        row = [0.0] * classes
        row[label] = 1.0
        out.append(row)
    return out


# --- exact helpers, shared with nnref.exact ----------------------------------------

def clip(v, low, high):
    """``np.clip(v, low, high)`` for one float: NaN passes through."""
    if v < low:
        return low
    if v > high:
        return high
    return v


def clipped_confidence(row, target, low, high):
    """``sum_j clip(row[j]) * target[j]`` for a one-hot row, exactly.

    Returns ``(n, e)`` with the sum equal to ``n * 2**e`` when every product
    is finite, else the float the IEEE sum gives (NaN or an infinity): the
    clipped values are positive, so a product is NaN or infinite only where
    ``row[j]`` is NaN or ``target[j]`` is not finite.
    """
    clipped = [clip(v, low, high) for v in row]
    specials = [c * t for c, t in zip(clipped, target) if c != c or not is_finite(t)]
    if specials:
        return special_sum(specials)
    terms = []
    for c, t in zip(clipped, target):
        if t != 0.0:
            a, e = to_scaled_int(c)
            b, f = to_scaled_int(t)
            terms.append((a * b, e + f))
    if not terms:
        return 0, 0
    least = min(e for _, e in terms)
    return sum(n << (e - least) for n, e in terms), least


def scaled_ratio(num, exponent, den, fmt):
    """The ``fmt`` value nearest to ``num * 2**exponent / den`` (ints, ``den > 0``)."""
    if exponent >= 0:
        return round_ratio(num << exponent, den, fmt)
    return round_ratio(num, den << -exponent, fmt)


def exact_mean(values, count, fmt=FLOAT64):
    """The ``fmt`` value nearest to ``sum(values) / count``, the sum exact (IEEE specials).

    NaN or an infinity in ``values`` decides the result as IEEE addition
    would; an exact zero sum is -0.0 only if every value is -0.0; ``count``
    0 gives NaN (NumPy's mean of nothing).
    """
    if count == 0:
        return _NAN
    special = special_sum(values)
    if special is not None:
        return special
    pairs = [to_scaled_int(v) for v in values if v != 0.0]
    total = 0
    least = 0
    if pairs:
        least = min(e for _, e in pairs)
        total = sum(n << (e - least) for n, e in pairs)
    if total == 0:
        return -0.0 if values and all(map(is_negative_zero, values)) else 0.0
    return scaled_ratio(total, least, count, fmt)


def difference_over(a, b, count, fmt=FLOAT64):
    """The ``fmt`` value nearest to ``(a - b) / count``, rounded once (IEEE specials)."""
    if not (is_finite(a) and is_finite(b)):
        return (a - b) / count                 # NaN or an infinity: exact
    if fmt is FLOAT64 and (b == 0.0 or 0.0 < 0.5 * b <= a <= 2.0 * b):
        # a - b is exact (b == 0, or Sterbenz's lemma), so the division is the one rounding.
        return (a - b) / count
    if b == 1.0 and fmt is FLOAT64 and _INT_DIVISION_ROUNDS:
        return _minus_one_over(a, count)
    n, e = to_scaled_int(a)
    m, f = to_scaled_int(b)
    least = min(e, f)
    total = (n << (e - least)) - (m << (f - least))
    if total == 0:
        return (a - b) / count                 # a signed zero, as IEEE subtraction gives
    return scaled_ratio(total, least, count, fmt)


# int / int is one correctly rounded division on CPython and PyPy (the exact
# quotient rounded once); MicroPython divides the two ints' floats instead.
# The probe: (2**53 + 1) / 3 is exactly 3002399751580331, but float(2**53 + 1)
# is 2**53, and 2**53 / 3 rounds to 3002399751580330.5.
_as_ratio = getattr(float, "as_integer_ratio", None)
_INT_DIVISION_ROUNDS = _as_ratio is not None and (2 ** 53 + 1) / 3 == 3002399751580331.0


def _minus_one_over(a, count):
    # (a - 1) / count for a finite float a, rounded once (the softmax step's
    # label entries), where _INT_DIVISION_ROUNDS: with a == p / q exactly,
    # (a - 1) / count is the rational (p - q) / (q * count), and int / int
    # rounds it once.  a == 1.0 gives 0 / (q * count), +0.0, as 1.0 - 1.0 is.
    p, q = _as_ratio(a)
    return (p - q) / (q * count)


def _minus_one_over_each(values, count):
    # _minus_one_over of each of a list of finite floats, in C-level passes.
    numerators, denominators = zip(*map(_as_ratio, values))
    return list(map(_truediv, map(_sub, numerators, denominators),
                    map(_mul, denominators, _repeat(count))))


def negated_quotient(t, p, count, fmt=FLOAT64):
    """The ``fmt`` value nearest to ``-t / p / count``, the exact value rounded once."""
    if p == 0.0:
        if t != t or t == 0.0:
            return _NAN
        negative = (t > 0.0) != is_negative_zero(p)
        return -_INF if negative else _INF
    if t == 0.0 or not (is_finite(t) and is_finite(p)):
        return (-t) / p / count                # NaN, an infinity or a signed zero: exact
    if fmt is FLOAT64 and count & (count - 1) == 0:
        q = (-t) / p                           # one rounding; / count is then exact
        if is_finite(q) and abs(q) >= _MIN_NORMAL * count:
            return q / count
    n, e = to_scaled_int(t)
    m, f = to_scaled_int(p)
    if m < 0:
        n, m = n, -m
    else:
        n = -n
    return scaled_ratio(n, e - f, m * count, fmt)


def argmax(row):
    """NumPy's ``argmax`` of a nonempty row: the first NaN, else the first maximum."""
    best = 0
    top = row[0]
    if top != top:
        return 0
    for j in range(1, len(row)):
        v = row[j]
        if v != v:
            return j
        if v > top:
            best, top = j, v
    return best


def count_correct(rows, labels, targets, func):
    """How many rows' argmax is the true class (for ``accuracy``)."""
    if targets is not None:
        if rows and not rows[0]:
            raise ValueError("%s: y_true has rows of length 0; argmax needs at least one class"
                             % func)
        labels = [argmax(t) for t in targets]
    if rows and not rows[0]:
        raise ValueError("%s: y_pred has rows of length 0; argmax needs at least one class"
                         % func)
    return sum(1 for row, label in zip(rows, labels) if argmax(row) == label)


# --- the loss -------------------------------------------------------------------------

def _negative_log(s):
    # -log(s) as NumPy gives it: NaN for NaN or s < 0, +inf at zero, -inf at +inf.
    if s != s or s < 0.0:
        return _NAN
    if s == 0.0:
        return _INF
    if s == _INF:
        return -_INF
    return -_log(s)


def _sample_losses(rows, labels, targets):
    if labels is not None:
        return [_negative_log(clip(row[label], CLIP_LOW, CLIP_HIGH))
                for row, label in zip(rows, labels)]
    out = []
    for row, target in zip(rows, targets):
        s = clipped_confidence(row, target, CLIP_LOW, CLIP_HIGH)
        if type(s) is tuple:
            s = round_scaled(s[0], s[1])
        out.append(_negative_log(s))
    return out


def _reduce(losses, reduction):
    if reduction == "none":
        return losses
    return exact_mean(losses, len(losses) if reduction == "mean" else 1)


def categorical_crossentropy(y_pred, y_true, reduction="mean"):
    """Categorical cross-entropy: -log of the clipped predicted probability of the true class.

    Formula, the book's ``Loss_CategoricalCrossentropy.forward`` exactly:
    with c(p) = clip(p, 1e-7, 0.9999999) (``np.clip(y_pred, 1e-7, 1 - 1e-7)``),
    loss_i = -log(c(y_pred[i][y_true[i]])) for class indices, and
    loss_i = -log(sum_j c(y_pred[i][j]) * y_true[i][j]) for one-hot rows.
    The one-hot formula is the book's for any row: clip first, then the
    weighted sum, then the log.  For a row that is not one-hot (label
    smoothing, say) that is -log(sum_j c(p_j) t_j), not the cross-entropy
    -sum_j t_j log p_j; a row of zeros gives +inf, one whose sum is negative
    gives NaN.  ``reduction`` is "mean" (the book's ``Loss.calculate``),
    "sum", or "none" (the n per-sample losses), as in PyTorch; anything else
    is a ``ValueError``.  The mean of no samples is NaN (NumPy's mean of an
    empty array); their sum is 0.0.

    Accuracy: with class indices, and one-hot rows of zeros and ones, each
    loss is ``math.log`` of an exact float: within 1 ULP of the true value
    (libm's log; measured: at most 1 ULP).  For other rows the weighted sum
    is rounded once first, which adds at most 2**-53 / |ln s| relative error
    (large where s is near 1).  The mean and the sum are those of the n
    computed losses, the sum exact and rounded once: within 3 ULP of the true
    mean of non-negative losses (2.5 by the derivation; measured at most 1).

    Special cases:

    - If `y` is `[1]`, `categorical_crossentropy([[0.0, 1.0]], y)` is `1.0000000494736474e-07`.
    - If `y` is `[0]`, `categorical_crossentropy([[0.0, 1.0]], y)` is `16.11809565095832`.
    - If `p` is `[[float("nan"), 0.5]]`, `categorical_crossentropy(p, [1])` is `0.6931471805599453`.
    - If `p` is `[[float("nan"), 0.5]]`, `categorical_crossentropy(p, [[0.0, 1.0]])` is `float("nan")`.
    - If `t` is `[[0.0, 0.0]]`, `categorical_crossentropy([[0.5, 0.5]], t)` is `float("inf")`.
    - If `y` is `[]`, `categorical_crossentropy([], y)` is `float("nan")`.
    - If `y` is `[]`, `categorical_crossentropy([], y, "sum")` is `0.0`.
    - If `y` is `[True]`, `categorical_crossentropy([[0.5, 0.5]], y)` raises TypeError.
    - If `y` is `[2]`, `categorical_crossentropy([[0.5, 0.5]], y)` raises ValueError.

    >>> categorical_crossentropy([[1/3, 1/3, 1/3]], [2])      # -log(1/3) = log 3
    1.0986122886681098
    >>> categorical_crossentropy([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4]], [[1, 0, 0], [0, 1, 0]], "none")
    [0.35667494393873245, 0.6931471805599453]
    >>> categorical_crossentropy([[1.0, 0.0]], [0, 1], reduction="sum")
    Traceback (most recent call last):
        ...
    ValueError: categorical_crossentropy: y_true (2,) does not match y_pred (1, 2): 2 labels for 1 rows
    """
    func = "categorical_crossentropy"
    check_reduction(reduction, func)
    rows, labels, targets = check_loss_arguments(y_pred, y_true, func)
    return _reduce(_sample_losses(rows, labels, targets), reduction)


def categorical_crossentropy_backward(y_pred, y_true):
    """The gradient of the mean cross-entropy with respect to ``y_pred``: -y_true / y_pred / n.

    Formula, the book's ``Loss_CategoricalCrossentropy.backward``: class
    indices become one-hot rows (``np.eye(k)[y_true]``: 1.0 and +0.0), then
    dinputs[i][j] = -y_true[i][j] / y_pred[i][j] / n, with n the number of
    rows.  There is no clip here, as in the book: a zero probability gives
    an infinite gradient.  The signs are IEEE's: -(+0.0) / p is -0.0 for p > 0.
    Shapes: an n x k batch in and out; ``[]`` gives ``[]``.

    Accuracy: each element is the exact value -t / (p * n) rounded once
    (correctly rounded; NumPy's two divisions can be 1 ULP off it).

    Special cases:

    - If `p` is `[[0.5, 0.25]]`, `categorical_crossentropy_backward(p, [1])` is `[[-0.0, -4.0]]`.
    - If `p` is `[[0.0, 0.5]]`, `categorical_crossentropy_backward(p, [0])` is `[[-float("inf"), -0.0]]`.
    - If `p` is `[[0.0, 0.5]]`, `categorical_crossentropy_backward(p, [1])` is `[[float("nan"), -2.0]]`.
    - If `y` is `[]`, `categorical_crossentropy_backward([], y)` is `[]`.

    >>> categorical_crossentropy_backward([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4]], [0, 1])
    [[-0.7142857142857143, -0.0, -0.0], [-0.0, -1.0, -0.0]]
    """
    rows, labels, targets = check_loss_arguments(y_pred, y_true, "categorical_crossentropy_backward")
    return _crossentropy_gradient(rows, labels, targets, FLOAT64)


def _crossentropy_gradient(rows, labels, targets, fmt):
    if targets is None:
        targets = one_hot(labels, len(rows[0]) if rows else 0)
    count = len(rows)
    return [[negated_quotient(t, p, count, fmt) for p, t in zip(row, target)]
            for row, target in zip(rows, targets)]


def _softmax_gradient_row(row, target, count):
    # (s - y) / n from the float softmax s.  Where y is 1, s - 1 is
    # -sum of the other s_j (the s_j sum to 1): no cancellation.
    s = activations._softmax_row(row)
    out = []
    for i, (si, yi) in enumerate(zip(s, target)):
        if yi == 1.0 and si == si and len(s) > 1:
            others = s[:i] + s[i + 1:]
            value = exact_mean(others, count)
            if value == 0.0 and any(is_finite(v) for v in row[:i] + row[i + 1:]):
                out.append(-0.0)           # the others underflowed: s - 1 < 0
            else:
                out.append(-value if value != 0.0 else 0.0)
        else:
            out.append(difference_over(si, yi, count))
    return out


def softmax_step_gradient(rows, labels):
    """``(rows[i][j] - [j == labels[i]]) / n`` for floats ``rows`` (n x k) and class indices, each rounded once.

    The combined softmax and cross-entropy step's gradient from its output,
    as the book's backward.  Off the labels, v / n is (v - 0) / n rounded
    once; at a label, (v - 1) / n is ``difference_over(v, 1.0, n)``.  Where
    int division rounds once (CPython, PyPy), a batch of finite floats takes
    C-level passes: every v / n at once, then the label entries at once.

    >>> softmax_step_gradient([[0.25, 0.75], [0.5, 0.5]], [1, 0])
    [[0.125, -0.125], [-0.25, 0.25]]
    """
    count = len(rows)
    width = len(rows[0]) if rows else 0
    if width == 0:
        return [[] for _ in rows]
    at_labels = [row[label] for row, label in zip(rows, labels)]
    if _INT_DIVISION_ROUNDS and _repeat is not None and all_finite(at_labels):
        flat = list(map(_truediv, _elements(rows), _repeat(count)))
        out = [flat[i:i + width] for i in range(0, len(flat), width)]
        fixed = _minus_one_over_each(at_labels, count)
    else:
        out = [[v / count for v in row] for row in rows]
        fixed = [difference_over(v, 1.0, count) for v in at_labels]
    for grad, label, value in zip(out, labels, fixed):
        grad[label] = value
    return out


def softmax_crossentropy_backward(inputs, y_true):
    """The gradient of the mean cross-entropy of softmax(inputs), from the logits: (s - y) / n.

    Formula: with s = softmax(inputs) row by row and y the one-hot rows
    (class indices made one-hot), dinputs[i][j] = (s[i][j] - y[i][j]) / n,
    the derivative of the mean of -sum_j y_j log s_j when each row of y sums
    to 1.  ``y_true`` is used as given (the book's combined ``backward``
    takes the argmax of one-hot rows instead; the two agree on one-hot
    rows).  Shapes: an n x k batch in and out; ``[]`` gives ``[]``.

    Accuracy: s is ``nnref.softmax`` (within 4 ULP); where y is 1, s - 1 is
    computed as the negated exact sum of the row's other s_j divided by n
    and rounded once, so it keeps the relative accuracy of s however close
    to 1 s is; elsewhere (s - y) / n is rounded once from s.  So with class
    indices or one-hot rows each element is within 6 ULP of the true value
    (measured at most 2); for other y, the error is at most 4 ULP of s
    divided by n plus half an ULP.

    Special cases:

    - If `x` is `[[5.0]]`, `softmax_crossentropy_backward(x, [0])` is `[[0.0]]`.
    - If `x` is `[[0.0, 0.0]]`, `softmax_crossentropy_backward(x, [0])` is `[[-0.5, 0.5]]`.
    - If `x` is `[[0.0, float("-inf")]]`, `softmax_crossentropy_backward(x, [0])` is `[[0.0, 0.0]]`.
    - If `x` is `[[float("nan"), 0.0]]`, `softmax_crossentropy_backward(x, [0])` is `[[float("nan"), float("nan")]]`.
    - If `x` is `[[0.0, -800.0]]`, `softmax_crossentropy_backward(x, [0])` is `[[-0.0, 0.0]]`.

    >>> softmax_crossentropy_backward([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], [2, 0])
    [[0.04501528658519023, 0.12236423552739882, -0.16737952211258905], [-0.3333333333333333, 0.16666666666666666, 0.16666666666666666]]
    """
    rows, labels, targets = check_loss_arguments(inputs, y_true, "softmax_crossentropy_backward",
                                                 "inputs")
    if targets is None:
        targets = one_hot(labels, len(rows[0]) if rows else 0)
    return [_softmax_gradient_row(row, target, len(rows)) for row, target in zip(rows, targets)]


def accuracy(y_pred, y_true):
    """The share of rows whose argmax is the true class, as the book's chapter 6 computes it.

    Formula: mean_i [argmax(y_pred[i]) == label_i], where label_i is
    ``y_true[i]`` for class indices and ``argmax(y_true[i])`` for one-hot
    rows.  argmax is NumPy's: the first of equal maxima, and a NaN counts as
    the maximum (the first NaN of a row is its argmax), as ``np.argmax``
    documents and does.  Accuracy: the count over n, rounded once
    (correctly rounded, as NumPy's mean of booleans).  No rows give NaN
    (NumPy's mean of nothing); rows of length 0 are a ``ValueError``, as
    ``np.argmax`` of an empty row.

    Special cases:

    - If `p` is `[[0.5, 0.5]]`, `accuracy(p, [0])` is `1.0`.
    - If `p` is `[[0.5, 0.5]]`, `accuracy(p, [1])` is `0.0`.
    - If `p` is `[[0.1, float("nan"), 0.9]]`, `accuracy(p, [1])` is `1.0`.
    - If `t` is `[[0.5, 0.5]]`, `accuracy([[0.5, 0.5]], t)` is `1.0`.
    - If `y` is `[]`, `accuracy([], y)` is `float("nan")`.

    >>> accuracy([[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]], [[1, 0, 0], [0, 1, 0], [0, 1, 0]])
    0.6666666666666666
    """
    func = "accuracy"
    rows, labels, targets = check_loss_arguments(y_pred, y_true, func)
    if not rows:
        return _NAN
    return round_ratio(count_correct(rows, labels, targets, func), len(rows), FLOAT64)


# --- the book's classes, in the core's style -----------------------------------------------

class CategoricalCrossentropy(object):
    """The book's ``Loss_CategoricalCrossentropy`` (with ``Loss.calculate``), in float64.

    ``forward(y_pred, y_true)`` returns the per-sample losses
    (``categorical_crossentropy(..., reduction="none")``); ``calculate(output,
    y)`` their mean, as ``Loss.calculate``; ``backward(dvalues, y_true)`` sets
    ``self.dinputs = categorical_crossentropy_backward(dvalues, y_true)``.
    Errors name ``CategoricalCrossentropy.forward`` and so on.

    >>> loss = CategoricalCrossentropy()
    >>> loss.calculate([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4]], [0, 1])
    0.5249110622493389
    >>> loss.backward([[0.5, 0.5]], [1])
    >>> loss.dinputs
    [[-0.0, -2.0]]
    """

    def __init__(self):
        self.dinputs = None

    def forward(self, y_pred, y_true):
        """The per-sample losses, a list of n floats."""
        rows, labels, targets = check_loss_arguments(y_pred, y_true,
                                                     "CategoricalCrossentropy.forward")
        return _sample_losses(rows, labels, targets)

    def calculate(self, output, y):
        """The mean of ``forward(output, y)``, rounded once from the exact sum."""
        rows, labels, targets = check_loss_arguments(output, y,
                                                     "CategoricalCrossentropy.calculate", "output")
        return _reduce(_sample_losses(rows, labels, targets), "mean")

    def backward(self, dvalues, y_true):
        """Set ``self.dinputs``, -y_true / dvalues / n."""
        rows, labels, targets = check_loss_arguments(dvalues, y_true,
                                                     "CategoricalCrossentropy.backward", "dvalues")
        self.dinputs = _crossentropy_gradient(rows, labels, targets, FLOAT64)

    def __repr__(self):
        return "CategoricalCrossentropy()"


class SoftmaxCategoricalCrossentropy(object):
    """The book's ``Activation_Softmax_Loss_CategoricalCrossentropy``, in float64.

    ``forward(inputs, y_true)`` sets ``self.output = softmax(inputs)`` and
    returns the mean loss of that output.  ``backward(dvalues, y_true)``
    follows the book: ``dvalues`` is the softmax output, one-hot rows become
    their argmax, and ``self.dinputs[i][j] = (dvalues[i][j] - [j ==
    y_i]) / n``, each element rounded once.  (``softmax_crossentropy_backward``
    computes the same gradient from the logits.)

    >>> step = SoftmaxCategoricalCrossentropy()
    >>> step.forward([[0.0, 0.0]], [1])
    0.6931471805599453
    >>> step.output
    [[0.5, 0.5]]
    >>> step.backward(step.output, [1])
    >>> step.dinputs
    [[0.5, -0.5]]
    """

    def __init__(self):
        self.output = None
        self.dinputs = None

    def forward(self, inputs, y_true):
        """Set ``self.output`` (the softmax of ``inputs``) and return the mean loss."""
        func = "SoftmaxCategoricalCrossentropy.forward"
        rows, labels, targets = check_loss_arguments(inputs, y_true, func, "inputs")
        self.output = [activations._softmax_row(row) for row in rows]
        return _reduce(_sample_losses(self.output, labels, targets), "mean")

    def backward(self, dvalues, y_true):
        """Set ``self.dinputs``: (dvalues - one-hot of the labels) / n, as the book."""
        func = "SoftmaxCategoricalCrossentropy.backward"
        rows, labels, targets = check_loss_arguments(dvalues, y_true, func, "dvalues", read_only=True)
        if targets is not None:
            labels = [argmax(t) if t else 0 for t in targets]
        self.dinputs = softmax_step_gradient(rows, labels)

    def __repr__(self):
        return "SoftmaxCategoricalCrossentropy()"
