"""Walk vector documents case by case: get each outcome, check it, record it.

The outcome of a case comes from calling a Python implementation on its
inputs (``run``) or from a RESULTS document (``check_documents``,
``check_files``); either way ``check_case`` judges it, in the document's
dtype, and an ``OpResult`` records it.
"""

import os

from .._base.formats import check_dtype
from ._check import check_case
from ._format import (DTYPES, OPERATIONS, VectorFormatError, accumulators, decode_outcome, decode_test,
                      default_accumulator, document_dtype, file_name, load, operations,
                      results_by_tc_id, tests_of)
from ._report import OpResult, Report


def _all_operations():
    return [name for name, _ in OPERATIONS]


def _vector_document(op, dtype="float64", vectors_dir=None):
    """The vector document for ``op`` in ``dtype``: read from ``vectors_dir`` (``file_name``),
    or generated in memory by this nnref when ``vectors_dir`` is None."""
    if vectors_dir is not None:
        path = os.path.join(vectors_dir, file_name(op, dtype))
        document = load(path)
        if document_dtype(document) != dtype:
            raise VectorFormatError("%s holds %s vectors, not %s" % (path, document_dtype(document), dtype))
        return document
    key = (op, dtype)
    if key not in _GENERATED:           # generating takes a moment: once per process
        from . import _cases, _format
        _GENERATED[key] = _format.encode(_cases.build(op, dtype))
    return _GENERATED[key]


_GENERATED = {}


def check_accumulate(dtype, accumulate, func="conformance.run"):
    """The accumulator to check ``dtype`` dense results against: ``accumulate``, or the
    dtype's default (float32 for float16 and bfloat16, else the dtype itself) for None.

    ``ValueError`` unless it is a format at least as wide as ``dtype``
    (``accumulators``): a dense kernel cannot add ``dtype`` values exactly
    enough in a narrower one for any bound to hold.

    >>> check_accumulate("float16", None), check_accumulate("float16", "float16")
    ('float32', 'float16')
    >>> check_accumulate("float32", "float16")
    Traceback (most recent call last):
        ...
    ValueError: conformance.run: accumulate must be 'float32' or 'float64' for float32 vectors, got 'float16'
    """
    if accumulate is None:
        return default_accumulator(dtype)
    allowed = accumulators(dtype)
    if accumulate not in allowed:
        names = ["%r" % name for name in allowed]
        text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        raise ValueError("%s: accumulate must be %s for %s vectors, got %r" % (func, text, dtype, accumulate))
    return accumulate


# --- calling a Python implementation --------------------------------------------------

def run(impl, vectors_dir=None, ops=None, dtype="float64", accumulate=None):
    """Run a Python implementation through the conformance vectors and return a ``Report``.

    ``impl`` maps operation names to callables: ``"step"``, ``"linear"``,
    ``"relu"``, ``"sigmoid"``, ``"softmax"`` take ``x`` (a float, a list, or
    a list of rows); ``"dense"`` takes ``(inputs, weights, biases)``;
    ``"spiral_data"`` and ``"vertical_data"`` take ``(samples, classes,
    seed)`` and ``"sine_data"`` takes ``samples``, each returning ``(X, y)``.
    Results may be lists, tuples or anything with ``.tolist()``.  Operations
    missing from ``impl`` are not checked; an unknown name is a
    ``ValueError``.

    ``dtype`` picks the vectors: ``"float64"`` (the default), ``"float32"``,
    ``"float16"`` or ``"bfloat16"``.  The inputs are then values of that
    dtype (held in Python floats), each output element must be one too, and
    ULP distances are counted in it.  An operation of ``impl`` without
    vectors in ``dtype`` (``operations(dtype)``: the data sets, mostly) gets
    a row marked skipped.  ``accumulate`` is the format the dense kernel
    adds in (and a float16 or bfloat16 softmax kernel sums in), which sets
    those bounds: None for the default (float32 for
    float16 and bfloat16, else ``dtype``), or a format at least as wide as
    ``dtype``.

    ``vectors_dir`` is a folder of vector files (``OP.json``,
    ``OP.DTYPE.json``); None uses the vectors this nnref generates
    (identical to the committed ones, the package data in
    ``nnref/conformance/vectors/``).  ``ops`` restricts the run to some
    operations.  Nothing is raised for failures: call
    ``report.raise_for_failures()`` for that.
    """
    check_dtype(dtype, "conformance.run")
    accumulate = check_accumulate(dtype, accumulate)
    known = _all_operations()
    for name in impl:
        if name not in known:
            raise ValueError("conformance.run: impl has unknown operation %r; expected some of %s"
                             % (name, ", ".join(known)))
    available = operations(dtype)
    results = []
    for op in known:
        if op not in impl or (ops is not None and op not in ops):
            continue
        if op not in available:
            skipped = OpResult(op, dtype)
            skipped.skipped = "no %s vectors for %s" % (dtype, op)
            results.append(skipped)
            continue
        results.append(_run_document(_vector_document(op, dtype, vectors_dir), impl[op], accumulate))
    return Report(results)


def _run_document(document, function, accumulate=None):
    """Check ``function`` on every test of one vector document; an ``OpResult``."""
    op = document["operation"]
    dtype = document_dtype(document)
    arguments = document["arguments"]
    result = OpResult(op, dtype)
    for raw in tests_of(document):
        test = decode_test(op, raw)
        outcome = _call_case(function, op, arguments, test["inputs"])
        result.record(test, *check_case(test, outcome, dtype, accumulate))
    return result


def _call_case(function, op, arguments, inputs):
    """Call ``function`` on a decoded test's inputs; return an outcome pair."""
    args = [inputs[name] for name in arguments]
    try:
        value = function(*args)
    except Exception as error:  # any error counts as rejecting the input
        return "error", "%s: %s" % (type(error).__name__, error)
    if op.endswith("_data"):
        try:
            X, y = value
        except (TypeError, ValueError):
            return "value", value
        return "value", {"X": _to_plain(X), "y": _to_plain(y)}
    return "value", _to_plain(value)


def _to_plain(value):
    # NumPy arrays and scalars, tensors: .tolist(); tuples become lists.
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_to_plain(v) for v in value]
    return value


# --- reading RESULTS documents -------------------------------------------------------------

def check_documents(vectors, results, path="results", accumulate=None):
    """Check one results document against its vector document; an ``OpResult``.

    Tests are matched by ``tcId``; a test without an ``output`` fails.  The
    tolerances and the dtype come from ``vectors``, never from ``results``.
    ``accumulate`` is as for ``run`` (it matters to dense and softmax only).

    >>> from nnref.conformance._format import as_results
    >>> vectors = _vector_document("step")
    >>> result = check_documents(vectors, as_results(vectors))
    >>> result.cases, result.passed, result.failures
    (33, 33, [])
    """
    op = vectors["operation"]
    dtype = document_dtype(vectors)
    accumulate = check_accumulate(dtype, accumulate, "check") if op in ("dense", "softmax") else None
    if results.get("operation", op) != op:
        raise VectorFormatError("%s is for %r, the vectors for %r" % (path, results.get("operation"), op))
    outputs = results_by_tc_id(results, path)
    result = OpResult(op, dtype)
    for raw in tests_of(vectors):
        test = decode_test(op, raw)
        given = outputs.get(raw["tcId"])
        if given is None or "output" not in given:
            result.record(test, False, None, "no output in %s" % path, False)
            continue
        try:
            outcome = decode_outcome(op, raw["tcId"], given["output"])
        except VectorFormatError as error:
            result.record(test, False, None, str(error), False)
            continue
        result.record(test, *check_case(test, outcome, dtype, accumulate))
    return result


def check_files(vectors_path, results_path, dtype=None, ops=None, accumulate=None):
    """Check RESULTS against VECTORS and return a ``Report``.

    Both are files, or both folders, whose ``*.json`` files are paired by
    name (the schema aside); ``python -m nnref check`` calls this.  Each
    vector file's ``dtype`` field says what it holds.  For folders, ``dtype``
    and ``ops`` (a list of operation names) keep only the files of that
    dtype and those operations; for two files, a ``dtype`` other than the
    vectors' is a ``ValueError``.  ``accumulate`` is as for ``run``, for the
    dense files.
    """
    if dtype is not None:
        check_dtype(dtype, "check")
    pairs = []
    if os.path.isdir(vectors_path):
        for name in sorted(os.listdir(vectors_path)):
            if name.endswith(".json") and not name.endswith(".schema.json"):
                target = os.path.join(results_path, name) if os.path.isdir(results_path) else None
                if target is not None and os.path.exists(target):
                    pairs.append((os.path.join(vectors_path, name), target))
        if not pairs:
            raise VectorFormatError("no results in %s match the vectors in %s" % (results_path, vectors_path))
        documents = [(load(v), load(r), r) for v, r in pairs]
        documents = [d for d in documents
                     if (dtype is None or document_dtype(d[0]) == dtype)
                     and (ops is None or d[0]["operation"] in ops)]
        documents.sort(key=_file_order)
        if not documents:
            raise VectorFormatError("no results in %s match the %s vectors in %s"
                                    % (results_path, _selection(dtype, ops), vectors_path))
    else:
        documents = [(load(vectors_path), load(results_path), results_path)]
        found = document_dtype(documents[0][0])
        if dtype is not None and found != dtype:
            raise ValueError("check: %s holds %s vectors, not %s" % (vectors_path, found, dtype))
    return Report([check_documents(v, r, path, accumulate) for v, r, path in documents])


def _file_order(item):
    # The table's order: by dtype (float64 first), then operation, as the vectors are written.
    document = item[0]
    op = document.get("operation")
    known = _all_operations()
    return (DTYPES.index(document_dtype(document)), known.index(op) if op in known else len(known),
            item[2])


def _selection(dtype, ops):
    words = []
    if dtype is not None:
        words.append(dtype)
    if ops is not None:
        words.append(", ".join(ops))
    return " ".join(words)
