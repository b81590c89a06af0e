"""The README's pytest example, verbatim: a NumPy float32 softmax against conformance.cases.

tests/test_conformance_cases.py keeps this file and the README's block the
same; tools/ci/20-crosscheck.sh runs it with the rest of tests/peers, in the
venv that has NumPy.
"""

import numpy as np
import pytest
from nnref import conformance


def softmax(x):
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 0:
        raise TypeError("softmax needs a vector or a batch of rows")
    with np.errstate(all="ignore"):
        exps = np.exp(x - x.max(axis=-1, keepdims=True, initial=-np.inf))
        return exps / exps.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("case", conformance.cases("softmax", "float32"), ids=lambda case: case.id)
def test_softmax(case):
    case.check(softmax)
