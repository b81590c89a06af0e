"""Input checking: turn numbers, vectors and batches into new lists of floats.

Every public function passes its arguments through ``to_floats`` (or one of
the narrower helpers), so every function accepts the same things and rejects
the rest with the same messages:

* a number is an ``int`` or a ``float`` (subclasses too, such as
  ``numpy.float64``); ``bool`` is not a number here, nor are ``str``,
  ``None`` or ``complex``: ``TypeError`` naming the argument and position;
* a vector is a ``list`` or ``tuple`` of numbers (subclasses too);
* a batch is a ``list`` or ``tuple`` of equal-length vectors; a ragged batch
  is a ``ValueError`` naming the row and both lengths.

The result is always new lists, so callers can never see their own lists
come back or be changed.  Ints become floats (correctly rounded, also on
MicroPython, whose ``float(int)`` truncates past 2**53).

Reading inputs
--------------
One rule, on every path (the fast ones and the slow ones alike): an argument
is read by the value its built-in base type stores, never through a method
that a subclass may define.

* The kind is ``type(x)``'s: ``x`` is a float if ``type(x)`` is ``float`` or
  a subclass of it, and so on (a ``__class__`` attribute does not count).
* A ``float`` or float subclass is the double it stores: what the base
  class's own ``float.__float__(x)`` returns.  The subclass's
  ``__float__``, ``__repr__``, ``__eq__`` and arithmetic are never called.
* An ``int`` or int subclass is the integer it stores (``int.__add__(x,
  0)``), never read through its ``__int__`` or ``__index__``; ``bool`` is
  never a number.
* A ``list`` or ``tuple``, or a subclass of one, is the items it stores, in
  order (``list.copy(x)``, ``tuple.__getitem__(x, slice(None))``), never
  what its own ``__len__``, ``__iter__`` or ``__getitem__`` say.
* Anything else where a number or a row belongs (``str``, ``None``,
  ``complex``, ``Fraction``, ``Decimal``, ``numpy.float32``, an object with a
  ``__float__``, an iterator...) is a ``TypeError`` naming its position.

So a result depends only on those stored values: never on the path an input
takes, nor on the type of a neighbouring element.  The one method of an
argument nnref calls is ``repr``, for error messages (an object whose
``__repr__`` fails is shown by its type name).  Everything nnref raises is a
``TypeError`` or a ``ValueError``.

>>> class Lying(float):
...     def __float__(self):
...         return 99.0
>>> plain_number(Lying(1.5)), type(plain_number(Lying(1.5))).__name__
(1.5, 'float')

MicroPython has none of the base-class methods above; there a subclass is
read through the base type's own operators (``-(-x)`` for a number,
``x[:]`` for a list or tuple), which give the stored value too, as long as
no class between ``type(x)`` and the base type defines that operator
(``__neg__``, ``__getitem__``); one that does is a ``TypeError``.

Sizes
-----
Sizes (``n_inputs``, ``samples``, a dimension given to ``zeros`` or
``randn``) all go through ``check_size``, and the number of elements a call
would build through ``check_count``, so they are checked and worded the same
way everywhere.  A size is an int from 0 to ``MAX_ELEMENTS`` (10**8), and so
is the number of elements of any array a call builds: the most a
pure-Python list of floats holds in a few gigabytes.  A larger one is a
``ValueError`` before any work is done, so an absurd size fails at once
rather than after minutes of work or with an unrelated ``OverflowError``:

>>> check_size("zeros", "shape[1]", -2)
Traceback (most recent call last):
    ...
ValueError: zeros: shape[1] must be non-negative, got -2
>>> check_size("spiral_data", "samples", 2.0)
Traceback (most recent call last):
    ...
TypeError: spiral_data: samples must be an int, not 2.0 (float)
>>> check_size("randn", "shape[0]", 10 ** 12)
Traceback (most recent call last):
    ...
ValueError: randn: shape[0] is 1000000000000, more than nnref's limit of 10**8 elements per array
"""

from .formats import round_scaled

_INF = float("inf")
_INT_OR_FLOAT = {int, float}
_SEQUENCES = (list, tuple)
_NUMBER_TYPES = (float, int)
_ROW_TYPES = {list, tuple}
_EXACT_INT_LIMIT = 2 ** 53
try:
    _ALL = slice(None)
except TypeError:          # MicroPython cannot make slice objects (nor needs this one)
    _ALL = None

#: The largest size, and the most elements an array built by one call may
#: have (see "Sizes" above).
MAX_ELEMENTS = 10 ** 8
_LIMIT_TEXT = "10**8"


# --- the reading rule ---------------------------------------------------------
# Each reader below is picked at import by a probe: a subclass whose own
# methods all lie.  A reader is kept only if it gives the stored value, as a
# plain float / int / list / tuple, without calling them (float.conjugate does
# on CPython, but calls __float__ on PyPy, where float.__float__ does not).

class _LyingFloat(float):
    def __float__(self):
        return 99.0

    def __neg__(self):
        return 99.0


class _LyingInt(int):
    def __int__(self):
        return 99

    def __index__(self):
        return 99

    def __add__(self, other):
        return 99


class _LyingList(list):
    def __len__(self):
        return 0

    def __iter__(self):
        return iter(())

    def __getitem__(self, i):
        return 99

    def copy(self):
        return [99]


class _LyingTuple(tuple):
    def __getitem__(self, i):
        return 99

    def __iter__(self):
        return iter((99,))


def _pick(candidates, probe, expected, result_type, non_member):
    for reader in candidates:
        try:
            value = reader(probe)
            if type(value) is not result_type or value != expected:
                continue
        except Exception:           # not on this interpreter, or not a reader
            continue
        try:
            reader(non_member)
        except TypeError:
            return reader           # reads the stored value, rejects the rest
    return None


def _method(cls, name):
    return getattr(cls, name, None)


def _int_add_zero(value):
    return int.__add__(value, 0)


def _tuple_slice(value):
    return tuple.__getitem__(value, _ALL)


# CPython: float.conjugate (a plain method, the quickest call that reads and
# checks an element at once); PyPy: float.__float__.
read_float = _pick([c for c in (_method(float, "conjugate"), _method(float, "__float__"))
                    if c is not None], _LyingFloat(1.5), 1.5, float, 1)
_read_int = _pick([_int_add_zero], _LyingInt(3), 3, int, 1.5)
_read_list = _pick([c for c in (_method(list, "copy"),) if c is not None],
                   _LyingList([1.0]), [1.0], list, (1.0,))
_read_tuple = _pick([_tuple_slice], _LyingTuple((1.0,)), (1.0,), tuple, [1.0])


def _defines(cls, base, name):
    # True if cls, or a class it derives from on its way to base, defines
    # name itself (MicroPython has no __mro__: the bases are walked).
    if cls is base or cls is object:
        return False
    if name in getattr(cls, "__dict__", {}):
        return True
    for parent in getattr(cls, "__bases__", ()):
        if _defines(parent, base, name):
            return True
    return False


def _negated_twice(value, base):
    # MicroPython: the base type's own negation gives a plain value.
    if _defines(type(value), base, "__neg__"):
        return None
    return -(-value)


def _sliced(value, base):
    # MicroPython: the base type's own slice gives a plain list or tuple.
    if _defines(type(value), base, "__getitem__"):
        return None
    return value[:]


def _stored(value, base):
    # The value a subclass of base stores: by this interpreter's reader, or the fallback.
    reader = {float: read_float, int: _read_int, list: _read_list, tuple: _read_tuple}[base]
    if reader is not None:
        return reader(value)
    if base is float or base is int:
        return _negated_twice(value, base)
    return _sliced(value, base)


def _plain(value, bases):
    # value itself if its type is one of bases, the stored value if it is a subclass of one.
    kind = type(value)
    if kind in bases:
        return value
    for base in bases:
        if issubclass(kind, base):
            return _stored(value, base)
    return None


def plain_number(value):
    """The number ``value`` holds, as a plain ``float`` or ``int``, by the reading rule; else None.

    None for a ``bool``, for anything that is not an int or float (or a
    subclass of one), and on MicroPython for a subclass that defines
    ``__neg__``.
    """
    if type(value) is bool:
        return None
    return _plain(value, _NUMBER_TYPES)


def plain_sequence(value):
    """The items ``value`` holds, as a plain ``list`` or ``tuple``, by the reading rule; else None.

    ``value`` itself when it is exactly a list or tuple; a new plain list or
    tuple of the stored items for a subclass; None for anything else (and on
    MicroPython for a subclass that defines ``__getitem__``).
    """
    return _plain(value, _SEQUENCES)


def is_sequence(value):
    """True if ``value`` is a list or tuple, or a subclass of one, by its real type."""
    kind = type(value)
    return kind is list or kind is tuple or issubclass(kind, _SEQUENCES)


def _describe(value):
    try:
        text = repr(value)
        if type(text) is not str:
            raise TypeError
    except Exception:       # the object's own __repr__ failed: show its type alone
        text = "<%s object>" % type(value).__name__
    if len(text) > 60:
        text = text[:57] + "..."
    return "%s (%s)" % (text, type(value).__name__)


def _subclass_note(value):
    # The reason a subclass of a number or row type could not be read.
    if read_float is None and issubclass(type(value), (float, int, list, tuple)):
        return " (this interpreter reads a subclass only if it does not define __neg__ " \
               "or __getitem__)"
    return ""


# --- ints and sizes ------------------------------------------------------------

def check_int(func, name, value):
    """``value`` as a plain int if it is an int; else TypeError ``func: name must be an int, not ...``.

    A ``bool`` is not an int here, nor is a float with an integral value.  An
    int subclass is read by the reading rule (its stored value).
    """
    number = plain_number(value)
    if type(number) is not int:
        raise TypeError("%s: %s must be an int, not %s%s"
                        % (func, name, _describe(value), _subclass_note(value)))
    return number


def check_size(func, name, value):
    """``value`` as a plain int if it is a size, an int from 0 to ``MAX_ELEMENTS``.

    TypeError if it is not an int, ValueError if it is negative or larger
    than ``MAX_ELEMENTS``.
    """
    number = check_int(func, name, value)
    if number < 0:
        raise ValueError("%s: %s must be non-negative, got %d" % (func, name, number))
    if number > MAX_ELEMENTS:
        raise ValueError("%s: %s is %d, more than nnref's limit of %s elements per array"
                         % (func, name, number, _LIMIT_TEXT))
    return number


def check_count(func, what, count):
    """``count``, the number of elements ``what`` would have; ValueError if more than ``MAX_ELEMENTS``."""
    if count > MAX_ELEMENTS:
        raise ValueError("%s: %s would have %d elements, more than nnref's limit of %s "
                         "elements per array" % (func, what, count, _LIMIT_TEXT))
    return count


# --- numbers, vectors and batches ---------------------------------------------

def int_to_float(value, func, where):
    """The float nearest to the plain int ``value``; ValueError if it is out of range."""
    if -_EXACT_INT_LIMIT <= value <= _EXACT_INT_LIMIT:
        return float(value)
    result = round_scaled(value, 0)
    if result in (_INF, -_INF):
        raise ValueError("%s: %s is an int too large to convert to float" % (func, where))
    return result


def as_float(value, func, where):
    """``value`` as a float by the reading rule, or TypeError naming ``where`` (e.g. ``'x[2][1]'``)."""
    kind = type(value)
    if kind is float:
        return value
    if kind is int:
        return int_to_float(value, func, where)
    number = plain_number(value)
    if number is None:
        raise TypeError("%s: %s is %s; expected an int or float%s"
                        % (func, where, _describe(value), _subclass_note(value)))
    if type(number) is float:
        return number
    return int_to_float(number, func, where)


def row_to_floats(row, func, where):
    """A new list of floats from the plain list or tuple ``row``; ``where`` names it in errors."""
    if _only_floats(row, len(row)):         # the common case, one C-speed pass
        return list(row)
    kinds = set(map(type, row))
    if kinds <= _INT_OR_FLOAT:
        return [v if type(v) is float else int_to_float(v, func, "%s[%d]" % (where, i))
                for i, v in enumerate(row)]
    return [as_float(v, func, "%s[%d]" % (where, i)) for i, v in enumerate(row)]


def _not_array(x, func, name):
    hint = ""
    if getattr(type(x), "tolist", None) is not None:
        hint = "; convert it with .tolist() first"
    return TypeError("%s: %s is %s; expected a number, a list or tuple of numbers, "
                     "or a list of rows%s%s" % (func, name, _describe(x), hint, _subclass_note(x)))


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
    # True if ``x`` is a nonempty list or tuple of lists or tuples (exactly
    # those types) all of one length, in two C-speed passes.  The elements
    # are not looked at.
    return (type(x) in _ROW_TYPES and len(x) > 0 and set(map(type, x)) <= _ROW_TYPES
            and len(set(map(len, x))) == 1)


def _row_of(row, func, where, name):
    # A row of a batch as a plain list or tuple, or the TypeError for it.
    items = plain_sequence(row)
    if items is None:
        raise TypeError("%s: %s is %s; expected a row (list or tuple), like %s[0]%s"
                        % (func, where, _describe(row), name, _subclass_note(row)))
    return items


def batch_to_floats(x, func, name):
    """A new list of rows of floats from the batch ``x``, a plain list or tuple of rows."""
    if _all_float_rows(x):
        return list(map(list, x))
    rows = []
    width = None
    for i, row in enumerate(x):
        where = "%s[%d]" % (name, i)
        row = _row_of(row, func, where, name)
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
    or ``("batch", [[float, ...], ...])``.  An empty list is an empty vector,
    shape ``(0,)``; ``[[]]`` is a batch of one empty row, ``(1, 0)``.
    """
    items = plain_sequence(x)
    if items is not None:
        if items and is_sequence(items[0]):
            return "batch", batch_to_floats(items, func, name)
        return "vector", row_to_floats(items, func, name)
    return "scalar", as_float_scalar(x, func, name)


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
        raise TypeError("%s: biases is %s; expected a row (1, m) or a vector (m,)"
                        % (func, _describe(biases)))
    if kind == "batch":
        if len(data) != 1:
            raise ValueError("%s: biases has shape (%d, %d); expected (1, %s) or (%s,)"
                             % (func, len(data), len(data[0]), width_hint, width_hint))
        return data[0]
    return data


def dense_operands(inputs, weights, biases, func):
    """Check a dense layer's operands; return ``(rows, weights, biases)`` as new floats.

    ``inputs`` must be an n x k batch, ``weights`` k x m, ``biases`` 1 x m or
    a length-m vector (returned as a plain row).  Shape errors are
    ValueErrors naming both shapes, e.g. ``inputs (300, 2) and weights (3,
    3) are not aligned: 2 != 3``.

    Zero sizes, read from the nested lists by one rule: ``inputs == []`` is
    n == 0 (whatever k), and gives ``[]``; rows ``[]`` are k == 0;
    ``weights == []`` is k == 0, with m the length of the biases; weights of
    empty rows (``[[], []]``) are m == 0, as are biases ``[]`` or ``[[]]``.
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


def plain_dense_operands(inputs, weights, biases):
    """``(inputs, weights, bias row)`` themselves if they need no conversion; else None.

    The common case, checked in a few C-speed passes and copied nowhere:
    ``inputs`` an n x k and ``weights`` a k x m batch (n, k, m >= 1) of
    exactly lists or tuples holding exactly floats, ``biases`` such a row of
    m floats or a batch of one.  Anything else is None, and goes through
    ``dense_operands`` (with its conversions and messages).  The caller must
    neither change nor return the lists it gets back.
    """
    if not (_all_float_rows(inputs) and _all_float_rows(weights)):
        return None
    bias = biases
    if type(bias) in _ROW_TYPES and len(bias) == 1 and type(bias[0]) in _ROW_TYPES:
        bias = bias[0]
    if (type(bias) not in _ROW_TYPES or len(inputs[0]) != len(weights)
            or len(weights[0]) != len(bias) or not _only_floats(bias, len(bias))):
        return None
    return inputs, weights, bias


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
    through ``read_float``, so it raises TypeError on anything but a float
    (and reads a float subclass by the reading rule): then only the shape is
    checked before the call, and a TypeError sends ``x`` through the full
    checks, which name the element (or convert ints).
    """
    if type(x) not in _ROW_TYPES:
        items = plain_sequence(x)
        if items is None:
            return row_function([as_float_scalar(x, func, name)])[0]
        x = items
    if reads_floats and read_float is not None:
        try:
            if _is_rectangular(x):
                return list(map(row_function, x))
            if not (x and is_sequence(x[0])):
                return row_function(x)
        except TypeError:
            pass
    if not (x and is_sequence(x[0])):
        if _only_floats(x, len(x)):
            return row_function(x)
        return row_function(row_to_floats(x, func, name))
    if _all_float_rows(x):
        return list(map(row_function, x))
    out = []
    width = None
    for row in x:
        if type(row) not in _ROW_TYPES:
            break
        if width is None:
            width = len(row)
        if len(row) != width or not _only_floats(row, width):
            break
        out.append(row_function(row))
    else:
        return out
    # Anything but rows of floats of one length: the full checks, with their
    # messages (and conversion of ints and subclasses).
    return [row_function(row) for row in batch_to_floats(x, func, name)]


def as_float_scalar(x, func, name):
    """A number ``x`` as a float; anything else a TypeError, as ``to_floats`` gives."""
    number = plain_number(x)
    if number is None:
        raise _not_array(x, func, name)
    return as_float(number, func, name)


def apply_elementwise(function, kind, data):
    """Apply ``function`` (float -> float) to every element, keeping the shape."""
    if kind == "scalar":
        return function(data)
    if kind == "vector":
        return [function(v) for v in data]
    return [[function(v) for v in row] for row in data]
