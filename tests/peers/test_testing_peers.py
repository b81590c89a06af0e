"""nnref.testing.assert_close with real NumPy arrays, PyTorch tensors and JAX arrays.

Not part of the default suite (tests/conftest.py ignores this folder: the
suite needs only pytest and hypothesis).  Run it in an environment that has
the libraries, from the checkout:

    PYTHONPATH=. python -m pytest -q tests/peers

Each library's tests skip if it is not installed.  The expected values come
from ``nnref.exact`` in the dtype of the result, and the ULP bounds are the
ones measured with these versions (NumPy 2.4.6, PyTorch 2.13.0+cpu, JAX
0.10.2, ml_dtypes 0.7.0), each with its reason.
"""

import warnings

import pytest

from nnref import exact
from nnref.testing import assert_close

XS = [i / 25.0 for i in range(-500, 501)]      # -20 .. 20


def failure(actual, expected, **options):
    with pytest.raises(AssertionError) as info:
        assert_close(actual, expected, **options)
    return str(info.value)


# --- NumPy -----------------------------------------------------------------------

def test_a_correct_float32_numpy_sigmoid_passes_without_dtype():
    np = pytest.importorskip("numpy")
    x = np.array(XS, dtype=np.float32)
    mine = 1 / (1 + np.exp(-x))                  # float32 throughout (NEP 50)
    assert mine.dtype == np.float32
    expected = exact.sigmoid(x.tolist(), dtype="float32")
    # NumPy's float32 exp is within 2 ULP; one more rounding each for + and /:
    # 2 ULP measured, 4 allowed.
    assert_close(mine, expected, max_ulp=4)
    message = failure(mine, expected)
    assert "compared as float32, the dtype of actual" in message
    # The old trap: the same values compared as float64 are about 2**29 ULP apart.
    message = failure(mine.tolist(), expected, max_ulp=4)
    assert "compared as float64" in message and "ULP apart" in message
    distance = int(message.split(": ")[-1].split(" ULP")[0].split(" ")[-1])
    assert distance >= 2 ** 28


def test_the_example_of_docs_accuracy_and_speed():
    np = pytest.importorskip("numpy")
    x = np.linspace(-20, 20, 1001, dtype=np.float32)
    mine = 1 / (1 + np.exp(-x))                                    # float32
    assert_close(mine, exact.sigmoid(x.tolist(), dtype="float32"), max_ulp=4)   # float32 ULPs
    assert_close(mine, 1 / (1 + np.exp(-x.astype(np.float64))), rtol=1e-6)   # NumPy's rule


def test_numpy_scalars_and_float16_arrays():
    np = pytest.importorskip("numpy")
    assert_close(np.float32(0.1), 0.10000000149011612)
    assert "compared as float32, the dtype of actual" in failure(np.float32(0.1), 0.1)
    assert "expected = 0.1 is not a float32 value" in failure(np.float32(0.1), 0.1)
    assert_close([np.float16(1.0), np.float16(2.0)], [1.0009765625, 2.0], max_ulp=1)
    assert_close(np.float64(0.1), 0.1)

    x = np.array(XS, dtype=np.float16)
    expected = exact.sigmoid(x.tolist(), dtype="float16")
    # computed in float32 and rounded once to float16: 0 ULP measured, 1 allowed
    # (the float32 result may sit next to a float16 midpoint)
    rounded_once = (1 / (1 + np.exp(-x.astype(np.float32)))).astype(np.float16)
    assert_close(rounded_once, expected, max_ulp=1)
    # computed natively in float16, exp(-x) overflows for x below about -11.09,
    # and the results that should be float16 subnormals come out 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        native = 1 / (1 + np.exp(-x))
    assert native.dtype == np.float16
    message = failure(native, expected, max_ulp=1)
    assert "compared as float16, the dtype of actual" in message


def test_numpy_dtypes_that_are_not_float_formats():
    np = pytest.importorskip("numpy")
    for array in (np.arange(3), np.array([1j]), np.array([True]), np.zeros(2, dtype=np.longdouble)):
        with pytest.raises(TypeError, match="actual has dtype %s, not one of the float formats"
                                            % array.dtype.name):
            assert_close(array, array.tolist())
    with pytest.raises(ValueError, match="dtype='float64' was passed, but actual has dtype float32"):
        assert_close(np.zeros(2, dtype=np.float32), [0.0, 0.0], dtype="float64")
    assert_close(np.zeros(2, dtype=np.float32).tolist(), [0.0, 0.0], dtype="float64")
    # an int array as expected lends no dtype and compares exactly
    assert_close(np.array([0.0, 1.0, 2.0], dtype=np.float16), np.arange(3))


def test_rtol_atol_exact_where_numpy_rounds():
    np = pytest.importorskip("numpy")
    # |a - e| = 1 + 2**-52 exceeds atol + rtol*|e| = 1 + 0.75 * 2**-52 exactly,
    # but NumPy's float arithmetic rounds the bound up to 1 + 2**-52.
    a, e = 1.0 + 2.0 ** -51, 2.0 ** -52
    assert bool(np.isclose(a, e, rtol=0.75, atol=1.0))
    failure(a, e, rtol=0.75, atol=1.0)
    # and where both agree, the same rule
    values = np.array([1.0, 100.0, 1e-9])
    reference = np.array([1.0 + 1e-6, 100.0 + 1e-4, 0.0])
    assert np.allclose(values, reference, rtol=1e-6, atol=1e-8)
    assert_close(values, reference, rtol=1e-6, atol=1e-8)


# --- PyTorch ---------------------------------------------------------------------

def test_a_torch_bfloat16_tensor_is_read_as_bfloat16():
    torch = pytest.importorskip("torch")
    x = torch.tensor(XS, dtype=torch.bfloat16)
    mine = torch.sigmoid(x)
    assert mine.dtype == torch.bfloat16
    expected = exact.sigmoid(x.tolist(), dtype="bfloat16")
    # computed in float32 and rounded once: 0 ULP measured, 1 allowed
    assert_close(mine, expected, max_ulp=1)
    wrong = list(expected)
    wrong[600] = wrong[600] + 2 * (2.0 ** -8 if wrong[600] >= 0.5 else 2.0 ** -9)
    message = failure(mine, wrong, max_ulp=1)
    assert "compared as bfloat16, the dtype of actual" in message
    assert "worst at [600]" in message and "2 ULP apart" in message
    # a float64 reference is no bfloat16 value; PyTorch's bfloat16 tolerances compare it
    reference = [1 / (1 + __import__("math").exp(-v)) for v in x.tolist()]
    assert "is not a bfloat16 value" in failure(mine, reference, max_ulp=1)
    assert_close(mine, reference, rtol=1.6e-2, atol=1e-5)


@pytest.mark.parametrize("name", ["float64", "float32", "float16", "bfloat16"])
def test_each_torch_dtype_is_read(name):
    torch = pytest.importorskip("torch")
    dtype = getattr(torch, name)
    step = {"float64": 2.0 ** -52, "float32": 2.0 ** -23, "float16": 2.0 ** -10,
            "bfloat16": 2.0 ** -7}[name]
    t = torch.tensor([1.0, 1.0 + step, 0.0], dtype=dtype)
    assert_close(t, [1.0, 1.0, 0.0], max_ulp=1)
    assert "compared as %s, the dtype of actual" % name in failure(t, [1.0, 1.0, 0.0])
    assert_close(t[1], 1.0 + step)                       # a 0-d tensor
    assert_close([t[0], t[1]], [1.0, 1.0], max_ulp=1)    # a list of them
    with pytest.raises(TypeError, match="actual has dtype int64"):
        assert_close(torch.tensor([1, 2]), [1, 2])


# --- JAX and ml_dtypes -------------------------------------------------------------

def test_a_jax_bfloat16_array_is_read_as_bfloat16():
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    x = jnp.array(XS, dtype=jnp.bfloat16)
    mine = jax.nn.sigmoid(x)
    assert str(mine.dtype) == "bfloat16"
    expected = exact.sigmoid(x.tolist(), dtype="bfloat16")
    # XLA's CPU sigmoid in bfloat16: 2 ULP measured, 3 allowed
    assert_close(mine, expected, max_ulp=3)
    assert "compared as bfloat16, the dtype of actual" in failure(mine, expected)
    # float32 arrays too
    mine32 = jax.nn.sigmoid(jnp.array(XS, dtype=jnp.float32))
    assert "compared as float32, the dtype of actual" in failure(
        mine32, [0.0] * len(XS), atol=0.5)


def test_an_ml_dtypes_bfloat16_numpy_array():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    np = pytest.importorskip("numpy")
    a = np.array([0.1, 1.0, 2.0 ** -133], dtype=ml_dtypes.bfloat16)  # subnormals kept
    assert_close(a, [0.10009765625, 1.0, 2.0 ** -133])
    assert_close([a[0], a[1]], [0.10009765625, 1.0])   # its scalars carry the dtype too
    assert "expected[0] = 0.1 is not a bfloat16 value" in failure(a, [0.1, 1.0, 2.0 ** -133])
    with pytest.raises(TypeError, match="actual has dtype float8_e4m3fn"):
        assert_close(np.array([1.0], dtype=ml_dtypes.float8_e4m3fn), [1.0])
