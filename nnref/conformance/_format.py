"""The conformance file format, both ways: floats, trees, tests, documents, results.

A vector file is one JSON document per operation and dtype (``docs/conformance.md``
describes it, ``SCHEMA`` checks it): ``OP.json`` in float64, ``OP.DTYPE.json``
in the narrower formats (``softmax.float16.json``; ``file_name``).  Floats are never JSON numbers: each is
``{"dec": repr(x), "hex": float.hex(x)}``, with ``nan``, ``inf`` and ``-inf``
spelled out, because JSON has no NaN, infinities or -0.0.  A RESULTS file is
a vector file with each ``expected`` replaced by ``output``.

Each encoder sits beside its decoder:

====================================  =========================================
write                                 read
====================================  =========================================
``encode_float``                      ``decode_float`` (``parse_hex``)
``encode_tree``                       ``decode_tree``
``_encode_output``                    ``_decode_output``
``_encode_test``                      ``decode_test``
``document``, ``encode``, ``dumps``   ``load``, ``tests_of``
``as_results``                        ``results_by_tc_id``, ``decode_outcome``
====================================  =========================================

Writing runs where the vectors are generated (CPython, PyPy).  Reading needs
nothing MicroPython lacks: hex strings are parsed by hand (no
``float.fromhex``), so the checker runs there too.

>>> encode_float(0.1)
{'dec': '0.1', 'hex': '0x1.999999999999ap-4'}
>>> decode_float(encode_float(-0.0))
-0.0
"""

import json
import math

from .._base.formats import FORMATS, check_dtype, float_hex, round_scaled
from .._base.version import __version__

SCHEMA_ID = "nnref-conformance/1"
SCHEMA_FILE = "conformance.schema.json"

#: The operations, in file order, with the argument names their callables take.
OPERATIONS = (
    ("step", ("x",)),
    ("linear", ("x",)),
    ("relu", ("x",)),
    ("sigmoid", ("x",)),
    ("softmax", ("x",)),
    ("dense", ("inputs", "weights", "biases")),
    ("spiral_data", ("samples", "classes", "seed")),
    ("vertical_data", ("samples", "classes", "seed")),
    ("sine_data", ("samples",)),
)
ARGUMENTS = dict(OPERATIONS)

#: The dtypes of the vectors, widest first.  Every dtype has the six
#: activations and dense; float64 has the three data sets too, and float32
#: the two that book mode (``nnref.book``) draws in float32.
DTYPES = ("float64", "float32", "float16", "bfloat16")
_ACTIVATIONS_AND_DENSE = ("step", "linear", "relu", "sigmoid", "softmax", "dense")
_DTYPE_OPERATIONS = {
    "float64": tuple(name for name, _ in OPERATIONS),
    "float32": _ACTIVATIONS_AND_DENSE + ("spiral_data", "vertical_data"),
    "float16": _ACTIVATIONS_AND_DENSE,
    "bfloat16": _ACTIVATIONS_AND_DENSE,
}


def operations(dtype="float64"):
    """The operations that have vectors in ``dtype``, in file order.

    >>> operations("float16")
    ['step', 'linear', 'relu', 'sigmoid', 'softmax', 'dense']
    >>> operations("float32")[-2:]
    ['spiral_data', 'vertical_data']
    """
    check_dtype(dtype, "conformance.operations")
    return list(_DTYPE_OPERATIONS[dtype])


def file_name(op, dtype="float64"):
    """The vector file of ``op`` in ``dtype``: ``OP.json`` for float64, else ``OP.DTYPE.json``.

    >>> file_name("softmax"), file_name("softmax", "float16")
    ('softmax.json', 'softmax.float16.json')
    """
    return op + ".json" if dtype == "float64" else "%s.%s.json" % (op, dtype)


def accumulators(dtype):
    """The accumulator formats a ``dtype`` dense kernel may add in: those at least as
    wide as ``dtype`` in precision and in range, narrowest first.

    >>> accumulators("float16"), accumulators("bfloat16"), accumulators("float64")
    (['float16', 'float32', 'float64'], ['bfloat16', 'float32', 'float64'], ['float64'])
    """
    fmt = check_dtype(dtype, "conformance.accumulators")
    return [name for name in ("bfloat16", "float16", "float32", "float64")   # narrowest first
            if FORMATS[name].precision >= fmt.precision and FORMATS[name].max_top >= fmt.max_top
            and FORMATS[name].min_lsb <= fmt.min_lsb]


def default_accumulator(dtype):
    """The accumulator a ``dtype`` dense kernel is checked against unless told otherwise:
    float32 for float16 and bfloat16 (how their kernels usually add), else ``dtype`` itself.

    >>> default_accumulator("float16"), default_accumulator("float32")
    ('float32', 'float32')
    """
    check_dtype(dtype, "conformance.default_accumulator")
    return "float32" if dtype in ("float16", "bfloat16") else dtype


def document_dtype(document):
    """The dtype a vector document is in: its ``dtype`` field (float64 for files written
    before the field existed); ``VectorFormatError`` for an unknown one."""
    dtype = document.get("dtype", "float64")
    if dtype not in DTYPES:
        raise VectorFormatError("the vectors' dtype %r is not one of %s" % (dtype, ", ".join(DTYPES)))
    return dtype

_INF = float("inf")
_NAN = float("nan")
_HEX_DIGITS = "0123456789abcdef"


class VectorFormatError(ValueError):
    """A vector or results file that does not follow the format."""


# --- a float <-> {"dec", "hex"} ---------------------------------------------------

def encode_float(x):
    """``{"dec": repr(x), "hex": float.hex(x)}``; NaN and infinities spelled out."""
    if x != x:
        return {"dec": "nan", "hex": "nan"}
    if x in (_INF, -_INF):
        text = "inf" if x > 0 else "-inf"
        return {"dec": text, "hex": text}
    return {"dec": repr(x), "hex": float_hex(x)}


def decode_float(obj, where="value"):
    """The float in ``{"dec": repr, "hex": float.hex()}``; either key may be missing.

    If both are present they must name the same float (bit for bit, or both
    NaN), else ``VectorFormatError``.  A plain JSON number is accepted too.

    >>> decode_float({"dec": "0.1", "hex": "0x1.999999999999ap-4"})
    0.1
    >>> decode_float({"dec": "nan", "hex": "nan"})
    nan
    """
    if isinstance(obj, (int, float)) and type(obj) is not bool:
        return float(obj)
    if not isinstance(obj, dict) or not ("hex" in obj or "dec" in obj):
        raise VectorFormatError("%s: %r is not a float object {\"dec\": ..., \"hex\": ...}"
                                % (where, obj))
    from_hex = parse_hex(obj["hex"]) if "hex" in obj else None
    from_dec = None
    if "dec" in obj:
        try:
            from_dec = float(obj["dec"])
        except (TypeError, ValueError):
            raise VectorFormatError("%s: dec %r is not a number" % (where, obj["dec"]))
    if from_hex is None:
        return from_dec
    if from_dec is not None and not _same_bits(from_hex, from_dec):
        raise VectorFormatError("%s: dec %r and hex %r differ" % (where, obj["dec"], obj["hex"]))
    return from_hex


def parse_hex(text):
    """The float written as ``float.hex()`` text (also ``nan``, ``inf``, ``-inf``).

    Parsed by hand, exactly (digits beyond 53 bits round to nearest even, as
    ``float.fromhex`` does).

    >>> parse_hex("0x1.8000000000000p+0"), parse_hex("-0x0.0p+0"), parse_hex("-inf")
    (1.5, -0.0, -inf)
    >>> parse_hex("0x0.0000000000001p-1022")
    5e-324
    """
    if not isinstance(text, str):
        raise VectorFormatError("hex value %r is not a string" % (text,))
    s = text.strip().lower()
    sign = 1
    if s[:1] in ("-", "+"):
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if s in ("nan", "inf", "infinity"):
        value = _NAN if s == "nan" else _INF
        return -value if sign < 0 and s != "nan" else value
    if not s.startswith("0x"):
        raise VectorFormatError("hex value %r does not start with 0x" % (text,))
    s = s[2:]
    exponent = 0
    if "p" in s:
        s, power = s.split("p", 1)
        try:
            exponent = int(power)
        except ValueError:
            raise VectorFormatError("hex value %r has a bad exponent" % (text,))
    whole, _, fraction = s.partition(".")
    digits = whole + fraction
    if not digits or any(c not in _HEX_DIGITS for c in digits):
        raise VectorFormatError("hex value %r has bad digits" % (text,))
    n = int(digits, 16)
    value = round_scaled(n, exponent - 4 * len(fraction))
    if n == 0:
        value = 0.0
    return -value if sign < 0 else value


def _same_bits(a, b):
    if a != a or b != b:
        return a != a and b != b
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


# --- trees: a number, a vector, a batch of rows -------------------------------------

def encode_tree(value):
    """Numbers, lists and tuples, with every float (and int) as a float object."""
    if isinstance(value, (list, tuple)):
        return [encode_tree(v) for v in value]
    return encode_float(float(value))


def decode_tree(value, where="value"):
    """Nested lists of float objects -> nested lists of floats (see ``decode_float``).

    >>> decode_tree([[{"hex": "0x1.0p+0"}, {"dec": "-inf"}]])
    [[1.0, -inf]]
    """
    if isinstance(value, list):
        return [decode_tree(v, "%s[%d]" % (where, i)) for i, v in enumerate(value)]
    return decode_float(value, where)


# --- an output: a tree, or a data set {"X": rows, "y": labels} ------------------------

def _encode_output(op, value):
    if op.endswith("_data"):
        y = value["y"]
        if y and isinstance(y[0], list):      # sine_data: y is a column of floats
            y = encode_tree(y)
        return {"X": encode_tree(value["X"]), "y": y}
    return encode_tree(value)


def _decode_output(value, where):
    if value is None:
        return None
    if isinstance(value, dict) and "X" in value:
        y = value["y"]
        if y and isinstance(y[0], (list, dict)):
            y = decode_tree(y, where + ".y")
        return {"X": decode_tree(value["X"], where + ".X"), "y": y}
    return decode_tree(value, where)


# --- one test ----------------------------------------------------------------------
# Data-set sizes and seeds stay JSON integers; tolerance bounds are trees.

def _encode_test(op, test):
    out = dict(test)
    out["inputs"] = dict((name, v if isinstance(v, int) and op.endswith("_data") else encode_tree(v))
                         for name, v in test["inputs"].items())
    if test["expected"] is not None:
        out["expected"] = _encode_output(op, test["expected"])
    if "alternatives" in test:
        out["alternatives"] = [_encode_output(op, alt) for alt in test["alternatives"]]
    tol = dict(test["tolerance"])
    for key in ("rel", "abs"):
        if key in tol:
            tol[key] = encode_tree(tol[key])
    if "accumulators" in tol:
        tol["accumulators"] = dict((name, _encode_bound(bound)) for name, bound in tol["accumulators"].items())
    out["tolerance"] = tol
    return out


def _encode_bound(bound):
    out = dict(bound)
    for key in ("rel", "abs"):
        if key in bound:
            out[key] = encode_tree(bound[key])
    return out


def decode_test(op, test):
    """A copy of ``test`` (from a vector file of ``op``) with its inputs,
    expected value, alternatives and tolerance bounds decoded to floats.

    >>> t = decode_test("relu", {"tcId": 4, "inputs": {"x": {"dec": "-0.0", "hex": "-0x0.0p+0"}},
    ...                          "expected": {"dec": "-0.0", "hex": "-0x0.0p+0"}, "result": "valid",
    ...                          "tolerance": {"rule": "exact", "ulp": 0, "signedZero": True}})
    >>> t["inputs"], t["expected"]
    ({'x': -0.0}, -0.0)
    """
    where = "%s tcId %s" % (op, test.get("tcId"))
    out = dict(test)
    out["inputs"] = dict((name, v if isinstance(v, int) and type(v) is not bool
                          else decode_tree(v, "%s inputs.%s" % (where, name)))
                         for name, v in test["inputs"].items())
    out["expected"] = _decode_output(test.get("expected"), where + " expected")
    if "alternatives" in test:
        out["alternatives"] = [_decode_output(a, where + " alternative") for a in test["alternatives"]]
    tol = dict(test["tolerance"])
    for key in ("rel", "abs"):
        if key in tol:
            tol[key] = decode_tree(tol[key], "%s tolerance.%s" % (where, key))
    if "accumulators" in tol:
        bounds = {}
        for name, bound in tol["accumulators"].items():
            bounds[name] = dict(bound)
            for key in ("rel", "abs"):
                if key in bound:
                    bounds[name][key] = decode_tree(bound[key], "%s tolerance.accumulators.%s.%s"
                                                    % (where, name, key))
        tol["accumulators"] = bounds
    out["tolerance"] = tol
    return out


# --- a whole vector document ---------------------------------------------------------

_HEADER = [
    "Conformance vectors for nnref, the pure-Python reference of chapter 4 of",
    "Neural Networks from Scratch in Python.  Floats are strings: dec is the",
    "shortest repr, hex is float.hex(); nan, inf and -inf are spelled out.",
    "A test passes if each output element is within its tolerance: ULP distance",
    "<= ulp, or |out - expected| <= rel * |expected|, or <= abs.  See",
    "docs/conformance.md for the result kinds and the tolerance rules.",
]


def _narrow_header(dtype):
    return _HEADER + [
        "Every input and expected value is a %s value, written as the float64 that" % dtype,
        "holds it; an output that is not a %s value fails.  ULPs are %s ULPs." % (dtype, dtype),
    ]


def document(op, notes, groups, dtype="float64"):
    """The vector document of ``op`` in ``dtype`` around its test groups, floats still floats.

    ``notes`` maps each flag the tests use to its meaning.  The keys are the
    ones ``SCHEMA`` requires.  A dense document in a dtype narrower than
    float64 (and a softmax document in float16 or bfloat16) also names the
    accumulators its bounds are for (``accumulators``) and the one checked by
    default (``accumulate``).
    """
    out = {
        "schema": SCHEMA_ID,
        "nnrefVersion": __version__,
        "operation": op,
        "dtype": dtype,
        "arguments": list(ARGUMENTS[op]),
        "generator": "python -m nnref vectors",
        "header": _HEADER if dtype == "float64" else _narrow_header(dtype),
        "notes": notes,
        "numberOfTests": sum(len(group["tests"]) for group in groups),
        "testGroups": groups,
    }
    if (op == "dense" and dtype != "float64") or (op == "softmax" and dtype in ("float16", "bfloat16")):
        out["accumulators"] = accumulators(dtype)
        out["accumulate"] = default_accumulator(dtype)
    return out


def encode(document):
    """The JSON-ready form of a document: floats become ``{"dec", "hex"}`` objects."""
    out = dict(document)
    op = document["operation"]
    out["testGroups"] = []
    for group in document["testGroups"]:
        g = dict(group)
        g["tests"] = [_encode_test(op, t) for t in group["tests"]]
        out["testGroups"].append(g)
    return out


def load(path):
    """Read a vector or results file (JSON) and return the document, floats still
    in their ``{"dec", "hex"}`` notation; ``VectorFormatError`` if it has no
    ``testGroups``."""
    with open(path) as handle:
        document = json.load(handle)
    if not isinstance(document, dict) or "testGroups" not in document:
        raise VectorFormatError("%s is not a conformance vector file (no testGroups)" % path)
    return document


def tests_of(document):
    """Every test of a vector document, in order."""
    for group in document["testGroups"]:
        for test in group["tests"]:
            yield test


# --- RESULTS documents -----------------------------------------------------------------

def as_results(document, outputs=None):
    """A RESULTS document: ``document`` with each ``expected`` replaced by ``output``.

    ``outputs`` maps tcId to an output in the file notation (a float tree, or
    ``{"error": "..."}``); without it the vectors' own expected values are
    used, and invalid cases get ``{"error": <exception>}``.  Handy for ports
    that want a template to fill in.

    >>> import os
    >>> from nnref.conformance._data import VECTORS_DIR
    >>> vectors = load(os.path.join(VECTORS_DIR, "relu.json"))
    >>> results = as_results(vectors)
    >>> test = results["testGroups"][0]["tests"][0]
    >>> sorted(test)
    ['comment', 'flags', 'inputs', 'output', 'result', 'tcId', 'tolerance']
    """
    out = dict(document)
    out["testGroups"] = []
    for group in document["testGroups"]:
        g = dict(group)
        g["tests"] = []
        for test in group["tests"]:
            t = dict((k, v) for k, v in test.items() if k not in ("expected", "alternatives"))
            if outputs is not None:
                t["output"] = _copy_tree(outputs[test["tcId"]])
            elif test["result"] == "invalid":
                t["output"] = {"error": test.get("exception", "error")}
            else:
                t["output"] = _copy_tree(test["expected"])
            g["tests"].append(t)
        out["testGroups"].append(g)
    return out


def _copy_tree(value):
    # New lists and dicts all the way down, so editing the results never edits the vectors.
    if isinstance(value, list):
        return [_copy_tree(v) for v in value]
    if isinstance(value, dict):
        return dict((k, _copy_tree(v)) for k, v in value.items())
    return value


def results_by_tc_id(document, path):
    """tcId -> test of a RESULTS document; ``VectorFormatError`` for a test without one."""
    outputs = {}
    for test in tests_of(document):
        if "tcId" not in test:
            raise VectorFormatError("%s: a test has no tcId" % path)
        outputs[test["tcId"]] = test
    return outputs


def decode_outcome(op, tc_id, output):
    """A RESULTS test's ``output`` as an outcome: ``("error", text)`` for
    ``{"error": text}``, else ``("value", the decoded output)``.

    >>> decode_outcome("relu", 3, {"error": "ValueError: no"})
    ('error', 'ValueError: no')
    >>> decode_outcome("relu", 3, [{"dec": "1.5"}])
    ('value', [1.5])
    """
    if isinstance(output, dict) and "error" in output:
        return "error", str(output["error"])
    return "value", _decode_output(output, "%s tcId %s output" % (op, tc_id))


# --- text --------------------------------------------------------------------------------

def dumps(document):
    """Serialise a JSON document deterministically: sorted keys, one-space
    indent, short arrays and float objects on one line, ``\\n`` line ends."""
    lines = []

    def compact(value):
        return json.dumps(value, sort_keys=True, separators=(", ", ": "), ensure_ascii=False)

    def emit(value, indent, prefix, suffix):
        pad = " " * indent
        text = compact(value)
        if not isinstance(value, (dict, list)) or len(pad + prefix + text + suffix) <= 100 or _is_leaf(value):
            lines.append(pad + prefix + text + suffix)
            return
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        lines.append(pad + prefix + opening)
        items = sorted(value.items()) if isinstance(value, dict) else [(None, v) for v in value]
        for i, (key, item) in enumerate(items):
            inner_prefix = "" if key is None else json.dumps(key, ensure_ascii=False) + ": "
            emit(item, indent + 1, inner_prefix, "," if i < len(items) - 1 else "")
        lines.append(pad + closing + suffix)

    emit(document, 0, "", "")
    return "\n".join(lines) + "\n"


def _is_leaf(value):
    return isinstance(value, dict) and set(value) == {"dec", "hex"}


# --- the JSON Schema -----------------------------------------------------------------
# A draft-07 schema, using only: type, properties, required,
# additionalProperties, items, enum, pattern, minimum, anyOf and $ref.  It is
# written as SCHEMA_FILE beside the vectors, and a copy is in docs/.

def _ref(name):
    return {"$ref": "#/definitions/" + name}


def _array(items):
    return {"type": "array", "items": items}


_STRING = {"type": "string"}

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": SCHEMA_ID,
    "title": "nnref conformance vectors",
    "description": "One operation's test vectors.  Floats are objects {dec, hex}; see "
                   "docs/conformance.md.",
    "type": "object",
    "required": ["schema", "nnrefVersion", "operation", "dtype", "arguments", "generator", "header",
                 "notes", "numberOfTests", "testGroups"],
    "additionalProperties": False,
    "properties": {
        "schema": {"enum": [SCHEMA_ID]},
        "nnrefVersion": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+"},
        "operation": {"enum": [name for name, _ in OPERATIONS]},
        "dtype": {"description": "The format of every input, expected value and output: an output "
                                 "that is not a value of it fails, and ULPs are its ULPs.",
                  "enum": list(DTYPES)},
        "accumulators": {"description": "dense in a narrow dtype, softmax in float16 and bfloat16: "
                                        "the accumulator formats the "
                                        "tests' bounds are given for (tolerance.accumulators).",
                         "type": "array", "items": {"enum": list(DTYPES)}},
        "accumulate": {"description": "dense in a narrow dtype, softmax in float16 and bfloat16: "
                                      "the accumulator checked unless "
                                      "another is chosen (check --accumulate).",
                       "enum": list(DTYPES)},
        "arguments": _array(_STRING),
        "generator": _STRING,
        "header": _array(_STRING),
        "notes": {"type": "object", "additionalProperties": _STRING},
        "numberOfTests": {"type": "integer", "minimum": 0},
        "testGroups": _array(_ref("testGroup")),
    },
    "definitions": {
        "float": {
            "description": "A float64 (holding a value of the file's dtype): dec is the shortest "
                           "repr, hex is float.hex(); NaN and the infinities are nan, inf and -inf "
                           "in both.",
            "type": "object",
            "required": ["dec", "hex"],
            "additionalProperties": False,
            "properties": {
                "dec": {"type": "string",
                        "pattern": "^(nan|-?inf|-?[0-9]+(\\.[0-9]+)?(e[-+][0-9]+)?)$"},
                "hex": {"type": "string",
                        "pattern": "^(nan|-?inf|-?0x[01]\\.[0-9a-f]+p[-+][0-9]+)$"},
            },
        },
        "tree": {
            "description": "A float, or a (nested) list of them: a vector or a batch of rows.",
            "anyOf": [_ref("float"), _array(_ref("tree"))],
        },
        "dataset": {
            "description": "A data set: X (rows of floats) and y (int labels, or a column of floats).",
            "type": "object",
            "required": ["X", "y"],
            "additionalProperties": False,
            "properties": {
                "X": _ref("tree"),
                "y": _array({"anyOf": [{"type": "integer"}, _ref("tree")]}),
            },
        },
        "output": {"anyOf": [_ref("tree"), _ref("dataset")]},
        "tolerance": {
            "description": "An element passes if its ULP distance (in the file's dtype) is <= ulp, "
                           "or |out - expected| <= rel * |expected|, or <= abs (rel and abs: one "
                           "float, or a tree shaped like expected).  signedZero: the sign of a zero "
                           "must match.  accumulators (dense in a narrow dtype, softmax in float16 "
                           "and bfloat16): the bounds for each accumulator format, one of which is "
                           "checked.",
            "type": "object",
            "required": ["rule", "ulp", "signedZero"],
            "additionalProperties": False,
            "properties": {
                "rule": {"enum": ["exact", "exp", "softmax", "dense", "libm"]},
                "ulp": {"type": "integer", "minimum": 0},
                "rel": _ref("tree"),
                "abs": _ref("tree"),
                "signedZero": {"type": "boolean"},
                "accumulators": {"type": "object",
                                 "additionalProperties": False,
                                 "properties": dict((name, _ref("accumulatorBound")) for name in DTYPES)},
            },
        },
        "accumulatorBound": {
            "description": "The bounds for one accumulator: rel and abs as in tolerance.  overflow: a sum in "
                           "this accumulator may overflow on the way, so an infinite or NaN output "
                           "element passes too.",
            "type": "object",
            "required": ["abs"],
            "additionalProperties": False,
            "properties": {"rel": _ref("tree"), "abs": _ref("tree"), "overflow": {"type": "boolean"}},
        },
        "testGroup": {
            "type": "object",
            "required": ["category", "description", "tests"],
            "additionalProperties": False,
            "properties": {
                "category": _STRING,
                "description": _STRING,
                "seed": {"type": "integer", "minimum": 0},
                "tests": _array(_ref("test")),
            },
        },
        "test": {
            "type": "object",
            "required": ["tcId", "comment", "flags", "inputs", "expected", "result", "tolerance"],
            "additionalProperties": False,
            "properties": {
                "tcId": {"type": "integer", "minimum": 1},
                "comment": _STRING,
                "flags": _array({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}),
                "inputs": {"type": "object",
                           "additionalProperties": {"anyOf": [{"type": "integer"}, _ref("tree")]}},
                "expected": {"anyOf": [{"type": "null"}, _ref("output")]},
                "alternatives": _array(_ref("output")),
                "result": {"enum": ["valid", "acceptable", "invalid"]},
                "exception": {"enum": ["ValueError", "TypeError"]},
                "tolerance": _ref("tolerance"),
            },
        },
    },
}
