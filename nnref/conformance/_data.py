"""Where the package's data files are: the committed vectors and the cross-check allow-list.

They ship inside the package (``[options.package_data]`` in ``setup.cfg``), so
these paths are right in a checkout, an installed wheel and an unpacked sdist
alike: they are found beside this file, never relative to a checkout.

* ``VECTORS_DIR``: the vectors as ``python -m nnref vectors`` writes them, one
  ``OP.json`` per operation in float64 and ``OP.DTYPE.json`` in float32,
  float16 and bfloat16, and ``conformance.schema.json`` (a test keeps them
  byte for byte up to date);
* ``ALLOWLIST``: the differences ``python -m nnref crosscheck`` expects from
  NumPy, PyTorch, ONNX and JAX, each with its reason.

Only the command line and the tests use them: nothing here runs at
``import nnref`` (MicroPython has no ``os.path``).
"""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))

VECTORS_DIR = os.path.join(_HERE, "vectors")
ALLOWLIST = os.path.join(_HERE, "allowlist.json")
