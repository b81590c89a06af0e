"""Allow-lists: the failures an implementation is expected to have, each with its reason.

One reader for ``check --allowlist``, ``conformance.run(impl, allow=...)`` and
``crosscheck`` (whose list is the package's ``allowlist.json``).  A file is
``{"entries": [...]}``; each entry has

* ``op``: an operation, or ``*`` for every one;
* ``dtype``: ``float64`` (the default), ``float32``, ``float16`` or
  ``bfloat16``: an entry covers failures in its own dtype only;
* either ``flag`` (every case carrying that flag) or ``tcId`` (one case of
  that op's file in that dtype);
* ``reason``: why, shown in place of FAIL;
* ``library``: the library it is for.  ``crosscheck`` requires it and applies
  only its own library's entries; elsewhere it is optional and not read.

A failed case an entry covers is counted as allowed and does not fail the
report; so is an unsupported case.  An entry that covered nothing in a run
that checked its operation and dtype is *stale*, and reported as such.

>>> entries = parse_allowlist({"entries": [
...     {"op": "relu", "flag": "nan-propagation", "reason": "NaN becomes 0"}]})
>>> entries
[{'op': 'relu', 'flag': 'nan-propagation', 'reason': 'NaN becomes 0', 'dtype': 'float64'}]
>>> parse_allowlist({"entries": [{"op": "relu", "reason": "no case"}]}, "mine.json")
Traceback (most recent call last):
    ...
nnref.conformance.VectorFormatError: mine.json: entries[0] needs op, reason and one of flag or tcId

Reading it needs nothing MicroPython lacks (``load_allowlist`` opens a file).
"""

from ._format import ARGUMENTS, DTYPES, VectorFormatError, describe_json, read_json


def load_allowlist(path, library=False):
    """The entries of the allow-list file ``path`` (see ``parse_allowlist``).

    ``OSError`` if it cannot be read; ``ValueError`` naming the file and the
    entry if it is not an allow-list (not JSON included)."""
    return parse_allowlist(read_json(path), path, library)


def parse_allowlist(document, where="allow-list", library=False):
    """The entries of an allow-list document ``{"entries": [...]}``, or of a list of
    entries, as new dicts that always hold ``dtype``.

    ``library`` True requires a ``library`` in every entry (``crosscheck``).
    ``ValueError`` naming ``where`` and the entry for anything else: a document
    without ``entries``, an entry that is not an object, misses ``op``,
    ``reason`` or both of ``flag`` and ``tcId`` (or has both), or names an
    unknown operation or dtype."""
    if isinstance(document, dict):
        if "entries" not in document:
            raise VectorFormatError("%s: not an allow-list: no \"entries\"" % where)
        items = document["entries"]
    else:
        items = document
    if not isinstance(items, (list, tuple)):
        raise VectorFormatError("%s: entries is %s, not a list" % (where, describe_json(items)))
    needs = "library, op, reason" if library else "op, reason"
    entries = []
    for i, entry in enumerate(items):
        if not isinstance(entry, dict):
            raise VectorFormatError("%s: entries[%d] is %s, not an object" % (where, i, describe_json(entry)))
        has_flag, has_id = "flag" in entry, "tcId" in entry
        if not _text(entry.get("op")) or not _text(entry.get("reason")) or has_flag == has_id \
                or (library and not _text(entry.get("library"))):
            raise VectorFormatError("%s: entries[%d] needs %s and one of flag or tcId" % (where, i, needs))
        if entry["op"] != "*" and entry["op"] not in ARGUMENTS:
            raise VectorFormatError("%s: entries[%d] has op %r; expected * or one of %s"
                                    % (where, i, entry["op"], ", ".join(ARGUMENTS)))
        if has_flag and not _text(entry["flag"]):
            raise VectorFormatError("%s: entries[%d] has flag %s, not a string"
                                    % (where, i, describe_json(entry["flag"])))
        if has_id and not (isinstance(entry["tcId"], int) and type(entry["tcId"]) is not bool):
            raise VectorFormatError("%s: entries[%d] has tcId %s, not an integer"
                                    % (where, i, describe_json(entry["tcId"])))
        entry = dict(entry)
        entry.setdefault("dtype", "float64")
        if entry["dtype"] not in DTYPES:
            raise VectorFormatError("%s: entries[%d] has dtype %r; expected one of %s"
                                    % (where, i, entry["dtype"], ", ".join(DTYPES)))
        entries.append(entry)
    return entries


def _text(value):
    return isinstance(value, str) and value != ""


def covers(entry, failure):
    """Does ``entry`` cover ``failure`` (same dtype, its op or ``*``, its flag or tcId)?"""
    if entry.get("dtype", "float64") != failure.dtype or entry["op"] not in ("*", failure.op):
        return False
    if "flag" in entry:
        return entry["flag"] in failure.flags
    return entry["tcId"] == failure.tc_id


def apply_allowlist(report, entries, library=None, dtype=None):
    """Mark each failure of ``report`` that an entry covers as allowed (its reason in
    ``Failure.allowed``); set and return ``report.stale``, the entries that covered
    nothing.

    With a ``library``, only that library's entries apply (``crosscheck``);
    without one, every entry does, whatever its ``library``.  An entry is stale
    when it covered nothing and is in scope: of ``dtype`` if one is given (a
    crosscheck runs one dtype), else of an operation and dtype the report
    checked."""
    entries = [dict(e, dtype=e.get("dtype", "float64")) for e in entries]
    if library is not None:
        entries = [e for e in entries if e.get("library") == library]
    used = set()
    for failure in report.failures:
        for i, entry in enumerate(entries):
            if covers(entry, failure):
                failure.allowed = entry["reason"]
                used.add(i)
                break
    checked = set((r.op, r.dtype) for r in report.results if not r.skipped)
    stale = []
    for i, entry in enumerate(entries):
        if i in used:
            continue
        if dtype is not None:
            in_scope = entry["dtype"] == dtype
        else:
            in_scope = any(d == entry["dtype"] and entry["op"] in ("*", op) for op, d in checked)
        if in_scope:
            stale.append(entry)
    report.stale = stale
    return stale
