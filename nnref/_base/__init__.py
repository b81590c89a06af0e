"""The bottom layer: the float formats and the input contract.

Nothing here imports from the rest of nnref.  ``formats`` describes each float
format and rounds exactly into it, ``rounding`` does exact arithmetic on floats
with one rounding back, ``checks`` reads and validates every input, and ``dot``
is the packed exact dot product the dense layer and ``matmul`` share.
"""
