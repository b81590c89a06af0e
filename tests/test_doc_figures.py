"""The ULP figures the docs give for nnref's own tiers, measured again.

A figure in the docs is a claim about the code, so each one is recomputed
here from the inputs it was measured on, against true values from
``decimal`` at 60 digits (``float(Decimal)`` rounds correctly), never from
nnref itself; the distances are counted with ``support.ulps``:

* docs/conformance.md: softmax on tcId 39 of the float64 vectors, nnref's
  float tier and ``nnref.exact``;
* docs/accuracy-and-speed.md: the ``nnref`` and ``nnref.exact`` columns of
  the sigmoid and softmax rows (largest and mean ULP), on the inputs
  ``benchmarks/accuracy.py`` draws with its default seed.

A sentence that gives nnref's float, book or exact tier an ULP figure must be
one of those checked here (``test_every_tier_figure_in_the_docs_is_checked``),
so a new one cannot go unmeasured.
"""

import decimal
import importlib.util
import json
import os
import re

import pytest

import nnref
from nnref import exact

from support import ulps

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")


def read(name):
    with open(os.path.join(DOCS, name), encoding="utf-8") as handle:
        return handle.read()


def paragraphs(text):
    """The text's paragraphs, each on one line."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


# ------------------------------------------------------------ true values, from decimal

CONTEXT = decimal.Context(prec=60, Emax=10 ** 6, Emin=-10 ** 6)


def true_sigmoid(xs):
    one = decimal.Decimal(1)
    return [float(CONTEXT.divide(one, CONTEXT.add(one, CONTEXT.exp(-decimal.Decimal(x)))))
            for x in xs]


def true_softmax(rows):
    out = []
    for row in rows:
        top = max(row)
        # x - top is exact at 60 digits for these inputs (53-bit values within 2**11 of each other).
        exps = [CONTEXT.exp(CONTEXT.subtract(decimal.Decimal(x), decimal.Decimal(top))) for x in row]
        total = sum(exps[1:], exps[0])
        out.append([float(CONTEXT.divide(e, total)) for e in exps])
    return out


def flat(rows):
    return [v for row in rows for v in row]


def distances(got, true):
    return [ulps(g, t) for g, t in zip(got, true)]


def test_the_true_values_are_right():
    # Recorded from mpmath at 80 digits, each rounded once through its exact binary value.
    assert true_sigmoid([0.0, 1.0, -745.0]) == [0.5, 0.7310585786300049, 5e-324]
    assert true_softmax([[4.8, 1.21, 2.385]]) == [[0.895282663957262, 0.02470830678209937,
                                                   0.08000902926063869]]


# ------------------------------------------------------------ docs/conformance.md

def vector_case(op, tc_id):
    with open(os.path.join(ROOT, "nnref", "conformance", "vectors", op + ".json")) as handle:
        document = json.load(handle)
    for group in document["testGroups"]:
        for test in group["tests"]:
            if test["tcId"] == tc_id:
                return test
    raise LookupError(tc_id)


def decode(tree):
    if isinstance(tree, list):
        return [decode(v) for v in tree]
    return float.fromhex(tree["hex"])


TIER_SENTENCE = re.compile(r"nnref's float tier [^.]*? on tcId (\d+) it is (\d+) ULP off, and "
                           r"`nnref\.exact` (\d+) ULP")


def test_softmax_tcid_39_figures_are_measured():
    found = [m for p in paragraphs(read("conformance.md")) for m in TIER_SENTENCE.finditer(p)]
    assert len(found) == 1
    tc_id, float_ulps, exact_ulps = (int(g) for g in found[0].groups())
    assert tc_id == 39
    x = decode(vector_case("softmax", tc_id)["inputs"]["x"])
    true = flat(true_softmax(x))
    assert max(distances(flat(nnref.softmax(x)), true)) == float_ulps
    assert max(distances(flat(exact.softmax(x)), true)) == exact_ulps


def test_the_library_figure_beside_it_is_not_nnrefs():
    # The 240 ULP of NumPy, PyTorch and ONNX: the max shift's rounding, amplified by exp.
    x = decode(vector_case("softmax", 39)["inputs"]["x"])
    import math
    naive = []
    for row in x:
        e = [math.exp(v - max(row)) for v in row]
        naive.extend(v / math.fsum(e) for v in e)
    assert max(distances(naive, flat(true_softmax(x)))) > 100


# ------------------------------------------------------------ docs/accuracy-and-speed.md

def benchmark():
    path = os.path.join(ROOT, "benchmarks", "accuracy.py")
    spec = importlib.util.spec_from_file_location("nnref_accuracy_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def table_rows():
    """{normalised title: (nnref cell, nnref.exact cell)} of the accuracy table's sigmoid and softmax rows."""
    rows = {}
    for line in read("accuracy-and-speed.md").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith(("sigmoid,", "softmax,")):
            rows[normalised(cells[0])] = (cells[1], cells[2])
    return rows


def normalised(title):
    return "".join(title.replace("\u2212", "-").split())


def figure(cell):
    """``"2 (0.24)"`` -> (2, "0.24"); ``"0"`` -> (0, None)."""
    match = re.match(r"^(\d+)(?: \(([\d.]+)\))?$", cell)
    assert match, cell
    return int(match.group(1)), match.group(2)


def same_when_rounded(value, shown):
    """``value`` printed with as many decimals as ``shown`` has is ``shown``."""
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    return abs(value - float(shown)) <= 0.5 * 10 ** -decimals


@pytest.fixture(scope="module")
def accuracy_cases():
    rng = nnref.RandomState(5)                  # benchmarks/accuracy.py's default --seed
    cases = list(benchmark().activation_cases(rng, quick=False))
    rows = table_rows()
    assert sorted(normalised(title) for title, _, _ in cases) == sorted(rows)
    return [(title, op, inputs, rows[normalised(title)]) for title, op, inputs in cases]


@pytest.mark.parametrize("index", range(4))
def test_accuracy_table_figures_for_nnref_are_measured(accuracy_cases, index):
    title, op, inputs, (nnref_cell, exact_cell) = accuracy_cases[index]
    if op == "sigmoid":
        true, mine, oracle = true_sigmoid(inputs), nnref.sigmoid(inputs), exact.sigmoid(inputs)
    else:
        true = flat(true_softmax(inputs))
        mine, oracle = flat(nnref.softmax(inputs)), flat(exact.softmax(inputs))
    worst, mean = figure(nnref_cell)
    measured = distances(mine, true)
    assert max(measured) == worst, title
    assert same_when_rounded(sum(measured) / len(measured), mean), (title, sum(measured) / len(measured))
    assert figure(exact_cell) == (0, None)
    assert max(distances(oracle, true)) == 0, title


# ------------------------------------------------------------ no figure unchecked

TIER_WORDS = re.compile(r"nnref's (?:own )?(?:float|book|exact)(?: \w+)? tier|`nnref\.exact` \d+ ULP")


def test_every_tier_figure_in_the_docs_is_checked():
    # A sentence naming one of nnref's tiers next to an ULP count is one of the figures above.
    checked = []
    for name in sorted(os.listdir(DOCS)):
        if not name.endswith(".md"):
            continue
        for paragraph in paragraphs(read(name)):
            for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
                if TIER_WORDS.search(sentence) and re.search(r"\d+ ULP", sentence):
                    checked.append((name, sentence))
    assert [name for name, _ in checked] == ["conformance.md"], checked
    assert TIER_SENTENCE.search(checked[0][1]), checked
