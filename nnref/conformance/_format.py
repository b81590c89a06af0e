"""The conformance file format, both ways: floats, trees, tests, documents, results.

A vector file is one JSON document per operation and dtype (``docs/conformance.md``
describes it, ``SCHEMA`` checks it): ``OP.json`` in float64, ``OP.DTYPE.json``
in the narrower formats (``softmax.float16.json``; ``file_name``).  Floats are
never JSON numbers: each is ``{"dec": repr(x), "hex": float.hex(x), "bits":
PATTERN}``, with ``nan``, ``inf`` and ``-inf`` spelled out, because JSON has no
NaN, infinities or -0.0; ``bits`` is the IEEE bit pattern in the file's dtype
(``encode_bits``).  Tolerance bounds are float64 numbers in every dtype and
carry ``dec`` and ``hex`` only.  An array with an empty dimension, whose shape
the nesting cannot show, is ``{"shape": [n, k], "values": []}``.  A RESULTS
file is a vector file with each ``expected`` replaced by ``output``; an output
float may give any of ``bits``, ``hex`` and ``dec`` (all that it gives must
agree).  ``_lines`` has the flat line form of both.

Each encoder sits beside its decoder:

====================================  =========================================
write                                 read
====================================  =========================================
``encode_float`` (``encode_bits``)    ``decode_float`` (``parse_hex``)
``encode_tree``                       ``decode_tree``, ``declared_shape``
``_encode_output``                    ``_decode_output``
``_encode_test``                      ``decode_test``
``document``, ``encode``, ``dumps``   ``load``, ``check_vectors``, ``tests_of``
``as_results``                        ``results_by_tc_id``, ``decode_outcome``
====================================  =========================================

Reading never ends in a ``TypeError``, ``KeyError``, ``OverflowError`` or
``RecursionError``: whatever a file holds, a reader returns or raises
``VectorFormatError`` with the place (``output[2]: bits '3f80' has 4 digits; a
float32 bit pattern has 8``).  Nesting deeper than ``MAX_RANK`` is refused
before it is walked.

Writing runs where the vectors are generated (CPython, PyPy).  Reading needs
nothing MicroPython lacks: hex strings are parsed by hand (no
``float.fromhex``), so the checker runs there too.

>>> encode_float(0.1, "float64")
{'dec': '0.1', 'hex': '0x1.999999999999ap-4', 'bits': '3fb999999999999a'}
>>> decode_float(encode_float(-0.0))
-0.0
"""

import json
import math

from .._base.formats import FORMATS, check_dtype, float_hex, from_bits, round_scaled, to_bits
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
    ("relu_backward", ("dvalues", "inputs")),
    ("sigmoid_backward", ("dvalues", "inputs")),
    ("softmax_backward", ("dvalues", "inputs")),
    ("dense_backward", ("dvalues", "inputs", "weights")),
    ("categorical_crossentropy", ("y_pred", "y_true", "reduction")),
    ("categorical_crossentropy_backward", ("y_pred", "y_true")),
    ("softmax_crossentropy_backward", ("inputs", "y_true")),
    ("accuracy", ("y_pred", "y_true")),
    ("spiral_data", ("samples", "classes", "seed")),
    ("vertical_data", ("samples", "classes", "seed")),
    ("sine_data", ("samples",)),
)
ARGUMENTS = dict(OPERATIONS)

#: The losses' class labels: ``y_true`` as n class indices is a JSON array of
#: integers (one-hot rows are floats of the dtype, as every other array);
#: ``reduction`` is a JSON string ("mean", "sum" or "none").
LABEL_ARGUMENTS = ("y_true",)
STRING_ARGUMENTS = ("reduction",)


def is_labels(value):
    """Whether ``value`` is a nonempty list of plain ints (class indices, never bools)."""
    return (isinstance(value, list) and bool(value)
            and all(isinstance(v, int) and type(v) is not bool for v in value))

#: Operations whose result is a tuple: its parts, in the order the function
#: returns them.  Such an ``expected`` (and an output) is an object with one
#: array per part, ``{"dinputs": ..., "dweights": ..., "dbiases": ...}``, and a
#: ``rel`` or ``abs`` bound tree is an object with the same keys.
PARTS = {"dense_backward": ("dinputs", "dweights", "dbiases")}


def is_parts(value):
    """Whether ``value`` is a tuple result held as an object of parts (``PARTS``)."""
    return isinstance(value, dict) and "dinputs" in value

#: The dtypes of the vectors, widest first.  Every dtype has the six
#: activations, dense, the four backward passes and the four losses; float64 has the three
#: data sets too, and float32 the two that book mode (``nnref.book``) draws
#: in float32.
DTYPES = ("float64", "float32", "float16", "bfloat16")
_ACTIVATIONS_AND_DENSE = ("step", "linear", "relu", "sigmoid", "softmax", "dense", "relu_backward",
                          "sigmoid_backward", "softmax_backward", "dense_backward",
                          "categorical_crossentropy", "categorical_crossentropy_backward",
                          "softmax_crossentropy_backward", "accuracy")
_DTYPE_OPERATIONS = {
    "float64": tuple(name for name, _ in OPERATIONS),
    "float32": _ACTIVATIONS_AND_DENSE + ("spiral_data", "vertical_data"),
    "float16": _ACTIVATIONS_AND_DENSE,
    "bfloat16": _ACTIVATIONS_AND_DENSE,
}


def operations(dtype="float64"):
    """The operations that have vectors in ``dtype``, in file order.

    >>> operations("float16")[:6]
    ['step', 'linear', 'relu', 'sigmoid', 'softmax', 'dense']
    >>> operations("float16")[6:10]
    ['relu_backward', 'sigmoid_backward', 'softmax_backward', 'dense_backward']
    >>> operations("float16")[10:]
    ['categorical_crossentropy', 'categorical_crossentropy_backward', 'softmax_crossentropy_backward', 'accuracy']
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

try:
    _RecursionError = RecursionError
except NameError:                            # MicroPython raises RuntimeError
    _RecursionError = RuntimeError

_INF = float("inf")
_NAN = float("nan")
_HEX_DIGITS = "0123456789abcdef"

#: The deepest nesting read anywhere (an array of at most this rank): deeper
#: lists are an error, never a ``RecursionError``.
MAX_RANK = 32
#: The most lists a ``{"shape", "values"}`` array may stand for (a shape such
#: as ``[10**9, 0]`` holds no value, but would be a billion empty lists).
MAX_LISTS = 10 ** 6


class VectorFormatError(ValueError):
    """A vector or results file that does not follow the format."""


class Unreadable(object):
    """What could not be read: an output (a results line that does not parse), or with
    ``value`` True a JSON value (an integer too long for ``int()``).  Its case fails
    with ``reason``: decoders raise it as a ``VectorFormatError``."""

    def __init__(self, reason, value=False):
        self.reason = reason
        self.value = value

    def __repr__(self):
        return "Unreadable(%r)" % (self.reason,)


def _fmt(dtype):
    # None (width taken from the bits themselves where it can be) or a Format.
    if dtype is None:
        return None
    return check_dtype(dtype, "conformance")


# --- a float <-> {"dec", "hex", "bits"} ---------------------------------------------

def bits_digits(dtype):
    """The hex digits of a ``dtype`` bit pattern: 16, 8, 4 and 4.

    >>> [bits_digits(d) for d in DTYPES]
    [16, 8, 4, 4]
    """
    return check_dtype(dtype, "bits_digits").total_bits // 4


def encode_bits(x, dtype):
    """The bit pattern of ``x`` (a ``dtype`` value) as ``bits`` writes it: lowercase
    hex digits, no ``0x``, zero-padded to the format's width.  NaN is the quiet NaN
    with the sign bit clear, whatever its payload.

    >>> encode_bits(1.0, "float32"), encode_bits(-0.0, "float16"), encode_bits(float("nan"), "bfloat16")
    ('3f800000', '8000', '7fc0')
    """
    fmt = check_dtype(dtype, "encode_bits")
    if x != x:
        n = ((1 << fmt.exponent_bits) - 1) << fmt.fraction_bits | 1 << (fmt.fraction_bits - 1)
    else:
        n = to_bits(x, fmt)
    text = "%x" % n
    return "0" * (fmt.total_bits // 4 - len(text)) + text


def encode_float(x, dtype=None):
    """``{"dec": repr(x), "hex": float.hex(x)}``, NaN and infinities spelled out, and
    with a ``dtype`` the bit pattern in it too (``"bits"``, see ``encode_bits``).

    >>> encode_float(0.1)
    {'dec': '0.1', 'hex': '0x1.999999999999ap-4'}
    >>> encode_float(-2.0, "float16")
    {'dec': '-2.0', 'hex': '-0x1.0000000000000p+1', 'bits': 'c000'}
    """
    if x != x:
        out = {"dec": "nan", "hex": "nan"}
    elif x in (_INF, -_INF):
        text = "inf" if x > 0 else "-inf"
        out = {"dec": text, "hex": text}
    else:
        out = {"dec": repr(x), "hex": float_hex(x)}
    if dtype is not None:
        out["bits"] = encode_bits(x, dtype)
    return out


def decode_float(obj, where="value", dtype=None):
    """The float in a float object: any of ``bits`` (the pattern in ``dtype``), ``hex``
    (``float.hex()``) and ``dec`` (``repr``); a plain JSON number is accepted too.

    If several are present they must name the same float (bit for bit, or all
    NaN), else ``VectorFormatError`` naming both.  Without a ``dtype``, ``bits``
    is read where its width says the format (16 digits float64, 8 float32) and
    left aside otherwise.  Anything else is a ``VectorFormatError`` that says
    what ``where`` held.

    >>> decode_float({"dec": "0.1", "hex": "0x1.999999999999ap-4"})
    0.1
    >>> decode_float({"bits": "3e00"}, dtype="float16"), decode_float({"dec": "nan", "hex": "nan"})
    (1.5, nan)
    >>> decode_float({"bits": "3f800000", "dec": "1.5"}, "output[2]", "float32")
    Traceback (most recent call last):
        ...
    nnref.conformance.VectorFormatError: output[2]: bits '3f800000' (1.0) and dec '1.5' (1.5) name different floats
    """
    fmt = dtype if dtype is None or not isinstance(dtype, str) else _fmt(dtype)
    if type(obj) is bool:
        raise VectorFormatError("%s is %s, not a float" % (where, "true" if obj else "false"))
    if isinstance(obj, Unreadable):
        raise VectorFormatError("%s is %s" % (where, obj.reason))
    if isinstance(obj, float):
        return obj
    if isinstance(obj, int):
        return _int_to_float(obj, where)
    if not isinstance(obj, dict):
        raise VectorFormatError("%s is %s, not a float object {\"bits\", \"hex\", \"dec\"}"
                                % (where, describe_json(obj)))
    found = []
    if "bits" in obj:
        bits = obj["bits"]
        if fmt is None and isinstance(bits, str) and len(bits) not in (8, 16) and ("hex" in obj or "dec" in obj):
            pass          # float16 or bfloat16? The other keys say.
        else:
            found.append(("bits", bits, _parse_bits(bits, fmt, where)))
    if "hex" in obj:
        found.append(("hex", obj["hex"], _parse_hex_at(obj["hex"], where)))
    if "dec" in obj:
        found.append(("dec", obj["dec"], _parse_dec(obj["dec"], where)))
    if not found:
        raise VectorFormatError("%s is %s, not a float object {\"bits\", \"hex\", \"dec\"}"
                                % (where, describe_json(obj)))
    key, text, value = found[0]
    for other_key, other_text, other in found[1:]:
        if not _same_bits(value, other):
            raise VectorFormatError("%s: %s %r (%r) and %s %r (%r) name different floats"
                                    % (where, key, text, value, other_key, other_text, other))
    return value


def _int_to_float(n, where):
    # Rounded exactly, everywhere (MicroPython's float(int) truncates, and gives inf
    # where CPython raises OverflowError).
    value = round_scaled(n, 0) if -_TWO_1100 < n < _TWO_1100 else _INF
    if value in (_INF, -_INF):
        raise VectorFormatError("%s is an integer of %d digits, too large for a float"
                                % (where, digit_count(n)))
    return value


_TWO_1100 = 2 ** 1100


def _parse_bits(text, fmt, where):
    if not isinstance(text, str):
        raise VectorFormatError("%s: bits %s is not a string of hex digits" % (where, describe_json(text)))
    s = text.lower()
    if not s or any(c not in _HEX_DIGITS for c in s):
        raise VectorFormatError("%s: bits %r is not a string of hex digits" % (where, clip(text)))
    if fmt is None:
        fmt = {16: FORMATS["float64"], 8: FORMATS["float32"]}.get(len(s))
        if fmt is None:
            raise VectorFormatError("%s: bits %r: %d digits, and no dtype to read them in"
                                    % (where, clip(text), len(s)))
    width = fmt.total_bits // 4
    if len(s) != width:
        raise VectorFormatError("%s: bits %r has %d digits; a %s bit pattern has %d"
                                % (where, clip(text), len(s), fmt.name, width))
    return from_bits(int(s, 16), fmt)


def _parse_hex_at(text, where):
    try:
        return parse_hex(text)
    except VectorFormatError as error:
        raise VectorFormatError("%s: %s" % (where, error))


_DEC_CHARACTERS = "0123456789.e+-"


def _parse_dec(text, where):
    if not isinstance(text, str):
        raise VectorFormatError("%s: dec %s is not a string" % (where, describe_json(text)))
    s = text.lower()
    body = s[1:] if s[:1] in ("-", "+") else s
    if body not in ("nan", "inf") and (not body or any(c not in _DEC_CHARACTERS for c in body)):
        raise VectorFormatError("%s: dec %r is not a number" % (where, clip(text)))
    try:
        return float(s)
    except (TypeError, ValueError):
        raise VectorFormatError("%s: dec %r is not a number" % (where, clip(text)))


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
        raise VectorFormatError("hex value %s is not a string" % (describe_json(text),))
    s = text.strip().lower()
    sign = 1
    if s[:1] in ("-", "+"):
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if s in ("nan", "inf", "infinity"):
        value = _NAN if s == "nan" else _INF
        return -value if sign < 0 and s != "nan" else value
    if not s.startswith("0x"):
        raise VectorFormatError("hex value %r does not start with 0x" % (clip(text),))
    s = s[2:]
    exponent = 0
    if "p" in s:
        s, power = s.split("p", 1)
        if len(power) > 12 or not power.lstrip("+-").isdigit() or power[:1] not in "+-0123456789":
            raise VectorFormatError("hex value %r has a bad exponent" % (clip(text),))
        exponent = int(power)
    whole, _, fraction = s.partition(".")
    digits = whole + fraction
    if not digits or any(c not in _HEX_DIGITS for c in digits):
        raise VectorFormatError("hex value %r has bad digits" % (clip(text),))
    n = int(digits, 16)
    scale = exponent - 4 * len(fraction)
    top = 4 * len(digits.lstrip("0")) + scale            # n * 2**scale < 2**top
    if n == 0 or top < -2000:
        value = 0.0                                      # far below every subnormal
    elif top > 2000:
        value = _INF
    else:
        value = round_scaled(n, scale)
    return -value if sign < 0 else value


def _same_bits(a, b):
    if a != a or b != b:
        return a != a and b != b
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def describe_json(value):
    """What a JSON value is, for a message: ``null``, ``true``, ``the string 'x'``,
    ``a list of 3``, ``an object with keys a, b``, a number as written.

    >>> describe_json(None), describe_json("1.5"), describe_json({"value": 1})
    ('null', "the string '1.5'", 'an object with keys value')
    """
    if value is None:
        return "null"
    if isinstance(value, Unreadable):
        return value.reason
    if type(value) is bool:
        return "true" if value else "false"
    if isinstance(value, int):
        return repr(value) if -10 ** 30 < value < 10 ** 30 else \
            "an integer of %d digits" % digit_count(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return "the string %r" % (clip(value),)
    if isinstance(value, list):
        return "a list of %d" % len(value) if value else "an empty list"
    if isinstance(value, dict):
        keys = sorted(str(k) for k in value)
        return ("an object with keys %s" % clip(", ".join(keys))) if keys else "an empty object"
    return "a %s" % type(value).__name__


def clip(text, size=40):
    """``text`` cut to ``size`` characters, ``...`` marking the cut."""
    text = str(text)
    return text if len(text) <= size else text[:size - 3] + "..."


def digit_count(n):
    """The decimal digits of ``|n|``, without ``str(n)`` (which CPython refuses for huge ints).

    >>> digit_count(0), digit_count(-999), digit_count(10 ** 5000)
    (1, 3, 5001)
    """
    n = -n if n < 0 else n
    count = 1
    while n >= 10 ** 100:
        n //= 10 ** 100
        count += 100
    while n >= 10:
        n //= 10
        count += 1
    return count


# --- trees: a number, a vector, a batch of rows; {"shape", "values"} --------------------

def array_shape(value):
    """The shape of a rectangular nest of lists (``()`` for a number), or None if ragged.

    >>> array_shape([[1.0, 2.0]]), array_shape([]), array_shape([[], []]), array_shape([[1.0], []])
    ((1, 2), (0,), (2, 0), None)
    """
    if not isinstance(value, (list, tuple)):
        return ()
    inner = [array_shape(v) for v in value]
    if any(s is None or s != inner[0] for s in inner):
        return None
    return (len(value),) + (inner[0] if inner else ())


def _flatten(value):
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            out.extend(_flatten(v))
        return out
    return [value]


def encode_tree(value, dtype=None, shape=None):
    """Numbers, lists and tuples, with every float (and int) as a float object (see
    ``encode_float``; ``bits`` with a ``dtype``).

    An array with an empty dimension is written ``{"shape": [...], "values": [...]}``
    (values flat, row-major), since the nesting cannot show its shape: ``shape``,
    or the nesting's when it is None.  Other arrays stay nested lists.

    >>> encode_tree([1.0, 2.0], "float32")[1]
    {'dec': '2.0', 'hex': '0x1.0000000000000p+1', 'bits': '40000000'}
    >>> encode_tree([], "float32", shape=(0, 3)), encode_tree([[], []])
    ({'shape': [0, 3], 'values': []}, {'shape': [2, 0], 'values': []})
    """
    if shape is None:
        shape = array_shape(value)
    if shape is not None and 0 in shape:
        values = _flatten(value)
        if values:
            raise ValueError("encode_tree: shape %r holds no values, got %d" % (tuple(shape), len(values)))
        return {"shape": list(shape), "values": []}
    return _encode_nested(value, dtype)


def _encode_nested(value, dtype):
    if isinstance(value, (list, tuple)):
        return [_encode_nested(v, dtype) for v in value]
    return encode_float(float(value), dtype)


def decode_tree(value, where="value", dtype=None):
    """Nested lists of float objects, or ``{"shape", "values"}``, -> nested lists of
    floats (see ``decode_float``).  ``{"shape": [0, 3], "values": []}`` is ``[]``,
    ``{"shape": [2, 0], "values": []}`` is ``[[], []]``.  Lists nested deeper than
    ``MAX_RANK`` are a ``VectorFormatError``.

    >>> decode_tree([[{"hex": "0x1.0p+0"}, {"dec": "-inf"}]])
    [[1.0, -inf]]
    >>> decode_tree({"shape": [2, 0], "values": []}), decode_tree({"shape": [1, 2], "values": [1.0, 2.0]})
    ([[], []], [[1.0, 2.0]])
    """
    return _decode_tree(value, where, dtype if dtype is None or not isinstance(dtype, str) else _fmt(dtype), 0)


def _decode_tree(value, where, fmt, depth):
    if isinstance(value, list):
        if depth >= MAX_RANK:
            raise VectorFormatError("%s: lists nested more than %d deep, deeper than any array"
                                    % (where, MAX_RANK))
        return [_decode_tree(v, "%s[%d]" % (where, i), fmt, depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict) and "shape" in value:
        return _decode_shaped(value, where, fmt, depth)
    return decode_float(value, where, fmt)


def declared_shape(value):
    """The shape a JSON array states: a ``{"shape", "values"}`` array's ``shape``, the
    nesting of a rectangular list, ``()`` for a float; None if it states none (ragged,
    or not an array).

    >>> declared_shape({"shape": [0, 3], "values": []}), declared_shape([[{"dec": "1.0"}]])
    ((0, 3), (1, 1))
    """
    if isinstance(value, dict) and "shape" in value:
        shape = value["shape"]
        if isinstance(shape, list) and all(isinstance(d, int) and type(d) is not bool for d in shape):
            return tuple(shape)
        return None
    if isinstance(value, list):
        inner = [declared_shape(v) for v in value[:1]] if value else [()]
        if inner[0] is None or len(inner[0]) >= MAX_RANK:
            return None
        for v in value[1:]:
            if declared_shape(v) != inner[0]:
                return None
        return (len(value),) + inner[0] if value else (0,)
    return ()


def _decode_shaped(value, where, fmt, depth):
    shape, values = value.get("shape"), value.get("values")
    if not isinstance(shape, list):
        raise VectorFormatError("%s: shape is %s, not a list of sizes" % (where, describe_json(shape)))
    if depth + len(shape) > MAX_RANK:
        raise VectorFormatError("%s: shape has %d dimensions, more than any array (%d)"
                                % (where, len(shape), MAX_RANK))
    for i, d in enumerate(shape):
        if not isinstance(d, int) or type(d) is bool or d < 0:
            raise VectorFormatError("%s: shape[%d] is %s, not a size (an integer >= 0)"
                                    % (where, i, describe_json(d)))
    if not isinstance(values, list):
        raise VectorFormatError("%s: values is %s, not a list" % (where, describe_json(values)))
    prefix = [1]                    # prefix[k]: the lists at depth k
    for d in shape[:-1]:
        prefix.append(prefix[-1] * d)
        if prefix[-1] > MAX_LISTS:
            raise VectorFormatError("%s: shape %s stands for more than %d lists"
                                    % (where, shape_text(shape), MAX_LISTS))
    count = 1
    for d in shape:                 # at most MAX_RANK sizes, each one a JSON integer: exact
        count *= d
    if count != len(values):
        raise VectorFormatError("%s: shape %s holds %s values, and values has %d"
                                % (where, shape_text(shape), count if count < 10 ** 30 else "more",
                                   len(values)))
    items = [decode_float(v, "%s.values[%d]" % (where, i), fmt) for i, v in enumerate(values)]
    if not shape:
        return items[0]
    # Group the flat values, innermost dimension first.
    for k in range(len(shape) - 1, 0, -1):
        size = shape[k]
        items = [items[i * size:(i + 1) * size] for i in range(prefix[k])]
    return items


def shape_text(shape):
    """A shape as the messages write it: ``(2, 0)``, ``(0,)``, ``()``.

    >>> shape_text((2, 0)), shape_text([0]), shape_text(())
    ('(2, 0)', '(0,)', '()')
    """
    return "(%s)" % ", ".join(str(d) for d in shape) if len(shape) != 1 else "(%d,)" % shape[0]


# --- an output: a tree, or a data set {"X": rows, "y": labels} ------------------------

def _dataset_shapes(op):
    # The shapes of an empty data set's X and y, which the nesting cannot show.
    return ((0, 1), (0, 1)) if op == "sine_data" else ((0, 2), (0,))


def _encode_output(op, value, dtype=None, shape=None):
    if op.endswith("_data"):
        x_shape, y_shape = _dataset_shapes(op)
        y = value["y"]
        if not y:
            y = {"shape": list(y_shape), "values": []}
        elif isinstance(y[0], list):          # sine_data: y is a column of floats
            y = encode_tree(y, dtype)
        return {"X": encode_tree(value["X"], dtype, x_shape if not value["X"] else None), "y": y}
    if op in PARTS:
        shape = shape or {}
        return dict((part, encode_tree(value[part], dtype, shape.get(part))) for part in PARTS[op])
    return encode_tree(value, dtype, shape)


def _decode_output(value, where, fmt=None):
    if value is None:
        return None
    if is_parts(value):
        parts = PARTS["dense_backward"]
        if sorted(value) != sorted(parts):
            raise VectorFormatError("%s: a tuple result needs exactly %s, got %s"
                                    % (where, ", ".join(parts), describe_json(value)))
        return dict((part, _decode_tree(value[part], "%s.%s" % (where, part), fmt, 0)) for part in parts)
    if isinstance(value, dict) and ("X" in value or "y" in value):
        if "X" not in value or "y" not in value:
            raise VectorFormatError("%s: a data set needs both X and y, got %s" % (where, describe_json(value)))
        y = value["y"]
        if isinstance(y, list) and all(isinstance(v, int) and type(v) is not bool for v in y):
            y = list(y)                       # class labels stay ints
        else:
            y = _decode_tree(y, where + ".y", fmt, 0)
        return {"X": _decode_tree(value["X"], where + ".X", fmt, 0), "y": y}
    return _decode_tree(value, where, fmt, 0)


# --- one test ----------------------------------------------------------------------
# Data-set sizes and seeds stay JSON integers; tolerance bounds are trees without bits
# (they are float64 numbers in every dtype, not values of it).

def _empty_shapes(op, inputs, expected):
    """Shapes the nesting of ``[]`` cannot show, from the other operands: dense's
    ``[]`` inputs are (0, k) with k the weights' rows, ``[]`` weights (0, m) and a
    ``[]`` result (0, m), m the biases' (or the weights') columns."""
    shapes = {}
    if op == "dense_backward":
        return _backward_shapes(inputs, expected)
    if op != "dense":
        return shapes
    x, w, b = inputs["inputs"], inputs["weights"], inputs["biases"]
    m = None
    if isinstance(w, list) and w and isinstance(w[0], list):
        m = len(w[0])
    elif isinstance(b, list):
        m = len(b[0]) if b and isinstance(b[0], list) else len(b)
    if x == [] and isinstance(w, list):
        shapes["inputs"] = (0, len(w))
    if w == [] and m is not None:
        shapes["weights"] = (0, m)
    if expected == [] and m is not None:
        shapes["expected"] = (0, m)
    return shapes


def _backward_shapes(inputs, expected):
    # dense_backward: [] dvalues are (0, m) and [] inputs (0, k), k the weights' rows and
    # m their columns (or, for [] weights, dvalues' width); [] weights are (0, m); in the
    # result, [] dinputs are (0, k) and [] dweights (0, m).
    d, x, w = inputs["dvalues"], inputs["inputs"], inputs["weights"]
    if not all(isinstance(v, list) for v in (d, x, w)):
        return {}
    k = len(w)
    m = len(w[0]) if w and isinstance(w[0], list) else (len(d[0]) if d and isinstance(d[0], list) else None)
    shapes = {}
    if d == [] and m is not None:
        shapes["dvalues"] = (0, m)
    if x == []:
        shapes["inputs"] = (0, k)
    if w == [] and m is not None:
        shapes["weights"] = (0, m)
    if isinstance(expected, dict):
        parts = {}
        if expected["dinputs"] == []:
            parts["dinputs"] = (0, k)
        if expected["dweights"] == [] and m is not None:
            parts["dweights"] = (0, m)
        shapes["expected"] = parts
    return shapes


def _encode_test(op, test, dtype=None):
    out = dict(test)
    shapes = _empty_shapes(op, test["inputs"], test["expected"])
    out["inputs"] = dict((name, v if (isinstance(v, int) and op.endswith("_data"))
                          or (name in STRING_ARGUMENTS and isinstance(v, str))
                          or (name in LABEL_ARGUMENTS and is_labels(v))
                          else encode_tree(v, dtype, shapes.get(name)))
                         for name, v in test["inputs"].items())
    result_shape = shapes.get("expected")
    if test["expected"] is not None:
        out["expected"] = _encode_output(op, test["expected"], dtype, result_shape)
    if "alternatives" in test:
        out["alternatives"] = [_encode_output(op, alt, dtype, result_shape) for alt in test["alternatives"]]
    tol = dict(test["tolerance"])
    for key in ("rel", "abs"):
        if key in tol:
            tol[key] = _encode_bound_tree(tol[key], result_shape)
    if "accumulators" in tol:
        tol["accumulators"] = dict((name, _encode_bound(bound, result_shape))
                                   for name, bound in tol["accumulators"].items())
    out["tolerance"] = tol
    return out


def _encode_bound(bound, shape):
    out = dict(bound)
    for key in ("rel", "abs"):
        if key in bound:
            out[key] = _encode_bound_tree(bound[key], shape)
    return out


def _encode_bound_tree(tree, shape):
    # A bound tree, or for a tuple result an object of one tree per part.
    if isinstance(tree, dict):
        shape = shape or {}
        return dict((part, _encode_bound_tree(v, shape.get(part))) for part, v in tree.items())
    return encode_tree(tree, None, shape if isinstance(tree, list) else None)


def _decode_bound_tree(tree, where):
    if is_parts(tree):
        return dict((part, _decode_tree(v, "%s.%s" % (where, part), None, 0)) for part, v in tree.items())
    return _decode_tree(tree, where, None, 0)


_RESULTS = ("valid", "acceptable", "invalid")


def decode_test(op, test, dtype=None, where=None):
    """A copy of ``test`` (from a vector file of ``op`` in ``dtype``) with its inputs,
    expected value, alternatives and tolerance bounds decoded to floats.

    A test that does not have the format's structure is a ``VectorFormatError``
    naming ``where`` (default: ``OP tcId N``) and the place inside it.

    >>> t = decode_test("relu", {"tcId": 4, "inputs": {"x": {"dec": "-0.0", "hex": "-0x0.0p+0"}},
    ...                          "expected": {"dec": "-0.0", "hex": "-0x0.0p+0", "bits": "8000"},
    ...                          "result": "valid",
    ...                          "tolerance": {"rule": "exact", "ulp": 0, "signedZero": True}}, "float16")
    >>> t["inputs"], t["expected"]
    ({'x': -0.0}, -0.0)
    """
    fmt = _fmt(dtype)
    if where is None:
        where = "%s tcId %s" % (op, test.get("tcId") if isinstance(test, dict) else "?")
    if not isinstance(test, dict):
        raise VectorFormatError("%s is %s, not a test object" % (where, describe_json(test)))
    _check_test(test, where)
    out = dict(test)
    for name in ARGUMENTS.get(op, ()):
        if name not in test["inputs"]:
            raise VectorFormatError("%s: inputs has no %r (%s takes %s)"
                                    % (where, name, op, ", ".join(ARGUMENTS[op])))
    inputs = {}
    for name, v in test["inputs"].items():
        if isinstance(v, int) and type(v) is not bool:
            inputs[name] = v
        elif name in STRING_ARGUMENTS and isinstance(v, str):
            inputs[name] = v
        elif name in LABEL_ARGUMENTS and is_labels(v):
            inputs[name] = list(v)                  # class indices stay ints
        else:
            inputs[name] = _decode_tree(v, "%s inputs.%s" % (where, name), fmt, 0)
    out["inputs"] = inputs
    out["expected"] = _decode_output(test.get("expected"), where + " expected", fmt)
    if test["result"] != "invalid" and out["expected"] is None:
        raise VectorFormatError("%s: a %s test needs an expected value" % (where, test["result"]))
    if "alternatives" in test:
        if not isinstance(test["alternatives"], list):
            raise VectorFormatError("%s: alternatives is %s, not a list"
                                    % (where, describe_json(test["alternatives"])))
        out["alternatives"] = [_decode_output(a, "%s alternatives[%d]" % (where, i), fmt)
                               for i, a in enumerate(test["alternatives"])]
    tol = dict(test["tolerance"])
    for key in ("rel", "abs"):
        if key in tol:
            tol[key] = _decode_bound_tree(tol[key], "%s tolerance.%s" % (where, key))
    if "accumulators" in tol:
        bounds = {}
        if not isinstance(tol["accumulators"], dict):
            raise VectorFormatError("%s: tolerance.accumulators is %s, not an object"
                                    % (where, describe_json(tol["accumulators"])))
        for name, bound in tol["accumulators"].items():
            place = "%s tolerance.accumulators.%s" % (where, name)
            if (name not in DTYPES or not isinstance(bound, dict)
                    or not ("abs" in bound or "rel" in bound)):
                raise VectorFormatError("%s is %s; expected a dtype's {\"rel\" or \"abs\": ...}"
                                        % (place, describe_json(bound)))
            bounds[name] = dict(bound)
            for key in ("rel", "abs"):
                if key in bound:
                    bounds[name][key] = _decode_bound_tree(bound[key], "%s.%s" % (place, key))
        tol["accumulators"] = bounds
    out["tolerance"] = tol
    return out


def _check_test(test, where):
    # The keys the checker reads, with the types it needs; decoding checks the values.
    for key in ("tcId", "inputs", "result", "tolerance"):
        if key not in test:
            raise VectorFormatError("%s: no %r" % (where, key))
    if not _is_int(test["tcId"]):
        raise VectorFormatError("%s: tcId is %s, not an integer" % (where, describe_json(test["tcId"])))
    if test["result"] not in _RESULTS:
        raise VectorFormatError("%s: result is %s, not valid, acceptable or invalid"
                                % (where, describe_json(test["result"])))
    if not isinstance(test["inputs"], dict):
        raise VectorFormatError("%s: inputs is %s, not an object" % (where, describe_json(test["inputs"])))
    tol = test["tolerance"]
    if not isinstance(tol, dict):
        raise VectorFormatError("%s: tolerance is %s, not an object" % (where, describe_json(tol)))
    if not _is_int(tol.get("ulp")) or tol["ulp"] < 0:
        raise VectorFormatError("%s: tolerance.ulp is %s, not an integer >= 0"
                                % (where, describe_json(tol.get("ulp"))))
    if type(tol.get("signedZero", False)) is not bool or type(tol.get("overflow", False)) is not bool:
        raise VectorFormatError("%s: tolerance.signedZero must be true or false" % where)
    if "flags" in test and not (isinstance(test["flags"], list)
                                and all(isinstance(f, str) for f in test["flags"])):
        raise VectorFormatError("%s: flags is %s, not a list of strings" % (where, describe_json(test["flags"])))
    if "comment" in test and not isinstance(test["comment"], str):
        raise VectorFormatError("%s: comment is %s, not a string" % (where, describe_json(test["comment"])))


def _is_int(value):
    return isinstance(value, int) and type(value) is not bool


# --- a whole vector document ---------------------------------------------------------

_HEADER = [
    "Conformance vectors for nnref, the pure-Python reference of chapter 4 of",
    "Neural Networks from Scratch in Python.  Floats are strings: dec is the",
    "shortest repr, hex is float.hex(), bits the IEEE bit pattern in the file's",
    "dtype (hex digits); nan, inf and -inf are spelled out.  An array with an",
    "empty dimension is {\"shape\": [...], \"values\": [...]}.",
    "A test passes if each output element is within its tolerance: ULP distance",
    "<= ulp, or |out - expected| <= rel * |expected|, or <= abs.  See",
    "docs/conformance.md for the result kinds and the tolerance rules.",
]


def _narrow_header(dtype):
    return _HEADER + [
        "Every input and expected value is a %s value, written as the float64 that" % dtype,
        "holds it (dec, hex) and as its %s bits; an output that is not a %s" % (dtype, dtype),
        "value fails.  ULPs are %s ULPs." % dtype,
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
    if (op in ("dense", "dense_backward") and dtype != "float64") or \
            (op == "softmax" and dtype in ("float16", "bfloat16")):
        out["accumulators"] = accumulators(dtype)
        out["accumulate"] = default_accumulator(dtype)
    return out


def encode(document):
    """The JSON-ready form of a document: floats become ``{"dec", "hex", "bits"}``
    objects (``bits`` in the document's dtype; tolerance bounds have none), arrays
    with an empty dimension ``{"shape", "values"}``."""
    out = dict(document)
    op = document["operation"]
    dtype = document.get("dtype", "float64")
    out["testGroups"] = []
    for group in document["testGroups"]:
        g = dict(group)
        g["tests"] = [_encode_test(op, t, dtype) for t in group["tests"]]
        out["testGroups"].append(g)
    return out


def read_json(path):
    """The JSON document in the file ``path``.

    ``VectorFormatError`` naming the file if it is not UTF-8 JSON (or is nested
    too deeply for the parser); ``OSError`` if it cannot be read.  Integers too
    long for ``int()`` (CPython refuses more than 4300 digits) are read as
    ``Unreadable`` values, so such an output fails its own case."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeError as error:
        raise VectorFormatError("%s: not UTF-8 text (%s)" % (path, error))
    return parse_json(text, path)


def parse_json(text, where="document"):
    """``json.loads`` with its failures as a ``VectorFormatError`` naming ``where``."""
    try:
        try:
            return json.loads(text, parse_int=_parse_int)
        except TypeError:                     # MicroPython's json takes no parse_int
            return json.loads(text)
    except _RecursionError:
        # Given parse_int, PyPy's json falls back to a recursive pure-Python
        # parser whose depth depends on the caller's stack; its own reads deeper.
        try:
            return json.loads(text)
        except (_RecursionError, ValueError):
            raise VectorFormatError("%s: not JSON that can be read: nested too deeply" % where)
    except ValueError as error:
        raise VectorFormatError("%s: not JSON: %s" % (where, error))


def _parse_int(text):
    if len(text) > 4000:
        return Unreadable("an integer of %d digits, too large for a float" % len(text.lstrip("-")), True)
    return int(text)


def load(path):
    """Read a vector or results file (JSON) and return the document, floats still
    in their ``{"dec", "hex", "bits"}`` notation; ``VectorFormatError`` naming the
    file if it is not JSON, not an object or has no list of ``testGroups``."""
    document = read_json(path)
    _check_document(document, path, "a conformance vector or results file")
    return document


def _check_document(document, path, what):
    # An object with a list of test groups, each with a list of test objects.
    if not isinstance(document, dict):
        raise VectorFormatError("%s: the document is %s, not an object with testGroups"
                                % (path, describe_json(document)))
    if "testGroups" not in document:
        raise VectorFormatError("%s: not %s (no testGroups)" % (path, what))
    _check_groups(document, path)


def _check_groups(document, path):
    groups = document["testGroups"]
    if not isinstance(groups, list):
        raise VectorFormatError("%s: testGroups is %s, not a list" % (path, describe_json(groups)))
    for i, group in enumerate(groups):
        if not isinstance(group, dict):
            raise VectorFormatError("%s: testGroups[%d] is %s, not an object"
                                    % (path, i, describe_json(group)))
        if not isinstance(group.get("tests"), list):
            raise VectorFormatError("%s: testGroups[%d].tests is %s, not a list"
                                    % (path, i, describe_json(group.get("tests"))))
        for j, test in enumerate(group["tests"]):
            if not isinstance(test, dict):
                raise VectorFormatError("%s: testGroups[%d].tests[%d] is %s, not a test object"
                                        % (path, i, j, describe_json(test)))


_VECTOR_KEYS = ("operation", "arguments", "testGroups")


def check_vectors(document, path="vectors"):
    """``VectorFormatError`` naming ``path`` and the place, unless ``document`` has the
    header a vector document needs (``operation``, ``dtype``, ``arguments``) and
    test groups whose tests are objects with a ``tcId`` each, all different.
    The tests' contents are checked as they are decoded (``decode_test``)."""
    if not isinstance(document, dict):
        raise VectorFormatError("%s: the document is %s, not an object" % (path, describe_json(document)))
    for key in _VECTOR_KEYS:
        if key not in document:
            raise VectorFormatError("%s: not a vector document: no %r" % (path, key))
    op = document["operation"]
    if op not in ARGUMENTS:
        raise VectorFormatError("%s: operation is %s, not one of %s"
                                % (path, describe_json(op), ", ".join(ARGUMENTS)))
    if document["arguments"] != list(ARGUMENTS[op]):
        raise VectorFormatError("%s: arguments is %s; %s takes %s"
                                % (path, clip(json.dumps(document["arguments"])), op,
                                   ", ".join(ARGUMENTS[op])))
    dtype = document.get("dtype", "float64")
    if dtype not in DTYPES:
        raise VectorFormatError("%s: dtype is %s, not one of %s" % (path, describe_json(dtype), ", ".join(DTYPES)))
    if op not in _DTYPE_OPERATIONS[dtype]:
        raise VectorFormatError("%s: there are no %s vectors for %s" % (path, dtype, op))
    _check_groups(document, path)
    seen = {}
    for i, group in enumerate(document["testGroups"]):
        for j, test in enumerate(group["tests"]):
            place = "%s: testGroups[%d].tests[%d]" % (path, i, j)
            if not _is_int(test.get("tcId")):
                raise VectorFormatError("%s: tcId is %s, not an integer" % (place, describe_json(test.get("tcId"))))
            if test["tcId"] in seen:
                raise VectorFormatError("%s: tcId %d appears twice" % (place, test["tcId"]))
            seen[test["tcId"]] = True


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


def results_by_tc_id(document, path="results"):
    """tcId -> test of a RESULTS document.

    ``VectorFormatError`` naming ``path`` and the place for a document that is
    not one (not an object, no list of ``testGroups``, a test that is not an
    object or has no integer ``tcId``), and for tcIds that appear more than
    once, naming them all."""
    _check_document(document, path, "a results file")
    outputs = {}
    twice = []
    for i, group in enumerate(document["testGroups"]):
        for j, test in enumerate(group["tests"]):
            tc_id = test.get("tcId")
            if not _is_int(tc_id):
                raise VectorFormatError("%s: testGroups[%d].tests[%d]: tcId is %s, not an integer"
                                        % (path, i, j, describe_json(tc_id)))
            if tc_id in outputs and tc_id not in twice:
                twice.append(tc_id)
            outputs[tc_id] = test
    if twice:
        raise VectorFormatError("%s: tcId %s appear%s more than once" % (
            path, ", ".join(str(t) for t in sorted(twice)), "s" if len(twice) == 1 else ""))
    return outputs


def decode_outcome(op, tc_id, output, dtype=None):
    """A RESULTS test's ``output`` as an outcome: ``("error", text)`` for
    ``{"error": text}``, ``("unsupported", text)`` for ``{"unsupported": text}``,
    ``("null", None)`` for ``null``, else ``("value", the decoded output)``
    (``VectorFormatError`` saying what it held if it is not an output).

    >>> decode_outcome("relu", 3, {"error": "ValueError: no"})
    ('error', 'ValueError: no')
    >>> decode_outcome("relu", 3, [{"dec": "1.5"}])
    ('value', [1.5])
    >>> decode_outcome("relu", 3, {"unsupported": "no scalars"})
    ('unsupported', 'no scalars')
    """
    if isinstance(output, Unreadable):
        raise VectorFormatError("output is " + output.reason if output.value else output.reason)
    if output is None:
        return "null", None
    if isinstance(output, dict):
        for kind in ("error", "unsupported"):
            if kind in output:
                return kind, _reason_text(output[kind])
    return "value", _decode_output(output, "output", _fmt(dtype))


def _reason_text(reason):
    if isinstance(reason, str):
        return reason
    return describe_json(reason)


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
    return isinstance(value, dict) and set(value) in ({"dec", "hex"}, {"dec", "hex", "bits"})


# --- the JSON Schema -----------------------------------------------------------------
# A draft-07 schema, using only: type, properties, required,
# additionalProperties, items, enum, pattern, minimum, anyOf and $ref.  It is
# written as SCHEMA_FILE beside the vectors, and a copy is in docs/.

def _ref(name):
    return {"$ref": "#/definitions/" + name}


def _array(items):
    return {"type": "array", "items": items}


_STRING = {"type": "string"}
_DEC = {"type": "string", "pattern": "^(nan|-?inf|-?[0-9]+(\\.[0-9]+)?(e[-+][0-9]+)?)$"}
_HEX = {"type": "string", "pattern": "^(nan|-?inf|-?0x[01]\\.[0-9a-f]+p[-+][0-9]+)$"}

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": SCHEMA_ID,
    "title": "nnref conformance vectors",
    "description": "One operation's test vectors.  Floats are objects {dec, hex, bits}, "
                   "tolerance bounds {dec, hex}; see docs/conformance.md.",
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
            "description": "A value of the file's dtype: dec is the shortest repr and hex is "
                           "float.hex() of the float64 that holds it (NaN and the infinities are "
                           "nan, inf and -inf in both); bits is its IEEE bit pattern in the file's "
                           "dtype, lowercase hex digits zero-padded to 16 (float64), 8 (float32) or "
                           "4 (float16, bfloat16) digits.",
            "type": "object",
            "required": ["dec", "hex", "bits"],
            "additionalProperties": False,
            "properties": {
                "dec": _DEC,
                "hex": _HEX,
                "bits": {"type": "string", "pattern": "^[0-9a-f]{4}([0-9a-f]{4}([0-9a-f]{8})?)?$"},
            },
        },
        "shaped": {
            "description": "An array with an empty dimension, whose shape the nesting cannot "
                           "show: its shape, and its values flat in row-major order (none).",
            "type": "object",
            "required": ["shape", "values"],
            "additionalProperties": False,
            "properties": {
                "shape": _array({"type": "integer", "minimum": 0}),
                "values": _array(_ref("float")),
            },
        },
        "tree": {
            "description": "A float, a (nested) list of them (a vector or a batch of rows), or an "
                           "array with an empty dimension as {shape, values}.",
            "anyOf": [_ref("float"), _array(_ref("tree")), _ref("shaped")],
        },
        "bound": {
            "description": "A tolerance bound: a float64 number in every dtype (not a value of "
                           "it), as dec and hex without bits.",
            "type": "object",
            "required": ["dec", "hex"],
            "additionalProperties": False,
            "properties": {
                "dec": _DEC,
                "hex": _HEX,
            },
        },
        "boundTree": {
            "description": "One bound for every element, or a tree of them shaped like expected "
                           "({shape, values} where expected has an empty dimension; for a tuple "
                           "result, an object with one tree per part).",
            "anyOf": [_ref("bound"), _array(_ref("boundTree")), {
                "type": "object", "required": ["shape", "values"], "additionalProperties": False,
                "properties": {"shape": _array({"type": "integer", "minimum": 0}),
                               "values": _array(_ref("bound"))}}, {
                "type": "object", "required": ["dinputs", "dweights", "dbiases"],
                "additionalProperties": False,
                "properties": {"dinputs": _ref("boundTree"), "dweights": _ref("boundTree"),
                               "dbiases": _ref("boundTree")}}],
        },
        "dataset": {
            "description": "A data set: X (rows of floats) and y (int labels, or a column of "
                           "floats); an empty one as {shape, values}.",
            "type": "object",
            "required": ["X", "y"],
            "additionalProperties": False,
            "properties": {
                "X": _ref("tree"),
                "y": {"anyOf": [_array({"anyOf": [{"type": "integer"}, _ref("tree")]}), _ref("shaped")]},
            },
        },
        "parts": {
            "description": "A tuple result (dense_backward's): one array per part, in any order "
                           "of keys; an empty one as {shape, values}.",
            "type": "object",
            "required": ["dinputs", "dweights", "dbiases"],
            "additionalProperties": False,
            "properties": {"dinputs": _ref("tree"), "dweights": _ref("tree"), "dbiases": _ref("tree")},
        },
        "output": {"anyOf": [_ref("tree"), _ref("dataset"), _ref("parts")]},
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
                "rule": {"enum": ["exact", "exp", "softmax", "dense", "libm", "sigmoid_backward",
                                  "softmax_backward", "crossentropy", "crossentropy_backward",
                                  "softmax_crossentropy_backward"]},
                "ulp": {"type": "integer", "minimum": 0},
                "rel": _ref("boundTree"),
                "abs": _ref("boundTree"),
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
            "properties": {"rel": _ref("boundTree"), "abs": _ref("boundTree"),
                           "overflow": {"type": "boolean"}},
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
                           "additionalProperties": {"anyOf": [
                               {"type": "integer"}, _ref("tree"),
                               {"description": "y_true as class indices",
                                "type": "array", "items": {"type": "integer", "minimum": 0}},
                               {"description": "reduction", "enum": ["mean", "sum", "none"]}]}},
                "expected": {"anyOf": [{"type": "null"}, _ref("output")]},
                "alternatives": _array(_ref("output")),
                "result": {"enum": ["valid", "acceptable", "invalid"]},
                "exception": {"enum": ["ValueError", "TypeError"]},
                "tolerance": _ref("tolerance"),
            },
        },
    },
}
