"""``python -m nnref vectors|check|crosscheck``: write, check and cross-check the conformance vectors.

* ``vectors --out DIR [--format json|lines] [--ops OP,...] [--dtype D]``
  writes one JSON file per operation and dtype (``OP.json`` in float64,
  ``OP.DTYPE.json`` in float32, float16 and bfloat16) and
  ``conformance.schema.json`` beside them, byte for byte the same each time;
  ``--format lines`` writes their flat line form instead (``OP.lines``,
  ``OP.DTYPE.lines``), which C reads with ``scanf``.  ``DIR`` is created if
  missing (its parent must exist).
* ``check VECTORS RESULTS [--dtype D] [--ops OP,...] [--accumulate A]
  [--allowlist FILE]`` checks another implementation's results (the vector
  file, or folder, with each ``expected`` replaced by ``output``; JSON or
  line form) in each file's dtype, prints the table and exits 1 on any
  failure the allow-list does not cover, or any vectors file of the run
  without results; 2 if a file is not a vectors, results or allow-list
  document (the message names the file and the place in it).
* ``crosscheck numpy|torch|onnx|onnxruntime|jax [--dtype DTYPE]`` runs the
  vectors of that dtype (float64 by default) through that library, computing
  in that dtype, and fails on anything the allow-list
  (``nnref/conformance/allowlist.json``, package data) does not cover for
  that library and dtype.  A pair the library cannot run (NumPy has no
  bfloat16) is a usage error.  The adapters ship in the package
  (``nnref/conformance/_adapters.py``, which imports a library only when its
  adapter is called), so this works from an installed wheel;
  ``--adapters FILE`` runs a module of your own instead.

The format, the tolerance rules and the recorded outcomes are in
``docs/conformance.md``.
"""

import json
import os

from .. import conformance
from .._base.version import __version__
from ..conformance._data import ALLOWLIST as DEFAULT_ALLOWLIST
from ._usage import error, io_error, parser as _usage_parser

# None: the adapters that ship in the package (nnref.conformance._adapters).
DEFAULT_ADAPTERS = None


_DTYPES = ("float64", "float32", "float16", "bfloat16")


def _parse_ops(text):
    from ..conformance._format import ARGUMENTS
    if text is None:
        return None
    ops = [op.strip() for op in text.split(",") if op.strip()]
    for op in ops:
        if op not in ARGUMENTS:
            raise ValueError("--ops: unknown operation %r; expected some of %s"
                             % (op, ", ".join(sorted(ARGUMENTS))))
    return ops


def write_vectors(out, ops=None, dtypes=None, form="json"):
    """Write the vector files (and the schema) into ``out``; return the paths written.

    Every operation in every dtype that has it (``conformance.operations``),
    or only those in ``ops`` and ``dtypes`` (lists of names).  ``form``
    ``"lines"`` writes the line form (``OP.DTYPE.lines``, no schema) instead
    of JSON.  ``out`` is created if missing, but not its parents.
    """
    from ..conformance import _cases, _format, _lines
    if not os.path.isdir(out):
        os.mkdir(out)
    written = []
    for dtype in _format.DTYPES:
        if dtypes is not None and dtype not in dtypes:
            continue
        for op in _format.operations(dtype):
            if ops is not None and op not in ops:
                continue
            document = _format.encode(_cases.build(op, dtype))
            if form == "lines":
                written.append(_write(os.path.join(out, _lines.lines_name(op, dtype)), _lines.to_lines(document)))
            else:
                written.append(_write(os.path.join(out, _format.file_name(op, dtype)), _format.dumps(document)))
    if form != "lines":
        written.append(_write(os.path.join(out, _format.SCHEMA_FILE), _format.dumps(_format.SCHEMA)))
    return written


def _write(path, text):
    # Binary mode: "\n" line ends on every platform.
    with open(path, "wb") as handle:
        handle.write(text.encode("utf-8"))
    return path


def _vectors_main(args):
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        return io_error("vectors", "cannot write the vectors into %s: it is a file, not a folder" % args.out)
    parent = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(parent):
        return io_error("vectors", "cannot write the vectors into %s: no folder %s (--out creates "
                                   "one folder, not its parents)" % (args.out, parent))
    try:
        paths = write_vectors(args.out, args.ops, None if args.dtype is None else [args.dtype], args.format)
    except (IOError, OSError) as exc:
        return io_error("vectors", "cannot write the vectors into %s: %s" % (args.out, _os_text(exc)))
    for path in paths:
        print("wrote %s" % path)
    return 0


def _os_text(exc):
    # "FILE: No such file or directory", without the "[Errno 2]".
    text = getattr(exc, "strerror", None) or str(exc)
    name = getattr(exc, "filename", None)
    return "%s: %s" % (name, text) if name else text


def _check_main(args):
    allow = None
    try:
        if args.allowlist is not None:
            allow = conformance.load_allowlist(args.allowlist)
        report = conformance.check_files(args.vectors, args.results, dtype=args.dtype, ops=args.ops,
                                         accumulate=args.accumulate, allow=allow)
    except (OSError, IOError) as exc:       # documented: 2 if a file cannot be read
        return error("check", "cannot read %s" % _os_text(exc))
    except ValueError as exc:               # not a vectors, results or allow-list file
        return error("check", str(exc))
    print(report)
    for entry in report.stale:
        print("note: allow-list entry not needed any more: %s" % json.dumps(entry, sort_keys=True))
    return 0 if report.ok else 1


# --- allow-list -------------------------------------------------------------------

CROSSCHECK_LIBRARIES = ("numpy", "torch", "onnx", "onnxruntime", "jax")


def load_allowlist(path):
    """The crosscheck allow-list entries: dicts with library, op, flag or tcId, reason, and dtype.

    ``dtype`` (float64, float32, float16 or bfloat16) is optional and defaults to ``"float64"``: an
    entry covers failures in its own dtype only.  The dicts returned always
    hold it.  The rules are ``nnref.conformance``'s (``check --allowlist``
    reads the same files), with ``library`` required.
    """
    return conformance.load_allowlist(path, library=True)


def apply_allowlist(report, entries, library, dtype="float64"):
    """Mark each failure an entry for ``library`` and ``dtype`` covers as allowed;
    return those entries that covered nothing."""
    return conformance.apply_allowlist(report, entries, library, dtype)


def load_adapters(path=DEFAULT_ADAPTERS):
    """The cross-check adapter module: the package's own, or the file at ``path``.

    Loading the package's adapters imports no peer library.  A ``path``
    that is not a file is an ``OSError`` naming it.
    """
    if path is None:
        from ..conformance import _adapters
        return _adapters
    if not os.path.isfile(path):
        raise OSError("no adapters file at %s" % path)
    import importlib.util
    spec = importlib.util.spec_from_file_location("nnref_crosscheck_adapters", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Unsupported(ValueError):
    """The library cannot run in the dtype asked for (NumPy in bfloat16, say)."""


def crosscheck(library, vectors_dir=None, allowlist=DEFAULT_ALLOWLIST, ops=None,
               adapters=DEFAULT_ADAPTERS, dtype="float64", accumulate=None):
    """Run ``library``'s adapter through the ``dtype`` vectors; return ``(report, stale_entries)``.

    ``accumulate`` is passed to ``conformance.run`` (None: float32 for
    float16 and bfloat16, else the dtype itself).  ``Unsupported`` (a
    ``ValueError``) if the adapters do not run ``library`` in ``dtype``,
    before the library is imported; ImportError if it is not installed.  An
    operation the adapter maps to an exception instance (the adapters'
    ``Unsupported``: no kernel for it in this dtype) is reported as skipped,
    with the exception's message as the reason, and so is an operation with
    vectors in ``dtype`` that the adapter does not have.
    """
    module = load_adapters(adapters)
    check = getattr(module, "check_supported", None)
    try:
        if check is not None:
            check(library, dtype)
        elif dtype != "float64":
            raise ValueError("the adapters in %s run float64 only" % adapters)
    except ValueError as exc:
        raise Unsupported(str(exc))
    impl, versions = module.adapter(library, dtype)
    cannot = dict((op, str(f)) for op, f in impl.items() if isinstance(f, Exception))
    impl = dict((op, f) for op, f in impl.items() if op not in cannot)
    report = conformance.run(impl, vectors_dir=vectors_dir, ops=ops, dtype=dtype, accumulate=accumulate)
    for op in conformance.operations(dtype):
        if op not in impl and (ops is None or op in ops):
            skipped = conformance.OpResult(op)
            skipped.skipped = cannot.get(op, "no %s version of this operation" % library)
            report.results.append(skipped)
    stale = apply_allowlist(report, load_allowlist(allowlist), library, dtype)
    report.title = "crosscheck %s in %s (%s) against the nnref %s vectors" % (
        library, dtype, ", ".join("%s %s" % kv for kv in sorted(versions.items())), __version__)
    return report, stale


def _crosscheck_main(args):
    try:
        report, stale = crosscheck(args.library, args.vectors, args.allowlist, args.ops,
                                   args.adapters, args.dtype, args.accumulate)
    except ImportError as exc:
        return error("crosscheck", "cannot import %s (%s); install it first" % (args.library, exc))
    except OSError as exc:
        return error("crosscheck", str(exc))
    except Unsupported as exc:
        return error("crosscheck", str(exc))
    print(report)
    for entry in stale:
        print("note: allow-list entry not needed any more: %s" % json.dumps(entry, sort_keys=True))
    return 0 if report.ok else 1


def main(argv):
    """Entry point for ``python -m nnref vectors|check|crosscheck``; returns the exit code.

    An argument argparse rejects (or ``--help``) raises ``SystemExit`` from
    the parser, which ``nnref.cli.main`` returns as the status; an unknown
    ``--ops`` name returns 2, in the same style.
    """
    command, rest = argv[0], list(argv[1:])
    parser = _parser(command)
    args = parser.parse_args(rest)
    try:
        args.ops = _parse_ops(args.ops)
    except ValueError as exc:
        return error(command, str(exc), parser.format_usage())
    if command == "check":
        return _check_main(args)
    return _vectors_main(args) if command == "vectors" else _crosscheck_main(args)


def _parser(command):
    if command == "vectors":
        parser = _usage_parser(command, "Write the conformance vectors, one file per operation and dtype.")
        parser.add_argument("--out", required=True, help="folder to write into (created if missing; "
                                                         "its parent must exist)")
        parser.add_argument("--format", choices=("json", "lines"), default="json",
                            help="json (default: the vectors and their schema) or lines (one case "
                                 "per line, for C's scanf)")
        parser.add_argument("--ops", help="comma-separated operations (default: all)")
        parser.add_argument("--dtype", choices=_DTYPES, help="only this dtype's files (default: all)")
        return parser
    if command == "check":
        parser = _usage_parser(command, "Check RESULTS (the vectors with each expected replaced "
                                        "by output) against VECTORS; files or folders, JSON or "
                                        "line form.  Each vector file's dtype says what its "
                                        "values are.")
        parser.add_argument("vectors")
        parser.add_argument("results")
        parser.add_argument("--dtype", choices=_DTYPES,
                            help="folders: only the files of this dtype; files: must be theirs")
        parser.add_argument("--ops", help="folders: only these comma-separated operations")
        parser.add_argument("--accumulate", choices=_DTYPES,
                            help="the format the dense kernel adds in (default: float32 for "
                                 "float16 and bfloat16, else the dtype itself)")
        parser.add_argument("--allowlist", metavar="FILE",
                            help="failures to expect, each with its reason ({\"entries\": [...]}, "
                                 "as nnref/conformance/allowlist.json)")
        return parser
    parser = _usage_parser(command, "Run the conformance vectors through a library and check "
                                    "the results.")
    parser.add_argument("library", choices=CROSSCHECK_LIBRARIES)
    parser.add_argument("--dtype", choices=_DTYPES, default="float64",
                        help="the dtype to compute in, and of the vectors (default: float64)")
    parser.add_argument("--accumulate", choices=_DTYPES,
                        help="the format the library's dense kernel adds in (default: float32 "
                             "for float16 and bfloat16, else the dtype itself)")
    parser.add_argument("--vectors", help="folder of vector files (default: generate them)")
    parser.add_argument("--allowlist", default=DEFAULT_ALLOWLIST, help="allow-list JSON file")
    parser.add_argument("--adapters", default=DEFAULT_ADAPTERS,
                        help="a Python file of adapters to use instead of nnref's own")
    parser.add_argument("--ops", help="comma-separated operations (default: all)")
    return parser
