"""nnref stays importable and correct in restricted environments.

These run on every interpreter of the matrix (``tools/matrix.sh``); MicroPython
and Pyodide run ``nnref.selfcheck`` instead, through ``tools/js``.
"""

import ast
import io
import os
import re
import subprocess
import sys
import tokenize

import pytest

import nnref
from nnref import _selfcheck

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "nnref")
# Every .py file of the package, as a path relative to nnref/ ("_base/checks.py").
SOURCES = sorted(os.path.relpath(os.path.join(folder, name), PACKAGE).replace(os.sep, "/")
                 for folder, _, names in os.walk(PACKAGE) for name in names if name.endswith(".py"))


def run_python(args, code=None, env=None):
    """Run this interpreter from the checkout root; return (exit code, stdout, stderr)."""
    command = [sys.executable] + args + ([code] if code is not None else [])
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, env=env)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def test_sources_found():
    assert "__init__.py" in SOURCES and "activations.py" in SOURCES and len(SOURCES) >= 8


def test_import_without_site_packages():
    rc, out, err = run_python(["-S", "-c"], "import nnref, sys; print(nnref.__file__); "
                                            "print('site' in sys.modules)")
    assert rc == 0, err
    lines = out.splitlines()
    assert os.path.realpath(lines[0]) == os.path.realpath(os.path.join(PACKAGE, "__init__.py"))
    assert lines[1] == "False"


# Lists every module that `import nnref` added, with where it came from.
_MODULES_SCRIPT = r"""
import os, sys, sysconfig
before = set(sys.modules)
import nnref
after = set(sys.modules)
paths = sysconfig.get_paths()
stdlib = set(os.path.realpath(paths[key]) for key in ("stdlib", "platstdlib") if key in paths)
for name in sorted(after - before):
    module = sys.modules[name]
    origin = getattr(module, "__file__", None) if module is not None else None
    print("%s\t%s" % (name, os.path.realpath(origin) if origin else "-"))
print("STDLIB\t" + "\t".join(sorted(stdlib)))
"""


def _is_under(path, folder):
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def test_import_loads_only_the_standard_library():
    rc, out, err = run_python(["-c"], _MODULES_SCRIPT)
    assert rc == 0, err
    lines = out.splitlines()
    stdlib = lines[-1].split("\t")[1:]
    assert stdlib, "sysconfig gave no standard-library folder"
    loaded = [line.split("\t") for line in lines[:-1]]
    names = [name for name, _ in loaded]
    assert "nnref" in names and "nnref.activations" in names
    assert _outside_stdlib(loaded, stdlib) == []


def _outside_stdlib(loaded, stdlib):
    # (name, file) pairs of modules that are neither nnref's own, built in,
    # nor files of the standard library.
    offenders = []
    for name, origin in loaded:
        if name == "nnref" or name.startswith("nnref."):
            if not _is_under(origin, os.path.realpath(PACKAGE)):
                offenders.append((name, origin))
            continue
        if origin == "-":
            continue  # built-in or frozen: part of the interpreter
        in_stdlib = any(_is_under(origin, folder) for folder in stdlib)
        if not in_stdlib or "site-packages" in origin or "dist-packages" in origin:
            offenders.append((name, origin))
    return offenders


def test_stdlib_check_can_fail():
    stdlib = ["/usr/lib/python3.9"]
    loaded = [("math", "-"), ("struct", "/usr/lib/python3.9/struct.py"),
              ("nnref", os.path.join(os.path.realpath(PACKAGE), "__init__.py")),
              ("numpy", "/usr/lib/python3.9/site-packages/numpy/__init__.py"),
              ("helper", "/home/me/helper.py"),
              ("nnref.copy", "/elsewhere/nnref/copy.py")]
    assert [name for name, _ in _outside_stdlib(loaded, stdlib)] == ["numpy", "helper", "nnref.copy"]


def test_import_works_with_what_micropython_lacks_removed():
    # MicroPython has no fractions, decimal, random.Random, typing, enum,
    # operator.mul, math.fsum/log1p/prod/ulp/nextafter or sys.float_info:
    # nnref must import and pass its self-check without them (nnref.exact,
    # which needs fractions, is then simply absent).
    code = r"""
import math, sys
for name in ("fractions", "decimal", "random", "typing", "dataclasses", "enum",
             "doctest", "warnings", "operator"):
    sys.modules[name] = None
for attr in ("fsum", "log1p", "prod", "ulp", "nextafter", "sumprod", "fma"):
    if hasattr(math, attr):
        delattr(math, attr)
del sys.float_info
import nnref
assert not hasattr(nnref, "exact")
assert not nnref.rng._USE_FAST
sys.exit(nnref.selfcheck(verbose=False))
"""
    rc, out, err = run_python(["-c"], code)
    assert rc == 0, out + err
    assert out.splitlines()[-1].endswith(" passed, 0 failed")


# --- syntax that older or smaller interpreters reject --------------------------

def _display_unpacking(node):
    # (1, *a), [*a], {*a} and {**a} in expressions: MicroPython rejects them.
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)) and not isinstance(
            getattr(node, "ctx", ast.Load()), ast.Store):
        return any(isinstance(element, ast.Starred) for element in node.elts)
    if isinstance(node, ast.Dict):
        return any(key is None for key in node.keys)
    return False


def _problems(tree):
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.AnnAssign):
            found.append((line, "variable annotation"))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.returns is not None:
                found.append((line, "return annotation"))
            arguments = node.args
            every = list(arguments.args) + list(arguments.kwonlyargs)
            every += list(getattr(arguments, "posonlyargs", []))
            every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
            if any(a.annotation is not None for a in every):
                found.append((line, "argument annotation"))
            if getattr(arguments, "posonlyargs", []):
                found.append((line, "positional-only parameters"))
        elif type(node).__name__ == "NamedExpr":
            found.append((line, "walrus"))
        elif type(node).__name__ in ("Match", "TypeAlias", "TryStar"):
            found.append((line, type(node).__name__))
        elif isinstance(node, ast.ImportFrom) and node.module == "__future__":
            found.append((line, "from __future__ import"))
        elif _display_unpacking(node):
            found.append((line, "unpacking in a display"))
    return found


@pytest.mark.parametrize("name", SOURCES)
def test_source_uses_only_portable_syntax(name):
    path = os.path.join(PACKAGE, name)
    with open(path, "rb") as handle:
        source = handle.read()
    compile(source, path, "exec")          # the running interpreter accepts it
    assert _problems(ast.parse(source, path)) == []


_FSTRING_DEBUG = re.compile(r"\{[^{}]*[^=!<>{}]=\s*(![rsa])?(:[^{}]*)?\}")
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)   # 3.12+: f-strings in parts
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)


def _fstring_debug_lines(readline):
    # Lines holding f"{x=}" (3.8+ only; MicroPython rejects it too).
    tokens = list(tokenize.tokenize(readline))
    lines = []
    depth = 0
    for i, token in enumerate(tokens):
        if token.type == tokenize.STRING:
            # Before 3.12 a whole f-string is one token: look inside it.
            prefix = re.match(r"[A-Za-z]*", token.string).group(0).lower()
            if "f" in prefix and _FSTRING_DEBUG.search(token.string):
                lines.append(token.start[0])
        elif _FSTRING_START is not None and token.type == _FSTRING_START:
            depth += 1
        elif _FSTRING_END is not None and token.type == _FSTRING_END:
            depth -= 1
        elif (depth and token.type == tokenize.OP and token.string == "="
              and i + 1 < len(tokens) and tokens[i + 1].string in ("}", "!", ":")):
            lines.append(token.start[0])
    return lines


def test_source_has_no_fstring_debug_specifier():
    bad = []
    for name in SOURCES:
        with open(os.path.join(PACKAGE, name), "rb") as handle:
            bad += [(name, line) for line in _fstring_debug_lines(handle.readline)]
    assert bad == []


def test_fstring_debug_check_can_fail():
    def lines(source):
        return _fstring_debug_lines(io.BytesIO(source.encode()).readline)
    assert lines('a = f"{x=}"\nb = f"{y = !r:>4}"\nc = f"{d[k]=:.3}"\n') == [1, 2, 3]
    assert lines('a = f"{x == 1} {y != 2} {g(k=1)} {x!r} {x:=^9}"\nb = "{x=}"\n') == []


def test_portable_syntax_check_can_fail():
    bad = ("x: int = 1\n"
           "def f(a: int, /, b=(1, *[2])) -> int:\n"
           "    return (y := a)\n"
           "d = {**{}}\n")
    if sys.version_info < (3, 8):
        bad = "x: int = 1\ndef f(a: int, b=(1, *[2])) -> int:\n    return a\nd = {**{}}\n"
    kinds = set(kind for _, kind in _problems(ast.parse(bad)))
    assert {"variable annotation", "return annotation", "argument annotation",
            "unpacking in a display"} <= kinds
    if sys.version_info >= (3, 8):
        assert {"walrus", "positional-only parameters"} <= kinds
    assert _problems(ast.parse("a, *b = [1, 2]\nc = [1, 2]\n")) == []


# --- the self-check --------------------------------------------------------------

def test_selfcheck_passes_here():
    report = io.StringIO()
    assert nnref.selfcheck(file=report) == 0
    lines = report.getvalue().splitlines()
    assert lines[0].startswith("nnref %s self-check on " % nnref.__version__)
    checks = lines[1:-1]
    assert len(checks) == len(_selfcheck._CHECKS) >= 25
    assert all(line.startswith("PASS  ") for line in checks)
    assert all(line.endswith("[exact]") or re.search(r"\[within \d+ (float32 )?ULP\]$", line) for line in checks)
    assert lines[-1] == "%d passed, 0 failed" % len(checks)


def test_selfcheck_command_exit_code():
    rc, out, err = run_python(["-m", "nnref", "selfcheck"])
    assert rc == 0, out + err
    assert re.match(r"^\d+ passed, 0 failed$", out.splitlines()[-1])
    rc, out, err = run_python(["-m", "nnref", "selfcheck", "-q"])
    assert rc == 0 and len(out.splitlines()) == 1


def test_selfcheck_reports_a_broken_function(monkeypatch):
    # relu returning Python's max(0, x) (ints for negatives) must be caught.
    monkeypatch.setattr(nnref, "relu", lambda x: [max(0, v) for v in x] if isinstance(x, list) else max(0, x))
    report = io.StringIO()
    failed = nnref.selfcheck(verbose=False, file=report)
    lines = report.getvalue().splitlines()
    assert failed >= 1
    assert lines[-1].endswith(" %d failed" % failed)
    assert any(line.startswith("FAIL  relu") for line in lines)
    from nnref.cli.selfcheck import main as selfcheck_main
    assert selfcheck_main(["selfcheck", "-q"]) == 1


BROKEN_BACKWARD = [
    # softmax's gradient without the <s, d> term: s * d.
    ("softmax_backward", lambda d, x: [[si * di for si, di in zip(s, dr)]
                                       for s, dr in zip(nnref.softmax(x), d)],
     "FAIL  backward passes"),
    # dense's dweights from the wrong operand: d^T @ d instead of X^T @ d.
    ("dense_backward", lambda d, x, w: (nnref.matrix.matmul(d, nnref.matrix.transpose(w)),
                                        nnref.matrix.matmul(nnref.matrix.transpose(d), d),
                                        [nnref.matrix.sum(d, axis=0)]),
     "FAIL  backward passes"),
    # relu's gradient passing dvalues at 0 (x >= 0).
    ("relu_backward", lambda d, x: [[dv if xv >= 0 else 0.0 for dv, xv in zip(dr, xr)]
                                    for dr, xr in zip(d, x)],
     "FAIL  backward passes"),
    # an accuracy stuck at one half, and a loss of zeros.
    ("accuracy", lambda p, y: 0.5, "FAIL  loss"),
    ("categorical_crossentropy", lambda p, y, reduction="mean": [0.0] * len(p), "FAIL  loss"),
]


@pytest.mark.parametrize("name,broken,line", BROKEN_BACKWARD, ids=[b[0] for b in BROKEN_BACKWARD])
def test_selfcheck_reports_broken_gradients_and_losses(monkeypatch, name, broken, line):
    monkeypatch.setattr(nnref, name, broken)
    report = io.StringIO()
    assert nnref.selfcheck(verbose=False, file=report) >= 1
    assert any(text.startswith(line) for text in report.getvalue().splitlines())


def test_selfcheck_compares_bits_and_ulps():
    _selfcheck._exact([0.0, float("nan")], [0.0, float("nan")])
    with pytest.raises(_selfcheck._Mismatch):
        _selfcheck._exact(-0.0, 0.0)
    with pytest.raises(_selfcheck._Mismatch):
        _selfcheck._exact(0, 0.0)                       # an int where a float is promised
    with pytest.raises(_selfcheck._Mismatch):
        _selfcheck._exact([[1.0]], [[1.0], [2.0]])
    _selfcheck._near(1.0 + 4 * 2.0 ** -52, 1.0, 4)
    with pytest.raises(_selfcheck._Mismatch):
        _selfcheck._near(1.0 + 5 * 2.0 ** -52, 1.0, 4)
    with pytest.raises(_selfcheck._Mismatch):
        _selfcheck._near(float("inf"), 1.7976931348623157e308, 4)
    assert _selfcheck._ulps(-5e-324, 5e-324) == 2


def test_npm_packages_are_pinned():
    # The WebAssembly interpreters are tested at exact versions: package.json
    # pins them and the lockfile records the same ones (CI runs `npm ci`).
    import json
    folder = os.path.join(ROOT, "tools", "js")
    with open(os.path.join(folder, "package.json")) as handle:
        wanted = json.load(handle)["dependencies"]
    with open(os.path.join(folder, "package-lock.json")) as handle:
        locked = json.load(handle)["packages"]
    assert set(wanted) == {"@micropython/micropython-webassembly-pyscript", "pyodide"}
    assert wanted["@micropython/micropython-webassembly-pyscript"] == "1.27.0"
    for name, version in wanted.items():
        assert re.match(r"^\d+\.\d+\.\d+$", version), (name, version)
        assert locked["node_modules/" + name]["version"] == version


def _load_bitcheck():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "bitcheck", os.path.join(ROOT, "tools", "bitcheck.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bitcheck_emits_every_kind_of_result():
    env = dict(os.environ, PYTHONPATH=ROOT)
    rc, out, err = run_python([os.path.join("tools", "bitcheck.py")], env=env)
    assert rc == 0, err
    lines = [line.split() for line in out.splitlines()]
    assert all(len(parts) == 4 and re.match(r"^[0-9a-f]{16}$", parts[3]) for parts in lines)
    names = set((kind, name) for kind, name, _, _ in lines)
    assert {("exact", "dense"), ("exact", "mt19937"), ("oracle", "exact.sigmoid"),
            ("libm", "sigmoid"), ("libm", "book.chapter4")} <= names


def test_bitcheck_compare_fails_only_where_promised(tmpdir, capsys):
    bitcheck = _load_bitcheck()

    def write(name, lines):
        tmpdir.join(name + ".bits").write("".join(line + "\n" for line in lines))

    same = ["exact relu 3 000000000000000a", "libm sigmoid 3 000000000000000b"]
    write("cpython3.6", same)
    write("pypy3", same)
    write("micropython", ["exact relu 3 000000000000000a", "libm sigmoid 3 000000000000000c"])
    assert bitcheck.compare(str(tmpdir)) == 0       # libm may differ across families
    assert "differing between them: sigmoid" in capsys.readouterr().out
    write("pyodide", ["exact relu 3 000000000000000a", "libm sigmoid 3 000000000000000d"])
    assert bitcheck.compare(str(tmpdir)) == 1       # ... but not within the WebAssembly one
    write("pyodide", ["exact relu 3 000000000000000e", "libm sigmoid 3 000000000000000c"])
    assert bitcheck.compare(str(tmpdir)) == 1       # exact results may differ nowhere
    write("pyodide", ["libm sigmoid 3 000000000000000c"])
    assert bitcheck.compare(str(tmpdir)) == 1       # nor be missing
