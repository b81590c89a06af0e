"""The command line's one way of failing: ``nnref VERB: error: MESSAGE`` on stderr, status 2.

Every command is run as ``python -m nnref ...`` in a fresh interpreter, so
what is checked is what a user sees: the exit status, the streams, and no
traceback.
"""

import os
import subprocess
import sys

import pytest

from nnref.cli import COMMANDS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VERBS = ["tour", "selfcheck", "data", "book", "vectors", "check", "crosscheck", "plot"]


def run(*args, **kwargs):
    """``python -m nnref ARGS`` from the checkout; (status, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "nnref"] + list(args), cwd=kwargs.get("cwd", ROOT),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    return proc.returncode, proc.stdout, proc.stderr


def test_every_command_is_tested():
    assert sorted(VERBS) == sorted(COMMANDS)


@pytest.mark.parametrize("verb", VERBS)
def test_a_bad_flag_is_a_usage_error(verb):
    status, out, err = run(verb, "--no-such-flag")
    assert status == 2, (out, err)
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[0].startswith("usage: python -m nnref")
    assert lines[-1].startswith("nnref %s: error: " % verb), err


@pytest.mark.parametrize("verb", VERBS)
def test_help_exits_0_on_stdout(verb):
    status, out, err = run(verb, "--help")
    assert (status, err) == (0, "")
    assert out.startswith("usage: python -m nnref ")
    assert "-h, --help" in out


def test_tour_help_does_not_run_the_tour():
    status, out, _ = run("tour", "-h")
    assert status == 0 and "forward pass" in out and "Softmax output" not in out


@pytest.mark.parametrize("args, message", [
    (["plot", "spiral", "--samples", "many"], "argument --samples: invalid int value: 'many'"),
    (["plot", "nothing"], "invalid choice: 'nothing'"),
    (["plot", "softmax-regions", "--grid", "0"], "--grid must be at least 1"),
    (["plot", "spiral", "--samples", "-1"], "samples must be non-negative"),
    (["data", "spiral", "--seed", "-1"], "seed"),
    (["vectors", "--out", "unused", "--ops", "relu,nothing"], "unknown operation 'nothing'"),
    (["crosscheck", "cobol"], "invalid choice: 'cobol'"),
    (["selfcheck", "-q", "-x"], "-x"),
])
def test_bad_values_are_usage_errors_in_the_one_style(tmp_path, args, message):
    status, out, err = run(*args, cwd=str(tmp_path))
    assert status == 2, (out, err)
    assert out == "" and "Traceback" not in err
    last = err.splitlines()[-1]
    assert last.startswith("nnref %s: error: " % args[0]) and message in last, err
    assert os.listdir(str(tmp_path)) == []         # nothing written


def test_unknown_command():
    status, out, err = run("fit")
    assert status == 2 and out == "" and "Traceback" not in err
    assert err.splitlines() == [
        "usage: python -m nnref [COMMAND ...]",
        "nnref: error: unknown command 'fit' (choose from %s; -h for help)"
        % ", ".join(sorted(VERBS))]


@pytest.mark.parametrize("args", [
    ["plot", "activations", "--out"],
    ["data", "sine", "--out"],
    ["vectors", "--ops", "relu", "--out"],
])
def test_an_unwritable_output_is_status_1_in_the_one_style(tmp_path, args):
    # A folder in a missing folder can be neither a file's parent nor created.
    target = str(tmp_path / "a-file" / "x")
    (tmp_path / "a-file").write_text("not a folder")
    status, out, err = run(*(args + [target]), cwd=str(tmp_path))
    assert status == 1, (out, err)
    assert "Traceback" not in err
    assert err.startswith("nnref %s: error: cannot write " % args[0]), err
    assert len(err.splitlines()) == 1


def test_an_unreadable_check_input_is_status_2(tmp_path):
    missing = str(tmp_path / "missing.json")
    status, out, err = run("check", missing, missing)
    assert status == 2 and out == ""
    assert err.startswith("nnref check: error: ") and "missing.json" in err


def test_the_dispatcher_returns_what_the_parsers_raise(capsys):
    from nnref.cli import main
    assert main(["plot", "--help"]) == 0
    assert main(["plot", "nothing"]) == 2
    assert main(["vectors"]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-1] == (
        "nnref vectors: error: the following arguments are required: --out")


def test_the_message_function_needs_no_argparse():
    # MicroPython has no argparse: tour and selfcheck must not need it.
    code = ("import sys\n"
            "sys.modules['argparse'] = None\n"
            "from nnref.cli import main\n"
            "sys.exit(main(['selfcheck', '--bogus']) + 10 * main(['tour', '--help']))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines()[-1] == "nnref selfcheck: error: unrecognized arguments: --bogus"
    status = subprocess.run([sys.executable, "-c", code.replace("selfcheck', '--bogus", "plot")],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True)
    assert status.returncode == 2
    assert status.stderr.startswith("nnref plot: error: this command needs the argparse module")
