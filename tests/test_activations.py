"""step, linear, relu, sigmoid and softmax: the chapter's examples, the contract, and invariants.

Expected values come from the mathematics or from ``decimal`` at 60 digits,
never from nnref itself.
"""

import math
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, strategies as st

import nnref

from support import same, ulps

NAN = float("nan")
INF = float("inf")

finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-700.0, max_value=700.0)


def correctly_rounded(d):
    """The float nearest to the Decimal ``d`` (Decimal -> exact Fraction -> float)."""
    from fractions import Fraction
    return float(Fraction(d))


# --- the chapter's examples -------------------------------------------------

def test_relu_chapter_example():
    out = nnref.relu([0, 2, -1, 3.3, -2.7, 1.1, 2.2, -100])
    assert out == [0.0, 2.0, 0.0, 3.3, 0.0, 1.1, 2.2, 0.0]
    assert all(type(v) is float for v in out)


def test_softmax_chapter_example():
    out = nnref.softmax([4.8, 1.21, 2.385])
    for got, want in zip(out, [0.89528266, 0.02470831, 0.08000903]):
        assert abs(got - want) < 5e-9


def test_softmax_chapter_example_against_decimal():
    values = [4.8, 1.21, 2.385]
    with localcontext() as ctx:
        ctx.prec = 60
        exps = [Decimal(v).exp() for v in values]
        total = sum(exps)
        expected = [correctly_rounded(e / total) for e in exps]
    out = nnref.softmax(values)
    assert all(ulps(g, w) <= 4 for g, w in zip(out, expected))


def test_softmax_batch_is_per_row_and_shift_invariant():
    assert nnref.softmax([[1, 2, 3]]) == nnref.softmax([[-2, -1, 0]])
    batch = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]
    out = nnref.softmax(batch)
    assert len(out) == 3
    for row_in, row_out in zip(batch, out):
        assert row_out == nnref.softmax(row_in)
        assert abs(math.fsum(row_out) - 1.0) <= 2 ** -52


# --- scalar, vector and batch shapes ------------------------------------------

@pytest.mark.parametrize("func", [nnref.step, nnref.linear, nnref.relu, nnref.sigmoid])
def test_shapes_are_kept(func):
    assert type(func(1)) is float
    assert type(func(-2.5)) is float
    assert func([]) == []
    assert func([[]]) == [[]]
    out = func(((1, -2), (3, 4)))
    assert isinstance(out, list) and all(isinstance(r, list) for r in out)
    assert [len(r) for r in out] == [2, 2]


@pytest.mark.parametrize("func", [nnref.step, nnref.linear, nnref.relu,
                                  nnref.sigmoid, nnref.softmax])
def test_inputs_not_modified_nor_returned(func):
    vector = [1.0, -2.0, 3.0]
    batch = [[1.0, -2.0], [0.5, 4.0]]
    vector_copy, batch_copy = list(vector), [list(r) for r in batch]
    out_v = func(vector)
    out_b = func(batch)
    assert vector == vector_copy and batch == batch_copy
    assert out_v is not vector and out_b is not batch
    assert all(o is not r for o, r in zip(out_b, batch))


# --- step ---------------------------------------------------------------------

def test_step_values():
    assert nnref.step([-1.0, -0.0, 0.0, 1e-300, 5e-324, INF, -INF]) == \
        [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0]
    assert math.isnan(nnref.step(NAN))
    assert same(nnref.step(-0.0), 0.0)


# --- linear ---------------------------------------------------------------------

def test_linear_is_identity_with_floats():
    assert nnref.linear([1, -0.0, INF]) == [1.0, 0.0, INF]
    assert same(nnref.linear(-0.0), -0.0)
    assert math.isnan(nnref.linear(NAN))
    assert nnref.linear(2 ** 53 + 1) == 2.0 ** 53     # nearest float, ties to even
    assert nnref.linear(2 ** 54 + 3) == 2.0 ** 54 + 4


# --- relu -------------------------------------------------------------------------

def test_relu_special_values():
    assert same(nnref.relu(-0.0), -0.0)
    assert same(nnref.relu(0.0), 0.0)
    assert math.isnan(nnref.relu(NAN))
    assert nnref.relu(INF) == INF
    assert same(nnref.relu(-INF), 0.0)
    assert nnref.relu(-5e-324) == 0.0 and nnref.relu(5e-324) == 5e-324


@given(st.lists(finite, max_size=20))
def test_relu_idempotent_and_non_negative(xs):
    once = nnref.relu(xs)
    assert nnref.relu(once) == once
    assert all(v >= 0.0 for v in once)
    assert all(o == (x if x > 0 else 0.0) for o, x in zip(once, xs))


# --- sigmoid --------------------------------------------------------------------

def sigmoid_decimal(x):
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.Emin = -999999
        ctx.Emax = 999999
        return correctly_rounded(1 / (1 + (-Decimal(x)).exp()))


def test_sigmoid_special_values():
    assert nnref.sigmoid(0.0) == 0.5 and nnref.sigmoid(-0.0) == 0.5
    assert nnref.sigmoid(INF) == 1.0
    assert same(nnref.sigmoid(-INF), 0.0)
    assert math.isnan(nnref.sigmoid(NAN))
    assert nnref.sigmoid(-745.0) == 5e-324
    assert nnref.sigmoid(1000.0) == 1.0
    assert same(nnref.sigmoid(-1000.0), 0.0)
    assert nnref.sigmoid(-1e308) == 0.0 and nnref.sigmoid(1e308) == 1.0


@given(st.floats(min_value=-745.0, max_value=40.0))
def test_sigmoid_within_2_ulp(x):
    got = nnref.sigmoid(x)
    want = sigmoid_decimal(x)
    assert ulps(got, want) <= 2, (x, got, want)


@given(moderate, moderate)
def test_sigmoid_monotone(a, b):
    if a > b:
        a, b = b, a
    assert nnref.sigmoid(a) <= nnref.sigmoid(b)


@given(st.floats(min_value=-30.0, max_value=30.0))
def test_sigmoid_symmetry(x):
    assert abs(nnref.sigmoid(-x) + nnref.sigmoid(x) - 1.0) <= 2 ** -50


# --- softmax --------------------------------------------------------------------

def test_softmax_special_rows():
    def all_nan(row):
        return all(math.isnan(v) for v in row)
    assert all_nan(nnref.softmax([1.0, NAN, 2.0]))
    assert all_nan(nnref.softmax([NAN]))
    assert all_nan(nnref.softmax([1.0, INF]))
    assert all_nan(nnref.softmax([-INF, -INF]))
    assert nnref.softmax([-INF, 0.0]) == [0.0, 1.0]
    assert nnref.softmax([]) == []
    assert nnref.softmax([[]]) == [[]]
    assert nnref.softmax([1000.0, 1000.0]) == [0.5, 0.5]     # naive exp would overflow
    assert nnref.softmax([-1000.0, -1000.0]) == [0.5, 0.5]   # naive exp would underflow
    out = nnref.softmax([[1.0, NAN], [0.0, 0.0]])
    assert all_nan(out[0]) and out[1] == [0.5, 0.5]


def test_softmax_rejects_a_number():
    with pytest.raises(TypeError, match="softmax"):
        nnref.softmax(3.0)


rows = st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=1, max_size=12)


@given(rows)
def test_softmax_sums_to_one_and_in_unit_interval(row):
    out = nnref.softmax(row)
    assert abs(math.fsum(out) - 1.0) <= 2 ** -52 * len(row) + 2 ** -52
    assert all(0.0 <= v <= 1.0 for v in out)


@given(rows)
def test_softmax_preserves_order(row):
    out = nnref.softmax(row)
    for i in range(len(row)):
        for j in range(len(row)):
            if row[i] < row[j]:
                assert out[i] <= out[j]


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=10), st.integers(-1000, 1000))
def test_softmax_shift_invariance_exact_for_integers(row, shift):
    assert nnref.softmax(row) == nnref.softmax([v + shift for v in row])


@given(st.lists(st.floats(min_value=-50, max_value=50), min_size=1, max_size=10),
       st.floats(min_value=-50, max_value=50))
def test_softmax_shift_invariance_for_floats(row, shift):
    a = nnref.softmax(row)
    b = nnref.softmax([v + shift for v in row])
    # x + shift rounds, and the rounding error is multiplied by |x - max| in
    # the exponent: bound it by 2**-52 * (|x| + |shift| + max) per element.
    for x, u, v in zip(row, a, b):
        tolerance = 2 ** -48 * (abs(x) + abs(shift) + 100) * max(u, v) + 1e-300
        assert abs(u - v) <= tolerance


@given(st.lists(st.floats(min_value=-40, max_value=40), min_size=1, max_size=8))
def test_softmax_against_decimal(row):
    with localcontext() as ctx:
        ctx.prec = 60
        exps = [Decimal(v).exp() for v in row]
        total = sum(exps)
        expected = [correctly_rounded(e / total) for e in exps]
    m = max(row)
    for x, got, want in zip(row, nnref.softmax(row), expected):
        bound = (abs(x - m) + len(row) + 2) * 2 ** -52
        assert abs(got - want) <= bound * want, (row, got, want)
