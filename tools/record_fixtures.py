"""Record the test fixtures from a real NumPy and nnfs.

Install what it needs, then run it from the repository root::

    pip install numpy nnfs
    python tools/record_fixtures.py            # writes tests/fixtures/*.json

It rewrites every file in ``tests/fixtures/`` that it owns:

* ``rng_streams.json``: ``numpy.random.RandomState`` for seeds 0, 1, 42 and
  2**32-1: the first raw MT19937 words, a mixed sequence of ``randn`` and
  ``random_sample`` calls (odd counts, so the kept Box-Muller value matters,
  and a reseed in the middle), and the state at the end; plus a state with
  planted words that the polar method must reject (r2 == 1 and r2 == 0);
* ``datasets_float64.json``: nnfs's ``spiral_data``, ``vertical_data`` and
  ``sine_data`` in plain NumPy float64 (no ``nnfs.init()``), each after
  ``np.random.seed(seed)``, with the next ``randn(3)`` after each data set to
  show where the generator was left; plus ``np.linspace`` cases;
* ``datasets_float32.json``: the same data sets after ``nnfs.init()``
  (float32, seed 0), each after a fresh ``nnfs.init()``;
* ``book_ch4_float32.json``: the book's chapter-4 run after ``nnfs.init()``:
  X, y, both dense layers' weights, biases and outputs, and the ReLU output.
  Not the softmax: NumPy 1.19 and later compute float32 ``exp`` with their
  own SIMD code, which differs from the book's in the last bits.

Every float is written as ``float.hex()`` of its exact value (a float32 value
as the float64 that holds it), so the tests compare bits, not digits.  The
dtypes NumPy produced are recorded beside the values.
"""

import json
import os
import platform
import sys

import numpy as np
import nnfs
from nnfs.datasets import sine_data, spiral_data, vertical_data

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(os.path.dirname(HERE), "tests", "fixtures")

SEEDS = [0, 1, 42, 2 ** 32 - 1]
RAW_WORDS = 700  # past 624, so the first twist after seeding is covered
SPIRAL_SIZES = [(100, 3), (1000, 5), (7, 2), (1, 3)]
VERTICAL_SIZES = [(100, 3), (7, 2)]
SINE_SIZES = [1000, 7]
LINSPACE_CASES = [
    (0.0, 1, 100), (0, 4, 100), (4, 8, 100), (8, 12, 100), (0.0, 1, 7),
    (4, 8, 7), (16, 20, 1000), (0.0, 1, 1), (4, 8, 1), (0.0, 1, 0),
    (0.0, 1, 2), (-3.5, 2.25, 13), (0.1, 0.7, 11), (1e-320, 2e-320, 5),
    (0.0, 5e-324, 3), (3.0, 3.0, 4),
]


def hexes(value):
    """Nested lists of float.hex strings for a NumPy array or scalar."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list):
        return [hexes(v) for v in value]
    return float(value).hex()


def meta():
    return {
        "recorded_by": "tools/record_fixtures.py",
        "numpy": np.__version__,
        "nnfs": getattr(nnfs, "__version__", "0.5.1"),
        "python": sys.version.split()[0],
        "platform": "%s %s" % (platform.system(), platform.machine()),
        "libc": " ".join(platform.libc_ver()),
        "float_format": "float.hex() of each value's exact float64 value",
    }


# ---------------------------------------------------------------- RandomState

def stream_for(seed):
    rs = np.random.RandomState(seed)
    words = np.random.RandomState(seed)._bit_generator.random_raw(RAW_WORDS)
    # (method, args): args are exactly what is passed, so the test can replay.
    plan = [
        ("randn", [3]), ("randn", [3]), ("random_sample", []),
        ("randn", [2, 3]), ("random_sample", [[2, 2]]), ("randn", [5]),
        ("randn", []), ("random_sample", [3]), ("randn", [0]),
        ("random_sample", [1]), ("randn", [1001]), ("randn", [1]),
        ("seed", [seed]), ("randn", [1]), ("random_sample", []),
        ("randn", [3, 1, 2]), ("randn", [4]),
    ]
    calls = []
    for method, args in plan:
        if method == "seed":
            rs.seed(*args)
            calls.append({"method": "seed", "args": args})
            continue
        if method == "random_sample" and args:
            size = args[0]
            result = rs.random_sample(tuple(size) if isinstance(size, list) else size)
        else:
            result = getattr(rs, method)(*args)
        calls.append({"method": method, "args": args, "values": hexes(result)})
    name, key, pos, has_gauss, cached = rs.get_state()
    return {
        "seed": seed,
        "raw_words": [int(w) for w in words],
        "calls": calls,
        "state_after": {
            "key": [int(k) for k in key], "pos": int(pos),
            "has_gauss": int(has_gauss), "cached_gaussian": float(cached).hex(),
        },
    }


def untemper(word):
    # Invert MT19937's output tempering, so a chosen output word can be
    # planted in the state (each xor-shift is undone by iterating it).
    y = word ^ (word >> 18)
    y ^= (y << 15) & 0xEFC60000
    x = y
    for _ in range(5):
        x = y ^ ((x << 7) & 0x9D2C5680 & 0xFFFFFFFF)
    z = x
    for _ in range(3):
        z = x ^ (z >> 11)
    return z


def state_dict(state):
    name, key, pos, has_gauss, cached = state
    return {"key": [int(k) for k in key], "pos": int(pos),
            "has_gauss": int(has_gauss), "cached_gaussian": float(cached).hex()}


def polar_rejection_case():
    # Outputs planted so that the first polar pair has r2 == 1 (x1 = -1,
    # x2 = 0) and the second r2 == 0 (x1 = x2 = 0): NumPy rejects both.
    planted = [0, 0, 2 ** 31, 0, 2 ** 31, 0, 2 ** 31, 0]
    key = np.random.RandomState(0).get_state()[1].copy()
    for i, word in enumerate(planted):
        key[i] = untemper(word)
    state = ("MT19937", key, 0, 0, 0.0)
    check = np.random.RandomState()
    check.set_state(state)
    if check._bit_generator.random_raw(len(planted)).tolist() != planted:
        raise SystemExit("untemper failed to plant the words")
    rs = np.random.RandomState()
    rs.set_state(state)
    normals = rs.randn(3)
    after = rs.get_state()
    rs.set_state(state)
    uniforms = rs.random_sample(4)
    return {
        "name": "polar method rejects r2 == 1 and r2 == 0",
        "planted_words": planted, "state": state_dict(state),
        "randn3": hexes(normals), "state_after_randn3": state_dict(after),
        "random_sample4": hexes(uniforms),
    }


def record_rng():
    return {"meta": meta(), "streams": [stream_for(s) for s in SEEDS],
            "edge_states": [polar_rejection_case()]}


# ------------------------------------------------------------------ data sets

def labelled_case(func, samples, classes, seed, start):
    start(seed)
    X, y = func(samples, classes)
    after = np.random.randn(3)
    return {
        "samples": samples, "classes": classes, "seed": seed,
        "X_dtype": str(X.dtype), "y_dtype": str(y.dtype),
        "X": hexes(X), "y": [int(v) for v in y],
        "after_randn3": hexes(after), "after_dtype": str(after.dtype),
    }


def sine_case(samples, start):
    start(0)
    X, y = sine_data(samples)
    return {
        "samples": samples, "X_dtype": str(X.dtype), "y_dtype": str(y.dtype),
        "X": hexes(X.ravel()), "y": hexes(y.ravel()),
    }


def record_datasets(start, extra_spiral_seeds):
    spiral = [labelled_case(spiral_data, s, c, 0, start) for s, c in SPIRAL_SIZES]
    for seed in extra_spiral_seeds:
        spiral.append(labelled_case(spiral_data, 100, 3, seed, start))
    return {
        "spiral": spiral,
        "vertical": [labelled_case(vertical_data, s, c, 0, start) for s, c in VERTICAL_SIZES],
        "sine": [sine_case(n, start) for n in SINE_SIZES],
    }


def record_linspace():
    cases = []
    for start, stop, num in LINSPACE_CASES:
        values = np.linspace(start, stop, num)
        cases.append({"start": float(start).hex(), "stop": float(stop).hex(), "num": num,
                      "values": hexes(values)})
    return cases


# ------------------------------------------------------------- book mode run

_ORIGINALS = {}


def save_numpy():
    # nnfs.init() replaces these module attributes; keep the originals so
    # every init() starts from plain NumPy, as in a fresh process.
    _ORIGINALS.update(zeros=np.zeros, eye=np.eye, dot=np.dot, randn=np.random.randn)


def restore_numpy():
    np.zeros, np.eye, np.dot = _ORIGINALS["zeros"], _ORIGINALS["eye"], _ORIGINALS["dot"]
    np.random.randn = _ORIGINALS["randn"]


def nnfs_start(seed):
    restore_numpy()
    nnfs.init(random_seed=seed)


class BookDense(object):
    # The book's chapter-4 dense layer: small Gaussian weights, zero biases.
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.output = np.dot(inputs, self.weights) + self.biases


class BookReLU(object):
    def forward(self, inputs):
        self.output = np.maximum(0, inputs)


def record_book_ch4():
    nnfs_start(0)
    X, y = spiral_data(samples=100, classes=3)
    dense1 = BookDense(2, 3)
    activation1 = BookReLU()
    dense2 = BookDense(3, 3)
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    out = {"meta": meta(), "note": "after nnfs.init(); softmax deliberately not recorded"}
    for name, arr in [("X", X), ("dense1_weights", dense1.weights),
                      ("dense1_biases", dense1.biases), ("dense1_output", dense1.output),
                      ("relu_output", activation1.output), ("dense2_weights", dense2.weights),
                      ("dense2_biases", dense2.biases), ("dense2_output", dense2.output)]:
        out[name] = hexes(arr)
        out[name + "_dtype"] = str(arr.dtype)
    out["y"] = [int(v) for v in y]
    out["y_dtype"] = str(y.dtype)
    return out


def write(name, data):
    path = os.path.join(OUT_DIR, name)
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d bytes)" % (os.path.relpath(path), os.path.getsize(path)))


def main():
    if not os.path.isdir(OUT_DIR):
        os.makedirs(OUT_DIR)
    save_numpy()
    write("rng_streams.json", record_rng())

    float64 = {"meta": meta(), "mode": "plain NumPy float64 (no nnfs.init())"}
    float64.update(record_datasets(np.random.seed, extra_spiral_seeds=[42]))
    float64["linspace"] = record_linspace()
    write("datasets_float64.json", float64)

    # From here on nnfs.init() patches NumPy; nnfs_start undoes it each time.
    float32 = {"meta": meta(), "mode": "after nnfs.init() (float32, seed 0)"}
    float32.update(record_datasets(nnfs_start, extra_spiral_seeds=[]))
    write("datasets_float32.json", float32)

    write("book_ch4_float32.json", record_book_ch4())
    restore_numpy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
