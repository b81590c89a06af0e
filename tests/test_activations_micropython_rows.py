"""nnref.activations' MicroPython-only row function, called directly on CPython.

MicroPython has no ``read_float``, so relu uses ``_relu_row_checked`` on rows
``map_rows`` has already checked; CPython uses ``_relu_row_reading``.  Both
must give the documented results: NaN and -0.0 stay as they are, negatives
become +0.0.
"""

import math

from nnref import activations

from support import same

ROW = [-0.0, 0.0, -1.0, -5e-324, 5e-324, 2.5, float("inf"), float("-inf"), float("nan")]
EXPECTED = [-0.0, 0.0, 0.0, 0.0, 5e-324, 2.5, float("inf"), 0.0, float("nan")]


def test_both_relu_rows_keep_nan_and_negative_zero():
    for row_function in (activations._relu_row_checked, activations._relu_row_reading):
        out = row_function(list(ROW))
        assert len(out) == len(EXPECTED)
        assert all(same(a, e) for a, e in zip(out, EXPECTED)), (row_function.__name__, out)
        assert math.copysign(1.0, out[0]) == -1.0
    assert activations._relu_row is activations._relu_row_reading      # CPython has read_float
