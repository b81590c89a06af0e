"""docs/spec.md checked against the code.

Every sentence in a "Special cases" list of the spec is parsed with a small
grammar (one pattern per condition and per result, listed in the spec's "How to
read it") and checked on constructed inputs: every input that meets the
condition must give the stated result, and at least one input must meet it.
A sentence the grammar does not know fails, so the lists keep one fixed form.
The expected results are the sentences themselves and exact arithmetic
(``fractions``) for the dense layer's "exact sum", never the code under test.

Each public function's docstring special cases must appear word for word in
its spec section, and every spec example runs as a doctest.

A section about a whole module (``nnref.exact``, ``nnref.book``,
``nnref.testing``) splits its list by function with lines such as
"For `nnref.exact.relu`:"; each sentence is checked against the function it
is listed under.  In book mode a sentence speaks of the float32 value an input
rounds to, since every book activation rounds its inputs to float32 first.
"""

import doctest
import importlib
import itertools
import math
import os
import re
import struct
from fractions import Fraction

import pytest

import nnref
from nnref import book, datasets, exact, matrix, testing

from support import same

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC_PATH = os.path.join(ROOT, "docs", "spec.md")

NAN = float("nan")
INF = float("inf")


# ------------------------------------------------------------------ reading the spec

NAMES = re.compile(r"`(nnref\.[\w.]+)`")
GROUP_LABEL = re.compile(r"^For (`nnref\.[\w.]+`(?:(?:, | and )`nnref\.[\w.]+`)*):$")


class Section(object):
    def __init__(self, title):
        self.title = title
        self.title_functions = NAMES.findall(title)
        self.lines = []

    @property
    def name(self):
        return self.title.split(":")[0].strip()

    @property
    def functions(self):
        """The names in the title, then those of the list's "For `nnref.NAME`:" lines."""
        names = list(self.title_functions)
        for functions, _ in self.groups() or []:
            names.extend(n for n in functions if n not in names)
        return names

    def groups(self):
        """[(function names, sentences)] of the "### Special cases" list, None if it has none.

        Sentences under a "For `nnref.NAME`:" line belong to that name, the
        others to the names in the section's title.
        """
        groups = None
        inside = False
        for line in self.lines:
            if line.startswith("### "):
                inside = line.strip() == "### Special cases"
                if inside:
                    groups = [(list(self.title_functions), [])]
                continue
            if not inside:
                continue
            label = GROUP_LABEL.match(line.strip())
            if line.startswith("- "):
                groups[-1][1].append(line[2:].strip())
            elif label:
                groups.append((NAMES.findall(label.group(1)), []))
            elif line.strip():
                inside = False          # the list ends at the first paragraph
        if groups is None:
            return None
        return [g for g in groups if g[1]]

    def special_cases(self):
        """The sentences of the section's "### Special cases" list (None if it has none)."""
        groups = self.groups()
        if groups is None:
            return None
        return [sentence for _, sentences in groups for sentence in sentences]

    def sentences_for(self, qualified_name):
        """The special cases listed for one function of the section."""
        return [sentence for functions, sentences in self.groups() or []
                if qualified_name in functions for sentence in sentences]

    def text(self):
        return "\n".join(self.lines)


def read_spec():
    with open(SPEC_PATH, encoding="utf-8") as handle:
        text = handle.read()
    sections = []
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = Section(line[3:].strip())
            sections.append(current)
        elif current is not None:
            current.lines.append(line)
    return text, sections


SPEC_TEXT, SECTIONS = read_spec()
FUNCTION_SECTIONS = [s for s in SECTIONS if s.functions]


def section_for(qualified_name):
    for s in SECTIONS:
        if qualified_name in s.functions:
            return s
    return None


def markdown_doctest_source(text):
    """The ``python`` code blocks of a markdown text that hold doctest examples, joined."""
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    return "\n".join(b for b in blocks if ">>>" in b)


# ------------------------------------------------------------------ values

VALUE = r"(NaN|[+-]inf|[+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?)"


def parse_value(text):
    if text == "NaN":
        return NAN
    return float(text)


def deep_same(actual, expected):
    if isinstance(expected, float):
        return same(actual, expected)
    if isinstance(expected, (list, tuple)):
        return (type(actual) is type(expected) and len(actual) == len(expected)
                and all(deep_same(a, e) for a, e in zip(actual, expected)))
    return type(actual) is type(expected) and actual == expected


def neighbours(v):
    """The floats just below and above a finite ``v``."""
    if v != v or v in (INF, -INF):
        return []
    bits = struct.unpack("<q", struct.pack("<d", v))[0]
    out = []
    for step in (-1, 1):
        if v == 0.0:
            out.append(step * 5e-324)
            continue
        n = bits + (step if v > 0 else -step)
        out.append(struct.unpack("<d", struct.pack("<q", n))[0])
    return out


def to_float32(v):
    """The float32 nearest ``v`` (ties to even), as a float; past float32's range, the infinity.

    Worked out from the significand (``frexp``, ``round``) rather than with
    nnref's own ``struct`` rounding: 24 significant bits, and a quantum of
    2**-149 at the bottom of the range.
    """
    if v != v or v in (INF, -INF) or v == 0.0:
        return v
    if abs(v) >= 2.0 ** 128:
        return math.copysign(INF, v)
    exponent = math.frexp(v)[1]              # |v| lies in [2**(exponent-1), 2**exponent)
    quantum = max(exponent - 24, -149)
    rounded = math.ldexp(round(math.ldexp(v, -quantum)), quantum)   # round() ties to even
    if abs(rounded) >= 2.0 ** 128:
        return math.copysign(INF, v)
    if rounded == 0.0:
        return math.copysign(0.0, v)
    return rounded


# Halfway between float32's largest value, 2**128 - 2**104 (whose last
# significand bit is 1), and 2**128: ties to even round it up, to +inf.
FLOAT32_OVERFLOW = float(2 ** 128 - 2 ** 103)
FLOAT32_MAX = float(2 ** 128 - 2 ** 104)
# The same for float16 (largest value 2**16 - 2**5) and bfloat16 (2**128 - 2**120).
FLOAT16_OVERFLOW = float(2 ** 16 - 2 ** 4)
FLOAT16_MAX = float(2 ** 16 - 2 ** 5)
BFLOAT16_OVERFLOW = float(2 ** 128 - 2 ** 119)
BFLOAT16_MAX = float(2 ** 128 - 2 ** 120)
OVERFLOW = {"float32": FLOAT32_OVERFLOW, "float16": FLOAT16_OVERFLOW,
            "bfloat16": BFLOAT16_OVERFLOW}


class SpecError(Exception):
    """A sentence the grammar does not know."""


# ------------------------------------------------------------------ calls: any section

CALL = re.compile(r"^If `(\w+)` is `([^`]+)`, `([^`]+)` (?:is `([^`]+)`|raises (\w+Error))\.$")


def call_namespace():
    ns = {"__builtins__": {"float": float, "int": int, "type": type, "True": True,
                           "False": False, "None": None}}
    for name in nnref.__all__:
        ns[name] = getattr(nnref, name)
    for name in ("spiral_data", "vertical_data", "sine_data"):
        if hasattr(datasets, name):
            ns[name] = getattr(datasets, name)
    for name in ("shape", "zeros", "transpose", "matmul", "add_row"):
        ns[name] = getattr(matrix, name)
    for name in ("ulp_distance", "next_up", "next_down", "ulp", "assert_close"):
        ns[name] = getattr(testing, name)
    for name in ("Layer_Dense", "Activation_ReLU", "Activation_Step", "Activation_Linear",
                 "Activation_Sigmoid", "Activation_Softmax"):
        ns[name] = getattr(book, name)
    ns["nnref"] = nnref
    ns["book"] = book
    ns["exact"] = exact
    return ns


ERRORS = {"ValueError": ValueError, "TypeError": TypeError, "AssertionError": AssertionError}


def check_call(sentence, match):
    name, value_text, call, result_text, error = match.groups()
    if not re.search(r"\b%s\b" % name, call):
        raise SpecError("%r: the call does not use `%s`" % (sentence, name))
    ns = call_namespace()
    ns[name] = eval(value_text, ns)
    if error:
        if error not in ERRORS:
            raise SpecError("%r: unknown error %s" % (sentence, error))
        expected_error = ERRORS[error]
        try:
            result = eval(call, ns)
        except expected_error:
            return []
        except Exception as other:
            return ["%s raised %r, not %s" % (call, other, error)]
        return ["%s returned %r instead of raising %s" % (call, result, error)]
    expected = eval(result_text, ns)
    try:
        result = eval(call, ns)
    except Exception as other:
        return ["%s raised %r" % (call, other)]
    if not deep_same(result, expected):
        return ["%s is %r, not %r" % (call, result, expected)]
    return []


# ------------------------------------------------------------------ elementwise: step, linear, sigmoid, relu

ELEMENT_SAMPLES = [NAN, INF, -INF, 0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300,
                   0.5, 1.0, -1.0, 2.0, -2.5, 3, -2, 36.7, 37.0, 40.0, 100.0, 709.0, 710.0,
                   -709.0, -709.5, -710.0, -745.0, -745.2, -750.0, -1000.0, 1000.0, 1e308,
                   -1e308, 1.7976931348623157e308, -1.7976931348623157e308]

# Around float32's range and its smallest subnormal, for sentences about float32.
FLOAT32_SAMPLES = [FLOAT32_OVERFLOW, FLOAT32_MAX, 1e39, 2.0 ** -150, 2.0 ** -149, 1e-45,
                   2.0 ** -126, 0.1, 16.5, -88.5, -89.0, 104.0]
FLOAT32_SAMPLES += [n for v in list(FLOAT32_SAMPLES) for n in neighbours(v)]
FLOAT32_SAMPLES += [-v for v in FLOAT32_SAMPLES]

# Around float16's and bfloat16's ranges, their smallest normals and
# subnormals (and half of those), and where sigmoid rounds to 1 and to 0.
NARROW_SAMPLES = {"float32": FLOAT32_SAMPLES}
for _dtype, _values in (
        ("float16", [FLOAT16_OVERFLOW, FLOAT16_MAX, 65519.99, 1e5, 2.0 ** -25, 2.0 ** -24,
                     2.0 ** -14, 1e-8, 0.1, 8.3, 8.32, 17.33, -17.32, -17.33]),
        ("bfloat16", [BFLOAT16_OVERFLOW, BFLOAT16_MAX, FLOAT32_MAX, 1e39, 2.0 ** -134, 2.0 ** -133,
                      2.0 ** -126, 0.1, 6.23, 6.24, -92.87, -92.89])):
    _values += [n for v in list(_values) for n in neighbours(v)]
    NARROW_SAMPLES[_dtype] = _values + [-v for v in _values]
del _dtype, _values

DTYPE_FLOAT32 = re.compile(r'^`dtype` is "(float32|float16|bfloat16)" and ')

ELEMENT_CONDITIONS = [
    (re.compile(r"^`x` is any float$"), lambda m: lambda v: isinstance(v, float)),
    (re.compile(r"^`x` rounds past (float32|float16|bfloat16)'s largest value$"),
     lambda m: (lambda bound: lambda v: v >= bound)(OVERFLOW[m.group(1)])),
    (re.compile(r"^`\|x\|` rounds past (float32|float16|bfloat16)'s largest value$"),
     lambda m: (lambda bound: lambda v: abs(v) >= bound)(OVERFLOW[m.group(1)])),
    (re.compile(r"^`x` is greater than %s$" % VALUE),
     lambda m: (lambda bound: lambda v: v > bound)(parse_value(m.group(1)))),
    (re.compile(r"^`x` is less than %s$" % VALUE),
     lambda m: (lambda bound: lambda v: v < bound)(parse_value(m.group(1)))),
    (re.compile(r"^`x` is at least %s$" % VALUE),
     lambda m: (lambda bound: lambda v: v >= bound)(parse_value(m.group(1)))),
    (re.compile(r"^`x` is at most %s$" % VALUE),
     lambda m: (lambda bound: lambda v: v <= bound)(parse_value(m.group(1)))),
    (re.compile(r"^`x` is %s$" % VALUE),
     lambda m: (lambda target: lambda v: isinstance(v, float) and same(v, target))(
         parse_value(m.group(1)))),
]

ELEMENT_RESULTS = [
    (re.compile(r"^the result is `x`$"), lambda m: lambda v, out: same(out, v)),
    (re.compile(r"^the result is ±inf$"),                 # the infinity of x's sign
     lambda m: lambda v, out: same(out, math.copysign(INF, v))),
    (re.compile(r"^the result is %s$" % VALUE),
     lambda m: (lambda target: lambda v, out: same(out, target))(parse_value(m.group(1)))),
]


def split_sentence(sentence):
    match = re.match(r"^If (.+), (the result.*|every result.*)\.$", sentence)
    if not match:
        raise SpecError("not of the form 'If CONDITION, RESULT.': %r" % sentence)
    return match.group(1), match.group(2)


def pick(table, text, sentence):
    for pattern, build in table:
        match = pattern.match(text)
        if match:
            return build(match)
    raise SpecError("unknown phrase %r in %r" % (text, sentence))


def element_samples(sentence):
    # The fixed samples, plus every number the sentence names and its neighbours.
    samples = list(ELEMENT_SAMPLES)
    for text in re.findall(VALUE, sentence):
        v = parse_value(text)
        samples.append(v)
        samples.extend(neighbours(v))
    return samples


def check_elementwise(function, sentence, prepare=None, scalar_only=False):
    """Check an elementwise sentence on every sample that meets its condition.

    ``prepare`` maps an input to the value the sentence speaks of (book mode:
    the float32 it rounds to); ``scalar_only`` is for functions of one number.
    A condition starting with `dtype` is "float32" calls ``function(..., dtype="float32")``
    (and so for "float16" and "bfloat16").
    """
    condition_text, result_text = split_sentence(sentence)
    options = {}
    samples = element_samples(sentence)
    dtype_match = DTYPE_FLOAT32.match(condition_text)
    if dtype_match:
        if prepare is not None:
            raise SpecError("%r: this function takes no dtype" % sentence)
        condition_text = DTYPE_FLOAT32.sub("", condition_text)
        options["dtype"] = dtype_match.group(1)
    if options or prepare is not None:
        samples += NARROW_SAMPLES[options.get("dtype", "float32")]
    condition = pick(ELEMENT_CONDITIONS, condition_text, sentence)
    result = pick(ELEMENT_RESULTS, result_text, sentence)
    hits = []
    for v in samples:
        x = v if prepare is None else prepare(v)
        if condition(x):
            hits.append((v, x))
    if not hits:
        raise SpecError("no sample meets the condition of %r" % sentence)

    def call(argument):
        return function(argument, **options)

    failures = []
    for v, x in hits:
        if scalar_only:
            outputs = [call(v)]
        else:
            outputs = [call(v), call([v])[0], call([[1.0, v], [v, -1.0]])[0][1],
                       call(([v, 2.0], [0.0, 0.0]))[0][0]]
        for out in outputs:
            if not result(x, out):
                failures.append("%s(%r) gave %r" % (function.__name__, v, out))
                break
    return failures


# ------------------------------------------------------------------ rows: softmax

ROW_VALUES = [NAN, INF, -INF, 0.0, -0.0, 1.0, -2.5, 700.0, -800.0]
ROWS = [[]] + [list(r) for n in (1, 2, 3) for r in itertools.product(ROW_VALUES, repeat=n)]
# Book mode rounds each element to float32 first: 1e39 becomes +inf, 5e-324 +0.0.
# -103 and -104.5 lie on either side of where float32's exp underflows to zero.
BOOK_ROW_VALUES = ROW_VALUES + [1e39, 5e-324, -103.0, -104.5]
BOOK_ROWS = [[]] + [list(r) for n in (1, 2, 3)
                    for r in itertools.product(BOOK_ROW_VALUES, repeat=n)]


def _finite(v):
    return v - v == 0.0


def row_condition(text, sentence):
    """(kind, predicate): kind "row" -> predicate(row) is a bool; "element" -> a list of indices."""
    m = re.match(r"^a row contains %s$" % VALUE, text)
    if m:
        target = parse_value(m.group(1))
        return "row", lambda row: any(same(v, target) for v in row)
    m = re.match(r"^every element of a row is %s$" % VALUE, text)
    if m:
        target = parse_value(m.group(1))
        return "row", lambda row: bool(row) and all(same(v, target) for v in row)
    if text == "a row has a single finite element":
        return "row", lambda row: len(row) == 1 and _finite(row[0])
    if text == "the row is empty":
        return "row", lambda row: row == []
    m = re.match(r"^an element is more than %s below its row's maximum and the row has no NaN "
                 r"or \+inf$" % VALUE, text)
    if m:
        gap = parse_value(m.group(1))

        def far_below(row):
            if not row or any(v != v or v == INF for v in row):
                return []
            top = max(row)
            return [i for i, v in enumerate(row) if top - v > gap]
        return "element", far_below
    m = re.match(r"^an element is %s and the row has a finite element but no NaN or \+inf$"
                 % VALUE, text)
    if m:
        target = parse_value(m.group(1))

        def indices(row):
            if not any(_finite(v) for v in row) or any(v != v or v == INF for v in row):
                return []
            return [i for i, v in enumerate(row) if same(v, target)]
        return "element", indices
    raise SpecError("unknown row condition %r in %r" % (text, sentence))


def row_result(text, kind, sentence):
    m = re.match(r"^every result in that row is %s$" % VALUE, text)
    if m and kind == "row":
        target = parse_value(m.group(1))
        return lambda row, out: len(out) == len(row) and all(same(o, target) for o in out)
    m = re.match(r"^the result for that element is %s$" % VALUE, text)
    if m and kind == "element":
        target = parse_value(m.group(1))
        return lambda row, out, i: same(out[i], target)
    if text == "the result is an empty row" and kind == "row":
        return lambda row, out: out == []
    raise SpecError("unknown or mismatched row result %r in %r" % (text, sentence))


_SOFTMAX_OUTPUTS = {}


def softmax_outputs(softmax, rows=ROWS):
    # Each row through softmax alone, and inside a batch of rows of its length:
    # both must agree, since a batch is normalised row by row.  Computed once
    # per function (the oracle is slow).
    key = (softmax, id(rows))
    if key in _SOFTMAX_OUTPUTS:
        return _SOFTMAX_OUTPUTS[key]
    alone = [softmax(row) for row in rows]
    by_length = {}
    for row in rows:
        by_length.setdefault(len(row), []).append(row)
    batched = {n: softmax(same_length) for n, same_length in by_length.items()}
    together = []
    position = dict((n, 0) for n in batched)
    for row in rows:
        n = len(row)
        together.append(batched[n][position[n]])
        position[n] += 1
    _SOFTMAX_OUTPUTS[key] = alone, together
    return alone, together


def check_rows(sentence, softmax=nnref.softmax, prepare=None, rows=ROWS):
    """Check a row sentence on every row that meets its condition.

    ``prepare`` maps each element to the value the sentence speaks of (book
    mode: the float32 it rounds to).
    """
    condition_text, result_text = split_sentence(sentence)
    kind, condition = row_condition(condition_text, sentence)
    result = row_result(result_text, kind, sentence)
    alone, together = softmax_outputs(softmax, rows)
    hits = 0
    failures = []
    for given, out_alone, out_batch in zip(rows, alone, together):
        row = given if prepare is None else [prepare(v) for v in given]
        for out in (out_alone, out_batch):
            if kind == "row":
                if condition(row):
                    hits += 1
                    if not result(row, out):
                        failures.append("%s(%r) gave %r" % (softmax.__module__, given, out))
            else:
                for i in condition(row):
                    hits += 1
                    if not result(row, out, i):
                        failures.append("softmax(%r)[%d] gave %r" % (given, i, out[i]))
    if not hits:
        raise SpecError("no row meets the condition of %r" % sentence)
    return failures[:5]


# ------------------------------------------------------------------ terms: dense

DENSE_VALUES = [NAN, INF, -INF, 0.0, -0.0, 0.1, -3.0, 1e308, 5e-324]
_LARGEST_ROUNDABLE = Fraction(2) ** 1024 - Fraction(2) ** 970   # from here on, rounding gives inf


def _signbit(v):
    return math.copysign(1.0, v) < 0


class Finite(object):
    """A finite term: its exact value (computed only when asked) and whether it is a -0.0."""

    def __init__(self, factors, negative_zero):
        self.factors = factors
        self.negative_zero = negative_zero
        self._value = None

    @property
    def value(self):
        if self._value is None:
            value = Fraction(1)
            for f in self.factors:
                value *= Fraction(f)
            self._value = value
        return self._value


def term_of_product(x, w):
    """A product as the spec reads it: "NaN", "+inf", "-inf" or a Finite term."""
    if x != x or w != w:
        return "NaN"
    if not _finite(x) or not _finite(w):
        if x == 0.0 or w == 0.0:
            return "NaN"
        return "+inf" if x * w > 0 else "-inf"
    return Finite((x, w), (x == 0.0 or w == 0.0) and _signbit(x) != _signbit(w))


def term_of_bias(b):
    if b != b:
        return "NaN"
    if not _finite(b):
        return "+inf" if b > 0 else "-inf"
    return Finite((b,), b == 0.0 and _signbit(b))


def _kind_name(v):
    text = {"NaN": "NaN", "+inf": "+inf", "-inf": "-inf"}.get(v)
    if text is None:
        raise SpecError("terms can only be NaN, +inf or -inf in these sentences, not %r" % v)
    return text


def dense_condition(text, sentence):
    """predicate(case), case = (xs, ws, b, terms)."""
    if text in ("an input or weight in a product is NaN", "a factor in a product is NaN"):
        return lambda c: any(v != v for v in c[0] + c[1])
    if text == "a product is 0 * inf":
        return lambda c: any((x == 0.0 and not _finite(w) and w == w) or
                             (w == 0.0 and not _finite(x) and x == x)
                             for x, w in zip(c[0], c[1]))
    m = re.match(r"^the terms include (?:both )?(\S+) and (\S+)$", text)
    if m:
        a, b = _kind_name(m.group(1)), _kind_name(m.group(2))
        return lambda c: a in c[3] and b in c[3]
    m = re.match(r"^the terms include (\S+) and not (\S+) or (\S+)$", text)
    if m:
        a, b, d = (_kind_name(m.group(i)) for i in (1, 2, 3))
        return lambda c: a in c[3] and b not in c[3] and d not in c[3]
    if text == "every term is finite":
        return lambda c: all(isinstance(t, Finite) for t in c[3])
    m = re.match(r"^the exact sum is (negative|positive) and rounds to zero$", text)
    if m:
        sign = -1 if m.group(1) == "negative" else 1

        def tiny(c):
            if not all(isinstance(t, Finite) for t in c[3]):
                return False
            total = sum(t.value for t in c[3])
            return total * sign > 0 and rounded(total) == 0.0
        return tiny
    if text in ("the exact sum is zero and every term is -0.0", "the exact sum is zero otherwise"):
        want_negative = text.endswith("-0.0")

        def zero_sum(c):
            if not all(isinstance(t, Finite) for t in c[3]):
                return False
            if sum(t.value for t in c[3]) != 0:
                return False
            return all(t.negative_zero for t in c[3]) == want_negative
        return zero_sum
    raise SpecError("unknown dense condition %r in %r" % (text, sentence))


def rounded(exact):
    if abs(exact) >= _LARGEST_ROUNDABLE:
        return INF if exact > 0 else -INF
    return float(exact)   # Fraction -> float is correctly rounded (ties to even)


def dense_result(text, sentence):
    m = re.match(r"^the result is %s$" % VALUE, text)
    if m:
        target = parse_value(m.group(1))
        return lambda c, out: same(out, target)
    if text == "the result is the exact sum rounded to the nearest float":
        # Value only: the sign of a zero sum is the zero sentences' business.
        return lambda c, out: out == rounded(sum(t.value for t in c[3]))
    raise SpecError("unknown dense result %r in %r" % (text, sentence))


DENSE_WEIGHTS = [NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 0.5]


def dense_cases(dense, with_bias=True):
    """All (xs, ws, b, terms, output) with two inputs from DENSE_VALUES, weights from DENSE_WEIGHTS.

    Without a bias (``matrix.matmul``) the terms are the two products, ``b`` is None
    and ``dense`` is called as ``dense(rows, weights)``.
    """
    rows = [list(r) for r in itertools.product(DENSE_VALUES, repeat=2)]
    columns = [list(c) for c in itertools.product(DENSE_WEIGHTS, repeat=2)]
    weights = [list(r) for r in zip(*columns)]         # column j of weights is columns[j]
    # Each distinct product is one shared term object, keyed by repr so that
    # 0.0 and -0.0 (equal as dict keys) stay apart.
    products = dict(((repr(x), repr(w)), term_of_product(x, w))
                    for x in DENSE_VALUES for w in DENSE_WEIGHTS)

    def product(x, w):
        return products[(repr(x), repr(w))]

    cases = []
    for b in (DENSE_VALUES if with_bias else [None]):
        if with_bias:
            bias = [term_of_bias(b)]
            out = dense(rows, weights, [b] * len(columns))
        else:
            bias = []
            out = dense(rows, weights)
        for i, xs in enumerate(rows):
            for j, ws in enumerate(columns):
                terms = [product(xs[0], ws[0]), product(xs[1], ws[1])] + bias
                cases.append((xs, ws, b, terms, out[i][j]))
    return cases


_DENSE_CASES = {}


def check_dense(sentence, dense=nnref.dense, with_bias=True):
    condition_text, result_text = split_sentence(sentence)
    condition = dense_condition(condition_text, sentence)
    result = dense_result(result_text, sentence)
    key = (dense, with_bias)
    if key not in _DENSE_CASES:
        _DENSE_CASES[key] = dense_cases(dense, with_bias)
    hits = 0
    failures = []
    for xs, ws, b, terms, out in _DENSE_CASES[key]:
        case = (xs, ws, b, terms)
        if condition(case):
            hits += 1
            if not result(case, out):
                failures.append("dense([%r], column %r, bias %r) gave %r" % (xs, ws, b, out))
    if not hits:
        raise SpecError("no case meets the condition of %r" % sentence)
    return failures[:5]


# ------------------------------------------------------------------ reductions: matrix.sum, matrix.max

REDUCE_VALUES = [NAN, INF, -INF, 0.0, -0.0, 1.0, 1e308, -1e308]
VECTORS = [list(v) for n in (0, 1, 2, 3) for v in itertools.product(REDUCE_VALUES, repeat=n)]


def reduction_condition(text, sentence):
    """(function, predicate(vector))."""
    m = re.match(r"^an element (summed|compared) is %s$" % VALUE, text)
    if m:
        function = matrix.sum if m.group(1) == "summed" else matrix.max
        target = parse_value(m.group(2))
        return function, lambda vec: any(same(v, target) for v in vec)
    m = re.match(r"^the elements summed include (?:both )?%s and %s$" % (VALUE, VALUE), text)
    if m:
        a, b = parse_value(m.group(1)), parse_value(m.group(2))
        return matrix.sum, lambda vec: (any(same(v, a) for v in vec)
                                        and any(same(v, b) for v in vec))
    m = re.match(r"^the elements summed include %s and not %s or %s$" % (VALUE, VALUE, VALUE), text)
    if m:
        a, b, d = (parse_value(m.group(i)) for i in (1, 2, 3))
        return matrix.sum, lambda vec: (any(same(v, a) for v in vec)
                                        and not any(same(v, b) or same(v, d) for v in vec))
    m = re.match(r"^every element summed is %s$" % VALUE, text)
    if m:
        target = parse_value(m.group(1))
        return matrix.sum, lambda vec: bool(vec) and all(same(v, target) for v in vec)
    if text == "nothing is summed":
        return matrix.sum, lambda vec: vec == []
    raise SpecError("unknown reduction condition %r in %r" % (text, sentence))


def check_reduction(sentence):
    condition_text, result_text = split_sentence(sentence)
    function, condition = reduction_condition(condition_text, sentence)
    m = re.match(r"^the result is %s$" % VALUE, result_text)
    if not m:
        raise SpecError("unknown reduction result %r in %r" % (result_text, sentence))
    target = parse_value(m.group(1))
    hits = [vec for vec in VECTORS if condition(vec)]
    if not hits:
        raise SpecError("no vector meets the condition of %r" % sentence)
    failures = []
    for vec in hits:
        # The whole vector, and the same numbers as one row of a batch (axis=1).
        outputs = [function(vec)] + ([function([vec], axis=1)[0]] if vec else [])
        for out in outputs:
            if not same(out, target):
                failures.append("%s(%r) gave %r" % (function.__name__, vec, out))
    return failures[:5]


# ------------------------------------------------------------------ dispatch

ELEMENTWISE = {"nnref.step": nnref.step, "nnref.linear": nnref.linear,
               "nnref.sigmoid": nnref.sigmoid, "nnref.relu": nnref.relu}


def book_forward(cls):
    """``cls().forward`` as a function, for the checkers."""
    def forward(x):
        return cls().forward(x)
    forward.__name__ = "book.%s().forward" % cls.__name__
    return forward


# Beyond the float tier: name -> (function, prepare, scalar_only), as check_elementwise takes them.
MORE_ELEMENTWISE = {
    "nnref.exact.step": (exact.step, None, False),
    "nnref.exact.linear": (exact.linear, None, False),
    "nnref.exact.relu": (exact.relu, None, False),
    "nnref.exact.sigmoid": (exact.sigmoid, None, False),
    "nnref.book.Activation_Step": (book_forward(book.Activation_Step), to_float32, False),
    "nnref.book.Activation_Linear": (book_forward(book.Activation_Linear), to_float32, False),
    "nnref.book.Activation_ReLU": (book_forward(book.Activation_ReLU), to_float32, False),
    "nnref.book.Activation_Sigmoid": (book_forward(book.Activation_Sigmoid), to_float32, False),
    "nnref.testing.next_up": (testing.next_up, None, True),
    "nnref.testing.next_down": (testing.next_down, None, True),
    "nnref.testing.ulp": (testing.ulp, None, True),
}

# name -> the keyword arguments of check_rows / check_dense.
ROWWISE = {
    "nnref.softmax": {},
    "nnref.exact.softmax": {"softmax": exact.softmax},
    "nnref.book.Activation_Softmax": {"softmax": book_forward(book.Activation_Softmax),
                                      "prepare": to_float32, "rows": BOOK_ROWS},
}
TERMWISE = {
    "nnref.dense": {},
    "nnref.exact.dense": {"dense": exact.dense},
    "nnref.matrix.matmul": {"dense": matrix.matmul, "with_bias": False},
}


def check_sentence(section, sentence, functions=None):
    """Failures (a list of strings) for one sentence; SpecError if it cannot be parsed.

    ``functions`` are the names the sentence is listed under (default: the section's).
    """
    match = CALL.match(sentence)
    if match:
        return check_call(sentence, match)
    functions = set(section.functions if functions is None else functions)
    if functions & set(ELEMENTWISE):
        failures = []
        for name in sorted(functions & set(ELEMENTWISE)):
            failures.extend(check_elementwise(ELEMENTWISE[name], sentence))
        return failures
    if functions & set(MORE_ELEMENTWISE):
        failures = []
        for name in sorted(functions & set(MORE_ELEMENTWISE)):
            function, prepare, scalar_only = MORE_ELEMENTWISE[name]
            failures.extend(check_elementwise(function, sentence, prepare, scalar_only))
        return failures
    for name in sorted(functions & set(ROWWISE)):
        return check_rows(sentence, **ROWWISE[name])
    for name in sorted(functions & set(TERMWISE)):
        return check_dense(sentence, **TERMWISE[name])
    if functions & {"nnref.matrix.sum", "nnref.matrix.max"}:
        return check_reduction(sentence)
    raise SpecError("section %r has no grammar for %r" % (section.title, sentence))


SENTENCES = [(s, functions, sentence) for s in FUNCTION_SECTIONS
             for functions, sentences in (s.groups() or []) for sentence in sentences]


def _sentence_id(section, functions, sentence):
    where = section.name if functions == section.title_functions else functions[0]
    return "%s: %s" % (where, sentence[:60])


@pytest.mark.parametrize("section,functions,sentence", SENTENCES,
                         ids=[_sentence_id(*entry) for entry in SENTENCES])
def test_special_case_sentence_holds(section, functions, sentence):
    failures = check_sentence(section, sentence, functions)
    assert not failures, "%s\n%s" % (sentence, "\n".join(failures))


# ------------------------------------------------------------------ the checker itself can fail

@pytest.mark.parametrize("title,sentence", [
    ("ReLU: `nnref.relu`", "If `x` is -0.0, the result is +0.0."),
    ("Step: `nnref.step`", "If `x` is NaN, the result is +0.0."),
    ("Sigmoid: `nnref.sigmoid`", "If `x` is less than -700, the result is +0.0."),
    ("Softmax: `nnref.softmax`", "If an element is -inf and the row has a finite element but no "
                                 "NaN or +inf, the result for that element is -0.0."),
    ("Softmax: `nnref.softmax`", "If a row contains -inf, every result in that row is NaN."),
    ("Dense: `nnref.dense`", "If the terms include +inf and not -inf or NaN, the result is NaN."),
    ("Dense: `nnref.dense`", "If the exact sum is zero otherwise, the result is -0.0."),
    ("Dense: `nnref.dense`", "If the exact sum is zero and every term is -0.0, the result is +0.0."),
    ("Dense: `nnref.dense`", "If every term is finite, the result is 1.0."),
    ("Dense: `nnref.dense`", "If the exact sum is negative and rounds to zero, the result is +0.0."),
    ("Reductions: `nnref.matrix.sum`", "If nothing is summed, the result is -0.0."),
    ("Data sets: `nnref.datasets.spiral_data`",
     "If `samples` is `0`, `spiral_data(samples, 3)` raises ValueError."),
])
def test_checker_rejects_false_sentences(title, sentence):
    assert check_sentence(Section(title), sentence)


# The same for the sentences listed under a function's name in the module
# sections, and for the matrix sections: each is false for the function named.
@pytest.mark.parametrize("function,sentence", [
    ("nnref.exact.relu", "If `x` is -0.0, the result is +0.0."),
    ("nnref.exact.sigmoid", "If `x` is at least 37, the result is 1.0."),
    ("nnref.exact.sigmoid", 'If `dtype` is "float32" and `x` is at most -100, the result is +0.0.'),
    ("nnref.exact.linear", 'If `dtype` is "float32" and `|x|` rounds past float32\'s largest value, '
                           'the result is +inf.'),
    ("nnref.exact.relu", 'If `dtype` is "float32" and `x` is 3.4028234663852886e38, the result is +inf.'),
    ("nnref.exact.linear", 'If `dtype` is "float16" and `|x|` rounds past float16\'s largest value, '
                           'the result is +inf.'),
    ("nnref.exact.linear", 'If `dtype` is "float16" and `x` is 65519.99, the result is +inf.'),
    ("nnref.exact.relu", 'If `dtype` is "bfloat16" and `x` rounds past float16\'s largest value, '
                         'the result is +inf.'),
    ("nnref.exact.sigmoid", 'If `dtype` is "float16" and `x` is at least 8.3, the result is 1.0.'),
    ("nnref.exact.sigmoid", 'If `dtype` is "float16" and `x` is at most -17.3, the result is +0.0.'),
    ("nnref.exact.sigmoid", 'If `dtype` is "bfloat16" and `x` is at most -92.8, the result is +0.0.'),
    ("nnref.exact.softmax", 'If `dtype` is `"float16"`, `exact.softmax([0.0, -17.32], dtype)` is '
                            '`[1.0, 0.0]`.'),
    ("nnref.exact.softmax", "If an element is more than 700 below its row's maximum and the row has "
                            "no NaN or +inf, the result for that element is +0.0."),
    ("nnref.exact.dense", "If the exact sum is positive and rounds to zero, the result is -0.0."),
    ("nnref.book.Activation_Step", "If `x` is +0.0, the result is 1.0."),
    ("nnref.book.Activation_ReLU", "If `x` is less than 0, the result is -0.0."),
    ("nnref.book.Activation_Linear", "If `x` is +inf, the result is -inf."),
    ("nnref.book.Activation_Sigmoid", "If `x` is less than -80, the result is +0.0."),
    ("nnref.book.Activation_Sigmoid", "If `x` is greater than 16, the result is 1.0."),
    ("nnref.book.Activation_Softmax", "If a row has a single finite element, every result in that row "
                                      "is 0.5."),
    ("nnref.book.Activation_Softmax", "If an element is more than 100 below its row's maximum and the "
                                      "row has no NaN or +inf, the result for that element is +0.0."),
    ("nnref.book.Layer_Dense", "If `inputs` is `[]`, `Layer_Dense(2, 3, RandomState(0)).forward(inputs)` "
                               "raises ValueError."),
    ("nnref.testing.next_up", "If `x` is -5e-324, the result is +0.0."),
    ("nnref.testing.next_up", "If `x` rounds past float32's largest value, the result is +inf."),
    ("nnref.testing.next_down", 'If `dtype` is "float32" and `x` is 1.0, the result is 0.9999999999999999.'),
    ("nnref.testing.ulp", "If `x` is -inf, the result is -inf."),
    ("nnref.testing.ulp_distance", "If `b` is `-0.0`, `ulp_distance(0.0, b)` is `1`."),
    ("nnref.testing.assert_close", 'If `actual` is `[float("nan")]`, `assert_close(actual, [1.0], '
                                   'max_ulp=10**6)` is `None`.'),
    ("nnref.testing.assert_close", "If `actual` is `[0.0]`, `assert_close(actual, [-0.0])` raises "
                                   "AssertionError."),
    ("nnref.matrix.matmul", "If the exact sum is zero and every term is -0.0, the result is +0.0."),
    ("nnref.matrix.matmul", "If every term is finite, the result is 1.0."),
    ("nnref.matrix.add_row", "If `vector` is `[1e308]`, `add_row([[1e308]], vector)` is `[[1e308]]`."),
    ("nnref.matrix.zeros", "If `shape` is `(2, 0)`, `zeros(shape)` is `[]`."),
    ("nnref.matrix.transpose", "If `x` is `[1, -0.0]`, `transpose(x)` is `[1.0, 0.0]`."),
    ("nnref.matrix.shape", "If `x` is `[[], []]`, `shape(x)` is `(2,)`."),
])
def test_checker_rejects_false_sentences_of_the_new_sections(function, sentence):
    assert check_sentence(Section("X"), sentence, [function])


@pytest.mark.parametrize("function,sentence", [
    ("nnref.exact.relu", 'If `dtype` is "float8" and `x` is NaN, the result is NaN.'),
    ("nnref.book.Activation_ReLU", 'If `dtype` is "float32" and `x` is NaN, the result is NaN.'),
    ("nnref.book.Activation_Softmax", "If the row sums to one, the result is an empty row."),
    ("nnref.matrix.matmul", "If an input is odd, the result is NaN."),
    ("nnref.matrix.add_row", "If `x` is NaN, the result is NaN."),          # no grammar for add_row
    ("nnref.testing.assert_close", "If `a` is `1.0`, `assert_close(a, a)` raises KeyError."),
])
def test_checker_rejects_unknown_forms_of_the_new_sections(function, sentence):
    with pytest.raises(SpecError):
        check_sentence(Section("X"), sentence, [function])


@pytest.mark.parametrize("title,sentence", [
    ("ReLU: `nnref.relu`", "If x is NaN, the result is NaN."),
    ("ReLU: `nnref.relu`", "When `x` is NaN, the result is NaN."),
    ("ReLU: `nnref.relu`", "If `x` is nan, the result is NaN."),
    ("Softmax: `nnref.softmax`", "If a row contains NaN, the row is NaN."),
    ("Dense: `nnref.dense`", "If the terms are odd, the result is NaN."),
    ("ReLU: `nnref.relu`", "If `x` is greater than 1e400, the result is `x`."),   # meets nothing
])
def test_checker_rejects_unknown_forms(title, sentence):
    with pytest.raises(SpecError):
        check_sentence(Section(title), sentence)


# ------------------------------------------------------------------ structure

REQUIRED = ["nnref.step", "nnref.linear", "nnref.sigmoid", "nnref.relu", "nnref.softmax",
            "nnref.dense", "nnref.RandomState", "nnref.seed", "nnref.datasets.spiral_data"]
REQUIRED += ["nnref.datasets.%s" % name for name in ("vertical_data", "sine_data")
             if hasattr(datasets, name)]
REQUIRED += ["nnref.matrix.%s" % name for name in ("matmul", "transpose", "zeros", "shape", "add_row")]
REQUIRED += ["nnref.exact", "nnref.book", "nnref.testing"]

# The sections about a whole module, and the functions each must list special cases for.
MODULE_GROUPS = {
    "nnref.exact": ["nnref.exact.%s" % n for n in ("step", "linear", "relu", "sigmoid", "softmax",
                                                   "dense")],
    "nnref.book": ["nnref.book.%s" % n for n in ("Activation_Step", "Activation_Linear",
                                                 "Activation_ReLU", "Activation_Sigmoid",
                                                 "Activation_Softmax", "Layer_Dense")],
    "nnref.testing": ["nnref.testing.%s" % n for n in ("ulp_distance", "next_up", "next_down", "ulp",
                                                       "assert_close")],
}


@pytest.mark.parametrize("name", REQUIRED)
def test_every_operation_has_a_section(name):
    assert section_for(name) is not None, "docs/spec.md has no section for %s" % name


@pytest.mark.parametrize("module", sorted(MODULE_GROUPS))
def test_module_section_lists_each_function(module):
    section = section_for(module)
    assert section is not None
    groups = section.groups()
    assert groups, "the %s section has no special cases" % module
    listed = [name for functions, _ in groups for name in functions]
    for name in MODULE_GROUPS[module]:
        assert name in listed, "the %s section has no 'For `%s`:' list" % (module, name)
        assert section.sentences_for(name), name
    # Every sentence of such a section sits under a function's name.
    assert all(functions != section.title_functions for functions, _ in groups)


def resolve(qualified_name):
    """The object a dotted ``nnref...`` name names, importing its module."""
    parts = qualified_name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part)
        return obj
    raise ImportError(qualified_name)


@pytest.mark.parametrize("section", FUNCTION_SECTIONS, ids=[s.name for s in FUNCTION_SECTIONS])
def test_section_names_real_objects(section):
    for name in section.functions:
        resolve(name)


def test_section_groups_are_read():
    # The reader splits a list by its "For `nnref.NAME`:" lines and ends it at a paragraph.
    section = Section("X: `nnref.x`")
    section.lines = ["### Special cases", "", "- If a.", "", "For `nnref.a.f` and `nnref.a.g`:", "",
                     "- If b.", "- If c.", "For `nnref.a.h`:", "- If d.", "", "**Accuracy.** Exact.",
                     "- not a case"]
    assert section.groups() == [(["nnref.x"], ["If a."]),
                                (["nnref.a.f", "nnref.a.g"], ["If b.", "If c."]),
                                (["nnref.a.h"], ["If d."])]
    assert section.functions == ["nnref.x", "nnref.a.f", "nnref.a.g", "nnref.a.h"]
    assert section.special_cases() == ["If a.", "If b.", "If c.", "If d."]
    assert section.sentences_for("nnref.a.g") == ["If b.", "If c."]


@pytest.mark.parametrize("section", FUNCTION_SECTIONS, ids=[s.name for s in FUNCTION_SECTIONS])
def test_section_has_every_part(section):
    text = section.text()
    assert "**Definition.**" in text
    assert "**Domain and shapes.**" in text
    assert section.special_cases(), "no special cases"
    assert "**Accuracy.**" in text
    assert "**Elsewhere.**" in text
    examples = markdown_doctest_source(text)
    assert examples, "no examples"
    # The examples use what the section is about.
    short = [f.split(".")[-1] for f in section.functions]
    assert any(re.search(r"\b%s\(" % name, examples) for name in short)


def test_spec_examples_run():
    source = markdown_doctest_source(SPEC_TEXT)
    test = doctest.DocTestParser().get_doctest(source, {}, "docs/spec.md", SPEC_PATH, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = []
    runner.run(test, out=report.append)
    assert len(test.examples) >= 30
    assert runner.failures == 0, "".join(report)


# ------------------------------------------------------------------ docstrings agree with the spec

def docstring_special_cases(obj):
    """The bullet sentences under a "Special cases" line of ``obj``'s docstring, or None."""
    doc = obj.__doc__ or ""
    lines = doc.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("Special cases"):
            break
    else:
        return None
    sentences = []
    bullet_indent = None
    for line in lines[i + 1:]:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if stripped.startswith("- "):
            sentences.append(stripped[2:])
            bullet_indent = indent
        elif not stripped:
            if sentences:
                break                                # a blank line ends the list
        elif sentences and indent > bullet_indent:
            sentences[-1] += " " + stripped          # a wrapped bullet
        else:
            break
    return sentences


def public_functions():
    found = {}
    modules = {"nnref": nnref, "nnref.matrix": matrix, "nnref.datasets": datasets}
    for prefix, module in modules.items():
        for name in dir(module):
            obj = getattr(module, name)
            if name.startswith("_") or not callable(obj):
                continue
            if getattr(obj, "__module__", "").startswith("nnref"):
                found.setdefault(getattr(obj, "__module__") + "." + name, (prefix + "." + name, obj))
    # The modules with a section of their own: only what they define (not the helpers they import).
    for prefix, module in (("nnref.exact", exact), ("nnref.book", book), ("nnref.testing", testing)):
        for name in dir(module):
            obj = getattr(module, name)
            if name.startswith("_") or not callable(obj) or getattr(obj, "__module__", "") != prefix:
                continue
            found.setdefault(prefix + "." + name, (prefix + "." + name, obj))
    return sorted(found.values(), key=lambda pair: pair[0])


FUNCTIONS = public_functions()


@pytest.mark.parametrize("name,obj", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_docstring_special_cases_are_in_the_spec(name, obj):
    sentences = docstring_special_cases(obj)
    if sentences is None:
        return      # no special-case list in this docstring: nothing to keep in step
    section = section_for(name)
    assert section is not None, "%s lists special cases but docs/spec.md has no section" % name
    spec_sentences = section.sentences_for(name)
    missing = [s for s in sentences if s not in spec_sentences]
    assert not missing, "%s's docstring says what its spec section does not: %r" % (name, missing)


EXACT_NAMES = ["step", "linear", "sigmoid", "relu", "softmax", "dense"]


@pytest.mark.parametrize("name", EXACT_NAMES)
def test_exact_oracle_docstring_sentences_hold(name):
    # nnref.exact, the correctly rounded oracle, states its special cases in
    # the same form.  Here its docstrings' sentences are checked against it
    # directly; its spec section (the same sentences, those about `dtype`
    # included) is checked by test_special_case_sentence_holds, and float32
    # rounding also in tests/test_exact.py.
    import nnref.exact as exact      # always importable on CPython and PyPy
    function = getattr(exact, name)
    sentences = docstring_special_cases(function)
    assert sentences, "nnref.exact.%s lists no special cases" % name
    failures = []
    for sentence in sentences:
        if "`dtype`" in sentence:
            continue
        if CALL.match(sentence):
            failures.extend(check_call(sentence, CALL.match(sentence)))
        elif name == "softmax":
            failures.extend(check_rows(sentence, function))
        elif name == "dense":
            failures.extend(check_dense(sentence, function))
        else:
            failures.extend(check_elementwise(function, sentence))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", ["step", "linear", "relu", "sigmoid", "softmax"])
def test_exact_oracle_lists_the_float_tiers_cases_then_its_own(name):
    # nnref.exact's docstrings hold one copy of the cases both tiers share:
    # the float tier's list, put under the oracle's heading at import.
    import nnref.exact as exact
    ours = docstring_special_cases(getattr(exact, name))
    theirs = docstring_special_cases(getattr(nnref, name))
    assert len(theirs) >= 4
    assert ours[:len(theirs)] == theirs
    # (linear, relu: a rounding past the range per narrow dtype; sigmoid: each dtype's thresholds)
    own = {"step": 0, "linear": 3, "relu": 3, "sigmoid": 10, "softmax": 1}[name]
    assert len(ours) == len(theirs) + own


def test_the_module_docstrings_have_special_cases():
    # As below, for the functions whose spec sections came with the matrix,
    # exact, book and testing sections.
    names = [n for n, obj in FUNCTIONS if docstring_special_cases(obj)]
    required = ["nnref.matrix.%s" % n for n in ("matmul", "transpose", "zeros", "shape", "add_row")]
    for module, functions in sorted(MODULE_GROUPS.items()):
        required += functions
    missing = [name for name in required if name not in names]
    assert not missing, missing


def test_the_core_docstrings_have_special_cases():
    # Guards the reader above: if it silently found nothing, the test above would pass vacuously.
    names = [n for n, obj in FUNCTIONS if docstring_special_cases(obj)]
    for required in ("nnref.step", "nnref.linear", "nnref.sigmoid", "nnref.relu",
                     "nnref.softmax", "nnref.dense"):
        assert required in names


# ------------------------------------------------------------------ the README's contract table

README_PATH = os.path.join(ROOT, "README.md")


def table_rows(text):
    """{number: [cells]} of the markdown table rows that start with a number."""
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^\|\s*(\d+)\s*\|(.*)\|\s*$", line)
        if m:
            rows[int(m.group(1))] = [cell.strip() for cell in m.group(2).split(" | ")]
    return rows


def spec_contract_rows():
    start = SPEC_TEXT.index("<!-- contract-table")
    end = SPEC_TEXT.index("<!-- end contract-table -->")
    return table_rows(SPEC_TEXT[start:end])


def readme_contract_rows():
    with open(README_PATH, encoding="utf-8") as handle:
        text = handle.read()
    start = text.index("<!-- section: contract -->")
    end = text.index("<!-- end: contract -->")
    return table_rows(text[start:end])


def test_readme_contract_rows_are_spec_rows():
    readme = readme_contract_rows()
    spec = spec_contract_rows()
    assert readme, "the README's contract section has no numbered table rows"
    for number, cells in sorted(readme.items()):
        assert number in spec, "README contract row %d is not in docs/spec.md" % number
        assert cells[0] == spec[number][0], (
            "README contract row %d differs from docs/spec.md's:\n  README: %s\n  spec:   %s"
            % (number, cells[0], spec[number][0]))


def test_spec_contract_rows_name_real_sections():
    names = set(s.name for s in SECTIONS)
    rows = spec_contract_rows()
    assert sorted(rows) == list(range(1, len(rows) + 1))
    for number, cells in rows.items():
        assert len(cells) == 2, "row %d needs a rule and a section" % number
        for name in cells[1].split(", "):
            assert name in names, "row %d names a section %r the spec does not have" % (number, name)


def test_contract_table_examples_hold():
    # The table's `a == b` snippets are claims: evaluate them.
    ns = call_namespace()
    claims = [c for cells in spec_contract_rows().values()
              for c in re.findall(r"`([^`]+==[^`]+)`", cells[0])]
    assert len(claims) >= 3
    for claim in claims:
        assert eval(claim, ns) is True, claim
