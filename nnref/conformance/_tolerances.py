"""The tolerance rules: how close an output must be to pass, and why that close.

A tolerance is ``{"rule", "ulp", "signedZero"}`` with optional ``rel`` and
``abs`` bounds, each one float or a tree shaped like the expected value.  An
element passes if its ULP distance from the expected value is at most
``ulp``, or ``|out - expected| <= rel * |expected|``, or ``<= abs`` (the
checker compares exactly: ``nnref.conformance._check``).  The ``rule`` names
where the numbers come from; ``docs/conformance.md`` has them as a table.

Each rule is what a sound float64 implementation can meet, derived beside its
code below.  Notation: ``u = 2**-53``, float64's unit roundoff, so a correctly
rounded operation in the normal range returns ``(a op b)(1 + d)`` with
``|d| <= u``; one ULP of ``y`` lies between ``u|y|`` and ``2u|y|``, so a
relative error below ``k u`` is less than ``k`` ULP.  The expected values are
correctly rounded (``nnref.exact``), half an ULP from the exact result at
most, so a computed float less than ``k`` ULP from the exact result is at
most ``k`` whole ULP from the expected one.

Bounds are computed exactly (``Fraction``) and rounded up to a float, so the
bound written in a file is never below the one derived.

>>> softmax_tolerance([0.0, -3.0])["rel"]
[4.440892098500626e-16, 1.1102230246251565e-15]
"""

import math
from fractions import Fraction

_INF = float("inf")
_U = Fraction(1, 2 ** 52)          # the tolerance unit, 2u: machine epsilon, one ULP of 1.0
_TINY = Fraction(1, 2 ** 1074)     # the smallest subnormal: the absolute ULP below 2**-1022


def tolerance(rule, ulp=0, rel=None, abs_=None, signed_zero=False):
    """A tolerance object: pass if ULP distance <= ulp, or within rel or abs."""
    tol = {"rule": rule, "ulp": ulp, "signedZero": signed_zero}
    if rel is not None:
        tol["rel"] = rel
    if abs_ is not None:
        tol["abs"] = abs_
    return tol


def round_up(value):
    """The smallest float >= the exact non-negative rational ``value``."""
    result = float(value)
    if Fraction(result) < value:
        result = math.nextafter(result, _INF) if hasattr(math, "nextafter") else _next_up(result)
    return result


def _next_up(x):
    # math.nextafter is 3.9+.
    if x == 0.0:
        return 5e-324
    m, e = math.frexp(x)
    return x + math.ldexp(1.0, max(e - 53, -1074))


def _finite(v):
    return v == v and v not in (_INF, -_INF)


# --- exact: step, linear, relu; invalid cases ------------------------------------

def exact_tolerance(signed_zero=False):
    """0 ULP.

    step, linear and relu only compare and copy: no operation rounds, so any
    correct implementation returns exactly the expected value.  (So does
    ``dense`` on small integers, see ``dense_tolerance``.)  Invalid cases
    carry this tolerance too; nothing is compared there.  The sign of a zero
    counts only with ``signed_zero``.
    """
    return tolerance("exact", 0, signed_zero=signed_zero)


# --- exp: sigmoid --------------------------------------------------------------------

def exp_tolerance():
    """4 ULP, for sigmoid.

    sigmoid(x) is ``1 / (1 + E)`` with ``E = e**-x``, or ``F / (1 + F)`` with
    ``F = e**x`` (the form that cannot overflow for x < 0).  With a libm
    ``exp`` within 1 ULP (relative error ``d``, ``|d| <= 2u``), to first order:

    * first form: the sum ``1 + E`` carries ``d E / (1 + E)``, at most 2u, and
      u for its own rounding; the division adds u: 4u in all;
    * second form: ``d`` is in the numerator and, times ``F / (1 + F)``, in
      the denominator, which leaves ``d / (1 + F)``, at most 2u; with the
      addition and the division, 4u again.

    A relative error below 4u is less than 4 ULP, so at most 4 whole ULP from
    the correctly rounded expected value.  Where the result is subnormal (x
    below about -708.4), the second form's ``1 + F`` rounds to 1 and the
    result is ``exp(x)`` itself, within exp's 1 ULP.  (The first form's
    ``e**-x`` overflows below -709.78: the ``naive-exp-overflow`` cases.)
    """
    return tolerance("exp", 4)


# --- softmax ---------------------------------------------------------------------------

def softmax_tolerance(x):
    """Per element, relative ``(|x_i - max| + n) * 2**-52``; and 2 ULP.

    With ``m`` the row's largest element, ``d_i = x_i - m <= 0`` and ``S =
    sum_j e**d_j >= 1`` (the largest element's term is ``e**0 = 1``), softmax
    is ``y_i = e**d_i / S``; ``p_j = e**d_j / S`` are the shares of the sum.
    The relative error of the computed ``y_i``, to first order, with exp
    within 1 ULP (2u):

    * ``|d_i| u``: rounding the shift ``d_i``.  exp turns an absolute error
      ``|d_i| u`` of its argument into that relative error (``e**(d (1 + a))
      = e**d e**(d a)``): unbounded in ``|d_i|``, hence a bound per element;
    * at most ``4u``: the exps' errors (none for the max: ``e**0 = 1``).  A
      term's own error enters ``y_i`` directly and, times ``p_i``, through
      ``S``, so it counts ``1 - p_i`` times; the other terms' errors enter
      through ``S`` weighted by their shares, ``1 - p_i`` in all;
    * at most ``u ln n``: the shift errors as they enter through ``S``:
      ``u sum_j p_j |d_j| = u (H(p) - ln S)``, ``H`` the entropy of the shares;
    * ``(n - 1) u``, ``u``, ``u``: the additions (positive terms), the
      division, and the rounding of the expected value.

    That is ``u (|d_i| + n + ln n + 5)`` at most.  The bound ``(|d_i| + n)
    2**-52 = u (2|d_i| + 2n)`` covers it whenever ``|d_i| + n >= ln n + 5``:
    every element of a row of seven or more, and in shorter rows every
    element four or more below the max.  For the others (short rows, near
    the max) the worst case needs every error at its extreme, all of one
    sign; nnref's float tier and the libraries recorded in
    ``docs/conformance.md`` stay within the bound.  The 2 ULP are for results
    in the subnormal range, where a relative bound fails: there each rounding
    is off by up to half the fixed subnormal ULP.

    Elements with a bound of 0: every element of a row holding NaN or +inf,
    or made only of -inf (the results are NaN), and each -inf (its result is
    exactly 0).
    """
    if x and isinstance(x[0], list):
        rel = [_softmax_rel_row(row) for row in x]
    else:
        rel = _softmax_rel_row(x)
    return tolerance("softmax", 2, rel=rel)


def _softmax_rel_row(row):
    if not row:
        return []
    if any(v != v or v == _INF for v in row) or all(v == -_INF for v in row):
        return [0.0] * len(row)
    top = max(row)
    n = len(row)
    out = []
    for v in row:
        if v == -_INF:
            out.append(0.0)
        else:
            out.append(round_up((abs(Fraction(v) - Fraction(top)) + n) * _U))
    return out


# --- dense -----------------------------------------------------------------------------

def dense_tolerance(inputs, weights, biases, signed_zero=False):
    """Exact for small integers, else per element, absolute
    ``(k + 1) (2**-52 (sum_i |x_i w_ij| + |b_j|) + 2**-1074)``.

    Small integers (``_dense_is_exact``): 0 ULP.  Otherwise
    ``out_ij = sum_i x_i w_ij + b_j`` has ``k + 1`` terms.  In any order of
    evaluation, pairwise or running, with or without FMA, each term passes
    through at most ``k + 1`` roundings (its product and at most ``k``
    additions), so the computed sum is within ``gamma_(k+1) sum|terms|`` of
    the exact one, ``gamma_m = m u / (1 - m u)`` (the classic bound for
    inner products, e.g. Higham, *Accuracy and Stability of Numerical
    Algorithms*, chapter 3).  The expected value, the exact sum rounded once,
    is within ``u sum|terms|`` more.  ``gamma_(k+1) + u <= (k + 1) 2u`` for
    every ``k >= 1`` that fits in memory, and ``2u = 2**-52``.  (``k = 0`` is
    exact: the result is the bias.)

    Underflow: a product in the subnormal range is off by up to 2**-1075
    absolutely instead of relatively (sums of floats that land there are
    exact).  ``k`` products and the expected value's rounding make at most
    ``(k + 1) 2**-1075``; ``(k + 1) 2**-1074`` covers them with room.

    The bound is absolute, not in ULPs of the result, because terms can
    cancel: then the result is tiny next to ``sum|terms|`` and its ULPs say
    nothing about how well it was computed (the ``cancellation`` cases).
    Elements with a non-finite term get 0: their results are NaN or an
    infinity, matched exactly.
    """
    if _dense_is_exact(inputs, weights, biases):
        return exact_tolerance(signed_zero)
    return tolerance("dense", 0, abs_=_dense_abs(inputs, weights, biases), signed_zero=signed_zero)


def _dense_is_exact(inputs, weights, biases):
    # Integers of magnitude at most B: every product is at most B**2, every
    # partial sum of the k + 1 terms, in any order, at most B**2 (k + 1) (the
    # bias is at most B <= B**2).  Below 2**53 all of them are integers a float
    # holds exactly, so no operation rounds.
    bias = biases[0] if biases and isinstance(biases[0], list) else biases
    values = [v for row in inputs for v in row] + [v for row in weights for v in row] + list(bias)
    if not all(_finite(v) and v == int(v) for v in values):
        return False
    biggest = max([abs(int(v)) for v in values] + [0])
    return biggest ** 2 * (len(weights) + 1) < 2 ** 53


def _dense_abs(inputs, weights, biases):
    k = len(weights)
    bias = biases[0] if biases and isinstance(biases[0], list) else biases
    out = []
    for row in inputs:
        line = []
        for j in range(len(bias)):
            terms = [(row[i], weights[i][j]) for i in range(k)]
            if not all(_finite(a) and _finite(b) for a, b in terms) or not _finite(bias[j]):
                line.append(0.0)
                continue
            size = sum(abs(Fraction(a) * Fraction(b)) for a, b in terms) + abs(Fraction(bias[j]))
            line.append(round_up((k + 1) * (_U * size + _TINY)))
        out.append(line)
    return out


# --- libm: the data sets ------------------------------------------------------------------

def libm_tolerance(op, classes):
    """4 ULP, or an absolute bound: 4 ULP of the largest angle (spiral_data),
    2**-50 (vertical_data), 2**-52 (sine_data).

    The data sets call the platform's ``sin``, ``cos`` and (inside ``randn``)
    ``log``, which differ between libms by an ULP or so: 4 ULP of each value
    covers that where the values are not small.  Near zero, ULPs shrink while
    the difference does not, so each data set also has an absolute bound:

    * spiral_data: a point is ``r (sin a, cos a)`` with ``r <= 1`` and angle
      ``a = 2.5 t``, ``t`` up to ``4 classes`` plus noise ``0.2 randn``.  An
      angle a few ULP off (another ``log`` in ``randn``, or ``t`` rounded
      another way) moves the point by at most as much, since ``|sin'|`` and
      ``|cos'|`` are at most 1, whatever the point's own size.  The bound is
      4 ULP of ``10 classes + 5``, above every angle (the 5 covers noise up
      to 10 standard deviations).
    * vertical_data: ``0.1 randn + c/3``, values below 2 in the cases here.
      A ``randn`` a few ULP off moves a value by under one ULP of 1, and its
      own rounding may then differ by one more: 2**-50, 4 ULP of 1, covers it.
    * sine_data: ``sin(2 pi x)`` is at most 1 in size: 2**-52 is one ULP of 1,
      for ``sin`` near its zeros (x = 0.5), where the result is about 1e-16
      and a libm may be off absolutely rather than relatively.
    """
    if op == "spiral_data":
        top = 10.0 * max(classes, 1) + 5.0
        return tolerance("libm", 4, abs_=4.0 * 2.0 ** (math.frexp(top)[1] - 53))
    if op == "vertical_data":
        return tolerance("libm", 4, abs_=2.0 ** -50)
    return tolerance("libm", 4, abs_=2.0 ** -52)
