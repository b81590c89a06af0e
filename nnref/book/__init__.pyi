# Stubs for nnref.book: the book's names, computing in float32 as after
# nnfs.init().  Everything here takes and returns Python floats (each one a
# float32 value); nothing switches a global float32 mode.
from typing import List, Optional, Sequence, TextIO, Tuple, TypedDict, TypeVar, Union

from .._types import Batch, Vector
from ..datasets import _NormalSource as _DataSource
from ..layers import _DenseLayer, _Elementwise, _Rows

def init(random_seed: Optional[int] = ...) -> None: ...
def format_array(x: Union[float, Vector, Batch]) -> str: ...
def spiral_data(samples: int, classes: int, rng: Optional[_DataSource] = ...) -> Tuple[List[List[float]], List[int]]: ...
def vertical_data(samples: int, classes: int, rng: Optional[_DataSource] = ...) -> Tuple[List[List[float]], List[int]]: ...
def sine_data(samples: int = ...) -> Tuple[List[List[float]], List[List[float]]]: ...

class Layer_Dense(_DenseLayer):
    inputs: Optional[List[List[float]]]
    dweights: Optional[List[List[float]]]
    dbiases: Optional[List[List[float]]]
    dinputs: Optional[List[List[float]]]
    def __init__(self, n_inputs: int, n_neurons: int, rng: Optional[_DataSource] = ...) -> None: ...
    def backward(self, dvalues: Batch) -> List[List[float]]: ...

# nnref.book's activations compute in float32; their forward() takes and
# returns what nnref's own do (a private base of their own at run time).
# backward(dvalues) returns what it is given: a number, a list or a batch of lists.
_AnyGrad = TypeVar("_AnyGrad", float, List[float], List[List[float]])
_RowGrad = TypeVar("_RowGrad", List[float], List[List[float]])

class _BookElementwise(_Elementwise):
    inputs: Union[None, float, List[float], List[List[float]]]
    dinputs: Union[None, float, List[float], List[List[float]]]
    def backward(self, dvalues: _AnyGrad) -> _AnyGrad: ...

class _BookRows(_Rows):
    inputs: Union[None, List[float], List[List[float]]]
    dinputs: Union[None, List[float], List[List[float]]]
    def backward(self, dvalues: _RowGrad) -> _RowGrad: ...

class Activation_ReLU(_BookElementwise): ...
class Activation_Softmax(_BookRows): ...
class Activation_Sigmoid(_BookElementwise): ...
class Activation_Step(_BookElementwise): ...
class Activation_Linear(_BookElementwise): ...

# Class indices (ints) or one-hot rows.
_Labels = Union[Sequence[int], Batch]

def accuracy(y_pred: Batch, y_true: _Labels) -> float: ...

class Loss:
    def calculate(self, output: Batch, y: _Labels) -> float: ...
    def forward(self, y_pred: Batch, y_true: _Labels) -> List[float]: ...

class Loss_CategoricalCrossentropy(Loss):
    dinputs: Optional[List[List[float]]]
    def __init__(self) -> None: ...
    def backward(self, dvalues: Batch, y_true: _Labels) -> List[List[float]]: ...

class Activation_Softmax_Loss_CategoricalCrossentropy:
    activation: Activation_Softmax
    loss: Loss_CategoricalCrossentropy
    output: Optional[List[List[float]]]
    dinputs: Optional[List[List[float]]]
    def __init__(self) -> None: ...
    def forward(self, inputs: Batch, y_true: _Labels) -> float: ...
    def backward(self, dvalues: Batch, y_true: _Labels) -> List[List[float]]: ...

CHAPTER4_STEPS: Tuple[str, ...]

class _Chapter4Run(TypedDict):
    # What chapter4() returns: the keys of CHAPTER4_STEPS (a plain dict at run time).
    X: List[List[float]]
    y: List[int]
    dense1_weights: List[List[float]]
    dense1_biases: List[List[float]]
    dense1_output: List[List[float]]
    relu_output: List[List[float]]
    dense2_weights: List[List[float]]
    dense2_biases: List[List[float]]
    dense2_output: List[List[float]]
    softmax_output: List[List[float]]

def chapter4(random_seed: int = ...) -> _Chapter4Run: ...
def print_chapter4(file: Optional[TextIO] = ...) -> None: ...

CHAPTER5_STEPS: Tuple[str, ...]
CHAPTER9_STEPS: Tuple[str, ...]

class _Chapter5Run(_Chapter4Run):
    # chapter5(): chapter 4's keys, then the loss.
    sample_losses: List[float]
    loss: float

_Grads = List[List[float]]
# What chapter9() adds to chapter 5's keys: the accuracy and the backward pass's gradients.
_Chapter9Gradients = TypedDict("_Chapter9Gradients", {
    "predictions": List[int], "accuracy": float, "loss_dinputs": _Grads,
    "dense2_dweights": _Grads, "dense2_dbiases": _Grads, "dense2_dinputs": _Grads,
    "relu_dinputs": _Grads, "dense1_dweights": _Grads, "dense1_dbiases": _Grads,
    "dense1_dinputs": _Grads})

class _Chapter9Run(_Chapter5Run, _Chapter9Gradients):
    # chapter9(): the keys of CHAPTER9_STEPS.
    pass

def chapter5(random_seed: int = ...) -> _Chapter5Run: ...
def chapter9(random_seed: int = ...) -> _Chapter9Run: ...
def print_chapter5(file: Optional[TextIO] = ...) -> None: ...
def print_chapter9(file: Optional[TextIO] = ...) -> None: ...
