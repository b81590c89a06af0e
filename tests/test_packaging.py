"""Packaging promises: CI runs the README's test block, the metadata names the test extra."""

import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(name):
    with open(os.path.join(ROOT, name)) as f:
        return f.read()


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
