"""The flat line form of the vectors and of results: what C reads with ``scanf``.

``python -m nnref vectors --format lines --out DIR`` writes one ``.lines`` file
per JSON vector file, under the same base name (``relu.float32.lines``,
``softmax.lines`` for float64).  Lines starting with ``#`` are comments; the
first ones are the header, ``# key: value`` (``nnrefVersion``, ``operation``,
``dtype``, ...), then the grammar.  Every other line is one case, tokens
separated by single spaces::

    OP DTYPE TCID RESULT NARGS ARG_1 ... ARG_NARGS expect EXPECTED

``RESULT`` is ``valid``, ``acceptable`` or ``invalid``.  An ``ARG`` is

* ``f RANK D_1 ... D_RANK V_1 ... V_N``: a float array of that shape, ``N``
  the product of the dimensions (1 for rank 0), each ``V`` the value's bit
  pattern in the file's dtype (``bits`` of the JSON: 16, 8 or 4 lowercase hex
  digits), row-major;
* ``i INT``: an integer (the data sets' sizes and seeds);
* ``s WORD``: a string (``categorical_crossentropy``'s reduction: ``mean``,
  ``sum`` or ``none``); the losses' class indices (``y_true`` of rank 1) are
  an ``f`` array of the labels as values of the dtype, one-hot rows one of
  rank 2;
* ``x KIND``: an argument that is no array at all (``x ragged`` for the
  ragged batches of the invalid cases): build nothing, answer ``error`` or
  ``unsupported``.

``EXPECTED`` is ``f RANK D... V...``, or ``error`` for an invalid case; a data
set's is two arrays, ``f`` X then ``f`` y (class labels as values of the dtype), and
``dense_backward``'s three, dinputs, dweights and dbiases, in that order.

A results file in line form has one line per case, and ``#`` comments:
``TCID value RANK D_1 ... D_RANK V_1 ... V_N`` (a data set: the two arrays
one after the other; dense_backward: its three), ``TCID error REASON...`` or ``TCID unsupported
REASON...`` (the reason is the rest of the line).

``to_lines`` writes the form from a JSON vector document; ``read_vectors``
reads a ``.lines`` vector file back and returns the package's own JSON document
of that operation and dtype, after checking that the file is its line form
(same nnref version, same lines); ``read_results`` turns a ``.lines`` results
file into a results document for ``check_documents``.  Reading needs nothing
MicroPython lacks.

>>> vectors = {"operation": "relu", "dtype": "float32", "arguments": ["x"], "nnrefVersion": "0.1.0",
...            "testGroups": [{"tests": [{"tcId": 7, "result": "valid",
...     "inputs": {"x": [{"bits": "3f800000"}, {"bits": "00000000"}, {"bits": "bf800000"}]},
...     "expected": [{"bits": "3f800000"}, {"bits": "00000000"}, {"bits": "00000000"}]}]}]}
>>> case_lines(vectors)
['relu float32 7 valid 1 f 1 3 3f800000 00000000 bf800000 expect f 1 3 3f800000 00000000 00000000']
>>> results = parse_results("7 value 1 3 3f800000 00000000 00000000\\n8 unsupported no scalars\\n")
>>> [t["output"] for t in results["testGroups"][0]["tests"]][1]
{'unsupported': 'no scalars'}
"""

from .._base.version import __version__
from ._format import (ARGUMENTS, DTYPES, MAX_RANK, PARTS, SCHEMA_ID, Unreadable, VectorFormatError,
                      clip, declared_shape, document_dtype, encode_bits, file_name, shape_text,
                      tests_of)

SUFFIX = ".lines"


def lines_name(op, dtype="float64"):
    """The line file of ``op`` in ``dtype``: the JSON file's name with ``.lines``.

    >>> lines_name("relu", "float32"), lines_name("softmax")
    ('relu.float32.lines', 'softmax.lines')
    """
    return file_name(op, dtype)[:-len(".json")] + SUFFIX


def base_name(name):
    """A vector or results file's name without ``.json`` or ``.lines`` (None for others).

    >>> base_name("relu.float32.lines"), base_name("relu.json"), base_name("notes.txt")
    ('relu.float32', 'relu', None)
    """
    for suffix in (".json", SUFFIX):
        if name.endswith(suffix) and not name.endswith(".schema.json"):
            return name[:-len(suffix)]
    return None


_GRAMMAR = [
    "case: OP DTYPE TCID RESULT NARGS ARG_1 ... ARG_NARGS expect EXPECTED",
    "RESULT: valid | acceptable | invalid",
    "ARG: f RANK D_1 ... D_RANK V_1 ... V_N (N = D_1 * ... * D_RANK, 1 for rank 0; row-major)",
    "   | i INT | s WORD (a string: reduction) | x KIND (no array: answer error or unsupported)",
    "   (y_true of rank 1: class indices, as values of the dtype; of rank 2: one-hot rows)",
    "V: the value's bit pattern in DTYPE, %d lowercase hex digits",
    "EXPECTED: f RANK D... V... | error (a data set: f X... f y..., labels as values; "
    "dense_backward: f dinputs... f dweights... f dbiases...)",
    "results: TCID value RANK D_1 ... D_RANK V_1 ... V_N | TCID error REASON | TCID unsupported REASON",
    "tolerances: in the JSON vectors (python -m nnref check reads them); docs/conformance.md",
]


def header(document):
    """The ``#`` lines that open the line form of ``document``."""
    dtype = document_dtype(document)
    op = document["operation"]
    lines = [
        "# nnref conformance vectors, line form: %s in %s (docs/conformance.md, \"The line form\")"
        % (op, dtype),
        "# schema: %s" % SCHEMA_ID,
        "# nnrefVersion: %s" % document.get("nnrefVersion", __version__),
        "# generator: python -m nnref vectors --format lines",
        "# operation: %s" % op,
        "# dtype: %s" % dtype,
        "# arguments: %s" % " ".join(ARGUMENTS[op]),
        "# numberOfTests: %d" % len(list(tests_of(document))),
    ]
    width = {"float64": 16, "float32": 8}.get(dtype, 4)
    lines += ["# " + (text % width if "%d" in text else text) for text in _GRAMMAR]
    return lines


def to_lines(document):
    """The line form of a JSON vector document (floats in the file notation, with
    ``bits``), as text: the header, then one line per case."""
    return "\n".join(header(document) + case_lines(document)) + "\n"


def case_lines(document):
    """One line per case of a JSON vector document (see the module's grammar)."""
    op = document["operation"]
    dtype = document_dtype(document)
    out = []
    for test in tests_of(document):
        tokens = [op, dtype, str(test["tcId"]), test["result"], str(len(document["arguments"]))]
        for name in document["arguments"]:
            tokens += _argument(test["inputs"][name], dtype)
        tokens.append("expect")
        expected = test.get("expected")
        if test["result"] == "invalid" or expected is None:
            tokens.append("error")
        elif isinstance(expected, dict) and "X" in expected:
            tokens += ["f"] + _array(expected["X"], dtype) + ["f"] + _array(expected["y"], dtype)
        elif op in PARTS:
            for part in PARTS[op]:
                tokens += ["f"] + _array(expected[part], dtype)
        else:
            tokens += ["f"] + _array(expected, dtype)
        out.append(" ".join(tokens))
    return out


def _argument(value, dtype):
    if isinstance(value, int) and type(value) is not bool:
        return ["i", str(value)]
    if value is None:
        return ["x", "none"]
    if isinstance(value, str):
        return ["s", value] if value in ("mean", "sum", "none") else ["x", "string"]
    if declared_shape(value) is None:
        return ["x", "ragged" if isinstance(value, list) else type(value).__name__.lower()]
    return ["f"] + _array(value, dtype)


def _array(value, dtype):
    # RANK D... V... of an array in the JSON notation (floats with bits, or int labels).
    shape = declared_shape(value)
    values = [] if isinstance(value, dict) and "shape" in value else _flat(value)
    return [str(len(shape))] + [str(d) for d in shape] + [_bits(v, dtype) for v in values]


def _flat(value):
    if isinstance(value, list):
        out = []
        for v in value:
            out.extend(_flat(v))
        return out
    return [value]


def _bits(value, dtype):
    if isinstance(value, dict):
        return value["bits"]
    return encode_bits(float(value), dtype)          # a class label


# --- reading ------------------------------------------------------------------------

def _read_text(path):
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        return data.decode("utf-8")
    except UnicodeError as error:
        raise VectorFormatError("%s: not UTF-8 text (%s)" % (path, error))


def parse_header(text):
    """The ``# key: value`` comments of a line file, as a dict."""
    found = {}
    for line in text.split("\n"):
        if not line.startswith("#"):
            continue
        key, sep, value = line[1:].strip().partition(":")
        if sep and key and " " not in key:
            found.setdefault(key, value.strip())
    return found


def read_vectors(path, package_document=None):
    """The JSON vector document a ``.lines`` vector file is the line form of.

    The header must name an operation and dtype that have vectors, and this
    nnref's version; every case line must be the one this nnref writes.  The
    document returned is the package's (``package_document``, or read from the
    package data), whose tolerances the check then applies.
    ``VectorFormatError`` naming the file (and the line) otherwise."""
    text = _read_text(path)
    head = parse_header(text)
    for key in ("nnrefVersion", "operation", "dtype"):
        if key not in head:
            raise VectorFormatError("%s: not a line-form vector file: no '# %s: ...' header line" % (path, key))
    op, dtype = head["operation"], head["dtype"]
    if op not in ARGUMENTS or dtype not in DTYPES:
        raise VectorFormatError("%s: the header names %s in %s, which have no vectors" % (path, op, dtype))
    if head["nnrefVersion"] != __version__:
        raise VectorFormatError("%s: written by nnref %s; this is nnref %s, whose tolerances may differ "
                                "(regenerate it: python -m nnref vectors --format lines)"
                                % (path, head["nnrefVersion"], __version__))
    if package_document is None:
        import os
        from . import _data
        from ._format import check_vectors, load
        package_path = os.path.join(_data.VECTORS_DIR, file_name(op, dtype))
        if not os.path.exists(package_path):
            raise VectorFormatError("%s: the header names %s in %s, which have no vectors" % (path, op, dtype))
        package_document = load(package_path)
        check_vectors(package_document, package_path)
    want = case_lines(package_document)
    got = [(n + 1, line.rstrip("\r")) for n, line in enumerate(text.split("\n"))
           if line.strip() and not line.startswith("#")]
    for (number, line), expected in zip(got, want):
        if line != expected:
            raise VectorFormatError("%s line %d: not the line nnref %s writes for %s tcId %s"
                                    % (path, number, __version__, op, expected.split(" ")[2]))
    if len(got) != len(want):
        raise VectorFormatError("%s: %d cases; the nnref %s vectors of %s in %s have %d"
                                % (path, len(got), __version__, op, dtype, len(want)))
    return package_document


def read_results(path, op=None):
    """The results document a ``.lines`` results file of ``op`` stands for (see ``parse_results``)."""
    return parse_results(_read_text(path), path, op)


def parse_results(text, path="results", op=None):
    """A results document (``{"testGroups": [{"tests": [{"tcId", "output"}]}]}``) from
    the lines of a results file in line form; a value of a data set (``op``
    ``spiral_data`` ...) is two arrays, X then y, any other one array.

    An output line that does not parse becomes an ``Unreadable`` output, so its
    case fails with the reason; a line whose first token is not a tcId, and
    tcIds given twice, are a ``VectorFormatError`` naming the file and lines."""
    tests = []
    lines_of = {}
    for number, line in enumerate(text.split("\n")):
        number += 1
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if not _is_count(parts[0]):
            raise VectorFormatError("%s line %d: %r is not a tcId (a results line is TCID value ..., "
                                    "TCID error REASON or TCID unsupported REASON)"
                                    % (path, number, clip(parts[0])))
        tc_id = int(parts[0])
        lines_of.setdefault(tc_id, []).append(number)
        names = PARTS.get(op) or (("X", "y") if op and op.endswith("_data") else None)
        tests.append({"tcId": tc_id, "output": _output(parts, number, names)})
    twice = sorted(t for t, numbers in lines_of.items() if len(numbers) > 1)
    if twice:
        raise VectorFormatError("%s: tcId %s given more than once (lines %s)" % (
            path, ", ".join(str(t) for t in twice),
            "; ".join(", ".join(str(n) for n in lines_of[t]) for t in twice)))
    return {"testGroups": [{"tests": tests}]}


def _output(parts, number, names=None):
    # One array, or one per name (a data set's X and y, a tuple result's parts).
    arrays_wanted = 1 if names is None else len(names)
    if len(parts) < 2:
        return Unreadable("line %d: a tcId and nothing else" % number)
    kind = parts[1]
    rest = parts[2] if len(parts) > 2 else ""
    if kind in ("error", "unsupported"):
        return {kind: rest}
    if kind != "value":
        return Unreadable("line %d: %r is not value, error or unsupported" % (number, clip(kind)))
    tokens = rest.split()
    arrays = []
    i = 0
    while i < len(tokens) and len(arrays) < arrays_wanted:
        array, i = _parse_array(tokens, i, number)
        if isinstance(array, Unreadable):
            return array
        arrays.append(array)
    if len(arrays) < arrays_wanted:
        return Unreadable("line %d: value, and %s after it" % (
            number, "no RANK D... V..." if not arrays else "%s, but no %s"
            % (", ".join(names[:len(arrays)]), names[len(arrays)])))
    if i < len(tokens):
        return Unreadable("line %d: %d token(s) left after the output" % (number, len(tokens) - i))
    return arrays[0] if names is None else dict(zip(names, arrays))


def _parse_array(tokens, i, number):
    if not _is_count(tokens[i]) or int(tokens[i]) > MAX_RANK:
        return Unreadable("line %d: %r is not a rank (0 to %d)" % (number, clip(tokens[i]), MAX_RANK)), i
    rank = int(tokens[i])
    i += 1
    if i + rank > len(tokens):
        return Unreadable("line %d: rank %d, and only %d dimension(s)" % (number, rank, len(tokens) - i)), i
    dims = []
    for token in tokens[i:i + rank]:
        if not _is_count(token):
            return Unreadable("line %d: %r is not a dimension" % (number, clip(token))), i
        dims.append(int(token))
    i += rank
    count = 1
    for d in dims:
        count *= d
        if count > len(tokens) - i:
            break
    if 0 in dims:
        count = 0
    if count > len(tokens) - i:
        return Unreadable("line %d: shape %s needs more values than the line has (%d)"
                          % (number, shape_text(dims), len(tokens) - i)), i
    values = [{"bits": token} for token in tokens[i:i + count]]
    return {"shape": dims, "values": values}, i + count


def _is_count(token):
    return token.isdigit() and len(token) <= 18
