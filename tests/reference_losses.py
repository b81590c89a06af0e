"""An independent reference for the losses: ``fractions`` and ``decimal`` at 600 digits.

Written apart from nnref/losses.py and nnref/exact/_losses.py (it imports
nothing from nnref): the book's formulas on exact ``Fraction`` values, the
logarithms and exponentials at 600 digits, and the rounding to each format
by the tests' integer rounding from the IEEE layout alone
(``test_exact_narrow.nearest``).  ``decide`` rounds a
600-digit value only where all of its error neighbourhood rounds the same
way, so a reference that cannot decide fails loudly instead of guessing.
"""

import math
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction

# The tests' own rounding of a Fraction to each format, from the IEEE layout.
from test_exact_narrow import nearest

INF = float("inf")
NAN = float("nan")

DTYPES = ["float64", "float32", "float16", "bfloat16"]

DIGITS = 600
REF = Context(prec=DIGITS, rounding=ROUND_HALF_EVEN, Emin=MIN_EMIN, Emax=MAX_EMAX)
REF_ERROR = Fraction(1, 10 ** (DIGITS - 20))


def decide(value, dtype):
    """Round a 600-digit Decimal (or an exact Fraction) to ``dtype``, refusing if it cannot decide."""
    if isinstance(value, Fraction):
        return nearest(value, dtype)
    if value == 0:
        return 0.0
    q = Fraction(value)
    low = nearest(q * (1 - REF_ERROR), dtype)
    high = nearest(q * (1 + REF_ERROR), dtype)
    if q < 0:
        low, high = high, low
    assert repr(low) == repr(high), "the reference cannot decide %r" % (value,)
    return low


def bounds(dtype):
    """The book's clip bounds in ``dtype``: the Python floats 1e-7 and 1 - 1e-7 cast to it."""
    return nearest(Fraction(1e-7), dtype), nearest(Fraction(1 - 1e-7), dtype)


def clip(v, low, high):
    if v != v:
        return v
    return min(max(v, low), high)


def confidence(row, label, dtype):
    """The book's clipped confidence, exactly: a Fraction, or a float when NaN or infinite."""
    low, high = bounds(dtype)
    clipped = [clip(v, low, high) for v in row]
    if not isinstance(label, list):
        c = clipped[label]
        return c if c != c else Fraction(c)
    if any(c != c or not math.isfinite(t) for c, t in zip(clipped, label)):
        return math.fsum(c * t for c, t in zip(clipped, label)
                         if c != c or not math.isfinite(t))
    return sum((Fraction(c) * Fraction(t) for c, t in zip(clipped, label)), Fraction(0))


def loss_value(row, label, dtype):
    """-ln of the confidence: a 600-digit Decimal, or a float for the special values."""
    s = confidence(row, label, dtype)
    if not isinstance(s, Fraction):
        return NAN if s != s or s < 0 else -INF
    if s <= 0:
        return INF if s == 0 else NAN
    if s == 1:
        return -0.0
    return REF.ln(REF.divide(Decimal(s.numerator), Decimal(s.denominator))).copy_negate()


def loss(row, label, dtype="float64"):
    v = loss_value(row, label, dtype)
    return v if isinstance(v, float) else decide(v, dtype)


def reduced(rows, labels, reduction, dtype="float64"):
    """The mean or sum of the exact losses, rounded once."""
    values = [loss_value(r, y, dtype) for r, y in zip(rows, labels)]
    specials = [v for v in values if isinstance(v, float) and v != 0.0]
    if specials:
        if any(v != v for v in specials) or (INF in specials and -INF in specials):
            return NAN
        return specials[0]
    if reduction == "mean" and not rows:
        return NAN
    total = sum((v for v in values if not isinstance(v, float)), Decimal(0))
    if reduction == "mean":
        total = REF.divide(total, len(rows))
    if total == 0:
        return -0.0 if values and all(isinstance(v, float) for v in values) else 0.0
    return decide(total, dtype)


def one_hot(label, k):
    return [1.0 if j == label else 0.0 for j in range(k)]


def ce_gradient(rows, labels, dtype="float64"):
    """-t / p / n: exact Fractions, rounded once (IEEE rules where p is 0 or a value not finite)."""
    n = len(rows)
    out = []
    for row, label in zip(rows, labels):
        target = label if isinstance(label, list) else one_hot(label, len(row))
        line = []
        for p, t in zip(row, target):
            if p == 0 and t == 0 or p != p or t != t:
                line.append(NAN)
            elif p == 0:
                negative = (t > 0) != (math.copysign(1.0, p) < 0)
                line.append(-INF if negative else INF)
            elif t == 0 or not (math.isfinite(p) and math.isfinite(t)):
                line.append((-t) / p / n)
            else:
                line.append(nearest(-Fraction(t) / (Fraction(p) * n), dtype))
        out.append(line)
    return out


def softmax_value(row, i):
    """softmax(row)[i] at 600 digits (the row finite or -inf, with a finite element)."""
    top = max(v for v in row if v != -INF)
    exps = [Decimal(0) if v == -INF else REF.exp(REF.subtract(Decimal(v), Decimal(top)))
            for v in row]
    return REF.divide(exps[i], REF.add(sum(exps[:i] + exps[i + 1:], Decimal(0)), exps[i]))


def softmax_gradient(rows, labels, dtype="float64"):
    """(softmax - y) / n: at 600 digits, exact where softmax is rational (equal logits, -inf)."""
    n = len(rows)
    out = []
    for row, label in zip(rows, labels):
        target = label if isinstance(label, list) else one_hot(label, len(row))
        if any(v != v or v == INF for v in row) or all(v == -INF for v in row):
            out.append([NAN] * len(row))
            continue
        finite = [v for v in row if v != -INF]
        rational = all(v == finite[0] for v in finite)
        line = []
        for i, (x, y) in enumerate(zip(row, target)):
            if not math.isfinite(y):
                line.append(NAN if y != y else (-y))
                continue
            if x == -INF or rational:
                s = Fraction(0) if x == -INF else Fraction(1, len(finite))
                line.append(nearest((s - Fraction(y)) / n, dtype) if s != Fraction(y) else 0.0)
                continue
            value = REF.divide(REF.subtract(softmax_value(row, i), Decimal(y)), n)
            line.append(decide(value, dtype))
        out.append(line)
    return out
