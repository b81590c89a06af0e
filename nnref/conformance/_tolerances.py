"""The tolerance rules: how close an output must be to pass, and why that close.

A tolerance is ``{"rule", "ulp", "signedZero"}`` with optional ``rel`` and
``abs`` bounds, each one float or a tree shaped like the expected value.  An
element passes if its ULP distance from the expected value is at most
``ulp``, or ``|out - expected| <= rel * |expected|``, or ``<= abs`` (the
checker compares exactly: ``nnref.conformance._check``).  The ``rule`` names
where the numbers come from; ``docs/conformance.md`` has them as a table.

Each rule is what a sound implementation can meet, derived beside its code
below.  Notation: ``u = 2**-p``, the unit roundoff of a format of precision
``p`` (float64: p = 53, float32: 24, float16: 11, bfloat16: 8), so a
correctly rounded operation in the normal range returns ``(a op b)(1 + d)``
with ``|d| <= u``; one ULP of ``y`` lies between ``u|y|`` and ``2u|y|``, so a
relative error below ``k u`` is less than ``k`` ULP; ``tau = 2**min_lsb`` is
the format's smallest subnormal, the fixed ULP below its normal range.  The
expected values are correctly rounded (``nnref.exact``), half an ULP from
the exact result at most, so a computed value less than ``k`` ULP from the
exact result is at most ``k`` whole ULP from the expected one.

The float64 rules assume a libm ``exp`` within 1 ULP.  The rules of the
narrower formats (float32, float16, bfloat16; the "narrow rules") assume an
``exp`` within 2 ULP of the format it computes in, the worst of the common
libraries (NumPy's SIMD float32 ``exp``), and admit both kinds of narrow
kernel:

* *wide*: computed in float32 (or wider) and rounded once to the format,
  the usual float16 and bfloat16 kernel;
* *native*: every step rounded to the format itself.

For an elementwise function computed the wide way, the computed wide value
is within a relative ``delta`` of the exact one, far below one ULP of the
format (``delta`` is a few ``2**-24``, and ``u >= 2**-24`` even for
float32 computed in float64); two values that close round to the same
value of the format or to neighbours, so the wide kind is within 1 ULP
wherever the native bound is at least 1.  Each narrow rule below is
therefore the native bound, which is the larger.  Where the native bound
grows with a sum's length (dense; softmax in float16 and bfloat16), the
tolerance also holds the tighter bound of each wider accumulator, and the
checker applies the one asked for (``accumulate``, default float32).

Bounds are computed exactly (``Fraction``) and rounded up to a float, so the
bound written in a file is never below the one derived.

>>> softmax_tolerance([0.0, -3.0])["rel"]
[4.440892098500626e-16, 1.1102230246251565e-15]
>>> softmax_tolerance([0.0, -3.0], "float32")["rel"]
[9.5367431640625e-07, 1.3113021850585938e-06]
>>> bounds = softmax_tolerance([0.0, -3.0], "float16")["accumulators"]
>>> bounds["float16"]["rel"], bounds["float32"]["rel"]
([0.0078125, 0.0107421875], [0.0014657974243164062, 0.0014661550521850586])
"""

import math
from fractions import Fraction

from .._base.formats import check_dtype

_INF = float("inf")
_U = Fraction(1, 2 ** 52)          # the tolerance unit, 2u: machine epsilon, one ULP of 1.0
_TINY = Fraction(1, 2 ** 1074)     # the smallest subnormal: the absolute ULP below 2**-1022


def _epsilon(fmt):
    # 2u = 2**(1 - p): machine epsilon, one ULP of 1.0.
    return Fraction(1, 2 ** (fmt.precision - 1))


def _tau(fmt):
    # The smallest subnormal, 2**min_lsb.
    return Fraction(1, 2 ** -fmt.min_lsb)


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

def exp_tolerance(dtype="float64"):
    """4 ULP for sigmoid in float64; 6 ULP in float32, float16 and bfloat16.

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

    Narrow formats, native kind: the same two forms with an ``exp`` within 2
    ULP (relative ``|d| <= 4u``) give ``4u + u + u = 6u`` to first order;
    exactly, the worst relative error is ``(1 + u) / ((1 - 4u)(1 - u)) - 1``,
    ``6.11u`` for bfloat16 (u = 2**-8) and less for the others.  So the
    computed value is within 6.11 ULP of the exact one, the expected value
    within 0.5, and the two differ by at most 6 whole ULP.  Subnormal
    results: ``1 + F`` rounds to 1 and the result is ``exp(x)``'s, within 2
    ULP.  Wide kind: within 1 ULP (see the module's docstring).  The first
    form's ``e**-x`` overflows the format below ``-ln(max)`` (about -11.09
    in float16, -88.72 in float32 and bfloat16) while the true result is
    still a value of it: the ``naive-exp-overflow`` cases, which a float32
    computation escapes for float16 but not for bfloat16 or float32.
    """
    fmt = check_dtype(dtype, "exp_tolerance")
    return tolerance("exp", 4 if fmt.name == "float64" else 6)


# --- softmax ---------------------------------------------------------------------------

def softmax_tolerance(x, dtype="float64"):
    """Per element, relative ``(|x_i - max| + n) * 2**-52``, or 2 ULP, in float64;
    in float32 relative ``(|x_i - max| + n + 6) * 2**(1 - p)`` or absolute
    ``(|x_i - max| + n + 6) * tau``; in float16 and bfloat16 one such pair of
    bounds per accumulator (``accumulators``).

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

    Narrow formats, native kind (every step rounded to the dtype ``D``, of
    precision ``p``, ``u = 2**-p``), with an ``exp`` within 2 ULP (``4u``):
    the same terms, with ``8u`` for the exps' errors instead of ``4u``, make
    ``u (|d_i| + n + ln n + 9)``.  The bound ``(|d_i| + n + 6) 2u`` covers
    it for every element of every row (``|d_i| + n >= ln n - 3`` always),
    with ``u (|d_i| + n - ln n + 3) >= 3.3u`` to spare for the second-order
    terms, about ``(10u)**2``, a third of ``u`` even for bfloat16, and for
    the convexity of exp: the shift's error ``u |d_i|`` enters as
    ``e**(u |d_i|) - 1``, below ``2u |d_i|`` while ``u |d_i| <= 1.25``
    (bfloat16's results are 0 beyond ``|d_i| = 93``, where ``u |d_i| =
    0.36``).

    Results below the normal range: each of the exp, the division and the
    expected value's rounding is off by up to ``2 tau``, ``tau / 2`` and
    ``tau / 2`` absolutely (the exp's error divided by ``S >= 1``), on top of
    the relative error, which there is at most ``u (|d_i| + n + ln n + 9)
    2**emin = (|d_i| + n + ln n + 9) tau / 2``.  Both together stay below
    ``(|d_i| + n + 6) tau``, since such results need ``|d_i| > -emin ln 2``
    (9.7 for float16, 87.3 for the others).  That is the absolute bound: the
    relative one times the smallest normal ``2**emin`` (``tau = 2**emin
    2u``), no looser than the relative one above the normal range's first
    binade.  No ULP allowance is needed, so ``ulp`` is 0.

    That native bound grows with ``n`` in units of the dtype: for 1,000
    terms it is a relative 0.98 in float16 and 7.86 in bfloat16, since a
    running sum in the dtype may lose that much (a bfloat16 sum of 1,000
    terms of 0.001 stalls near 0.25).  Most float16 and bfloat16 kernels
    instead take the shift, the exps, the sum and the division in a wider
    accumulator format ``A`` (precision ``p_A``, ``u_A = 2**-p_A``) and
    round the quotient once to ``D``, so float16 and bfloat16 tolerances
    hold one pair of bounds per accumulator ``A`` at least as wide as ``D``
    (``check --accumulate``, default float32), ``{"rel": tree, "abs":
    tree}`` each, under ``accumulators``:

    * ``A = D``: the native bounds above; they assume only an exp within 2
      ULP of ``D``, and admit a wide kernel too (within 1 ULP);
    * ``A`` wider (float32 or float64): relative ``R_A + 3 * 2**-p`` with
      ``R_A = (|d_i| + n + 6) 2**(1 - p_A)``, absolute ``(R_A + 3 * 2**-p)
      2**emin``.  They assume an exp within 2 ULP of ``A`` and every step
      up to the quotient rounded to ``A``.  The computed quotient ``y_A``
      is then within ``u_A (|d_i| + n + ln n + 8)`` of ``y_i`` relatively
      (the native terms in ``u_A``, without the expected value's rounding),
      which ``R_A`` covers with ``u_A (|d_i| + n - ln n + 4) >= 5 u_A`` to
      spare.  Rounding ``y_A`` to ``D`` moves it by at most ``u |out|``,
      and the expected value ``e`` is within ``u |e|`` of ``y_i``, so
      ``X = |out - e| / |e|`` has ``X <= u (1 + X) + R_A (1 + u) + u``,
      that is ``X <= (2u + R_A (1 + u)) / (1 - u)``, which is at most
      ``R_A + 3u`` whenever ``3u + 2 R_A <= 1`` (``R_A <= 0.49``: rows of
      up to about two million elements with a float32 accumulator).  Results
      below ``D``'s normal range: the rounding to ``D`` and the expected
      value's are off by ``tau / 2`` each, the computation by ``R_A 2**emin``
      relatively plus a few of ``A``'s own smallest subnormals (float32's,
      ``2**-149``, when ``D`` is bfloat16), under the ``(3/2) tau`` left
      in the absolute bound.

    So with the default float32 accumulator, a kernel that adds in the
    dtype fails on long rows (``huge-row``), and passes with
    ``accumulate="bfloat16"`` (or ``"float16"``).  float32 keeps one pair
    of bounds, the native one, for either accumulator: a float64
    accumulator's result is within 1 ULP, inside it (the module's
    docstring).
    """
    fmt = check_dtype(dtype, "softmax_tolerance")
    if fmt.name == "float64":
        return tolerance("softmax", 2, rel=_softmax_bounds(x, lambda row: _softmax_row_bound(row, 0, _U)))
    if fmt.name == "float32":
        rel, absolute = _softmax_pair(x, fmt, fmt)
        return tolerance("softmax", 0, rel=rel, abs_=absolute)
    from ._format import accumulators
    tol = tolerance("softmax", 0)
    bounds = {}
    for name in accumulators(fmt.name):
        rel, absolute = _softmax_pair(x, fmt, check_dtype(name, "softmax"))
        bounds[name] = {"rel": rel, "abs": absolute}
    tol["accumulators"] = bounds
    return tol


def _softmax_bounds(x, per_row):
    # One bound list per row of a batch, or one list for a vector.
    if x and isinstance(x[0], list):
        return [per_row(row) for row in x]
    return per_row(x)


def _softmax_pair(x, fmt, acc):
    # The (rel, abs) trees of dtype fmt's softmax computed in accumulator acc.
    if acc.name == fmt.name:
        return (_softmax_bounds(x, lambda row: _softmax_row_bound(row, 6, _epsilon(fmt))),
                _softmax_bounds(x, lambda row: _softmax_row_bound(row, 6, _tau(fmt))))
    final = 3 * Fraction(1, 2 ** fmt.precision)             # 3 * 2**-p: D's roundings and the slack
    normal = Fraction(1, 2 ** -fmt.min_exponent)             # 2**emin, D's smallest normal
    return (_softmax_bounds(x, lambda row: _softmax_row_bound(row, 6, _epsilon(acc), final)),
            _softmax_bounds(x, lambda row: _softmax_row_bound(row, 6, _epsilon(acc) * normal,
                                                               final * normal)))


def _softmax_row_bound(row, extra, unit, plus=0):
    # (|x_i - max| + n + extra) * unit + plus per element; 0 where the result is exact.
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
            out.append(round_up((abs(Fraction(v) - Fraction(top)) + n + extra) * unit + plus))
    return out


# --- dense -----------------------------------------------------------------------------

def dense_tolerance(inputs, weights, biases, signed_zero=False, dtype="float64"):
    """Exact for small integers, else per element, absolute
    ``(k + 1) (2**-52 (sum_i |x_i w_ij| + |b_j|) + 2**-1074)`` in float64, and
    in narrow formats one absolute bound per accumulator (``accumulators``).

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

    Narrow formats (dtype D, precision p_D): the bound depends on the
    format A the kernel multiplies and adds in (``check --accumulate``), so
    the tolerance holds one bound per accumulator A at least as wide as D,
    ``{"abs": tree}`` each, under ``accumulators``.  With ``S = sum_i |x_i
    w_ij| + |b_j|`` and ``E_A = (k + 1) (2**(1 - p_A) S + tau_A)``, the
    float64 bound in A's units:

    * A = D (native): ``E_D``, the float64 derivation word for word;
    * A wider than D: ``E_A + 2**(2 - p_D) S + 2 tau_D``.  The kernel's sum
      in A is within ``E_A`` of the exact sum ``s``.  It is then rounded to
      D once (``u_D |sum| + tau_D / 2``), or, as ``x @ W + b`` does in
      PyTorch, the product is rounded to D and the bias added in D: two
      roundings, ``u_D (|dot| + |dot + b|) + tau_D`` at most.  The expected
      value is ``u_D |s| + tau_D / 2`` from ``s``.  That is ``3 u_D S + 1.5
      tau_D + E_A`` to first order; ``4 u_D S`` leaves ``u_D S`` for the
      second-order terms (``2 u_D E_A``, ``u_D**2 S``), which it covers
      while ``E_A <= S / 2``, i.e. for any ``k`` below 2**21 with a float32
      accumulator.

    A sum whose terms reach A's largest value (``S (1 + (k + 1) 2**(1 - p_A))``
    at least that) may overflow A on the way in some order, though the
    exact sum is finite: the bound for A then carries ``"overflow": true``,
    and an infinite or NaN output element passes too (the
    ``intermediate-overflow`` cases; an overflow can only leave an
    infinity or a NaN behind).  A dense kernel that adds float16 values in
    float16 fails the default float32 bounds where its running sum loses
    the small terms (``accumulator-precision``) or overflows
    (``intermediate-overflow``), and passes the float16 ones.

    Small integers: exact in D (``B**2 (k + 1) < 2**p_D``), so in every
    accumulator at least as wide: 0 ULP.
    """
    from ._format import accumulators
    fmt = check_dtype(dtype, "dense_tolerance")
    if _dense_is_exact(inputs, weights, biases, fmt.precision):
        return exact_tolerance(signed_zero)
    if fmt.name == "float64":
        return tolerance("dense", 0, abs_=_dense_abs(inputs, weights, biases), signed_zero=signed_zero)
    tol = tolerance("dense", 0, signed_zero=signed_zero)
    tol["accumulators"] = dict((name, _dense_bound(inputs, weights, biases, fmt, check_dtype(name, "dense")))
                               for name in accumulators(fmt.name))
    return tol


def _dense_is_exact(inputs, weights, biases, precision=53):
    # Integers of magnitude at most B: every product is at most B**2, every
    # partial sum of the k + 1 terms, in any order, at most B**2 (k + 1) (the
    # bias is at most B <= B**2).  Below 2**p all of them are integers the
    # format holds exactly, so no operation rounds.
    bias = biases[0] if biases and isinstance(biases[0], list) else biases
    values = [v for row in inputs for v in row] + [v for row in weights for v in row] + list(bias)
    if not all(_finite(v) and v == int(v) for v in values):
        return False
    biggest = max([abs(int(v)) for v in values] + [0])
    return biggest ** 2 * (len(weights) + 1) < 2 ** precision


def _dense_sizes(inputs, weights, biases):
    # Per element: S = sum |x_i w_ij| + |b_j| as a Fraction, or None if a term is not finite.
    k = len(weights)
    bias = biases[0] if biases and isinstance(biases[0], list) else biases
    out = []
    for row in inputs:
        line = []
        for j in range(len(bias)):
            terms = [(row[i], weights[i][j]) for i in range(k)]
            if not all(_finite(a) and _finite(b) for a, b in terms) or not _finite(bias[j]):
                line.append(None)
                continue
            line.append(sum(abs(Fraction(a) * Fraction(b)) for a, b in terms) + abs(Fraction(bias[j])))
        out.append(line)
    return out


def _dense_abs(inputs, weights, biases):
    k = len(weights)
    return [[0.0 if size is None else round_up((k + 1) * (_U * size + _TINY)) for size in line]
            for line in _dense_sizes(inputs, weights, biases)]


def _dense_bound(inputs, weights, biases, fmt, acc):
    # The abs bound for dtype fmt added in accumulator acc (see dense_tolerance).
    k = len(weights)
    grow = 1 + (k + 1) * _epsilon(acc)
    limit = Fraction(acc.max_finite)
    bound = []
    overflow = False
    for line in _dense_sizes(inputs, weights, biases):
        out = []
        for size in line:
            if size is None:
                out.append(0.0)
                continue
            value = (k + 1) * (_epsilon(acc) * size + _tau(acc))
            if acc is not fmt:
                value += 2 * _epsilon(fmt) * size + 2 * _tau(fmt)
            out.append(round_up(value))
            overflow = overflow or size * grow >= limit
        bound.append(out)
    result = {"abs": bound}
    if overflow:
        result["overflow"] = True
    return result


# --- libm: the data sets ------------------------------------------------------------------

def libm_tolerance(op, classes, dtype="float64"):
    """4 ULP, or an absolute bound: 4 ULP of the largest angle (spiral_data),
    2**-50 (vertical_data), 2**-52 (sine_data); in float32 (book mode's data
    sets), the same in float32's units: 4 ULP, ``4 * 2**(e - 24)`` (spiral,
    ``2**e`` the angle bound's binade) and ``2**-21`` (vertical).

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

    Book mode's float32 data sets (``nnref.book``) compute the same values
    in float64 and round them to float32 (spiral_data), or round every step
    to float32 from ``randn`` on (vertical_data): a libm's ULP or so of
    float64 moves a value past a float32 rounding boundary at most, a
    float32 ULP of the angle or of 1, so the same bounds in float32's units
    hold with room.
    """
    p = check_dtype(dtype, "libm_tolerance").precision
    if op == "spiral_data":
        top = 10.0 * max(classes, 1) + 5.0
        return tolerance("libm", 4, abs_=4.0 * 2.0 ** (math.frexp(top)[1] - p))
    if op == "vertical_data":
        return tolerance("libm", 4, abs_=2.0 ** (3 - p))
    return tolerance("libm", 4, abs_=2.0 ** (1 - p))


# --- the backward passes ------------------------------------------------------------------

def sigmoid_backward_tolerance(dtype="float64"):
    """9 ULP for sigmoid_backward in float64; 13 ULP in float32, float16 and bfloat16.

    The result is ``dv s (1 - s)`` with ``s = sigmoid(x)``, which a sound
    implementation evaluates without cancellation, as ``dv t / (1 + t)**2``
    with ``t = e**-|x|`` (nnref's float tier), or as ``dv s(x) s(-x)``.  With
    exp within 1 ULP (relative ``2u``), to first order: ``t`` carries 2u;
    ``1 + t`` carries ``u`` for its rounding and ``2u t / (1 + t) <= u``
    from ``t`` (``t <= 1``), 2u; its square twice that and ``u`` for the
    product, 5u; the division and the product with ``dv`` ``u`` each: 9u, so
    less than 9 ULP from the exact value and at most 9 whole ULP from the
    correctly rounded expected one.  Narrow formats, native kind (exp within
    2 ULP, ``4u``): ``4u + 2 (u + 2u) + u + u + u = 13u``, 13 ULP; the wide
    kind is within 1 ULP.  Subnormal results: each rounding is off by half
    the fixed subnormal ULP instead, a few such ULP in all.

    What the bound does not admit: ``dv y (1 - y)`` from the rounded forward
    output ``y`` (the book's ``(1 - output) * output``, PyTorch's and JAX's
    derivative rule).  ``1 - y`` cancels as ``y`` nears 1: its relative
    error is about ``u y / (1 - y)``, ``u e**x``, and once ``y`` rounds to
    1 the result is 0 (x above 36.7 in float64, 17.3 in float32).  The
    cases where that form, even from the correctly rounded ``y``, leaves
    the bound carry the ``one-minus-output`` flag (derived from the inputs,
    ``_cases.one_minus_output_fails``).
    """
    fmt = check_dtype(dtype, "sigmoid_backward_tolerance")
    return tolerance("sigmoid_backward", 9 if fmt.name == "float64" else 13)


def softmax_backward_tolerance(dvalues, inputs, dtype="float64"):
    """Per element, absolute: a bound that follows the cancellation in ``d_i - <s, d>``.

    Row by row, ``g_i = s_i (d_i - c)`` with ``s = softmax(x)``, ``d`` the
    dvalues and ``c = <s, d> = sum_j s_j d_j``.  ``g_i`` is small next to its
    parts when ``d_i`` is close to ``c`` (every dvalue equal gives 0
    exactly), so no bound relative to ``g_i`` holds for a sound
    implementation; the bound is absolute, as dense's.  With ``u = 2**-p``,
    ``n`` the row's length, ``delta_j = x_j - max``, ``tau`` the smallest
    subnormal and ``R_j`` the relative error of the computed ``s_j``, to
    first order ``R_j <= u (|delta_j| + n + ln n + c_exp) <= u (|delta_j|
    + 2n + c_exp)`` (the derivation of ``softmax_tolerance``, before its
    rounding up; ``c_exp = 5`` in float64 with exp within 1 ULP, 9 in the
    narrow formats, native kind):

    * ``c`` computed from the computed ``s`` in any order: ``sum_j s_j |d_j|
      R_j`` from the shares, and ``gamma_n T <= 2nu T`` from the ``n``
      products and additions, with ``T = sum_j s_j |d_j|``;
    * ``d_i - c`` rounds once (``u |d_i - c|``), and the product with the
      computed ``s_i`` brings ``R_i`` and ``u``, and the expected value's
      rounding ``u`` more: ``|g_i| (R_i + 3u)`` together;
    * the error of ``c`` reaches ``g_i`` times ``s_i (1 + R_i)``.

    So ``|out_i - g_i| <= |g_i| (R_i + 3u) + s_i (1 + R_i) (sum_j s_j |d_j|
    R_j + 2nu T)``, and times 5/4 for the second-order terms (products of
    two of the errors, each at most 1/8 in the cases here).  Underflow:
    a share below the normal range is off by its absolute bound ``(|delta_j|
    + 2n + c_exp) tau`` (``softmax_tolerance``), which reaches ``g_i``
    through ``d_i - c`` (times ``|d_i - c|``) and through ``c`` (times
    ``|d_j|``, then ``s_i``); the products, the result and the expected
    value are off by ``tau / 2`` each: ``tau ((|delta_i| + 2n + c_exp) |d_i
    - c| + s_i sum_j |d_j| (|delta_j| + 2n + c_exp) + n + 2)``.

    The bounds are computed from the exact ``s`` and ``g`` (``nnref.exact``
    in float64, each within ``2**-53`` relatively) and rounded up with a
    relative ``2**-40`` to spare.  Elements of a row holding NaN or an
    infinity in either argument, or made only of -inf, get 0 (the results
    are NaN); so does each -inf input (its share and gradient are exactly
    0).  Narrow formats keep this one, native, bound for every accumulator
    (a wider accumulator does better; the rows here are short).

    The form that forms the Jacobian, ``(diag(s) - s s^T) d`` (the book's),
    passes too: each ``g_i`` is then ``s_i d_i - sum_j s_i s_j d_j``, whose
    terms are within the same ``s_i T`` scale.
    """
    from .. import exact
    fmt = check_dtype(dtype, "softmax_backward_tolerance")
    u = Fraction(1, 2 ** fmt.precision)
    tau = _tau(fmt)
    c_exp = 5 if fmt.name == "float64" else 9
    rows_d = dvalues if dvalues and isinstance(dvalues[0], list) else [dvalues]
    rows_x = inputs if inputs and isinstance(inputs[0], list) else [inputs]
    out = []
    for d, x in zip(rows_d, rows_x):
        if not x:
            out.append([])
            continue
        if not all(_finite(v) for v in d) or any(v != v or v == _INF for v in x) or \
                all(v == -_INF for v in x):
            out.append([0.0] * len(x))
            continue
        s = [Fraction(v) for v in exact.softmax(x)]
        g = [Fraction(v) for v in exact.softmax_backward(d, x)]
        top = Fraction(max(x))
        n = len(x)
        shifts = [abs(Fraction(v) - top) if v != -_INF else None for v in x]
        rel = [u * (sh + 2 * n + c_exp) if sh is not None else Fraction(0) for sh in shifts]
        units = [(sh + 2 * n + c_exp) if sh is not None else Fraction(0) for sh in shifts]
        dv = [Fraction(v) for v in d]
        c = sum(sj * dj for sj, dj in zip(s, dv))
        big_t = sum(sj * abs(dj) for sj, dj in zip(s, dv))
        dot_err = sum(sj * abs(dj) * rj for sj, dj, rj in zip(s, dv, rel)) + 2 * n * u * big_t
        dot_tiny = sum(abs(dj) * uj for dj, uj in zip(dv, units))
        line = []
        for i in range(n):
            if shifts[i] is None:
                line.append(0.0)
                continue
            bound = abs(g[i]) * (rel[i] + 3 * u) + s[i] * (1 + rel[i]) * dot_err
            bound = bound * Fraction(5, 4)
            bound += tau * (units[i] * abs(dv[i] - c) + s[i] * dot_tiny + n + 2)
            line.append(round_up(bound * (1 + Fraction(1, 2 ** 40))))
        out.append(line)
    bounds = out if inputs and isinstance(inputs[0], list) else out[0]
    return tolerance("softmax_backward", 0, abs_=bounds)


def dense_backward_tolerance(dvalues, inputs, weights, dtype="float64"):
    """dense's rule for each of the three products, as dense with a zero bias.

    ``dinputs = D W^T``, ``dweights = X^T D`` and ``dbiases = 1^T D`` (the
    column sums, a dot product with ones) are each an inner product of
    ``m``, ``n`` and ``n`` terms, so each element gets ``dense_tolerance``'s
    bound for those operands and a zero bias (one term more than there is,
    a little room): absolute, ``(K + 1) (2**(1 - p) S + tau)`` with ``S``
    the sum of the magnitudes of its terms, in float64; one such bound per
    accumulator in the narrow formats (``accumulators``, with
    ``"overflow": true`` where a sum may overflow one).  A part whose
    operands are small integers is exact (0).  The bounds are an object of
    the three parts, like the expected value.  Cancelling dvalues (rows
    of ``D`` that sum to nearly 0) make ``dbiases`` and ``dweights`` small
    next to their terms: the ``cancellation`` cases.
    """
    from ._format import accumulators
    fmt = check_dtype(dtype, "dense_backward_tolerance")
    n = len(inputs)
    k = len(weights)
    m = len(weights[0]) if weights else (len(dvalues[0]) if dvalues else 0)
    w_t = [[weights[r][j] for r in range(k)] for j in range(m)]
    x_t = [[inputs[i][r] for i in range(n)] for r in range(k)]
    operands = {"dinputs": (dvalues, w_t, [[0.0] * k]), "dweights": (x_t, dvalues, [[0.0] * m]),
                "dbiases": ([[1.0] * n], dvalues, [[0.0] * m])}

    def bound(part, acc):
        a, b, bias = operands[part]
        if not a:
            return {"abs": []}
        if _dense_is_exact(a, b, bias, fmt.precision):
            return {"abs": [[0.0] * len(bias[0]) for _ in a]}
        if acc is None:
            return {"abs": _dense_abs(a, b, bias)}
        return _dense_bound(a, b, bias, fmt, acc)

    def combine(acc):
        parts = dict((part, bound(part, acc)) for part in ("dinputs", "dweights", "dbiases"))
        out = {"abs": dict((part, parts[part]["abs"]) for part in parts)}
        if any(parts[part].get("overflow") for part in parts):
            out["overflow"] = True
        return out

    if fmt.name == "float64":
        return tolerance("dense", 0, abs_=combine(None)["abs"])
    tol = tolerance("dense", 0)
    tol["accumulators"] = dict((name, combine(check_dtype(name, "dense_backward")))
                               for name in accumulators(fmt.name))
    return tol


# --- the losses ----------------------------------------------------------------------

def crossentropy_tolerance(samples, reduction="mean", dtype="float64"):
    """``k`` ULP per sample loss; ``2k + n + 1`` for the mean of ``n``, ``2k + n`` for the sum.

    Each sample loss is ``-log(c)`` of a value ``c`` of the dtype: the clip
    copies a value or a bound, and with class indices or one-hot rows of
    zeros and ones the weighted sum ``sum_j c_j t_j`` is exactly one ``c_j``.
    So the only rounding is the log's: ``k = 1`` ULP in float64 (a libm log
    within 1 ULP), ``k = 2`` in the narrow formats (a log within 2 ULP of the
    format it computes in, as the narrow rules assume of exp; a wide kernel
    is within 1).  The losses lie between ``-log(high)`` and ``-log(low)``
    (about 1e-7 to 16.2, normal in every format; 0 where the high bound
    rounds to 1, in float16 and bfloat16), so a ULP is a relative ``2u`` at
    most.

    The sum of ``n`` computed losses, each off by a relative ``2ku``, added
    in any order in the format: the terms are non-negative, so the additions
    bring a relative ``(n - 1) u`` more; the mean's division by ``n`` one
    ``u`` more.  To first order the mean is off by ``(2k + n) u`` relatively,
    less than ``2k + n`` ULP of the exact value; the second-order terms stay
    below one ULP more for the sizes here (``n u < 1/8``): ``2k + n + 1``.
    The sum: ``2k + n``.  A NaN or an infinite loss makes the reduction NaN or
    infinite, exactly.  The sign of a zero (-log(1) is -0.0) does not count.
    """
    fmt = check_dtype(dtype, "crossentropy_tolerance")
    k = 1 if fmt.name == "float64" else 2
    if reduction == "none":
        return tolerance("crossentropy", k)
    return tolerance("crossentropy", 2 * k + samples + (1 if reduction == "mean" else 0))


def crossentropy_backward_tolerance():
    """2 ULP: the book's ``-y_true / dvalues / samples``, two divisions.

    ``q = fl(-t / p)`` is within half an ULP of ``-t / p``; ``fl(q / n)``
    adds half an ULP of the result, and ``q``'s error divided by ``n`` is at
    most one ULP of the result (``ULP(q) / n <= 2 ULP(q / n)``): within 1.5
    ULP of the exact value, so at most 2 whole ULP from the correctly rounded
    expected value.  Below the normal range the ULP is ``tau`` and the same
    count holds.  NaN, infinities and zeros are exact; the sign of a zero
    does not count (``-(+0.0) / p`` is -0.0 in IEEE, +0.0 in a frame that
    multiplies by a mask).
    """
    return tolerance("crossentropy_backward", 2)


def softmax_crossentropy_backward_tolerance(inputs, y_true, dtype="float64"):
    """Per element, absolute: ``(s_i R_i + 3u |s_i - y_i|) / n``, times 5/4, plus ``tau`` terms.

    ``g_i = (s_i - y_i) / n``, ``s = softmax(x)`` row by row, ``y`` one-hot
    (class indices made one-hot) and ``n`` the number of rows.  The usual
    code rounds ``s``, subtracts ``y`` and divides by ``n``: where ``y_i`` is
    1 and ``s_i`` is near 1, ``s_i - 1`` cancels and the rounding error of
    ``s_i`` is all that is left, so the bound is absolute, as
    ``softmax_backward``'s.  With ``R_i = u (|delta_i| + 2k + c_exp)`` the
    relative error of the computed share (``softmax_backward_tolerance``,
    ``k`` the row's length): ``s_i R_i`` from the share, ``u |s_i - y_i|``
    from the subtraction (to first order), ``u |g_i| n`` from the division
    and ``u |g_i| n`` from the expected value's rounding; times 5/4 for the
    second-order terms.  Underflow: a share below the normal range is off by
    ``(|delta_i| + 2k + c_exp) tau``; the division and the expected value by
    ``tau / 2`` each: ``tau ((|delta_i| + 2k + c_exp) / n + 1)`` more.  Rows
    holding NaN or +inf get 0 (the results are NaN); a -inf input's share is
    exactly 0, its bound only the rounding of ``-y_i / n``.  Narrow formats
    keep this native bound for every accumulator (the rows here are short).
    """
    from .. import exact
    fmt = check_dtype(dtype, "softmax_crossentropy_backward_tolerance")
    u = Fraction(1, 2 ** fmt.precision)
    tau = _tau(fmt)
    c_exp = 5 if fmt.name == "float64" else 9
    if not inputs:
        return tolerance("softmax_crossentropy_backward", 0, abs_=0.0)
    n = len(inputs)
    out = []
    for i, x in enumerate(inputs):
        k = len(x)
        if isinstance(y_true[i], list):
            y = [Fraction(v) for v in y_true[i]]
        else:
            y = [Fraction(1 if j == y_true[i] else 0) for j in range(k)]
        if any(v != v or v == _INF for v in x) or all(v == -_INF for v in x) or \
                not all(_finite(float(v)) for v in y):
            out.append([0.0] * k)
            continue
        s = [Fraction(v) for v in exact.softmax(x)]
        top = Fraction(max(x))
        line = []
        for j in range(k):
            units = abs(Fraction(x[j]) - top) + 2 * k + c_exp if x[j] != -_INF else Fraction(0)
            bound = (s[j] * u * units + 3 * u * abs(s[j] - y[j])) / n * Fraction(5, 4)
            bound += tau * (units / n + 1)
            line.append(round_up(bound * (1 + Fraction(1, 2 ** 40))))
        out.append(line)
    return tolerance("softmax_crossentropy_backward", 0, abs_=out)
