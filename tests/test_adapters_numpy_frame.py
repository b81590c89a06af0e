"""nnref.conformance._adapters' NumPy data-set adapters without NumPy.

The adapters rebuild nnfs's spiral_data, vertical_data and sine_data from
NumPy calls on the ``np`` they are given.  The default suite has no NumPy, so
here they get a tiny stand-in (1-d and 2-d float arrays as lists, with the
few operations the adapters use, and nnref's RandomState, which draws
NumPy's legacy numbers) and must give nnref.datasets' values, which
tests/test_datasets.py checks against nnfs's recorded output.  With the real
NumPy, tests/peers runs the same adapters.  Also: ``_library``'s message for a
library that is missing.
"""

import math

import pytest

from nnref import datasets
from nnref.conformance import _adapters
from nnref.rng import RandomState

from support import ulps


class Arr(object):
    def __init__(self, values):
        self.v = list(values)

    def _map2(self, other, f):
        if isinstance(other, Arr):
            return Arr(f(a, b) for a, b in zip(self.v, other.v))
        return Arr(f(a, other) for a in self.v)

    def __add__(self, o):
        return self._map2(o, lambda a, b: a + b)

    def __mul__(self, o):
        return self._map2(o, lambda a, b: a * b)

    __rmul__ = __mul__

    def __truediv__(self, o):
        return self._map2(o, lambda a, b: a / b)

    def astype(self, kind):
        assert kind == "float64"
        return self

    def reshape(self, *shape):
        return Arr2([[v] for v in self.v])


class Arr2(object):
    def __init__(self, rows):
        self.rows = [list(r) for r in rows]

    def __setitem__(self, ix, value):
        for i, row in zip(ix, value.rows if isinstance(value, Arr2) else [[value]] * len(ix)):
            self.rows[i] = list(row) if isinstance(value, Arr2) else value

    def __truediv__(self, o):
        return Arr2([[v / o for v in r] for r in self.rows])

    def __rmul__(self, o):
        return Arr2([[o * v for v in r] for r in self.rows])


class FakeNumpy(object):
    pi = math.pi

    class random(object):
        class RandomState(object):
            def __init__(self, seed):
                self.rs = RandomState(seed)

            def randn(self, n):
                return Arr(self.rs.randn(n))

    @staticmethod
    def zeros(shape, dtype):
        if isinstance(shape, tuple):
            return Arr2([[0.0] * shape[1] for _ in range(shape[0])])
        return Labels([0] * shape)

    @staticmethod
    def linspace(a, b, n):
        return Arr(a + (b - a) * i / (n - 1) if n > 1 else a for i in range(n))

    @staticmethod
    def arange(n):
        return Arr(float(i) for i in range(n))

    @staticmethod
    def sin(x):
        if isinstance(x, Arr2):
            return Arr2([[math.sin(v) for v in r] for r in x.rows])
        return Arr(math.sin(v) for v in x.v)

    @staticmethod
    def cos(x):
        return Arr(math.cos(v) for v in x.v)

    class _C(object):
        def __getitem__(self, columns):
            return Arr2(zip(*[c.v for c in columns]))
    c_ = _C()


class Labels(list):
    def __setitem__(self, ix, value):
        if isinstance(ix, range):
            for i in ix:
                list.__setitem__(self, i, value)
        else:
            list.__setitem__(self, ix, value)


def close(a, b):
    return all(ulps(x, y) <= 4 for x, y in zip(a, b)) and len(a) == len(b)


@pytest.mark.parametrize("samples,classes,seed", [(5, 3, 0), (4, 2, 7), (1, 2, 1)])
def test_spiral_and_vertical_adapters_give_nnfs_data(samples, classes, seed):
    np = FakeNumpy()
    for adapter, reference in ((_adapters._numpy_spiral, datasets.spiral_data),
                               (_adapters._numpy_vertical, datasets.vertical_data)):
        X, y = adapter(np, "float64", samples, classes, seed)
        want_X, want_y = reference(samples, classes, rng=RandomState(seed))
        assert len(X.rows) == samples * classes
        for got, want in zip(X.rows, want_X):
            assert close(got, want), (adapter.__name__, X.rows, want_X)
        assert list(y) == want_y


def test_sine_adapter_gives_nnfs_data():
    X, y = _adapters._numpy_sine(FakeNumpy(), 4)
    want_X, want_y = datasets.sine_data(4)
    assert X.rows == want_X
    assert all(close(a, b) for a, b in zip(y.rows, want_y))


def test_a_missing_library_names_what_to_install():
    with pytest.raises(ImportError, match=r"nnref_no_such_lib\.sub is not installed here \(.*\); pip install nnref_no_such_lib$"):
        _adapters._library("nnref_no_such_lib.sub")
