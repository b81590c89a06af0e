"""The fast paths of issue 15 give the correctly rounded result on every kind of data.

Each path is pinned against exact rationals (``fractions.Fraction``, whose
``float()`` is correctly rounded), on the data classes the issue names:
ordinary, uniformly tiny and huge, huge and cancelling, spread over the whole
float range, subnormal, zeros of both signs; special values against
``nnref.exact`` (an independent implementation).  A spy checks that each
path is the one taken, and deliberately broken versions show that the checks
catch the bugs they are meant to.  No timing here: speed lives in
``benchmarks/speed.py``.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import nnref
from nnref import exact
from nnref._base import checks, dot
from support import same
from test_accuracy import exact_dense as fraction_dense

INF = float("inf")
NAN = float("nan")


def mismatches(got, expected):
    return [(i, j, g, e) for i, (gr, er) in enumerate(zip(got, expected))
            for j, (g, e) in enumerate(zip(gr, er)) if not same(g, e)]


def check(inputs, weights, biases):
    got = nnref.dense(inputs, weights, biases)
    assert len(got) == len(inputs)
    bad = mismatches(got, fraction_dense(inputs, weights, biases))
    assert not bad, bad[:3]


def with_exponents(low, high):
    return st.builds(lambda n, e: math.ldexp(n, e),
                     st.integers(-2 ** 53 + 1, 2 ** 53 - 1), st.integers(low, high))


ordinary = st.floats(-10.0, 10.0, allow_nan=False)
tiny = with_exponents(-1100, -900)           # N(0,1)*1e-300 and below: subnormals too
huge = with_exponents(150, 970)              # beyond 1e66, up to the top binade
spread = with_exponents(-1126, 970)          # the whole float range
subnormal = st.builds(lambda n: n * 5e-324, st.integers(-2 ** 52 + 1, 2 ** 52 - 1))
signed_zero = st.sampled_from([0.0, -0.0])
CLASSES = {"ordinary": ordinary, "tiny": tiny, "huge": huge, "spread": spread,
           "subnormal": subnormal,
           "mixed": st.one_of(ordinary, tiny, huge, spread, subnormal, signed_zero)}


@st.composite
def batches(draw, x_values, w_values, b_values, n=(16, 40), k=(1, 4), m=(1, 4)):
    # n >= 16 and k <= 4: the column-wise form's batches.
    rows, depth, width = draw(st.integers(*n)), draw(st.integers(*k)), draw(st.integers(*m))
    inputs = [[draw(x_values) for _ in range(depth)] for _ in range(rows)]
    weights = [[draw(w_values) for _ in range(width)] for _ in range(depth)]
    biases = [draw(b_values) for _ in range(width)]
    return inputs, weights, biases


@pytest.mark.parametrize("kind", sorted(CLASSES))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_narrow_batches_are_correctly_rounded_on_every_data_class(kind, data):
    values = CLASSES[kind]
    check(*data.draw(batches(values, st.one_of(values, ordinary), st.one_of(values, signed_zero))))


FORMS = ["_column_outputs_comprehended", "_column_outputs_mapped"]
# Values whose batches the column-wise form always takes: hypothesis's floats
# in a range favour subnormals, and one subnormal input (or an infinity)
# sends a whole batch to the other paths, so the tests above rarely reach it.
well_scaled = st.one_of(with_exponents(-80, 20), signed_zero)


def check_through(form, layer):
    # check(*layer) with dot._column_outputs set to the named form; returns
    # how many output columns the form computed.
    real, calls = getattr(dot, form), []

    def counted(*args):
        calls.append(1)
        return real(*args)
    taken = dot._column_outputs
    dot._column_outputs = counted
    try:
        check(*layer)
    finally:
        dot._column_outputs = taken
    return len(calls)


@pytest.mark.parametrize("form", FORMS)
@settings(max_examples=40, deadline=None)
@given(layer=batches(well_scaled, well_scaled, well_scaled))
def test_both_forms_of_the_column_outputs_are_correctly_rounded(form, layer):
    # nnref takes one form per interpreter (the mapped one on PyPy); each is
    # held to exact sums here, on every interpreter, for k = 1 to 4, and
    # computes every output column of these batches.
    assert check_through(form, layer) == len(layer[2])


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_both_forms_count_every_term_and_the_bias(form, k):
    # Gaussian data, as the chapter's layers see: a term dropped, repeated or
    # paired with the wrong weight, or a bias left out, moves every output.
    rng = nnref.RandomState(k)
    for m in (1, 3):
        layer = rng.randn(20, k), rng.randn(k, m), rng.randn(1, m)[0]
        assert check_through(form, layer) == m
    # The bias alone: zero weights leave only it (and the exact zero signs).
    assert check_through(form, (rng.randn(16, k), [[0.0, -0.0]] * k, [1.5, -0.0])) == 2


@settings(max_examples=40, deadline=None)
@given(batches(ordinary, ordinary, ordinary, n=(16, 24), k=(5, 12), m=(1, 8)))
def test_wider_batches_are_correctly_rounded(layer):
    check(*layer)


@pytest.mark.parametrize("kind", ["tiny", "huge", "spread", "mixed"])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_row_paths_are_correctly_rounded_on_every_data_class(kind, data):
    # k >= 5: the packed accumulator, the two-step powers of two and the sparse dot.
    values = CLASSES[kind]
    check(*data.draw(batches(values, values, st.one_of(values, signed_zero),
                             n=(1, 20), k=(5, 9), m=(1, 5))))


@settings(max_examples=40, deadline=None)
@given(batches(st.sampled_from([0.0, -0.0, 1.0, -1.0, 5e-324]),
               st.sampled_from([0.0, -0.0, 2.0, -0.5]), signed_zero))
def test_zero_signs_on_narrow_batches_follow_ieee(layer):
    check(*layer)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_huge_cancelling_terms_near_the_top_leave_the_small_ones(data):
    # x, -x pairs near 2**1023 with repeated weights: only the small terms and the bias remain.
    n, k = data.draw(st.integers(16, 30)), data.draw(st.integers(1, 3))
    big = [[data.draw(with_exponents(960, 970)) for _ in range(k)] for _ in range(n)]
    small = [[data.draw(ordinary)] for _ in range(n)]
    inputs = [b + [-v for v in b] + s for b, s in zip(big, small)]
    w = [[data.draw(st.floats(-2.0, 2.0))] for _ in range(k)]
    weights = w + w + [[data.draw(ordinary)]]
    check(inputs, weights, [data.draw(ordinary)])


SPECIALS = st.one_of(ordinary, st.sampled_from([NAN, INF, -INF, 0.0, -0.0, 1e308, -1e308]))


@settings(max_examples=60, deadline=None)
@given(batches(SPECIALS, SPECIALS, SPECIALS))
def test_special_values_on_narrow_batches_match_the_oracle(layer):
    got = nnref.dense(*layer)
    expected = exact.dense(*layer)
    assert not mismatches(got, expected)


def test_the_chapter_shapes_take_the_column_wise_form(monkeypatch):
    calls = []
    real = dot._dense_columns

    def spy(*args):
        out = real(*args)
        calls.append(out is not None)
        return out
    monkeypatch.setattr(dot, "_dense_columns", spy)
    rng = nnref.RandomState(4)
    for k in (2, 3):
        inputs, weights = rng.randn(300, k), rng.randn(k, 3)
        check(inputs, weights, rng.randn(3))
    assert calls == [True, True]


def test_the_other_paths_are_taken_where_meant(monkeypatch):
    seen = {"sparse": 0, "tiny": 0}
    real_sparse, real_tiny = dot.sparse_dot_plus_bias, dot._recompute_tiny

    def sparse(*args):
        seen["sparse"] += 1
        return real_sparse(*args)

    def recompute(out, tiny, *args):
        seen["tiny"] += len(tiny)
        return real_tiny(out, tiny, *args)
    monkeypatch.setattr(dot, "sparse_dot_plus_bias", sparse)
    monkeypatch.setattr(dot, "_recompute_tiny", recompute)
    rng = nnref.RandomState(5)
    spread_rows = [[math.ldexp(v, e) for v, e in zip(row, (-1000, 0, 900, -500, 300))]
                   for row in rng.randn(4, 5)]
    check(spread_rows, rng.randn(5, 3), rng.randn(3))
    assert seen["sparse"] == 12
    tiny_rows = [[1e-300 * v for v in row] for row in rng.randn(6, 6)]
    check(tiny_rows, [[0.01 * v for v in row] for row in rng.randn(6, 3)], [0.0] * 3)
    assert seen["tiny"] == 3


def test_the_checks_catch_a_dropped_second_power_of_two(monkeypatch):
    # Tiny outputs need two factors; with the second one dropped they are 2**1000 too large.
    real = dot._factors
    monkeypatch.setattr(dot, "_factors", lambda e, cs: (real(e, cs)[0], None))
    rng = nnref.RandomState(6)
    inputs = [[1e-300 * v for v in row] for row in rng.randn(20, 6)]
    weights = [[0.01 * v for v in row] for row in rng.randn(6, 2)]
    got = nnref.dense(inputs, weights, [0.0, 0.0])
    assert mismatches(got, fraction_dense(inputs, weights, [0.0, 0.0]))


def test_the_checks_catch_a_lost_negative_zero(monkeypatch):
    monkeypatch.setattr(dot, "is_negative_zero", lambda x: False)
    inputs = [[-0.0, 0.0]] * 20
    weights = [[1.0], [-1.0]]
    got = nnref.dense(inputs, weights, [-0.0])
    assert mismatches(got, fraction_dense(inputs, weights, [-0.0]))


def test_the_checks_catch_plain_float_rounding(monkeypatch):
    # A dense that rounds every product and partial sum, as the plain idiom does.
    def plain(inputs, weights, biases):
        return [[sum(x * w[j] for x, w in zip(row, weights)) + b for j, b in enumerate(biases)]
                for row in inputs]
    rng = nnref.RandomState(7)
    inputs, weights, biases = rng.randn(40, 3), rng.randn(3, 3), rng.randn(3)
    assert mismatches(plain(inputs, weights, biases), fraction_dense(inputs, weights, biases))


# --- biases scaled apart from their weights ----------------------------------

# Biases far below their weights (1e-302 next to 0.01): a column with its bias
# appended is too wide to pack, so the biases are scaled on their own.
tiny_bias = with_exponents(-1126, -950)


@pytest.mark.parametrize("x_kind", ["tiny", "ordinary", "huge", "mixed"])
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_biases_scaled_apart_are_correctly_rounded(x_kind, data):
    check(*data.draw(batches(CLASSES[x_kind], st.one_of(ordinary, signed_zero),
                             st.one_of(tiny_bias, signed_zero, ordinary),
                             n=(1, 24), k=(1, 9), m=(1, 5))))


def tiny_layer(seed, n=20, k=6, m=3):
    rng = nnref.RandomState(seed)
    inputs = [[1e-300 * v for v in row] for row in rng.randn(n, k)]
    weights = [[0.01 * v for v in row] for row in rng.randn(k, m)]
    return inputs, weights, [1e-302 * v for v in rng.randn(m)]


def test_tiny_data_with_tiny_biases_takes_the_separate_biases(monkeypatch):
    calls = []
    real = dot._separate_biases

    def spy(*args):
        out = real(*args)
        calls.append(out is not None)
        return out
    monkeypatch.setattr(dot, "_separate_biases", spy)
    for k in (3, 6):
        check(*tiny_layer(8, k=k))
    assert calls == [True, True]


def test_the_checks_catch_biases_scaled_apart_one_bit_off(monkeypatch):
    real = dot._Packed

    def off_by_one(columns, row_bits, bias_ints=None):
        if bias_ints is not None:
            bias_ints = [2 * n for n in bias_ints]
        return real(columns, row_bits, bias_ints)
    monkeypatch.setattr(dot, "_Packed", off_by_one)
    layer = tiny_layer(9)
    assert mismatches(nnref.dense(*layer), fraction_dense(*layer))


def test_the_checks_catch_biases_scaled_apart_and_then_dropped(monkeypatch):
    # A start value without the separate biases: as tiny as they are, they count.
    real = dot._Packed.start

    def start(self, row_exp):
        if self.fixed_bias:
            return self.offset
        return real(self, row_exp)
    monkeypatch.setattr(dot._Packed, "start", start)
    layer = tiny_layer(10)
    assert mismatches(nnref.dense(*layer), fraction_dense(*layer))


# --- the scaling to integers --------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.lists(CLASSES["mixed"], min_size=1, max_size=12), st.sampled_from([None, 0, 40]))
def test_scale_to_ints_is_exact_on_every_data_class(values, most):
    ints, e = dot.scale_to_ints(values, most)
    assert most is None or e <= most
    for v, n in zip(values, ints):
        assert type(n) is int and Fraction(n) * Fraction(2) ** e == Fraction(v)


@settings(max_examples=200, deadline=None)
@given(st.lists(CLASSES["mixed"], max_size=12))
def test_mantissas_are_exact(values):
    ns, es = dot.mantissas(values)
    for v, n, e in zip(values, ns, es):
        assert abs(n) < 2 ** 53 and Fraction(n) * Fraction(2) ** (e - 53) == Fraction(v)


# --- the plain operands and relu on narrow batches ------------------------------

def test_plain_operands_are_neither_changed_nor_returned():
    inputs = [[1.0, 2.0]] * 20
    weights = [[0.5, 1.0, -1.0], [2.0, 0.0, 1.0]]
    biases = [[0.0, 1.0, 2.0]]
    out = nnref.Dense(2, 3).forward(inputs)
    assert all(row is not inputs[0] for row in out)
    got = nnref.dense(inputs, weights, biases)
    got[0][0] = 99.0
    assert got[1] == [4.5, 2.0, 3.0] and inputs[0] == [1.0, 2.0] and biases == [[0.0, 1.0, 2.0]]
    assert checks.plain_dense_operands(inputs, weights, biases) == (inputs, weights, biases[0])


@pytest.mark.parametrize("inputs, weights, biases", [
    ([[1.0, 2.0]] * 20, [[1.0], [2.0], [3.0]], [0.0]),        # not aligned
    ([[1.0, 2.0]] * 20, [[1.0], [2.0]], [0.0, 1.0]),          # biases too long
    ([[1.0, 2]] * 20, [[1.0], [2.0]], [0.0]),                 # an int: converted
    ([[1.0, True]] * 20, [[1.0], [2.0]], [0.0]),              # a bool: rejected
])
def test_operands_that_need_checks_get_the_checks(inputs, weights, biases):
    assert checks.plain_dense_operands(inputs, weights, biases) is None
    try:
        expected = ("ok", nnref.exact.dense(inputs, weights, biases))
    except (TypeError, ValueError) as error:
        expected = (type(error), str(error).replace("exact.dense", "dense"))
    try:
        got = ("ok", nnref.dense(inputs, weights, biases))
    except (TypeError, ValueError) as error:
        got = (type(error), str(error))
    assert got == expected


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 8), st.lists(st.one_of(st.floats(), st.sampled_from([-0.0, 5e-324])),
                                   min_size=8, max_size=80))
def test_relu_on_narrow_batches_is_the_definition(width, values):
    rows = [values[i:i + width] for i in range(0, len(values) - width + 1, width)]
    expected = [[v if v != v or v >= 0.0 else 0.0 for v in row] for row in rows]
    got = nnref.ReLU().forward(rows)
    assert len(got) == len(rows)
    assert all(same(g, e) for gr, er in zip(got, expected) for g, e in zip(gr, er))
    assert all(type(g) is list for g in got) and all(g is not r for g, r in zip(got, rows))


def test_relu_on_a_narrow_batch_still_reads_by_the_rule_and_names_positions():
    class Lying(float):
        def __float__(self):
            return 99.0
    assert nnref.relu([[1.0, Lying(-2.0)], [3, -4.0]]) == [[1.0, 0.0], [3.0, 0.0]]
    with pytest.raises(TypeError, match=r"relu: x\[1\]\[0\]"):
        nnref.relu([[1.0, 2.0], ["a", 1.0]])


def test_the_checks_catch_a_wrong_bias_scaled_once_for_the_sparse_dot(monkeypatch):
    # The sparse dot takes each column's scaled bias from dense_rows; one off by a bit shows.
    real = dot.sparse_dot_plus_bias

    def wrong(row_parts, column_parts, row, column, bias, bias_scaled=None):
        n, e = bias_scaled
        return real(row_parts, column_parts, row, column, bias, (n, e + 1))
    monkeypatch.setattr(dot, "sparse_dot_plus_bias", wrong)
    rng = nnref.RandomState(11)
    inputs = [[math.ldexp(v, e) for v, e in zip(row, (-1000, 0, 900, -500, 300))]
              for row in rng.randn(4, 5)]
    weights, biases = rng.randn(5, 3), [1e300 * v for v in rng.randn(3)]
    assert mismatches(nnref.dense(inputs, weights, biases),
                      fraction_dense(inputs, weights, biases))
