# Shared type aliases for nnref's stubs (stub-only: there is no _types.py).
from typing import Sequence, Union

# A number: int or float (bool is rejected at run time, though type checkers
# treat it as an int).
Number = Union[int, float]
# A vector: a list or tuple of numbers.
Vector = Sequence[float]
# A batch: equal-length rows of numbers (the book's 2-D arrays).
Batch = Sequence[Sequence[float]]
# Anything elementwise functions take.
ArrayLike = Union[float, Vector, Batch]
