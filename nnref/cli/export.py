"""``python -m nnref data ...`` and ``python -m nnref book ch4``: data for ports.

People porting the book to other languages need the exact data sets and the
exact intermediate results to check their ports against.  Two commands write
them, deterministically, to standard output or to ``--out FILE``::

    python -m nnref data spiral --samples 100 --classes 3 [--seed 0] [--float32]
                                [--format csv|json] [--header] [--out FILE]
    python -m nnref data vertical ...      (same options)
    python -m nnref data sine [--samples 1000] ...
    python -m nnref book ch4 [--format json] [--out FILE]

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
``nnref.book.chapter4``).

Exit codes: 0 on success, 2 for a usage error (unknown data set, bad option
or value), 1 when the output file cannot be written.
"""

import json
import sys

from .. import book, datasets
from .._base.formats import float_hex
from ..rng import RandomState
from ._usage import error, io_error, parser as _parser

_DEFAULT_SAMPLES = {"spiral": 100, "vertical": 100, "sine": 1000}
_DEFAULT_CLASSES = 3


def _data_parser():
    parser = _parser("data", "Write one of the book's data sets as CSV or JSON.")
    parser.add_argument("dataset", choices=["spiral", "vertical", "sine"])
    parser.add_argument("--samples", type=int, default=None,
                        help="points per class (sine: points; default 100, sine 1000)")
    parser.add_argument("--classes", type=int, default=None,
                        help="number of classes (spiral and vertical; default 3)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--float32", action="store_true",
                        help="float32 values as after nnfs.init() (default: float64)")
    parser.add_argument("--format", choices=["csv", "json"], default="csv")
    parser.add_argument("--header", action="store_true", help="CSV: write a header line")
    parser.add_argument("--out", default=None, help="write to this file instead of stdout")
    return parser


def _book_parser():
    parser = _parser("book", "Write every intermediate of the book's chapter-4 run.")
    parser.add_argument("chapter", choices=["ch4"])
    parser.add_argument("--format", choices=["json"], default="json")
    parser.add_argument("--out", default=None, help="write to this file instead of stdout")
    return parser


def _hexes(value):
    if isinstance(value, list):
        return [_hexes(v) for v in value]
    return float_hex(float(value))


def _floats(value):
    if isinstance(value, list):
        return [_floats(v) for v in value]
    return float(value)


def _json_value(value):
    # json.dumps writes a float as repr(float); rows of a batch go one per line.
    if isinstance(value, list) and value and isinstance(value[0], list):
        return "[\n" + ",\n".join("    " + json.dumps(row) for row in value) + "\n  ]"
    return json.dumps(value)


def _json_document(pairs):
    # pairs: (key, value) in the order to write them.
    body = ",\n".join("  %s: %s" % (json.dumps(key), _json_value(value)) for key, value in pairs)
    return "{\n" + body + "\n}\n"


def _build_data(args):
    name = args.dataset
    samples = _DEFAULT_SAMPLES[name] if args.samples is None else args.samples
    if name == "sine":
        if args.classes is not None:
            raise ValueError("sine has no classes (--classes)")
        X, y = datasets.sine_data(samples)
        return {
            "pairs": [("dataset", name), ("samples", samples), ("dtype", "float64"),
                      ("columns", ["x", "y"])],
            "columns": ["x", "y"],
            "rows": [[x[0], v[0]] for x, v in zip(X, y)],
            "arrays": [("X", [row[0] for row in X]), ("y", [row[0] for row in y])],
            "labels": None,
        }
    classes = _DEFAULT_CLASSES if args.classes is None else args.classes
    rng = RandomState(args.seed)
    module = book if args.float32 else datasets
    make = getattr(module, name + "_data")
    X, y = make(samples, classes, rng=rng)
    return {
        "pairs": [("dataset", name), ("samples", samples), ("classes", classes),
                  ("seed", args.seed), ("dtype", "float32" if args.float32 else "float64"),
                  ("columns", ["x0", "x1", "label"])],
        "columns": ["x0", "x1", "label"],
        "rows": [[a, b, label] for (a, b), label in zip(X, y)],
        "arrays": [("X", X)],
        "labels": y,
    }


def _data_csv(data, header):
    lines = [",".join(data["columns"])] if header else []
    for row in data["rows"]:
        cells = [repr(float(v)) for v in row[:2]] + ["%d" % v for v in row[2:]]
        lines.append(",".join(cells))
    return "".join(line + "\n" for line in lines)


def _data_json(data):
    pairs = list(data["pairs"])
    pairs.append(("format", "each value is repr(float(v)); *_hex holds float.hex() of it"))
    for key, values in data["arrays"]:
        pairs.append((key, _floats(values)))
        pairs.append((key + "_hex", _hexes(values)))
    if data["labels"] is not None:
        pairs.append(("y", list(data["labels"])))
    return _json_document(pairs)


def _book_json():
    run = book.chapter4()
    pairs = [
        ("run", "Neural Networks from Scratch, chapter 4, after nnfs.init()"),
        ("dtype", "float32"), ("seed", 0), ("steps", list(book.CHAPTER4_STEPS)),
        ("format", "each value is repr(float(v)) of the float32 value; *_hex holds "
                   "float.hex() of it"),
        ("softmax_exp", "math.exp rounded to float32, as the book's NumPy (before 1.19)"),
    ]
    for key in book.CHAPTER4_STEPS:
        if key == "y":
            pairs.append(("y", list(run["y"])))
            continue
        pairs.append((key, _floats(run[key])))
        pairs.append((key + "_hex", _hexes(run[key])))
    return _json_document(pairs)


def _write(text, path, command):
    if path is None:
        sys.stdout.write(text)
        return 0
    try:
        with open(path, "w", newline="") as f:
            f.write(text)
    except (IOError, OSError) as exc:
        return io_error(command, "cannot write %s: %s" % (path, exc))
    return 0


def main(argv):
    """Run ``data ...`` or ``book ...`` (``argv`` starts with the command); return the exit code.

    An argument argparse rejects (or ``--help``) raises ``SystemExit`` from
    the parser, which ``nnref.cli.main`` returns as the status; a value the
    library rejects returns 2, in the same style.
    """
    command, rest = argv[0], list(argv[1:])
    if command == "data":
        parser = _data_parser()
        args = parser.parse_args(rest)
        try:
            data = _build_data(args)
        except (TypeError, ValueError) as exc:     # sizes or seed rejected by the library
            return error(command, str(exc), parser.format_usage())
        text = _data_json(data) if args.format == "json" else _data_csv(data, args.header)
    else:
        args = _book_parser().parse_args(rest)
        text = _book_json()
    return _write(text, args.out, command)
