"""The input contract shared by every function: accepted kinds, rejected kinds, messages."""

import pytest
from hypothesis import given, strategies as st

import nnref

from support import bits

FUNCS = [nnref.step, nnref.linear, nnref.relu, nnref.sigmoid, nnref.softmax]


class MyFloat(float):
    pass


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("bad", ["a", None, 1j, True, {"a": 1}, object()])
def test_non_numbers_are_type_errors(func, bad):
    with pytest.raises(TypeError):
        func(bad)
    with pytest.raises(TypeError) as info:
        func([1.0, bad])
    assert "x[1] is %r (%s)" % (bad, type(bad).__name__) in str(info.value)
    with pytest.raises(TypeError) as info:
        func([[1.0, 2.0], [3.0, bad]])
    assert "x[1][1]" in str(info.value)
    assert func.__name__ in str(info.value)


@pytest.mark.parametrize("func", FUNCS)
def test_ragged_batches_are_value_errors(func):
    with pytest.raises(ValueError) as info:
        func([[1.0, 2.0], [3.0, 4.0], [5.0]])
    assert "x[2] has length 1, but x[0] has length 2" in str(info.value)


@pytest.mark.parametrize("func", FUNCS)
def test_mixed_rows_and_numbers(func):
    with pytest.raises(TypeError, match=r"x\[1\] is 2.0 \(float\); expected a row"):
        func([[1.0], 2.0])
    with pytest.raises(TypeError, match=r"x\[0\]\[0\] is \[1.0\] \(list\)"):
        func([[[1.0]]])


def test_float_subclasses_and_big_ints_are_numbers():
    assert nnref.relu([MyFloat(2.0)]) == [2.0]
    assert type(nnref.relu([MyFloat(2.0)])[0]) is float
    assert nnref.linear(10 ** 300) == 1e300
    with pytest.raises(ValueError, match=r"x\[0\] is an int too large"):
        nnref.linear([10 ** 400])


def test_arrays_get_a_hint():
    class FakeArray(object):
        def tolist(self):
            return [1.0]
    with pytest.raises(TypeError, match=r"tolist\(\)"):
        nnref.relu(FakeArray())


def test_iterators_are_not_accepted():
    with pytest.raises(TypeError):
        nnref.relu(iter([1.0]))


@pytest.mark.parametrize("func", FUNCS)
def test_batches_mixing_ints_and_float_subclasses(func):
    # Every element kind that is a number, in one batch, and in tuples: the
    # result is the function of the plain floats, in new lists of floats.
    x = ((MyFloat(-1.5), 2), [3.0, -4], (MyFloat(0.25), 10 ** 20))
    plain = [[-1.5, 2.0], [3.0, -4.0], [0.25, 1e20]]
    out = func(x)
    assert out == func(plain)
    assert all(type(row) is list for row in out)
    assert all(type(v) is float for row in out for v in row)
    assert x == ((MyFloat(-1.5), 2), [3.0, -4], (MyFloat(0.25), 10 ** 20))
    assert out[1] is not x[1]


@pytest.mark.parametrize("func", FUNCS)
def test_a_bool_after_many_floats_is_found(func):
    x = [[0.5] * 40 for _ in range(30)]
    x[29][39] = False
    with pytest.raises(TypeError, match=r"x\[29\]\[39\] is False \(bool\)"):
        func(x)


_NUMBERS = st.one_of(st.floats(), st.integers(-2 ** 60, 2 ** 60),
                     st.floats().map(MyFloat))


@given(st.integers(1, 4).flatmap(
    lambda width: st.lists(st.lists(_NUMBERS, min_size=width, max_size=width), max_size=5)))
def test_relu_of_any_numbers_is_relu_of_their_floats(x):
    # relu reads ints and float subclasses as the floats they equal: the
    # result, bit for bit, is max(0, v) of float(v) (NaN and -0.0 kept).
    expected = [[0.0 if float(v) < 0.0 else float(v) for v in row] for row in x]
    got = nnref.relu(x)
    assert [[type(v) for v in row] for row in got] == [[float] * len(row) for row in expected]
    assert [list(map(bits, row)) for row in got] == [list(map(bits, row)) for row in expected]


@given(st.lists(st.lists(st.floats(), min_size=3, max_size=3), min_size=1, max_size=5),
       st.data())
def test_one_bad_element_anywhere_is_named(x, data):
    i = data.draw(st.integers(0, len(x) - 1))
    j = data.draw(st.integers(0, 2))
    bad = data.draw(st.sampled_from([True, "1", None, 1j]))
    x[i][j] = bad
    for func in FUNCS:
        with pytest.raises(TypeError) as info:
            func(x)
        assert "x[%d][%d] is %r" % (i, j, bad) in str(info.value)
