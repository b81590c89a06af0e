from typing import Any, Literal, Optional

_DType = Literal["float64", "float32", "float16", "bfloat16"]

# An int, or math.inf (a float) when exactly one of a and b is NaN.
def ulp_distance(a: float, b: float, dtype: _DType = ...) -> float: ...
def next_up(x: float, dtype: _DType = ...) -> float: ...
def next_down(x: float, dtype: _DType = ...) -> float: ...
def ulp(x: float, dtype: _DType = ...) -> float: ...
# actual and expected: numbers, nested lists/tuples of numbers, or objects
# with .tolist() or .item() (NumPy arrays, PyTorch tensors, JAX arrays).
# dtype=None: the dtype actual carries (else expected's, else float64).
def assert_close(
    actual: Any,
    expected: Any,
    *,
    max_ulp: Optional[float] = ...,
    rel: Optional[float] = ...,
    abs: Optional[float] = ...,
    rtol: float = ...,
    atol: float = ...,
    dtype: Optional[_DType] = ...,
) -> None: ...
