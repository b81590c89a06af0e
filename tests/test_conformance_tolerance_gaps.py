"""nnref.conformance._tolerances: the sizes and bounds behind the dense and
softmax tolerances, against values worked out by hand with ``Fraction``."""

from fractions import Fraction

from nnref.conformance import _tolerances
from support import bits, from_bits


def test_dense_sizes_add_the_bias_magnitude():
    # S = sum_i |x_i w_ij| + |b_j| per output.
    sizes = _tolerances._dense_sizes([[1.0, -2.0], [0.5, 0.25]], [[3.0, -1.0], [0.5, 2.0]], [4.0, -0.75])
    assert sizes == [[Fraction(3 + 1 + 4), Fraction(1 + 4) + Fraction(3, 4)],
                     [Fraction(3, 2) + Fraction(1, 8) + 4, Fraction(1, 2) + Fraction(1, 2) + Fraction(3, 4)]]
    # A bias row given as [[...]] is read the same way; a non-finite term gives None.
    assert _tolerances._dense_sizes([[1.0]], [[2.0]], [[-3.0]]) == [[Fraction(5)]]
    assert _tolerances._dense_sizes([[float("inf")]], [[2.0]], [1.0]) == [[None]]


def test_dense_is_exact_at_the_bound():
    # Integers of magnitude at most B with k weights: exact when B**2 * (k + 1) < 2**p.
    exact = _tolerances._dense_is_exact
    assert exact([[2.0]], [[2.0]], [0.0], precision=4)                   # 4 * 2 = 8 < 16
    assert not exact([[2.0] * 3], [[2.0]] * 3, [0.0], precision=4)       # 4 * 4 = 16, not < 16
    assert exact([[1.0] * 3], [[1.0]] * 3, [[1.0]], precision=3)         # 1 * 4 = 4 < 8
    assert not exact([[3.0]], [[1.0]], [0.0], precision=4)               # 9 * 2 = 18 >= 16
    assert not exact([[0.5]], [[2.0]], [0.0])                            # not integers
    assert exact([], [], [], precision=1)                                # nothing to round


def test_libm_tolerances_are_the_documented_bounds():
    # spiral_data: 4 ULP of 10 classes + 5 (35 for 3 classes, in [32, 64): 4 * 2**(5 - 52) = 2**-45;
    # float32: 4 * 2**(6 - 24)); vertical_data 2**-50 (float32 2**-21); sine_data 2**-52.
    libm = _tolerances.libm_tolerance
    assert libm("spiral_data", 3)["abs"] == 2.0 ** -45
    assert libm("spiral_data", 3, "float32")["abs"] == 4 * 2.0 ** (6 - 24)
    assert libm("spiral_data", 0)["abs"] == 4 * 2.0 ** (4 - 53)          # max(classes, 1): 15 in [8, 16)
    assert libm("spiral_data", 10)["abs"] == 4 * 2.0 ** (7 - 53)         # 105 in [64, 128)
    assert libm("vertical_data", 3)["abs"] == 2.0 ** -50
    assert libm("vertical_data", 3, "float32")["abs"] == 2.0 ** -21
    assert libm("sine_data", 0)["abs"] == 2.0 ** -52
    for op in ("spiral_data", "vertical_data", "sine_data"):
        assert libm(op, 2)["ulp"] == 4 and libm(op, 2)["rule"] == "libm"


def test_exp_and_exact_tolerances():
    # exp: 4 ULP in float64, 6 in the narrow formats; exact: 0 ULP.
    assert _tolerances.exp_tolerance("float64")["ulp"] == 4
    for dtype in ("float32", "float16", "bfloat16"):
        assert _tolerances.exp_tolerance(dtype)["ulp"] == 6
    assert _tolerances.exact_tolerance() == {"rule": "exact", "ulp": 0, "signedZero": False}
    assert _tolerances.exact_tolerance(True)["signedZero"] is True


def _up(q):
    # The smallest float >= the rational q, found without nnref.
    # (q > 0 here, so the next float up is the next bit pattern; math.nextafter
    # is not on Python 3.6-3.8.)
    x = float(q)
    if Fraction(x) < q:
        x = from_bits(bits(x) + 1)
    return x


def test_dense_bounds_follow_the_formula():
    from nnref._base.formats import FLOAT16, FLOAT32, FLOAT64
    inputs, weights, biases = [[1.0, -2.0]], [[3.0], [0.5]], [4.0]     # k = 2, S = 3 + 1 + 4 = 8
    S, k = Fraction(8), 2
    # float64: (k + 1) * (2**-52 * S + 2**-1074)
    assert _tolerances._dense_abs(inputs, weights, biases) == [[_up((k + 1) * (Fraction(1, 2 ** 52) * S
                                                                            + Fraction(1, 2 ** 1074)))]]
    # float16 summed in float32: (k + 1) * (eps32 * S + tau32) + 2 * eps16 * S + 2 * tau16
    eps32, tau32 = Fraction(1, 2 ** 23), Fraction(1, 2 ** 149)
    eps16, tau16 = Fraction(1, 2 ** 10), Fraction(1, 2 ** 24)
    got = _tolerances._dense_bound(inputs, weights, biases, FLOAT16, FLOAT32)
    assert got == {"abs": [[_up((k + 1) * (eps32 * S + tau32) + 2 * eps16 * S + 2 * tau16)]]}
    # Summed in its own format: no second rounding term.
    got = _tolerances._dense_bound(inputs, weights, biases, FLOAT16, FLOAT16)
    assert got == {"abs": [[_up((k + 1) * (eps16 * S + tau16))]]}
    # float32 summed in float64.
    eps64, tau64 = Fraction(1, 2 ** 52), Fraction(1, 2 ** 1074)
    got = _tolerances._dense_bound(inputs, weights, biases, FLOAT32, FLOAT64)
    assert got == {"abs": [[_up((k + 1) * (eps64 * S + tau64) + 2 * eps32 * S + 2 * tau32)]]}
