"""Which nnref results are bit-identical across interpreters: measure it.

Run on an interpreter (any of the matrix, MicroPython included: this needs
nothing but nnref and ``struct``)::

    python tools/bitcheck.py > cpython3.11.bits
    node tools/js/run_micropython.mjs tools/bitcheck.py > micropython.bits

it prints one line per result set: ``KIND NAME COUNT CHECKSUM``, where the
checksum covers the exact bit pattern of every float (and every int) in
order.  KIND says what nnref promises about it:

* ``exact``: exact arithmetic (step, linear, relu, dense, matmul, the sums,
  the MT19937 words, random_sample): the same bits on every interpreter;
* ``oracle``: ``nnref.exact``, correctly rounded, so the same bits wherever
  it exists (it is absent on MicroPython);
* ``libm``: results through the platform's exp, log, sin or cos (sigmoid,
  softmax, randn, the data sets, book mode): the same bits on interpreters
  that share a libm (the native ones on one machine; the WebAssembly ones).

Then compare the files (``tools/matrix.sh`` does this at its end)::

    python3 tools/bitcheck.py --compare DIR

reads every ``DIR/*.bits``; it fails (exit 1) if an ``exact`` or ``oracle``
result differs anywhere, or a ``libm`` result differs within one libm family
(names starting ``micropython`` or ``pyodide`` are WebAssembly, the rest
native); it reports, without failing, which ``libm`` results differ between
the families.
"""

import struct
import sys

_MODULUS = (1 << 61) - 1


def _words(value, out):
    # Flatten nested lists/tuples into 64-bit words: floats by their bits.
    if isinstance(value, (list, tuple)):
        for item in value:
            _words(item, out)
    elif type(value) is float:
        out.append(struct.unpack("<Q", struct.pack("<d", value))[0])
    else:
        out.append(int(value) & 0xFFFFFFFFFFFFFFFF)
    return out


def _line(kind, name, value):
    words = _words(value, [])
    checksum = 0
    for word in words:
        checksum = (checksum * 1000003 + word + 1) % _MODULUS
    print("%s %s %d %016x" % (kind, name, len(words), checksum))


def emit():
    import nnref
    from nnref import book, datasets, matrix

    # Inputs: exact draws, spread over [-40, 40) by exact scaling.
    draws = nnref.RandomState(12345).random_sample(2400)
    xs = [(u - 0.5) * 80.0 for u in draws]
    batch = [xs[i:i + 40] for i in range(0, 2000, 40)]          # 50 x 40
    weights = [xs[2000 + i:2000 + i + 10] for i in range(0, 400, 10)]   # 40 x 10
    biases = [xs[:10]]
    rows = [xs[i:i + 8] for i in range(0, 2000, 8)]

    _line("exact", "step", nnref.step(xs))
    _line("exact", "linear", nnref.linear(xs))
    _line("exact", "relu", nnref.relu(xs))
    _line("exact", "dense", nnref.dense(batch, weights, biases))
    _line("exact", "matmul", matrix.matmul(batch, weights))
    _line("exact", "sum", [matrix.sum(batch), matrix.sum(batch, axis=0), matrix.sum(batch, axis=1)])
    _line("exact", "max", [matrix.max(batch, axis=0), matrix.max(batch, axis=1)])
    rs = nnref.RandomState(2 ** 32 - 1)
    _line("exact", "mt19937", [rs.random_uint32() for _ in range(1500)])
    _line("exact", "random_sample", nnref.RandomState(7).random_sample((30, 20)))

    if hasattr(nnref, "exact"):
        oracle = nnref.exact
        _line("oracle", "exact.sigmoid", oracle.sigmoid(xs[:200]))
        _line("oracle", "exact.softmax", oracle.softmax(rows[:20]))
        _line("oracle", "exact.dense", oracle.dense(batch[:5], weights, biases))

    _line("libm", "sigmoid", nnref.sigmoid(xs))
    _line("libm", "softmax", nnref.softmax(rows))
    _line("libm", "randn", nnref.RandomState(1).randn(2000))
    _line("libm", "spiral_data", datasets.spiral_data(100, 3, rng=nnref.RandomState(0)))
    _line("libm", "vertical_data", datasets.vertical_data(100, 3, rng=nnref.RandomState(0)))
    _line("libm", "sine_data", datasets.sine_data(300))
    run = book.chapter4()
    _line("libm", "book.chapter4", [run[key] for key in book.CHAPTER4_STEPS])


def _family(name):
    return "wasm" if name.startswith(("micropython", "pyodide")) else "native"


def compare(folder):
    import os
    results = {}          # (kind, name) -> {interpreter: (count, checksum)}
    interpreters = []
    for file_name in sorted(os.listdir(folder)):
        if not file_name.endswith(".bits"):
            continue
        interpreter = file_name[:-5]
        interpreters.append(interpreter)
        with open(os.path.join(folder, file_name)) as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 4:
                    results.setdefault((parts[0], parts[1]), {})[interpreter] = (parts[2], parts[3])
    if not interpreters:
        print("bitcheck: no .bits files in %s" % folder)
        return 1
    failures = 0
    differing = []
    for (kind, name), seen in sorted(results.items()):
        if kind in ("exact", "oracle"):
            groups = [sorted(seen)]
            expected_everywhere = interpreters if kind == "exact" else None
        else:
            groups = [sorted(i for i in seen if _family(i) == family) for family in ("native", "wasm")]
            expected_everywhere = interpreters
        if expected_everywhere is not None:
            missing = [i for i in expected_everywhere if i not in seen]
            if missing:
                print("bitcheck: %s %s: missing on %s" % (kind, name, ", ".join(missing)))
                failures += 1
        for group in groups:
            if len(set(seen[i] for i in group)) > 1:
                print("bitcheck: %s %s differs between %s" % (
                    kind, name, ", ".join("%s=%s" % (i, seen[i][1][:8]) for i in group)))
                failures += 1
        if kind == "libm" and len(set(seen.values())) > 1:
            differing.append(name)
    native = [i for i in interpreters if _family(i) == "native"]
    wasm = [i for i in interpreters if _family(i) == "wasm"]
    exact_names = sorted(name for kind, name in results if kind == "exact")
    print("bitcheck: exact results (%s) bit-identical on all %d interpreters: %s"
          % (", ".join(exact_names), len(interpreters), "yes" if not failures else "NO"))
    print("bitcheck: libm results identical within the native family (%d) and the "
          "WebAssembly family (%d); differing between them: %s"
          % (len(native), len(wasm), ", ".join(differing) or "none"))
    return 1 if failures else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--compare":
        return compare(argv[2])
    if len(argv) > 1:
        print("usage: bitcheck.py [--compare DIR]")
        return 2
    emit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
