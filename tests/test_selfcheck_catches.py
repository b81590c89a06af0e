"""nnref's self-check catches deliberately wrong implementations.

Each check takes the package as an argument; here it gets the real nnref with
one function swapped for a broken one (a stand-in module), and the check must
raise.  The harness helpers (``_raises``, ``_exact``) are checked the same way.

Survivors left in nnref/_selfcheck.py: constants in the *inputs* of checks
whose answer does not depend on them (``m.shape([[1, 2, 3], [4, 5, 6]])`` with
another element value still has shape (2, 3)): only an implementation whose
shape depends on element values could tell them apart.
"""

import pytest

import nnref
from nnref import _selfcheck


class Swapped(object):
    """nnref with some attributes replaced."""

    def __init__(self, **replaced):
        self.__dict__.update(replaced)

    def __getattr__(self, name):
        return getattr(nnref, name)


def _check(name_start):
    return [check for name, _, check in _selfcheck._CHECKS if name.startswith(name_start)][0]


def test_every_check_passes_on_nnref():
    for name, _, check in _selfcheck._CHECKS:
        check(nnref)


def test_dense_k0_rows_must_be_new_lists():
    check = _check("dense: (0, k) and k == 0 shapes")

    def shares_the_bias_row(inputs, weights, biases):
        if inputs and not weights:
            return [biases[0], list(biases[0])][:len(inputs)]          # row 0 is the caller's list
        return nnref.dense(inputs, weights, biases)

    def one_row_twice(inputs, weights, biases):
        if inputs and not weights:
            row = list(biases[0])
            return [row] * len(inputs)
        return nnref.dense(inputs, weights, biases)
    for broken in (shares_the_bias_row, one_row_twice):
        with pytest.raises(_selfcheck._Mismatch, match="new copy of the biases for every row"):
            check(Swapped(dense=broken))


def test_activations_must_not_return_or_modify_their_input():
    check = _check("inputs never modified or returned")

    def returns_input(x):
        return x

    def returns_input_row(x):
        return [x[0]] if isinstance(x, list) and x and isinstance(x[0], list) else nnref.relu(x)

    def modifies(x):
        x[0][0] = 0.0
        return nnref.relu(x)
    for broken in (returns_input, returns_input_row):
        broken.__name__ = "relu"          # the check names the function it called
        with pytest.raises(_selfcheck._Mismatch, match="relu returned the caller's list"):
            check(Swapped(relu=broken))
    modifies.__name__ = "relu"
    with pytest.raises(_selfcheck._Mismatch, match="relu modified its input"):
        check(Swapped(relu=modifies))


def test_raises_requires_the_kind_and_every_word():
    def bad(*args):
        raise ValueError("inputs[1] has the wrong length")
    _selfcheck._raises(ValueError, ["inputs[1]", "length"], bad)
    with pytest.raises(_selfcheck._Mismatch, match="does not mention 'shape'"):
        _selfcheck._raises(ValueError, ["inputs[1]", "shape"], bad)
    with pytest.raises(_selfcheck._Mismatch, match=r"raised ValueError\('inputs\[1\] has the wrong length'\), expected TypeError"):
        _selfcheck._raises(TypeError, [], bad)
    with pytest.raises(_selfcheck._Mismatch, match="no ValueError raised"):
        _selfcheck._raises(ValueError, [], lambda: None)
