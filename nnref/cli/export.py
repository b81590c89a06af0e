"""``python -m nnref data ...`` and ``python -m nnref book ch4``: data for ports.

People porting the book to other languages need the exact data sets and the
exact intermediate results to check their ports against.  Two commands write
them, deterministically, to standard output or to ``--out FILE``::

    python -m nnref data spiral --samples 100 --classes 3 [--seed 0] [--float32]
                                [--format csv|json] [--header] [--out FILE]
    python -m nnref data vertical ...      (same options)
    python -m nnref data sine [--samples 1000] ...
    python -m nnref book ch4 [--format json] [--out FILE]
    python -m nnref book ch9 [--format json] [--out FILE]

Every value is written as ``repr(float(v))``, the shortest text that reads
back as the same float64, so nothing is lost: a float32 value is written as
its exact float64 value (``0.00011395361070754007``).  The JSON gives
``float.hex()`` of every value beside it (``"X_hex"`` beside ``"X"``), so a
port can compare bit patterns.  CSV rows are ``x0,x1,label`` (sine:
``x,y``), with the header line only when ``--header`` is given.

``--float32`` gives the data as after ``nnfs.init()`` (``nnref.book``);
without it, plain NumPy float64 (``nnref.datasets``).  ``sine_data`` is
float64 either way, as in nnfs.  ``book ch4`` is the book's chapter-4 run in
float32, every step from ``X`` to the softmax output (see
``nnref.book.chapter4``); ``book ch9`` the chapter-9 run, the same steps,
then the loss, the accuracy and every gradient of the backward pass
(``dense1_dweights``, ``dense1_dbiases``, ``dense1_dinputs``, ...; see
``nnref.book.chapter9``).  Labels and predictions are JSON integers; the
accuracy is a float64 (``np.mean`` of booleans), every other value float32.

Limits: ``--samples``, ``--classes`` and their product, the number of
points, are each at most ``MAX_POINTS`` (10**7, about 2 GB of memory and a
few minutes); anything more is refused before any work is done.  The output
is written as it is formatted, so it needs little memory beyond the data set.

``--out FILE`` replaces FILE if it exists; its folder must exist and FILE
must not be a folder (``nnref/cli/_usage.py``).

Exit codes: 0 on success, 2 for a usage error (unknown data set, bad option
or value, a size past the limit), 1 when the output cannot be written.
"""

import json

from .. import book, datasets
from .._base.formats import float_hex
from ..rng import RandomState
from ._usage import (cannot_write, count, error, output_problem, parser as _parser,
                     write_output)

#: The most points ``data`` writes: ``--samples`` x ``--classes``, and each of the two.
MAX_POINTS = 10 ** 7
_DEFAULT_SAMPLES = {"spiral": 100, "vertical": 100, "sine": 1000}
_DEFAULT_CLASSES = 3
_OUT_HELP = ("write to this file instead of standard output (replaced if it exists; "
             "its folder must exist)")
# Rows per chunk of output: small writes, so that a reader that goes away
# (| head -1) is noticed at the next one.
_ROWS_PER_CHUNK = 200


def _data_parser():
    parser = _parser("data", "Write one of the book's data sets as CSV or JSON.",
                     epilog="At most %d points (--samples times --classes); "
                            "exit status 0 success, 1 output not written, 2 usage error."
                            % MAX_POINTS)
    parser.add_argument("dataset", choices=["spiral", "vertical", "sine"],
                        help="the data set (spiral_data, vertical_data, sine_data)")
    parser.add_argument("--samples", type=count(MAX_POINTS), default=None,
                        help="points per class (sine: points; default 100, sine 1000)")
    parser.add_argument("--classes", type=count(MAX_POINTS), default=None,
                        help="number of classes (spiral and vertical; default 3)")
    parser.add_argument("--seed", type=int, default=0,
                        help="generator seed, 0 to 2**32 - 1 (default 0)")
    parser.add_argument("--float32", action="store_true",
                        help="float32 values as after nnfs.init() (default: float64)")
    parser.add_argument("--format", choices=["csv", "json"], default="csv",
                        help="csv (default) or json")
    parser.add_argument("--header", action="store_true", help="CSV: write a header line")
    parser.add_argument("--out", default=None, metavar="FILE", help=_OUT_HELP)
    return parser


def _book_parser():
    parser = _parser("book", "Write every intermediate of the book's chapter-4 run (ch4), or "
                             "every intermediate and gradient of its chapter-9 run (ch9).",
                     epilog="Exit status 0 success, 1 output not written, 2 usage error.")
    parser.add_argument("chapter", choices=sorted(_CHAPTERS),
                        help="the chapter: ch4 (forward pass) or ch9 (loss, accuracy, backward pass)")
    parser.add_argument("--format", choices=["json"], default="json", help="json (the default)")
    parser.add_argument("--out", default=None, metavar="FILE", help=_OUT_HELP)
    return parser


def _hexes(value):
    if isinstance(value, list):
        return [_hexes(v) for v in value]
    return float_hex(float(value))


def _floats(value):
    if isinstance(value, list):
        return [_floats(v) for v in value]
    return float(value)


def _chunks(items, size=_ROWS_PER_CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _json_value(value, convert):
    # json.dumps writes a float as repr(float); rows of a batch go one per line.
    # Written a chunk of rows (or of values) at a time, the same text as
    # json.dumps of the whole list.
    if isinstance(value, list) and value and isinstance(value[0], list):
        separator = "[\n"
        for rows in _chunks(value):
            yield separator + ",\n".join("    " + json.dumps(convert(row)) for row in rows)
            separator = ",\n"
        yield "\n  ]"
    elif isinstance(value, list) and value:
        separator = "["
        for values in _chunks(value, 10 * _ROWS_PER_CHUNK):
            yield separator + json.dumps(convert(values))[1:-1]
            separator = ", "
        yield "]"
    else:
        yield json.dumps(convert(value))


def _same(value):
    return value


def _json_document(pairs):
    # pairs: (key, value, convert) in the order to write them; convert(part of value)
    # gives what json writes for it.
    yield "{\n"
    separator = ""
    for key, value, convert in pairs:
        yield "%s  %s: " % (separator, json.dumps(key))
        for chunk in _json_value(value, convert):
            yield chunk
        separator = ",\n"
    yield "\n}\n"


def _sizes(args):
    """``(samples, classes)`` with the defaults filled in (classes None for sine), within the limit.

    Each of the two is at most ``MAX_POINTS`` already (``count``); this checks
    the points they make together, before any work.
    """
    samples = _DEFAULT_SAMPLES[args.dataset] if args.samples is None else args.samples
    if args.dataset == "sine":
        if args.classes is not None:
            raise ValueError("sine has no classes (--classes)")
        return samples, None
    classes = _DEFAULT_CLASSES if args.classes is None else args.classes
    if samples * classes > MAX_POINTS:
        raise ValueError("--samples %d times --classes %d is %d points; at most %d"
                         % (samples, classes, samples * classes, MAX_POINTS))
    return samples, classes


def _build_data(args, samples, classes):
    name = args.dataset
    if name == "sine":
        X, y = datasets.sine_data(samples)
        return {
            "pairs": [("dataset", name), ("samples", samples), ("dtype", "float64"),
                      ("columns", ["x", "y"])],
            "columns": ["x", "y"],
            "rows": (X, y, lambda x, v: (x[0], v[0], ())),
            "arrays": [("X", [row[0] for row in X]), ("y", [row[0] for row in y])],
            "labels": None,
        }
    rng = RandomState(args.seed)
    module = book if args.float32 else datasets
    make = getattr(module, name + "_data")
    X, y = make(samples, classes, rng=rng)
    return {
        "pairs": [("dataset", name), ("samples", samples), ("classes", classes),
                  ("seed", args.seed), ("dtype", "float32" if args.float32 else "float64"),
                  ("columns", ["x0", "x1", "label"])],
        "columns": ["x0", "x1", "label"],
        "rows": (X, y, lambda x, label: (x[0], x[1], (label,))),
        "arrays": [("X", X)],
        "labels": y,
    }


def _data_csv(data, header):
    if header:
        yield ",".join(data["columns"]) + "\n"
    first, second, split = data["rows"]
    for start in range(0, len(first), _ROWS_PER_CHUNK):
        end = start + _ROWS_PER_CHUNK
        lines = []
        for a, b in zip(first[start:end], second[start:end]):
            u, v, labels = split(a, b)
            lines.append(",".join([repr(float(u)), repr(float(v))] + ["%d" % n for n in labels])
                         + "\n")
        yield "".join(lines)


def _data_json(data):
    pairs = [(key, value, _same) for key, value in data["pairs"]]
    pairs.append(("format", "each value is repr(float(v)); *_hex holds float.hex() of it", _same))
    for key, values in data["arrays"]:
        pairs.append((key, values, _floats))
        pairs.append((key + "_hex", values, _hexes))
    if data["labels"] is not None:
        pairs.append(("y", data["labels"], list))
    return _json_document(pairs)


# chapter -> (the run, its steps, the chapter number, notes beside the format's)
_CHAPTERS = {
    "ch4": (book.chapter4, book.CHAPTER4_STEPS, 4, []),
    "ch9": (book.chapter9, book.CHAPTER9_STEPS, 9,
            [("loss_log", "math.log rounded to float32 (NumPy's SIMD float32 log differs "
                          "in the last bit on some values)"),
             ("accuracy_dtype", "float64, as np.mean of the booleans predictions == y")]),
}
_INTEGER_STEPS = ("y", "predictions")


def _book_json(chapter="ch4"):
    chapter_run, steps, number, notes = _CHAPTERS[chapter]
    run = chapter_run()
    pairs = [
        ("run", "Neural Networks from Scratch, chapter %d, after nnfs.init()" % number),
        ("dtype", "float32"), ("seed", 0), ("steps", list(steps)),
        ("format", "each value is repr(float(v)) of the float32 value; *_hex holds "
                   "float.hex() of it"),
        ("softmax_exp", "math.exp rounded to float32, as the book's NumPy (before 1.19)"),
    ] + notes
    pairs = [(key, value, _same) for key, value in pairs]
    for key in steps:
        if key in _INTEGER_STEPS:
            pairs.append((key, run[key], list))
            continue
        pairs.append((key, run[key], _floats))
        pairs.append((key + "_hex", run[key], _hexes))
    return _json_document(pairs)


def main(argv):
    """Run ``data ...`` or ``book ...`` (``argv`` starts with the command); return the exit code.

    An argument argparse rejects (or ``--help``) raises ``SystemExit`` from
    the parser, which ``nnref.cli.main`` returns as the status; a value the
    library rejects, or a size past ``MAX_POINTS``, returns 2, in the same
    style; an ``--out`` that cannot be written returns 1, before any work.
    """
    command, rest = argv[0], list(argv[1:])
    parser = _data_parser() if command == "data" else _book_parser()
    args = parser.parse_args(rest)
    if command == "data":
        try:
            sizes = _sizes(args)
        except ValueError as exc:
            return error(command, str(exc), parser.format_usage())
    if args.out is not None:
        problem = output_problem(args.out)
        if problem is not None:
            return cannot_write(command, args.out, problem)
    if command == "data":
        try:
            data = _build_data(args, *sizes)
        except (TypeError, ValueError) as exc:     # sizes or seed rejected by the library
            return error(command, str(exc), parser.format_usage())
        chunks = _data_json(data) if args.format == "json" else _data_csv(data, args.header)
    else:
        chunks = _book_json(args.chapter)
    return write_output(command, args.out, chunks)
