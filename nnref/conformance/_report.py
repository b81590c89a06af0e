"""What a check found: per-operation counts and failures, and the table that shows them.

``OpResult.record`` takes each case's verdict from ``check_case``; a
``Report`` holds the ``OpResult`` of every operation checked, knows which
failures an allow-list covers (``Failure.allowed``), prints as a table and
raises ``ConformanceError`` on request.  Each case is counted once: passed,
allowed (a failure or an unsupported case the allow-list covers), failed or
unsupported (the implementation said it does not take the input form), so
``cases = passed + allowed + failed + unsupported``.  A vectors file without
results is a row of its own (``OpResult.missing``) and fails the report.

>>> result = OpResult("relu")
>>> result.record({"tcId": 1}, True, 2, "", False)
>>> result.record({"tcId": 2, "comment": "relu(nan)", "flags": ["nan-propagation"]},
...               False, None, "got 0.0, expected nan", False)
>>> report = Report([result])
>>> report.ok, report.failures
(False, [Failure(op='relu', tc_id=2, reason='got 0.0, expected nan')])
>>> print(report)
op    cases  passed  allowed  failed  unsupported  worst ULP  failed tcIds
relu      2       1        0       1            0     2 (#1)  2
relu #2 FAIL [nan-propagation]: relu(nan) -- got 0.0, expected nan
FAILED: 1 case(s) outside the allow-list
"""


class ConformanceError(AssertionError):
    """Raised by ``Report.raise_for_failures`` when a case failed."""


def label(op, dtype="float64"):
    """How the table names an operation in a dtype: as its vector file does, without ``.json``.

    >>> label("softmax"), label("softmax", "float16")
    ('softmax', 'softmax.float16')
    """
    return op if dtype == "float64" else "%s.%s" % (op, dtype)


class Failure(object):
    """One failed case: ``op``, ``dtype``, ``tc_id``, ``comment``, ``flags``, ``reason``;
    ``unsupported`` is True when the implementation said it does not take the input
    form; ``allowed`` is the allow-list's reason when one covers it (else None)."""

    def __init__(self, op, tc_id, comment, flags, reason, dtype="float64", unsupported=False):
        self.op = op
        self.dtype = dtype
        self.tc_id = tc_id
        self.comment = comment
        self.flags = list(flags)
        self.reason = reason
        self.unsupported = unsupported
        self.allowed = None

    def __repr__(self):
        dtype = "" if self.dtype == "float64" else ", dtype=%r" % self.dtype
        return "Failure(op=%r%s, tc_id=%r, reason=%r)" % (self.op, dtype, self.tc_id, self.reason)


class OpResult(object):
    """The outcome for one operation in one dtype: counts, the worst ULP distance seen
    (in that dtype's ULPs), failures.  ``label`` names it in the table."""

    def __init__(self, op, dtype="float64"):
        self.op = op
        self.dtype = dtype
        self.cases = 0
        self.passed = 0
        self.acceptable = 0        # passed through an alternative
        self.worst = 0             # largest ULP distance in a passed case (abs-bound passes aside)
        self.worst_tc_id = None
        self.failures = []
        self.skipped = None        # reason, if the op was not run at all
        self.missing = None        # reason, if its vectors file has no results: a failure

    @property
    def label(self):
        return label(self.op, self.dtype)

    def record(self, test, passed, worst, reason, via_alternative, unsupported=False):
        """Count one case; a failed one becomes a ``Failure`` (``unsupported`` if the
        implementation said it does not take this input form)."""
        self.cases += 1
        # After cancellation the ULPs of a result say nothing: leave those out.
        if passed and worst > self.worst and "cancellation" not in test.get("flags", ()):
            self.worst = worst
            self.worst_tc_id = test["tcId"]
        if passed:
            self.passed += 1
            if via_alternative:
                self.acceptable += 1
        else:
            self.failures.append(Failure(self.op, test["tcId"], test.get("comment", ""),
                                         test.get("flags", ()), reason, self.dtype, unsupported))


class Report(object):
    """What a check found, per operation (``results``) and overall.

    ``ok`` is True when every failure (unsupported cases included) is covered
    by an allow-list, or there are none, and no vectors file lacks its results;
    ``failures`` lists every failure, ``unexpected`` those not allowed,
    ``unsupported`` the unsupported ones, ``missing`` the rows without results.
    ``stale`` holds the allow-list entries that covered nothing, once one is
    applied.  ``str(report)`` is the table.
    """

    def __init__(self, results, title=""):
        self.results = list(results)
        self.title = title
        self.stale = []

    @property
    def failures(self):
        return [f for r in self.results for f in r.failures]

    @property
    def unexpected(self):
        return [f for f in self.failures if f.allowed is None]

    @property
    def unsupported(self):
        return [f for f in self.failures if f.unsupported]

    @property
    def missing(self):
        return [r for r in self.results if r.missing]

    @property
    def ok(self):
        return not self.unexpected and not self.missing

    def raise_for_failures(self):
        """Raise ``ConformanceError`` naming the failed tcIds, unless ``ok``."""
        if self.ok:
            return
        parts = []
        for r in self.results:
            if r.missing:
                parts.append("%s: %s" % (r.label, r.missing))
            bad = [f for f in r.failures if f.allowed is None]
            if bad:
                ids = ", ".join(str(f.tc_id) for f in bad[:5]) + ("..." if len(bad) > 5 else "")
                unsupported = len([f for f in bad if f.unsupported])
                parts.append("%s: %d of %d cases failed%s: tcId %s (first: %s)"
                             % (r.label, len(bad), r.cases,
                                " (%d unsupported)" % unsupported if unsupported else "", ids, bad[0].reason))
        raise ConformanceError("; ".join(parts))

    def __str__(self):
        return _format_table(self)


def _pad(text, width, left=False):
    # By hand: MicroPython's str has no ljust or rjust.
    space = " " * (width - len(text))
    return text + space if left else space + text


def _ids(failures):
    return " ".join(str(f.tc_id) for f in failures)


def _format_table(report):
    """The report as a text table, then one line per failure."""
    header = ("op", "cases", "passed", "allowed", "failed", "unsupported", "worst ULP", "failed tcIds")
    rows = []
    for r in report.results:
        if r.skipped or r.missing:
            text = "skipped: " + r.skipped if r.skipped else "MISSING: " + r.missing
            rows.append((r.label, "-", "-", "-", "-", "-", "-", text))
            continue
        allowed = [f for f in r.failures if f.allowed is not None]
        bad = [f for f in r.failures if f.allowed is None and not f.unsupported]
        unsupported = [f for f in r.failures if f.allowed is None and f.unsupported]
        worst = str(r.worst) + ("" if r.worst_tc_id is None else " (#%d)" % r.worst_tc_id)
        text = _ids(bad)
        if unsupported:
            text = (text + "; " if text else "") + "unsupported: " + _ids(unsupported)
        if allowed:
            text = (text + "; " if text else "") + "allowed: " + _ids(allowed)
        rows.append((r.label, str(r.cases), str(r.passed), str(len(allowed)), str(len(bad)),
                     str(len(unsupported)), worst, text))
    widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header) - 1)]
    lines = []
    if report.title:
        lines.append(report.title)
    for row in [header] + rows:
        cells = [_pad(row[0], widths[0], left=True)]
        cells += [_pad(c, w) for c, w in zip(row[1:-1], widths[1:])]
        lines.append("  ".join(cells + [row[-1]]).rstrip())
    for f in report.failures:
        if f.allowed is not None:
            status = "allowed (%s)" % f.allowed
        else:
            status = "UNSUPPORTED" if f.unsupported else "FAIL"
        lines.append("%s #%s %s [%s]: %s -- %s" % (label(f.op, f.dtype), f.tc_id, status,
                                                  ", ".join(f.flags), f.comment, f.reason))
    if report.ok:
        lines.append("OK")
    else:
        words = []
        if report.unexpected:
            words.append("%d case(s) outside the allow-list" % len(report.unexpected))
        if report.missing:
            words.append("%d vectors file(s) without results" % len(report.missing))
        lines.append("FAILED: " + ", ".join(words))
    return "\n".join(lines)
