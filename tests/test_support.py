"""The shared test helpers (tests/support.py) against IEEE 754 values known by hand."""

import pytest

from support import bits, f32, from_bits, hexes, same, ulps

INF = float("inf")
NAN = float("nan")


@pytest.mark.parametrize("x, dtype, pattern", [
    (1.0, "float64", 0x3FF0000000000000), (-0.0, "float64", 0x8000000000000000),
    (5e-324, "float64", 1), (INF, "float64", 0x7FF0000000000000),
    (1.0, "float32", 0x3F800000), (-2.0, "float32", 0xC0000000), (INF, "float32", 0x7F800000),
])
def test_bits_and_back(x, dtype, pattern):
    assert bits(x, dtype) == pattern
    assert same(from_bits(pattern, dtype), x)


def test_same_is_bitwise_with_any_nan_matching():
    assert same(0.0, 0.0) and same(-0.0, -0.0) and same(NAN, -NAN)
    assert not same(-0.0, 0.0) and not same(0.0, -0.0)
    assert not same(NAN, 1.0) and not same(1.0, NAN)
    assert not same(1, 1.0)                      # an int where a float is promised
    assert same(1.0, 1)                          # the expected value may be an int
    assert not same(1.0, 1.0000000000000002)


def test_ulps_counts_steps_across_zero():
    assert ulps(1.0, 1.0000000000000002) == 1
    assert ulps(-0.0, 0.0) == 0
    assert ulps(-5e-324, 5e-324) == 2
    assert ulps(1.0, 2.0) == 2 ** 52


def test_f32_and_hexes():
    assert f32(0.1) == 0.100000001490116119384765625
    assert hexes([[1.0, 0.5], [-0.0]]) == [["0x1.0000000000000p+0", "0x1.0000000000000p-1"],
                                           ["-0x0.0p+0"]]
    with pytest.raises(AssertionError):
        hexes([1])
