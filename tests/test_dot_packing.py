"""nnref._base.dot's packed accumulator, against exact rational arithmetic, on both of its paths.

CPython runs only the ``_FLOAT_INT_ROUNDS`` branch of ``_round_rows`` (float(int)
rounds correctly) and the ``itertools.chain`` flattening.  MicroPython runs the
other branch (slots read one by one, rounded with ``round_scaled``, the offset
taken off by hand) and the plain loop.  So that CPython tests that code too, this
file loads a second copy of nnref/_base/dot.py, the file itself, with the two
feature tests answered as MicroPython answers them, and checks both copies
against ``fractions.Fraction``: every output must be the exact
``sum(x * w) + b`` rounded once (``float(Fraction)`` rounds correctly).
"""

import ast
from fractions import Fraction

from hypothesis import given, strategies as st

from support import same

import nnref._base.dot as cpython_dot


def _load_micropython_copy():
    # nnref/_base/dot.py as MicroPython runs it: each top-level try that
    # imports from operator or itertools runs its except branch instead (no
    # operator.mul, no chain.from_iterable), and _FLOAT_INT_ROUNDS is False,
    # set right after the module computes it.
    path = cpython_dot.__file__
    with open(path) as f:
        tree = ast.parse(f.read())
    body = []
    for node in tree.body:
        if isinstance(node, ast.Try) and any(isinstance(n, ast.ImportFrom) and n.module in ("operator", "itertools")
                                             for n in node.body):
            body.extend(node.handlers[0].body)
            continue
        body.append(node)
        targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
        if "_FLOAT_INT_ROUNDS" in targets:
            body.append(ast.parse("_FLOAT_INT_ROUNDS = False").body[0])
    tree.body = body
    namespace = {"__name__": "nnref._base._dot_as_micropython", "__package__": "nnref._base"}
    exec(compile(ast.fix_missing_locations(tree), path, "exec"), namespace)
    assert namespace["_FLOAT_INT_ROUNDS"] is False and namespace["_elements"] is None
    assert namespace["mul"].__module__ == "nnref._base._dot_as_micropython"      # the fallback
    return namespace


MICRO = _load_micropython_copy()
PATHS = [("cpython", cpython_dot.dense_rows), ("micropython", MICRO["dense_rows"])]


def exact_dense(inputs, weights, biases):
    m = len(biases)
    return [[float(sum((Fraction(x) * Fraction(w[j]) for x, w in zip(row, weights)), Fraction(biases[j])))
             for j in range(m)] for row in inputs]


def check(inputs, weights, biases):
    expected = exact_dense(inputs, weights, biases)
    for name, dense_rows in PATHS:
        got = dense_rows(inputs, weights, biases)
        assert len(got) == len(expected), name
        for got_row, want_row in zip(got, expected):
            assert len(got_row) == len(want_row), name
            for g, w in zip(got_row, want_row):
                if w == 0.0:
                    assert g == 0.0, (name, inputs, weights, biases, got, expected)
                else:
                    assert same(g, w), (name, inputs, weights, biases, got, expected)


def test_micropython_copy_takes_the_other_branches():
    # The copy's _round_rows is the slot-by-slot one (it reads packed.half and
    # packed.bounds, which the CPython branch never touches), and its mul is
    # the plain-Python fallback.
    assert "bounds" in MICRO["_round_rows"].__code__.co_names
    assert "bounds" not in cpython_dot._round_rows.__code__.co_names
    assert MICRO["mul"](3, -7) == -21 and MICRO["mul"](0.5, 0.25) == 0.125


def test_negative_and_positive_outputs_side_by_side():
    # Negative slots borrow from their neighbours unless the offset is right.
    check([[1.0, 2.0], [-3.0, 0.5]], [[1.0, -1.0, 2.0], [-4.0, 0.25, -0.5]], [0.5, -0.25, 3.0])


def test_no_bias_and_cancelling_sums():
    check([[1.0, 1.0], [2.0, -2.0]], [[1.0, -1.0], [1.0, -1.0]], [0.0, 0.0])
    check([[1.0, -1.0]], [[3.0], [3.0]], [0.0])


def test_inexact_sums_round_once():
    # 0.1 * 3 + 0.2 is not a float: each output is the exact sum rounded once.
    check([[0.1, 0.2, 0.3]], [[3.0, 0.1], [1.0, 0.7], [1e-17, -0.3]], [0.2, 1e-16])
    check([[1.0, 2.0 ** -60]], [[1.0], [1.0]], [2.0 ** 53])


def test_wide_rows_and_tiny_scales():
    # Rows spread over many binades (each row scaled on its own) and results
    # down near the subnormals.
    check([[1e-300, 1.0], [1e200, -1e-200]], [[1e-10, 3.0], [2.0, -1e-5]], [1e-310, 0.0])
    check([[2.0 ** -1000, 2.0 ** -40]], [[2.0 ** -30, 1.0], [1.0, 2.0 ** -1000]], [0.0, 2.0 ** -1074])


def test_pack_slots_is_the_sum_of_shifted_slots():
    for slot_bytes in (1, 2, 3, 8):
        half = 2 ** (8 * slot_bytes - 1)
        values = [half - 1, -half, 0, 1, -1, -(half // 3)]
        offset = sum(half << (8 * slot_bytes * j) for j in range(len(values)))
        expected = sum(v << (8 * slot_bytes * j) if v >= 0 else -((-v) << (8 * slot_bytes * j))
                       for j, v in enumerate(values))
        for dot in (cpython_dot.__dict__, MICRO):
            assert dot["_pack_slots"](values, slot_bytes, offset) == expected


def test_packed_fields():
    # Slots of S bits hold |s[j]| < 2**(S-1); H = 2**(S-1); OFFSET puts H in every slot.
    for dot in (cpython_dot.__dict__, MICRO):
        scaled = [([3, -5, 7], -2), ([1, 0, -1], 0)]   # two columns: 2 weights and a bias each
        packed = dot["_Packed"](scaled, 10)
        s = packed.slot_bytes
        assert s == (10 + 4 + 1 + 7) // 8          # widest column: |3| + |-5| + |7| = 15, 4 bits
        assert packed.half == 2 ** (8 * s - 1)
        assert packed.offset == sum(packed.half << (8 * s * j) for j in range(2))
        assert packed.bounds == [(0, s), (s, 2 * s)]
        assert packed.length == 2 * s
        assert packed.exponents == [-2, 0]
        assert packed.column_scales == [0.25, 1.0]
        assert packed.weight_rows == [3 + (1 << (8 * s)), -5]
        assert packed.bias_row == 7 - (1 << (8 * s))
        assert packed.start(-3) == ((7 - (1 << (8 * s))) << 3) + packed.offset


small = st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 0.1, -0.3, 1e-20, 7e15, -1e30, 2.0 ** -1060])


@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 4), st.data())
def test_both_paths_round_the_exact_sum_once(n, k, m, data):
    inputs = [[data.draw(small) for _ in range(k)] for _ in range(n)]
    weights = [[data.draw(small) for _ in range(m)] for _ in range(k)]
    biases = [data.draw(small) for _ in range(m)]
    check(inputs, weights, biases)


def test_zero_signs_follow_ieee():
    # An exact zero is -0.0 only when every product and the bias are -0.0.
    for name, dense_rows in PATHS:
        out = dense_rows([[-0.0, 1.0]], [[1.0, 1.0], [0.0, -0.0]], [-0.0, -0.0])
        assert same(out[0][0], 0.0) and same(out[0][1], -0.0), (name, out)
        out = dense_rows([[1.0, -1.0]], [[1.0], [1.0]], [-0.0])      # 1 - 1 + -0 is +0 in IEEE
        assert same(out[0][0], 0.0), (name, out)
        out = dense_rows([[-0.0]], [[0.0]], [-0.0])                   # -0 * 0 + -0 is -0
        assert same(out[0][0], -0.0), (name, out)
