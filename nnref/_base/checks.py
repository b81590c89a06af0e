"""Input checking: turn numbers, vectors and batches into new lists of floats.

Every public function passes its arguments through ``to_floats`` (or one of
the narrower helpers), so every function accepts the same things and rejects
the rest with the same messages:

* a number is an ``int`` or a ``float`` (subclasses too, such as
  ``numpy.float64``); ``bool`` is not a number here, nor are ``str``,
  ``None`` or ``complex``: ``TypeError`` naming the argument and position;
* a vector is a ``list`` or ``tuple`` of numbers;
* a batch is a ``list`` or ``tuple`` of equal-length vectors; a ragged batch
  is a ``ValueError`` naming the row and both lengths.

The result is always new lists, so callers can never see their own lists
come back or be changed.  Ints become floats (correctly rounded, also on
MicroPython, whose ``float(int)`` truncates past 2**53).

Sizes (``n_inputs``, ``samples``, a dimension given to ``zeros`` or
``randn``) all go through ``check_size``, so they are checked and worded the
same way everywhere:

>>> check_size("zeros", "shape[1]", -2)
Traceback (most recent call last):
    ...
ValueError: zeros: shape[1] must be non-negative, got -2
>>> check_size("spiral_data", "samples", 2.0)
Traceback (most recent call last):
    ...
TypeError: spiral_data: samples must be an int, not 2.0 (float)
"""

from .formats import round_scaled

_INF = float("inf")
_INT_OR_FLOAT = {int, float}
_SEQUENCES = (list, tuple)
_ROW_TYPES = {list, tuple}
_EXACT_INT_LIMIT = 2 ** 53

try:
    # float.conjugate(v) is v for a float (a plain float for a subclass such as
    # numpy.float64) and a TypeError for anything else, int and bool included:
    # the cheapest C-level call that checks and reads an element at once.
    # MicroPython has no float.conjugate; there the rows are checked first.
    read_float = float.conjugate
except AttributeError:
    read_float = None


def _describe(value):
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return "%s (%s)" % (text, type(value).__name__)


def check_int(func, name, value):
    """``value`` if it is an int; else TypeError ``func: name must be an int, not ...``.

    A ``bool`` is not an int here, nor is a float with an integral value.
    """
    if type(value) is bool or not isinstance(value, int):
        raise TypeError("%s: %s must be an int, not %s" % (func, name, _describe(value)))
    return value


def check_size(func, name, value):
    """``value`` if it is a size, an int >= 0; else TypeError (not an int) or ValueError (negative)."""
    check_int(func, name, value)
    if value < 0:
        raise ValueError("%s: %s must be non-negative, got %d" % (func, name, value))
    return value


def int_to_float(value, func, where):
    """The float nearest to the int ``value``; ValueError if it is out of range."""
    if -_EXACT_INT_LIMIT <= value <= _EXACT_INT_LIMIT:
        return float(value)
    result = round_scaled(value, 0)
    if result in (_INF, -_INF):
        raise ValueError("%s: %s is an int too large to convert to float" % (func, where))
    return result


def as_float(value, func, where):
    """``value`` as a float, or TypeError naming ``where`` (e.g. ``'x[2][1]'``)."""
    kind = type(value)
    if kind is float:
        return value
    if kind is int:
        return int_to_float(value, func, where)
    # bool is an int subclass on CPython, but never a number here.
    if kind is bool or not isinstance(value, (int, float)):
        raise TypeError("%s: %s is %s; expected an int or float" % (func, where, _describe(value)))
    if isinstance(value, float):
        return float(value)
    return int_to_float(int(value), func, where)


def row_to_floats(row, func, where):
    """A new list of floats from the vector ``row``; ``where`` names it in errors."""
    if _only_floats(row, len(row)):         # the common case, one C-speed pass
        return list(row)
    kinds = set(map(type, row))
    if kinds <= _INT_OR_FLOAT:
        return [v if type(v) is float else int_to_float(v, func, "%s[%d]" % (where, i))
                for i, v in enumerate(row)]
    return [as_float(v, func, "%s[%d]" % (where, i)) for i, v in enumerate(row)]


def _not_array(x, func, name):
    hint = ""
    if hasattr(x, "tolist"):
        hint = "; convert it with .tolist() first"
    return TypeError("%s: %s is %s; expected a number, a list or tuple of numbers, "
                     "or a list of rows%s" % (func, name, _describe(x), hint))


try:
    from itertools import chain as _chain
    _elements = _chain.from_iterable
except (ImportError, AttributeError):      # MicroPython: no chain.from_iterable
    _elements = None


def _only_floats(values, count):
    # True if the ``count`` values are all exactly floats, at C speed: a list of
    # their types, counted (quicker than building a set of them).
    return list(map(type, values)).count(float) == count


def _all_float_rows(x):
    # The common batch, checked in three C-speed passes: rows that are lists or
    # tuples, all of one length, holding only floats.
    return (_elements is not None and _is_rectangular(x)
            and _only_floats(_elements(x), len(x) * len(x[0])))


def _is_rectangular(x):
    # True if ``x`` is a nonempty list or tuple of lists or tuples all of one
    # length, in two C-speed passes.  The elements are not looked at.
    return (type(x) in _ROW_TYPES and len(x) > 0 and set(map(type, x)) <= _ROW_TYPES
            and len(set(map(len, x))) == 1)


def batch_to_floats(x, func, name):
    """A new list of rows of floats from the batch ``x`` (a list of equal-length vectors)."""
    if _all_float_rows(x):
        return list(map(list, x))
    rows = []
    width = None
    for i, row in enumerate(x):
        where = "%s[%d]" % (name, i)
        if not isinstance(row, _SEQUENCES):
            raise TypeError("%s: %s is %s; expected a row (list or tuple), like %s[0]"
                            % (func, where, _describe(row), name))
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise ValueError("%s: %s has length %d, but %s[0] has length %d "
                             "(rows of a batch must have equal lengths)"
                             % (func, where, len(row), name, width))
        rows.append(row_to_floats(row, func, where))
    return rows


def to_floats(x, func, name):
    """Classify ``x`` and copy it into floats.

    Returns ``(kind, data)``: ``("scalar", float)``, ``("vector", [float, ...])``
    or ``("batch", [[float, ...], ...])``.  An empty list is an empty vector.
    """
    if isinstance(x, _SEQUENCES):
        if x and isinstance(x[0], _SEQUENCES):
            return "batch", batch_to_floats(x, func, name)
        return "vector", row_to_floats(x, func, name)
    if type(x) is bool or not isinstance(x, (int, float)):
        raise _not_array(x, func, name)
    return "scalar", as_float(x, func, name)


def to_batch(x, func, name):
    """A batch (list of rows) of floats; a vector or number is a ValueError/TypeError."""
    kind, data = to_floats(x, func, name)
    if kind == "scalar":
        raise TypeError("%s: %s is %s; expected a batch (a list of rows)"
                        % (func, name, _describe(x)))
    if kind == "vector":
        if not data:
            return []
        raise ValueError("%s: %s has shape (%d,); expected a batch (a list of rows), "
                         "e.g. [%s] for one sample" % (func, name, len(data), name))
    return data


def shape(kind, data):
    """The NumPy-style shape tuple of converted data."""
    if kind == "scalar":
        return ()
    if kind == "vector":
        return (len(data),)
    return (len(data), len(data[0]) if data else 0)


def _biases_row(biases, func, width_hint):
    kind, data = to_floats(biases, func, "biases")
    if kind == "scalar":
        raise TypeError("%s: biases is %r (%s); expected a row (1, m) or a vector (m,)"
                        % (func, biases, type(biases).__name__))
    if kind == "batch":
        if len(data) != 1:
            raise ValueError("%s: biases has shape (%d, %d); expected (1, %s) or (%s,)"
                             % (func, len(data), len(data[0]), width_hint, width_hint))
        return data[0]
    return data


def dense_operands(inputs, weights, biases, func):
    """Check a dense layer's operands; return ``(rows, weights, biases)`` as new floats.

    ``inputs`` must be an n x k batch, ``weights`` k x m (``[]`` when k == 0),
    ``biases`` 1 x m or a length-m vector (returned as a plain row).  Shape
    errors are ValueErrors naming both shapes, e.g. ``inputs (300, 2) and
    weights (3, 3) are not aligned: 2 != 3``.
    """
    rows = to_batch(inputs, func, "inputs")
    kind, matrix = to_floats(weights, func, "weights")
    if kind == "scalar" or (kind == "vector" and matrix):
        raise ValueError("%s: weights must be a k x m batch of rows, got shape %s"
                         % (func, shape_text(kind, matrix)))
    width = len(matrix[0]) if matrix else None
    width_text = "m" if width is None else str(width)
    bias = _biases_row(biases, func, width_text)
    depth = len(matrix)
    if rows and len(rows[0]) != depth:
        raise ValueError("%s: inputs (%d, %d) and weights (%d, %s) are not aligned: %d != %d"
                         % (func, len(rows), len(rows[0]), depth, width_text,
                            len(rows[0]), depth))
    if width is not None and len(bias) != width:
        raise ValueError("%s: biases (%d,) do not match weights (%d, %d): %d != %d"
                         % (func, len(bias), depth, width, len(bias), width))
    return rows, matrix, bias


def shape_text(kind, data):
    """The shape as NumPy prints it: ``()``, ``(3,)``, ``(2, 3)``."""
    dims = shape(kind, data)
    if len(dims) == 1:
        return "(%d,)" % dims
    return "(%s)" % ", ".join(str(d) for d in dims)


def map_rows(row_function, x, func, name, reads_floats=False):
    """Check ``x`` as ``to_floats`` does and apply ``row_function`` to each of its rows.

    ``row_function`` takes a vector of floats and returns a new list (it must
    not keep or change its argument); a number is passed as a one-element row
    and its one result returned.  The common case, a row already made only of
    floats, is passed as it is: no copy is made before the function's own, so
    an elementwise activation costs one list comprehension per row.

    ``reads_floats=True`` says that ``row_function`` reads every element
    through ``read_float``, so it raises TypeError on anything but a float:
    then only the shape is checked before the call, and a TypeError sends
    ``x`` through the full checks, which name the element (or convert ints).
    """
    if reads_floats and read_float is not None:
        try:
            if _is_rectangular(x):
                return list(map(row_function, x))
            if isinstance(x, _SEQUENCES) and not (x and isinstance(x[0], _SEQUENCES)):
                return row_function(x)
        except TypeError:
            pass
    if isinstance(x, _SEQUENCES):
        if not (x and isinstance(x[0], _SEQUENCES)):
            if _only_floats(x, len(x)):
                return row_function(x)
            return row_function(row_to_floats(x, func, name))
        if _all_float_rows(x):
            return list(map(row_function, x))
        width = len(x[0])
        out = []
        for row in x:
            if type(row) not in _SEQUENCES or len(row) != width or not _only_floats(row, width):
                # Anything but a row of floats of the right length: the full
                # checks, with their messages (and conversion of ints).
                return [row_function(row) for row in batch_to_floats(x, func, name)]
            out.append(row_function(row))
        return out
    return row_function([as_float_scalar(x, func, name)])[0]


def as_float_scalar(x, func, name):
    """A number ``x`` as a float; anything else a TypeError, as ``to_floats`` gives."""
    if type(x) is bool or not isinstance(x, (int, float)):
        raise _not_array(x, func, name)
    return as_float(x, func, name)


def apply_elementwise(function, kind, data):
    """Apply ``function`` (float -> float) to every element, keeping the shape."""
    if kind == "scalar":
        return function(data)
    if kind == "vector":
        return [function(v) for v in data]
    return [[function(v) for v in row] for row in data]
