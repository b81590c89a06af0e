"""nnref.cli._usage and nnref.cli.conformance helpers called directly (the CLI tests run them through a subprocess)."""

import pytest

from nnref.cli import _usage
from nnref.cli import conformance as cli_conformance


def test_parse_ops_refuses_an_unknown_operation():
    assert cli_conformance._parse_ops(None) is None
    assert cli_conformance._parse_ops(" relu, dense ,") == ["relu", "dense"]
    with pytest.raises(ValueError, match=r"--ops: unknown operation 'tanh'; expected some of .*dense.*relu"):
        cli_conformance._parse_ops("relu,tanh")


def test_write_output_to_stdout_returns_zero(capsys):
    assert _usage.write_output("data", None, ["a,b\n", "1,2\n"]) == 0
    assert capsys.readouterr().out == "a,b\n1,2\n"


def test_write_output_to_a_file_returns_zero(tmp_path):
    path = str(tmp_path / "out.csv")
    assert _usage.write_output("data", path, ["x\n", "y\n"]) == 0
    with open(path) as f:
        assert f.read() == "x\ny\n"
