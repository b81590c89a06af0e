"""The bottom layer: the float formats and the input contract.

Nothing here imports from the rest of nnref.  ``formats`` holds the table of float
formats and every exact conversion into and out of them (the one rounding of
exact integers to a float among them), ``rounding`` adds floats exactly with
one rounding back, ``checks`` reads and validates every input, and ``dot``
is the packed exact dot product the dense layer and ``matmul`` share.
"""
