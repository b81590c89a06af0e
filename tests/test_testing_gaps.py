"""nnref.testing at its edges: ulp of the largest values, exact tolerance
comparisons, ints that are not values of a format, and dtype-carrying objects
(a small stand-in with ``.dtype`` and ``.tolist()``, as NumPy arrays have).

Equivalent mutants left alive in ``_within``: ``-d if d < 0 else d`` (and
``-y[0] if y[0] < 0 else y[0]``) with ``<=`` for ``<``; at 0 both give 0.
Likewise ``_ZERO = (0, 1)`` for ``(0, 0)``: both pairs stand for 0
(0 * 2**1), and only the sign of the final exact difference is read.
"""

import pytest

from nnref import testing


class Array(object):
    def __init__(self, values, dtype):
        self.values, self.dtype = values, dtype

    def tolist(self):
        return self.values


def test_ulp_of_the_largest_finite_values_is_the_gap_below():
    # float64: 2**1024 - 2**971 is the largest; the gap below it is 2**971.
    assert testing.ulp(1.7976931348623157e308) == 2.0 ** 971
    assert testing.ulp(-1.7976931348623157e308) == 2.0 ** 971
    assert testing.ulp(65504.0, "float16") == 32.0                       # 2**(15 - 10)
    assert testing.ulp(3.3895313892515355e38, "bfloat16") == 2.0 ** 120  # 2**(127 - 7)
    assert testing.ulp(1.0) == 2.0 ** -52 and testing.ulp(1.0, "float16") == 2.0 ** -10
    assert testing.ulp(-0.0) == 5e-324
    assert testing.ulp(float("inf")) == float("inf")


def test_tolerances_compare_exactly():
    # |2 - (2 + 2**-51)| = 2**-51 exactly: atol 2**-51 passes, the float below it does not.
    e = 2.0 + 2.0 ** -51
    testing.assert_close([2.0], [e], atol=2.0 ** -51)
    with pytest.raises(AssertionError, match="1 of 1 elements are not close"):
        testing.assert_close([2.0], [e], atol=2.0 ** -51 * (1 - 2.0 ** -53))
    # rtol * |expected| with a negative expected value.
    testing.assert_close([-2.0], [-e], rtol=2.0 ** -52)
    with pytest.raises(AssertionError):
        testing.assert_close([-2.0], [-e], rtol=2.0 ** -53)
    testing.assert_close([-2.0 - 2.0 ** -51], [-2.0], atol=2.0 ** -52, rtol=2.0 ** -53)   # 2**-52 + 2**-52


def test_an_int_that_is_not_a_value_of_the_format():
    testing.assert_close([3], [3.0], dtype="float16")
    with pytest.raises(AssertionError, match=r"actual\[0\] = 2049 is not a float16 value; nearest are 2048.0 and 2050.0"):
        testing.assert_close([2049], [2048.0], dtype="float16", max_ulp=0)


def test_dtype_carrying_objects():
    testing.assert_close(Array([1.0], "float32"), [1.0], dtype="float32")
    testing.assert_close(Array([1.0], "torch.float16"), [1.0])
    with pytest.raises(ValueError, match="dtype='float16' was passed, but actual has dtype float32"):
        testing.assert_close(Array([1.0], "float32"), [1.0], dtype="float16")
    with pytest.raises(ValueError, match=r"actual mixes dtypes: actual\[0\] is float32 but actual\[1\] is float16"):
        testing.assert_close([Array([1.0], "float32"), Array([1.0], "float16")], [[1.0], [1.0]])
    with pytest.raises(TypeError, match="has dtype int64, not one of the float formats"):
        testing.assert_close(Array([1], "int64"), [1.0])
