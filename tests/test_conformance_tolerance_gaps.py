"""nnref.conformance._tolerances: the sizes and bounds behind the dense and
softmax tolerances, against values worked out by hand with ``Fraction``."""

from fractions import Fraction

from nnref.conformance import _tolerances


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
