"""Record the book's chapter-5 and chapter-9 runs from nnfs + NumPy, for nnref's book-mode tests.

Install what it needs, then run it from the repository root::

    pip install numpy nnfs              # recorded with nnfs 0.5.1, NumPy 2.4.6 (OpenBLAS)
    python tools/record_book_ch9.py     # writes tests/fixtures/book_ch9_float32.json

After ``nnfs.init()`` it runs the book's own chapter-9 classes (``Layer_Dense``,
``Activation_ReLU``, ``Activation_Softmax`` with its per-sample Jacobian loop,
``Loss``, ``Loss_CategoricalCrossentropy`` and the combined
``Activation_Softmax_Loss_CategoricalCrossentropy``, written out below as the
book prints them) through the chapter-9 script, and records every intermediate
and gradient: the forward pass, the sample losses, the loss, the accuracy, the
combined backward pass and the layers' ``dweights``, ``dbiases`` and
``dinputs``; and, on the same softmax output, the separate backward pass
(``Loss_CategoricalCrossentropy.backward`` then ``Activation_Softmax.backward``),
which the book compares with the combined one.  The chapter-5 run is the same
forward pass with ``Activation_Softmax`` and ``Loss_CategoricalCrossentropy``;
its loss is recorded too.  Beside the values it records what ``print`` shows
for each printed line of the two scripts.  Two small extras pin down NumPy's
order of operations: ``np.dot(inputs.T, dvalues)``, ``np.sum(axis=0)`` and
``np.mean`` of float32 arrays built
so that the order shows (``reductions``), and ``str()`` of float32 and float64
scalars (``scalar_strings``), which is how the scripts print the loss and the
accuracy.

One change to NumPy: its float32 ``exp`` and ``log`` are replaced by the
C library's ``exp`` and ``log`` (``math.exp``, ``math.log``, in float64)
rounded to float32.  A current NumPy computes float32 ``exp`` and ``log``
with its own SIMD code, which is not correctly rounded: on this run NumPy
2.4.6's ``exp`` changes 295 of the 900 values in the last bit, and with them
the last printed digit of some softmax values, and its ``log`` 51 of the 300
sample losses (not their printed mean), while the book's printed numbers are
those of the libm functions (nnfs_book issue 13).  How many values NumPy's
own functions would change is recorded (``numpy_simd_exp_differs``,
``numpy_simd_log_differs``).  Everything else is plain nnfs + NumPy: nnfs's
``np.dot`` (float64 operands, the result rounded to float32), float32
``np.sum``, ``np.mean``, ``np.clip``, and the book's arithmetic.

Every float is written as ``float.hex()`` of its exact value (a float32 value as
the float64 that holds it); the dtypes NumPy produced are recorded beside them.
"""

import contextlib
import io
import json
import math
import os
import sys

import numpy as np
import nnfs
from nnfs.datasets import spiral_data

from record_fixtures import hexes, meta as recorded_meta  # (tools/ is on sys.path)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "tests", "fixtures", "book_ch9_float32.json")

_numpy_exp = np.exp
_numpy_log = np.log


def libm_float32(function, x):
    # The C library's function of each float32 value (in float64), rounded to float32.
    values = np.asarray(x, dtype=np.float32)
    out = [function(v) for v in values.astype(np.float64).ravel().tolist()]
    return np.array(out, dtype=np.float64).reshape(values.shape).astype(np.float32)


def book_exp(x):
    return libm_float32(math.exp, x)


def book_log(x):
    return libm_float32(math.log, x)


# ------------------------------------------------- the book's chapter-9 classes

class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = np.dot(dvalues, self.weights.T)


class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0


class Activation_Softmax:
    def forward(self, inputs):
        self.inputs = inputs
        exp_values = book_exp(inputs - np.max(inputs, axis=1, keepdims=True))
        probabilities = exp_values / np.sum(exp_values, axis=1, keepdims=True)
        self.output = probabilities

    def backward(self, dvalues):
        self.dinputs = np.empty_like(dvalues)
        for index, (single_output, single_dvalues) in enumerate(zip(self.output, dvalues)):
            single_output = single_output.reshape(-1, 1)
            jacobian_matrix = np.diagflat(single_output) - np.dot(single_output, single_output.T)
            self.dinputs[index] = np.dot(jacobian_matrix, single_dvalues)


class Loss:
    def calculate(self, output, y):
        sample_losses = self.forward(output, y)
        self.sample_losses = sample_losses      # kept for the record only
        data_loss = np.mean(sample_losses)
        return data_loss


class Loss_CategoricalCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        samples = len(y_pred)
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            correct_confidences = y_pred_clipped[range(samples), y_true]
        elif len(y_true.shape) == 2:
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)
        negative_log_likelihoods = -book_log(correct_confidences)
        return negative_log_likelihoods

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        labels = len(dvalues[0])
        if len(y_true.shape) == 1:
            y_true = np.eye(labels)[y_true]
        self.dinputs = -y_true / dvalues
        self.dinputs = self.dinputs / samples


class Activation_Softmax_Loss_CategoricalCrossentropy():
    def __init__(self):
        self.activation = Activation_Softmax()
        self.loss = Loss_CategoricalCrossentropy()

    def forward(self, inputs, y_true):
        self.activation.forward(inputs)
        self.output = self.activation.output
        return self.loss.calculate(self.output, y_true)

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs / samples


# ------------------------------------------------------------------ recording

def meta():
    return dict(recorded_meta(),
                recorded_by="tools/record_book_ch9.py",
                exp_log="math.exp / math.log of the float32 values, rounded to float32 "
                        "(NumPy's own SIMD float32 exp and log replaced)")


def put(out, name, value):
    out[name] = hexes(value)
    out[name + "_dtype"] = str(np.asarray(value).dtype)


def run_chapter9():
    nnfs.init()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        # The chapter-9 script, as the book prints it.
        X, y = spiral_data(samples=100, classes=3)
        dense1 = Layer_Dense(2, 3)
        activation1 = Activation_ReLU()
        dense2 = Layer_Dense(3, 3)
        loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
        dense1.forward(X)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        loss = loss_activation.forward(dense2.output, y)
        print(loss_activation.output[:5])
        print('loss:', loss)
        predictions = np.argmax(loss_activation.output, axis=1)
        if len(y.shape) == 2:
            y = np.argmax(y, axis=1)
        accuracy = np.mean(predictions == y)
        print('acc:', accuracy)
        loss_activation.backward(loss_activation.output, y)
        dense2.backward(loss_activation.dinputs)
        activation1.backward(dense2.dinputs)
        dense1.backward(activation1.dinputs)
        print(dense1.dweights)
        print(dense1.dbiases)
        print(dense2.dweights)
        print(dense2.dbiases)
    out = {"stdout": printed.getvalue()}
    softmax = loss_activation.output
    for name, value in [
            ("X", X), ("dense1_weights", dense1.weights), ("dense1_biases", dense1.biases),
            ("dense1_output", dense1.output), ("relu_output", activation1.output),
            ("dense2_weights", dense2.weights), ("dense2_biases", dense2.biases),
            ("dense2_output", dense2.output), ("softmax_output", softmax),
            ("sample_losses", loss_activation.loss.sample_losses), ("loss", loss),
            ("accuracy", accuracy), ("loss_dinputs", loss_activation.dinputs),
            ("dense2_dweights", dense2.dweights), ("dense2_dbiases", dense2.dbiases),
            ("dense2_dinputs", dense2.dinputs), ("relu_dinputs", activation1.dinputs),
            ("dense1_dweights", dense1.dweights), ("dense1_dbiases", dense1.dbiases),
            ("dense1_dinputs", dense1.dinputs)]:
        put(out, name, value)
    out["y"] = [int(v) for v in y]
    out["predictions"] = [int(v) for v in predictions]
    out["loss_type"] = type(loss).__name__
    out["accuracy_type"] = type(accuracy).__name__

    # The separate backward pass on the same softmax output (the book's comparison).
    separate_loss = Loss_CategoricalCrossentropy()
    separate_loss.backward(softmax, y)
    separate_softmax = Activation_Softmax()
    separate_softmax.output = softmax
    separate_softmax.backward(separate_loss.dinputs)
    put(out, "crossentropy_dinputs", separate_loss.dinputs)
    put(out, "softmax_dinputs", separate_softmax.dinputs)

    # What NumPy's own float32 exp and log would change on this run.
    dense2_output = dense2.output
    shifted = dense2_output - np.max(dense2_output, axis=1, keepdims=True)
    out["numpy_simd_exp_differs"] = int((_numpy_exp(shifted) != book_exp(shifted)).sum())
    confidences = np.clip(softmax, 1e-7, 1 - 1e-7)[range(len(y)), y]
    out["numpy_simd_log_differs"] = int((_numpy_log(confidences) != book_log(confidences)).sum())
    return out


def run_chapter5():
    nnfs.init()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        # The chapter-5 script, as the book prints it.
        X, y = spiral_data(samples=100, classes=3)
        dense1 = Layer_Dense(2, 3)
        activation1 = Activation_ReLU()
        dense2 = Layer_Dense(3, 3)
        activation2 = Activation_Softmax()
        loss_function = Loss_CategoricalCrossentropy()
        dense1.forward(X)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        activation2.forward(dense2.output)
        print(activation2.output[:5])
        loss = loss_function.calculate(activation2.output, y)
        print('loss:', loss)
    out = {"stdout": printed.getvalue()}
    put(out, "softmax_output", activation2.output)
    put(out, "sample_losses", loss_function.sample_losses)
    put(out, "loss", loss)
    return out


# ------------------------------------------------ the reductions, pinned down

def reduction_cases():
    """np.dot(X.T, D), np.sum(axis=0) and np.mean of float32 arrays, whose results show the order.

    A column of 1.0 then fifteen 2**-24 sums to 1.0 added row after row (each
    2**-24 is half an ULP of 1.0 and rounds away), but not pairwise; -0.0
    columns show the +0.0 NumPy starts from.
    """
    tiny = 2.0 ** -24
    columns = np.array([[1.0, -0.0, tiny, 3.0]] + [[tiny, -0.0, 1.0, -1.0]] * 15,
                       dtype=np.float32)
    rs = np.random.RandomState(7)
    mixed = ((rs.random_sample((300, 3)) - 0.5)
             * 10.0 ** rs.randint(-6, 2, size=(300, 3))).astype(np.float32)
    means = [np.array([1.0] + [tiny] * n, dtype=np.float32) for n in (7, 8, 15, 16, 17, 299)]
    means.append(mixed[:, 0].copy())
    # nnfs's np.dot(inputs.T, dvalues), a float64 sum over the samples rounded
    # to float32: a cancelling sum (1 + 2**-60 - 1 in order is 0, exactly
    # 2**-60) and random float32 data of many sizes.
    dots = [(np.array([[1.0], [2.0 ** -30], [-1.0]], dtype=np.float32),
             np.array([[1.0], [2.0 ** -30], [1.0]], dtype=np.float32))]
    for n in (2, 9, 64, 300, 401):
        dots.append(((rs.randn(n, 2) * 10.0 ** rs.randint(-3, 4, size=(n, 2))).astype(np.float32),
                     (rs.randn(n, 3) * 10.0 ** rs.randint(-3, 4, size=(n, 3))).astype(np.float32)))
    return {
        "transposed_dots": [{"inputs": hexes(a), "dvalues": hexes(b), "dot": hexes(np.dot(a.T, b)),
                             "dtype": str(np.dot(a.T, b).dtype)} for a, b in dots],
        "column_sums": [{"rows": hexes(a), "sum": hexes(np.sum(a, axis=0, keepdims=True)),
                         "dtype": str(np.sum(a, axis=0).dtype)} for a in (columns, mixed)],
        "means": [{"values": hexes(a), "mean": hexes(np.mean(a)),
                   "dtype": str(np.mean(a).dtype)} for a in means],
    }


def scalar_strings():
    """str() of NumPy float32 and float64 scalars: what print(loss) and print(acc) show."""
    rs = np.random.RandomState(3)
    values = [0.0, -0.0, 1.0, 2.0, 0.5, 0.34, 1e-4, 9.9999e-5, 1e-5, 1e6, 999999.94, 1e16,
              9.999e15, 123456789.0, 3.4e38, 1e-45, 1e-40, 1.0986104, float("nan"),
              float("inf"), -float("inf"), -2.5e-7, 0.1]
    values += (np.sign(rs.random_sample(200) - 0.5)
               * 10.0 ** rs.uniform(-40, 38, 200)).tolist()
    return [{"value": float(v).hex(), "float32": str(np.float32(v)), "float64": str(np.float64(v))}
            for v in values]


def main():
    data = {"meta": meta(), "mode": "after nnfs.init() (float32, seed 0)",
            "chapter9": run_chapter9(), "chapter5": run_chapter5(),
            "reductions": reduction_cases(), "scalar_strings": scalar_strings()}
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d bytes)" % (os.path.relpath(OUT), os.path.getsize(OUT)))
    sys.stdout.write(data["chapter9"]["stdout"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
