"""nnref._base.checks' readers of subclasses: which one CPython picks, how
``_pick`` chooses, and the MicroPython fallbacks (``_negated_twice``,
``_sliced``, ``_defines``) called directly, against the readers CPython uses.

MicroPython has none of the readers (``read_float`` and the others are None
there), so it reads a subclass by negating twice or slicing, unless the class
defines ``__neg__`` or ``__getitem__`` itself; here those fallbacks are run on
CPython, and the reading rule is checked with the readers switched off.

Equivalent mutants left alive: the values the probe classes lie with
(``_LyingInt`` returning 99, ``_LyingFloat`` 99.0 ...): ``_pick`` needs only a
lie that differs from the stored value, and any other number does; and the
non-member each reader must refuse (``(1.0,)`` for ``list.copy``), where any
other tuple is refused the same way.
"""

import platform

import pytest

from nnref._base import checks


class F(float):
    pass


class LyingF(float):
    def __neg__(self):
        return 99.0


class GrandLyingF(LyingF):
    pass


class L(list):
    pass


class LyingL(list):
    def __getitem__(self, i):
        return 99


class T(tuple):
    pass


def test_the_stored_value_readers_picked_here():
    if platform.python_implementation() == "CPython":
        assert checks.read_float is float.conjugate
    else:   # PyPy's float.conjugate goes through a subclass's own methods (a lie)
        assert checks.read_float in (float.conjugate, float.__float__)
    assert checks._read_int is checks._int_add_zero
    assert checks._read_list is list.copy
    assert checks._read_tuple is checks._tuple_slice
    assert checks.read_float(LyingF(1.5)) == 1.5 and type(checks.read_float(LyingF(1.5))) is float


def test_pick_skips_readers_that_lie_raise_or_take_anything():
    def lying(v):
        return 99.0

    def raising(v):
        raise AttributeError("no")

    def takes_anything(v):
        return float(v)
    probe = checks._LyingFloat(1.5)
    good = checks.read_float    # float.conjugate on CPython, float.__float__ on PyPy
    assert checks._pick([lying, raising, takes_anything, good], probe, 1.5, float, 1) is good
    assert checks._pick([lying, raising, takes_anything], probe, 1.5, float, 1) is None
    assert checks._pick([], probe, 1.5, float, 1) is None
    # The lying classes lie where a naive reader would look.
    assert -checks._LyingFloat(1.5) == 99.0 and int(checks._LyingInt(3)) == 99
    assert checks._LyingList([1.0])[0] == 99 and list(checks._LyingTuple((1.0,))) == [99]


def test_defines_walks_the_bases_up_to_the_base_type():
    assert not checks._defines(F, float, "__neg__")          # float's own __neg__ does not count
    assert checks._defines(LyingF, float, "__neg__")
    assert checks._defines(GrandLyingF, float, "__neg__")    # inherited from a class below float
    assert not checks._defines(float, float, "__neg__")
    assert not checks._defines(object, float, "__neg__")
    assert checks._defines(LyingL, list, "__getitem__") and not checks._defines(L, list, "__getitem__")


def test_micropython_fallbacks_agree_with_cpythons_readers():
    for value in (F(2.5), F(-0.0), F(float("inf"))):
        twice = checks._negated_twice(value, float)
        assert type(twice) is float and repr(twice) == repr(checks.read_float(value))
    assert checks._negated_twice(LyingF(1.5), float) is None
    assert checks._negated_twice(GrandLyingF(1.5), float) is None
    assert checks._sliced(L([1.0, 2.0]), list) == checks._read_list(L([1.0, 2.0])) == [1.0, 2.0]
    assert type(checks._sliced(L([1.0]), list)) is list
    assert checks._sliced(T((1.0,)), tuple) == (1.0,) and type(checks._sliced(T((1.0,)), tuple)) is tuple
    assert checks._sliced(LyingL([1.0]), list) is None


@pytest.fixture
def no_readers(monkeypatch):
    for name in ("read_float", "_read_int", "_read_list", "_read_tuple"):
        monkeypatch.setattr(checks, name, None)


def test_the_reading_rule_without_readers(no_readers):
    # As on MicroPython: a plain subclass is read, a lying one is refused, with the note.
    assert checks.plain_number(F(2.5)) == 2.5 and type(checks.plain_number(F(2.5))) is float
    assert checks.plain_number(LyingF(2.5)) is None
    assert checks._stored(L([1.0]), list) == [1.0]
    assert checks._stored(LyingL([1.0]), list) is None
    assert "does not define __neg__ or __getitem__" in checks._subclass_note(LyingF(1.0))
    assert checks._subclass_note("x") == ""


def test_no_note_where_readers_exist():
    assert checks._subclass_note(LyingF(1.0)) == ""


def test_the_fast_path_guards():
    # _is_rectangular: a nonempty list or tuple of plain lists or tuples, all of one length.
    assert checks._is_rectangular([[1.0, 2.0], (3.0, 4.0)])
    assert checks._is_rectangular(([],))
    assert not checks._is_rectangular([[1.0, 2.0], [3.0]])
    assert not checks._is_rectangular([])
    assert not checks._is_rectangular([L([1.0])])
    assert not checks._is_rectangular([[1.0], "a"])
    # _all_float_rows: and every element exactly a float.
    assert checks._all_float_rows([[1.0, 2.0], [3.0, 4.0]])
    assert not checks._all_float_rows([[1.0, 2.0], [3.0, 4]])
    assert not checks._all_float_rows([[1.0, F(2.0)]])
