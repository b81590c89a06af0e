"""Print the expected values that ``nnref/_selfcheck.py`` holds as literals.

The self-check must run where nothing but nnref exists (MicroPython), so its
known answers are written into it as numbers.  This script shows where each
number comes from, none of them from nnref itself:

* random streams and the spiral data: a real NumPy ``RandomState`` and nnfs
  (plain float64, no ``nnfs.init()``);
* the dense layer and the sums: exact rational arithmetic (``fractions``)
  rounded once, which is what nnref promises;
* sigmoid and softmax: the true values from mpmath at 60 digits, rounded to
  the nearest float.

Install what it needs and run it from the repository root::

    pip install numpy nnfs mpmath
    python tools/selfcheck_constants.py

and compare its output with the literals in ``nnref/_selfcheck.py``.
"""

from fractions import Fraction

import mpmath
import numpy as np
from nnfs.datasets import spiral_data

mpmath.mp.dps = 60


def show(name, value):
    print("%s = %r" % (name, value))


def exact_round(fraction):
    # Fraction -> nearest float, ties to even (Python's float(Fraction) does this).
    return float(fraction)


def record_rng():
    words = np.random.RandomState(0)._bit_generator.random_raw(4)
    show("MT_SEED0_WORDS", [int(w) for w in words])
    words = np.random.RandomState(2**32 - 1)._bit_generator.random_raw(2)
    show("MT_SEEDMAX_WORDS", [int(w) for w in words])
    show("SAMPLE_SEED0", [float(v) for v in np.random.RandomState(0).random_sample(3)])
    show("RANDN_SEED0", [float(v) for v in np.random.RandomState(0).randn(6)])
    rs = np.random.RandomState(7)
    mixed = [float(v) for v in rs.randn(1)] + [float(rs.random_sample())] + [float(v) for v in rs.randn(2)]
    show("MIXED_SEED7", mixed)


def record_spiral():
    np.random.seed(0)
    X, y = spiral_data(samples=4, classes=2)
    show("SPIRAL_X", [[float(a), float(b)] for a, b in X.tolist()])
    show("SPIRAL_Y", [int(v) for v in y])


def record_other_datasets():
    from nnfs.datasets import sine_data, vertical_data
    np.random.seed(0)
    X, y = vertical_data(samples=3, classes=2)
    show("VERTICAL_X", [[float(a), float(b)] for a, b in X.tolist()])
    X, y = sine_data(samples=4)
    show("SINE_Y", [[float(v)] for v in y.ravel().tolist()])


def record_book():
    # The book's chapter-4 run after nnfs.init() (float32), via the fixture
    # recorder's replica of the book's classes.
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import record_fixtures
    record_fixtures.save_numpy()
    run = record_fixtures.record_book_ch4()
    record_fixtures.restore_numpy()

    def pick(name, rows):
        return [[float.fromhex(v) for v in run[name][i]] for i in rows]
    show("BOOK_X", pick("X", (1, 150, 299)))
    show("BOOK_DENSE1", pick("dense1_output", (1, 299)))
    show("BOOK_RELU", pick("relu_output", (2, 299)))
    show("BOOK_DENSE2", pick("dense2_output", (1, 299)))


def record_dense():
    inputs = [[1, 2, 3, 2.5], [2.0, 5.0, -1.0, 2.0], [-1.5, 2.7, 3.3, -0.8]]
    weights_t = [[0.2, 0.8, -0.5, 1.0], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]]
    biases = [2.0, 3.0, 0.5]
    out = []
    for row in inputs:
        out_row = []
        for neuron, bias in zip(weights_t, biases):
            total = sum((Fraction(a) * Fraction(w) for a, w in zip(row, neuron)), Fraction(bias))
            out_row.append(exact_round(total))
        out.append(out_row)
    show("DENSE_CHAPTER", out)


def record_sums():
    layer_outputs = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]
    every = sum((Fraction(v) for row in layer_outputs for v in row), Fraction(0))
    show("SUM_ALL", exact_round(every))
    show("SUM_ROWS", [[exact_round(sum(map(Fraction, row)))] for row in layer_outputs])
    columns = zip(*layer_outputs)
    show("SUM_COLUMNS", [exact_round(sum(map(Fraction, column))) for column in columns])
    show("SUM_TENTHS", exact_round(sum([Fraction(0.1)] * 10)))


def record_transcendental():
    show("SIGMOID", [float(1 / (1 + mpmath.exp(-mpmath.mpf(x)))) for x in (1.0, -3.5, 20.0)])
    row = [4.8, 1.21, 2.385]
    exps = [mpmath.exp(mpmath.mpf(v)) for v in row]
    total = sum(exps)
    show("SOFTMAX_CHAPTER", [float(e / total) for e in exps])
    with mpmath.workprec(24):  # rounded once, straight to float32's 24 bits
        show("SIGMOID_1_FLOAT32", float(+(1 / (1 + mpmath.exp(-mpmath.mpf(1.0))))))
    # The cross-entropy self-check: -ln(1/2) and -ln(1/4).
    show("CROSSENTROPY_LN2_LN4", [float(-mpmath.log(mpmath.mpf(p))) for p in (0.5, 0.25)])


def record_chapter9():
    # The book's chapter-9 run, as tools/record_book_ch9.py recorded it from
    # nnfs + NumPy (libm's exp and log rounded to float32).
    import json
    with open("tests/fixtures/book_ch9_float32.json") as f:
        run = json.load(f)["chapter9"]
    show("BOOK9_LOSS", float.fromhex(run["loss"]))
    show("BOOK9_ACCURACY", float.fromhex(run["accuracy"]))
    for name in ("dense1_dbiases", "dense2_dbiases"):
        show("BOOK9_" + name.upper(), [float.fromhex(v) for v in run[name][0]])


if __name__ == "__main__":
    print("# numpy %s" % np.__version__)
    record_rng()
    record_spiral()
    record_other_datasets()
    record_book()
    record_dense()
    record_sums()
    record_transcendental()
    record_chapter9()
