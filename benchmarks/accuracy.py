"""How accurate nnref is, next to NumPy, PyTorch and the ONNX reference evaluator.

For each operation and input distribution of issue 5, prints the largest
and the mean error in ULP (``nnref.testing.ulp_distance``: the number of
float64 steps between a result and the true value rounded to float64) of:

* nnref's float functions (``nnref.sigmoid``, ``nnref.softmax``, ``nnref.dense``);
* ``nnref.exact`` (correctly rounded by construction), when it is present;
* NumPy, PyTorch (CPU, float64) and ``onnx.reference.ReferenceEvaluator``,
  each when installed (otherwise its column shows ``-``).

The true values: mpmath at 60 digits for sigmoid and softmax (``nnref.exact``
when mpmath is missing), and exact rational arithmetic for dense (every float
is an integer times a power of two, so the dot product is an exact integer
scaled by a power of two, and ``float(Fraction)`` rounds it correctly).

Dense also gets the measure of the issue's table, the largest
``|error| / (u * (|x|.|W| + |b|))`` with ``u = 2**-53`` (a forward-stable
dot product is at most about k), and the count of outputs that are not
correctly rounded, on random, ill-conditioned, huge, tiny, subnormal and
cancelling data.

Run from the checkout:

    python3 benchmarks/accuracy.py            # the full table (a few minutes)
    python3 benchmarks/accuracy.py --quick    # fewer samples

Peers: ``pip install numpy mpmath torch==2.13.0 onnx`` (torch 2.13.0 from PyPI
is the CPU build).  The inputs are drawn with ``nnref.RandomState(seed)``,
so every run measures the same data.
"""

import argparse
import math
import os
import platform
import sys
import warnings
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import nnref  # noqa: E402  (after the path tweak, so the checkout is measured)
from nnref.testing import ulp_distance  # noqa: E402

try:
    from nnref import exact as nnref_exact
except ImportError:
    nnref_exact = None

try:
    import mpmath
except ImportError:
    mpmath = None

try:
    import numpy
except ImportError:
    numpy = None

try:
    import torch
except ImportError:
    torch = None

try:
    import onnx
    from onnx import helper as onnx_helper
    from onnx.reference import ReferenceEvaluator
except ImportError:
    onnx = None

INF = float("inf")
U = Fraction(1, 2 ** 53)
# Below this |x|.|W| + |b|, u times it is under the subnormals' spacing and the
# relative measure says nothing: those outputs are left out of it.
SMALLEST_NORMAL_OVER_U = Fraction(2) ** (-1022 + 53)


# --- true values ---------------------------------------------------------------

def to_float(value):
    """An mpmath number rounded once to the nearest float.

    ``float(mpf)`` rounds to 53 bits and then again into the subnormals (off
    by one step there); its exact binary value through ``Fraction`` is not.
    """
    sign, man, exp, _ = value._mpf_     # value == (-1)**sign * man * 2**exp
    return float(Fraction(-man if sign else man) * Fraction(2) ** exp)


def true_sigmoid(xs):
    if mpmath is None:
        return nnref_exact.sigmoid(xs)
    with mpmath.workdps(60):
        return [to_float(1 / (1 + mpmath.exp(-mpmath.mpf(x)))) for x in xs]


def true_softmax(rows):
    if mpmath is None:
        return nnref_exact.softmax(rows)
    out = []
    with mpmath.workdps(60):
        for row in rows:
            top = max(row)
            exps = [mpmath.exp(mpmath.mpf(v) - top) for v in row]
            total = mpmath.fsum(exps)
            out.append([to_float(e / total) for e in exps])
    return out


def exact_dot(row, column, bias):
    """``(sum_i row[i] * column[i] + bias, sum_i |row[i] * column[i]| + |bias|)`` as Fractions."""
    terms = [Fraction(x) * Fraction(w) for x, w in zip(row, column)] + [Fraction(bias)]
    return sum(terms), sum(abs(t) for t in terms)


def rounded(value):
    try:
        return float(value)
    except OverflowError:
        return INF if value > 0 else -INF


# --- the implementations ----------------------------------------------------------

def implementations(op):
    """``[(name, function)]`` of every implementation of ``op`` available here."""
    found = [("nnref", getattr(nnref, op))]
    if nnref_exact is not None:
        found.append(("nnref.exact", getattr(nnref_exact, op)))
    if numpy is not None:
        found.append(("NumPy", NUMPY[op]))
    if torch is not None:
        found.append(("PyTorch", TORCH[op]))
    if onnx is not None:
        found.append(("ONNX reference", ONNX[op]))
    return found


def _numpy_softmax(rows):
    a = numpy.array(rows, dtype=numpy.float64)
    e = numpy.exp(a - a.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).tolist()


NUMPY = {
    "sigmoid": lambda xs: (1.0 / (1.0 + numpy.exp(-numpy.array(xs, dtype=numpy.float64)))).tolist(),
    "softmax": _numpy_softmax,
    "dense": lambda x, w, b: (numpy.array(x) @ numpy.array(w) + numpy.array(b)).tolist(),
}

TORCH = {
    "sigmoid": lambda xs: torch.sigmoid(torch.tensor(xs, dtype=torch.float64)).tolist(),
    "softmax": lambda rows: torch.softmax(torch.tensor(rows, dtype=torch.float64), dim=1).tolist(),
    "dense": lambda x, w, b: (torch.tensor(x, dtype=torch.float64) @ torch.tensor(w, dtype=torch.float64)
                              + torch.tensor(b, dtype=torch.float64)).tolist(),
}


def _onnx_run(node, inputs):
    # One-node float64 model, evaluated by ONNX's pure-Python reference evaluator.
    names = ["in%d" % i for i in range(len(inputs))]
    arrays = [numpy.array(v, dtype=numpy.float64) for v in inputs]
    graph = onnx_helper.make_graph(
        [node(names)], "g",
        [onnx_helper.make_tensor_value_info(n, onnx.TensorProto.DOUBLE, a.shape)
         for n, a in zip(names, arrays)],
        [onnx_helper.make_tensor_value_info("out", onnx.TensorProto.DOUBLE, None)])
    model = onnx_helper.make_model(graph, opset_imports=[onnx_helper.make_opsetid("", 17)])
    return ReferenceEvaluator(model).run(None, dict(zip(names, arrays)))[0].tolist()


ONNX = {
    "sigmoid": lambda xs: _onnx_run(lambda n: onnx_helper.make_node("Sigmoid", n, ["out"]), [xs]),
    "softmax": lambda rows: _onnx_run(
        lambda n: onnx_helper.make_node("Softmax", n, ["out"], axis=1), [rows]),
    "dense": lambda x, w, b: _onnx_run(
        lambda n: onnx_helper.make_node("Gemm", n, ["out"]), [x, w, [b]]),
}


# --- the measurements ---------------------------------------------------------------

def ulp_stats(got, true):
    distances = [ulp_distance(g, t) for g, t in zip(got, true)]
    return max(distances), sum(distances) / len(distances)


def flat(rows):
    return [v for row in rows for v in row]


def measure_elementwise(op, xs, true):
    results = []
    for name, f in implementations(op):
        try:
            got = f(xs)
        except Exception as error:  # a peer that can't take the data: say so, go on
            results.append((name, "failed: %s" % type(error).__name__))
            continue
        results.append((name, ulp_stats(got, true)))
    return results


def measure_softmax(rows, true):
    results = []
    for name, f in implementations("softmax"):
        try:
            got = f(rows)
        except Exception as error:
            results.append((name, "failed: %s" % type(error).__name__))
            continue
        results.append((name, ulp_stats(flat(got), flat(true))))
    return results


def measure_dense(inputs, weights, biases):
    columns = list(zip(*weights))
    exact = [[exact_dot(row, col, b) for col, b in zip(columns, biases)] for row in inputs]
    true = [[rounded(v) for v, _ in row] for row in exact]
    results = []
    for name, f in implementations("dense"):
        try:
            got = f(inputs, weights, biases)
        except Exception as error:
            results.append((name, "failed: %s" % type(error).__name__, None, None))
            continue
        stats = ulp_stats(flat(got), flat(true))
        wrong = sum(1 for g, t in zip(flat(got), flat(true))
                    if not (g == t or (g != g and t != t)))
        worst = None
        for got_row, exact_row in zip(got, exact):
            for g, (value, magnitude) in zip(got_row, exact_row):
                if g - g != 0.0 or magnitude < SMALLEST_NORMAL_OVER_U:
                    continue
                error = float(abs(Fraction(g) - value) / (U * magnitude))
                worst = error if worst is None else max(worst, error)
        results.append((name, stats, wrong, worst))
    return results


def activation_cases(rng, quick):
    """``(title, op, inputs)`` for each sigmoid and softmax row of the table, drawn from ``rng``.

    Taken in order, as ``main`` does, after ``RandomState(5)`` (the default
    ``--seed``); ``tests/test_doc_figures.py`` recomputes nnref's column of
    docs/accuracy-and-speed.md from the same inputs.
    """
    samples = 2000 if quick else 20000
    rows = 200 if quick else 2000
    yield "sigmoid, x ~ N(0,1)", "sigmoid", rng.randn(samples)
    yield ("sigmoid, x ~ U(-750, 750)", "sigmoid",
           [1500.0 * v - 750.0 for v in rng.random_sample(samples)])
    yield ("softmax, rows of 10, x ~ N(0, 30)", "softmax",
           [[30.0 * v for v in row] for row in rng.randn(rows, 10)])
    yield ("softmax, rows of 10, x ~ U(-750, 750)", "softmax",
           [[1500.0 * v - 750.0 for v in row] for row in rng.random_sample((rows, 10))])


def dense_cases(rng, quick):
    """``(name, inputs, weights, biases)`` for each kind of dense data."""
    n, k, m = (16, 128, 16) if quick else (64, 128, 64)
    yield ("random N(0,1), %dx%d @ %dx%d" % (n, k, k, m),
           rng.randn(n, k), rng.randn(k, m), rng.randn(m))
    # Ill-conditioned: each row carries cancelling pairs 1e10..1e20 times its other terms.
    rows = []
    for row in rng.randn(n, 24):
        big = [v * 10.0 ** (10 + 10 * abs(u)) for v, u in zip(row[:6], row[6:12])]
        rows.append(row[12:] + big + [-v for v in big])
    w = rng.randn(24, m)
    w = w[:12] + w[12:18] + w[12:18]
    yield "ill-conditioned (condition >= 1e10)", rows, w, rng.randn(m)
    huge = [[math.ldexp(v, 1000) for v in row] for row in rng.randn(n, 8)]
    huge = [row + [-v for v in row[:4]] for row in huge]
    hw = rng.randn(12, m)
    hw = hw[:8] + hw[:4]
    yield "huge (|x| ~ 2**1000), cancelling pairs", huge, hw, [0.0] * m
    tiny_x = [[math.ldexp(v, -530) for v in row] for row in rng.randn(n, 16)]
    tiny_w = [[math.ldexp(v, -535) for v in row] for row in rng.randn(16, m)]
    yield "tiny (products ~ 1e-320)", tiny_x, tiny_w, [0.0] * m
    sub_x = [[v * 5e-324 * 2 ** 40 for v in row] for row in rng.randn(n, 16)]
    yield "subnormal inputs", sub_x, rng.randn(16, m), [math.ldexp(v, -1060) for v in rng.randn(m)]
    c = rng.randn(n, 16)
    cw = rng.randn(16, m)
    yield ("cancelling (x, -x pairs, weights repeated)", [row + [-v for v in row] for row in c],
           cw + cw, [0.0] * m)


def show(title, results):
    print()
    print("%s: max / mean ULP" % title)
    for name, stats in results:
        if isinstance(stats, str):
            print("  %-15s %s" % (name, stats))
        else:
            print("  %-15s %-8d %.3g" % (name, stats[0], stats[1]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", RuntimeWarning)   # the peers' exp overflows, on purpose
    if numpy is not None:
        numpy.seterr(all="ignore")
    rng = nnref.RandomState(args.seed)
    print("Python %s (%s); reference: %s" % (
        platform.python_version(), platform.python_implementation(),
        "mpmath %s at 60 digits" % mpmath.__version__ if mpmath else "nnref.exact"))
    print("nnref %s; NumPy %s; PyTorch %s; ONNX %s" % (
        getattr(nnref, "__version__", "?"),
        numpy.__version__ if numpy else "-", torch.__version__ if torch else "-",
        onnx.__version__ if onnx else "-"))

    for title, op, inputs in activation_cases(rng, args.quick):
        if op == "sigmoid":
            show(title, measure_elementwise("sigmoid", inputs, true_sigmoid(inputs)))
        else:
            show(title, measure_softmax(inputs, true_softmax(inputs)))

    for title, inputs, weights, biases in dense_cases(rng, args.quick):
        print()
        print("dense, %s: max / mean ULP, not correctly rounded, max |err| / (u (|x|.|W| + |b|))"
              % title)
        for name, stats, wrong, worst in measure_dense(inputs, weights, biases):
            if isinstance(stats, str):
                print("  %-15s %s" % (name, stats))
            else:
                print("  %-15s %-12.4g %-8.3g %-6d %s" % (name, stats[0], stats[1], wrong,
                                                       "-" if worst is None else "%.3g" % worst))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
