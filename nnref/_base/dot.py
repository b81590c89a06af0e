"""Correctly rounded dot products: the arithmetic behind ``dense`` and ``matmul``.

Each output is sum_i x_i * w_i + b computed exactly and rounded once.  A
finite float is ``n * 2**e`` with an integer ``n``, so a row of floats scaled
by a power of two becomes a row of exact integers, and integer sums and
products are exact.  Two ways use that:

* the packed accumulator (the common case, and the fast one): every output of
  an input row comes out of one C-level ``sum(map(mul, ...))`` over big
  integers, described step by step above ``_Packed``;
* the column-wise form (batches of narrow rows, k small, such as the
  chapter's 300 x 2 and 300 x 3): each input column is scaled to exact
  integers once, and each output column is one list comprehension over the
  whole batch, described above ``_dense_columns``;
* the exact dot (rows the packing cannot take: NaN or infinite data, results
  that may be subnormal or overflow, data spread over too many binades): one
  exact integer dot per output, rounded by ``round_scaled``.

Both give the same bits: the float nearest to the exact value, ties to even.
"""

import math
import sys

from .formats import (all_finite, bit_length, is_finite, is_negative_zero, round_scaled,
                      to_scaled_int)
from .rounding import special_sum

try:
    from operator import mul
except ImportError:  # MicroPython has no operator.mul
    def mul(a, b):
        return a * b

# int(x) of an integer-valued float x, at C speed.  float.__trunc__ is the
# same conversion without int()'s dispatch on its argument's type: about 0.65
# of the time over a list on CPython 3.11.  MicroPython has no float.__trunc__.
_float_to_int = getattr(float, "__trunc__", int)

# CPython and PyPy round float(int) correctly; MicroPython truncates it.  The
# test value is 2**80 + 2**27 + 1: just above the midpoint between two floats,
# so only a correct rounding gives the upper one.
_FLOAT_INT_ROUNDS = float(2 ** 80 + 2 ** 27 + 1) == 2.0 ** 80 + 2.0 ** 28

try:
    from itertools import chain as _chain
    _elements = _chain.from_iterable
except (ImportError, AttributeError):      # MicroPython: no chain.from_iterable
    _elements = None

try:
    from itertools import repeat as _repeat
except ImportError:                         # not on every MicroPython build
    _repeat = None

try:
    from operator import (add as _add, floordiv as _floordiv, lshift as _lshift,
                          rshift as _rshift, sub as _sub)
except ImportError:
    _add = _floordiv = _lshift = _rshift = _sub = None

# The column-wise form is used up to this many terms per output (k), and
# from this many rows (n): measured on CPython, it beats the packed
# accumulator there (below, the per-map overheads dominate).
_COLUMNS_MAX_TERMS = 4
_COLUMNS_MIN_ROWS = 16

# Bounds on the integer widths the packing takes (bits).  Rows whose integers
# are wider (a row spread over more than about 160 binades) take the exact
# dot; weights wider than theirs are not packed at all.  The slot width stays below
# 1024 bits, so float() of a slot can never overflow.
_ROW_BITS_LIMIT = 220
# One exponent for the whole batch only while its integers stay about as
# narrow as rows' own (53 bits and the usual spread of the data).
_BATCH_BITS_LIMIT = 100
_WEIGHT_BITS_LIMIT = 600


_as_ratio = getattr(float, "as_integer_ratio", None)
if _repeat is None or _floordiv is None:
    _as_ratio = None


def _scale_exactly(values, most):
    # The always-exact version of scale_to_ints, for values spread over more
    # binades than one float factor can span.  At C speed where floats have
    # as_integer_ratio: x == p / q with q a power of two, so x * 2**-low is
    # (p << -low) // q, exactly; elsewhere one element at a time.
    pairs = [to_scaled_int(v) for v in values] if _as_ratio is None else None
    if pairs is not None:
        exponents = [e for n, e in pairs if n]
    else:
        exponents = [math.frexp(v)[1] - 53 for v in values if v]
    low = min(exponents) if exponents else 0
    if most is not None and low > most:
        low = most
    if pairs is not None:
        return [n << (e - low) if n else 0 for n, e in pairs], low
    numerators, denominators = zip(*map(_as_ratio, values))
    if low <= 0:
        return list(map(_floordiv, map(_lshift, numerators, _repeat(-low)), denominators)), low
    # low > 0: every value is a multiple of 2**low, an integer; q == 1.
    return list(map(_rshift, numerators, _repeat(low))), low


_TWO_1000 = 2.0 ** 1000


def scale_to_ints(values, most=None, narrow=False):
    """``(ints, e)`` with ``values[i] == ints[i] * 2**e`` exactly, or None if any is not finite.

    ``e`` is at most ``most`` when that is given.  The common case runs at C
    speed: ``e`` is the exponent of the last bit of the smallest nonzero
    magnitude (no element has a lower last bit), and multiplying by the float
    ``2**-e`` (two factors when that is not a float: tiny values) and
    truncating with ``int`` are all exact.  A scaled value beyond the floats
    (values spread over more binades than a float spans) overflows to inf,
    which ``int`` refuses: the always-exact ``_scale_exactly`` then does it,
    unless ``narrow`` is true: then the result is None there too (integers
    of more than 1024 bits, which a caller that only takes narrow ones would
    refuse after the slow scaling).
    """
    if not is_finite(sum(values)):           # NaN or inf if any value is; inf on overflow
        if not all_finite(values):
            return None                      # NaN or +-inf
    try:
        smallest = min(filter(None, map(abs, values)))
    except ValueError:                       # no nonzero value
        return [0] * len(values), (0 if most is None or most > 0 else most)
    low = math.frexp(smallest)[1] - 53
    if most is not None and low > most:
        low = most
    if _repeat is None and low < -1022:
        return _scale_exactly(values, most)  # no repeat() for the two factors below
    try:
        if low >= -1022:
            factor = math.ldexp(1.0, -low)
            return list(map(_float_to_int, map(mul, values, [factor] * len(values)))), low
        # 2**-low is beyond the floats: scale by 2**1000, then by the rest
        # (both powers of two above 1: exact unless a value overflows).
        rest = math.ldexp(1.0, -low - 1000)
        return (list(map(_float_to_int, map(mul, map(mul, values, _repeat(_TWO_1000)),
                                              _repeat(rest)))), low)
    except (OverflowError, ValueError):      # a scaled value overflowed to inf
        return None if narrow else _scale_exactly(values, most)


def _zero_sign(row, column, bias):
    # The exact sum is zero.  IEEE addition gives -0.0 only if every term is
    # -0.0: here, every product is a zero of negative sign and so is the bias.
    if not is_negative_zero(bias):
        return 0.0
    for x, w in zip(row, column):
        if x != 0.0 and w != 0.0:
            return 0.0                       # a nonzero product (even if it underflows)
        if math.copysign(1.0, x) * math.copysign(1.0, w) > 0.0:
            return 0.0                       # a +0.0 product
    return -0.0


def _nonfinite_dot(row, column, bias):
    # Some input is NaN or infinite.  The infinite terms decide the answer
    # (NaN for inf - inf or 0 * inf, as IEEE says); finite products, even huge
    # ones, cannot cancel an infinity.
    terms = []
    for x, w in zip(row, column):
        if x != x or w != w:
            return float("nan")
        if not (is_finite(x) and is_finite(w)):     # an infinite factor
            if x == 0.0 or w == 0.0:
                return float("nan")          # 0 * inf
            terms.append(x * w)              # +-inf with the right sign
    terms.append(bias)
    return special_sum(terms)                 # not None: some term is NaN or infinite


def dot_plus_bias(row, row_scaled, column, column_scaled, bias):
    """Correctly rounded ``sum(row[i] * column[i]) + bias``: the exact dot.

    ``row_scaled`` and ``column_scaled`` are ``scale_to_ints`` of ``row`` and
    ``column`` (None where not finite), computed once by the caller.
    """
    if row_scaled is None or column_scaled is None or not is_finite(bias):
        return _nonfinite_dot(row, column, bias)
    row_ints, row_exp = row_scaled
    column_ints, column_exp = column_scaled
    total = sum(map(mul, row_ints, column_ints))
    return _plus_bias_rounded(total, row_exp + column_exp, row, column, bias)


def _plus_bias_rounded(total, exponent, row, column, bias, bias_scaled=None):
    # total * 2**exponent (the exact dot) plus the bias, exactly, rounded once.
    # bias_scaled: to_scaled_int(bias), if the caller has it.
    if bias != 0.0:
        bias_int, bias_exp = to_scaled_int(bias) if bias_scaled is None else bias_scaled
        if bias_exp >= exponent:
            total += bias_int << (bias_exp - exponent)
        else:
            total = (total << (exponent - bias_exp)) + bias_int
            exponent = bias_exp
    if total == 0:
        return _zero_sign(row, column, bias)
    return round_scaled(total, exponent)


# The sparse exact dot: for data spread over many binades, where one
# exponent per row makes integers thousands of bits wide and the exact dot's
# products of two such integers cost the most.  Each value is instead
# n * 2**(E - 53) with its own E (frexp) and |n| < 2**53, each product is
# exactly n_x * n_w * 2**(E_x + E_w - 106), and only the sum of the products
# shifted to the lowest exponent is wide.
#
# Wider than _WINDOW_BITS, that sum is thousands of bits wide, and most of
# it is far below the result's last bit.  _windowed_dot then sums exactly
# only the terms within the window below the largest, and bounds the rest:
# each product of exponent E is below 2**E in magnitude.  Where the bound
# cannot move the rounding (it almost never can), that is the answer;
# otherwise the whole sum is taken.
_SPARSE = _repeat is not None and _add is not None and _sub is not None
_TWO_53_FLOAT = 2.0 ** 53
_WINDOW_BITS = 160


def mantissas(values):
    """``(ns, Es)`` with ``values[i] == ns[i] * 2**(Es[i] - 53)`` exactly, for finite floats."""
    if not values:
        return [], []
    fractions, exponents = zip(*map(math.frexp, values))
    return list(map(_float_to_int, map(mul, fractions, _repeat(_TWO_53_FLOAT)))), list(exponents)


def sparse_dot_plus_bias(row_parts, column_parts, row, column, bias, bias_scaled=None):
    """The exact dot's result from ``mantissas`` of a finite row and column and a finite bias.

    ``bias_scaled``, if given, is ``to_scaled_int(bias)`` (computed once per
    column by a caller with many rows).
    """
    row_ints, row_exps = row_parts
    column_ints, column_exps = column_parts
    exps = list(map(_add, row_exps, column_exps))
    low = min(exps) if exps else 0
    if exps and max(exps) - low > _WINDOW_BITS:
        if bias_scaled is None:
            bias_scaled = to_scaled_int(bias)
        result = _windowed_dot(row_ints, column_ints, exps, bias_scaled)
        if result is not None:
            return result
    total = sum(map(_lshift, map(mul, row_ints, column_ints), map(_sub, exps, _repeat(low))))
    return _plus_bias_rounded(total, low - 106, row, column, bias, bias_scaled)


def _windowed_dot(row_ints, column_ints, exps, bias_scaled):
    # The dot of sparse_dot_plus_bias from the terms within _WINDOW_BITS of
    # the largest, or None where the others might change its rounding.
    # Term i is p[i] * 2**(exps[i] - 106) with |p[i]| < 2**106; the bias
    # n * 2**e is written the same way, with E its top bit's exponent.
    bias_int, bias_exp = bias_scaled
    if bias_int:
        bias_top = bias_exp + bit_length(abs(bias_int))
        bias_term = bias_int << (106 - bit_length(abs(bias_int)))
    high = max(exps)
    if bias_int and bias_top > high:
        high = bias_top
    # The sum of the terms of exponent at least cutoff, in units of
    # 2**(cutoff - 106).  Every other term is below 2**(cutoff - 1), so their
    # sum is below dropped * 2**105 units.
    cutoff = high - _WINDOW_BITS
    kept = [(x * w) << (e - cutoff) for x, w, e in zip(row_ints, column_ints, exps)
            if e >= cutoff]
    dropped = len(exps) - len(kept)
    total = sum(kept)
    if bias_int:
        if bias_top >= cutoff:
            total += bias_term << (bias_top - cutoff)
        else:
            dropped += 1
    # Some term is always dropped (the exponents span more than the window),
    # and a zero total, whose sign the full path decides, is refused too.
    if not _rounds_alike(abs(total), dropped << 105, cutoff - 106):
        return None
    return round_scaled(total, cutoff - 106)


def _rounds_alike(magnitude, bound, exponent):
    # True if every value within bound of magnitude (positive integers, in
    # units of 2**exponent) rounds to the same float64 as magnitude does, so
    # that terms summing to less than bound cannot change it.  round_scaled
    # drops the low `drop` bits: magnitude lies in the cell [c, c + 2**drop)
    # of one float's spacing, and rounds to c below the cell's midpoint, to
    # c + 2**drop above it.  Values a little outside the cell round the same
    # way, as far as the next midpoint: at least a quarter cell away (the
    # cell below c is half as wide where c is a power of two).
    if magnitude <= bound:
        return False                         # even the sign is not settled
    drop = max(bit_length(magnitude) - 53, -1074 - exponent)
    if drop <= 0:
        return False                         # magnitude is a float, and so are its neighbours
    rest = magnitude & ((1 << drop) - 1)
    half = 1 << (drop - 1)
    if rest < half:                          # rounds down, to c
        return rest + bound < half and bound < rest + (half >> 1)
    # Rounds up, to c + 2**drop.  Then bound < half, so the values also stay
    # below the next cell's midpoint.
    return rest - bound > half


def _pack_slots(values, slot_bytes, offset):
    # sum_j values[j] * 2**(8*slot_bytes*j) for signed values[j] with |v| < 2**(S-1):
    # write each v + H as its own bytes, read the whole as one integer, take the H's off.
    half = 1 << (8 * slot_bytes - 1)
    raw = b"".join([(v + half).to_bytes(slot_bytes, "little") for v in values])
    return int.from_bytes(raw, "little") - offset


class _Packed(object):
    # The weights and biases of one dense_rows call, packed for rows whose
    # integers are at most row_bits wide (steps 1, 4 and 5).

    def __init__(self, scaled_columns, row_bits, bias_ints=None):
        column_ints = [ints for ints, _ in scaled_columns]
        self.exponents = [exponent for _, exponent in scaled_columns]
        weight_bits = max([bit_length(sum(map(abs, ints))) for ints in column_ints])
        slot_bytes = (row_bits + weight_bits + 1 + 7) // 8      # |s[j]| < 2**(S-1)
        width = len(column_ints)
        self.slot_bytes = slot_bytes
        self.length = slot_bytes * width
        self.half = 1 << (8 * slot_bytes - 1)
        self.offset = int.from_bytes((bytes(slot_bytes - 1) + b"\x80") * width, "little")
        self.bounds = [(j * slot_bytes, (j + 1) * slot_bytes) for j in range(width)]
        # zip(*column_ints) gives the k weight rows, then each column's bias (its last entry).
        packed = [_pack_slots(ints, slot_bytes, self.offset) for ints in zip(*column_ints)]
        self.bias_row = packed.pop()
        # bias_ints: the biases already in the outputs' units (_separate_biases).
        self.fixed_bias = bias_ints is not None
        if self.fixed_bias:
            self.bias_row = _pack_slots(bias_ints, slot_bytes, self.offset)
        self.weight_rows = packed
        self.column_scales = [math.ldexp(1.0, c) for c in self.exponents]

    def start(self, row_exp):
        # Step 4's bias term plus step 5's OFFSET: the sum's start value.  (A
        # positive row_exp comes with biases already divided by 2**row_exp.)
        if self.bias_row and row_exp < 0 and not self.fixed_bias:
            return (self.bias_row << -row_exp) + self.offset
        return self.bias_row + self.offset


_TINY = 2.0 ** -1022        # the smallest normal float


def _factors(row_exp, exponents):
    # Step 6's powers of two 2**(row_exp + c[j]), as one float factor each, or
    # as two (first, then second) where 2**(row_exp + c[j]) is not a float.
    # Two factors are exact as long as the result is not below _TINY (the
    # first product is then a normal float too); where the exponent is below
    # -1074, outputs up to _TINY must be recomputed (_tiny_columns).
    first, second = [], []
    for c in exponents:
        e = row_exp + c
        if e < -1074:
            first.append(math.ldexp(1.0, e + 1000))
            second.append(2.0 ** -1000)
        elif e > 1023:
            first.append(math.ldexp(1.0, e - 1000))
            second.append(2.0 ** 1000)
        else:
            first.append(math.ldexp(1.0, e))
            second.append(1.0)
    return first, (second if first != [] and second != [1.0] * len(second) else None)


def _tiny_columns(row_exp, exponents):
    # The output columns whose results up to _TINY _round_rows may round twice.
    if not _FLOAT_INT_ROUNDS:
        return []
    return [j for j, c in enumerate(exponents) if row_exp + c < -1074]


if _FLOAT_INT_ROUNDS:
    def _round_rows(packed, rows_ints, row_exp):
        # Steps 4 to 6 for rows scaled by the same 2**row_exp, at C speed:
        # every row's slots are laid end to end in one bytes object, read back
        # in one pass, and each float() is multiplied by its exact power of two.
        start = packed.start(row_exp)
        offset, length, weight_rows = packed.offset, packed.length, packed.weight_rows
        raw = b"".join([(sum(map(mul, row_ints, weight_rows), start) ^ offset)
                        .to_bytes(length, "little") for row_ints in rows_ints])
        size = packed.slot_bytes
        from_bytes = int.from_bytes
        values = [float(from_bytes(raw[a:a + size], "little", signed=True))
                  for a in range(0, len(raw), size)]
        first, second = _factors(row_exp, packed.exponents)
        values = list(map(mul, values, first * len(rows_ints)))
        if second is not None:
            values = list(map(mul, values, second * len(rows_ints)))
        width = len(packed.column_scales)
        return [values[i:i + width] for i in range(0, len(values), width)]
else:
    def _round_rows(packed, rows_ints, row_exp):
        # float(int) truncates here (MicroPython): round each slot explicitly.
        # (Its int.from_bytes has no signed=True: take H off by hand.)
        start = packed.start(row_exp)
        half, length, weight_rows = packed.half, packed.length, packed.weight_rows
        exponents = [(a, b, row_exp + c) for (a, b), c in zip(packed.bounds, packed.exponents)]
        out = []
        for row_ints in rows_ints:
            raw = sum(map(mul, row_ints, weight_rows), start).to_bytes(length, "little")
            out.append([round_scaled(int.from_bytes(raw[a:b], "little") - half, e)
                        for a, b, e in exponents])
        return out


def _scale_columns(columns, biases):
    # Step 1: each column with its bias, as exact integers; None if some weight
    # or bias is not finite, or the integers are too wide to pack.
    scaled_columns = []
    for column, bias in zip(columns, biases):
        scaled = scale_to_ints(column + [bias], narrow=True)
        if scaled is None or bit_length(sum(map(abs, scaled[0]))) > _WEIGHT_BITS_LIMIT:
            return None
        scaled_columns.append(scaled)
    return scaled_columns


def _row_bits(scaled, biased=True):
    # Step 5's bound on a row's integers: the widest one, and 2**-r (the
    # bias's factor, unless every bias is zero).
    ints, exponent = scaled
    return max(bit_length(max(map(abs, ints))) if ints else 0, 1 - exponent if biased else 1, 1)


def _scale_batch(inputs, most, biased):
    # Step 2 for the whole batch at once, with one exponent r <= most for every row:
    # one C-speed pass over all n*k values instead of n small ones, worth it
    # unless it makes the integers much wider than a row at a time would.
    if _elements is not None:
        flat = list(_elements(inputs))
    else:
        flat = []
        for row in inputs:
            flat.extend(row)
    scaled = scale_to_ints(flat, most, narrow=True)
    if scaled is None:
        return None
    bits = _row_bits(scaled, biased)
    if bits > _BATCH_BITS_LIMIT:
        return None
    ints, exponent = scaled
    k = len(inputs[0]) if inputs else 1
    return [ints[i:i + k] for i in range(0, len(ints), k)], exponent, bits


# The column-wise form
# --------------------
# For a batch of narrow rows (k small, n large) a Python-level step per row
# costs more than the arithmetic, so the work goes column by column:
#
# 1. The inputs are scaled to exact integers once, in one pass over all n*k
#    of them: X[.][i] == Xi[.][i] * 2**R with R <= 0 (scaled_input_columns).
#    Weight column j with its bias is scaled as for the packing: W[i][j] ==
#    Wi[i][j] * 2**c[j], b[j] == Bi[j] * 2**c[j].
# 2. Output j times 2**-(R + c[j]) is then the exact integer
#        s[j] = sum_i Xi[.][i] * Wi[i][j] + (Bi[j] << -R),
#    one list comprehension over the whole batch (_column_outputs).
# 3. Rounding as in step 6 of the packing: float(s) is correctly rounded and
#    the power of two 2**(R + c[j]) scales it exactly while R + c[j] >= -1074;
#    an output column whose exponent is lower, or whose integers are too wide
#    for float(), sends the batch to the other paths.
# 4. A zero in output column j is an exact zero, +0.0; it is -0.0 only where
#    b[j] is -0.0 and every product is a zero of negative sign (_zero_sign).


def _column_outputs_comprehended(columns, weights, bias, scale):
    # Steps 2 and 3 for one output column: float(sum_i columns[i][.] *
    # weights[i] + bias) * scale for each row, all integers but the scale.  One
    # list comprehension per k (1 to _COLUMNS_MAX_TERMS): on CPython 3.11 and
    # later, whose interpreter specializes int arithmetic, that takes about
    # 0.75 of the time of _column_outputs_mapped (and on 3.6 to 3.10 within 10%
    # of it), since the exact sums are never stored.
    k = len(columns)
    if k == 1:
        (w0,) = weights
        return [float(a * w0 + bias) * scale for a in columns[0]]
    if k == 2:
        w0, w1 = weights
        return [float(a * w0 + b * w1 + bias) * scale for a, b in zip(*columns)]
    if k == 3:
        w0, w1, w2 = weights
        return [float(a * w0 + b * w1 + c * w2 + bias) * scale for a, b, c in zip(*columns)]
    w0, w1, w2, w3 = weights
    return [float(a * w0 + b * w1 + c * w2 + d * w3 + bias) * scale
            for a, b, c, d in zip(*columns)]


def _column_outputs_mapped(columns, weights, bias, scale):
    # The same values, one C-level map() per term over the whole column: on
    # PyPy, whose JIT does not speed up the comprehension's big-integer
    # arithmetic, 0.8 of its time.
    total = None
    for ints, w in zip(columns, weights):
        term = map(mul, ints, _repeat(w))
        total = term if total is None else map(_add, total, term)
    return list(map(mul, map(float, map(_add, total, _repeat(bias))), _repeat(scale)))


if getattr(getattr(sys, "implementation", None), "name", "") == "pypy":
    _column_outputs = _column_outputs_mapped
else:
    _column_outputs = _column_outputs_comprehended


def _dense_columns(inputs, columns, biases, scaled_columns, scaled_inputs=None):
    # Steps 1 to 4; None where the batch must take another path.
    # scaled_inputs: scaled_input_columns(inputs), if the caller has it.
    if scaled_inputs is None:
        scaled_inputs = scaled_input_columns(inputs)
        if scaled_inputs is None:
            return None                      # NaN or +-inf in the inputs
    int_columns, low = scaled_inputs
    out_columns = []
    for (weight_ints, c), bias, j in zip(scaled_columns, biases, range(len(biases))):
        exponent = low + c
        if exponent < -1074:
            return None
        try:
            values = _column_outputs(int_columns, weight_ints[:-1], weight_ints[-1] << -low,
                                     math.ldexp(1.0, exponent))
        except OverflowError:                # an integer beyond float's range
            return None
        if is_negative_zero(bias) and 0.0 in values:
            column = columns[j]
            values = [_zero_sign(row, column, bias) if y == 0.0 else y
                      for y, row in zip(values, inputs)]
        out_columns.append(values)
    return list(map(list, zip(*out_columns)))


def _recompute_tiny(out, tiny, inputs, columns, biases):
    # The outputs up to _TINY in the columns _tiny_columns names: by the exact dot.
    if not tiny or (_elements is not None and min(map(abs, _elements(out))) > _TINY):
        return                               # none that small (one C-speed pass)
    for j in tiny:
        column, bias = columns[j], biases[j]
        column_scaled = None
        for row, result in zip(inputs, out):
            if -_TINY <= result[j] <= _TINY:
                if column_scaled is None:
                    column_scaled = scale_to_ints(column)
                result[j] = dot_plus_bias(row, scale_to_ints(row), column, column_scaled, bias)


def _fix_zero_signs(result, row, columns, biases):
    # In a row from the packing, a zero is an exact zero (step 6: nothing
    # nonzero rounds to zero there), and comes out as +0.0: give it IEEE's sign.
    if 0.0 in result:
        return [_zero_sign(row, column, bias) if y == 0.0 else y
                for y, column, bias in zip(result, columns, biases)]
    return result


def _packed_batch(packed, rows_ints, row_exp, inputs, columns, biases):
    # Steps 4 to 6 for a batch scaled by one 2**row_exp, zero signs and tiny outputs included.
    out = _round_rows(packed, rows_ints, row_exp)
    for i, result in enumerate(out):
        if 0.0 in result:
            out[i] = _fix_zero_signs(result, inputs[i], columns, biases)
    _recompute_tiny(out, _tiny_columns(row_exp, packed.exponents), inputs, columns, biases)
    return out


def _separate_biases(inputs, columns, biases):
    # The packing for weights whose columns are too wide with their biases
    # appended (biases far below the weights, such as tiny data with biases
    # as tiny).  Step 1 scales column j alone, W[i][j] == Wi[i][j] * 2**c[j];
    # step 2 scales the batch by 2**r with r <= e[j] - c[j] for every nonzero
    # bias b[j] == Bi[j] * 2**e[j], so that b[j] is the integer
    # Bi[j] << (e[j] - r - c[j]) times the output's unit 2**(r + c[j]), and
    # the start value holds those integers.  None where the packing can't go.
    if not all_finite(biases):
        return None
    scaled_columns = _scale_columns(columns, [0.0] * len(biases))
    if scaled_columns is None:
        return None
    parts = [to_scaled_int(b) for b in biases]
    limits = [e - c for (n, e), (_, c) in zip(parts, scaled_columns) if n]
    batch = _scale_batch(inputs, min(limits) if limits else 0, False)
    if batch is None:
        return None
    rows_ints, row_exp, row_bits = batch
    bias_ints = [n << (e - row_exp - c) if n else 0 for (n, e), (_, c) in zip(parts, scaled_columns)]
    # |s[j]| <= 2**row_bits * (sum_i |Wi[i][j]| + 1) with row_bits covering the bias
    # integers too: the placeholder 1 in each column's last entry makes _Packed size
    # the slots for that.  Bias integers wider than rows may be keep the slots
    # below 1024 bits (float() of a slot then can't overflow).
    row_bits = max([row_bits] + [bit_length(n) for n in bias_ints])
    if row_bits > _ROW_BITS_LIMIT:
        return None
    placeholders = [(ints[:-1] + [1], c) for ints, c in scaled_columns]
    return _packed_batch(_Packed(placeholders, row_bits, bias_ints), rows_ints, row_exp,
                         inputs, columns, biases)


def takes_columns(n, k):
    """True if ``dense_rows`` tries the column-wise form on an n x k batch.

    Its caller may then scale the input columns itself (``scaled_input_columns``)
    and pass them in, to use them again (``nnref.Dense`` keeps them for
    ``backward``).
    """
    return (_COLUMNS_MIN_ROWS <= n and k <= _COLUMNS_MAX_TERMS and _FLOAT_INT_ROUNDS
            and _repeat is not None and _add is not None)


def flat_elements(rows):
    """The elements of a batch of rows in row order, as one new list (at C speed where possible)."""
    if _elements is not None:
        return list(_elements(rows))
    return [v for row in rows for v in row]


def scaled_input_columns(inputs, flat=None):
    """``(int_columns, r)``: the columns of a nonempty batch of floats as exact integers.

    ``inputs[i][j] == int_columns[j][i] * 2**r`` exactly, with one ``r <= 0``
    for the whole batch (one C-speed ``scale_to_ints`` of all n*k values
    rather than one per column); None if some input is NaN or infinite.
    ``flat``, if given, is the batch's elements in row order, as
    ``chain.from_iterable(inputs)`` gives them.  What the column-wise form
    reads, and an exact scaling of each column for ``dense_backward``'s
    dweights = inputs.T @ dvalues as well.
    """
    scaled = scale_to_ints(flat_elements(inputs) if flat is None else flat, 0)
    if scaled is None:
        return None
    ints, exponent = scaled
    k = len(inputs[0])
    return [ints[j::k] for j in range(k)], exponent


def dense_rows(inputs, weights, biases, scaled_inputs=None):
    """``inputs @ weights + biases`` on validated lists of floats, each output rounded once.

    ``inputs`` is n x k, ``weights`` k x m (or ``[]`` with k == 0), ``biases``
    a list of m floats.  Any of n, k and m may be 0: n == 0 gives ``[]``,
    m == 0 ``n`` empty rows, and k == 0 a copy of the biases for each row.
    ``scaled_inputs``, if given, is ``scaled_input_columns(inputs)``, not
    None (a caller that has it saves the column-wise form scaling the
    input columns again).
    """
    if not inputs:
        return []
    if not biases:
        return [[] for _ in inputs]
    if not weights:
        return [list(biases) for _ in inputs]
    columns = [list(c) for c in zip(*weights)]
    scaled_columns = _scale_columns(columns, biases)
    biased = True
    if scaled_columns is not None:
        if takes_columns(len(inputs), len(weights)):
            out = _dense_columns(inputs, columns, biases, scaled_columns, scaled_inputs)
            if out is not None:
                return out
        # The biases' integers' trailing zero bits: a batch of huge inputs may
        # be scaled by 2**r with r > 0 up to that many (step 2 with the bias
        # divided by 2**r instead of the row's 1.0 multiplied by 2**-r).
        zeros = min([bit_length(ints[-1] & -ints[-1]) - 1 if ints[-1] else 1100
                     for ints, _ in scaled_columns])
        biased = zeros < 1100
        batch = _scale_batch(inputs, zeros, biased)
        if batch is not None:                            # the common case
            rows_ints, row_exp, row_bits = batch
            columns_used = scaled_columns
            if row_exp > 0:
                columns_used = [(ints[:-1] + [ints[-1] >> row_exp], c)
                                for ints, c in scaled_columns]
            return _packed_batch(_Packed(columns_used, row_bits), rows_ints, row_exp,
                                 inputs, columns, biases)
    else:
        out = _separate_biases(inputs, columns, biases)
        if out is not None:
            return out
    # Row by row: each row scaled on its own; the exact dot where the packing can't go.
    scaled_rows = []
    row_bits = 0
    for row in inputs:
        scaled = None
        if scaled_columns is not None:
            scaled = scale_to_ints(row, 0, narrow=True)  # step 2
        if scaled is not None:
            bits = _row_bits(scaled, biased)
            if bits > _ROW_BITS_LIMIT:
                scaled = None
            elif bits > row_bits:
                row_bits = bits
        scaled_rows.append(scaled)
    packed = _Packed(scaled_columns, row_bits) if row_bits else None
    exact_columns = None
    out = []
    for row, scaled in zip(inputs, scaled_rows):
        if scaled is not None:
            result = _round_rows(packed, [scaled[0]], scaled[1])[0]
            result = _fix_zero_signs(result, row, columns, biases)
            _recompute_tiny([result], _tiny_columns(scaled[1], packed.exponents), [row],
                            columns, biases)
        else:
            if exact_columns is None:
                exact_columns = [scale_to_ints(c) for c in columns]
                sparse_columns = None
                if _SPARSE and all_finite(biases) and all(map(all_finite, columns)):
                    sparse_columns = [mantissas(c) for c in columns]
                    sparse_biases = [to_scaled_int(b) for b in biases]
            if sparse_columns is not None and all_finite(row):
                row_parts = mantissas(row)
                result = [sparse_dot_plus_bias(row_parts, parts, row, column, bias, scaled_bias)
                          for column, parts, bias, scaled_bias
                          in zip(columns, sparse_columns, biases, sparse_biases)]
            else:
                row_scaled = scale_to_ints(row)      # once per row, not once per output
                result = [dot_plus_bias(row, row_scaled, column, column_scaled, bias)
                          for column, column_scaled, bias in zip(columns, exact_columns, biases)]
        out.append(result)
    return out
