"""Draw nnref's import graph, layer by layer, as a Mermaid diagram.

    python3 tools/import_graph.py            # print the diagram
    python3 tools/import_graph.py --check    # exit 1 if docs/architecture.md is out of date
    python3 tools/import_graph.py --write    # redraw it in docs/architecture.md

The imports are read from the sources by ``tests/test_architecture.py``,
which also fails on any arrow from a lower layer to a higher one; this script
only draws what that test reads.  Each arrow points from a module to one it
imports; a module's arrows to its own package's ``__init__`` are left out.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from test_architecture import (SOURCES, imported_modules, layer_of,  # noqa: E402
                               module_name)

DOC = os.path.join(ROOT, "docs", "architecture.md")
BEGIN = "```mermaid\n"
END = "```\n"
TITLES = {0: "0: formats and the contract", 1: "1: operations and layers",
          2: "2: oracle, book mode, testing", 3: "3: conformance", 4: "4: command line and facade"}


def graph():
    """(modules by layer, sorted edges) of the package."""
    modules = sorted(module_name(path) for path in SOURCES)
    edges = set()
    for path in SOURCES:
        source_module = module_name(path)
        with open(path) as handle:
            imports = imported_modules(handle.read(), source_module, path.endswith("__init__.py"))
        for _, target in imports:
            # The imported name belongs to the longest module name it starts with.
            owners = [m for m in modules if target == m or target.startswith(m + ".")]
            owner = max(owners, key=len) if owners else None
            if owner and owner != source_module:
                edges.add((source_module, owner))
    layers = {}
    for module in modules:
        layers.setdefault(layer_of(module), []).append(module)
    return layers, sorted(edges)


def mermaid():
    layers, edges = graph()
    lines = ["flowchart BT"]
    ident = {}
    for layer in sorted(layers):
        lines.append('  subgraph L%d["%s"]' % (layer, TITLES[layer]))
        for module in layers[layer]:
            ident[module] = module.replace(".", "_")
            lines.append('    %s["%s"]' % (ident[module], module))
        lines.append("  end")
    for source, target in edges:
        lines.append("  %s --> %s" % (ident[source], ident[target]))
    return "\n".join(lines) + "\n"


def documented():
    with open(DOC) as handle:
        text = handle.read()
    start = text.index(BEGIN) + len(BEGIN)
    return text[start:text.index(END, start)]


def write():
    with open(DOC) as handle:
        text = handle.read()
    start = text.index(BEGIN) + len(BEGIN)
    text = text[:start] + mermaid() + text[text.index(END, start):]
    with open(DOC, "w") as handle:
        handle.write(text)


def main(argv):
    if argv == ["--write"]:
        write()
        return 0
    if argv == ["--check"]:
        if documented() != mermaid():
            print("docs/architecture.md is out of date: run python3 tools/import_graph.py --write")
            return 1
        print("docs/architecture.md: the drawn graph is the package's")
        return 0
    sys.stdout.write(mermaid())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
