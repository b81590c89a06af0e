"""How fast nnref's correctly rounded kernels are, next to the plain pure-Python idioms.

Prints, for each operation, the time of nnref's function (input checking
included) divided by the time of the plain idiom that a reader would write
instead, on the same data:

* dense on the chapter's 300x2->3 and 300x3->3, on 1000x64->64 and
  256x512->256, and on adversarial data (200x32->32: inputs uniformly tiny,
  N(0,1)*1e-300, or huge, N(0,1)*1e100; huge cancelling terms near 2**1023;
  inputs, or inputs and weights, spread over 1e-300..1e300):
  ``cols = list(zip(*W))``, then
  ``[[sum(map(operator.mul, row, col)) + bj for col, bj in zip(cols, b)] for row in X]``;
* the chapter's forward pass through the layer objects, input checks
  included: spiral_data(100, 3) -> Dense(2, 3) -> ReLU -> Dense(3, 3) ->
  Softmax, against the plain idioms in a row (and, in its own line, against
  the column-wise pass described below, with a column-wise softmax);
* relu, sigmoid and softmax on 1000x64:
  ``[[0.0 if v < 0.0 else v for v in row] for row in X]``;
  ``[[1.0 / (1.0 + exp(-v)) if v >= 0.0 else exp(v) / (1.0 + exp(v)) for v in row] for row in X]``;
  per row ``m = max(row); e = [exp(v - m) for v in row]; s = fsum(e); [v / s for v in e]``.

When NumPy is installed it also gives nnref's time over NumPy's (float64,
``X @ W + b`` and the usual one-liners, on one thread).  When micrograd is
installed it prints micrograd's time over the time of nnref, of the plain
idioms, of a column-wise pass (no input checks, float rounding, every
operation a C-level ``map()`` over a whole column) and of NumPy, on two
forward passes: the chapter's (Dense(2, 3) -> ReLU -> Dense(3, 3) on
spiral_data(100, 3); micrograd has no exp, so softmax is left out) and one
wider layer (40 rows through Dense(64, 64)).  Each is timed with the garbage
collector off and on: micrograd leaves reference cycles behind, and on the
wider layer collecting them costs it more than its arithmetic.  On the
chapter's small layers the column-wise pass is the fastest pure Python we
found, a floor that shows how far any pure-Python forward pass can get from
micrograd; on the wider layer ``sum(map(mul, ...))`` is faster.

Timing is meant to be fair on a small, noisy machine: ours and the baseline
alternate, each is timed with ``time.process_time()`` with the garbage
collector off (as ``timeit`` does) except where said, and the best of ``--repeat`` runs (at
least 9) is kept.  Each row is three such measurements, and the ratio shown
is the median of their three ratios (the times shown are those of the
median measurement).

Run from the checkout:

    python3 benchmarks/speed.py                # the full table
    python3 benchmarks/speed.py --quick        # smaller repeat, skips 256x512
    python3 benchmarks/speed.py --only chapter # the rows whose name has "chapter"

Optional peers: ``pip install numpy micrograd``.
"""

import argparse
import gc
import operator
import os
import platform
import sys
import time
from itertools import repeat
import math
from math import exp, fsum

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# NumPy single-threaded: process_time() counts every thread of the process,
# and BLAS threads still spinning after NumPy's turn would be billed to
# whichever function runs next.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import nnref  # noqa: E402  (after the path tweak, so the checkout is measured)

try:
    import numpy
    numpy.seterr(all="ignore")      # the huge rows overflow NumPy's float64 on purpose
except ImportError:
    numpy = None

try:
    from micrograd import nn as micrograd_nn
except ImportError:
    micrograd_nn = None


# --- the plain idioms, exactly as issue 5 lists them ----------------------------

def plain_dense(X, W, b):
    cols = list(zip(*W))
    return [[sum(map(operator.mul, row, col)) + bj for col, bj in zip(cols, b)] for row in X]


def plain_relu(X):
    return [[0.0 if v < 0.0 else v for v in row] for row in X]


def plain_sigmoid(X):
    return [[1.0 / (1.0 + exp(-v)) if v >= 0.0 else exp(v) / (1.0 + exp(v)) for v in row]
            for row in X]


def plain_softmax(X):
    out = []
    for row in X:
        m = max(row)
        e = [exp(v - m) for v in row]
        s = fsum(e)
        out.append([v / s for v in e])
    return out


# --- NumPy one-liners ------------------------------------------------------------

def numpy_softmax(a):
    e = numpy.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def numpy_sigmoid(a):
    return 1.0 / (1.0 + numpy.exp(-a))


# --- timing ------------------------------------------------------------------------

def best_times(functions, repeat, garbage_collector=False):
    """Best process time of each zero-argument function, run alternately ``repeat`` times.

    The garbage collector is off while a function runs (as ``timeit`` does):
    otherwise a collection triggered by one function's allocations is billed
    to whichever function happens to run when it fires.  Each run starts
    after a full collection, so none inherits another's garbage.  With
    ``garbage_collector=True`` it stays on, as in a real program: micrograd
    leaves reference cycles behind (each result's backward closure refers to
    the result), so the collector's work is part of its cost.
    """
    best = [float("inf")] * len(functions)
    gc.collect()
    for _ in range(repeat):
        for i, f in enumerate(functions):
            gc.collect()
            if not garbage_collector:
                gc.disable()
            try:
                start = time.process_time()
                f()
                elapsed = time.process_time() - start
            finally:
                gc.enable()
            if elapsed < best[i]:
                best[i] = elapsed
    return best


def median_measurement(functions, repeat):
    """``best_times`` three times over; the measurement whose first-over-second ratio is the median."""
    runs = sorted((best_times(functions, repeat) for _ in range(3)), key=lambda t: t[0] / t[1])
    return runs[1]


def data(rng, n, k, scale=1.0):
    return [[scale * v for v in row] for row in rng.randn(n, k)]


def spread(rng, n, k):
    # Magnitudes 10**U(-300, 300), random signs.
    return [[(1.0 if s < 0.5 else -1.0) * 10.0 ** (600.0 * u - 300.0) for s, u in zip(a, b)]
            for a, b in zip(rng.random_sample((n, k)), rng.random_sample((n, k)))]


def dense_data(quick):
    """``(name, X, W, b)`` for each dense row of the table."""
    rng = nnref.RandomState(0)
    shapes = [(300, 2, 3), (300, 3, 3), (1000, 64, 64)]
    if not quick:
        shapes.append((256, 512, 256))
    for n, k, m in shapes:
        yield ("dense %dx%d->%d" % (n, k, m), data(rng, n, k), data(rng, k, m, 0.01),
               [0.01 * v for v in rng.randn(m)])
    n, k, m = 200, 32, 32
    yield ("dense %dx%d->%d, tiny inputs N(0,1)*1e-300" % (n, k, m), data(rng, n, k, 1e-300),
           data(rng, k, m, 0.01), [1e-302 * v for v in rng.randn(m)])
    yield ("dense %dx%d->%d, huge inputs N(0,1)*1e100" % (n, k, m), data(rng, n, k, 1e100),
           data(rng, k, m, 0.01), [1e98 * v for v in rng.randn(m)])
    # Huge cancelling terms: each row ends with the negatives of its first
    # half, and the weights repeat, so those products cancel exactly.
    half = k // 2
    x = [[math.ldexp(v, 1018) for v in row] for row in rng.randn(n, half + half // 2)]
    x = [row[:half] + row[half:] + [-v for v in row[:half // 2]] for row in x]
    x = [row[:k] for row in x]
    w = rng.randn(half + half // 2, m)
    w = (w + w[:half // 2])[:k]
    yield ("dense %dx%d->%d, huge cancelling terms near 2**1023" % (n, k, m), x, w, [0.0] * m)
    yield ("dense %dx%d->%d, inputs spread over 1e-300..1e300" % (n, k, m), spread(rng, n, k),
           data(rng, k, m, 0.01), [0.01 * v for v in rng.randn(m)])
    yield ("dense %dx%d->%d, inputs and weights spread over 1e-300..1e300" % (n, k, m),
           spread(rng, n, k), spread(rng, k, m), [0.01 * v for v in rng.randn(m)])


def cases(quick):
    for name, X, W, b in dense_data(quick):
        peer = None
        if numpy is not None:
            aX, aW, ab = numpy.array(X), numpy.array(W), numpy.array(b)
            peer = (lambda aX=aX, aW=aW, ab=ab: aX @ aW + ab)
        yield (name, lambda X=X, W=W, b=b: nnref.dense(X, W, b),
               lambda X=X, W=W, b=b: plain_dense(X, W, b), peer)
    for name, ours, plain in chapter_passes():
        yield name, ours, plain, None
    for name, ours, plain in chapter_backward_passes():
        yield name, ours, plain, None
    rng = nnref.RandomState(1)
    X = data(rng, 1000, 64, 3.0)
    aX = numpy.array(X) if numpy is not None else None
    for name, ours, plain, peer in [
            ("relu 1000x64", nnref.relu, plain_relu, lambda a: numpy.maximum(a, 0.0)),
            ("sigmoid 1000x64", nnref.sigmoid, plain_sigmoid, numpy_sigmoid),
            ("softmax 1000x64", nnref.softmax, plain_softmax, numpy_softmax)]:
        yield (name, lambda f=ours: f(X), lambda f=plain: f(X),
               None if numpy is None else (lambda f=peer: f(aX)))


def chapter_network():
    """spiral_data(100, 3) and the chapter's layers Dense(2,3), ReLU, Dense(3,3), seeded."""
    X, y = nnref.datasets.spiral_data(100, 3, rng=nnref.RandomState(0))
    return (X, y, nnref.Dense(2, 3, rng=nnref.RandomState(1)), nnref.ReLU(),
            nnref.Dense(3, 3, rng=nnref.RandomState(2)))


def chapter_passes():
    """The chapter's forward pass through nnref's layer objects, against two baselines."""
    X, _, dense1, relu, dense2 = chapter_network()
    softmax = nnref.Softmax()
    W1, b1, W2, b2 = dense1.weights, dense1.biases[0], dense2.weights, dense2.biases[0]

    def ours():
        dense1.forward(X)
        relu.forward(dense1.output)
        dense2.forward(relu.output)
        return softmax.forward(dense2.output)

    def plain():
        return plain_softmax(plain_dense(plain_relu(plain_dense(X, W1, b1)), W2, b2))

    def column_wise():
        columns = columns_dense(plain_relu(columns_dense(list(zip(*X)), W1, b1)), W2, b2)
        return list(map(list, zip(*columns_softmax(columns))))

    name = "chapter's forward pass, layer objects, checks included"
    yield name + ", over the plain idioms", ours, plain
    yield name + ", over the column-wise pass", ours, column_wise


def plain_transposed_dot(A, B):
    # A^T @ B, the plain idiom: one sum(map(mul)) per pair of columns.
    columns_b = list(zip(*B))
    return [[sum(map(operator.mul, column_a, column_b)) for column_b in columns_b]
            for column_a in zip(*A)]


def plain_dense_backward(dvalues, inputs, W):
    # The book's three formulas: dvalues @ W^T, inputs^T @ dvalues, column sums.
    dinputs = [[sum(map(operator.mul, row, w_row)) for w_row in W] for row in dvalues]
    return dinputs, plain_transposed_dot(inputs, dvalues), [[sum(c) for c in zip(*dvalues)]]


def plain_relu_backward(dvalues, inputs):
    return [[d if x > 0 else 0.0 for d, x in zip(drow, xrow)] for drow, xrow in zip(dvalues, inputs)]


def plain_softmax_crossentropy_backward(softmax_rows, y):
    # (softmax - one_hot(y)) / n, as the book's combined step.
    n = len(softmax_rows)
    return [[(s - 1.0) / n if j == label else s / n for j, s in enumerate(row)]
            for row, label in zip(softmax_rows, y)]


def chapter_backward_passes():
    """The chapter's backward pass (chapter 9) through nnref's layer objects, against the plain idioms.

    The network is the forward pass's, with the combined softmax and
    cross-entropy step on top.  "backward" times the backward calls alone
    (the forward state already set); "forward and backward" times both, the
    loss included.  The plain idioms are the obvious list code of the book's
    backward formulas, each output rounded as plain float code rounds it.
    """
    X, y, dense1, relu, dense2 = chapter_network()
    loss = nnref.SoftmaxCategoricalCrossentropy()
    W1, b1, W2, b2 = dense1.weights, dense1.biases[0], dense2.weights, dense2.biases[0]

    def ours_forward():
        dense1.forward(X)
        relu.forward(dense1.output)
        dense2.forward(relu.output)
        return loss.forward(dense2.output, y)

    def ours_backward():
        loss.backward(loss.output, y)
        dense2.backward(loss.dinputs)
        relu.backward(dense2.dinputs)
        dense1.backward(relu.dinputs)
        return dense1.dinputs, dense1.dweights, dense1.dbiases

    def ours_both():
        ours_forward()
        return ours_backward()

    ours_forward()
    hidden, relu_out, probabilities = dense1.output, relu.output, loss.output

    def plain_backward(hidden=hidden, relu_out=relu_out, probabilities=probabilities):
        dlogits = plain_softmax_crossentropy_backward(probabilities, y)
        drelu = plain_dense_backward(dlogits, relu_out, W2)[0]
        dhidden = plain_relu_backward(drelu, hidden)
        return plain_dense_backward(dhidden, X, W1)

    def plain_both():
        hidden = plain_dense(X, W1, b1)
        relu_out = plain_relu(hidden)
        probabilities = plain_softmax(plain_dense(relu_out, W2, b2))
        losses = [-math.log(min(max(row[label], 1e-7), 1 - 1e-7))
                  for row, label in zip(probabilities, y)]
        sum(losses) / len(losses)
        return plain_backward(hidden, relu_out, probabilities)

    name = "chapter's backward pass (chapter 9), layer objects, checks included"
    yield name + ", over the plain idioms", ours_backward, plain_backward
    yield "chapter's forward and backward pass with the loss, over the plain idioms", ours_both, plain_both


def columns_softmax(columns):
    # Softmax of each row, on the columns: one map() per operation.
    top = list(map(max, *columns))
    exps = [list(map(exp, map(operator.sub, c, top))) for c in columns]
    totals = list(map(fsum, zip(*exps)))
    return [list(map(operator.truediv, e, totals)) for e in exps]


def micrograd_workloads():
    """Forward passes to time against micrograd, each done four or five ways.

    Yields ``(name, rows, worst)``: ``rows`` is a list of ``(label, function)``,
    micrograd first, and ``worst`` the largest difference between micrograd's
    outputs and the others'.  The ways: micrograd, nnref, the plain idioms, a
    column-wise pass (no checks, float rounding, every operation a C-level
    map() over a whole column) and NumPy.
    """
    # The chapter's network without softmax (micrograd has no exp).
    X, _, layer1, _, layer2 = chapter_network()
    network = [(layer1.weights, layer1.biases[0], True), (layer2.weights, layer2.biases[0], False)]
    yield forward_ways("chapter: spiral_data(100, 3) -> Dense(2,3) -> ReLU -> Dense(3,3)",
                       X, network)
    # One wider layer, where the plain idiom's sum(map(mul, ...)) runs at C speed.
    rng = nnref.RandomState(3)
    X, W, b = data(rng, 40, 64), data(rng, 64, 64, 0.01), [0.01 * v for v in rng.randn(64)]
    yield forward_ways("one layer: 40x64 -> Dense(64,64)", X, [(W, b, False)])


def forward_ways(name, X, network):
    # network: (weights, biases, ReLU after?) for each layer.
    model = micrograd_nn.MLP(len(X[0]), [len(b) for _, b, _ in network])
    for micro_layer, (W, b, relu) in zip(model.layers, network):
        micro_layer_set(micro_layer, W, b, relu)

    def through(dense, relu_function, data):
        for W, b, relu in network:
            data = dense(data, W, b)
            if relu:
                data = relu_function(data)
        return data

    def column_wise():
        # relu is elementwise, so plain_relu works on columns as on rows.
        return list(map(list, zip(*through(columns_dense, plain_relu, list(zip(*X))))))

    rows = [("micrograd", lambda: [[v.data for v in model(row)] for row in X]),
            ("nnref", lambda: through(nnref.dense, nnref.relu, X)),
            ("plain idioms", lambda: through(plain_dense, plain_relu, X)),
            ("column-wise", column_wise)]
    if numpy is not None:
        arrays = [(numpy.array(W), numpy.array(b), relu) for W, b, relu in network]
        aX = numpy.array(X)

        def numpy_forward():
            data = aX
            for aW, ab, relu in arrays:
                data = data @ aW + ab
                if relu:
                    data = numpy.maximum(data, 0.0)
            return data
        rows.append(("NumPy", numpy_forward))
    return name, rows, largest_difference(rows)


def micrograd_backward_ways(samples):
    """The chapter's network (no softmax) forward and backward, micrograd and nnref.

    The loss is the sum of the outputs, so every dvalue is 1; micrograd builds
    one graph node per scalar operation and walks it recursively in
    ``backward()``, so it runs into Python's recursion limit as the batch grows.
    Returns ``(micrograd, nnref)`` functions.
    """
    X, _ = nnref.datasets.spiral_data(samples, 3, rng=nnref.RandomState(0))
    dense1 = nnref.Dense(2, 3, rng=nnref.RandomState(1))
    relu = nnref.ReLU()
    dense2 = nnref.Dense(3, 3, rng=nnref.RandomState(2))
    model = micrograd_nn.MLP(2, [3, 3])
    micro_layer_set(model.layers[0], dense1.weights, dense1.biases[0], True)
    micro_layer_set(model.layers[1], dense2.weights, dense2.biases[0], False)
    ones = [[1.0] * 3 for _ in X]

    def micrograd():
        model.zero_grad()
        loss = sum(v for row in X for v in model(row))
        loss.backward()
        return [[w.grad for w in neuron.w] for neuron in model.layers[0].neurons]

    def ours():
        dense1.forward(X)
        relu.forward(dense1.output)
        dense2.forward(relu.output)
        dense2.backward(ones)
        relu.backward(dense2.dinputs)
        return dense1.backward(relu.dinputs)
    return micrograd, ours


def micro_layer_set(layer, W, b, relu):
    # micrograd's neurons hold the columns of our weights; its MLP puts a
    # ReLU after every layer but the last, which must agree with ours.
    if any(neuron.nonlin != relu for neuron in layer.neurons):
        raise ValueError("micrograd's layer and ours disagree on the ReLU")
    for j, neuron in enumerate(layer.neurons):
        for i, w in enumerate(neuron.w):
            w.data = W[i][j]
        neuron.b.data = b[j]


def largest_difference(rows):
    reference = rows[0][1]()
    worst = 0.0
    for _, function in rows[1:]:
        got = function()
        if numpy is not None and isinstance(got, numpy.ndarray):
            got = got.tolist()
        worst = max(worst, max(abs(a - b) for ra, rb in zip(got, reference)
                               for a, b in zip(ra, rb)))
    return worst


def micrograd_version():
    try:
        from importlib.metadata import version
        return version("micrograd")
    except Exception:   # Python < 3.8, or installed without metadata
        return "(version unknown)"


def columns_dense(columns, W, b):
    # Output column j = sum_i columns[i] * W[i][j] + b[j], one map() per term.
    out = []
    for j, bj in enumerate(b):
        total = map(operator.add, map(operator.mul, columns[0], repeat(W[0][j])), repeat(bj))
        for i in range(1, len(columns)):
            total = map(operator.add, total, map(operator.mul, columns[i], repeat(W[i][j])))
        out.append(list(total))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=9, help="runs per timing (best kept; >= 9)")
    parser.add_argument("--quick", action="store_true",
                        help="3 runs each and no 256x512->256 (a smoke test, not a measurement)")
    parser.add_argument("--only", default="", help="only the rows whose name contains this")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else max(9, args.repeat)
    print("Python %s (%s), %s; median of 3 measurements, each the best of %d alternating runs,"
          " time.process_time()"
          % (platform.python_version(), platform.python_implementation(), platform.machine(),
             repeat))
    if numpy is not None:
        print("NumPy %s" % numpy.__version__)
    print()
    print("| operation | nnref (s) | plain idiom (s) | nnref / plain | nnref / NumPy |")
    print("|---|---|---|---|---|")
    for name, ours, plain, peer in cases(args.quick):
        if args.only and args.only not in name:
            continue
        functions = [ours, plain] + ([peer] if peer is not None else [])
        times = median_measurement(functions, repeat)
        versus_numpy = "%.0f" % (times[0] / times[2]) if peer is not None else "-"
        print("| %s | %.4f | %.4f | %.2f | %s |"
              % (name, times[0], times[1], times[0] / times[1], versus_numpy))
        sys.stdout.flush()
    if micrograd_nn is not None and not args.only:
        print()
        print("micrograd %s's time over each forward pass's (column-wise: no input checks,"
              % micrograd_version())
        print("float rounding, every operation a C-level map() over a whole column):")
        print()
        print("| forward pass | garbage collector | nnref | plain idioms | column-wise | NumPy |")
        print("|---|---|---|---|---|---|")
        differences = []
        for name, rows, worst in micrograd_workloads():
            for collector in (False, True):
                times = best_times([function for _, function in rows], repeat, collector)
                ratios = ["%.1f" % (times[0] / t) for t in times[1:]] + ["-"] * (5 - len(times))
                print("| %s | %s | %s |" % (name, "on" if collector else "off", " | ".join(ratios)))
                sys.stdout.flush()
            differences.append("%.1e on the %s" % (worst, name.split(":")[0]))
        print()
        print("Largest difference from micrograd's outputs: %s." % ", ".join(differences))
        print()
        print("micrograd's forward and backward() over nnref's (the chapter's network without"
              " softmax, loss = sum of the outputs):")
        print()
        print("| spiral_data samples per class | rows | micrograd / nnref |")
        print("|---|---|---|")
        for samples in (10, 30, 100, 300):
            micrograd, ours = micrograd_backward_ways(samples)
            try:
                times = best_times([micrograd, ours], repeat)
                outcome = "%.1f" % (times[0] / times[1])
            except RecursionError:
                outcome = "micrograd: RecursionError in backward()"
            print("| %d | %d | %s |" % (samples, 3 * samples, outcome))
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
