"""The package's layers: nothing below imports from above.

The folders show the layers (docs/architecture.md draws the graph):

====  ==========================================================================
  0   ``nnref/_base/``: the float formats, exact rounding, the input contract
  1   the operations and layers: ``activations``, ``layers``, ``matrix``,
      ``rng``, ``datasets``, ``_chapter``
  2   beside them: the oracle ``exact/``, book mode ``book/``, ``testing``
  3   ``conformance/``
  4   the top: ``cli/``, the self-check (it checks the public face) and the
      facade ``nnref/__init__.py`` with ``__main__.py``
====  ==========================================================================

Every import in every module is read from its source with ``ast``, including
the imports inside functions, and resolved to the nnref module it names.
"""

import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "nnref")

# (module name or package prefix, layer); the longest match wins.
LAYERS = [
    ("nnref._base", 0),
    ("nnref.activations", 1), ("nnref.layers", 1), ("nnref.matrix", 1),
    ("nnref.rng", 1), ("nnref.datasets", 1), ("nnref._chapter", 1),
    ("nnref.gradients", 1),
    ("nnref.losses", 1),
    ("nnref.exact", 2), ("nnref.book", 2), ("nnref.testing", 2),
    ("nnref.conformance", 3),
    ("nnref.cli", 4), ("nnref._selfcheck", 4), ("nnref.__main__", 4), ("nnref", 4),
]


def layer_of(module):
    """The layer of a dotted nnref module name, or None if no rule covers it."""
    best = None
    for prefix, layer in LAYERS:
        if module == prefix or module.startswith(prefix + "."):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, layer)
    return None if best is None else best[1]


def module_name(path):
    relative = os.path.relpath(path, ROOT)[:-len(".py")].replace(os.sep, ".")
    return relative[:-len(".__init__")] if relative.endswith(".__init__") else relative


def imported_modules(source, module, is_package):
    """Every nnref module that ``source`` (the text of ``module``) imports, as (line, name)."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            # `from . import book` names the module nnref.book, and `from .checks
            # import shape` the name nnref._base.checks.shape, which the rules
            # place with its module.  (The packages above a module are always
            # loaded first; importing from them is not what counts.)
            found += [(node.lineno, target + "." + alias.name) for alias in node.names]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "__import__" and node.args):
            first = node.args[0]
            # __import__("nnref.cli." + name): the constant prefix names the package.
            while isinstance(first, ast.BinOp):
                first = first.left
            # A string constant: ast.Constant from 3.8, ast.Str before.
            text = getattr(first, "value", getattr(first, "s", None))
            if isinstance(text, str):
                found.append((node.lineno, text.rstrip(".")))
    return [(line, name) for line, name in found
            if name == "nnref" or name.startswith("nnref.")]


def violations(source, module, is_package=False):
    """The imports of ``module`` that reach a higher layer, as readable strings."""
    own = layer_of(module)
    bad = []
    for line, target in imported_modules(source, module, is_package):
        layer = layer_of(target)
        if layer is not None and layer > own:
            bad.append("%s:%d imports %s (layer %d) from layer %d"
                       % (module, line, target, layer, own))
        if target.startswith("nnref.cli") and not (module.startswith("nnref.cli")
                                                   or module == "nnref.__main__"):
            bad.append("%s:%d imports the command line %s" % (module, line, target))
    return bad


def package_sources():
    for folder, subfolders, names in os.walk(PACKAGE):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith((".", "__")))
        for name in sorted(names):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


SOURCES = list(package_sources())


def test_every_module_has_a_layer():
    unplaced = [module_name(path) for path in SOURCES if layer_of(module_name(path)) is None]
    assert unplaced == []
    assert len(SOURCES) >= 25


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: os.path.relpath(path, PACKAGE))
def test_no_module_imports_from_a_higher_layer(path):
    with open(path) as handle:
        source = handle.read()
    assert violations(source, module_name(path), path.endswith("__init__.py")) == []


def test_the_layers_are_the_folders():
    assert layer_of("nnref._base.formats") == 0
    assert layer_of("nnref.layers.Dense") == 1
    assert layer_of("nnref.exact._decimal_math") == 2
    assert layer_of("nnref.conformance._cases") == 3
    assert layer_of("nnref.cli.tour") == 4
    assert layer_of("nnref") == 4
    assert layer_of("numpy") is None


def test_an_upward_import_is_caught():
    # Relative, absolute, inside a function, and through __import__.
    assert violations("from ..layers import Dense\n", "nnref._base.checks") != []
    assert violations("import nnref.conformance\n", "nnref.testing") != []
    assert violations("def f():\n    from .. import book\n", "nnref._base.dot") != []
    assert violations("from . import exact\n", "nnref.datasets") != []
    assert violations("import nnref\n", "nnref.book", is_package=True) != []
    assert violations("m = __import__('nnref.cli.' + x)\n", "nnref.conformance") != []
    # The facade may not pull in the command line either.
    assert violations("from .cli import main\n", "nnref", is_package=True) != []


def test_downward_and_sideways_imports_pass():
    assert violations("from .._base.checks import shape\n", "nnref.exact", is_package=True) == []
    assert violations("from . import activations\n", "nnref.layers") == []
    assert violations("from .. import conformance\n", "nnref.cli.conformance") == []
    assert violations("from nnref.cli import main\n", "nnref.__main__") == []
    assert violations("import math, json\n", "nnref._base.formats") == []


def test_the_drawing_in_the_docs_is_the_package_and_points_down():
    import sys
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    try:
        import import_graph
    finally:
        sys.path.remove(os.path.join(ROOT, "tools"))
    assert import_graph.documented() == import_graph.mermaid(), \
        "docs/architecture.md is out of date: run python3 tools/import_graph.py --write"
    layers, edges = import_graph.graph()
    assert len(edges) > 30
    assert [(a, b) for a, b in edges if layer_of(a) < layer_of(b)] == []
