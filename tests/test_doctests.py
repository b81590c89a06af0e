"""Run the examples as tests: every nnref module's doctests, and the doctest
code blocks of README.md and of every page in docs/.

Every module under ``nnref/`` is found on disk and must import here: on the
interpreters the test suite runs on (CPython 3.6-3.13, PyPy), all of them do,
``nnref.exact`` included (it needs only ``decimal``, which they all have).
A module that fails to import fails its test; nothing is skipped.  (MicroPython, where
``nnref.exact`` is absent, does not run pytest; the portability checks cover
it.)
"""

import doctest
import importlib
import inspect
import os
import re

import pytest

import nnref

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE_DIR = os.path.join(ROOT, "nnref")
FLAGS = doctest.ELLIPSIS


def module_names():
    names = []
    for folder, subfolders, filenames in os.walk(PACKAGE_DIR):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith((".", "__")))
        package = os.path.relpath(folder, ROOT).replace(os.sep, ".")
        for filename in sorted(filenames):
            if filename == "__init__.py":
                names.append(package)
            elif filename.endswith(".py"):
                names.append(package + "." + filename[:-3])
    return sorted(names)


MODULES = module_names()


def run_doctests(tests):
    """Run DocTests in order; return (number of examples, failure report)."""
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report = []
    examples = 0
    for test in tests:
        examples += len(test.examples)
        runner.run(test, out=report.append)
    return examples, runner.failures, "".join(report)


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name):
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, name)
    # Seed the default generator first, so doctests that draw from it see
    # the state a fresh interpreter has.
    nnref.seed(0)
    try:
        examples, failures, report = run_doctests(tests)
    finally:
        nnref.seed(0)
    assert failures == 0, report


def markdown_doctests(path):
    """One DocTest made of the ``python`` code blocks of a markdown file that hold ``>>>``."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    parts = []
    for match in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M):
        block = match.group(1)
        if ">>>" in block:
            # Keep the file's line numbers in failure reports.
            line = text.count("\n", 0, match.start(1))
            parts.append((line, block))
    source = ""
    for line, block in parts:
        padding = line - source.count("\n")
        source += "\n" * max(padding, 1) + block
    return doctest.DocTestParser().get_doctest(source, {}, os.path.relpath(path, ROOT), path, 0)


DOCS_DIR = os.path.join(ROOT, "docs")
MARKDOWN_PAGES = ["README.md"] + sorted(
    os.path.join("docs", name) for name in os.listdir(DOCS_DIR) if name.endswith(".md"))

# The pages that hold examples, and how many each has at least: a block that
# stops being found (a changed fence, a block moved to another page) fails
# here instead of silently running nothing.  A page not listed must have none.
EXAMPLES_AT_LEAST = {
    "README.md": 13,
    os.path.join("docs", "spec.md"): 63,
    os.path.join("docs", "book-mode.md"): 11,
    os.path.join("docs", "accuracy-and-speed.md"): 11,
    os.path.join("docs", "conformance.md"): 5,
}


def run_markdown(path):
    test = markdown_doctests(path)
    nnref.seed(0)
    try:
        return run_doctests([test])
    finally:
        nnref.seed(0)


@pytest.mark.parametrize("relative", MARKDOWN_PAGES)
def test_markdown_doctests(relative):
    examples, failures, report = run_markdown(os.path.join(ROOT, relative))
    if relative in EXAMPLES_AT_LEAST:
        assert examples >= EXAMPLES_AT_LEAST[relative], (
            "%s has %d doctest examples, expected at least %d"
            % (relative, examples, EXAMPLES_AT_LEAST[relative]))
    else:
        assert examples == 0, "%s has examples: list it in EXAMPLES_AT_LEAST" % relative
    assert failures == 0, report


def test_every_markdown_page_was_found():
    for relative in EXAMPLES_AT_LEAST:
        assert relative in MARKDOWN_PAGES, relative
    assert os.path.join("docs", "portability.md") in MARKDOWN_PAGES


def test_a_broken_markdown_example_fails(tmp_path):
    # The reader and runner above must report a wrong example, not skip it.
    page = tmp_path / "page.md"
    page.write_text("Text.\n\n```python\n>>> import nnref\n>>> nnref.relu([-1.0, 2.0])\n"
                    "[0.0, 3.0]\n\n```\n\n```sh\n>>> not python\n```\n", encoding="utf-8")
    examples, failures, report = run_markdown(str(page))
    assert (examples, failures) == (2, 1)
    assert "page.md" in report and "[0.0, 2.0]" in report


PUBLIC_FUNCTIONS = [(name, getattr(nnref, name)) for name in nnref.__all__
                    if inspect.isfunction(getattr(nnref, name))]
PUBLIC_FUNCTIONS += [("matrix." + name, getattr(nnref.matrix, name))
                     for name in ("shape", "zeros", "transpose", "matmul", "add_row", "sum", "max")]
PUBLIC_FUNCTIONS += [("datasets." + name, getattr(nnref.datasets, name))
                     for name in ("spiral_data", "vertical_data", "sine_data")
                     if hasattr(nnref.datasets, name)]


@pytest.mark.parametrize("name,function", PUBLIC_FUNCTIONS, ids=[n for n, _ in PUBLIC_FUNCTIONS])
def test_public_function_has_an_example(name, function):
    tests = doctest.DocTestFinder(recurse=False).find(function, name)
    assert sum(len(t.examples) for t in tests) >= 1, "%s has no doctest example" % name


def test_every_module_was_found():
    # The discovery above must see the core modules (a wrong path would find nothing).
    for name in ("nnref.activations", "nnref.layers", "nnref.matrix", "nnref.rng",
                 "nnref.datasets", "nnref._base.checks"):
        assert name in MODULES
