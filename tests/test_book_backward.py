"""nnref.book's chapters 5 and 9 (loss, accuracy, backward passes) against nnfs + NumPy and the book.

Fixture: tests/fixtures/book_ch9_float32.json (tools/record_book_ch9.py), the
book's chapter-9 and chapter-5 runs recorded from nnfs 0.5.1 / NumPy 2.4.6
after ``nnfs.init()``, NumPy's float32 exp and log replaced by libm's rounded
to float32 (the book's printed numbers), plus NumPy reductions and scalar
strings built to show NumPy's order of operations.  The book's printed
outputs are written out below from the book, never from nnref.
"""

import io
import json
import math
import os
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from nnref import book
from nnref.book._float32 import column_sums_f32, sum_f32
from nnref.book._printing import format_scalar
from nnref.rng import RandomState

from book_text import BOOK_CH5, BOOK_CH9
from support import bits, f32, hexes, same

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(ROOT, "tests", "fixtures", "book_ch9_float32.json")) as _f:
    FIXTURE = json.load(_f)
CH9 = FIXTURE["chapter9"]
CH5 = FIXTURE["chapter5"]

NAN = float("nan")
INF = float("inf")

# What the scripts write: the book's text and the last print's newline.
CH5_STDOUT = BOOK_CH5 + "\n"
CH9_STDOUT = BOOK_CH9 + "\n"

FLOAT_STEPS = [s for s in book.CHAPTER9_STEPS if s not in ("y", "predictions")]


def unhex(value):
    if isinstance(value, list):
        return [unhex(v) for v in value]
    return float.fromhex(value)


def all_hexes(value):
    # hexes() of a float, or of nested lists of floats.
    return hexes(value) if isinstance(value, list) else hexes([value])[0]


@pytest.fixture(scope="module")
def run9():
    return book.chapter9()


# ------------------------------------------------------- the fixture is the book

def test_the_fixture_prints_the_books_chapter9_and_chapter5_output():
    # nnfs + NumPy with libm exp/log print exactly what the book printed.
    assert CH9["stdout"] == CH9_STDOUT
    assert CH5["stdout"] == CH5_STDOUT


def test_the_fixture_dtypes_are_numpys():
    for step in FLOAT_STEPS + ["crossentropy_dinputs", "softmax_dinputs"]:
        expected = "float64" if step == "accuracy" else "float32"
        assert CH9[step + "_dtype"] == expected, step
    assert (CH9["loss_type"], CH9["accuracy_type"]) == ("float32", "float64")


def test_numpys_own_simd_exp_and_log_would_change_the_run():
    # Why the fixture replaces them: a current NumPy's float32 exp and log
    # differ from libm's in the last bit on this very run.
    assert CH9["numpy_simd_exp_differs"] > 0
    assert CH9["numpy_simd_log_differs"] > 0


# ---------------------------------------------------- the runs, bit for bit

@pytest.mark.parametrize("step", FLOAT_STEPS)
def test_chapter9_matches_nnfs_bit_for_bit(run9, step):
    assert all_hexes(run9[step]) == CH9[step]


def test_chapter9_labels_predictions_and_keys(run9):
    assert run9["y"] == CH9["y"]
    assert run9["predictions"] == CH9["predictions"]
    assert tuple(sorted(run9)) == tuple(sorted(book.CHAPTER9_STEPS))
    assert type(run9["loss"]) is float and type(run9["accuracy"]) is float


def test_chapter9_accuracy_is_the_share_of_right_predictions(run9):
    hits = sum(p == t for p, t in zip(CH9["predictions"], CH9["y"]))
    assert run9["accuracy"] == float(Fraction(hits, 300)) == 0.34


def test_chapter5_matches_nnfs_bit_for_bit():
    run = book.chapter5()
    assert all_hexes(run["softmax_output"]) == CH5["softmax_output"]
    assert all_hexes(run["sample_losses"]) == CH5["sample_losses"]
    assert all_hexes(run["loss"]) == CH5["loss"]
    assert tuple(sorted(run)) == tuple(sorted(book.CHAPTER5_STEPS))


def test_print_chapter9_prints_the_books_output():
    out = io.StringIO()
    book.print_chapter9(file=out)
    assert out.getvalue() == CH9_STDOUT


def test_print_chapter5_prints_the_books_output(capsys):
    book.print_chapter5()
    assert capsys.readouterr().out == CH5_STDOUT


def test_the_chapter9_script_with_book_names():
    # The book's chapter-9 code, with nnref.book's names.
    book.init()
    X, y = book.spiral_data(samples=100, classes=3)
    dense1 = book.Layer_Dense(2, 3)
    activation1 = book.Activation_ReLU()
    dense2 = book.Layer_Dense(3, 3)
    loss_activation = book.Activation_Softmax_Loss_CategoricalCrossentropy()
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    loss = loss_activation.forward(dense2.output, y)
    accuracy = book.accuracy(loss_activation.output, y)
    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)
    shown = [book.format_array(loss_activation.output[:5]), "loss: " + book.format_array(loss),
             "acc: %r" % accuracy] + [book.format_array(v) for v in
                                      (dense1.dweights, dense1.dbiases, dense2.dweights,
                                       dense2.dbiases)]
    assert "\n".join(shown) + "\n" == CH9_STDOUT
    assert all_hexes(dense1.dinputs) == CH9["dense1_dinputs"]
    book.init()


# ------------------------------- each backward step from NumPy's own inputs

def recorded_dense(weights_step, inputs_step):
    layer = book.Layer_Dense(1, 1)
    layer.weights = unhex(CH9[weights_step])
    layer.biases = [[0.0] * len(layer.weights[0])]
    layer.forward(unhex(CH9[inputs_step]))
    return layer


@pytest.mark.parametrize("layer,weights,inputs,dvalues", [
    ("dense2", "dense2_weights", "relu_output", "loss_dinputs"),
    ("dense1", "dense1_weights", "X", "relu_dinputs"),
])
def test_dense_backward_from_recorded_inputs(layer, weights, inputs, dvalues):
    dense = recorded_dense(weights, inputs)
    out = dense.backward(unhex(CH9[dvalues]))
    assert out is dense.dinputs
    assert hexes(dense.dweights) == CH9[layer + "_dweights"]
    assert hexes(dense.dbiases) == CH9[layer + "_dbiases"]
    assert hexes(dense.dinputs) == CH9[layer + "_dinputs"]


def test_relu_backward_from_recorded_inputs():
    relu = book.Activation_ReLU()
    relu.forward(unhex(CH9["dense1_output"]))
    assert hexes(relu.backward(unhex(CH9["dense2_dinputs"]))) == CH9["relu_dinputs"]


def test_combined_backward_from_recorded_softmax():
    combined = book.Activation_Softmax_Loss_CategoricalCrossentropy()
    out = combined.backward(unhex(CH9["softmax_output"]), CH9["y"])
    assert hexes(out) == CH9["loss_dinputs"] and out is combined.dinputs


def test_separate_backward_from_recorded_softmax():
    # The book's comparison: Loss_CategoricalCrossentropy.backward, then the
    # softmax's Jacobian loop, on an output set by hand.
    softmax_output = unhex(CH9["softmax_output"])
    loss = book.Loss_CategoricalCrossentropy()
    loss.backward(softmax_output, CH9["y"])
    assert hexes(loss.dinputs) == CH9["crossentropy_dinputs"]
    softmax = book.Activation_Softmax()
    softmax.output = softmax_output
    assert hexes(softmax.backward(loss.dinputs)) == CH9["softmax_dinputs"]


def test_the_crossentropy_gradient_zeros_are_negative_zeros():
    # -y_true / dvalues with float32 one-hot labels: the zeros are -0.0.
    zeros = [v for row in CH9["crossentropy_dinputs"] for v in row if float.fromhex(v) == 0.0]
    assert zeros and set(zeros) == {"-0x0.0p+0"}


def test_loss_from_recorded_softmax():
    loss = book.Loss_CategoricalCrossentropy()
    softmax_output = unhex(CH9["softmax_output"])
    assert hexes(loss.forward(softmax_output, CH9["y"])) == CH9["sample_losses"]
    assert all_hexes(loss.calculate(softmax_output, CH9["y"])) == CH9["loss"]
    # One-hot labels give the same losses here (a single 1.0 per row).
    one_hot = [[1.0 if j == label else 0.0 for j in range(3)] for label in CH9["y"]]
    assert hexes(loss.forward(softmax_output, one_hot)) == CH9["sample_losses"]


# ------------------------------------------------- NumPy's order of operations

@pytest.mark.parametrize("case", FIXTURE["reductions"]["column_sums"], ids=["built", "mixed"])
def test_dbiases_add_the_rows_in_order_as_numpy(case):
    rows = unhex(case["rows"])
    assert case["dtype"] == "float32"
    assert hexes([column_sums_f32(rows, len(rows[0]))]) == case["sum"]
    layer = book.Layer_Dense(len(rows[0]), len(rows[0]))
    layer.forward([[0.0] * len(rows[0])] * len(rows))
    layer.backward(rows)
    assert hexes(layer.dbiases) == case["sum"]


def test_a_pairwise_column_sum_would_be_caught():
    # The wrong order (NumPy's pairwise sum, as along a row) fails the fixture.
    case = FIXTURE["reductions"]["column_sums"][0]
    rows = unhex(case["rows"])
    pairwise = [[sum_f32([row[j] for row in rows]) for j in range(len(rows[0]))]]
    assert hexes(pairwise) != case["sum"]


@pytest.mark.parametrize("case", FIXTURE["reductions"]["means"],
                         ids=[str(len(c["values"])) for c in FIXTURE["reductions"]["means"]])
def test_the_loss_mean_is_numpys_float32_mean(case):
    values = unhex(case["values"])
    assert case["dtype"] == "float32"

    class Given(book.Loss):
        def forward(self, y_pred, y_true):
            return values

    assert all_hexes(Given().calculate(None, None)) == case["mean"]


def test_an_in_order_mean_would_be_caught():
    wrong = 0
    for case in FIXTURE["reductions"]["means"]:
        values = unhex(case["values"])
        total = 0.0
        for v in values:
            total = f32(total + v)
        wrong += all_hexes(f32(total / len(values))) != case["mean"]
    assert wrong > 0


@pytest.mark.parametrize("case", FIXTURE["scalar_strings"], ids=lambda c: c["value"])
def test_scalars_print_as_numpy_prints_them(case):
    value = float.fromhex(case["value"])
    assert format_scalar(value, "float64") == case["float64"]
    assert format_scalar(value, "float32") == case["float32"]
    assert book.format_array(value) == case["float32"]


def test_format_scalar_errors():
    with pytest.raises(TypeError, match="format_scalar: x is"):
        format_scalar([1.0])
    with pytest.raises(ValueError, match="format_scalar: dtype must be 'float64' or 'float32'"):
        format_scalar(1.0, "float16")
    with pytest.raises(TypeError, match="format_array: x is 'a'"):
        book.format_array("a")


# ---------------------------------------------------------- the rules by hand

def dense_by_hand(inputs, weights, dvalues):
    # dweights and dinputs: float64 dots added in order, rounded to float32;
    # dbiases: the columns added in order in float32.
    n, k, m = len(inputs), len(weights), len(weights[0])
    dweights = []
    for i in range(k):
        row = []
        for j in range(m):
            total = 0.0
            for s in range(n):
                total += inputs[s][i] * dvalues[s][j]
            row.append(f32(total))
        dweights.append(row)
    dbiases = []
    for j in range(m):
        total = 0.0
        for s in range(n):
            total = f32(total + dvalues[s][j])
        dbiases.append(total)
    dinputs = []
    for s in range(n):
        row = []
        for i in range(k):
            total = 0.0
            for j in range(m):
                total += dvalues[s][j] * weights[i][j]
            row.append(f32(total))
        dinputs.append(row)
    return dweights, [dbiases], dinputs


F32 = st.floats(-1e3, 1e3, width=32)


@given(st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.lists(st.lists(F32, min_size=2, max_size=2), min_size=n, max_size=n),
    st.lists(st.lists(F32, min_size=3, max_size=3), min_size=n, max_size=n))))
def test_dense_backward_follows_the_rules(data):
    inputs, dvalues = data
    layer = book.Layer_Dense(2, 3, rng=RandomState(1))
    layer.forward(inputs)
    layer.backward(dvalues)
    dweights, dbiases, dinputs = dense_by_hand(inputs, layer.weights, dvalues)
    assert (layer.dweights, layer.dbiases, layer.dinputs) == (dweights, dbiases, dinputs)


def test_dense_backward_shapes_and_errors():
    layer = book.Layer_Dense(2, 3, rng=RandomState(0))
    with pytest.raises(ValueError, match="no forward pass yet"):
        layer.backward([[1.0, 2.0, 3.0]])
    layer.forward([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match=r"dvalues has shape \(2, 2\) but the output has shape "
                                         r"\(2, 3\)"):
        layer.backward([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match=r"dvalues has shape \(1, 3\) but the output"):
        layer.backward([[1.0, 2.0, 3.0]])
    with pytest.raises(TypeError, match=r"Layer_Dense.backward: dvalues\[1\]\[0\] is 'a'"):
        layer.backward([[1.0, 2.0, 3.0], ["a", 2.0, 3.0]])
    with pytest.raises(TypeError, match="expected a batch"):
        layer.backward(1.0)
    layer.forward([])
    assert layer.backward([]) == []
    assert layer.dweights == [[0.0] * 3] * 2 and layer.dbiases == [[0.0] * 3]


def test_dense_backward_keeps_the_callers_lists():
    layer = book.Layer_Dense(2, 2, rng=RandomState(0))
    inputs = [[1.0, 2.0]]
    layer.forward(inputs)
    inputs[0][0] = 100.0           # changed after forward: the layer kept its own copy
    dvalues = [[0.5, -0.25]]
    out = layer.backward(dvalues)
    assert dvalues == [[0.5, -0.25]] and out is not dvalues
    assert layer.dweights == [[0.5, -0.25], [1.0, -0.5]]


@pytest.mark.parametrize("case", FIXTURE["reductions"]["transposed_dots"],
                         ids=[str(len(c["inputs"])) for c in FIXTURE["reductions"]["transposed_dots"]])
def test_dweights_are_numpys_transposed_dot(case):
    inputs, dvalues = unhex(case["inputs"]), unhex(case["dvalues"])
    layer = book.Layer_Dense(len(inputs[0]), len(dvalues[0]), rng=RandomState(0))
    layer.forward(inputs)
    layer.backward(dvalues)
    assert case["dtype"] == "float32"
    assert hexes(layer.dweights) == case["dot"]


def test_an_exact_dweights_sum_would_be_caught():
    # NumPy adds the products in order in float64: 1 + 2**-60 - 1 is 0, not
    # the exact 2**-60, which a correctly rounded dot would give.
    case = FIXTURE["reductions"]["transposed_dots"][0]
    products = [Fraction(x[0]) * Fraction(d[0])
                for x, d in zip(unhex(case["inputs"]), unhex(case["dvalues"]))]
    assert sum(products) == Fraction(1, 2 ** 60)
    assert case["dot"] == [["0x0.0p+0"]]


def test_relu_backward_special_values():
    relu = book.Activation_ReLU()
    relu.forward([[-1.0, -0.0, 0.0, NAN, 2.0, -INF]])
    out = relu.backward([[NAN, 5.0, 5.0, 5.0, -3.0, 1.0]])
    assert [bits(v) for v in out[0][:3]] == [0, 0, 0]           # +0.0, even for a NaN gradient
    assert out[0][3:5] == [5.0, -3.0] and out[0][5] == 0.0     # a NaN input passes the gradient


def test_relu_backward_rounds_dvalues_and_checks_shapes():
    relu = book.Activation_ReLU()
    with pytest.raises(ValueError, match="no forward pass yet"):
        relu.backward([1.0])
    relu.forward([1.0, 2.0])
    assert relu.backward([0.1, 1e39]) == [f32(0.1), INF]
    with pytest.raises(ValueError, match=r"dvalues has shape \(3,\) but inputs has shape \(2,\)"):
        relu.backward([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"dvalues has shape \(1, 2\) but inputs"):
        relu.backward([[1.0, 2.0]])
    relu.forward(3.0)
    assert relu.backward(0.5) == 0.5


def softmax_backward_by_hand(s, d):
    jacobian = [[f32((si if i == j else 0.0) - f32(si * sj)) for j, sj in enumerate(s)]
                for i, si in enumerate(s)]
    out = []
    for row in jacobian:
        total = 0.0
        for a, b in zip(row, d):
            total += a * b
        out.append(f32(total))
    return out


@given(st.lists(st.floats(-20, 20, width=32), min_size=1, max_size=6).flatmap(
    lambda row: st.tuples(st.just(row), st.lists(F32, min_size=len(row), max_size=len(row)))))
def test_softmax_backward_is_the_books_jacobian_loop(data):
    row, d = data
    softmax = book.Activation_Softmax()
    s = softmax.forward([row])[0]
    assert softmax.backward([d]) == [softmax_backward_by_hand(s, d)]
    # And exactly: each value within float32 rounding of s * (d - <s, d>).
    exact = [Fraction(si) * (Fraction(di) - sum(Fraction(a) * Fraction(b) for a, b in zip(s, d)))
             for si, di in zip(s, d)]
    scale = max(abs(Fraction(v)) for v in d) + 1
    for got, want in zip(softmax.backward([d])[0], exact):
        assert abs(Fraction(got) - want) <= scale * Fraction(1, 2 ** 19)


def test_softmax_backward_uses_the_output_as_set():
    softmax = book.Activation_Softmax()
    with pytest.raises(ValueError, match="no forward pass yet"):
        softmax.backward([[1.0, 2.0]])
    softmax.output = [[0.5, 0.5]]
    assert softmax.backward([[1.0, 0.0]]) == [[0.25, -0.25]]
    with pytest.raises(ValueError, match=r"dvalues has shape \(1, 3\) but output has shape"):
        softmax.backward([[1.0, 0.0, 0.0]])
    softmax.forward([])
    assert softmax.backward([]) == []


@given(st.lists(st.floats(-100, 100, width=32), min_size=1, max_size=5), st.floats(-4, 4, width=32))
def test_sigmoid_backward_is_the_books_formula_in_float32(row, d):
    sigmoid = book.Activation_Sigmoid()
    out = sigmoid.forward(row)
    assert sigmoid.backward([d] * len(row)) == [f32(f32(d * f32(1.0 - s)) * s) for s in out]


def test_linear_and_step_backward():
    linear = book.Activation_Linear()
    linear.forward([[1.0, 2.0]])
    dvalues = [[0.1, -0.2]]
    out = linear.backward(dvalues)
    assert out == [[f32(0.1), f32(-0.2)]] and out is not dvalues and out[0] is not dvalues[0]
    step = book.Activation_Step()
    step.forward([[1.0, -1.0]])
    assert [bits(v) for v in step.backward([[NAN, -5.0]])[0]] == [0, 0]


def test_linear_forward_output_is_not_its_inputs():
    linear = book.Activation_Linear()
    out = linear.forward([1.0])
    assert out == linear.inputs and out is not linear.inputs


# ---------------------------------------------------------------- the loss

def test_clip_bounds_are_the_float32_roundings():
    loss = book.Loss_CategoricalCrossentropy()
    low, high = loss.forward([[0.0, 1.0], [1.0, 0.0]], [0, 0])
    assert low == f32(-math.log(f32(1e-7)))
    assert f32(1 - 1e-7) == 1 - 2.0 ** -23
    assert high == f32(-math.log(1 - 2.0 ** -23))
    # Just inside the bounds nothing is clipped.
    inside = loss.forward([[f32(1e-7) * 2, 1.0 - 2.0 ** -22]], [0])[0]
    assert inside == f32(-math.log(f32(1e-7) * 2))


def test_loss_special_values():
    loss = book.Loss_CategoricalCrossentropy()
    assert math.isnan(loss.forward([[NAN, 0.5]], [0])[0])
    assert loss.forward([[NAN, 0.5]], [1]) == [f32(-math.log(0.5))]
    assert loss.forward([[INF, -INF]], [0, ]) == [f32(-math.log(1 - 2.0 ** -23))]
    # One-hot rows of zeros have no probability: -log(0) is +inf, as NumPy's.
    assert loss.forward([[0.5, 0.5]], [[0.0, 0.0]]) == [INF]
    assert math.isnan(loss.calculate([], []))
    assert loss.forward([], []) == []


def test_loss_labels_are_checked():
    loss = book.Loss_CategoricalCrossentropy()
    with pytest.raises(ValueError, match=r"y_true\[1\] is 3; expected a class index from 0 to 1"):
        loss.forward([[0.5, 0.5], [0.5, 0.5]], [0, 3])
    with pytest.raises(ValueError, match=r"y_true\[0\] is -1"):
        loss.forward([[0.5, 0.5]], [-1])
    with pytest.raises(TypeError, match=r"y_true\[0\] must be an int, not True"):
        loss.forward([[0.5, 0.5]], [True])
    with pytest.raises(TypeError, match=r"y_true\[0\] must be an int, not 1.0"):
        loss.forward([[0.5, 0.5]], [1.0])
    with pytest.raises(ValueError, match=r"y_true has shape \(1,\) but the predictions have 2 rows"):
        loss.forward([[0.5, 0.5], [0.5, 0.5]], [0])
    with pytest.raises(ValueError, match=r"y_true has shape \(1, 3\) but the predictions have "
                                         r"shape \(1, 2\)"):
        loss.forward([[0.5, 0.5]], [[0.0, 1.0, 0.0]])
    with pytest.raises(TypeError, match="y_true is 3"):
        loss.forward([[0.5, 0.5]], 3)
    with pytest.raises(TypeError, match=r"y_pred has shape|expected a batch"):
        loss.forward(0.5, [0])


def test_crossentropy_backward_divisions_by_zero_are_ieee():
    loss = book.Loss_CategoricalCrossentropy()
    out = loss.backward([[0.0, -0.0, 0.0], [-0.0, 2.0, NAN]], [[1.0, -1.0, 0.0], [1.0, 0.0, 0.0]])
    assert out[0][0] == -INF and out[0][1] == -INF and math.isnan(out[0][2])
    assert out[1][0] == INF and same(out[1][1], -0.0) and math.isnan(out[1][2])


def test_the_combined_step_matches_the_separate_one_closely():
    # The book's point: both backward paths give the same gradient, up to
    # float32 rounding (the combined one is simpler and faster).
    softmax_output = unhex(CH9["softmax_output"])
    combined = unhex(CH9["loss_dinputs"])
    separate = unhex(CH9["softmax_dinputs"])
    assert max(abs(a - b) for r, q in zip(combined, separate) for a, b in zip(r, q)) < 1e-8
    assert book.Activation_Softmax_Loss_CategoricalCrossentropy().backward(
        softmax_output, CH9["y"]) == combined


@given(st.lists(st.lists(st.floats(0, 1, width=32), min_size=3, max_size=3), min_size=1,
                max_size=8).flatmap(lambda rows: st.tuples(
                    st.just(rows), st.lists(st.integers(0, 2), min_size=len(rows),
                                            max_size=len(rows)))))
def test_the_combined_backward_by_hand(data):
    rows, labels = data
    n = len(rows)
    expected = [[f32(f32(v - (1.0 if j == label else 0.0)) / n) if j == label else f32(v / n)
                 for j, v in enumerate(row)] for row, label in zip(rows, labels)]
    combined = book.Activation_Softmax_Loss_CategoricalCrossentropy()
    assert combined.backward(rows, labels) == expected
    one_hot = [[1.0 if j == label else 0.0 for j in range(3)] for label in labels]
    assert combined.backward(rows, one_hot) == expected


def test_the_combined_forward_is_softmax_then_the_mean_loss():
    combined = book.Activation_Softmax_Loss_CategoricalCrossentropy()
    loss = combined.forward(unhex(CH9["dense2_output"]), CH9["y"])
    assert all_hexes(loss) == CH9["loss"]
    assert hexes(combined.output) == CH9["softmax_output"]
    assert combined.output is combined.activation.output
    assert repr(combined) == "Activation_Softmax_Loss_CategoricalCrossentropy(float32)"
    assert repr(book.Loss_CategoricalCrossentropy()) == "Loss_CategoricalCrossentropy(float32)"
    with pytest.raises(NotImplementedError):
        book.Loss().calculate([[1.0]], [0])


def test_accuracy():
    assert book.accuracy([[0.5, 0.5], [0.2, 0.8], [0.9, 0.1]], [1, 1, 0]) == 2 / 3
    assert book.accuracy([[0.5, 0.5]], [0]) == 1.0            # a tie: the first largest
    assert book.accuracy([[NAN, 2.0], [1.0, NAN]], [0, 1]) == 1.0   # the first NaN
    assert book.accuracy([[0.2, 0.8]], [[0.0, 1.0]]) == 1.0   # one-hot labels: their argmax
    assert math.isnan(book.accuracy([], []))
    with pytest.raises(ValueError, match=r"y_pred has shape \(1, 0\)"):
        book.accuracy([[]], [0])
    with pytest.raises(ValueError, match=r"y_true\[0\] is 2"):
        book.accuracy([[0.5, 0.5]], [2])


# ---------------------------------------------------------------- the command line

def nnref_cli(*args):
    return subprocess.run([sys.executable, "-m", "nnref"] + list(args), cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)


@pytest.fixture(scope="module")
def ch9_json():
    result = nnref_cli("book", "ch9")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_book_ch9_writes_every_step(ch9_json):
    assert ch9_json["steps"] == list(book.CHAPTER9_STEPS)
    for step in ("dense1_dweights", "dense1_dbiases", "dense1_dinputs", "loss", "accuracy"):
        assert step in ch9_json["steps"]
    for step in FLOAT_STEPS:
        assert ch9_json[step + "_hex"] == CH9[step], step
        assert all_hexes(ch9_json[step]) == CH9[step], step
    assert ch9_json["y"] == CH9["y"] and ch9_json["predictions"] == CH9["predictions"]
    assert ch9_json["run"].startswith("Neural Networks from Scratch, chapter 9")


def test_book_ch9_out_file_and_errors(tmp_path):
    out = tmp_path / "ch9.json"
    result = nnref_cli("book", "ch9", "--out", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(out.read_text())["loss_hex"] == CH9["loss"]
    result = nnref_cli("book", "ch9", "--out", str(tmp_path / "missing" / "ch9.json"))
    assert result.returncode == 1
    assert result.stderr.startswith("nnref book: error: cannot write ")
    result = nnref_cli("book", "ch7")
    assert result.returncode == 2
    last = result.stderr.splitlines()[-1]
    assert last.startswith("nnref book: error: argument chapter: invalid choice: 'ch7'")
    assert "ch4" in last and "ch9" in last
    result = nnref_cli("book", "ch9", "--help")
    assert result.returncode == 0
    assert "ch9 (loss, accuracy, backward pass)" in " ".join(result.stdout.split())
