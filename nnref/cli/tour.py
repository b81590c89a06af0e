"""``python -m nnref``: a walk through chapter 4, printed.

First the activations on the chapter's own inputs, then the chapter's
forward pass on the spiral data, Dense(2,3) -> ReLU -> Dense(3,3) -> Softmax,
in float64 with nnref's default generator seeded with 0.
"""

import sys

import nnref
from .. import _chapter
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

    inputs = _chapter.RELU_INPUTS
    _show("inputs", inputs, out)
    for name in ("step", "linear", "relu", "sigmoid"):
        _show("%s(inputs)" % name, getattr(nnref, name)(inputs), out)
    layer_outputs = _chapter.SOFTMAX_INPUTS
    _show("softmax(%r)" % (layer_outputs,), nnref.softmax(layer_outputs), out)
    batch = _chapter.SOFTMAX_BATCH
    _show("matrix.sum(batch, axis=1, keepdims=True)",
          nnref.matrix.sum(batch, axis=1, keepdims=True), out)
    _show("softmax(batch)", nnref.softmax(batch), out)

    out.write("\nThe chapter's forward pass (float64, nnref.seed(0)):\n")
    nnref.seed(0)
    run = _chapter.forward_pass(samples=100, classes=3)
    out.write("X: %d samples of 2 features, %d classes; %r -> %r -> %r -> %r\n"
              % (len(run["X"]), len(set(run["y"])), run["dense1"], run["activation1"],
                 run["dense2"], run["activation2"]))
    _rows("ReLU output", run["activation1"].output, 5, out)
    _rows("Softmax output", run["activation2"].output, 5, out)

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
