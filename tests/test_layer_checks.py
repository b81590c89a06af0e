"""One rule, one wording: sizes, generators, and the layer classes' reprs and error names.

Sizes (``n_inputs``, ``samples``, the dimensions given to ``zeros`` and
``randn`` ...) are checked by one helper everywhere; ``rng=`` takes a
``RandomState`` or anything with a ``randn`` method, in ``Dense``, the data
sets and book mode alike; nnref's layer classes and book mode's share their
reprs and name ``<Class>.forward`` in their errors.  The expected messages
below are written out by hand.
"""

import re

import pytest

import nnref
from nnref import book, datasets, matrix
from nnref.rng import RandomState


@pytest.fixture(autouse=True)
def reset_default():
    yield
    nnref.seed(0)  # leave the default generator as a fresh import has it


# ------------------------------------------------------------------ sizes

# (what is called, the function name the message gives, the argument name, call(bad))
SIZE_SITES = [
    ("spiral_data samples", "spiral_data", "samples", lambda v: datasets.spiral_data(v, 2)),
    ("spiral_data classes", "spiral_data", "classes", lambda v: datasets.spiral_data(2, v)),
    ("vertical_data samples", "vertical_data", "samples", lambda v: datasets.vertical_data(v, 2)),
    ("sine_data samples", "sine_data", "samples", lambda v: datasets.sine_data(v)),
    ("book.spiral_data classes", "spiral_data", "classes", lambda v: book.spiral_data(2, v)),
    ("zeros int", "zeros", "shape", lambda v: matrix.zeros(v)),
    ("zeros tuple", "zeros", "shape[1]", lambda v: matrix.zeros((2, v))),
    ("randn", "randn", "shape[1]", lambda v: RandomState(0).randn(2, v)),
    ("random_sample", "random_sample", "shape[0]", lambda v: RandomState(0).random_sample(v)),
    ("Dense n_inputs", "Dense", "n_inputs", lambda v: nnref.Dense(v, 3)),
    ("Dense n_neurons", "Dense", "n_neurons", lambda v: nnref.Dense(2, v)),
    ("Layer_Dense n_inputs", "Layer_Dense", "n_inputs", lambda v: book.Layer_Dense(v, 3)),
    ("Layer_Dense n_neurons", "Layer_Dense", "n_neurons", lambda v: book.Layer_Dense(2, v)),
]
SIZE_IDS = [site[0] for site in SIZE_SITES]


@pytest.mark.parametrize("label, func, name, call", SIZE_SITES, ids=SIZE_IDS)
@pytest.mark.parametrize("bad", [-1, -7])
def test_a_negative_size_is_one_value_error(label, func, name, call, bad):
    with pytest.raises(ValueError) as info:
        call(bad)
    assert str(info.value) == "%s: %s must be non-negative, got %d" % (func, name, bad)


@pytest.mark.parametrize("label, func, name, call", SIZE_SITES, ids=SIZE_IDS)
@pytest.mark.parametrize("bad, shown", [(2.0, "2.0 (float)"), (True, "True (bool)"),
                                        ("3", "'3' (str)"), (1j, "1j (complex)")])
def test_a_size_that_is_not_an_int_is_one_type_error(label, func, name, call, bad, shown):
    with pytest.raises(TypeError) as info:
        call(bad)
    assert str(info.value) == "%s: %s must be an int, not %s" % (func, name, shown)


def test_zero_sizes_are_accepted_everywhere():
    assert datasets.spiral_data(0, 2) == ([], [])
    assert matrix.zeros((2, 0)) == [[], []]
    assert RandomState(0).randn(0) == []
    layer = nnref.Dense(0, 2, rng=RandomState(0))
    assert (layer.weights, layer.biases) == ([], [[0.0, 0.0]])
    assert book.Layer_Dense(3, 0, rng=RandomState(0)).weights == [[], [], []]


# ------------------------------------------------------------------ generators

class NotAGenerator(object):
    def random_sample(self):
        return 0.5


class NotCallable(object):
    randn = 3


class Wrapped(object):
    """A generator of its own: only randn, delegating to a RandomState, counting calls."""

    def __init__(self, seed):
        self._inner = RandomState(seed)
        self.calls = 0

    def randn(self, *shape):
        self.calls += 1
        return self._inner.randn(*shape)


RNG_USERS = [
    ("Dense", lambda rng: nnref.Dense(2, 3, rng=rng).weights),
    ("Layer_Dense", lambda rng: book.Layer_Dense(2, 3, rng=rng).weights),
    ("spiral_data", lambda rng: datasets.spiral_data(3, 2, rng=rng)),
    ("vertical_data", lambda rng: datasets.vertical_data(3, 2, rng=rng)),
    ("spiral_data", lambda rng: book.spiral_data(3, 2, rng=rng)),
    ("vertical_data", lambda rng: book.vertical_data(3, 2, rng=rng)),
]
RNG_IDS = ["Dense", "book.Layer_Dense", "spiral_data", "vertical_data",
           "book.spiral_data", "book.vertical_data"]


@pytest.mark.parametrize("func, call", RNG_USERS, ids=RNG_IDS)
@pytest.mark.parametrize("bad, shown", [(42, "42 (int)"), (NotAGenerator(), "(NotAGenerator)"),
                                        (NotCallable(), "(NotCallable)"), ("rng", "'rng' (str)")])
def test_a_generator_without_randn_is_a_type_error_naming_rng(func, call, bad, shown):
    with pytest.raises(TypeError) as info:
        call(bad)
    message = str(info.value)
    assert message.startswith("%s: rng must be a nnref.RandomState, None, or an object with a "
                              "randn method; " % func)
    assert message.endswith(" has no randn method")
    assert shown in message


@pytest.mark.parametrize("func, call", RNG_USERS, ids=RNG_IDS)
def test_any_object_with_randn_is_a_generator(func, call):
    wrapped = Wrapped(3)
    assert call(wrapped) == call(RandomState(3))
    assert wrapped.calls > 0


# ------------------------------------------------------------------ reprs

CORE_ACTIVATIONS = [nnref.Step, nnref.Linear, nnref.Sigmoid, nnref.ReLU, nnref.Softmax]
BOOK_ACTIVATIONS = [book.Activation_Step, book.Activation_Linear, book.Activation_Sigmoid,
                    book.Activation_ReLU, book.Activation_Softmax]


@pytest.mark.parametrize("cls", CORE_ACTIVATIONS + BOOK_ACTIVATIONS, ids=lambda c: c.__name__)
def test_activation_reprs_share_one_style(cls):
    tag = ", float32" if cls in BOOK_ACTIVATIONS else ""
    name = cls.__name__
    layer = cls()
    assert repr(layer) == name + "(" + tag[2:] + ")"
    layer.forward([[1.0, -2.0, 0.5], [0.0, 1.0, 2.0]])
    assert repr(layer) == name + "(output shape (2, 3)" + tag + ")"
    layer.forward([1.0, -2.0])
    assert repr(layer) == name + "(output shape (2,)" + tag + ")"
    layer.forward([])
    assert repr(layer) == name + "(output shape (0,)" + tag + ")"


@pytest.mark.parametrize("cls, expected", [
    (nnref.Step, "Step(output=1.0)"), (nnref.Linear, "Linear(output=2.0)"),
    (nnref.ReLU, "ReLU(output=2.0)"), (book.Activation_ReLU, "Activation_ReLU(output=2.0, float32)"),
    (book.Activation_Step, "Activation_Step(output=1.0, float32)")])
def test_activation_repr_of_a_number_output(cls, expected):
    layer = cls()
    layer.forward(2)
    assert repr(layer) == expected


def test_dense_layer_reprs_share_one_style():
    assert repr(nnref.Dense(4, 5, rng=RandomState(0))) == "Dense(n_inputs=4, n_neurons=5)"
    layer = book.Layer_Dense(4, 5, rng=RandomState(0))
    assert repr(layer) == "Layer_Dense(n_inputs=4, n_neurons=5, float32)"
    layer.forward([[0.0] * 4])
    assert repr(layer) == "Layer_Dense(n_inputs=4, n_neurons=5, float32)"


# ------------------------------------------------------------------ error names

@pytest.mark.parametrize("cls", CORE_ACTIVATIONS + BOOK_ACTIVATIONS, ids=lambda c: c.__name__)
def test_activation_errors_name_the_class_forward_and_inputs(cls):
    with pytest.raises(TypeError) as info:
        cls().forward([[1.0, "a"]])
    assert re.match(r"%s\.forward: inputs\[0\]\[1\] is 'a' \(str\)" % cls.__name__, str(info.value))
    with pytest.raises(ValueError) as info:
        cls().forward([[1.0], [1.0, 2.0]])
    assert str(info.value).startswith("%s.forward: inputs[1] has length 2, but inputs[0] "
                                      "has length 1" % cls.__name__)


@pytest.mark.parametrize("cls", [nnref.Softmax, book.Activation_Softmax], ids=lambda c: c.__name__)
def test_softmax_layers_reject_a_number_alike(cls):
    with pytest.raises(TypeError) as info:
        cls().forward(3)
    assert str(info.value) == ("%s.forward: inputs is 3 (int); expected a vector or a batch of rows"
                               % cls.__name__)


@pytest.mark.parametrize("cls", [nnref.Dense, book.Layer_Dense], ids=lambda c: c.__name__)
def test_dense_layer_errors_name_the_class_forward(cls):
    layer = cls(2, 3, rng=RandomState(0))
    with pytest.raises(ValueError) as info:
        layer.forward([[1.0, 2.0, 3.0]])
    assert str(info.value) == ("%s.forward: inputs (1, 3) and weights (2, 3) are not aligned: "
                               "3 != 2" % cls.__name__)
    with pytest.raises(TypeError) as info:
        layer.forward([[1.0, None]])
    assert str(info.value).startswith("%s.forward: inputs[0][1] is None" % cls.__name__)


def test_the_functions_keep_their_own_names():
    # The private forms behind the layers must not change what the functions say.
    with pytest.raises(TypeError, match=r"^relu: x\[1\] is 'a'"):
        nnref.relu([1.0, "a"])
    with pytest.raises(TypeError, match=r"^softmax: x is 3 \(int\)"):
        nnref.softmax(3)
    with pytest.raises(ValueError, match=r"^dense: inputs \(1, 3\)"):
        nnref.dense([[1.0, 2.0, 3.0]], [[1.0], [1.0]], [0.0])
