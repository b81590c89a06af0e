"""``python -m nnref plot KIND``: the chapter's pictures as SVG, with the standard library only.

Kinds:

* ``activations`` -- step, linear, sigmoid and ReLU over [-4, 4], four panels;
* ``spiral [--samples N] [--classes K] [--seed S]`` -- the spiral data set,
  one ``<circle class="point class-C">`` per point, coloured by class;
* ``relu-pair [--w1 W] [--b1 B] [--w2 W] [--b2 B]`` -- the output of two
  chained ReLU neurons, ``relu(w2 * relu(w1 * x + b1) + b2)``, against ``x``,
  with the activation and deactivation points marked;
* ``softmax-regions [--seed S] [--samples N] [--grid G]`` -- the chapter's
  untrained Dense(2,3) -> ReLU -> Dense(3,3) -> Softmax over the plane,
  coloured by the winning class and shaded by confidence, with the spiral
  points on top.

Each writes ``--out FILE`` (default ``nnref-KIND.svg`` in the current folder)
and prints the path.  The same arguments always give the same bytes.
``--out FILE`` replaces FILE if it exists; its folder must exist and FILE
must not be a folder.

Limits, refused before any work with a usage error (exit status 2): at most
``MAX_POINTS`` (10**6) points and cells in a picture (spiral: ``--samples``
times ``--classes``; softmax-regions: 3 times ``--samples`` plus ``--grid``
squared), about 0.5 GB of memory and a 90 MB SVG at the limit; the ReLU
pair's ``--w1 --b1 --w2 --b2`` finite, and 0 or between 1e-6 and 1e6 in
magnitude (``WEIGHT_RANGE``), so that no product of two of them overflows
or underflows.
"""

import os

from . import svg as _svg
from ._usage import (cannot_write, count, error, number, output_problem,
                     parser as _usage_parser, write_output)
from .. import _chapter
from ..activations import linear, relu, sigmoid, step
from ..datasets import spiral_data
from ..layers import dense
from ..rng import RandomState

#: The most points and cells one picture may hold.
MAX_POINTS = 10 ** 6
#: The smallest and largest magnitude of a nonzero ReLU-pair parameter.
WEIGHT_RANGE = (1e-6, 1e6)

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
_INF = float("inf")


def class_colour(label):
    """The colour of class ``label`` (the palette repeats after 8 classes)."""
    return PALETTE[label % len(PALETTE)]


def _grid(low, high, count):
    # count evenly spaced values from low to high, both included.
    return [low + (high - low) * i / (count - 1) for i in range(count)]


# ---------------------------------------------------------------- activations

ACTIVATION_PANELS = [
    # name, function, y window, y ticks
    ("step", step, (-0.25, 1.25), [0.0, 0.5, 1.0]),
    ("linear", linear, (-4.5, 4.5), [-4.0, -2.0, 0.0, 2.0, 4.0]),
    ("sigmoid", sigmoid, (-0.25, 1.25), [0.0, 0.5, 1.0]),
    ("relu", relu, (-0.5, 4.5), [0.0, 1.0, 2.0, 3.0, 4.0]),
]
_TITLES = {"step": "Step", "linear": "Linear", "sigmoid": "Sigmoid", "relu": "ReLU"}


def activations_svg():
    """The four activation functions over [-4, 4], one labelled panel each."""
    fig = _svg.Figure(760, 580, title="nnref: the chapter 4 activation functions")
    xs = _grid(-4.0, 4.0, 161)
    for i, (name, function, ylim, yticks) in enumerate(ACTIVATION_PANELS):
        left = 70 + 380 * (i % 2)
        top = 40 + 280 * (i // 2)
        panel = fig.panel(left, top, 290, 200, (-4.0, 4.0), ylim, title=_TITLES[name],
                          xlabel="x", ylabel="%s(x)" % name, yticks=yticks)
        colour = PALETTE[i]
        css = "series %s" % name
        if name == "step":
            # Two pieces and the book's convention at the jump: step(0) == 0
            # (filled dot), the limit from the right is 1 (open dot).
            panel.polyline([(x, step(x)) for x in xs if x <= 0.0], css, colour)
            panel.polyline([(0.0, 1.0)] + [(x, step(x)) for x in xs if x > 0.0], css, colour)
            panel.circle(0.0, step(0.0), 3.5, "marker closed", colour)
            panel.circle(0.0, 1.0, 3.5, "marker open", "#ffffff", stroke=colour)
        else:
            panel.polyline(list(zip(xs, function(xs))), css, colour)
        panel.legend("%s(x)" % name, colour)
    return fig.to_svg()


# ---------------------------------------------------------------- spiral

def _spiral_panel(fig, title):
    panel = fig.panel(70, 50, 450, 450, (-1.1, 1.1), (-1.1, 1.1), title=title,
                      xlabel="X[:, 0]", ylabel="X[:, 1]",
                      xticks=[-1.0, -0.5, 0.0, 0.5, 1.0], yticks=[-1.0, -0.5, 0.0, 0.5, 1.0])
    return panel


def _spiral_points(panel, X, y, classes, outline):
    for (x0, x1), label in zip(X, y):
        panel.circle(x0, x1, 3, "point class-%d" % label, class_colour(label),
                     stroke=outline, extra=' stroke-width="0.6"' if outline != "none" else "")
    for label in range(classes):
        panel.legend("class %d" % label, class_colour(label), kind="dot")


def spiral_svg(samples=100, classes=3, seed=0):
    """The spiral data set ``spiral_data(samples, classes, RandomState(seed))``."""
    X, y = spiral_data(samples, classes, rng=RandomState(seed))
    fig = _svg.Figure(560, 560, title="nnref: spiral data")
    panel = _spiral_panel(fig, "spiral_data(samples=%d, classes=%d), seed %d"
                          % (samples, classes, seed))
    _spiral_points(panel, X, y, classes, "none")
    return fig.to_svg()


# ---------------------------------------------------------------- relu pair

def _positive_part(a, c):
    # The open set {x : a*x + c > 0} as (low, high); None if it is empty.
    if a > 0:
        return (-c / a, _INF)
    if a < 0:
        return (-_INF, -c / a)
    return (-_INF, _INF) if c > 0 else None


def relu_pair_points(w1, b1, w2, b2):
    """The (activation, deactivation) points of ``relu(w2 * relu(w1 * x + b1) + b2)``.

    The output varies with ``x`` exactly where both neurons are active:
    ``w1*x + b1 > 0`` and ``w2*(w1*x + b1) + b2 > 0``.  That set is an
    interval; reading left to right, the output starts changing at its left
    end (the activation point) and stops at its right end (the deactivation
    point).  An end that does not exist (the interval is unbounded or empty)
    is ``None``.

    >>> relu_pair_points(-1, 0.5, -2, 1)   # the chapter's pair
    (0.0, 0.5)
    >>> relu_pair_points(1, 0, 1, 0)       # active for every x > 0
    (0.0, None)
    """
    first = _positive_part(w1, b1)
    second = _positive_part(w2 * w1, w2 * b1 + b2)
    if first is None or second is None:
        return None, None
    low = max(first[0], second[0])
    high = min(first[1], second[1])
    if not low < high:
        return None, None
    low = None if low == -_INF else low + 0.0      # + 0.0 turns -0.0 into 0.0
    high = None if high == _INF else high + 0.0
    return low, high


def relu_pair_outputs(xs, w1, b1, w2, b2):
    """``(hidden, output)`` for the inputs ``xs``, computed with ``nnref.dense`` and ``nnref.relu``."""
    hidden = relu(dense([[x] for x in xs], [[w1]], [[b1]]))
    output = relu(dense(hidden, [[w2]], [[b2]]))
    return [h[0] for h in hidden], [o[0] for o in output]


def _kinks(w1, b1, w2, b2):
    # Where either neuron's pre-activation crosses zero: the graph's corners.
    points = []
    if w1 != 0:
        points.append(-b1 / w1)
        if w2 != 0:
            points.append(-(w2 * b1 + b2) / (w2 * w1))
    return points


def relu_pair_svg(w1=-1.0, b1=0.5, w2=-2.0, b2=1.0):
    """Two chained ReLU neurons, their output against the input, with the points marked."""
    activation, deactivation = relu_pair_points(w1, b1, w2, b2)
    marks = [p for p in (activation, deactivation) if p is not None]
    anchors = marks + [0.0]
    xlim = (min(anchors) - 1.0, max(anchors) + 1.0)
    # The lines are straight between corners, so the corners and the ends are enough.
    xs = sorted(set([xlim[0], xlim[1]] + [k for k in _kinks(w1, b1, w2, b2)
                                          if xlim[0] < k < xlim[1]]))
    hidden, output = relu_pair_outputs(xs, w1, b1, w2, b2)
    low = min([0.0] + hidden + output)
    high = max([1.0] + hidden + output)
    pad = 0.12 * (high - low)
    fig = _svg.Figure(640, 440, title="nnref: a pair of ReLU neurons")
    panel = fig.panel(70, 50, 520, 320, xlim, (low - pad, high + pad),
                      title="relu(%s * relu(%s * x + %s) + %s)"
                      % tuple(_svg.tick_label(v) for v in (w2, w1, b1, b2)),
                      xlabel="input x", ylabel="output")
    panel.polyline(list(zip(xs, hidden)), "series hidden", "#999999", width=1.5, dashed=True)
    panel.polyline(list(zip(xs, output)), "series output", PALETTE[0], width=2.5)
    panel.legend("output", PALETTE[0])
    panel.legend("first neuron h", "#999999")
    for name, x, colour in (("activation", activation, PALETTE[2]),
                            ("deactivation", deactivation, PALETTE[1])):
        if x is None:
            continue
        y = relu_pair_outputs([x], w1, b1, w2, b2)[1][0]
        panel.vline(x, "guide %s" % name, colour)
        panel.circle(x, y, 5, "marker %s" % name, colour)
        panel.text(x, y, "%s point x = %s" % (name, _svg.tick_label(x)), "label %s" % name,
                   anchor="middle", dy=-12 if name == "deactivation" else 22)
    return fig.to_svg()


# ---------------------------------------------------------------- softmax regions

def chapter_network(seed=0, samples=100):
    """The chapter's run from ``RandomState(seed)`` (``nnref._chapter.forward_pass``).

    Returns ``(X, y, forward)``, where ``forward(rows)`` gives the softmax
    outputs of its Dense(2,3) -> ReLU -> Dense(3,3) -> Softmax on ``rows``.
    """
    run = _chapter.forward_pass(samples, 3, rng=RandomState(seed))
    return run["X"], run["y"], lambda rows: _chapter.predict(run, rows)


def _mix(colour, t):
    # Blend white (t = 0) towards ``colour`` (t = 1); integer channels.
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#%02x%02x%02x" % tuple(int(round(255 + (c - 255) * t)) for c in rgb)


def region_cells(forward, grid, window=(-1.1, 1.1)):
    """``[(x0, x1, winner, confidence), ...]`` at the centres of a grid x grid raster over the window."""
    low, high = window
    size = (high - low) / grid
    centres = [low + size * (i + 0.5) for i in range(grid)]
    rows = [[x0, x1] for x1 in centres for x0 in centres]
    cells = []
    for (x0, x1), probs in zip(rows, forward(rows)):
        best = max(range(len(probs)), key=lambda k: probs[k])   # first index wins ties
        cells.append((x0, x1, best, probs[best]))
    return cells


def shade(confidence, low, high):
    """Where ``confidence`` lies between the lowest and highest in view, mapped to 0.25..1."""
    if high <= low:
        return 1.0
    return 0.25 + 0.75 * (confidence - low) / (high - low)


def softmax_regions_svg(seed=0, samples=100, grid=50):
    """The untrained chapter network over the plane, by winning class and relative confidence."""
    X, y, forward = chapter_network(seed, samples)
    cells = region_cells(forward, grid)
    low = min(c[3] for c in cells)
    high = max(c[3] for c in cells)
    fig = _svg.Figure(560, 580, title="nnref: softmax regions of the untrained chapter network")
    panel = _spiral_panel(fig, "Dense(2,3) \u2192 ReLU \u2192 Dense(3,3) \u2192 Softmax, seed %d" % seed)
    size = 2.2 / grid
    for x0, x1, best, confidence in cells:
        panel.rect(x0 - size / 2, x1 - size / 2, x0 + size / 2, x1 + size / 2,
                   "cell class-%d" % best, _mix(class_colour(best), shade(confidence, low, high)))
    _spiral_points(panel, X, y, 3, "#000000")
    panel.text(-1.1, -1.1, "shade: winning probability from %.6f (light) to %.6f (dark)"
               % (low, high), "note confidence", dy=52)
    return fig.to_svg()


# ---------------------------------------------------------------- command line

_EPILOG = ("At most %d points and cells in a picture; exit status 0 success, "
           "1 output not written, 2 usage error." % MAX_POINTS)


def _parser():
    """``(parser, {kind: sub-parser})``: each kind reports its usage errors with its own usage line."""
    parser = _usage_parser("plot", "Draw the chapter's pictures as SVG.", epilog=_EPILOG)
    kinds = parser.add_subparsers(dest="kind", metavar="KIND")
    kinds.required = True
    subs = {}

    def add(name, help_text):
        sub = kinds.add_parser(name, help=help_text, description=help_text[0].upper()
                               + help_text[1:] + ", as SVG.", epilog=_EPILOG)
        sub.add_argument("--out", metavar="FILE",
                         help="output file (default: nnref-%s.svg in the current folder; "
                              "replaced if it exists; its folder must exist)" % name)
        subs[name] = sub
        return sub

    add("activations", "step, linear, sigmoid and ReLU over [-4, 4]")
    samples = count(MAX_POINTS)
    sub = add("spiral", "the spiral data set")
    sub.add_argument("--samples", type=samples, default=100, help="points per class (default 100)")
    sub.add_argument("--classes", type=samples, default=3, help="number of classes (default 3)")
    sub.add_argument("--seed", type=int, default=0, help="generator seed, 0 to 2**32 - 1 (default 0)")
    sub = add("relu-pair", "two chained ReLU neurons, relu(w2 * relu(w1 * x + b1) + b2)")
    weight = number(WEIGHT_RANGE[1], WEIGHT_RANGE[0])
    for name, default in (("--w1", -1.0), ("--b1", 0.5), ("--w2", -2.0), ("--b2", 1.0)):
        sub.add_argument(name, type=weight, default=default, metavar="X",
                         help="%s (default %g; 0 or 1e-6 to 1e6 in magnitude)" % (name[2:], default))
    sub = add("softmax-regions", "the untrained network's softmax over the plane")
    sub.add_argument("--seed", type=int, default=0, help="generator seed, 0 to 2**32 - 1 (default 0)")
    sub.add_argument("--samples", type=samples, default=100,
                     help="spiral points per class, 3 classes (default 100)")
    sub.add_argument("--grid", type=count(1000), default=50,
                     help="cells along each side, 1 to 1000 (default 50)")
    return parser, subs


def _check_size(args):
    # Before any work: the points and cells the picture would hold.
    if args.kind == "spiral":
        points = args.samples * args.classes
        if points > MAX_POINTS:
            raise ValueError("--samples %d times --classes %d is %d points; at most %d"
                             % (args.samples, args.classes, points, MAX_POINTS))
    if args.kind == "softmax-regions":
        if args.grid < 1:
            raise ValueError("--grid must be at least 1")
        total = 3 * args.samples + args.grid ** 2
        if total > MAX_POINTS:
            raise ValueError("3 times --samples %d plus --grid %d squared is %d points and "
                             "cells; at most %d" % (args.samples, args.grid, total, MAX_POINTS))


def render(args):
    """The SVG text for parsed arguments."""
    if args.kind == "activations":
        return activations_svg()
    if args.kind == "spiral":
        return spiral_svg(args.samples, args.classes, args.seed)
    if args.kind == "relu-pair":
        return relu_pair_svg(args.w1, args.b1, args.w2, args.b2)
    return softmax_regions_svg(args.seed, args.samples, args.grid)


def main(argv):
    """Entry point for ``python -m nnref plot ...``; ``argv`` starts with ``"plot"``.

    An argument argparse rejects (or ``--help``) raises ``SystemExit`` from
    the parser, which ``nnref.cli.main`` returns as the status; a size past
    the limits, or a value the library rejects, returns 2, in the same style;
    an output path that cannot be written returns 1, before any drawing.
    """
    parser, subs = _parser()
    args = parser.parse_args(argv[1:])
    try:
        _check_size(args)
    except ValueError as exc:
        return error("plot", str(exc), subs[args.kind].format_usage())
    path = "nnref-%s.svg" % args.kind if args.out is None else args.out
    problem = output_problem(path)
    if problem is not None:
        return cannot_write("plot", path, problem)
    try:
        text = render(args)
    except (TypeError, ValueError) as exc:      # sizes or seed rejected by the library
        return error("plot", str(exc), subs[args.kind].format_usage())
    status = write_output("plot", path, [text])
    if status == 0:
        print(os.path.abspath(path))
    return status
