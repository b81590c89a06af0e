"""Edges of small contracts that a mutation tester found untested.

Each test pins one boundary that a one-line change (a constant nudged by one, a
comparison that admits its bound, a dropped raise) would move:

- the packed accumulator's slot width, on a sum that needs its last bit;
- ``summary``'s limits on what it prints whole (depth 8, 1000 items, 10**30);
- an unreadable results line's reason, given as it is;
- ``matrix.add_row`` refusing a vector that is neither (m,) nor (1, m);
- the Taylor bound behind ``exact.sigmoid_backward``'s refinement.

The mutants of ``tools/mutants_lower_bound.py --seed 1`` and ``--seed 2`` (the shared
tester's samples of 150) that the suite leaves alive, and why:

- equivalent (no input gives another result): in ``is_negative_zero``,
  ``copysign(1.0, x) < 0.0`` with ``<=``; in ``all_finite``, ``total - total == 0.0``
  with ``+`` or ``== 1.0`` (the per-element loop then gives the same answer);
  ``n < 0`` with ``n < 1`` in ``bit_length`` and ``num < 0`` with ``<=`` in
  ``round_ratio`` (0 either way); ``k = len(inputs[0]) if inputs else 1`` with
  ``else 0`` in ``_scale_batch`` (never empty there); ``lowest = 0`` with ``1`` in
  ``dense_rows`` (a variable nothing reads); ``k >= 0`` with ``> 0`` and
  ``low >= 0`` with ``> 0`` in the exact losses (a shift or power of 0 is 1); an
  exact term's coefficient ``c = term[0]`` read as ``term[1]`` in a loop that does
  not use it, and ``term[0] > 0`` with ``>=`` (a zero coefficient adds 0);
  ``else 0`` with ``else 1`` in ``exact.softmax_crossentropy_backward``'s one-hot
  of no rows; the probe classes' lie 99 with 100; ``spiral_data(100, 3)`` with 4
  classes in the vectors' builder (the same first rows: the vectors file is
  unchanged); constants in the self-check's inputs that leave its expected value;
- a fast path or a shortcut lost, the result the same: ``b == 1.0`` with ``0.0``
  and the Sterbenz window's constants in ``difference_over``; the hex parser's
  ``top = 4 * len(...)`` with 5 (both sides of the threshold round to 0 or inf);
  the refinement's ``digits *= 2`` with 3;
- no input found: ``book.shortest_digits`` trying ``base + 1`` twice instead of
  ``base - 1`` (400,000 random float32 and float64 values and every binade's edge
  give the same digits); the exact softmax gradient's ``drop = 231 * (digits +
  10) // 100 + 1`` with ``+ 0`` (the bound below which a term is dropped; without
  the + 1 it can fall short of (digits + 10) * ln 10 by less than one, which only
  a term within e**-1 of that edge could show);
- the ONNX, PyTorch and JAX adapters' constants: those libraries are not in the
  test interpreter; ``tools/ci/20-crosscheck.sh`` runs each adapter against the
  vectors in its own venv.  (The NumPy adapter is held to its vectors here,
  wherever NumPy is importable: ``tests/test_crosscheck.py``.)

Three more mutants make a selection hang (the tester counts a timeout as a kill;
the lower bound does not).
"""

from fractions import Fraction

import pytest

import nnref
from nnref import matrix
from nnref.conformance import VectorFormatError
from nnref.conformance._check import summary
from nnref.conformance._format import Unreadable, decode_outcome
from nnref.exact import _gradients as exact_gradients

M = float(2 ** 53 - 1)        # the largest odd integer a float holds


def test_a_slot_holds_a_sum_that_needs_every_bit():
    # 64 products of (2**53 - 1) * (2**53 - 1): the sum is just below 2**112,
    # so its signed slot needs 113 bits; one bit less overflows into the sign.
    got = nnref.dense([[M] * 64], [[M, -M]] * 64, [0.0, 0.0])
    exact = 64 * (2 ** 53 - 1) ** 2
    assert got == [[float(exact), float(-exact)]]
    assert got == nnref.exact.dense([[M] * 64], [[M, -M]] * 64, [0.0, 0.0])


def nested(depth):
    value = 1.0
    for _ in range(depth):
        value = [value]
    return value


def test_summary_prints_plain_outputs_up_to_its_limits():
    assert summary(nested(8)) == repr(nested(8))           # lists at depths 0 to 7
    assert summary(nested(9)) == "a list of 1"
    assert summary([0.0] * 999).startswith("[0.0, 0.0, ")        # printed, then cut
    assert summary([0.0] * 1000) == "a list of 1000"
    assert summary([10 ** 30 - 1]) == "[%d]" % (10 ** 30 - 1)
    assert summary([10 ** 30]) == "a list of 1"
    assert summary([-10 ** 30]) == "a list of 1"
    assert summary({"X": nested(7), "y": [1.0]}) == repr({"X": nested(7), "y": [1.0]})
    assert summary({"X": nested(8), "y": [1.0]}).startswith("a dict")


def test_an_unreadable_line_is_reported_by_its_own_reason():
    with pytest.raises(VectorFormatError) as caught:
        decode_outcome("relu", 3, Unreadable("line 3: a tcId and nothing else"))
    assert str(caught.value) == "line 3: a tcId and nothing else"
    with pytest.raises(VectorFormatError) as caught:
        decode_outcome("relu", 3, Unreadable("an integer of 400 digits, too large for a float", True))
    assert str(caught.value) == "output is an integer of 400 digits, too large for a float"


@pytest.mark.parametrize("vector", [[[1.0, 2.0], [3.0, 4.0]], 2.0, [[[1.0, 2.0]]]])
def test_add_row_refuses_a_vector_of_another_shape(vector):
    with pytest.raises((ValueError, TypeError), match="add_row: vector"):
        matrix.add_row([[1.0, 2.0]], vector)


def test_add_row_takes_a_vector_or_one_row():
    assert matrix.add_row([[1.0, 2.0]], [0.5, 0.25]) == [[1.5, 2.25]]
    assert matrix.add_row([[1.0, 2.0]], [[0.5, 0.25]]) == [[1.5, 2.25]]


@pytest.mark.parametrize("a_int,a_exp", [(1, -1), (3, -2), (5, -3), (2 ** 52 + 1, -60)])
def test_the_taylor_cap_is_one_minus_a_plus_half_a_squared(a_int, a_exp):
    a = Fraction(a_int) * Fraction(2) ** a_exp
    num, den = exact_gradients._taylor_cap(a_int, a_exp)
    assert Fraction(num, den) == 1 - a + a * a / 2


# What the self-check says when a value differs: the place, or "result" for the whole.
MISMATCHES = [
    (([1.0], (1.0,), None), "got [1.0] (list), expected a tuple"),
    (([1.0], [1.0, 2.0], None), "got 1 elements, expected 2"),
    ((1, 1.0, None), "got 1 (int), expected 1.0 (float)"),
    (("a", "b", None), "got 'a', expected 'b'"),
    ((1.0, float("nan"), None), "got 1.0, expected nan"),
    ((0.0, -0.0, None), "got 0.0, expected -0.0 bit for bit"),
    ((1.0, float("inf"), 2), "got 1.0, expected inf"),
    ((1.0, 1.0 + 2 ** -50, 2), "got 1.0, expected 1.0000000000000009: 4 ULP apart, more than 2"),
]


@pytest.mark.parametrize("arguments,message", MISMATCHES)
def test_selfcheck_mismatches_name_the_place(arguments, message):
    from nnref import _selfcheck
    actual, expected, max_ulp = arguments
    for where, shown in (("", "result"), ("relu(x)[2]", "relu(x)[2]")):
        with pytest.raises(_selfcheck._Mismatch) as caught:
            _selfcheck._compare(actual, expected, where, max_ulp)
        assert str(caught.value) == "%s: %s" % (shown, message)


def test_a_wrong_zero_sign_counts_one_ulp_in_the_reason():
    from nnref.conformance._check import check_case
    test = {"tcId": 1, "result": "valid", "expected": [-0.0, 0.0, 1.0],
            "tolerance": {"rule": "exact", "ulp": 0, "signedZero": True}}
    passed, _, reason, _ = check_case(test, ("value", [0.0, -0.0, 1.0]))
    assert not passed
    assert reason == "2 of 3 elements outside the tolerance; worst: got 0.0, expected -0.0 (1 ULP) at [0]"


@pytest.mark.parametrize("values,tail", [
    ([0.1, 0.2, 0.5], "(1 more actual value is not a float32 value either)"),
    ([0.1, 0.2, 0.3], "(2 more actual values are not float32 values either)"),
])
def test_assert_close_counts_the_other_values_outside_the_format(values, tail):
    from nnref.testing import assert_close
    with pytest.raises(AssertionError) as caught:
        assert_close(values, values, dtype="float32")
    assert str(caught.value).endswith(tail)


def test_vectors_files_keep_non_ascii_text_as_it_is():
    from nnref.conformance._format import dumps
    text = dumps({"notes": "±0 …", "xs": [1.0, "é"]})
    assert text == '{"notes": "±0 …", "xs": [1.0, "é"]}\n'


@pytest.mark.parametrize("text", ["x1", "1.2.3", "1e", "--1", "e5", ""])
def test_a_dec_that_is_not_a_number_is_a_format_error(text):
    # Characters outside a number's, and numbers' characters that still don't parse.
    with pytest.raises(VectorFormatError) as caught:
        decode_outcome("relu", 3, [{"dec": text}])
    assert str(caught.value) == "output[0]: dec %r is not a number" % text


@pytest.mark.parametrize("a,b,count", [(0.5, -1.0, 3), (0.3, -1.0, 7), (-0.25, -1.0, 1), (0.1, 1.0, 3),
                                       (5e-324, 1.0, 300), (1.5, -2.0, 3), (0.75, 0.5, 3)])
def test_difference_over_any_pair_is_rounded_once(a, b, count):
    from nnref.losses import difference_over
    from test_exact_narrow import nearest
    assert difference_over(a, b, count) == nearest((Fraction(a) - Fraction(b)) / count, "float64")


def test_an_exact_sum_of_2_to_the_1024_overflows():
    # The integers of x = [2**1000, 2**1000 + 2**948] are [2**52, 2**52 + 1] times
    # 2**948, those of w = [-(2**52 + 2), 2**52 + 1] times 2**76: the exact sum is
    # 1 * 2**1024, just past the largest float, so inf (plain floats give
    # inf - inf = NaN).  2**1024 is no float: the packed rows apply it as two
    # factors, 2**24 and 2**1000; one of 2**23 instead would give 2**1023.
    inputs = [[2.0 ** 1000, 2.0 ** 1000 + 2.0 ** 948]]
    weights = [[-(2.0 ** 52 + 2) * 2.0 ** 76], [(2.0 ** 52 + 1) * 2.0 ** 76]]
    assert nnref.dense(inputs, weights, [0.0]) == [[float("inf")]]
    assert nnref.dense(inputs, [[-w for w in row] for row in weights], [0.0]) == [[-float("inf")]]
    assert nnref.dense(inputs, [[w / 2 for w in row] for row in weights], [0.0]) == [[2.0 ** 1023]]


@pytest.mark.parametrize("tolerances,bound", [({"rtol": 0.01}, "0.01"), ({"atol": 0.01}, "0.01"),
                                              ({"rtol": 0.01, "atol": 0.01}, "0.02"), ({}, None)])
def test_assert_close_shows_the_bound_whenever_there_is_one(tolerances, bound):
    from nnref.testing import assert_close
    with pytest.raises(AssertionError) as caught:
        assert_close([1.1], [1.0], **tolerances)
    last = str(caught.value).splitlines()[-1]
    assert last.startswith("worst at [0]: actual 1.1 (0x1.199999999999ap+0), expected 1.0 "
                           "(0x1.0000000000000p+0): 450359962737050 ULP apart, "
                           "|actual - expected| = 0.1 (relative 0.1)")
    if bound is None:
        assert last.endswith("(relative 0.1)")
    else:
        assert last.endswith("; 0.10000000000000009 > atol + rtol * |expected| = %s" % bound)


def test_a_hex_exponent_may_have_twelve_characters_and_no_more():
    from nnref.conformance._format import parse_hex
    assert parse_hex("0x1p+00000000001") == 2.0            # "+00000000001": 12 characters
    assert parse_hex("0x1p-00000000001") == 0.5
    assert parse_hex("0x1p000000000003") == 8.0
    with pytest.raises(VectorFormatError, match="has a bad exponent"):
        parse_hex("0x1p+000000000001")                     # 13


def test_an_output_just_below_the_smallest_normal_is_rounded_once():
    # 2**-500 * 2**-522 - 2**-500 * 38 * 2**-580 = 2**-1022 - 38 * 2**-1080, which
    # rounds to 2**-1022 - 2**-1074 (0.406 of a step away, against 0.594).  The
    # packed rows round it twice, to 53 bits and then to the subnormals' grid,
    # and the second rounding is a tie that goes to 2**-1022: every output up
    # to 2**-1022 inclusive is recomputed by the exact dot.
    got = nnref.dense([[2.0 ** -500, 2.0 ** -500]], [[2.0 ** -522], [-38 * 2.0 ** -580]], [0.0])
    exact = Fraction(2) ** -1022 - 38 * Fraction(2) ** -1080
    assert got == [[float(exact)]] == [[2.0 ** -1022 - 2.0 ** -1074]]


@pytest.mark.parametrize("xlim,ylim,lines", [
    ((-1.0, 1.0), (-2.0, 2.0), ['x1="50" y1="0" x2="50" y2="100"', 'x1="0" y1="50" x2="100" y2="50"']),
    ((0.5, 2.0), (-2.0, 2.0), ['x1="0" y1="50" x2="100" y2="50"']),      # 1 inside, 0 not
    ((-2.0, -0.5), (0.0, 3.0), []),                                        # 0 on the edge: no line
    ((0.0, 2.0), (0.5, 3.0), []),
])
def test_zero_lines_are_drawn_only_where_zero_is_inside_the_window(xlim, ylim, lines):
    from nnref.cli.svg import Panel
    drawn = [line for line in Panel(0, 0, 100, 100, xlim, ylim)._zero_lines()]
    assert [line.split("<line class=\"zero\" ")[1].split(" stroke")[0] for line in drawn] == lines
