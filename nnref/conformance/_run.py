"""Walk vector documents case by case: get each outcome, check it, record it.

The outcome of a case comes from calling a Python implementation on its
inputs (``run``) or from a RESULTS document (``check_documents``,
``check_files``); either way ``check_case`` judges it and an ``OpResult``
records it.
"""

import os

from ._check import check_case
from ._format import (OPERATIONS, VectorFormatError, decode_outcome, decode_test, load,
                      results_by_tc_id, tests_of)
from ._report import OpResult, Report


def _operations():
    return [name for name, _ in OPERATIONS]


def _vector_document(op, vectors_dir=None):
    """The vector document for ``op``: read from ``vectors_dir/op.json``, or
    generated in memory by this nnref when ``vectors_dir`` is None."""
    if vectors_dir is not None:
        return load(os.path.join(vectors_dir, op + ".json"))
    if op not in _GENERATED:            # generating takes a moment: once per process
        from . import _cases, _format
        _GENERATED[op] = _format.encode(_cases.build(op))
    return _GENERATED[op]


_GENERATED = {}


# --- calling a Python implementation --------------------------------------------------

def run(impl, vectors_dir=None, ops=None):
    """Run a Python implementation through the conformance vectors and return a ``Report``.

    ``impl`` maps operation names to callables: ``"step"``, ``"linear"``,
    ``"relu"``, ``"sigmoid"``, ``"softmax"`` take ``x`` (a float, a list, or
    a list of rows); ``"dense"`` takes ``(inputs, weights, biases)``;
    ``"spiral_data"`` and ``"vertical_data"`` take ``(samples, classes,
    seed)`` and ``"sine_data"`` takes ``samples``, each returning ``(X, y)``.
    Results may be lists, tuples or anything with ``.tolist()``.  Operations
    missing from ``impl`` are not checked; an unknown name is a
    ``ValueError``.

    ``vectors_dir`` is a folder of vector files; None uses the vectors this
    nnref generates (identical to the committed ones, the package data in
    ``nnref/conformance/vectors/``).  ``ops`` restricts the run to some
    operations.  Nothing is raised for failures: call
    ``report.raise_for_failures()`` for that.
    """
    known = _operations()
    for name in impl:
        if name not in known:
            raise ValueError("conformance.run: impl has unknown operation %r; expected some of %s"
                             % (name, ", ".join(known)))
    results = []
    for op in known:
        if op not in impl or (ops is not None and op not in ops):
            continue
        results.append(_run_document(_vector_document(op, vectors_dir), impl[op]))
    return Report(results)


def _run_document(document, function):
    """Check ``function`` on every test of one vector document; an ``OpResult``."""
    op = document["operation"]
    arguments = document["arguments"]
    result = OpResult(op)
    for raw in tests_of(document):
        test = decode_test(op, raw)
        outcome = _call_case(function, op, arguments, test["inputs"])
        result.record(test, *check_case(test, outcome))
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

def check_documents(vectors, results, path="results"):
    """Check one results document against its vector document; an ``OpResult``.

    Tests are matched by ``tcId``; a test without an ``output`` fails.  The
    tolerances come from ``vectors``, never from ``results``.

    >>> from nnref.conformance._format import as_results
    >>> vectors = _vector_document("step")
    >>> result = check_documents(vectors, as_results(vectors))
    >>> result.cases, result.passed, result.failures
    (33, 33, [])
    """
    op = vectors["operation"]
    if results.get("operation", op) != op:
        raise VectorFormatError("%s is for %r, the vectors for %r" % (path, results.get("operation"), op))
    outputs = results_by_tc_id(results, path)
    result = OpResult(op)
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
        result.record(test, *check_case(test, outcome))
    return result


def check_files(vectors_path, results_path):
    """Check RESULTS against VECTORS and return a ``Report``.

    Both are files, or both folders, whose ``*.json`` files are paired by
    name (the schema aside); ``python -m nnref check`` calls this.
    """
    pairs = []
    if os.path.isdir(vectors_path):
        for name in sorted(os.listdir(vectors_path)):
            if name.endswith(".json") and not name.endswith(".schema.json"):
                target = os.path.join(results_path, name) if os.path.isdir(results_path) else None
                if target is not None and os.path.exists(target):
                    pairs.append((os.path.join(vectors_path, name), target))
        if not pairs:
            raise VectorFormatError("no results in %s match the vectors in %s" % (results_path, vectors_path))
    else:
        pairs.append((vectors_path, results_path))
    return Report([check_documents(load(v), load(r), r) for v, r in pairs])
