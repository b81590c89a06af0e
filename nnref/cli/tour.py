"""``python -m nnref``: a walk through chapter 4, printed.

First the activations on the chapter's own inputs, then the chapter's
forward pass on the spiral data, Dense(2,3) -> ReLU -> Dense(3,3) -> Softmax,
in float64 with nnref's default generator seeded with 0.
"""

import sys

import nnref
from ._usage import error


def _show(label, value, out):
    out.write("%s\n    %r\n" % (label, value))


def _rows(label, rows, count, out):
    out.write("%s (first %d of %d rows)\n" % (label, min(count, len(rows)), len(rows)))
    for row in rows[:count]:
        out.write("    [%s]\n" % ", ".join("%.8f" % v for v in row))


def walk_through(out=None):
    """Print the chapter's examples and its spiral forward pass to ``out`` (stdout)."""
    out = sys.stdout if out is None else out
    out.write("nnref %s: chapter 4 of Neural Networks from Scratch, in pure Python\n\n"
              % nnref.__version__)

    inputs = [0, 2, -1, 3.3, -2.7, 1.1, 2.2, -100]
    _show("inputs", inputs, out)
    for name in ("step", "linear", "relu", "sigmoid"):
        _show("%s(inputs)" % name, getattr(nnref, name)(inputs), out)
    layer_outputs = [4.8, 1.21, 2.385]
    _show("softmax(%r)" % (layer_outputs,), nnref.softmax(layer_outputs), out)
    batch = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]
    _show("matrix.sum(batch, axis=1, keepdims=True)",
          nnref.matrix.sum(batch, axis=1, keepdims=True), out)
    _show("softmax(batch)", nnref.softmax(batch), out)

    out.write("\nThe chapter's forward pass (float64, nnref.seed(0)):\n")
    nnref.seed(0)
    X, y = nnref.datasets.spiral_data(samples=100, classes=3)
    dense1 = nnref.Dense(2, 3)
    activation1 = nnref.ReLU()
    dense2 = nnref.Dense(3, 3)
    activation2 = nnref.Softmax()
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    activation2.forward(dense2.output)
    out.write("X: %d samples of 2 features, %d classes; %r -> %r -> %r -> %r\n"
              % (len(X), len(set(y)), dense1, activation1, dense2, activation2))
    _rows("ReLU output", activation1.output, 5, out)
    _rows("Softmax output", activation2.output, 5, out)

    # The same run in book mode (float32, as after nnfs.init()): the book's
    # printed rows, byte for byte.
    from nnref import book
    out.write("\n")
    book.print_chapter4(file=out)


_USAGE = "usage: python -m nnref [tour] [-h]"
_HELP = _USAGE + """

Walk through chapter 4: the activations on the chapter's inputs, then its
forward pass on the spiral data in float64 and in book mode (float32).

options:
  -h, --help  show this help message and exit"""


def main(argv=None):
    """Entry point for ``python -m nnref`` and ``python -m nnref tour``; returns the exit code.

    Parsed by hand: MicroPython, which runs the tour, has no ``argparse``.
    """
    args = list(argv[1:] if argv else [])
    if args and args[0] in ("-h", "--help"):
        print(_HELP)
        return 0
    if args:
        return error("tour", "unrecognized arguments: %s" % " ".join(args), _USAGE)
    walk_through()
    return 0
