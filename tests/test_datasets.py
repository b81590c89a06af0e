"""nnref.datasets against nnfs 0.5.1 on NumPy float64, as recorded by
tools/record_fixtures.py in tests/fixtures/datasets_float64.json."""

import json
import math
import os

import pytest
from hypothesis import given, strategies as st

import nnref
from nnref import datasets
from nnref.datasets import sine_data, spiral_data, vertical_data
from nnref.rng import RandomState, _default

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

with open(os.path.join(FIXTURES, "datasets_float64.json")) as _f:
    DATA = json.load(_f)

SPIRALS = DATA["spiral"]
VERTICALS = DATA["vertical"]
SINES = DATA["sine"]


def case_id(case):
    return "%(samples)dx%(classes)d-seed%(seed)d" % case


def hex_rows(rows):
    return [[v.hex() for v in row] for row in rows]


@pytest.fixture(autouse=True)
def reset_default():
    yield
    nnref.seed(0)  # leave the default generator as a fresh import has it


def test_fixtures_are_float64_without_nnfs_init():
    for case in SPIRALS + VERTICALS:
        assert (case["X_dtype"], case["y_dtype"]) == ("float64", "uint8")
    for case in SINES:
        assert (case["X_dtype"], case["y_dtype"]) == ("float64", "float64")


# ------------------------------------------------------------ against nnfs

@pytest.mark.parametrize("case", SPIRALS, ids=[case_id(c) for c in SPIRALS])
def test_spiral_data_matches_nnfs_bit_for_bit(case):
    rs = RandomState(case["seed"])
    X, y = spiral_data(case["samples"], case["classes"], rng=rs)
    assert hex_rows(X) == case["X"]
    assert y == case["y"]
    # The caller's generator is left exactly where nnfs leaves NumPy's.
    assert [v.hex() for v in rs.randn(3)] == case["after_randn3"]


@pytest.mark.parametrize("case", VERTICALS, ids=[case_id(c) for c in VERTICALS])
def test_vertical_data_matches_nnfs_bit_for_bit(case):
    rs = RandomState(case["seed"])
    X, y = vertical_data(case["samples"], case["classes"], rng=rs)
    assert hex_rows(X) == case["X"]
    assert y == case["y"]
    assert [v.hex() for v in rs.randn(3)] == case["after_randn3"]


@pytest.mark.parametrize("case", SINES, ids=[str(c["samples"]) for c in SINES])
def test_sine_data_matches_nnfs_bit_for_bit(case):
    X, y = sine_data(case["samples"])
    assert [row[0].hex() for row in X] == case["X"]
    assert [row[0].hex() for row in y] == case["y"]
    assert all(len(row) == 1 for row in X + y)


def test_sine_data_default_is_1000_samples():
    X, y = sine_data()
    assert [row[0].hex() for row in y] == SINES[0]["y"]


@pytest.mark.parametrize("func, case", [(spiral_data, SPIRALS[0]), (spiral_data, SPIRALS[-1]),
                                        (vertical_data, VERTICALS[0])])
def test_rng_none_draws_from_the_default_generator(func, case):
    nnref.seed(case["seed"])
    X, y = func(case["samples"], case["classes"])
    assert hex_rows(X) == case["X"]
    assert y == case["y"]
    assert [v.hex() for v in _default().randn(3)] == case["after_randn3"]


def test_pure_python_generator_gives_the_same_data():
    case = SPIRALS[2]
    X, _ = spiral_data(case["samples"], case["classes"], rng=RandomState(case["seed"], _pure=True))
    assert hex_rows(X) == case["X"]
    case = VERTICALS[1]
    X, _ = vertical_data(case["samples"], case["classes"], rng=RandomState(case["seed"], _pure=True))
    assert hex_rows(X) == case["X"]


@pytest.mark.parametrize("case", DATA["linspace"], ids=lambda c: "%s..%s/%d" % (c["start"], c["stop"], c["num"]))
def test_linspace_matches_numpy_bit_for_bit(case):
    values = datasets._linspace(float.fromhex(case["start"]), float.fromhex(case["stop"]), case["num"])
    assert [v.hex() for v in values] == case["values"]


# ------------------------------------------------------------ structure

def test_labels_are_ints_in_class_order():
    X, y = spiral_data(5, 4, rng=RandomState(1))
    assert y == [0] * 5 + [1] * 5 + [2] * 5 + [3] * 5
    assert all(type(label) is int for label in y)
    assert len(X) == 20 and all(len(row) == 2 and all(type(v) is float for v in row) for row in X)
    X, y = vertical_data(2, 3, rng=RandomState(1))
    assert y == [0, 0, 1, 1, 2, 2]


def test_spiral_points_lie_on_the_radius_linspace():
    # r * (sin t, cos t) has length r = i / (samples - 1), up to rounding.
    samples = 9
    X, _ = spiral_data(samples, 3, rng=RandomState(5))
    for c in range(3):
        for i in range(samples):
            x0, x1 = X[c * samples + i]
            assert abs(math.hypot(x0, x1) - i / (samples - 1)) <= 4e-16


def test_spiral_angles_follow_each_class_sector():
    # Without noise the angle would be 2.5 * linspace(4c, 4c + 4); the noise
    # is 0.2 * N(0, 1), so the recovered angle stays near it.
    samples = 50
    X, _ = spiral_data(samples, 2, rng=RandomState(0))
    for c in range(2):
        x0, x1 = X[c * samples + samples - 1]  # radius 1, angle 2.5 * (4c + 4 + noise)
        expected = 2.5 * (4 * c + 4)
        diff = math.atan2(x0, x1) - expected
        diff = (diff + math.pi) % (2 * math.pi) - math.pi
        assert abs(diff) < 2.5 * 0.2 * 5  # five standard deviations


def test_vertical_blobs_are_centred_on_their_class():
    X, _ = vertical_data(400, 3, rng=RandomState(0))
    for c in range(3):
        rows = X[c * 400:(c + 1) * 400]
        mean0 = sum(r[0] for r in rows) / 400
        mean1 = sum(r[1] for r in rows) / 400
        # standard error 0.1 / sqrt(400) = 0.005; allow five of them
        assert abs(mean0 - c / 3) < 0.025
        assert abs(mean1 - 0.5) < 0.025


def test_sine_x_is_correctly_rounded_i_over_samples():
    X, y = sine_data(10)
    assert [row[0] for row in X] == [i / 10 for i in range(10)]
    assert y[0] == [0.0]
    assert y[5] == [math.sin(2 * math.pi * 0.5)]


def test_empty_sizes_give_empty_lists_and_draw_nothing():
    rs = RandomState(0)
    assert spiral_data(0, 3, rng=rs) == ([], [])
    assert spiral_data(3, 0, rng=rs) == ([], [])
    assert vertical_data(0, 2, rng=rs) == ([], [])
    assert sine_data(0) == ([], [])
    assert rs.get_state()[2] == 624  # nothing drawn


def test_one_sample_per_class_is_the_origin():
    X, y = spiral_data(1, 3, rng=RandomState(0))
    assert y == [0, 1, 2]
    assert all(abs(v) == 0.0 for row in X for v in row)


def test_results_are_fresh_lists():
    X1, y1 = spiral_data(3, 2, rng=RandomState(0))
    X2, y2 = spiral_data(3, 2, rng=RandomState(0))
    assert X1 == X2 and X1 is not X2 and X1[0] is not X2[0] and y1 is not y2
    S1, T1 = sine_data(3)
    S2, T2 = sine_data(3)
    assert S1 == S2 and S1[0] is not S2[0] and T1[0] is not T2[0]


# ------------------------------------------------------------ validation

@pytest.mark.parametrize("func", [spiral_data, vertical_data])
@pytest.mark.parametrize("bad", [True, False, 3.0, "3", None, [3]])
def test_non_int_sizes_are_type_errors(func, bad):
    name = func.__name__
    with pytest.raises(TypeError, match="%s: samples must be an int" % name):
        func(bad, 2)
    with pytest.raises(TypeError, match="%s: classes must be an int" % name):
        func(2, bad)


@pytest.mark.parametrize("bad", [True, 3.0, "3", None])
def test_sine_data_rejects_non_int_samples(bad):
    with pytest.raises(TypeError, match="sine_data: samples must be an int"):
        sine_data(bad)


def test_negative_sizes_are_value_errors():
    with pytest.raises(ValueError, match="spiral_data: samples must be non-negative, got -1"):
        spiral_data(-1, 3)
    with pytest.raises(ValueError, match="spiral_data: classes must be non-negative, got -2"):
        spiral_data(3, -2)
    with pytest.raises(ValueError, match="vertical_data: classes"):
        vertical_data(3, -1)
    with pytest.raises(ValueError, match="sine_data: samples"):
        sine_data(-5)


@pytest.mark.parametrize("func", [spiral_data, vertical_data])
def test_rng_must_be_a_random_state(func):
    with pytest.raises(TypeError, match="%s: rng must be a nnref.RandomState" % func.__name__):
        func(2, 2, rng=0)


# ------------------------------------------------------------ linspace maths

@given(st.integers(-50, 50), st.integers(-50, 50), st.integers(0, 200))
def test_linspace_endpoints_and_order(start, stop, num):
    values = datasets._linspace(start, stop, num)
    assert len(values) == num
    if num:
        assert values[0] == start
    if num > 1:
        assert values[-1] == stop
        # i * step + start is monotone in i (rounding is monotone).
        pairs = zip(values, values[1:])
        if start <= stop:
            assert all(a <= b for a, b in pairs)
        else:
            assert all(a >= b for a, b in pairs)
