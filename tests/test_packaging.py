"""Packaging promises: CI runs the README's test block, the metadata names the test extra,
the version, the ``nnref`` command, the classifiers, the stubs, and a complete sdist."""

import ast
import configparser
import fnmatch
import importlib
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(name):
    with open(os.path.join(ROOT, name)) as f:
        return f.read()


def setup_cfg():
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(os.path.join(ROOT, "setup.cfg"))
    return cfg


def lines_of(value):
    return [line.strip() for line in value.splitlines() if line.strip()]


def version_file():
    # The version as nnref/_base/version.py writes it, read without importing nnref.
    found = re.findall(r'^__version__ = "([^"]+)"$', read(os.path.join("nnref", "_base", "version.py")),
                       flags=re.M)
    assert len(found) == 1
    return found[0]


def test_ci_runs_the_readme_test_block_verbatim():
    readme = read("README.md")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)
    test_blocks = [b for b in blocks if "pytest" in b]
    assert len(test_blocks) == 1, "README should give exactly one test command block"
    ci = read(".ci/run")
    for line in test_blocks[0].strip().splitlines():
        assert line in ci.splitlines(), line


def test_setup_cfg_has_test_extra_and_python_requires():
    cfg = read("setup.cfg")
    assert re.search(r"^test =\s*\n\s+pytest\s*\n\s+hypothesis", cfg, flags=re.M)
    assert "python_requires = >=3.6" in cfg


def test_pyproject_only_names_the_build_system():
    text = read("pyproject.toml")
    sections = re.findall(r"^\[([^\]]+)\]", text, flags=re.M)
    assert sections == ["build-system"]


def test_version_is_single_sourced():
    import nnref
    assert re.match(r"^\d+\.\d+\.\d+$", nnref.__version__)
    assert "version = attr: nnref.__version__" in read("setup.cfg")


# ------------------------------------------------------------ --version and the nnref command

def test_python_m_nnref_version_prints_the_version_file():
    proc = subprocess.run([sys.executable, "-m", "nnref", "--version"], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "nnref %s\n" % version_file(), "")


def test_the_help_lists_the_version_flag(capsys):
    from nnref.cli import main
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^  --version +print nnref's version and exit$", out, flags=re.M), out


def console_scripts():
    entries = lines_of(setup_cfg()["options.entry_points"]["console_scripts"])
    return dict(tuple(part.strip() for part in entry.split("=", 1)) for entry in entries)


def test_the_nnref_command_is_declared_and_is_cli_main():
    assert console_scripts() == {"nnref": "nnref.cli:main"}
    module_name, attribute = console_scripts()["nnref"].split(":")
    main = getattr(importlib.import_module(module_name), attribute)
    import nnref.cli
    assert main is nnref.cli.main


def test_the_console_wrapper_gets_an_int_exit_status(monkeypatch, capsys):
    # pip's wrapper runs sys.exit(main()): main takes sys.argv[1:] and returns
    # the status as an int (a bool or None would exit 1 or 0 whatever happened).
    module_name, attribute = console_scripts()["nnref"].split(":")
    main = getattr(importlib.import_module(module_name), attribute)
    for argv, status in ([["nnref", "--version"], 0], [["nnref", "selfcheck", "-q"], 0],
                         [["nnref", "fit"], 2], [["nnref", "plot", "--help"], 0],
                         [["nnref", "vectors"], 2]):
        monkeypatch.setattr(sys, "argv", argv)
        result = main()
        assert type(result) is int and result == status, (argv, result)
    assert capsys.readouterr().out.startswith("nnref %s\n" % version_file())


# ------------------------------------------------------------ classifiers

def classifiers():
    return lines_of(setup_cfg()["metadata"]["classifiers"])


def matrix_minors():
    found = re.findall(r'^CPYTHON_MINORS="([^"]+)"$', read(os.path.join("tools", "matrix.sh")), flags=re.M)
    assert len(found) == 1
    return found[0].split()


def test_the_classifiers_name_each_python_that_ci_runs_and_python_requires_allows():
    named = [c.rsplit(" :: ", 1)[1] for c in classifiers()
             if re.match(r"^Programming Language :: Python :: 3\.\d+$", c)]
    minors = matrix_minors()
    assert named == minors
    # python_requires starts at the matrix's oldest CPython, and the matrix has no gaps.
    first = re.search(r"^python_requires = >=(3\.\d+)$", read("setup.cfg"), flags=re.M).group(1)
    assert first == minors[0]
    numbers = [int(m.split(".")[1]) for m in minors]
    assert numbers == list(range(numbers[0], numbers[-1] + 1))
    assert "Programming Language :: Python :: 3 :: Only" in classifiers()


def test_the_classifiers_say_typed_and_one_development_status():
    assert "Typing :: Typed" in classifiers()
    status = [c for c in classifiers() if c.startswith("Development Status :: ")]
    assert status == ["Development Status :: 4 - Beta"]
    for implementation in ("CPython", "PyPy", "MicroPython"):
        assert "Programming Language :: Python :: Implementation :: " + implementation in classifiers()
    assert len(set(classifiers())) == len(classifiers())


# ------------------------------------------------------------ the stubs

# Public modules without a stub: the command line (nnref.cli and its commands) is a
# program, not an API.
UNTYPED = ("nnref.cli", "nnref.__main__")


def untyped(dotted):
    return any(dotted == name or dotted.startswith(name + ".") for name in UNTYPED)


def public_modules():
    """(dotted name, .py path relative to ROOT) of every module whose name has no '_' part."""
    found = []
    for folder, dirs, names in os.walk(os.path.join(ROOT, "nnref")):
        dirs[:] = sorted(d for d in dirs if not generated(d) and not d.startswith("_"))
        for name in sorted(names):
            if not name.endswith(".py") or (name.startswith("_") and name != "__init__.py"):
                continue
            path = os.path.relpath(os.path.join(folder, name), ROOT).replace(os.sep, "/")
            dotted = path[:-len(".py")].replace("/", ".")
            found.append((dotted[:-len(".__init__")] if name == "__init__.py" else dotted, path))
    return found


def stubs():
    return sorted(os.path.relpath(os.path.join(folder, name), ROOT).replace(os.sep, "/")
                  for folder, dirs, names in os.walk(os.path.join(ROOT, "nnref"))
                  for name in names if name.endswith(".pyi"))


def test_every_public_module_has_a_stub():
    missing = [dotted for dotted, path in public_modules()
               if not untyped(dotted) and path + "i" not in stubs()]
    assert not missing, "public modules without a .pyi stub: %s" % missing
    assert {"nnref.book", "nnref.conformance", "nnref.exact", "nnref.testing"} <= {
        dotted for dotted, path in public_modules() if path + "i" in stubs()}


def test_every_stub_ships_and_is_type_checked():
    package_data = setup_cfg()["options.package_data"]
    for stub in stubs() + ["nnref/py.typed"]:
        package, name = stub.rsplit("/", 1)
        patterns = [p.strip() for p in re.split(r"[,\n]", package_data.get(package.replace("/", "."), ""))]
        assert any(fnmatch.fnmatchcase(name, p) for p in patterns if p), "%s is not package data" % stub
    script = read(os.path.join("tools", "ci", "10-matrix.sh"))
    assert "find nnref -name '*.pyi'" in script and "tests/typing_usage.py $stubs" in script
    assert "mypy.stubtest" in script


def test_the_typed_usage_uses_every_stubbed_module():
    tree = ast.parse(read(os.path.join("tests", "typing_usage.py")))
    imported = {"nnref." + alias.name for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module == "nnref" for alias in node.names}
    stubbed = {dotted for dotted, path in public_modules() if path + "i" in stubs()} - {"nnref"}
    stubbed -= {"nnref.activations", "nnref.layers", "nnref.rng"}     # used through the nnref facade
    assert stubbed <= imported, sorted(stubbed - imported)


# ------------------------------------------------------------ the sdist: MANIFEST.in
#
# tools/ci/15-package.sh builds the sdist, unpacks it and runs its tests; the
# checks here are the fast half: MANIFEST.in's lines, read as setuptools reads
# them, select every file and folder that a test names.

# What running things makes (the .gitignore's patterns): never a source.
GENERATED = ["__pycache__", "*.pyc", "*.pyo", "*.pyd", ".git", ".venv", ".venv-*", "*.egg-info",
             "build", "dist", ".hypothesis", ".pytest_cache", ".mypy_cache", "node_modules"]


def generated(name):
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in GENERATED)


def source_files(root=ROOT):
    """Every file under ``root`` that is not made by running things, as '/'-separated paths."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not generated(d))
        for name in names:
            if not generated(name):
                found.append(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return sorted(found)


def _match(path, pattern):
    # A MANIFEST.in glob: '*' and '?' stay within one folder.
    parts, pieces = path.split("/"), pattern.split("/")
    return len(parts) == len(pieces) and all(fnmatch.fnmatchcase(a, b) for a, b in zip(parts, pieces))


def manifest_selects(text, files):
    """The subset of ``files`` that MANIFEST.in ``text`` puts in the sdist (its own lines only)."""
    selected = set()
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        command, args = words[0], words[1:]
        if command in ("include", "exclude"):
            hits = {f for f in files if any(_match(f, p) for p in args)}
        elif command in ("global-include", "global-exclude"):
            assert not any("/" in p for p in args), line
            hits = {f for f in files if any(_match(f.rsplit("/", 1)[-1], p) for p in args)}
        elif command in ("recursive-include", "recursive-exclude"):
            folder, patterns = args[0].rstrip("/") + "/", args[1:]
            assert not any("/" in p for p in patterns), line
            hits = {f for f in files if f.startswith(folder)
                    and any(_match(f.rsplit("/", 1)[-1], p) for p in patterns)}
        elif command in ("graft", "prune"):
            folder = args[0].rstrip("/") + "/"
            hits = {f for f in files if f.startswith(folder)}
        else:
            raise AssertionError("MANIFEST.in: unknown command %r" % command)
        if command.endswith("include") or command == "graft":
            selected |= hits
        else:
            selected -= hits
    return selected


def _string_constants(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            # os.path.join(X, "a", "b", name): the run of strings "a/b".
            run = []
            for arg in node.args + [None]:
                value = _string_value(arg)
                if value is not None:
                    run.append(value)
                    continue
                if run:
                    yield "/".join(run)
                run = []
        value = _string_value(node)
        if value is not None:
            yield value


def _string_value(node):
    if node is None:
        return None
    if sys.version_info < (3, 8) and isinstance(node, ast.Str):
        return node.s
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def paths_the_tests_name():
    """The files and folders, relative to ROOT, whose names appear as strings in tests/*.py.

    A string is a path if it names something that exists under ROOT or under
    tests/ (``FIXTURES = os.path.join(dirname(__file__), "fixtures")``).  The
    tests also read themselves and the package.
    """
    found = {"tests", "nnref"}
    folder = os.path.join(ROOT, "tests")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for text in _string_constants(tree):
            text = text.strip().rstrip("/")
            parts = text.split("/")
            if (not text or "\n" in text or text.startswith("/") or "." in parts or ".." in parts
                    or any(generated(p) for p in parts)):
                continue
            for base in ("", "tests/"):
                if os.path.exists(os.path.join(ROOT, *(base + text).split("/"))):
                    found.add(base + text)
    return sorted(found)


def files_under(paths, files):
    return sorted({f for f in files for p in paths if f == p or f.startswith(p + "/")})


def test_the_tests_are_seen_to_name_what_they_read():
    # The scan must see the paths the tests are known to read, or the check below proves nothing.
    named = paths_the_tests_name()
    for path in ("README.md", "setup.cfg", "pyproject.toml", ".ci/run", "docs", "tools",
                 "tools/matrix.sh", "tests/fixtures", "nnref/conformance/vectors"):
        assert path in named, (path, named)


def test_manifest_in_ships_every_file_and_folder_the_tests_name():
    files = source_files()
    needed = files_under(paths_the_tests_name(), files)
    shipped = manifest_selects(read("MANIFEST.in"), files)
    missing = [f for f in needed if f not in shipped]
    assert not missing, "MANIFEST.in leaves out files the tests read: %s" % missing[:20]
    # ... and the metadata setuptools reads, which the tests name too.
    for name in ("README.md", "LICENSE", "setup.cfg", "pyproject.toml", "MANIFEST.in"):
        assert name in shipped


def test_the_manifest_check_catches_a_missing_folder_and_ships_nothing_generated():
    files = source_files()
    needed = files_under(paths_the_tests_name(), files)
    text = read("MANIFEST.in")
    without_docs = "\n".join(line for line in text.splitlines() if line.split()[:2] != ["graft", "docs"])
    left_out = [f for f in needed if f not in manifest_selects(without_docs, files)]
    assert left_out and all(f.startswith("docs/") for f in left_out)
    assert not set(needed) & manifest_selects("graft tests\nprune tests", files)
    made = ["tools/js/node_modules/mathjs/index.js", "tests/__pycache__/test_cli.cpython-311.pyc",
            "nnref/__pycache__/rng.cpython-36.pyc", "nnref/rng.pyc"]
    assert manifest_selects(text, made) == set()


def test_generated_names_cover_the_gitignore():
    # GENERATED is the .gitignore (which the sdist ships, for this test).
    patterns = [line.strip().rstrip("/") for line in read(".gitignore").splitlines() if line.strip()]
    assert patterns
    for pattern in patterns:
        assert pattern in GENERATED, pattern


def test_the_package_job_builds_installs_the_wheel_elsewhere_and_tests_the_sdist():
    script = read(os.path.join("tools", "ci", "15-package.sh"))
    assert "-m build --outdir" in script and "--sdist" not in script     # the wheel from the sdist
    assert 'pip install -q --disable-pip-version-check "$wheel"' in script
    assert 'cd "$scratch/elsewhere"' in script
    for command in ('"$bin/nnref" --version', '"$bin/python" -m nnref --version',
                    '"$bin/nnref" --help', '"$bin/nnref" selfcheck -q', "import nnref, nnref.book, nnref.conformance"):
        assert command in script, command
    assert 'tar -xzf "$sdist"' in script
    assert "pip install -q --disable-pip-version-check '.[test]'" in script
    assert "python -m pytest -q" in script
