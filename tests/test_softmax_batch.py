"""Softmax of a whole batch at once gives the row-by-row result, bit for bit.

``activations._softmax_batch`` does the work of ``_softmax_row`` in passes
over the whole batch.  It must agree with the row form on every row, the
special ones included (NaN, +-inf, rows of -inf, spreads beyond the floats),
and hand back to the row form whatever it does not take.  The row form is
held to exact values elsewhere (``test_accuracy``); here a deliberately
broken batch form shows the comparison can fail.
"""

import math

import pytest
from hypothesis import given, settings, strategies as st

import nnref
from nnref import activations
from support import rounded_sum, same

INF = float("inf")
NAN = float("nan")

values = st.one_of(st.floats(-50.0, 50.0), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.0, -0.0, -INF, INF, NAN, 1e308, -1e308, 5e-324]))


@pytest.fixture(autouse=True)
def every_width(monkeypatch):
    # The batch form on every width, on every interpreter: where it is off or
    # limited for speed (PyPy, CPython before 3.9), it must still be right.
    monkeypatch.setattr(activations, "_SOFTMAX_BATCH_WIDTH", 1 << 30)


def row_by_row(rows):
    return [activations._softmax_row(list(row)) for row in rows]


def identical(got, want):
    return (len(got) == len(want) and all(type(g) is list for g in got)
            and all(len(g) == len(w) and all(same(a, b) for a, b in zip(g, w))
                    for g, w in zip(got, want)))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8), st.integers(1, 40), st.data())
def test_the_batch_form_is_the_row_form(width, n, data):
    rows = data.draw(st.lists(st.lists(values, min_size=width, max_size=width),
                              min_size=n, max_size=n))
    assert identical(nnref.softmax(rows), row_by_row(rows))
    assert identical(nnref.Softmax().forward(rows), row_by_row(rows))


SPECIAL_ROWS = {
    "a NaN": [1.0, NAN, 2.0],
    "a NaN first": [NAN, 1.0, 2.0],
    "+inf": [1.0, INF, 2.0],
    "an -inf": [1.0, -INF, 2.0],
    "only -inf": [-INF, -INF, -INF],
    "a spread beyond the floats": [1e308, -1e308, 0.0],
    "a spread just inside": [1e308, -7e307, 0.0],
}


@pytest.mark.parametrize("case", sorted(SPECIAL_ROWS))
def test_a_special_row_among_ordinary_ones(case):
    rows = [[0.5 * i, -1.0, 2.0] for i in range(20)]
    rows[7] = SPECIAL_ROWS[case]
    got = nnref.softmax(rows)
    assert identical(got, row_by_row(rows))
    if case == "an -inf":
        assert got[7][1] == 0.0 and not math.isnan(got[7][0])
    assert all(not math.isnan(v) for i, row in enumerate(got) if i != 7 for v in row)


def test_what_the_batch_form_leaves_to_the_rows():
    # An int, a float subclass, a ragged batch, empty rows: not the batch form's.
    class Lying(float):
        def __float__(self):
            return 99.0
    assert activations._softmax_batch([[1.0, 2]]) is None
    assert activations._softmax_batch([[1.0, Lying(2.0)]]) is None
    assert activations._softmax_batch([[], []]) is None
    assert activations._softmax_batch([[1.0, NAN]]) is None
    assert nnref.softmax([[1.0, Lying(2.0)]]) == nnref.softmax([[1.0, 2.0]])
    assert nnref.softmax([[], []]) == [[], []]
    with pytest.raises(ValueError):
        nnref.softmax([[1.0, 2.0], [1.0]])
    rows = [[1.0, 2.0, 3.0]] * 4
    out = activations._softmax_batch(rows)
    assert out is not None and all(r is not rows[0] for r in out) and rows[0] == [1.0, 2.0, 3.0]


def test_rows_wider_than_the_limit_take_the_row_form(monkeypatch):
    monkeypatch.setattr(activations, "_SOFTMAX_BATCH_WIDTH", 2)
    assert activations._softmax_batch([[1.0, 2.0]] * 3) is not None
    assert activations._softmax_batch([[1.0, 2.0, 3.0]] * 3) is None
    assert identical(nnref.softmax([[1.0, 2.0, 3.0]] * 3), row_by_row([[1.0, 2.0, 3.0]] * 3))


BROKEN = {
    # Each row divided by the next row's sum.
    "the wrong row's sum": lambda exps, totals, width: totals[1:] + totals[:1],
    # The sum of the exponentials rounded term by term, not exactly.  A loop,
    # not sum(): from CPython 3.12 on sum() of floats is compensated.
    "a rounded sum": lambda exps, totals, width: [
        rounded_sum(exps[i:i + width]) for i in range(0, len(exps), width)],
}


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_broken_batch_form_is_caught(monkeypatch, broken):
    real_sum = activations._sum_exps
    calls = []

    def batch(x):
        width = len(x[0])
        exps = activations._shifted_exps(x, map(max, x))
        totals = list(map(real_sum, zip(*[iter(exps)] * width)))
        totals = BROKEN[broken](exps, totals, width)
        calls.append(1)
        quotients = [e / totals[i // width] for i, e in enumerate(exps)]
        return [quotients[i:i + width] for i in range(0, len(quotients), width)]
    monkeypatch.setattr(activations, "_softmax_batch", batch)
    rng = nnref.RandomState(3)
    rows = [[10.0 * v for v in row] for row in rng.randn(50, 7)]
    assert not identical(nnref.softmax(rows), row_by_row(rows))
    assert calls
