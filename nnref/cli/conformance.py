"""``python -m nnref vectors|check|crosscheck``: write, check and cross-check the conformance vectors.

* ``vectors --out DIR [--ops OP,...] [--dtype D]`` writes one JSON file per
  operation and dtype (``OP.json`` in float64, ``OP.DTYPE.json`` in float32,
  float16 and bfloat16) and ``conformance.schema.json`` beside them, byte
  for byte the same each time.
* ``check VECTORS RESULTS [--dtype D] [--ops OP,...] [--accumulate A]``
  checks another implementation's results (the vector file, or folder, with
  each ``expected`` replaced by ``output``) in each file's dtype, prints the
  table and exits 1 on any failure.
* ``crosscheck numpy|torch|onnx|onnxruntime|jax [--dtype DTYPE]`` runs the
  vectors of that dtype (float64 by default) through that library, computing
  in that dtype, and fails on anything the allow-list
  (``nnref/conformance/allowlist.json``, package data) does not cover for
  that library and dtype.  A pair the library cannot run (NumPy has no
  bfloat16) is a usage error.  The adapters, which import the library, are
  the checkout's ``tools/crosscheck_adapters.py`` (or ``--adapters FILE``),
  outside the package.

The format, the tolerance rules and the recorded outcomes are in
``docs/conformance.md``.
"""

import json
import os

from .. import conformance
from .._base.version import __version__
from ..conformance._data import ALLOWLIST as DEFAULT_ALLOWLIST
from ._usage import error, io_error, parser as _usage_parser

# The checkout: two folders above nnref/cli/.
_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The adapters import NumPy, PyTorch, ONNX or JAX, so they live with the other
# tools that need third-party libraries, outside the package.
DEFAULT_ADAPTERS = os.path.join(_REPO, "tools", "crosscheck_adapters.py")


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


def write_vectors(out, ops=None, dtypes=None):
    """Write the vector files (and the schema) into ``out``; return the paths written.

    Every operation in every dtype that has it (``conformance.operations``),
    or only those in ``ops`` and ``dtypes`` (lists of names).
    """
    from ..conformance import _cases, _format
    if not os.path.isdir(out):
        os.makedirs(out)
    written = []
    for dtype in _format.DTYPES:
        if dtypes is not None and dtype not in dtypes:
            continue
        for op in _format.operations(dtype):
            if ops is not None and op not in ops:
                continue
            written.append(_write(os.path.join(out, _format.file_name(op, dtype)),
                                  _format.dumps(_format.encode(_cases.build(op, dtype)))))
    written.append(_write(os.path.join(out, _format.SCHEMA_FILE), _format.dumps(_format.SCHEMA)))
    return written


def _write(path, text):
    # Binary mode: "\n" line ends on every platform.
    with open(path, "wb") as handle:
        handle.write(text.encode("utf-8"))
    return path


def _vectors_main(args):
    try:
        paths = write_vectors(args.out, args.ops, None if args.dtype is None else [args.dtype])
    except (IOError, OSError) as exc:
        return io_error("vectors", "cannot write the vectors into %s: %s" % (args.out, exc))
    for path in paths:
        print("wrote %s" % path)
    return 0


def _check_main(args):
    try:
        report = conformance.check_files(args.vectors, args.results, dtype=args.dtype, ops=args.ops,
                                         accumulate=args.accumulate)
    except (OSError, ValueError) as exc:    # documented: 2 if a file cannot be read
        return error("check", str(exc))
    print(report)
    return 0 if report.ok else 1


# --- allow-list -------------------------------------------------------------------

CROSSCHECK_LIBRARIES = ("numpy", "torch", "onnx", "onnxruntime", "jax")


def load_allowlist(path):
    """The allow-list entries: dicts with library, op, flag or tcId, reason, and dtype.

    ``dtype`` (float64, float32, float16 or bfloat16) is optional and defaults to ``"float64"``: an
    entry covers failures in its own dtype only.  The dicts returned always
    hold it.
    """
    with open(path) as handle:
        document = json.load(handle)
    entries = []
    for i, entry in enumerate(document["entries"]):
        has_flag, has_id = "flag" in entry, "tcId" in entry
        if not entry.get("library") or not entry.get("op") or not entry.get("reason") \
                or has_flag == has_id:
            raise ValueError("%s: entries[%d] needs library, op, reason and one of flag or tcId"
                             % (path, i))
        entry = dict(entry)
        entry.setdefault("dtype", "float64")
        if entry["dtype"] not in _DTYPES:
            raise ValueError("%s: entries[%d] has dtype %r; expected one of %s"
                             % (path, i, entry["dtype"], ", ".join(_DTYPES)))
        entries.append(entry)
    return entries


def _covers(entry, library, dtype, failure):
    if entry["library"] != library or entry["dtype"] != dtype or entry["op"] not in ("*", failure.op):
        return False
    if "flag" in entry:
        return entry["flag"] in failure.flags
    return entry["tcId"] == failure.tc_id


def apply_allowlist(report, entries, library, dtype="float64"):
    """Mark each failure an entry for ``library`` and ``dtype`` covers as allowed;
    return those entries that covered nothing."""
    entries = [dict(e, dtype=e.get("dtype", "float64")) for e in entries]
    used = set()
    for failure in report.failures:
        for i, entry in enumerate(entries):
            if _covers(entry, library, dtype, failure):
                failure.allowed = entry["reason"]
                used.add(i)
                break
    return [e for i, e in enumerate(entries)
            if e["library"] == library and e["dtype"] == dtype and i not in used]


def load_adapters(path=DEFAULT_ADAPTERS):
    """The cross-check adapter module (``tools/crosscheck_adapters.py`` of the checkout).

    ImportError if the file is missing, e.g. in an installed copy of nnref:
    run from a checkout, or pass the file's path.
    """
    if not os.path.isfile(path):
        raise ImportError("the cross-check adapters are not at %s; run from an nnref "
                          "checkout or pass --adapters FILE" % path)
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
        parser = _usage_parser(command, "Write the conformance vectors, one JSON file per operation.")
        parser.add_argument("--out", required=True, help="folder to write into (created if missing)")
        parser.add_argument("--ops", help="comma-separated operations (default: all)")
        parser.add_argument("--dtype", choices=_DTYPES, help="only this dtype's files (default: all)")
        return parser
    if command == "check":
        parser = _usage_parser(command, "Check RESULTS (the vectors with each expected replaced "
                                        "by output) against VECTORS; files or folders.  Each "
                                        "vector file's dtype says what its values are.")
        parser.add_argument("vectors")
        parser.add_argument("results")
        parser.add_argument("--dtype", choices=_DTYPES,
                            help="folders: only the files of this dtype; files: must be theirs")
        parser.add_argument("--ops", help="folders: only these comma-separated operations")
        parser.add_argument("--accumulate", choices=_DTYPES,
                            help="the format the dense kernel (and the float16 or bfloat16 "
                                 "softmax kernel) adds in (default: float32 for float16 and "
                                 "bfloat16, else the dtype itself)")
        return parser
    parser = _usage_parser(command, "Run the conformance vectors through a library and check "
                                    "the results.")
    parser.add_argument("library", choices=CROSSCHECK_LIBRARIES)
    parser.add_argument("--dtype", choices=_DTYPES, default="float64",
                        help="the dtype to compute in, and of the vectors (default: float64)")
    parser.add_argument("--accumulate", choices=_DTYPES,
                        help="the format the library's dense kernel (and float16 or bfloat16 "
                             "softmax kernel) adds in (default: float32 for float16 and "
                             "bfloat16, else the dtype itself)")
    parser.add_argument("--vectors", help="folder of vector files (default: generate them)")
    parser.add_argument("--allowlist", default=DEFAULT_ALLOWLIST, help="allow-list JSON file")
    parser.add_argument("--adapters", default=DEFAULT_ADAPTERS,
                        help="the adapters file (default: the checkout's tools/crosscheck_adapters.py)")
    parser.add_argument("--ops", help="comma-separated operations (default: all)")
    return parser
