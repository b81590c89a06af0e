"""A typed use of nnref's public API, checked by mypy against the stubs.

``tools/ci/10-matrix.sh`` runs ``mypy --strict`` on this file (so the
stubs in ``nnref/*.pyi`` must give exactly these types) and also runs it as a
plain script, ``PYTHONPATH=. python tests/typing_usage.py`` (so the types describe what really happens).  Each
``# type: ignore[...]`` marks a misuse the stubs must reject: mypy runs with
``--warn-unused-ignores``, so a stub that let one through fails the check.
"""

import json
import os
import tempfile
from typing import Any, Dict, List, Optional, Tuple

import nnref
from nnref import RandomState, book, conformance, datasets, exact, matrix, testing
from nnref import gradients
from nnref import losses


def forward_pass(samples: int) -> List[List[float]]:
    rng = RandomState(0)
    X, y = datasets.spiral_data(samples, 3, rng=rng)
    labels: List[int] = y
    dense1 = nnref.Dense(2, 3, rng=rng)
    activation1 = nnref.ReLU()
    dense2 = nnref.Dense(3, 3, rng=rng)
    activation2 = nnref.Softmax()
    hidden: List[List[float]] = activation1.forward(dense1.forward(X))
    probabilities: List[List[float]] = activation2.forward(dense2.forward(hidden))
    assert len(labels) == len(probabilities)
    return probabilities


def scalars_vectors_batches() -> None:
    one: float = nnref.relu(-2)
    row: List[float] = nnref.relu([0, 2, -1, 3.3])
    rows: List[List[float]] = nnref.sigmoid([[1.0, 2.0], [3.0, 4.0]])
    probabilities: List[float] = nnref.softmax([4.8, 1.21, 2.385])
    batch: List[List[float]] = nnref.softmax([[1, 2, 3]])
    out: List[List[float]] = nnref.dense([[1.0, 2.0]], [[1.0], [2.0]], [0.5])
    out = nnref.dense([[1.0, 2.0]], [[1.0], [2.0]], [[0.5]])
    stepped: float = nnref.step(0.0) + nnref.linear(1.0)
    assert one == 0.0 and row[1] == 2.0 and len(rows) == 2 and len(batch[0]) == 3
    assert abs(sum(probabilities) - 1.0) < 1e-15 and out == [[5.5]] and stepped == 1.0


def matrix_calls() -> None:
    layer_outputs = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]
    total: float = matrix.sum(layer_outputs)
    per_row: List[List[float]] = matrix.sum(layer_outputs, axis=1, keepdims=True)
    per_column: List[float] = matrix.sum(layer_outputs, axis=0)
    top: List[float] = matrix.max(layer_outputs, axis=1)
    size: Tuple[int, ...] = matrix.shape(layer_outputs)
    product: List[List[float]] = matrix.matmul(layer_outputs, matrix.transpose(layer_outputs))
    dot: float = matrix.matmul([1.0, 2.0], [3.0, 4.0])
    zeros: List[List[float]] = matrix.zeros((2, 3))
    shifted: List[List[float]] = matrix.add_row(zeros, [1.0, 2.0, 3.0])
    assert total > 18 and len(per_row) == 3 and len(per_column) == 3 and top[0] == 4.8
    assert size == (3, 3) and len(product) == 3 and dot == 11.0 and shifted[1][2] == 3.0


def random_and_testing() -> None:
    rs = RandomState(42)
    first: float = rs.random_sample()
    several: List[float] = rs.random_sample(3)
    grid: List[List[float]] = rs.randn(2, 3)
    word: int = rs.random_uint32()
    nnref.seed(0)
    distance: float = testing.ulp_distance(0.1 + 0.2, 0.3)
    testing.assert_close([first], [first], max_ulp=0)
    half_steps: float = testing.ulp_distance(1.0, 2.0, dtype="float16")
    brain: float = testing.next_up(1.0, "bfloat16") - testing.ulp(1.0, dtype="bfloat16")
    testing.assert_close([1.0, 100.0], [1.0, 100.5], rtol=1e-2, atol=1e-8)
    testing.assert_close([1.0009765625], [1.0], max_ulp=1, rtol=0.0, atol=0, dtype="float16")
    testing.assert_close([1.0], [1.0], dtype=None)
    rounded: List[float] = exact.sigmoid([0.0, 1.0], dtype="float32")
    assert 0.0 <= first < 1.0 and len(several) == 3 and len(grid[1]) == 3
    assert 0 <= word < 2 ** 32 and distance == 1 and rounded[0] == 0.5
    assert half_steps == 1024 and brain == 1.0


def book_mode() -> None:
    book.init()
    book.init(None)
    X, y = book.spiral_data(samples=5, classes=3)
    V, w = book.vertical_data(2, 2, rng=RandomState(0))
    x, sine = book.sine_data(4)
    labels: List[int] = y + w
    dense1 = book.Layer_Dense(2, 3)
    weights: List[List[float]] = dense1.weights
    activation1 = book.Activation_ReLU()
    relu_rows: List[List[float]] = activation1.forward(dense1.forward(X))
    probabilities: List[List[float]] = book.Activation_Softmax().forward(relu_rows)
    row: List[float] = book.Activation_Softmax().forward([1.0, 2.0])
    half: float = book.Activation_Sigmoid().forward(0.0)
    ones: List[float] = book.Activation_Step().forward([1.0, -1.0])
    tenth: List[List[float]] = book.Activation_Linear().forward([[0.1]])
    run = book.chapter4()
    relu_output: List[List[float]] = run["relu_output"]
    classes: List[int] = run["y"]
    shown: str = book.format_array(relu_output[:2])
    # Chapters 5 and 9: the loss, the accuracy and the backward pass.
    loss_activation = book.Activation_Softmax_Loss_CategoricalCrossentropy()
    loss: float = loss_activation.forward(relu_rows, y)
    acc: float = book.accuracy(probabilities, y)
    dlogits: List[List[float]] = loss_activation.backward(probabilities, y)
    dhidden: List[List[float]] = dense1.backward(activation1.backward(dlogits))
    gradients: Optional[List[List[float]]] = dense1.dweights
    mean: float = book.Loss_CategoricalCrossentropy().calculate(probabilities[:1], [[1.0, 0.0, 0.0]])
    sigmoid = book.Activation_Sigmoid()
    sigmoid.forward(0.0)
    dscalar: float = sigmoid.backward(1.0)
    chapter9 = book.chapter9()
    dbiases: List[List[float]] = chapter9["dense1_dbiases"]
    accuracy: float = chapter9["accuracy"]
    loss_text: str = book.format_array(book.chapter5()["loss"])
    steps: Tuple[str, ...] = book.CHAPTER4_STEPS
    assert len(labels) == 19 and len(weights) == 2 and len(probabilities) == 15
    assert len(V) == 4 and len(x) == len(sine) == 4 and abs(sum(row) - 1.0) < 1e-6
    assert half == 0.5 and ones == [1.0, 0.0] and tenth == [[0.10000000149011612]]
    assert len(classes) == 300 and shown.startswith("[[") and steps[0] == "X"
    assert set(run) == set(steps)


def conformance_checks() -> None:
    report: conformance.Report = conformance.run({"relu": nnref.relu, "step": nnref.step})
    def dense16(x: List[List[float]], w: List[List[float]], b: List[List[float]]) -> List[List[float]]:
        return exact.dense(x, w, b, dtype="float16")

    narrow = conformance.run({"dense": dense16}, ops=["dense"], dtype="float16", accumulate="float32")
    assert report.ok and narrow.ok
    report.raise_for_failures()
    table: str = str(report)
    first: conformance.OpResult = report.results[0]
    label: str = first.label
    counts: Tuple[int, int] = (first.cases, first.passed)
    skipped: Optional[str] = first.skipped

    def bad_relu(x: Any) -> Any:
        return [bad_relu(v) for v in x] if isinstance(x, list) else max(0.0, x)

    failures: List[conformance.Failure] = conformance.run({"relu": bad_relu}).failures
    ids: List[int] = [f.tc_id for f in failures]
    allowed: Optional[str] = failures[0].allowed
    try:
        conformance.run({"relu": bad_relu}).raise_for_failures()
        raise AssertionError("no ConformanceError")
    except conformance.ConformanceError as error:
        assert "relu" in str(error)
    dtypes: Tuple[str, ...] = conformance.DTYPES
    names: List[str] = conformance.operations("float32")
    file_name: str = conformance.file_name("relu", "bfloat16")
    wide: List[str] = conformance.accumulators("float16")
    default: str = conformance.default_accumulator("bfloat16")
    vectors: Dict[str, Any] = conformance.load(
        os.path.join(os.path.dirname(conformance.__file__), "vectors", file_name))
    dtype: str = conformance.document_dtype(vectors)
    results = conformance.as_results(vectors)
    result: conformance.OpResult = conformance.check_documents(vectors, results)
    raw = vectors["testGroups"][0]["tests"][0]
    test = conformance.decode_test("relu", raw)
    outcome: Tuple[bool, Optional[float], str, bool] = conformance.check_case(
        test, ("value", test["expected"]), dtype="bfloat16")
    one: float = conformance.decode_float({"dec": "0.1", "hex": "0x1.999999999999ap-4"})
    tree: Any = conformance.decode_tree([{"hex": "0x1p+0"}])
    half: float = conformance.parse_hex("0x1.0p-1")
    with tempfile.TemporaryDirectory() as folder:
        results_path = os.path.join(folder, file_name)
        with open(results_path, "w") as handle:
            json.dump(results, handle)
        from_files: conformance.Report = conformance.check_files(
            os.path.join(os.path.dirname(conformance.__file__), "vectors", file_name), results_path,
            dtype="bfloat16")
    assert table.startswith("op") and label == "step" and counts[0] == counts[1] and skipped is None
    assert 23 in ids and allowed is None and dtypes[0] == "float64" and "relu" in names
    assert file_name == "relu.bfloat16.json" and wide[0] == "float16" and default == "float32"
    assert dtype == "bfloat16" and result.passed == result.cases and outcome[0]
    assert one == 0.1 and tree == [1.0] and half == 0.5 and from_files.ok


def backward_passes() -> None:
    d: List[List[float]] = [[1.0, -1.0]]
    x: List[List[float]] = [[0.5, -0.5]]
    g: List[List[float]] = nnref.relu_backward(d, x)
    v: List[float] = gradients.sigmoid_backward([1.0], [0.0])
    one: float = nnref.sigmoid_backward(1.0, 0.0)
    rows: List[List[float]] = nnref.softmax_backward(d, x)
    dinputs, dweights, dbiases = nnref.dense_backward(d, x, [[1.0, 0.0], [0.0, 1.0]])
    e: List[float] = exact.softmax_backward([1.0, 0.0], [0.0, 0.0], dtype="float16")
    layer = nnref.Dense(2, 2)
    layer.forward(x)
    layer.backward(d)
    dw: List[List[float]] = layer.dweights
    relu = nnref.ReLU()
    relu.forward(x)
    relu.backward(d)
    assert g and v and one and rows and dinputs and dweights and dbiases and e and dw
    assert relu.dinputs == [[1.0, 0.0]]


def misuses_the_stubs_reject() -> None:
    for bad in (
        lambda: nnref.relu("a"),  # type: ignore[arg-type]
        lambda: nnref.softmax(3.0),  # type: ignore[call-overload]
        lambda: nnref.dense([[1.0]], [[1.0]]),  # type: ignore[call-arg]
        lambda: RandomState("0"),  # type: ignore[arg-type]
        lambda: testing.ulp_distance(1.0, 2.0, dtype="float8"),  # type: ignore[arg-type]
        lambda: testing.assert_close(1.0, 1.0, dtype="float8"),  # type: ignore[arg-type]
        lambda: testing.assert_close(1.0, 1.0, rtol="1e-3"),  # type: ignore[arg-type]
        lambda: testing.assert_close(1.0, 1.0, 0.5),  # type: ignore[call-arg]
        lambda: datasets.spiral_data(1.5, 3),  # type: ignore[arg-type]
        lambda: datasets.spiral_data(3, 3, rng=42),  # type: ignore[arg-type]
        lambda: nnref.Dense(2, 3, rng=42),  # type: ignore[arg-type]
        lambda: nnref.Softmax().forward(1.0),  # type: ignore[call-overload]
        lambda: book.Activation_Softmax().forward(1.0),  # type: ignore[call-overload]
        lambda: book.Activation_ReLU().forward("a"),  # type: ignore[arg-type]
        lambda: book.Layer_Dense(2, 3, rng=42),  # type: ignore[arg-type]
        lambda: book.format_array("0.5"),  # type: ignore[arg-type]
        lambda: book.chapter9()["dense3_dweights"],  # type: ignore[typeddict-item]
        lambda: book.chapter4()["dense3_output"],  # type: ignore[typeddict-item]
        lambda: conformance.run({"relu": nnref.relu}, dtype="float8"),  # type: ignore[arg-type]
        lambda: conformance.run([nnref.relu]),  # type: ignore[arg-type]
        lambda: conformance.parse_hex(0.5),  # type: ignore[arg-type]
    ):
        try:
            bad()
        except (TypeError, ValueError, KeyError):
            continue
        raise AssertionError("a misuse was accepted at run time too")


def loss_and_gradients() -> None:
    probabilities = [[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]]
    labels = [0, 1]
    mean: float = nnref.categorical_crossentropy(probabilities, labels)
    each: List[float] = nnref.categorical_crossentropy(probabilities, [[1.0, 0.0, 0.0]] * 2, "none")
    share: float = nnref.accuracy(probabilities, labels)
    grad: List[List[float]] = nnref.categorical_crossentropy_backward(probabilities, labels)
    step_grad: List[List[float]] = nnref.softmax_crossentropy_backward([[1.0, 2.0, 3.0]], [2])
    oracle: float = exact.categorical_crossentropy(probabilities, labels, dtype="float32")
    oracle_each: List[float] = exact.categorical_crossentropy(probabilities, labels, "none")
    oracle_grad: List[List[float]] = exact.softmax_crossentropy_backward([[0.0]], [0], dtype="float16")
    loss = nnref.CategoricalCrossentropy()
    loss.backward(probabilities, labels)
    combined = losses.SoftmaxCategoricalCrossentropy()
    value: float = combined.forward([[0.0, 0.0]], [1])
    combined.backward([[0.5, 0.5]], [1])
    assert loss.dinputs is not None and combined.dinputs is not None
    assert mean > 0 and each and 0 <= share <= 1 and grad and step_grad and oracle > 0
    assert oracle_each and oracle_grad and value > 0
    for bad in (
        lambda: nnref.categorical_crossentropy(probabilities, labels, "average"),  # type: ignore[call-overload]
        lambda: exact.accuracy(probabilities, labels, dtype="float8"),  # type: ignore[arg-type]
    ):
        try:
            bad()
        except ValueError:
            continue
        raise AssertionError("a misuse was accepted at run time too")


if __name__ == "__main__":
    assert len(forward_pass(10)) == 30
    scalars_vectors_batches()
    matrix_calls()
    random_and_testing()
    book_mode()
    conformance_checks()
    backward_passes()
    misuses_the_stubs_reject()
    loss_and_gradients()
    print("typing_usage: ok")
