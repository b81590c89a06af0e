"""Walk vector documents case by case: get each outcome, check it, record it.

The outcome of a case comes from calling a Python implementation on its
inputs (``run``) or from a RESULTS document (``check_documents``,
``check_files``); either way ``check_case`` judges it, in the document's
dtype, and an ``OpResult`` records it.  Whatever an implementation returns and
whatever a results file holds, the case fails with a reason that says what it
was, and the run goes on; a file that is not a vectors or results document at
all is a ``VectorFormatError`` naming the file and the place inside it.
"""

import os

from .._base.formats import check_dtype
from ._allow import apply_allowlist, load_allowlist, parse_allowlist
from ._check import check_case, describe, summary
from ._format import (DTYPES, MAX_RANK, OPERATIONS, PARTS, VectorFormatError, accumulators, check_vectors,
                      declared_shape, decode_outcome, decode_test, default_accumulator, describe_json,
                      document_dtype, file_name, load, operations, read_json, results_by_tc_id,
                      shape_text)
from ._report import OpResult, Report

#: The most elements ``run`` reads from one output (a nest of lists that shares
#: itself could stand for far more than memory holds).
MAX_ELEMENTS = 10 ** 7


class Unsupported(Exception):
    """Raised by an implementation that ``conformance.run`` calls, to say it does not
    take this input form (a scalar where it only takes batches, say).

    The case is reported as unsupported, counted apart from the failures, and
    fails the report unless the allow-list covers it; an ``invalid`` case is no
    exception.  Its message is the reason shown.

    >>> from nnref import conformance
    >>> def batch_relu(x):
    ...     if not isinstance(x, list) or not all(isinstance(row, list) for row in x):
    ...         raise conformance.Unsupported("batches of rows only")
    ...     return [[max(v, 0.0) if v == v else v for v in row] for row in x]
    >>> report = conformance.run({"relu": batch_relu})
    >>> len(report.unsupported), report.unsupported[0].reason
    (24, 'unsupported: batches of rows only')
    """


def _all_operations():
    return [name for name, _ in OPERATIONS]


def _vector_document(op, dtype="float64", vectors_dir=None):
    """The vector document for ``op`` in ``dtype``: read from ``vectors_dir`` (``file_name``),
    or generated in memory by this nnref when ``vectors_dir`` is None."""
    if vectors_dir is not None:
        path = os.path.join(vectors_dir, file_name(op, dtype))
        document = load(path)
        check_vectors(document, path)
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

def run(impl, vectors_dir=None, ops=None, dtype="float64", accumulate=None, allow=None):
    """Run a Python implementation through the conformance vectors and return a ``Report``.

    ``impl`` maps operation names to callables: ``"step"``, ``"linear"``,
    ``"relu"``, ``"sigmoid"``, ``"softmax"`` take ``x`` (a float, a list, or
    a list of rows); ``"dense"`` takes ``(inputs, weights, biases)``;
    ``"relu_backward"``, ``"sigmoid_backward"`` and ``"softmax_backward"``
    take ``(dvalues, inputs)``, ``"dense_backward"`` takes ``(dvalues,
    inputs, weights)`` and returns ``(dinputs, dweights, dbiases)`` (a
    tuple, or a dict of those names);
    ``"spiral_data"`` and ``"vertical_data"`` take ``(samples, classes,
    seed)`` and ``"sine_data"`` takes ``samples``, each returning ``(X, y)``.
    Results may be lists, tuples or anything with ``.tolist()``.  Operations
    missing from ``impl`` are not checked; an unknown name is a
    ``ValueError``.  A callable that raises ``Unsupported`` says it does not
    take the case's input form: the case is reported as unsupported.  Any
    other exception is an error (which an ``invalid`` case expects).
    Whatever a callable returns (None, a string, a huge int, a list that
    holds itself), its case fails with a reason that says what it was, and
    the run goes on.

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
    operations.  ``allow`` is an allow-list: the path of a file like
    ``check --allowlist`` reads, its document ``{"entries": [...]}``, or the
    list of entries (each: ``op``, ``dtype`` (default float64), ``flag`` or
    ``tcId``, ``reason``; ``library`` is not read).  The failures it covers
    are counted as allowed and leave ``report.ok`` True.  Nothing is raised
    for failures: call ``report.raise_for_failures()`` for that.
    """
    check_dtype(dtype, "conformance.run")
    accumulate = check_accumulate(dtype, accumulate)
    entries = _allow_entries(allow, "conformance.run")
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
    report = Report(results)
    if entries is not None:
        apply_allowlist(report, entries)
    return report


def _allow_entries(allow, func):
    """The entries of an ``allow`` argument: None, a path, a document or a list."""
    if allow is None:
        return None
    if isinstance(allow, str):
        return load_allowlist(allow)
    if isinstance(allow, (dict, list, tuple)):
        return parse_allowlist(allow, "%s: allow" % func)
    raise TypeError("%s: allow must be a path, an allow-list document or a list of entries, got %s"
                    % (func, describe(allow)))


def _run_document(document, function, accumulate=None):
    """Check ``function`` on every test of one vector document; an ``OpResult``."""
    op = document["operation"]
    dtype = document_dtype(document)
    arguments = document["arguments"]
    result = OpResult(op, dtype)
    for i, group in enumerate(document["testGroups"]):
        for j, raw in enumerate(group["tests"]):
            test = decode_test(op, raw, dtype)
            outcome = _call_case(function, op, arguments, test["inputs"])
            _record(result, test, outcome, dtype, accumulate)
    return result


def _record(result, test, outcome, dtype, accumulate):
    # check_case on an outcome of any kind; whatever goes wrong, the case fails with a reason.
    try:
        verdict = check_case(test, outcome, dtype, accumulate)
    except Exception as error:      # a hostile output's own methods: the run goes on
        verdict = (False, None, "the output could not be checked: %s" % _error_text(error), False)
    result.record(test, *verdict, unsupported=outcome[0] == "unsupported")


def _error_text(error):
    try:
        text = str(error)
    except Exception:
        text = "(its message cannot be shown)"
    if len(text) > 200:
        text = text[:197] + "..."
    return "%s: %s" % (type(error).__name__, text) if text else type(error).__name__


def _call_case(function, op, arguments, inputs):
    """Call ``function`` on a decoded test's inputs; return an outcome pair."""
    args = [inputs[name] for name in arguments]
    try:
        value = function(*args)
    except Unsupported as error:
        return "unsupported", _error_text(error).partition(": ")[2] or "no reason given"
    except Exception as error:  # any error counts as rejecting the input
        return "error", _error_text(error)
    try:
        if op.endswith("_data"):
            pair = _to_plain(value, [0])
            if type(pair) is list and len(pair) == 2:
                return "value", {"X": pair[0], "y": pair[1]}
            return "value", pair
        if op in PARTS:
            return "value", _parts_of(value, PARTS[op])
        return "value", _to_plain(value, [0])
    except _Unreadable as error:
        return "unreadable", str(error)
    except Exception as error:     # .tolist(), iteration: the implementation's own code
        return "unreadable", "reading the output raised %s" % _error_text(error)


class _Unreadable(Exception):
    pass


def _parts_of(value, parts):
    # A tuple result: a tuple (or list) of its parts in order, or a dict of them by name.
    if isinstance(value, dict):
        if sorted(value) != sorted(parts):
            raise _Unreadable("the output is %s; expected the parts %s" % (describe(value), ", ".join(parts)))
        return dict((part, _to_plain(value[part], [0])) for part in parts)
    if not isinstance(value, (list, tuple)) or len(value) != len(parts):
        raise _Unreadable("the output is %s; expected a tuple of %d (%s)"
                          % (describe(value), len(parts), ", ".join(parts)))
    return dict((part, _to_plain(v, [0])) for part, v in zip(parts, value))


def _to_plain(value, count, depth=0):
    # NumPy arrays and scalars, tensors: .tolist(); tuples become lists.  count[0] counts
    # the elements read; nesting and size are bounded, so a list that holds itself ends.
    if not isinstance(value, (list, tuple)) and hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        if depth >= MAX_RANK:
            raise _Unreadable("the output is lists nested more than %d deep (a list that holds itself?)"
                              % MAX_RANK)
        out = []
        for v in value:
            count[0] += 1
            if count[0] > MAX_ELEMENTS:
                raise _Unreadable("the output has more than %d elements" % MAX_ELEMENTS)
            out.append(_to_plain(v, count, depth + 1))
        return out
    return value


# --- reading RESULTS documents -------------------------------------------------------------

def check_documents(vectors, results, path="results", accumulate=None, vectors_path="vectors"):
    """Check one results document against its vector document; an ``OpResult``.

    Tests are matched by ``tcId``; the tolerances and the dtype come from
    ``vectors``, never from ``results``.  ``accumulate`` is as for ``run``
    (it matters to dense, and to softmax in float16 and bfloat16).  A test without an ``output``, or with a
    ``null`` one, fails (an ``invalid`` one with a reason that says an error
    record ``{"error": ...}`` was expected); ``{"unsupported": reason}`` is
    reported as unsupported.  An output of any other type fails its case with
    a reason that names what it held.  ``VectorFormatError``, naming ``path``
    or ``vectors_path`` and the place, for documents that are not results or
    vectors: wrong structure, missing keys, tcIds given twice.

    >>> from nnref.conformance._format import as_results
    >>> vectors = _vector_document("step")
    >>> result = check_documents(vectors, as_results(vectors))
    >>> result.cases, result.passed, result.failures
    (33, 33, [])
    """
    check_vectors(vectors, vectors_path)
    op = vectors["operation"]
    dtype = document_dtype(vectors)
    accumulate = check_accumulate(dtype, accumulate, "check") \
        if op in ("dense", "softmax", "dense_backward") else None
    if isinstance(results, dict) and results.get("operation", op) != op:
        raise VectorFormatError("%s: the results are for %s, the vectors (%s) for %s"
                                % (path, _named(results.get("operation")), vectors_path, op))
    if isinstance(results, dict) and results.get("dtype", dtype) != dtype:
        raise VectorFormatError("%s: the results are in %s, the vectors (%s) in %s"
                                % (path, _named(results.get("dtype")), vectors_path, dtype))
    outputs = results_by_tc_id(results, path)
    result = OpResult(op, dtype)
    for i, group in enumerate(vectors["testGroups"]):
        for j, raw in enumerate(group["tests"]):
            where = "%s: testGroups[%d].tests[%d] (%s tcId %d)" % (vectors_path, i, j, op, raw["tcId"])
            test = decode_test(op, raw, dtype, where)
            given = outputs.get(raw["tcId"])
            outcome = _read_outcome(test, raw, given, path, op, dtype)
            _record(result, test, outcome, dtype, accumulate)
    return result


def _named(value):
    return repr(value) if isinstance(value, str) else describe_json(value)


_ERROR_RECORD = 'an error record {"error": "..."}'


def _read_outcome(test, raw, given, path, op, dtype):
    """The outcome a results test gives for one vectors test (``unreadable`` with the reason
    for anything that is no output)."""
    invalid = test["result"] == "invalid"
    raises = " (nnref raises %s)" % test["exception"] if test.get("exception") else ""
    if given is None or "output" not in given:
        where = "no tcId %d in %s" % (test["tcId"], path) if given is None else "no output in %s" % path
        if invalid:
            return "fail", "%s; expected %s%s" % (where, _ERROR_RECORD, raises)
        return "fail", where
    try:
        kind, payload = decode_outcome(op, test["tcId"], given["output"], dtype)
    except VectorFormatError as error:
        return "unreadable", str(error)
    if kind == "null":
        if invalid:
            return "fail", "expected %s%s, got null" % (_ERROR_RECORD, raises)
        return "fail", "the output is null; expected a result"
    if kind == "value" and invalid:
        return "fail", "expected %s%s, got a result: %s" % (_ERROR_RECORD, raises, summary(payload))
    if kind == "value":
        problem = _shape_problem(raw.get("expected"), given["output"])
        if problem:
            return "fail", problem
    return kind, payload


def _shape_problem(expected, output):
    # An output that states its shape ({"shape", "values"}) must state the expected one,
    # even where both hold no value: (0, 3) is not (0, 2).
    pairs = [(expected, output)]
    if isinstance(expected, dict) and "X" in expected and isinstance(output, dict) and "X" in output:
        pairs = [(expected["X"], output["X"])]
    elif isinstance(expected, dict) and "dinputs" in expected and isinstance(output, dict):
        pairs = [(expected[part], output[part]) for part in sorted(expected) if part in output]
    for want, got in pairs:
        if isinstance(got, dict) and "shape" in got:
            a, b = declared_shape(want), declared_shape(got)
            if a is not None and b is not None and a != b:
                return "shape differs: expected %s, got %s" % (shape_text(a), shape_text(b))
    return ""


def _read_vectors(path):
    """A vector document from a ``.json`` file, or the package's one that a ``.lines``
    file is the line form of."""
    if path.endswith(".lines"):
        from . import _lines
        return _lines.read_vectors(path)
    document = read_json(path)
    check_vectors(document, path)
    return document


def _read_results(path, vectors):
    if path.endswith(".lines"):
        from . import _lines
        return _lines.read_results(path, vectors["operation"])
    return read_json(path)


def _files_by_base(folder, role):
    # base name -> path of the .json and .lines files in folder; for results, both for
    # one base name is an error.
    from ._lines import base_name
    found = {}
    for name in sorted(os.listdir(folder)):
        base = base_name(name)
        if base is None or not os.path.isfile(os.path.join(folder, name)):
            continue
        if base in found:
            if role == "results":
                raise VectorFormatError("%s: both %s.json and %s.lines; keep one results file per "
                                        "vectors file" % (folder, base, base))
            if name.endswith(".lines"):
                continue                  # the JSON vectors themselves, not their line form
        found[base] = os.path.join(folder, name)
    return found


def check_files(vectors_path, results_path, dtype=None, ops=None, accumulate=None, allow=None):
    """Check RESULTS against VECTORS and return a ``Report``.

    Both are files, or both folders; ``python -m nnref check`` calls this.
    Either may be in JSON (``.json``) or in the line form (``.lines``): line-form
    vectors are checked with the tolerances of the package's own JSON vectors,
    of which they must be the line form (same nnref version).  Folders are
    paired by base name (``relu.float32.json`` with ``relu.float32.lines``,
    the schema aside); every vector file of the run without results is a row
    marked missing, which fails the report.  ``dtype`` and ``ops`` (a list of
    operation names) narrow the run to the files of that dtype and those
    operations (for two files, a ``dtype`` other than the vectors' is a
    ``ValueError``).  ``accumulate`` is as for ``run``, for the dense files;
    ``allow`` as for ``run``.  ``VectorFormatError`` (a ``ValueError``) naming
    the file and the place for a file that is no vectors or results document.
    """
    if dtype is not None:
        check_dtype(dtype, "check")
    entries = _allow_entries(allow, "check")
    if os.path.isdir(vectors_path):
        if not os.path.isdir(results_path):
            raise VectorFormatError("%s: not a folder; with a folder of vectors, RESULTS is a folder too"
                                    % results_path)
        vector_files = _files_by_base(vectors_path, "vectors")
        result_files = _files_by_base(results_path, "results")
        items = []
        for base, path in sorted(vector_files.items()):
            document = _read_vectors(path)
            selected = (dtype is None or document_dtype(document) == dtype) and \
                (ops is None or document["operation"] in ops)
            if not selected:
                continue
            items.append((document, result_files.get(base), path, base))
        if not items:
            raise VectorFormatError("nothing to check: no %svectors in %s"
                                    % (_selection(dtype, ops) + " " if dtype or ops else "", vectors_path))
        items.sort(key=_file_order)
        rows = []
        for document, results, path, base in items:
            if results is None:
                missing = OpResult(document["operation"], document_dtype(document))
                missing.missing = "no results file (%s.json or %s.lines in %s)" % (base, base, results_path)
                rows.append(missing)
                continue
            rows.append(check_documents(document, _read_results(results, document), results, accumulate, path))
    else:
        if os.path.isdir(results_path):
            raise VectorFormatError("%s: a folder; with a vectors file, RESULTS is a file too" % results_path)
        document = _read_vectors(vectors_path)
        found = document_dtype(document)
        if dtype is not None and found != dtype:
            raise ValueError("check: %s holds %s vectors, not %s" % (vectors_path, found, dtype))
        rows = [check_documents(document, _read_results(results_path, document), results_path, accumulate,
                                vectors_path)]
    report = Report(rows)
    if entries is not None:
        apply_allowlist(report, entries)
    return report


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
