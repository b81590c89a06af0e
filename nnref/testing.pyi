from typing import Any, Literal, Optional

_DType = Literal["float64", "float32"]

# An int, or math.inf (a float) when exactly one of a and b is NaN.
def ulp_distance(a: float, b: float, dtype: _DType = ...) -> float: ...
def next_up(x: float, dtype: _DType = ...) -> float: ...
def next_down(x: float, dtype: _DType = ...) -> float: ...
def ulp(x: float, dtype: _DType = ...) -> float: ...
# actual and expected: numbers, nested lists/tuples of numbers, or objects
# with .tolist() or .item() (NumPy arrays, PyTorch tensors).
def assert_close(
    actual: Any,
    expected: Any,
    *,
    max_ulp: Optional[int] = ...,
    rel: Optional[float] = ...,
    abs: Optional[float] = ...,
    dtype: _DType = ...,
) -> None: ...
