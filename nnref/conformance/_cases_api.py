"""The packaged vectors for a test suite: one document, or one operation's cases as objects.

``vectors(op, dtype)`` returns the vector document shipped in the package
(``nnref/conformance/vectors/``), parsed from its JSON: floats still in the
file notation.  ``cases(op, dtype)`` returns its cases as ``Case`` objects,
inputs decoded, each able to check a function itself, which is what a
parametrized pytest test needs:

.. code-block:: python

    @pytest.mark.parametrize("case", conformance.cases("softmax", "float32"),
                             ids=lambda case: case.id)
    def test_softmax(case):
        case.check(my_softmax)

Nothing here imports pytest: ``Case.check`` raises a plain ``AssertionError``,
which any test runner reports as a failure.

>>> from nnref import conformance
>>> import nnref
>>> first = conformance.cases("relu")[0]
>>> first.id, first.flags, first.comment
('relu-float64-1', ('chapter-example',), 'chapter inputs as a vector')
>>> [case] = [c for c in conformance.cases("relu") if c.comment == "relu(nan)"]
>>> case.flags, case.inputs
(('nan-propagation',), {'x': nan})
>>> case.check(nnref.relu)
>>> case.check(lambda x: max(0.0, x))          # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
AssertionError: relu-float64-... [nan-propagation] relu(nan): 1 of 1 elements outside the tolerance; worst: got 0.0, expected nan (inf ULP)
"""

import json

from .._base.formats import check_dtype
from ._check import check_case
from ._format import (ARGUMENTS, _copy_tree, decode_test, default_accumulator, document_dtype,
                      file_name, operations, tests_of)
from ._run import _call_case, check_accumulate


def _check_op(op, dtype, func):
    fmt = check_dtype(dtype, func)
    if not isinstance(op, str):
        raise TypeError("%s: op must be an operation name (str), got %r (%s)"
                        % (func, op, type(op).__name__))
    available = operations(fmt.name)
    if op not in available:
        if op in ARGUMENTS:
            raise ValueError("%s: there are no %s vectors for %r; %s has %s"
                             % (func, dtype, op, dtype, ", ".join(available)))
        raise ValueError("%s: op must be one of %s, got %r"
                         % (func, ", ".join(name for name in ARGUMENTS), op))
    return fmt.name


def vectors(op, dtype="float64"):
    """The vector document of ``op`` in ``dtype``, as the package ships it: the parsed JSON.

    ``op`` is an operation name (``"softmax"``, ``"dense"``, ...), ``dtype``
    one of ``DTYPES``.  The document is the file ``python -m nnref vectors``
    writes (``file_name(op, dtype)``): floats are ``{"dec", "hex"}`` objects
    as in the file (``decode_float``, ``decode_test`` read them).  Each call
    reads the file afresh, so changing the result changes nothing else.

    An operation without vectors in ``dtype`` (the data sets, mostly) is a
    ``ValueError`` that lists the ones it has; an unknown operation is a
    ``ValueError``, a name that is not a string a ``TypeError``.

    >>> doc = vectors("softmax", "float32")
    >>> doc["operation"], doc["dtype"], doc["arguments"], doc["numberOfTests"]
    ('softmax', 'float32', ['x'], 40)
    >>> vectors("sine_data", "float16")
    Traceback (most recent call last):
        ...
    ValueError: conformance.vectors: there are no float16 vectors for 'sine_data'; float16 has step, linear, relu, sigmoid, softmax, dense, relu_backward, sigmoid_backward, softmax_backward, dense_backward, categorical_crossentropy, categorical_crossentropy_backward, softmax_crossentropy_backward, accuracy
    """
    return _load(op, _check_op(op, dtype, "conformance.vectors"))


def _load(op, dtype):
    import os                               # here, not at import: MicroPython has no os.path
    from ._data import VECTORS_DIR
    with open(os.path.join(VECTORS_DIR, file_name(op, dtype))) as handle:
        return json.load(handle)


def cases(op, dtype="float64"):
    """The cases of ``op`` in ``dtype``, in file order, as ``Case`` objects.

    Each has ``id`` (``"softmax-float32-17"``: the operation, the dtype and
    the ``tcId``, so it stays the same from run to run and names one case
    only), ``flags``, ``inputs`` (decoded to floats and lists) and
    ``check(func)``.  ``op`` and ``dtype`` are as for ``vectors``.

    >>> [case.id for case in cases("step", "float16")][:3]
    ['step-float16-1', 'step-float16-2', 'step-float16-3']
    """
    document = _load(op, _check_op(op, dtype, "conformance.cases"))
    return [Case(document, raw) for raw in tests_of(document)]


class Case(object):
    """One case of a vector document, ready to check a function.

    Attributes: ``id`` (``"OP-DTYPE-TCID"``), ``op``, ``dtype``, ``tc_id``,
    ``comment``, ``flags`` (a tuple of strings), ``result`` (``"valid"``,
    ``"acceptable"`` or ``"invalid"``), ``exception`` (the Python exception
    nnref raises for an invalid case, else None), ``arguments`` (the
    argument names, in calling order), ``inputs`` (a dict from argument name
    to its value: floats, lists of floats, ints for the data sets' sizes and
    seeds), ``args`` (the same values as a list, in calling order),
    ``expected`` (the decoded expected output, None for an invalid case),
    ``tolerance`` (decoded).  ``inputs``, ``args`` and ``expected`` are new
    copies each time, so a function that changes its inputs changes nothing
    here.
    """

    def __init__(self, document, raw):
        self.op = document["operation"]
        self.dtype = document_dtype(document)
        self.arguments = tuple(document["arguments"])
        self._test = decode_test(self.op, raw, self.dtype)
        self.tc_id = raw["tcId"]
        self.id = "%s-%s-%d" % (self.op, self.dtype, self.tc_id)
        self.comment = raw.get("comment", "")
        self.flags = tuple(raw.get("flags", ()))
        self.result = raw["result"]
        self.exception = raw.get("exception")
        self.tolerance = self._test["tolerance"]

    @property
    def inputs(self):
        return _copy_tree(self._test["inputs"])

    @property
    def args(self):
        inputs = self._test["inputs"]
        return [_copy_tree(inputs[name]) for name in self.arguments]

    @property
    def expected(self):
        return _copy_tree(self._test["expected"])

    def __repr__(self):
        return "<Case %s %s%s>" % (self.id, self.result,
                                   " [%s]" % ", ".join(self.flags) if self.flags else "")

    def check(self, func, accumulate=None):
        """Call ``func(*case.args)`` and check what it returns or raises; None if the case passes.

        A valid or acceptable case passes when the output is within the
        case's tolerance (``docs/conformance.md``), an invalid one when
        ``func`` raises (any exception).  Otherwise ``AssertionError``, whose
        message starts with the id, the flags and the comment and says what
        was wrong: the element outside the tolerance, the exception raised
        (chained as the cause), or, for an invalid case, that ``func``
        returned instead of raising, and what.  ``func`` raising
        ``conformance.Unsupported`` fails the case too ("unsupported: ...").

        The output may be a float, nested lists or tuples of floats, or
        anything with ``.tolist()`` (NumPy arrays, tensors); for the data
        sets, an ``(X, y)`` pair.  ``accumulate`` is the format a dense kernel
        adds in, for dense in float16 and bfloat16 (default float32; see
        ``run``).
        """
        if self.op in ("dense", "dense_backward"):
            accumulate = check_accumulate(self.dtype, accumulate, "Case.check")
        else:
            accumulate = default_accumulator(self.dtype)
        raised = []

        def call(*args):
            try:
                return func(*args)
            except Exception as error:
                raised.append(error)
                raise

        kind, payload = _call_case(call, self.op, self.arguments, self.inputs)
        passed, _, reason, _ = check_case(self._test, (kind, payload), self.dtype, accumulate)
        if passed:
            return None
        message = "%s%s %s: %s" % (self.id, " [%s]" % ", ".join(self.flags) if self.flags else "",
                                   self.comment, reason)
        if raised:
            raise AssertionError(message) from raised[0]
        raise AssertionError(message)
