"""Check another implementation against nnref's conformance vectors.

The vectors (``python -m nnref vectors --out DIR``, one JSON file per
operation and dtype; ``--format lines`` for a flat line form that C reads
with ``scanf``; the formats are in ``docs/conformance.md``) hold cases with
their expected outputs and tolerances.  This module checks outputs against
them:

=========================================  =====================================
Function                                   What it does
=========================================  =====================================
``run(impl, vectors_dir=None, ops=None,    call a Python implementation on every
dtype="float64", accumulate=None,          case of one dtype and check what it
allow=None)``                              returns (``Unsupported``: an input
                                           form it does not take)
``check_files(vectors, results,            check a RESULTS file (the vectors with
dtype=None, ops=None, accumulate=None,     ``expected`` replaced by ``output``),
allow=None)``                              JSON or line form, or folders of them
``operations(dtype)``, ``DTYPES``          which operations have vectors in a
                                           dtype; the four dtypes
``file_name(op, dtype)``,                  ``op.json`` or ``op.DTYPE.json``; the
``lines_name(op, dtype)``                  same with ``.lines``
``load(path)``                             read a vector or results file
``decode_float(obj, dtype=None)``          ``{"dec", "hex", "bits"}`` -> float,
                                           exactly
``load_allowlist(path)``                   an allow-list's entries
``vectors(op, dtype="float64")``           the packaged vector document, parsed
``cases(op, dtype="float64")``             its cases as ``Case`` objects: ``.id``,
                                           ``.flags``, ``.inputs``, ``.check(func)``
                                           (for ``pytest.mark.parametrize``)
=========================================  =====================================

The dtypes are ``"float64"``, ``"float32"``, ``"float16"`` and
``"bfloat16"``: every activation and dense in each, the data sets in float64
(and book mode's float32 spiral and vertical data).  In a narrow dtype the
inputs are values of it, each output element must be one too ("output[2] =
0.1 is not a float16 value" otherwise), and ULPs are its ULPs.  Dense bounds
depend on the format the kernel adds in: ``accumulate`` (default float32 for
float16 and bfloat16, else the dtype).

Both checks return a ``Report``: ``report.ok``, ``report.failures`` (with
the ``tcId`` of each), ``report.unsupported``, ``str(report)`` (a table: op,
cases, passed, allowed, failed, unsupported, worst ULP distance, failures by
``tcId``), and ``report.raise_for_failures()``, which raises
``ConformanceError`` (an ``AssertionError``) naming them.  An allow-list
(``allow=``: a file, its document or its entries) covers expected failures:
they count as allowed, and ``report.ok`` stays True.

An element passes if it equals the expected value, or is within the test's
tolerance: ULP distance <= ``ulp``, or ``|out - expected| <= rel * |expected|``,
or ``|out - expected| <= abs`` (``rel`` and ``abs`` compared exactly, not in
rounded float arithmetic).  NaN matches NaN only; an infinity matches only
itself (or is ``ulp`` steps from the largest float); the sign of a zero
counts only where the tolerance says ``signedZero``.  An ``invalid`` case
passes if the call raises (any exception: other languages name theirs
differently); an ``acceptable`` case also passes if the output matches one of
its ``alternatives``.  Any other output, of any type, fails its case with a
reason that says what it was.

>>> import nnref
>>> from nnref import conformance
>>> report = conformance.run({"relu": nnref.relu, "step": nnref.step})
>>> report.ok
True
>>> def bad_relu(x):          # Python's bare max: an int 0, and NaN lost
...     if isinstance(x, list):
...         return [bad_relu(v) for v in x]
...     return max(0, x)
>>> report = conformance.run({"relu": bad_relu})
>>> report.ok
False
>>> [(f.tc_id, f.comment) for f in report.failures]
[(23, 'relu(nan)'), (24, 'all special values in one vector'), (29, 'ragged batch')]
>>> report.raise_for_failures()          # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
nnref.conformance.ConformanceError: relu: 3 of 33 cases failed: tcId 23, 24, 29 (first: ... got 0.0, expected nan (inf ULP))
>>> print(report)                        # doctest: +ELLIPSIS
op    cases  passed  allowed  failed  unsupported  worst ULP  failed tcIds
relu     33      30        0       3            0          0  23 24 29
relu #23 FAIL [nan-propagation]: relu(nan) -- 1 of 1 elements outside the tolerance; worst: got 0.0, expected nan (inf ULP)
...
relu #29 FAIL [shape-error]: ragged batch -- expected an error (nnref raises ValueError), got a result: [[1.0, 2.0], [3.0]]
FAILED: 3 case(s) outside the allow-list
>>> allow = [{"op": "relu", "flag": "nan-propagation", "reason": "max() loses NaN"},
...          {"op": "relu", "tcId": 29, "reason": "ragged rows are not checked"}]
>>> conformance.run({"relu": bad_relu}, allow=allow).ok
True

Decoding needs no ``float.fromhex``: hex strings are parsed by hand, so the
checker itself also runs where that is missing.
"""

# One concern per module, from the bottom up (nothing imports from above):
#   _format      the JSON file format: floats, trees, tests, documents, results; the schema; dumps
#   _lines       the flat line form of vectors and results (for C's scanf and printf)
#   _tolerances  the tolerance rules, each with its derivation (needs fractions)
#   _cases       what each operation's vectors hold, and their expected values (needs nnref.exact)
#   _check       comparing one outcome with one test under its tolerance
#   _report      OpResult, Report and the table
#   _allow       allow-lists: reading them, applying them to a report
#   _run         walking documents: calling an implementation, or reading RESULTS
#   _data        where the package data is: vectors/ and allowlist.json
#   _cases_api   vectors() and cases(): the packaged vectors for a test suite
# Checking (_format, _lines, _check, _report, _allow, _run) needs nothing MicroPython lacks; generating
# (_cases, _tolerances) needs fractions and nnref.exact.

from ._allow import apply_allowlist, load_allowlist, parse_allowlist
from ._cases_api import Case, cases, vectors
from ._check import check_case
from ._format import (DTYPES, VectorFormatError, accumulators, as_results, decode_float, decode_test,
                      decode_tree, default_accumulator, document_dtype, encode_bits, file_name, load,
                      operations, parse_hex)
from ._lines import lines_name
from ._report import ConformanceError, Failure, OpResult, Report
from ._run import Unsupported, check_accumulate, check_documents, check_files, run

__all__ = ["run", "check_files", "check_documents", "check_case", "as_results", "load",
           "decode_test", "decode_tree", "decode_float", "parse_hex", "encode_bits", "Report", "OpResult",
           "Failure", "ConformanceError", "VectorFormatError", "Unsupported", "DTYPES", "operations",
           "file_name", "lines_name", "accumulators", "default_accumulator", "check_accumulate",
           "document_dtype", "load_allowlist", "parse_allowlist", "apply_allowlist",
           "vectors", "cases", "Case"]

# The classes are nnref.conformance's, wherever they are defined: tracebacks
# and reprs name them so ("nnref.conformance.ConformanceError: ...").
for _class in (Report, OpResult, Failure, ConformanceError, VectorFormatError, Unsupported, Case):
    _class.__module__ = __name__
del _class
