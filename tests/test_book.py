"""nnref.book against nnfs 0.5.1 after ``nnfs.init()`` and against the book's printed numbers.

Fixtures: tests/fixtures/datasets_float32.json and book_ch4_float32.json
(tools/record_fixtures.py), float32_ops.json (tools/record_float32_ops.py).
The softmax is checked against the book's printed rows and against a float32
computation written out here, not against a modern NumPy (whose SIMD
float32 exp differs from the book's).
"""

import io
import json
import math
import os

import pytest
from hypothesis import given, strategies as st

import nnref
from nnref import book
from nnref.rng import RandomState, _default

from book_text import BOOK_RELU, BOOK_SOFTMAX
from support import f32, hexes

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def load(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)


DATA32 = load("datasets_float32.json")
RUN = load("book_ch4_float32.json")
OPS = load("float32_ops.json")



def unhex(value):
    if isinstance(value, list):
        return [unhex(v) for v in value]
    return float.fromhex(value)


@pytest.fixture(autouse=True)
def reset_default():
    yield
    nnref.seed(0)  # leave the default generator as a fresh import has it


@pytest.fixture(scope="module")
def run():
    return book.chapter4()


# ------------------------------------------------------------ the data sets

def test_fixtures_are_float32_after_nnfs_init():
    for case in DATA32["spiral"] + DATA32["vertical"]:
        assert (case["X_dtype"], case["after_dtype"]) == ("float32", "float32")
    for case in DATA32["sine"]:
        assert case["X_dtype"] == "float64"     # nnfs.init() leaves sine_data alone


@pytest.mark.parametrize("case", DATA32["spiral"],
                         ids=["%(samples)dx%(classes)d" % c for c in DATA32["spiral"]])
def test_spiral_data_matches_nnfs_float32_bit_for_bit(case):
    rng = RandomState(case["seed"])
    X, y = book.spiral_data(case["samples"], case["classes"], rng=rng)
    assert hexes(X) == case["X"]
    assert y == case["y"]
    # The generator is left where nnfs leaves NumPy's: the next draws agree.
    assert hexes([f32(v) for v in rng.randn(3)]) == case["after_randn3"]


@pytest.mark.parametrize("case", DATA32["vertical"],
                         ids=["%(samples)dx%(classes)d" % c for c in DATA32["vertical"]])
def test_vertical_data_matches_nnfs_float32_bit_for_bit(case):
    rng = RandomState(case["seed"])
    X, y = book.vertical_data(case["samples"], case["classes"], rng=rng)
    assert hexes(X) == case["X"]
    assert y == case["y"]
    assert hexes([f32(v) for v in rng.randn(3)]) == case["after_randn3"]


@pytest.mark.parametrize("case", DATA32["sine"], ids=[str(c["samples"]) for c in DATA32["sine"]])
def test_sine_data_matches_nnfs_after_init(case):
    X, y = book.sine_data(case["samples"])
    assert hexes([row[0] for row in X]) == case["X"]
    assert hexes([row[0] for row in y]) == case["y"]


def test_init_seeds_the_default_generator_like_nnfs_init():
    nnref.seed(123)
    book.init()
    X, y = book.spiral_data(100, 3)
    assert hexes(X) == DATA32["spiral"][0]["X"]
    book.init(random_seed=5)
    assert _default().randn() == RandomState(5).randn()


def test_init_with_none_leaves_the_generator_alone():
    nnref.seed(9)
    book.init(random_seed=None)
    assert _default().randn() == RandomState(9).randn()


def test_init_switches_nothing_else():
    # float32 is not a global mode: the core stays float64 after book.init().
    book.init()
    core = nnref.Dense(2, 3)
    nnref.seed(0)
    before = nnref.Dense(2, 3)
    assert core.weights == before.weights
    assert core.weights[0][0] == 0.01 * RandomState(0).randn()


def test_spiral_noise_is_a_float32_product_added_in_float64():
    # One class by hand: t = linspace + f32(f32(g) * f32(0.2)), in float64;
    # linspace(0, 1, 101) and linspace(0, 4, 101) have exact steps here.
    g = RandomState(0).randn(101)
    X, _ = book.spiral_data(101, 1, rng=RandomState(0))
    noise32 = [f32(f32(v) * f32(0.2)) for v in g]
    by_hand = []
    with_float64_noise = []
    for i in range(101):
        r, base = i * 0.01, i * 0.04
        t = (base + noise32[i]) * 2.5
        by_hand.append([f32(r * math.sin(t)), f32(r * math.cos(t))])
        t64 = (base + g[i] * 0.2) * 2.5
        with_float64_noise.append([f32(r * math.sin(t64)), f32(r * math.cos(t64))])
    assert X == by_hand
    assert X != with_float64_noise      # the float32 noise is visible in the data


@pytest.mark.parametrize("func", [book.spiral_data, book.vertical_data])
def test_data_set_sizes_are_checked(func):
    with pytest.raises(ValueError, match="samples must be non-negative"):
        func(-1, 3)
    with pytest.raises(TypeError, match="classes must be an int"):
        func(3, True)
    with pytest.raises(TypeError, match="rng must be"):
        func(3, 3, rng=42)
    assert func(0, 3) == ([], [])


# ------------------------------------------------------------- the chapter run

@pytest.mark.parametrize("step", ["X", "dense1_weights", "dense1_biases", "dense1_output",
                                  "relu_output", "dense2_weights", "dense2_biases",
                                  "dense2_output"])
def test_chapter4_matches_nnfs_bit_for_bit(run, step):
    assert RUN[step + "_dtype"] == "float32"
    assert hexes(run[step]) == RUN[step]


def test_chapter4_labels(run):
    assert run["y"] == RUN["y"]
    assert tuple(sorted(run)) == tuple(sorted(book.CHAPTER4_STEPS))


def test_chapter4_leaves_the_default_generator_alone():
    nnref.seed(7)
    book.chapter4()
    assert _default().randn() == RandomState(7).randn()


def test_the_book_code_with_init_gives_the_same_run(run):
    book.init()
    X, y = book.spiral_data(samples=100, classes=3)
    dense1 = book.Layer_Dense(2, 3)
    activation1 = book.Activation_ReLU()
    dense2 = book.Layer_Dense(3, 3)
    activation2 = book.Activation_Softmax()
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    activation2.forward(dense2.output)
    assert hexes(activation1.output) == RUN["relu_output"]
    assert activation2.output == run["softmax_output"]


def test_relu_and_softmax_rows_print_as_in_the_book(run):
    assert book.format_array(run["relu_output"][:5]) == BOOK_RELU
    assert book.format_array(run["softmax_output"][:5]) == BOOK_SOFTMAX


def test_softmax_rows_are_the_floats_the_book_printed(run):
    # Every printed value has at most 8 decimals and float32 values near 1/3
    # are 3e-8 apart, so each printed number names exactly one float32.
    printed = [[float(v) for v in line.strip(" []").split()]
               for line in BOOK_SOFTMAX.splitlines()]
    assert run["softmax_output"][:5] == [[f32(v) for v in row] for row in printed]


def softmax_f32_by_hand(row):
    # The book's softmax for one row of 3 float32 values, in NumPy's float32
    # steps: subtract the max, exp as math.exp rounded to float32, add the
    # three in order from 0, divide.
    top = max(row)
    exps = [f32(math.exp(f32(v - top))) for v in row]
    total = f32(f32(f32(0.0 + exps[0]) + exps[1]) + exps[2])
    return [f32(e / total) for e in exps]


def test_softmax_matches_a_float32_computation_of_every_row(run):
    # From the recorded dense2 output (NumPy's), not from nnref's.
    dense2 = unhex(RUN["dense2_output"])
    expected = [softmax_f32_by_hand(row) for row in dense2]
    assert run["softmax_output"] == expected
    assert book.Activation_Softmax().forward(dense2) == expected


def test_softmax_float32_steps_are_visible(run):
    # The float32 steps matter: nnref's float64 softmax rounded once to
    # float32 differs from the book's values on some rows.
    dense2 = unhex(RUN["dense2_output"])
    rounded = [[f32(v) for v in nnref.softmax(row)] for row in dense2]
    assert sum(a != b for a, b in zip(rounded, run["softmax_output"])) > 0


def test_print_chapter4_output():
    out = io.StringIO()
    book.print_chapter4(file=out)
    text = out.getvalue()
    assert text.endswith(BOOK_RELU.join(["print(activation1.output[:5])\n", "\n"])
                         + ">>> " + BOOK_SOFTMAX.join(["print(activation2.output[:5])\n", "\n"]))


def test_print_chapter4_defaults_to_stdout(capsys):
    book.print_chapter4()
    assert BOOK_SOFTMAX in capsys.readouterr().out


# ---------------------------------------------------------------- the layers

def test_layer_dense_weights_are_float32_products():
    g = RandomState(4).randn(3, 2)
    layer = book.Layer_Dense(3, 2, rng=RandomState(4))
    assert layer.weights == [[f32(f32(0.01) * f32(v)) for v in row] for row in g]
    assert layer.biases == [[0.0, 0.0]]
    assert repr(layer) == "Layer_Dense(n_inputs=3, n_neurons=2, float32)"


def test_layer_dense_forward_matches_nnfs_on_recorded_inputs():
    layer = book.Layer_Dense(2, 3)
    layer.weights = unhex(RUN["dense1_weights"])
    out = layer.forward(unhex(RUN["X"]))
    assert out is layer.output
    assert hexes(out) == RUN["dense1_output"]


def test_layer_dense_adds_biases_in_float32():
    layer = book.Layer_Dense(1, 1)
    layer.weights = [[1.0]]
    layer.biases = [[0.1]]
    x = f32(1e-3)
    assert layer.forward([[x]]) == [[f32(x + f32(0.1))]]


def rebuild(seed, count, exponent):
    # tools/record_float32_ops.py: (u - 0.5) * 10**e rounded to float32.
    return [f32((u - 0.5) * 10.0 ** exponent) for u in RandomState(seed).random_sample(count)]


@pytest.mark.parametrize("case", OPS["dots"], ids=["k%d" % c["k"] for c in OPS["dots"]])
def test_dense_dot_is_numpys_float64_dot_rounded_to_float32(case):
    n, k, m = case["n"], case["k"], case["m"]
    rs = RandomState(case["seed"])
    flat = [f32((u - 0.5)) for u in rs.random_sample(n * k)]
    wflat = [f32((u - 0.5) * 0.1) for u in rs.random_sample(k * m)]
    layer = book.Layer_Dense(k, m)
    layer.weights = [wflat[i * m:(i + 1) * m] for i in range(k)]
    out = layer.forward([flat[i * k:(i + 1) * k] for i in range(n)])
    assert hexes(out) == case["float32"]


def test_dot_fixtures_can_tell_summation_orders_apart():
    # At least one recorded float64 dot differs from the reversed order, so
    # the test above checks the order, not just the values.
    differs = 0
    for case in OPS["dots"]:
        n, k, m = case["n"], case["k"], case["m"]
        rs = RandomState(case["seed"])
        flat = [f32((u - 0.5)) for u in rs.random_sample(n * k)]
        wflat = [f32((u - 0.5) * 0.1) for u in rs.random_sample(k * m)]
        for i in range(n):
            for j in range(m):
                terms = [flat[i * k + t] * wflat[t * m + j] for t in range(k)]
                reverse = 0.0
                for term in reversed(terms):
                    reverse += term
                differs += reverse.hex() != case["float64"][i][j]
    assert differs > 0


def test_layer_dense_checks_shapes_and_types():
    layer = book.Layer_Dense(2, 3, rng=RandomState(0))
    with pytest.raises(ValueError, match=r"inputs \(1, 3\) and weights \(2, 3\) are not aligned"):
        layer.forward([[1.0, 2.0, 3.0]])
    with pytest.raises(TypeError, match=r"inputs\[0\]\[1\] is 'a'"):
        layer.forward([[1.0, "a"]])
    with pytest.raises(TypeError, match="n_inputs"):
        book.Layer_Dense(2.0, 3)
    with pytest.raises(ValueError, match="n_neurons"):
        book.Layer_Dense(2, -3)
    layer.biases = [[0.0, 0.0]]
    with pytest.raises(ValueError, match="do not match"):
        layer.forward([[1.0, 2.0]])


def test_layer_dense_does_not_touch_its_inputs():
    inputs = [[0.1, 0.2]]
    layer = book.Layer_Dense(2, 3, rng=RandomState(0))
    out = layer.forward(inputs)
    assert inputs == [[0.1, 0.2]] and out is not inputs


# ------------------------------------------------------------- activations

def test_relu_is_float32_and_exact():
    assert book.Activation_ReLU().forward([[-1.0, 0.1, float("inf")]]) == \
        [[0.0, f32(0.1), float("inf")]]
    out = book.Activation_ReLU().forward([float("nan"), -0.0])
    assert math.isnan(out[0]) and math.copysign(1.0, out[1]) == -1.0


@pytest.mark.parametrize("case", OPS["sums"], ids=["n%d" % c["length"] for c in OPS["sums"]])
def test_softmax_denominator_is_numpys_float32_pairwise_sum(case):
    from nnref.book._float32 import sum_f32
    row = [abs(v) for v in rebuild(case["seed"], case["length"], case["scale_exponent"])]
    assert sum_f32(row).hex() == case["sum"]


def test_softmax_special_rows():
    nan, inf = float("nan"), float("inf")
    softmax = book.Activation_Softmax()
    for row in ([1.0, nan], [inf, 1.0], [-inf, -inf]):
        assert all(math.isnan(v) for v in softmax.forward([row])[0])
    assert softmax.forward([[-inf, 0.0]]) == [[0.0, 1.0]]
    assert softmax.forward([]) == []
    assert softmax.forward([1.0, 1.0]) == [0.5, 0.5]
    with pytest.raises(TypeError, match="Activation_Softmax.forward"):
        softmax.forward(1.0)


@given(st.lists(st.floats(-50, 50, width=32), min_size=1, max_size=7))
def test_softmax_row_matches_the_float32_steps(row):
    top = max(row)
    exps = [f32(math.exp(f32(v - top))) for v in row]
    total = 0.0
    for e in exps:
        total = f32(total + e)
    assert book.Activation_Softmax().forward([row]) == [[f32(e / total) for e in exps]]


@given(st.floats(-100, 100, width=32))
def test_sigmoid_is_the_books_formula_in_float32(x):
    expected = f32(1.0 / f32(1.0 + f32(math.exp(-x))))
    assert book.Activation_Sigmoid().forward([x]) == [expected]


def test_sigmoid_special_values():
    out = book.Activation_Sigmoid().forward([-1000.0, 1000.0, float("nan"), -float("inf")])
    assert out[:2] == [0.0, 1.0] and math.isnan(out[2]) and out[3] == 0.0
    assert book.Activation_Sigmoid().forward(0.0) == 0.5


def test_step_and_linear():
    assert book.Activation_Step().forward([[-1.0, 0.0, 1e-50, 2.0]]) == [[0.0, 0.0, 0.0, 1.0]]
    assert book.Activation_Linear().forward([0.1, 1e40]) == [f32(0.1), float("inf")]
    assert repr(book.Activation_Linear()) == "Activation_Linear(float32)"


def test_activations_set_output_and_reject_bad_inputs():
    layer = book.Activation_ReLU()
    assert layer.output is None
    out = layer.forward([[1.0]])
    assert layer.output is out
    with pytest.raises(TypeError, match=r"Activation_ReLU.forward: inputs\[1\] is True"):
        layer.forward([1.0, True])
    with pytest.raises(ValueError, match="length"):
        book.Activation_Sigmoid().forward([[1.0], [1.0, 2.0]])


def test_python_dash_m_nnref_ends_with_the_books_rows():
    # The README's main command: the tour ends with the book-mode run.
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run([sys.executable, "-m", "nnref"], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(BOOK_RELU + "\n>>> print(activation2.output[:5])\n"
                                  + BOOK_SOFTMAX + "\n")
