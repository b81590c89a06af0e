"""nnref.exact._decimal_math: Ziv's loop, its bounds and its precision cap, against ``decimal`` at 80 digits.

The module's sigmoid and softmax_row are called directly, on both signs of
the argument (the two branches of the bound), and with the loop's starting
precision and cap lowered so that the doubling and the cap are exercised:
the results must not depend on where the loop starts, and a cap below what
an input needs must raise ``ArithmeticError`` rather than return a guess.

Equivalent mutant left alive (no input can tell it apart): in
``_softmax_try``, ``drop = max(_ZERO_BELOW, 231 * (digits + 10) // 100 + 1)``
with ``- 1`` for ``+ 1``.  The formula exceeds 746 only from 313 digits on
(the fifth doubling, 480), and there 2.31 * (digits + 10) - 1 is still above
ln(10) * (digits + 10), so every dropped term stays below its bound
10**-(digits + 10): the bounds stay valid, and a pass that settles returns the
correctly rounded value either way.  Likewise ``sum_high += dropped * 10 **
(floor_k - k_min)`` with ``11 **``: the exponent is never negative, so the
upper bound only widens and stays valid.
"""

from decimal import Decimal, localcontext

import pytest

from nnref._base.formats import FLOAT64
from nnref.exact import _decimal_math as dm

from support import same


@pytest.fixture(autouse=True)
def capped(monkeypatch):
    # These inputs settle at 30 or 60 digits; a cap of 1000 turns a broken
    # bound (one that never settles) into a quick ArithmeticError instead of
    # a climb to 65536 digits.
    monkeypatch.setattr(dm, "_MAX_DIGITS", 1000)


def ref_sigmoid(x):
    with localcontext() as ctx:
        ctx.prec = 80
        return float(1 / (1 + (-Decimal(x)).exp()))


def ref_softmax(row):
    with localcontext() as ctx:
        ctx.prec = 80
        exps = [Decimal(v).exp() for v in row]
        total = sum(exps)
        return [float(e / total) for e in exps]


XS = [-700.5, -40.0, -3.5, -1.0, -0.1, -1e-10, 1e-10, 0.1, 1.0, 3.5, 20.0, 37.9]
ROWS = [[1.0, 2.0, 3.0], [-1.0, 0.5], [0.1, 0.2, 0.3, 0.4], [-745.0, 0.0], [100.0, -20.0, 3.25]]


@pytest.mark.parametrize("x", XS)
def test_sigmoid_both_signs(x):
    assert same(dm.sigmoid(x, FLOAT64), ref_sigmoid(x))


@pytest.mark.parametrize("row", ROWS)
def test_softmax_row(row):
    got = dm.softmax_row(row, FLOAT64)
    assert len(got) == len(row)
    for g, w in zip(got, ref_softmax(row)):
        assert same(g, w), (row, got)


@pytest.mark.parametrize("first", [1, 2, 5])
def test_the_loop_doubles_until_the_bounds_agree(monkeypatch, first):
    # Starting far below the 17 digits float64 needs, the loop must double
    # its way up and still return the correctly rounded values.
    monkeypatch.setattr(dm, "_FIRST_DIGITS", first)
    for x in XS:
        assert same(dm.sigmoid(x, FLOAT64), ref_sigmoid(x)), x
    for row in ROWS:
        assert all(same(g, w) for g, w in zip(dm.softmax_row(row, FLOAT64), ref_softmax(row))), row


def test_the_cap_raises_instead_of_guessing(monkeypatch):
    # 8 digits cannot tell float64 neighbours apart (they are 2.2e-16
    # apart, relatively): with the cap at 8 the loop must give up.
    monkeypatch.setattr(dm, "_FIRST_DIGITS", 2)
    monkeypatch.setattr(dm, "_MAX_DIGITS", 8)
    with pytest.raises(ArithmeticError, match=r"sigmoid\(1\.0\) did not settle below 8 digits"):
        dm.sigmoid(1.0, FLOAT64)
    with pytest.raises(ArithmeticError, match=r"softmax\(\[1\.0, 2\.0\]\) did not settle below 8 digits"):
        dm.softmax_row([1.0, 2.0], FLOAT64)


def test_the_cap_itself_is_a_precision_the_loop_still_tries(monkeypatch):
    # Start and cap both at 40 digits (more than twice the 17 float64 needs,
    # which settles these inputs): that one pass must be run.
    monkeypatch.setattr(dm, "_FIRST_DIGITS", 40)
    monkeypatch.setattr(dm, "_MAX_DIGITS", 40)
    for x in (1.0, -3.5, 0.1):
        assert same(dm.sigmoid(x, FLOAT64), ref_sigmoid(x))
    assert all(same(g, w) for g, w in zip(dm.softmax_row([1.0, 2.0], FLOAT64), ref_softmax([1.0, 2.0])))


def test_exp_bounds_are_two_units_apart_around_e():
    for digits in (5, 10, 30):
        low, high, k = dm.exp_bounds(Decimal(1), digits)
        assert high - low == 2
        with localcontext() as ctx:
            ctx.prec = 80
            e = Decimal(1).exp()
            assert Decimal(low).scaleb(k) <= e <= Decimal(high).scaleb(k)
            assert len(str(low)) == digits
