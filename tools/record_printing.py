"""Record how NumPy prints float32 and float64 arrays, for nnref's printer tests.

Install what it needs, then run it from the repository root::

    pip install numpy            # recorded with NumPy 2.4.6
    python tools/record_printing.py     # writes tests/fixtures/printing_numpy.json

Each case is an array (a vector or a batch), its dtype, and ``str(array)``
under NumPy's default print options.  The values are stored as
``float.hex()`` of their exact value (a float32 value as the float64 holding
it), so the test rebuilds exactly the array NumPy printed.  The cases:

* hand-picked ones: the book's chapter-4 rows, zeros and signed zeros, NaN
  and infinities, the switches to scientific notation (``max >= 1e8`` or
  ``1e6`` for float32, ``min < 1e-4``, ``max / min > 1000``) on both sides of
  each threshold, values that need more than 8 decimals, exact ties at the
  9th decimal (1/512), subnormals, the largest floats, wide rows that wrap
  at 75 columns, and arrays past the 1000-value threshold (summarised);
* random ones from a seeded generator: a few values each, with magnitudes
  spread over many decades so both notations and every padding occur.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "tests", "fixtures", "printing_numpy.json")

NAN, INF = float("nan"), float("inf")


def hexes(array):
    return [hexes(v) for v in array] if isinstance(array, list) else float(array).hex()


def case(values, dtype):
    array = np.array(values, dtype=dtype)
    if array.ndim not in (1, 2):
        raise ValueError("only vectors and batches")
    return {"dtype": dtype, "values": hexes(array.tolist()), "text": str(array)}


def hand_picked():
    f32 = np.float32
    book_relu = [[0.0, 0.0, 0.0], [0.0, 0.00011395361, 0.0], [0.0, 0.00031729, 0.0]]
    third = float(f32(1 / 3))
    vectors = [
        [0.0], [-0.0], [0.0, -0.0, NAN], [NAN], [INF], [-INF], [NAN, INF, -INF],
        [1.5, NAN], [1e-5, -1.5, NAN, -INF], [1e300, INF],
        [1 / 512, 0.5], [0.001953125], [0.1000000001, 0.5], [0.5, 100.0, -2.0],
        [1e-4, 0.5], [1e-4, 0.05], [9.999999e-5, 0.05], [0.0001, 0.1], [0.0001, 0.1000001],
        [1e-5, 1.5], [1e-100, 1.5], [5e-324, 1.7976931348623157e308], [5e-324],
        [1e16, 1.0], [12345678.9, 1.0], [99999999.0], [100000000.0], [999999.94, 1.5],
        [1000000.0, 1.5], [123456.7, 1.5], [0.001, 1.0], [0.001, 1.001],
        [third, 1 - third], [0.3333332, 0.33333334, 0.33333364],
        [3.4028234663852886e38], [1e-45, 1e-40], [1.401298464324817e-45, 1.0],
        [2.0 ** -126, 2.0 ** -149, 1.0], [0.1, 1e-5, 1.2345678], [0.1, 0.2, 0.3],
        [2.0 ** 24, 2.0 ** 24 + 2, 1.0], [-0.00011395, 0.5], [123.456, -0.001],
        [x / 7 for x in range(30)], [float(i) for i in range(2000)],
        [i * 0.001 for i in range(1001)], [1.0] * 1000, [-1.0] * 1001,
    ]
    batches = [
        book_relu, [[0.33333334, 0.33333334, 0.33333334], [0.33333316, 0.3333332, 0.33333364]],
        [[1.5, NAN], [INF, -2.25]], [[INF]], [[x / 7 for x in range(10 * i, 10 * i + 10)]
                                               for i in range(3)],
        [[0.0, 0.0]] * 1000, [[0.5 * i, -0.25 * i, 1e-3 * i] for i in range(400)],
        [[float(i + j) for j in range(20)] for i in range(60)], [[1e-7, 2.0], [3.0, 4e5]],
    ]
    cases = []
    for dtype in ("float64", "float32"):
        for values in vectors + batches:
            cases.append(case(values, dtype))
    return cases


def random_cases(count):
    rng = np.random.RandomState(2024)
    cases = []
    for i in range(count):
        n = int(rng.randint(1, 12))
        # Magnitudes: one decade for some cases, many for others.
        spread = [1, 3, 6, 12, 40][i % 5]
        centre = rng.uniform(-12, 12)
        exponents = centre + rng.uniform(-spread / 2, spread / 2, n)
        signs = np.where(rng.random_sample(n) < 0.3, -1.0, 1.0)
        values = signs * 10.0 ** exponents
        if i % 7 == 0:
            values = np.round(values, int(rng.randint(0, 6)))
        if i % 11 == 0:
            values[0] = 0.0
        dtype = "float32" if i % 2 else "float64"
        batch = i % 3 == 0 and n > 1
        shaped = values.reshape(1, n) if batch else values
        cases.append(case(shaped.tolist(), dtype))
    return cases


def main():
    data = {
        "meta": {"recorded_by": "tools/record_printing.py", "numpy": np.__version__,
                 "python": sys.version.split()[0],
                 "options": "NumPy defaults: precision=8, floatmode='maxprec', "
                            "suppress=False, linewidth=75, threshold=1000, edgeitems=3"},
        "cases": hand_picked() + random_cases(600),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d cases, %d bytes)" % (os.path.relpath(OUT), len(data["cases"]),
                                           os.path.getsize(OUT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
