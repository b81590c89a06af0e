"""The tour's printed values (nnref/cli/tour.py), computed here without nnref.

The activation lines are checked against values worked out with ``decimal``
and ``fractions`` (each correctly rounded to float64, then shown by ``repr``);
the forward pass's rows against what is known of them without running the
network (the first spiral point is the origin, so its ReLU row is zeros and
its softmax row a third each) and against the book's printed float32 rows
(the float64 run differs from them by float32 rounding only); the book-mode
block is the book's own printed text.
"""

import ast
import io
from decimal import Decimal, localcontext
from fractions import Fraction

import nnref
from nnref.cli import tour
from book_text import BOOK_RELU, BOOK_SOFTMAX
from support import ulps

SIGMOID_ULPS = 2               # sigmoid is documented within 2 ULP of the true value

RELU_INPUTS = [0, 2, -1, 3.3, -2.7, 1.1, 2.2, -100]          # the book's ReLU example
SOFTMAX_INPUTS = [4.8, 1.21, 2.385]
SOFTMAX_BATCH = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]



def _sigmoid(x):
    with localcontext() as ctx:
        ctx.prec = 60
        return float(1 / (1 + (-Decimal(x)).exp()))


def _softmax(row):
    with localcontext() as ctx:
        ctx.prec = 60
        exps = [Decimal(v).exp() for v in row]
        total = sum(exps)
        return [float(e / total) for e in exps]


def expected_head():
    # (label, value, ULPs allowed): softmax is documented within 4 ULP of the true value.
    return [
        ("inputs", RELU_INPUTS, 0),
        ("step(inputs)", [1.0 if x > 0 else 0.0 for x in RELU_INPUTS], 0),
        ("linear(inputs)", [float(x) for x in RELU_INPUTS], 0),
        ("relu(inputs)", [float(max(x, 0)) for x in RELU_INPUTS], 0),
        ("sigmoid(inputs)", [_sigmoid(x) for x in RELU_INPUTS], SIGMOID_ULPS),
        ("softmax(%r)" % (SOFTMAX_INPUTS,), _softmax(SOFTMAX_INPUTS), 4),
        ("matrix.sum(batch, axis=1, keepdims=True)", [[float(sum(map(Fraction, row)))] for row in SOFTMAX_BATCH], 0),
        ("softmax(batch)", [_softmax(row) for row in SOFTMAX_BATCH], 4),
    ]


def _flat(value):
    if isinstance(value, list):
        return [x for v in value for x in _flat(v)]
    return [value]


def _shape(value):
    return [_shape(v) for v in value] if isinstance(value, list) else type(value).__name__


def _tour_text():
    out = io.StringIO()
    tour.walk_through(out)
    return out.getvalue()


def _parse_rows(lines, title):
    start = lines.index(title) + 1
    return [[float(v) for v in line.strip(" []").split(", ")] for line in lines[start:start + 5]]


def _parse_book(block):
    return [[float(v) for v in line.strip(" []").split()] for line in block.splitlines()]


def test_the_activation_lines():
    text = _tour_text()
    head = "nnref %s: chapter 4 of Neural Networks from Scratch, in pure Python\n\n" % nnref.__version__
    assert text.startswith(head)
    lines = text[len(head):].splitlines()
    for n, (label, value, allowed) in enumerate(expected_head()):
        assert lines[2 * n] == label
        assert lines[2 * n + 1].startswith("    ")
        shown = ast.literal_eval(lines[2 * n + 1].strip())
        assert _shape(shown) == _shape(value), label
        for got, want in zip(_flat(shown), _flat(value)):
            assert ulps(got, want) <= allowed, (label, got, want)
    assert lines[2 * len(expected_head())] == ""
    assert lines[2 * len(expected_head()) + 1] == "The chapter's forward pass (float64, nnref.seed(0)):"


def test_the_float64_forward_pass_rows():
    text = _tour_text()
    lines = text.splitlines()
    assert "X: 300 samples of 2 features, 3 classes; Dense(n_inputs=2, n_neurons=3) -> ReLU(output shape " \
        "(300, 3)) -> Dense(n_inputs=3, n_neurons=3) -> Softmax(output shape (300, 3))" in lines
    relu = _parse_rows(lines, "ReLU output (first 5 of 300 rows)")
    soft = _parse_rows(lines, "Softmax output (first 5 of 300 rows)")
    assert relu[0] == [0.0, 0.0, 0.0]
    assert soft[0] == [0.33333333] * 3
    for row64, row32 in zip(relu + soft, _parse_book(BOOK_RELU) + _parse_book(BOOK_SOFTMAX)):
        for a, b in zip(row64, row32):
            assert abs(a - b) <= 3e-8, (row64, row32)
    for row in soft:
        assert abs(sum(row) - 1.0) <= 3e-8
    for row in relu:
        assert min(row) >= 0.0


def test_the_book_mode_block_is_the_books_text():
    text = _tour_text()
    assert text.endswith("\n\nBook mode (nnref.book: float32, as after nnfs.init()):\n"
                         ">>> print(activation1.output[:5])\n" + BOOK_RELU + "\n"
                         ">>> print(activation2.output[:5])\n" + BOOK_SOFTMAX + "\n")


def test_the_tour_writes_to_its_stream_and_defaults_to_stdout(capsys):
    text = _tour_text()
    assert capsys.readouterr().out == ""                 # all of it went to the stream
    tour.walk_through()
    assert capsys.readouterr().out == text


def test_main_runs_the_tour_and_returns_zero(capsys):
    text = _tour_text()
    capsys.readouterr()
    assert tour.main(["nnref"]) == 0
    assert capsys.readouterr().out == text
    assert tour.main(["nnref", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: python -m nnref [tour] [-h]\n")
    assert tour.main(["nnref", "extra"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith("nnref tour: error: unrecognized arguments: extra\n")
