"""Packaging promises: CI runs the README's test block, the metadata names the test extra,
the version, the ``nnref`` command, the classifiers, the stubs, and a complete sdist."""

import configparser
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
    assert "License :: OSI Approved :: MIT License" in classifiers()
    assert len(set(classifiers())) == len(classifiers())
