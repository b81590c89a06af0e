"""The command line's one way of failing: ``nnref VERB: error: MESSAGE`` on stderr, status 2.

Every command is run as ``python -m nnref ...`` in a fresh interpreter, so
what is checked is what a user sees: the exit status, the streams, no
traceback, and the files in the folder it ran in before and after.

The statuses (``nnref/cli/_usage.py``, docs/spec.md "The command line"): 0
success; 1 failures found, or the output not written (an ``--out`` that
cannot be written, a full or closed standard output, a reader gone: quietly);
2 a usage error, a size past a limit among them; 130 interrupted.
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from nnref.cli import COMMANDS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VERBS = ["tour", "selfcheck", "data", "book", "vectors", "check", "crosscheck", "plot"]
NNREF = [sys.executable, "-m", "nnref"]
ENV = dict(os.environ, PYTHONPATH=ROOT)


def run(*args, **kwargs):
    """``python -m nnref ARGS`` from the checkout; (status, stdout, stderr)."""
    proc = subprocess.run(NNREF + list(args), cwd=kwargs.get("cwd", ROOT),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          env=ENV)
    return proc.returncode, proc.stdout, proc.stderr


def listing(folder):
    """Every path under ``folder``, relative, folders marked with a trailing slash."""
    found = []
    for top, folders, files in os.walk(folder):
        rel = os.path.relpath(top, folder)
        for name in folders:
            found.append(os.path.normpath(os.path.join(rel, name)) + "/")
        for name in files:
            found.append(os.path.normpath(os.path.join(rel, name)))
    return sorted(found)


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


# ------------------------------------------------------------ hostile arguments, every verb

# A fake adapters file, so that crosscheck runs without NumPy.
FAKE_ADAPTERS = ("def adapter(library, dtype='float64'):\n"
                 "    return {'relu': lambda x: [max(v, 0.0) for v in x]}, {'fake': '1.0'}\n")


def hostile_folder(path):
    """The folder a hostile case runs in: a file, a folder and the fake adapters."""
    os.makedirs(path)
    with open(os.path.join(path, "a-file"), "w") as handle:
        handle.write("not a folder\n")
    os.mkdir(os.path.join(path, "a-folder"))
    with open(os.path.join(path, "adapters.py"), "w") as handle:
        handle.write(FAKE_ADAPTERS)


TOO_LONG = "9" * 5000

# (arguments, exit status, what the last line of stderr must contain)
HOSTILE = [
    (["tour", "extra"], 2, "unrecognized arguments: extra"),
    (["selfcheck", "--verbose"], 2, "unrecognized arguments: --verbose"),
    # data: sizes past the limit, refused before any work
    (["data", "spiral", "--samples", "99999999999999999999999"], 2,
     "argument --samples: at most 10000000, got 99999999999999999999999"),
    (["data", "spiral", "--samples", TOO_LONG], 2,
     "argument --samples: at most 10000000, got a number of 5000 digits"),
    (["data", "spiral", "--samples", "100000", "--classes", "101"], 2,
     "--samples 100000 times --classes 101 is 10100000 points; at most 10000000"),
    (["data", "vertical", "--samples", "0", "--classes", "10000001"], 2,
     "argument --classes: at most 10000000, got 10000001"),
    (["data", "sine", "--samples", "10000001"], 2, "argument --samples: at most 10000000"),
    (["data", "spiral", "--samples", "10000001", "--out", "missing/x.csv"], 2, "at most 10000000"),
    # data: values that are not numbers, or out of range
    (["data", "spiral", "--samples", "1e400"], 2, "argument --samples: invalid int value: '1e400'"),
    (["data", "spiral", "--samples", "-1"], 2, "samples must be non-negative, got -1"),
    (["data", "spiral", "--seed", "-1"], 2, "seed must be between 0 and 2**32 - 1, got -1"),
    (["data", "spiral", "--seed", "1e400"], 2, "argument --seed: invalid int value: '1e400'"),
    (["data", "sine", "--classes", "3"], 2, "sine has no classes (--classes)"),
    (["data", "spiral", "--format", "xml"], 2, "invalid choice: 'xml'"),
    # data, book: --out
    (["data", "spiral", "--out", "missing/x.csv"], 1, "cannot write missing/x.csv: no folder "),
    (["data", "spiral", "--out", "a-folder"], 1, "cannot write a-folder: it is a folder"),
    (["data", "spiral", "--out", "a-file/x.csv"], 1, "a-file is not a folder"),
    (["data", "spiral", "--out", ""], 1, "cannot write '': the path is empty"),
    (["book", "ch5"], 2, "invalid choice: 'ch5'"),
    (["book", "ch4", "--out", "a-folder"], 1, "cannot write a-folder: it is a folder"),
    (["book", "ch4", "--out", "missing/ch4.json"], 1, "cannot write missing/ch4.json: no folder"),
    # the limits themselves are accepted: these reach the --out check, status 1
    (["data", "spiral", "--samples", "10000000", "--classes", "1", "--out", "missing/x"], 1,
     "cannot write"),
    (["data", "spiral", "--samples", "1000000", "--classes", "10", "--out", "missing/x"], 1,
     "cannot write"),
    (["data", "sine", "--samples", "10000000", "--out", "missing/x"], 1, "cannot write"),
    # vectors, check, crosscheck
    (["vectors", "--out", "v", "--ops", "nothing"], 2, "unknown operation 'nothing'"),
    (["vectors", "--out", "a-file", "--ops", "relu"], 1, "cannot write"),
    (["check", "missing.json", "missing.json"], 2, "missing.json"),
    (["crosscheck", "cobol"], 2, "invalid choice: 'cobol'"),
    (["crosscheck", "numpy", "--adapters", "missing.py"], 2, "adapters are not at missing.py"),
    # plot: parameters that are not finite, or too large or small to draw
    (["plot"], 2, "the following arguments are required: KIND"),
    (["plot", "relu-pair", "--w1", "nan"], 2, "argument --w1: must be a finite number, got nan"),
    (["plot", "relu-pair", "--b1", "inf"], 2, "argument --b1: must be a finite number, got inf"),
    (["plot", "relu-pair", "--w2", "-inf"], 2, "argument --w2: must be a finite number, got -inf"),
    (["plot", "relu-pair", "--b2", "1e400"], 2,
     "argument --b2: must be a finite number, got inf (from '1e400')"),
    (["plot", "relu-pair", "--w1", "-Infinity"], 2, "argument --w1: must be a finite number"),
    (["plot", "relu-pair", "--w1", "1e7"], 2,
     "argument --w1: must be 0 or between 1e-06 and 1e+06 in magnitude, got 10000000.0"),
    (["plot", "relu-pair", "--w2", "-1e-7"], 2, "between 1e-06 and 1e+06 in magnitude, got -1e-07"),
    (["plot", "relu-pair", "--b1", "many"], 2, "argument --b1: invalid float value: 'many'"),
    # plot: sizes
    (["plot", "spiral", "--samples", "1000", "--classes", "1001"], 2,
     "--samples 1000 times --classes 1001 is 1001000 points; at most 1000000"),
    (["plot", "spiral", "--samples", "1000000000"], 2, "argument --samples: at most 1000000"),
    (["plot", "spiral", "--seed", "4294967296"], 2, "seed must be between 0 and 2**32 - 1"),
    (["plot", "softmax-regions", "--grid", "1000000000"], 2, "argument --grid: at most 1000"),
    (["plot", "softmax-regions", "--grid", "0"], 2, "--grid must be at least 1"),
    (["plot", "softmax-regions", "--grid", "1000"], 2,
     "3 times --samples 100 plus --grid 1000 squared is 1000300 points and cells; at most 1000000"),
    (["plot", "softmax-regions", "--samples", "400000"], 2, "at most 1000000"),
    # plot: --out (the default is nnref-KIND.svg here, tested below)
    (["plot", "activations", "--out", "a-folder"], 1, "cannot write a-folder: it is a folder"),
    (["plot", "activations", "--out", "missing/x.svg"], 1, "cannot write missing/x.svg: no folder"),
    (["plot", "activations", "--out", "a-file/x.svg"], 1, "a-file is not a folder"),
    (["plot", "spiral", "--samples", "1000", "--classes", "1000", "--out", "missing/x.svg"], 1,
     "cannot write"),
    (["plot", "softmax-regions", "--grid", "1000", "--samples", "0", "--out", "missing/x.svg"], 1,
     "cannot write"),
]

# Verbs that other branches are changing (issue 14, items 3 and 4). Each case must pass once
# that branch lands; then it moves to HOSTILE and its mark goes (strict: a pass fails).
# Missing output folders, vectors and allow-lists of the conformance verbs.
HOSTILE += [
    (["vectors", "--out", "missing/v", "--ops", "relu"], 1, "missing"),
    (["crosscheck", "numpy", "--adapters", "adapters.py", "--ops", "relu", "--vectors",
      "missing"], 2, "missing"),
    (["crosscheck", "numpy", "--adapters", "adapters.py", "--ops", "relu", "--allowlist",
      "missing.json"], 2, "missing.json"),
]


def _case_id(case):
    args = [a if len(a) < 20 else "%s...(%d chars)" % (a[:4], len(a)) for a in case[0]]
    return " ".join(args) or "(none)"


def _run_hostile(case, folder):
    hostile_folder(folder)
    before = listing(folder)
    proc = subprocess.run(NNREF + case[0], cwd=folder, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, env=ENV, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr, before, listing(folder)


@pytest.fixture(scope="module")
def hostile_results(tmp_path_factory):
    """Every hostile case run once, four at a time (each in its own fresh folder)."""
    base = str(tmp_path_factory.mktemp("hostile"))
    cases = HOSTILE
    folders = [os.path.join(base, "case%03d" % i) for i in range(len(cases))]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(_run_hostile, cases, folders))
    return dict((_case_id(case), result) for case, result in zip(cases, results))


def check_hostile(case, results):
    args, status, message = case
    code, out, err, before, after = results[_case_id(case)]
    verb = args[0]
    assert "Traceback" not in err, err
    assert code == status, (code, out, err)
    assert out == "", out
    lines = err.splitlines()
    assert lines and lines[-1].startswith("nnref %s: error: " % verb), err
    assert message in lines[-1], err
    if len(lines) > 1:                        # a usage line, then the message
        assert len(lines) == 2 or lines[0].startswith("usage: ") and lines[1].startswith(" "), err
        assert (lines[0].startswith("usage: python -m nnref %s " % verb)
                or lines[0].startswith("usage: python -m nnref [%s] " % verb)), err
    if status == 1:
        assert len(lines) == 1, err          # an output problem is one line, no usage
    assert after == before, "the command wrote %s" % sorted(set(after) - set(before))


def test_hostile_cases_cover_every_verb():
    assert sorted(set(case[0][0] for case in HOSTILE)) == sorted(VERBS)
    cases = HOSTILE
    assert len(set(_case_id(c) for c in cases)) == len(cases)


@pytest.mark.parametrize("case", HOSTILE, ids=_case_id)
def test_hostile_arguments_get_one_line_the_right_status_and_no_traceback(case, hostile_results):
    check_hostile(case, hostile_results)


# ------------------------------------------------------------ --help everywhere

# Every verb's own --help is in test_help_exits_0_on_stdout; these are the sub-verbs, and
# --help after other arguments.
HELP = [
    ["help"], ["tour", "--help"], ["selfcheck", "-q", "-h"],
    ["data", "spiral", "--help"], ["data", "sine", "--samples", "3", "--help"],
    ["book", "ch4", "--help"], ["crosscheck", "numpy", "--help"],
    ["plot", "activations", "--help"], ["plot", "spiral", "--help"],
    ["plot", "relu-pair", "--w1", "-2", "-h"], ["plot", "softmax-regions", "--help"],
]


@pytest.mark.parametrize("args", HELP, ids=" ".join)
def test_help_everywhere_prints_usage_and_does_nothing_else(args, tmp_path):
    status, out, err = run(*args, cwd=str(tmp_path))
    assert (status, err) == (0, ""), err
    words = [a for a in args if not a.startswith("-") and a not in ("help", "3", "numpy")]
    usage = "usage: python -m nnref " + "".join(words[:1])
    assert out.startswith(usage) or out.startswith("usage: python -m nnref [tour]"), out
    if args[0] == "plot" and len(words) == 2:
        assert out.startswith("usage: python -m nnref plot %s " % words[1]), out
    assert listing(str(tmp_path)) == []            # no picture, no file
    assert "Softmax output" not in out             # and no tour
    if args[0] == "data":                          # the limits are stated
        assert "At most 10000000 points" in " ".join(out.split())
    if args[0] == "plot" and words[1] in ("spiral", "softmax-regions"):
        assert "At most 1000000 points and cells" in " ".join(out.split())


# ------------------------------------------------------------ negative numbers

def test_negative_numbers_are_values_not_flags(tmp_path):
    # argparse on its own reads only -5 and -1.5 as numbers: -1e0, -.5 and -inf looked like flags.
    out = tmp_path / "r.svg"
    status, stdout, err = run("plot", "relu-pair", "--w1", "-1.5", "--b1", "-0.25", "--w2", "-1e0",
                              "--b2=-.5", "--out", str(out))
    assert (status, err) == (0, "")
    assert stdout.strip() == str(out)
    assert "relu(-1 * relu(-1.5 * x + -0.25) + -0.5)" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["-inf", "-1e400"])
def test_a_negative_non_finite_number_is_refused_as_a_number(value):
    status, _, err = run("plot", "relu-pair", "--w1", value)
    assert status == 2
    assert err.splitlines()[-1].startswith("nnref plot: error: argument --w1: must be a finite number")


def test_a_negative_count_reaches_the_library():
    status, _, err = run("data", "spiral", "--classes", "-1e3")
    assert status == 2 and "invalid int value: '-1e3'" in err       # not "expected one argument"


# ------------------------------------------------------------ --out: what is written, and where

def test_an_existing_output_file_is_replaced(tmp_path):
    for args, name in ((["data", "sine", "--samples", "3"], "out.csv"),
                       (["book", "ch4"], "ch4.json"),
                       (["plot", "activations"], "a.svg")):
        path = tmp_path / name
        path.write_text("old contents that are longer than nothing\n" * 1000)
        status, out, err = run(*(args + ["--out", str(path)]), cwd=str(tmp_path))
        assert (status, err) == (0, ""), err
        text = path.read_text(encoding="utf-8")
        assert "old contents" not in text
        if args[0] != "plot":
            assert text == run(*args)[1]        # the file holds what stdout would
    assert listing(str(tmp_path)) == ["a.svg", "ch4.json", "out.csv"]


def test_each_command_writes_only_where_it_says(tmp_path):
    (tmp_path / "sub").mkdir()
    runs = [
        (["tour"], []),
        (["selfcheck", "-q"], []),
        (["data", "spiral", "--samples", "2"], []),
        (["data", "vertical", "--out", "sub/v.csv"], ["sub/v.csv"]),
        (["book", "ch4", "--out", "ch4.json"], ["ch4.json"]),
        (["plot", "spiral"], ["nnref-spiral.svg"]),             # the documented default
        (["plot", "relu-pair", "--out", "sub/r.svg"], ["sub/r.svg"]),
        (["vectors", "--out", "v", "--ops", "relu", "--dtype", "float32"],
         ["v/", "v/conformance.schema.json", "v/relu.float32.json"]),
        (["check", "v/relu.float32.json", "sub/results.json"], []),
    ]
    root_before = sorted(os.listdir(ROOT))
    for args, new in runs:
        if args[0] == "check":      # the vectors' own expected values, as results
            from nnref.conformance import _format
            vectors = _format.load(str(tmp_path / "v" / "relu.float32.json"))
            (tmp_path / "sub" / "results.json").write_text(
                _format.dumps(_format.as_results(vectors)))
        before = listing(str(tmp_path))
        status, out, err = run(*args, cwd=str(tmp_path))
        assert (status, err) == (0, ""), (args, err)
        assert sorted(set(listing(str(tmp_path))) - set(before)) == new, args
        assert set(before) <= set(listing(str(tmp_path)))
    assert sorted(os.listdir(ROOT)) == root_before


def test_a_folder_output_may_be_created_but_not_its_parents(tmp_path):
    status, out, err = run("vectors", "--out", str(tmp_path / "new"), "--ops", "relu")
    assert (status, err) == (0, "")
    assert (tmp_path / "new" / "relu.json").is_file()


def test_output_problems_are_found_before_any_work():
    # 10**7 points take minutes to make: the missing folder is reported at once.
    import time
    start = time.time()
    status, _, err = run("data", "spiral", "--samples", "10000000", "--classes", "1",
                         "--out", os.path.join(ROOT, "no-such-folder", "x.csv"))
    assert status == 1 and "no folder" in err
    assert time.time() - start < 30
    assert not os.path.exists(os.path.join(ROOT, "no-such-folder"))


def test_a_file_that_fails_half_way_is_removed(tmp_path, capsys):
    from nnref.cli._usage import write_output
    path = str(tmp_path / "out.csv")

    def chunks(failure):
        yield "first\n"
        raise failure

    assert write_output("data", path, chunks(OSError(28, "No space left on device"))) == 1
    assert capsys.readouterr().err == (
        "nnref data: error: cannot write %s: No space left on device\n" % path)
    assert not os.path.exists(path)
    with pytest.raises(KeyboardInterrupt):
        write_output("data", path, chunks(KeyboardInterrupt()))
    assert not os.path.exists(path)
    assert write_output("data", path, iter(["a", "b\n"])) == 0
    assert open(path).read() == "ab\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_device_is_status_1_and_is_not_removed():
    status, out, err = run("data", "spiral", "--out", "/dev/full")
    assert status == 1 and "Traceback" not in err
    assert err == "nnref data: error: cannot write /dev/full: No space left on device\n"
    assert os.path.exists("/dev/full")
    with open("/dev/full", "w") as full:
        proc = subprocess.run(NNREF + ["data", "spiral"], cwd=ROOT, stdout=full,
                              stderr=subprocess.PIPE, universal_newlines=True, env=ENV)
    assert proc.returncode == 1
    assert proc.stderr == "nnref data: error: cannot write to standard output: No space left on device\n"


# ------------------------------------------------------------ a closed standard output

STDOUT_WRITERS = [
    [], ["-h"], ["tour"], ["selfcheck"], ["data", "spiral"], ["data", "sine", "--format", "json"],
    ["book", "ch4"], ["data", "--help"], ["plot", "spiral", "--help"],
    ["plot", "activations", "--out", "{tmp}/a.svg"], ["vectors", "--out", "{tmp}/v", "--ops", "relu"],
]


@pytest.mark.parametrize("args", STDOUT_WRITERS, ids=lambda a: " ".join(a) or "(no command)")
def test_a_reader_that_is_gone_ends_the_command_quietly(args, tmp_path):
    # The pipe's reading end is closed before the command starts: its first write fails (EPIPE).
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(NNREF + args, cwd=str(tmp_path), stdout=write,
                              stderr=subprocess.PIPE, universal_newlines=True, env=ENV, timeout=120)
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (1, "")


def test_a_reader_that_goes_away_part_way_ends_the_command_quietly():
    # | head -1: the command blocks on a full pipe, then the reader goes away.
    proc = subprocess.Popen(NNREF + ["data", "spiral", "--samples", "20000"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 1
    assert first == b"0.0,0.0,0\n" and err == b""


@pytest.mark.skipif(not os.path.exists("/bin/sh"), reason="needs a POSIX shell")
def test_a_closed_standard_output_is_status_1_in_the_one_style():
    command = " ".join("'%s'" % a for a in NNREF + ["data", "sine", "--samples", "3"])
    proc = subprocess.run(["/bin/sh", "-c", "exec %s >&-" % command], cwd=ROOT,
                          stderr=subprocess.PIPE, universal_newlines=True, env=ENV)
    assert proc.returncode == 1
    assert proc.stderr == "nnref data: error: cannot write to standard output: Bad file descriptor\n"


# ------------------------------------------------------------ interrupted, out of memory

@pytest.mark.parametrize("failure, status, err", [
    (KeyboardInterrupt, 130, ""),
    (MemoryError, 1, "nnref data: error: out of memory\n"),
])
def test_the_dispatcher_ends_an_interrupted_or_starved_command_without_a_traceback(
        monkeypatch, capsys, failure, status, err):
    from nnref.cli import export, main

    def fail(argv):
        raise failure()

    monkeypatch.setattr(export, "main", fail)
    assert main(["data", "spiral"]) == status
    assert capsys.readouterr().err == err


# ------------------------------------------------------------ the documented limits are the code's

SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))


def powers_of_ten(text):
    """The numbers written as 10⁷, 10⁶ ... in ``text``, in order."""
    import re
    return [10 ** int("".join(SUPERSCRIPTS[c] for c in m)) for m in re.findall("10([⁰-⁹]+)", text)]


def command_line_section():
    with open(os.path.join(ROOT, "docs", "spec.md"), encoding="utf-8") as handle:
        text = handle.read()
    return text[text.index("## The command line"):]


def test_the_documented_limits_are_the_codes():
    from nnref.cli import _usage, export, plot
    rows = dict((line.split("|")[1].strip(), line) for line in command_line_section().splitlines()
                if line.startswith("| `"))
    assert powers_of_ten(rows["`data`"]) == [export.MAX_POINTS]
    assert powers_of_ten(rows["`plot spiral`"]) == [plot.MAX_POINTS]
    assert powers_of_ten(rows["`plot softmax-regions`"]) == [plot.MAX_POINTS]
    assert "from 1 to 1000" in rows["`plot softmax-regions`"]
    assert "between 1e-6 and 1e6 in magnitude" in rows["`plot relu-pair`"]
    assert plot.WEIGHT_RANGE == (1e-6, 1e6)
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    assert powers_of_ten(readme[readme.index("size past its limit"):][:80]) == [
        export.MAX_POINTS, plot.MAX_POINTS]
    statuses = [line.split("|")[1].strip() for line in command_line_section().splitlines()
                if line.startswith("| ") and line.split("|")[1].strip().isdigit()]
    assert statuses == ["0", str(_usage.IO_STATUS), str(_usage.USAGE_STATUS),
                        str(_usage.INTERRUPTED_STATUS)]


def test_the_documented_limit_message_is_the_codes():
    example = " ".join(command_line_section().split("`nnref data: error: ")[1].split("`")[0].split())
    status, _, err = run("data", "spiral", "--samples", "99999999999999999999999")
    assert status == 2 and err.splitlines()[-1] == "nnref data: error: " + example
