"""The example harnesses of examples/: present, documented, and with well-formed allow-lists.

The harnesses themselves run in tools/ci/25-harnesses.sh (Node and a C compiler, which
the default suite does not need): there `check` must pass their results with their
allow-lists, and fail a JavaScript softmax without the max shift.  Here: the files are
where the docs say, each allow-list entry names an operation the harness runs, the
harness's dtype, a flag or tcId its vectors hold, and a reason; and the CI job runs them.
"""

import json
import os
import re

import pytest

from nnref import conformance

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")
OPS = ("relu", "sigmoid", "softmax", "dense")
HARNESSES = [("js", "harness.mjs", "float64"), ("c", "harness.c", "float32")]


def read(*parts):
    with open(os.path.join(*parts), encoding="utf-8") as handle:
        return handle.read()


def allowlist(language):
    return json.loads(read(EXAMPLES, language, "allowlist.json"))


@pytest.mark.parametrize("language,name,dtype", HARNESSES)
def test_the_harness_and_its_allowlist_are_there(language, name, dtype):
    source = read(EXAMPLES, language, name)
    for op in OPS:
        assert op in source
    assert "--dtype %s" % dtype in source           # the check command, in its header
    assert "allowlist.json" in source


@pytest.mark.parametrize("language,name,dtype", HARNESSES)
def test_every_allowlist_entry_is_well_formed(language, name, dtype):
    document = allowlist(language)
    assert set(document) == {"comment", "entries"}
    assert isinstance(document["entries"], list)
    for entry in document["entries"]:
        assert set(entry) <= {"op", "dtype", "flag", "tcId", "reason"}, entry
        assert entry["op"] in OPS, entry
        assert entry.get("dtype", "float64") == dtype, entry
        assert ("flag" in entry) != ("tcId" in entry), entry
        assert isinstance(entry["reason"], str) and len(entry["reason"]) >= 20, entry
        cases = conformance.cases(entry["op"], dtype)
        if "flag" in entry:
            assert any(entry["flag"] in case.flags for case in cases), entry
        else:
            assert entry["tcId"] in [case.tc_id for case in cases], entry


def test_the_js_allowlist_covers_the_naive_float64_sum():
    # What a left-to-right float64 dot product does differently from nnref's exactly
    # rounded one: a running sum past the largest float overflows.
    entries = allowlist("js")["entries"]
    assert [e.get("flag") for e in entries] == ["intermediate-overflow"]


def test_the_js_harness_reads_and_writes_bits():
    source = read(EXAMPLES, "js", "harness.mjs")
    assert "BigInt(" in source and "DataView" in source
    assert "setBigUint64" in source and "getBigUint64" in source
    assert "softmax-no-shift" in source
    assert not re.search(r"^import .* from \"(?!node:)", source, flags=re.M), "Node built-ins only"


def test_the_c_harness_uses_only_the_standard_library():
    source = read(EXAMPLES, "c", "harness.c")
    headers = re.findall(r"^#include <([^>]+)>", source, flags=re.M)
    assert set(headers) <= {"math.h", "stdio.h", "stdlib.h", "string.h"}, headers
    assert "strtoul" in source and "memcpy" in source
    assert "cc -std=c99 -O2 harness.c -lm" in source


def test_ci_runs_both_harnesses_and_the_broken_one():
    job = read(ROOT, "tools", "ci", "25-harnesses.sh")
    assert "examples/js/harness.mjs" in job and "examples/c/harness.c" in job
    assert "--allowlist examples/js/allowlist.json" in job
    assert "--allowlist examples/c/allowlist.json" in job
    assert "--broken softmax-no-shift" in job
    assert "apt-get install -y -qq gcc" in job
    assert "vectors --format lines" in job


def test_the_docs_say_how_to_use_them():
    docs = read(ROOT, "docs", "conformance.md")
    assert "## For ports" in docs
    for path in ("examples/js/harness.mjs", "examples/c/harness.c",
                 "examples/js/allowlist.json", "examples/c/allowlist.json"):
        assert path in docs, path
