"""``nnref/_chapter.py``: the chapter's examples are the book's, and its forward pass is the chapter's.

The expected values come from the book's text (the constants), from NumPy
and nnfs (the recorded spiral data and the draws after it), and from exact
rational arithmetic (the dense outputs); none from nnref.
"""

import json
import math
import os
from fractions import Fraction

import nnref
from nnref import _chapter
from nnref.rng import RandomState

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def test_the_examples_are_the_books():
    # Chapter 4's activation and softmax examples, as the book writes them.
    assert _chapter.RELU_INPUTS == [0, 2, -1, 3.3, -2.7, 1.1, 2.2, -100]
    assert _chapter.SOFTMAX_INPUTS == [4.8, 1.21, 2.385]
    assert _chapter.SOFTMAX_BATCH == [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]
    # The batch of three through the book's two layers of three neurons.
    assert _chapter.INPUTS == [[1, 2, 3, 2.5], [2.0, 5.0, -1.0, 2.0], [-1.5, 2.7, 3.3, -0.8]]
    assert _chapter.WEIGHTS == [[0.2, 0.8, -0.5, 1], [0.5, -0.91, 0.26, -0.5],
                                [-0.26, -0.27, 0.17, 0.87]]
    assert _chapter.BIASES == [2, 3, 0.5]
    assert _chapter.WEIGHTS2 == [[0.1, -0.14, 0.5], [-0.5, 0.12, -0.33], [-0.44, 0.73, -0.13]]
    assert _chapter.BIASES2 == [-1, 2, -0.5]


def _exact_dense(inputs, weights_t, biases):
    # The book's np.dot(inputs, np.array(weights).T) + biases, exactly, rounded once.
    return [[float(sum(Fraction(x) * Fraction(w) for x, w in zip(row, neuron)) + Fraction(b))
             for neuron, b in zip(weights_t, biases)] for row in inputs]


def test_the_books_two_layers_give_the_exact_outputs():
    first = nnref.dense(_chapter.INPUTS, nnref.matrix.transpose(_chapter.WEIGHTS), _chapter.BIASES)
    assert first == _exact_dense(_chapter.INPUTS, _chapter.WEIGHTS, _chapter.BIASES)
    # The book prints these (rounded): [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]].
    assert [[round(v, 6) for v in row] for row in first] == _chapter.SOFTMAX_BATCH
    second = nnref.dense(first, nnref.matrix.transpose(_chapter.WEIGHTS2), _chapter.BIASES2)
    # The book's printed layer-2 outputs.
    assert [[round(v, 5) for v in row] for row in second] == [
        [0.5031, -1.04185, -2.03875], [0.2434, -2.7332, -5.7633], [-0.99314, 1.41254, -0.35655]]


def _spiral_case(samples, classes, seed):
    with open(os.path.join(FIXTURES, "datasets_float64.json")) as handle:
        cases = json.load(handle)["spiral"]
    return [c for c in cases if (c["samples"], c["classes"], c["seed"]) == (samples, classes, seed)][0]


def test_forward_pass_draws_in_the_books_order():
    case = _spiral_case(100, 3, 0)
    run = _chapter.forward_pass(100, 3, rng=RandomState(0))
    assert [[v.hex() for v in row] for row in run["X"]] == case["X"]
    assert run["y"] == case["y"]
    # Dense(2, 3)'s weights are 0.01 * the next randn draws after the data (NumPy's values).
    assert [v.hex() for v in run["dense1"].weights[0]] == [
        (0.01 * float.fromhex(h)).hex() for h in case["after_randn3"]]
    assert run["dense1"].biases == run["dense2"].biases == [[0.0, 0.0, 0.0]]
    assert (len(run["dense2"].weights), len(run["dense2"].weights[0])) == (3, 3)


def test_forward_pass_runs_dense_relu_dense_softmax():
    run = _chapter.forward_pass(20, 3, rng=RandomState(5))
    d1, d2 = run["dense1"], run["dense2"]
    transposed = [list(c) for c in zip(*d1.weights)]
    assert d1.output == _exact_dense(run["X"], transposed, d1.biases[0])
    assert run["activation1"].output == [[v if v > 0 else 0.0 for v in row] for row in d1.output]
    transposed = [list(c) for c in zip(*d2.weights)]
    assert d2.output == _exact_dense(run["activation1"].output, transposed, d2.biases[0])
    for row, probs in zip(d2.output, run["activation2"].output):
        e = [math.exp(v - max(row)) for v in row]
        expected = [v / math.fsum(e) for v in e]
        # Within a few rounding errors (4 ULP) of the plain formula.
        assert all(abs(p - q) <= 4 * 2.0 ** -52 * q for p, q in zip(probs, expected)), (probs, expected)


def test_forward_pass_without_rng_draws_from_the_default_generator():
    nnref.seed(0)
    try:
        run = _chapter.forward_pass()
        again = _chapter.forward_pass(rng=RandomState(0))
        assert run["X"] == again["X"] and run["activation2"].output == again["activation2"].output
    finally:
        nnref.seed(0)


def test_predict_is_the_same_network_and_leaves_the_layers_alone():
    run = _chapter.forward_pass(10, 3, rng=RandomState(1))
    outputs = [run[k].output for k in ("dense1", "activation1", "dense2", "activation2")]
    assert _chapter.predict(run, run["X"]) == run["activation2"].output
    grid = [[-1.0, 1.0], [0.5, 0.25]]
    probs = _chapter.predict(run, grid)
    assert len(probs) == 2 and all(abs(sum(p) - 1.0) < 1e-15 for p in probs)
    assert [run[k].output for k in ("dense1", "activation1", "dense2", "activation2")] == outputs
    assert grid == [[-1.0, 1.0], [0.5, 0.25]]
