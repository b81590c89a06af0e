"""Print float batches the way NumPy's ``print(array)`` does, for float64 and float32.

``format_array(x, dtype)`` gives the text of ``str(np.array(x, dtype))``
under NumPy's default print options (``precision=8``, ``floatmode='maxprec'``,
``suppress=False``, ``linewidth=75``, ``threshold=1000``, ``edgeitems=3``),
as NumPy 2.4 prints it.  The rules, as NumPy's ``arrayprint`` applies them:

* Each value gets the **shortest digits that round-trip in the array's
  dtype** (the float32 value 0.33333319425582886 prints as ``0.3333332``,
  where float64 digits capped at 8 decimals give ``0.33333319``), with at
  most 8 digits after the point; a value that needs more is correctly rounded
  (ties to even) to 8 decimals, and trailing zeros are dropped (``0.``).
* Scientific notation is used for the whole array when, over its nonzero
  finite magnitudes, ``max >= 1e8`` (float64) or ``max >= 1e6`` (float32,
  since NumPy 2.2; older NumPy used 1e8), or ``min < 1e-4``, or
  ``max / min > 1000``.  For float32 data these comparisons and the division
  are done in float32, as NumPy does.  In scientific notation every mantissa
  gets as many decimals as the longest one needs (at most 8, zero-padded) and
  every exponent as many digits as the longest one (at least 2).
* Positional values are aligned on the point: padded on the left to the
  widest integer part (sign included) and on the right with spaces to the
  longest fraction.  ``nan``, ``inf`` and ``-inf`` are right-aligned to the
  same width.
* Rows are wrapped at 75 characters; arrays of more than 1000 values show
  only 3 items at each edge of every axis, with ``...`` between.

Everything is exact integer arithmetic on the floats' bits, so the text is
the same on every interpreter (MicroPython's own ``repr`` is not shortest).
"""

import math

from .._base.checks import _describe, to_floats
from .._base.formats import FORMATS, check_dtype, is_finite, round_f32, round_float

_INF = float("inf")

_PRECISION = 8      # np.set_printoptions default
_LINE_WIDTH = 75
_THRESHOLD = 1000
_EDGE_ITEMS = 3


def _left(text, width, fill=" "):
    # text.rjust(width, fill); MicroPython's str has no rjust/ljust.
    return fill * (width - len(text)) + text


def _right(text, width, fill=" "):
    return text + fill * (width - len(text))


class _Exact(object):
    # A positive finite float as 4*M units of 2**(E-2), with the half-gaps to
    # its neighbours in the same units, for exact comparisons with decimals.
    def __init__(self, x, dtype):
        fmt = FORMATS[dtype]
        bits, lsb_min = fmt.precision, fmt.min_lsb
        exponent = math.frexp(x)[1] - bits
        if exponent < lsb_min:
            exponent = lsb_min
        mantissa = int(math.ldexp(x, -exponent))       # exact: x is a multiple of 2**exponent
        tight_below = mantissa == 1 << (bits - 1) and exponent > lsb_min
        self.center = 4 * mantissa
        self.low = self.center - (1 if tight_below else 2)
        self.high = self.center + 2
        shift = exponent - 2
        self.num_scale = 1 << shift if shift > 0 else 1    # value = t * num_scale / den
        self.den = 1 << -shift if shift < 0 else 1
        self.x = x

    def compare_decimal(self, d, q, t):
        """Sign of d * 10**q - t * 2**(E-2)."""
        left = d * self.den
        right = t * self.num_scale
        if q >= 0:
            left *= 10 ** q
        else:
            right *= 10 ** -q
        return (left > right) - (left < right)

    def floor_log10(self):
        k = int(math.floor(math.log10(self.x)))
        while self.compare_decimal(1, k, self.center) > 0:
            k -= 1
        while self.compare_decimal(1, k + 1, self.center) <= 0:
            k += 1
        return k

    def rounded(self, q):
        """The integer nearest to x / 10**q, ties to even."""
        num = self.center * self.num_scale
        den = self.den
        if q >= 0:
            den *= 10 ** q
        else:
            num *= 10 ** -q
        whole, rest = divmod(num, den)
        if 2 * rest > den or (2 * rest == den and whole & 1):
            whole += 1
        return whole

    def round_trips(self, d, q):
        # Inside the rounding interval; a decimal exactly half-way to a
        # neighbour reads back as x only when x's significand is even (ties
        # to even), and NumPy's Dragon4 counts it then too.
        below = self.compare_decimal(d, q, self.low)
        above = self.compare_decimal(d, q, self.high)
        if self.center & 4:                  # odd significand: ends excluded
            return below > 0 and above < 0
        return below >= 0 and above <= 0


def _digits_of(d, q):
    # d * 10**q as (significant digits without trailing zeros, decimal exponent
    # of the first digit).
    text = str(d)
    exp10 = q + len(text) - 1
    stripped = text.rstrip("0")
    return stripped, exp10


def shortest_digits(x, dtype="float64"):
    """The shortest decimal digits that read back as ``|x|`` in ``dtype``.

    Returns ``(digits, exp10)`` with ``|x| == float(digits[0] + '.' +
    digits[1:] + 'e' + str(exp10))`` after rounding to ``dtype``; among the
    shortest strings, the one nearest to ``x``.  ``x`` must be finite and
    nonzero (and a float32 value for ``dtype='float32'``).

    >>> shortest_digits(0.1)
    ('1', -1)
    >>> shortest_digits(0.33333319425582886, "float32")
    ('3333332', -1)
    """
    exact = _Exact(abs(x), dtype)
    k = exact.floor_log10()
    for p in range(1, FORMATS[dtype].round_trip_digits + 1):
        q = k - p + 1
        base = exact.rounded(q)
        # Nearest first: base, then the neighbour on x's side of it.
        if exact.compare_decimal(base, q, exact.center) > 0:
            candidates = (base, base - 1, base + 1)
        else:
            candidates = (base, base + 1, base - 1)
        for d in candidates:
            if d > 0 and exact.round_trips(d, q):
                return _digits_of(d, q)
    # Unreachable for finite floats: 17 (float64) or 9 (float32) digits always round-trip.
    raise AssertionError("no round-trip digits for %r" % (x,))


def _positional(x, dtype):
    # (sign, integer digits, fraction digits) with at most 8 fraction digits.
    sign = "-" if math.copysign(1.0, x) < 0 else ""
    if x == 0.0:
        return sign, "0", ""
    digits, exp10 = shortest_digits(x, dtype)
    if len(digits) - 1 - exp10 > _PRECISION:
        n = _Exact(abs(x), dtype).rounded(-_PRECISION)
        text = _left(str(n), _PRECISION + 1, "0")
        return sign, text[:-_PRECISION], text[-_PRECISION:].rstrip("0")
    if exp10 >= 0:
        whole = _right(digits[:exp10 + 1], exp10 + 1, "0")
        return sign, whole, digits[exp10 + 1:]
    return sign, "0", "0" * (-exp10 - 1) + digits


def _scientific(x, dtype, decimals=None):
    # (sign, mantissa integer digit, mantissa fraction digits, exponent).
    # decimals None: the shortest digits, correctly rounded to 8 decimals if
    # they need more.  Otherwise exactly ``decimals`` fraction digits: NumPy
    # continues a shorter mantissa with the value's further true digits, so
    # 5e-324 prints as 4.94065646e-324 beside a value that needs 8 decimals.
    sign = "-" if math.copysign(1.0, x) < 0 else ""
    if x == 0.0:
        return sign, "0", "", 0
    digits, exp10 = shortest_digits(x, dtype)
    if decimals is None and len(digits) - 1 > _PRECISION:
        decimals = _PRECISION
    if decimals is not None and len(digits) - 1 != decimals:
        exact = _Exact(abs(x), dtype)
        k = exact.floor_log10()
        digits, exp10 = _digits_of(exact.rounded(k - decimals), k - decimals)
    return sign, digits[0], digits[1:], exp10


def _less(a, b, dtype):
    # a < b as NumPy compares an array value with a Python float: in float32
    # for float32 data (the Python float is rounded to float32 first).
    if dtype == "float32":
        b = round_f32(b)
    return a < b


def _use_scientific(values, dtype):
    magnitudes = [abs(v) for v in values if v != 0.0 and is_finite(v)]
    if not magnitudes:
        return False
    largest, smallest = max(magnitudes), min(magnitudes)
    ratio = largest / smallest if smallest else _INF
    if dtype == "float32":
        ratio = round_f32(ratio)
    cutoff = 1e6 if dtype == "float32" else 1e8
    return (not _less(largest, cutoff, dtype) or _less(smallest, 0.0001, dtype)
            or 1000.0 < ratio)


def _nonfinite_text(x):
    if x != x:
        return "nan"
    return "inf" if x > 0 else "-inf"


def _make_formatter(values, dtype):
    # One function for every element, with the widths fixed from all of them
    # (NumPy's FloatingFormat).
    finite = [v for v in values if is_finite(v)]
    has_nonfinite = len(finite) != len(values)
    if _use_scientific(values, dtype):
        parts = [_scientific(v, dtype) for v in finite]
        decimals = min(_PRECISION, max([len(p[2]) for p in parts] or [0]))
        exp_width = max([len(str(abs(p[3]))) for p in parts] + [2])
        pad_left = max([len(p[0] + p[1]) for p in parts] or [0])
        pad_right = exp_width + 2 + decimals

        def finite_text(v):
            sign, lead, fraction, exp10 = _scientific(v, dtype, decimals)
            mantissa = _left(sign + lead, pad_left) + "." + _right(fraction, decimals, "0")
            return "%se%s%s" % (mantissa, "-" if exp10 < 0 else "+",
                                _left(str(abs(exp10)), exp_width, "0"))
    else:
        parts = [_positional(v, dtype) for v in finite]
        pad_left = max([len(p[0] + p[1]) for p in parts] or [0])
        pad_right = max([len(p[2]) for p in parts] or [0])

        def finite_text(v):
            sign, whole, fraction = _positional(v, dtype)
            return _left(sign + whole, pad_left) + "." + _right(fraction, pad_right)
    if has_nonfinite:
        # Widen so that 'nan' and '-inf' fit in the same columns.
        negative_inf = any(v == -_INF for v in values)
        pad_left = max(pad_left, 3 - (pad_right + 1), 3 + negative_inf - (pad_right + 1))
    width = pad_left + pad_right + 1

    def element_text(v):
        if not is_finite(v):
            return _left(_nonfinite_text(v), width)
        return finite_text(v)
    return element_text


def _shape(x, func):
    # (kind, rows): a vector is one row; a batch a list of equal-length rows,
    # read and checked as every nnref input (nnref._base.checks).
    kind, data = to_floats(x, func, "x")
    if kind == "scalar":
        raise TypeError("%s: x is %s; expected a list of numbers or of rows"
                        % (func, _describe(x)))
    return kind, data


def _edges(items, summarise):
    # The items NumPy shows: all, or 3 at each end when summarising.
    if summarise and len(items) > 2 * _EDGE_ITEMS:
        return items[:_EDGE_ITEMS], items[-_EDGE_ITEMS:]
    return items, None


def _row_text(words, indent, width):
    # One bracketed row, wrapped: a word goes to a new line when the line
    # plus the word would pass ``width`` (NumPy's _extendLine), unless the
    # line holds nothing yet.
    text = ""
    line = indent
    for i, word in enumerate(words):
        if len(line) + len(word) > width and len(line) > len(indent):
            text += line.rstrip() + "\n"
            line = indent
        line += word
        if i != len(words) - 1:
            line += " "
    text += line
    return "[" + text[len(indent):] + "]"


def _row_words(row, element_text, summarise):
    head, tail = _edges(row, summarise)
    words = [element_text(v) for v in head]
    if tail is not None:
        words.append("...")
        words.extend(element_text(v) for v in tail)
    return words


def format_array(x, dtype="float64"):
    """The text ``print(np.array(x, dtype=dtype))`` shows, under NumPy's defaults.

    ``x`` is a vector (list or tuple of numbers) or a batch (list of
    equal-length rows); ``dtype`` is ``'float64'`` or ``'float32'``.  For
    ``'float32'`` each value is first rounded to float32, as ``np.array``
    does.  See the module docstring for the rules (shortest round-trip digits
    in the dtype, at most 8 decimals, NumPy's switch to scientific notation,
    alignment, wrapping at 75 columns, summarising past 1000 values).

    Special cases: ``nan``, ``inf`` and ``-inf`` print as NumPy prints them;
    ``-0.0`` prints as ``-0.``; an empty vector or batch prints as ``[]``.

    >>> print(format_array([[0.0, 0.00011395361, 0.0], [0.0, 0.00031729, 0.0]], "float32"))
    [[0.         0.00011395 0.        ]
     [0.         0.00031729 0.        ]]
    >>> print(format_array([0.33333319425582886, 0.33333319425582886]))
    [0.33333319 0.33333319]
    >>> print(format_array([0.33333319425582886, 0.33333319425582886], "float32"))
    [0.3333332 0.3333332]
    >>> print(format_array([1e-5, -1.5, float("nan")]))
    [ 1.0e-05 -1.5e+00      nan]
    """
    func = "format_array"
    check_dtype(dtype, func)
    kind, data = _shape(x, func)
    if dtype == "float32":
        if kind == "batch":
            data = [[round_f32(v) for v in row] for row in data]
        else:
            data = [round_f32(v) for v in data]
    rows = data if kind == "batch" else [data]
    size = len(rows) * len(rows[0]) if rows else 0
    if size == 0:
        return "[]"
    summarise = size > _THRESHOLD
    head, tail = _edges(rows, summarise) if kind == "batch" else (rows, None)
    shown_rows = head + (tail or [])
    shown = []
    for row in shown_rows:
        row_head, row_tail = _edges(row, summarise)
        shown.extend(row_head + (row_tail or []))
    element_text = _make_formatter(shown, dtype)
    if kind == "vector":
        # One column is kept free for the closing ']'.
        return _row_text(_row_words(data, element_text, summarise), " ", _LINE_WIDTH - 1)
    # A batch: each row is indented one more space, and one more column is
    # kept free for the outer ']'.
    lines = [_row_text(_row_words(row, element_text, summarise), "  ", _LINE_WIDTH - 2)
             for row in head]
    if tail is not None:
        lines.append("...")
        lines.extend(_row_text(_row_words(row, element_text, summarise), "  ", _LINE_WIDTH - 2)
                     for row in tail)
    return "[" + "\n ".join(lines) + "]"


# Where a NumPy scalar's str switches to scientific notation, by dtype.
_SCALAR_LIMITS = {"float64": 1e16, "float32": 1e6}


def format_scalar(x, dtype="float64"):
    """The text ``str(np.float64(x))`` (or ``np.float32``, ...) gives: ``print`` of a NumPy scalar.

    ``dtype`` is ``'float64'`` or ``'float32'``.  The shortest digits that
    read back in ``dtype`` (``x`` is first rounded to it), positional when
    ``x`` is 0 or ``1e-4 <= |x| < 1e16`` (float32: ``< 1e6``, as NumPy 2.2
    and later print it), keeping one zero after the point (``1.0``); else
    scientific with the zeros and point trimmed (``1e-05``,
    ``1.2345679e+06``) and at least two exponent digits.  For float64 this is
    also Python's ``repr``.

    Special cases: ``nan``, ``inf`` and ``-inf`` print as ``nan``, ``inf``
    and ``-inf``; ``-0.0`` prints as ``-0.0``.

    >>> format_scalar(1.0986103773117065, "float32")
    '1.0986104'
    >>> format_scalar(0.34), format_scalar(1e-5, "float32"), format_scalar(2.0, "float32")
    ('0.34', '1e-05', '2.0')
    """
    return scalar_text(x, dtype, "format_scalar")


def scalar_text(x, dtype, func):
    """``format_scalar(x, dtype)``, naming ``func`` in its errors."""
    fmt = check_dtype(dtype, func)
    if dtype not in _SCALAR_LIMITS:
        raise ValueError("%s: dtype must be 'float64' or 'float32', got %r" % (func, dtype))
    kind, value = to_floats(x, func, "x")
    if kind != "scalar":
        raise TypeError("%s: x is %s; expected a number" % (func, _describe(x)))
    value = round_float(value, fmt)
    if not is_finite(value):
        return _nonfinite_text(value)
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0.0:
        return sign + "0.0"
    digits, exp10 = shortest_digits(value, dtype)
    if 1e-4 <= abs(value) < _SCALAR_LIMITS[dtype]:
        if exp10 >= 0:
            whole = _right(digits[:exp10 + 1], exp10 + 1, "0")
            return sign + whole + "." + (digits[exp10 + 1:] or "0")
        return sign + "0." + "0" * (-exp10 - 1) + digits
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return "%s%se%s%s" % (sign, mantissa, "-" if exp10 < 0 else "+",
                          _left(str(abs(exp10)), 2, "0"))
