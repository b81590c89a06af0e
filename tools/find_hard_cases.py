"""Find float inputs whose sigmoid lies extremely close to a rounding boundary.

``tests/test_exact.py`` holds the x values this script prints, as hard cases
for ``nnref.exact``: their true sigmoid is so close to the midpoint between
two adjacent floats that a low-precision bound cannot decide the rounding,
so Ziv's loop must raise the precision, and a result rounded twice (to
float64, then to float32; or to 53 bits, then into the subnormals) would
come out wrong.

How they are built (the inverse problem, instead of a blind search): take a
midpoint m between two adjacent float64 (or float32) values, solve
sigmoid(x) = m at 120 decimal digits (x = ln(m / (1 - m))), and round x to
the nearest float64 x0 (also trying its two neighbours).  sigmoid(x0) - m is
about sigmoid'(x) * (x0 - x), and sigmoid'(x) = s (1 - s) is small compared
with the float spacing at m in three places: near x = 0 (where the floats x0
are very dense), near s = 1 (where 1 - s is tiny) and in the subnormal range
(where the spacing of results is fixed at 2**-1074 or 2**-149 while s keeps
shrinking).  A candidate is kept when |sigmoid(x0) - m| < 1e-20 * m.

Needs only the standard library (Python 3.9+ for ``math.nextafter``)::

    python3 tools/find_hard_cases.py

Each line: the dtype, x0, the midpoint's position, the relative distance
|sigmoid(x0) - m| / m, and whether rounding sigmoid(x0) to 53 significant
bits first lands exactly on the midpoint (a double-rounding trap: for
float32 through float64, for float64 subnormals through 53 bits and then
scaling).  For the subnormal midpoints the spacing of x is too coarse to
get within 1e-20, so the script searches thousands of them and prints the
traps.
"""

import math
from decimal import Decimal, localcontext

DIGITS = 120
KEEP_BELOW = Decimal("1e-20")


def sigmoid_decimal(x):
    with localcontext() as ctx:
        ctx.prec = DIGITS
        ctx.Emin, ctx.Emax = -99999, 99999
        return 1 / (1 + (-Decimal(x)).exp())


def logit_decimal(m):
    with localcontext() as ctx:
        ctx.prec = DIGITS
        ctx.Emin, ctx.Emax = -99999, 99999
        return (m / (1 - m)).ln()


def _trap(s, m, p):
    # Rounding s to p significant bits gives exactly m: a result rounded to
    # that many bits first and then again to the format rounds twice, and the
    # second rounding (a tie, to even) can go the wrong way.
    n, e = frexp_decimal(s)
    return abs(s - m) < Decimal(2) ** (e - p - 1)


def frexp_decimal(d):
    e = int(d.log10() * Decimal("3.3219280948873623478703194294893901758648"))
    while Decimal(2) ** e > d:
        e -= 1
    while Decimal(2) ** (e + 1) <= d:
        e += 1
    return d / Decimal(2) ** e, e + 1


def _exactly(make):
    # Midpoints have up to about 800 significant digits (the subnormal ones);
    # build them exactly, not at the default 28 digits.
    with localcontext() as ctx:
        ctx.prec = 2000
        ctx.Emin, ctx.Emax = -99999, 99999
        return make()


def midpoints():
    """(dtype, label, m) for midpoints near 0.5 and near 1."""
    two = Decimal(2)
    for dtype, p in (("float64", 53), ("float32", 24)):
        for j in (0, 1, 3, 1000, 123456):
            # Above 0.5 the floats are 2**-p apart; below 0.5, 2**-(p+1).
            yield dtype, "0.5 + %d.5 ulp" % j, _exactly(
                lambda: Decimal("0.5") + (2 * j + 1) * two ** -(p + 1))
            yield dtype, "0.5 - %d.5 ulp" % j, _exactly(
                lambda: Decimal("0.5") - (2 * j + 1) * two ** -(p + 2))
            yield dtype, "1 - %d.5 ulp" % j, _exactly(lambda: 1 - (2 * j + 1) * two ** -(p + 1))


def subnormal_midpoints(dtype, count):
    two = Decimal(2)
    lsb = -1074 if dtype == "float64" else -149
    for j in range(count):
        yield dtype, "%d.5 smallest subnormals" % j, _exactly(lambda: (2 * j + 1) * two ** (lsb - 1))


def closest(m):
    """The float x0 (the nearest to logit(m), or a neighbour) whose sigmoid is closest to m."""
    x0 = float(logit_decimal(m))
    best = None
    for candidate in (math.nextafter(x0, -math.inf), x0, math.nextafter(x0, math.inf)):
        s = sigmoid_decimal(candidate)
        distance = abs(s - m) / m
        if best is None or distance < best[2]:
            best = (candidate, s, distance)
    return best


def main():
    print("# dtype, x, midpoint, |sigmoid(x) - m| / m, double rounding through 53 bits is wrong")
    for dtype, label, m in midpoints():
        x, s, distance = closest(m)
        if distance < KEEP_BELOW:
            # A float32 midpoint is a float64 value: is float64 rounding exactly on it?
            trap = dtype == "float32" and _trap(s, m, 53)
            print("(%r, %r, %r, %.2e, %s)," % (dtype, x, label, distance, trap))
    # Among the subnormal results the spacing is fixed while x's own spacing is
    # not fine enough to get within 1e-20, so search many midpoints for those
    # whose sigmoid is closer than half a 53-bit unit: the double-rounding traps.
    for dtype, count in (("float64", 3000), ("float32", 300)):
        for dtype, label, m in subnormal_midpoints(dtype, count):
            x, s, distance = closest(m)
            if _trap(s, m, 53):
                print("(%r, %r, %r, %.2e, True)," % (dtype, x, label, distance))


if __name__ == "__main__":
    main()
