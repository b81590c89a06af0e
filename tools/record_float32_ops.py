"""Record NumPy's float32 sums and float64 dot products, for nnref's book-mode tests.

Install what it needs, then run it from the repository root::

    pip install numpy            # recorded with NumPy 2.4.6 (OpenBLAS)
    python tools/record_float32_ops.py    # writes tests/fixtures/float32_ops.json

Book mode (``nnref.book``) reproduces two NumPy reductions in NumPy's own
order of operations, and this file pins both down:

* ``sums``: ``np.sum(rows, axis=1, keepdims=True)`` of float32 rows of many
  lengths (1 to 1000): NumPy's pairwise float32 summation, the softmax
  denominator;
* ``dots``: ``np.dot`` of float64 copies of float32 matrices, inputs n x k
  for k = 1..8 (nnfs's dot workaround; the book's layers have k = 2 and 3),
  rounded to float32 as nnfs does.

The inputs are not stored: they are rebuilt from ``numpy.random.RandomState``
uniforms, which ``nnref.RandomState`` reproduces bit for bit, with exact
steps (a power of ten times a uniform minus a half, rounded to float32), so
the tests rebuild exactly the same arrays.  Results are ``float.hex()``.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "tests", "fixtures", "float32_ops.json")

SUM_LENGTHS = list(range(1, 21)) + [23, 31, 32, 63, 64, 100, 127, 128, 129, 135, 200,
                                    255, 256, 257, 300, 511, 1000]
DOT_SHAPES = [(40, k, 3) for k in range(1, 9)]


def float32_values(rs, count, scale_exponent):
    # (u - 0.5) * 10**e, rounded to float32: every step is exact IEEE
    # arithmetic, so the test can repeat it with nnref.RandomState.
    u = rs.random_sample(count)
    return ((u - 0.5) * 10.0 ** scale_exponent).astype(np.float32)


def record_sums():
    cases = []
    for i, n in enumerate(SUM_LENGTHS):
        seed = 1000 + i
        rs = np.random.RandomState(seed)
        # Positive values of mixed sizes, as exp() outputs are.
        row = np.abs(float32_values(rs, n, 1 + i % 4))
        total = np.sum(row.reshape(1, n), axis=1, keepdims=True)
        cases.append({"seed": seed, "length": n, "scale_exponent": 1 + i % 4,
                      "abs": True, "dtype": str(total.dtype),
                      "sum": float(total[0, 0]).hex()})
    return cases


def record_dots():
    cases = []
    for i, (n, k, m) in enumerate(DOT_SHAPES):
        seed = 2000 + i
        rs = np.random.RandomState(seed)
        inputs = float32_values(rs, n * k, 0).reshape(n, k)
        weights = float32_values(rs, k * m, -1).reshape(k, m)
        product = np.dot(inputs.astype("float64"), weights.astype("float64"))
        cases.append({"seed": seed, "n": n, "k": k, "m": m,
                      "inputs_scale_exponent": 0, "weights_scale_exponent": -1,
                      "float64": [[float(v).hex() for v in row] for row in product],
                      "float32": [[float(v).hex() for v in row]
                                  for row in product.astype("float32")]})
    return cases


def main():
    data = {"meta": {"recorded_by": "tools/record_float32_ops.py", "numpy": np.__version__,
                     "python": sys.version.split()[0],
                     "blas": "OpenBLAS bundled with the NumPy wheel"},
            "sums": record_sums(), "dots": record_dots()}
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d bytes)" % (os.path.relpath(OUT), os.path.getsize(OUT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
