"""Absurd sizes fail at once with a ValueError, before any work (docs/spec.md, "Sizes").

A size, and the number of elements of an array a call builds, is at most
10**8 (``nnref._base.checks.MAX_ELEMENTS``).  Before, ``matrix.zeros((10**20,))``
raised an unrelated ``OverflowError`` and ``RandomState(0).randn(10**12)`` ran
until memory ran out.
"""

import time

import pytest

import nnref
from nnref import book, datasets, matrix
from nnref._base import checks
from nnref.rng import RandomState

ABSURD = [
    ("randn(10**12)", lambda: RandomState(0).randn(10 ** 12)),
    ("randn(2**63)", lambda: RandomState(0).randn(2 ** 63)),
    ("randn(10**20)", lambda: RandomState(0).randn(10 ** 20)),
    ("randn(10**6, 10**6)", lambda: RandomState(0).randn(10 ** 6, 10 ** 6)),
    ("randn(10**4, 10**4, 10)", lambda: RandomState(0).randn(10 ** 4, 10 ** 4, 10)),
    ("random_sample(10**12)", lambda: RandomState(0).random_sample(10 ** 12)),
    ("random_sample((10**5, 10**5))", lambda: RandomState(0).random_sample((10 ** 5, 10 ** 5))),
    ("zeros((10**20,))", lambda: matrix.zeros((10 ** 20,))),
    ("zeros(10**20)", lambda: matrix.zeros(10 ** 20)),
    ("zeros(2**63)", lambda: matrix.zeros(2 ** 63)),
    ("zeros((10**5, 10**5))", lambda: matrix.zeros((10 ** 5, 10 ** 5))),
    ("zeros((0, 10**20))", lambda: matrix.zeros((0, 10 ** 20))),
    ("zeros([10**9])", lambda: matrix.zeros([10 ** 9])),
    ("spiral_data(10**12, 3)", lambda: datasets.spiral_data(10 ** 12, 3)),
    ("spiral_data(3, 10**12)", lambda: datasets.spiral_data(3, 10 ** 12)),
    ("spiral_data(10**7 * 2, 3)", lambda: datasets.spiral_data(10 ** 7 * 2, 3)),
    ("spiral_data(10**4, 10**4)", lambda: datasets.spiral_data(10 ** 4, 10 ** 4)),
    ("vertical_data(10**12, 3)", lambda: datasets.vertical_data(10 ** 12, 3)),
    ("sine_data(10**12)", lambda: datasets.sine_data(10 ** 12)),
    ("book.spiral_data(10**12, 3)", lambda: book.spiral_data(10 ** 12, 3)),
    ("book.vertical_data(10**8, 10**8)", lambda: book.vertical_data(10 ** 8, 10 ** 8)),
    ("Dense(10**9, 10**9)", lambda: nnref.Dense(10 ** 9, 10 ** 9)),
    ("Dense(10**5, 10**5)", lambda: nnref.Dense(10 ** 5, 10 ** 5)),
    ("Dense(1, 10**9)", lambda: nnref.Dense(1, 10 ** 9)),
    ("book.Layer_Dense(10**9, 10**9)", lambda: book.Layer_Dense(10 ** 9, 10 ** 9)),
]


@pytest.mark.parametrize("name,call", ABSURD, ids=[n for n, _ in ABSURD])
def test_absurd_sizes_fail_at_once(name, call):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"more than nnref's limit of 10\*\*8 elements per array"):
        call()
    assert time.perf_counter() - start < 1.0, name


def test_nothing_is_drawn_before_the_check():
    rs = RandomState(0)
    before = rs.get_state()
    with pytest.raises(ValueError):
        rs.randn(3, 10 ** 8)
    with pytest.raises(ValueError):
        datasets.spiral_data(10 ** 8, 2, rng=rs)
    with pytest.raises(ValueError):
        nnref.Dense(10 ** 5, 10 ** 4, rng=rs)
    after = rs.get_state()
    assert after[1] == before[1] and after[2:] == before[2:]


def test_the_limit_itself_is_a_size():
    assert checks.MAX_ELEMENTS == 10 ** 8
    assert checks.check_size("f", "n", 10 ** 8) == 10 ** 8
    assert checks.check_count("f", "X", 10 ** 8) == 10 ** 8
    with pytest.raises(ValueError, match=r"f: n is 100000001, more than nnref's limit"):
        checks.check_size("f", "n", 10 ** 8 + 1)
    with pytest.raises(ValueError, match=r"f: X would have 100000001 elements, more than"):
        checks.check_count("f", "X", 10 ** 8 + 1)


@pytest.fixture
def limit_of_six(monkeypatch):
    # The same checks with a small limit, to see where each call draws the line.
    monkeypatch.setattr(checks, "MAX_ELEMENTS", 6)


@pytest.mark.parametrize("call,allowed", [
    (lambda: matrix.zeros((2, 3)), True), (lambda: matrix.zeros((2, 4)), False),
    (lambda: matrix.zeros(6), True), (lambda: matrix.zeros(7), False),
    (lambda: matrix.zeros((7, 0)), False),
    (lambda: RandomState(0).randn(6), True), (lambda: RandomState(0).randn(7), False),
    (lambda: RandomState(0).randn(3, 2), True), (lambda: RandomState(0).randn(3, 3), False),
    (lambda: RandomState(0).random_sample((1, 2, 3)), True),
    (lambda: RandomState(0).random_sample((2, 2, 2)), False),
    (lambda: datasets.spiral_data(3, 1), True), (lambda: datasets.spiral_data(2, 2), False),
    (lambda: datasets.vertical_data(1, 3), True), (lambda: datasets.vertical_data(4, 1), False),
    (lambda: datasets.sine_data(6), True), (lambda: datasets.sine_data(7), False),
    (lambda: nnref.Dense(2, 3), True), (lambda: nnref.Dense(7, 1), False),
    (lambda: nnref.Dense(3, 3), False), (lambda: book.Layer_Dense(3, 3), False),
])
def test_where_the_limit_falls(limit_of_six, call, allowed):
    if allowed:
        call()
    else:
        with pytest.raises(ValueError, match="limit"):
            call()
