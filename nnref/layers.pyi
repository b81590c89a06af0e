from typing import Any, List, Optional, Protocol, Sequence, Union, overload

from ._types import Batch, Vector

class _NormalSource(Protocol):
    # What Dense draws its weights from: a RandomState, or anything whose
    # randn(rows, columns) gives rows of numbers.
    def randn(self, d0: int, d1: int) -> Sequence[Sequence[float]]: ...

def dense(inputs: Batch, weights: Batch, biases: Union[Vector, Batch]) -> List[List[float]]: ...

class _DenseLayer:
    # What Dense and nnref.book's Layer_Dense share (as at run time).
    n_inputs: int
    n_neurons: int
    weights: List[List[float]]
    biases: List[List[float]]
    output: Optional[List[List[float]]]
    inputs: Any
    def __init__(self, n_inputs: int, n_neurons: int, rng: Optional[_NormalSource] = ...) -> None: ...
    def forward(self, inputs: Batch) -> List[List[float]]: ...

class Dense(_DenseLayer):
    # Set by backward(dvalues).
    dinputs: List[List[float]]
    dweights: List[List[float]]
    dbiases: List[List[float]]
    def backward(self, dvalues: Batch) -> None: ...

class _Activation:
    # function: the activation that forward() applies; output holds what the
    # last forward() returned (None before the first call).
    # gradient: the backward pass that backward() applies (nnref's classes);
    # backward(dvalues) sets dinputs, the gradient for the last forward()'s inputs.
    function: Any
    gradient: Any
    output: Any
    inputs: Any
    dinputs: Any
    def __init__(self) -> None: ...
    def forward(self, inputs: Any) -> Any: ...
    def backward(self, dvalues: Any) -> None: ...

# Stub-only bases (not at run time): the forward() types of the elementwise
# activations (a number, a vector or a batch in, the same shape out) and of
# softmax (rows only), shared with nnref.book's float32 classes.
class _Elementwise(_Activation):
    @overload
    def forward(self, inputs: float) -> float: ...
    @overload
    def forward(self, inputs: Vector) -> List[float]: ...
    @overload
    def forward(self, inputs: Batch) -> List[List[float]]: ...

class _Rows(_Activation):
    @overload
    def forward(self, inputs: Vector) -> List[float]: ...
    @overload
    def forward(self, inputs: Batch) -> List[List[float]]: ...

class Step(_Elementwise): ...
class Linear(_Elementwise): ...
class Sigmoid(_Elementwise): ...
class ReLU(_Elementwise): ...
class Softmax(_Rows): ...
