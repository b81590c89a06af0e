"""The command line, ``python -m nnref [COMMAND ...]``: the chapter tour and the tools.

An installed nnref also has the console command ``nnref``, the same as
``python -m nnref`` (setup.cfg's ``console_scripts`` entry point names
``main``, whose return value becomes the exit status).  ``--version`` prints
``nnref VERSION``.

This is the top layer: it may import anything in nnref, and nothing imports it.
With no command it walks through chapter 4 (``nnref/cli/tour.py``).  Each
command lives in its own module of this package, imported only when it is asked
for, so that ``import nnref`` stays small and a command's needs stay its own.
Every command reports failures the one way ``nnref/cli/_usage.py`` describes
(``nnref VERB: error: MESSAGE`` on stderr; status 2 for a usage error, 1 for
failures found or an unwritable output, 0 for success).
"""

import sys

from .._base.version import __version__
from ._usage import error, exit_status

# command -> (module, one-line description); each module has main(argv) -> int.
COMMANDS = {
    "tour": ("tour", "walk through chapter 4 (the default)"),
    "selfcheck": ("selfcheck", "run the known-answer self-check"),
    "data": ("export", "write a data set as CSV or JSON"),
    "book": ("export", "write the book's chapter run, step by step"),
    "vectors": ("conformance", "write the conformance vectors"),
    "check": ("conformance", "check another implementation's results"),
    "crosscheck": ("conformance", "run the vectors through NumPy, PyTorch, ONNX or JAX"),
    "plot": ("plot", "draw the chapter's pictures as SVG"),
}


def _usage():
    lines = ["usage: python -m nnref [COMMAND ...]", "", "commands:"]
    for name in sorted(COMMANDS):
        lines.append("  %-11s %s" % (name, COMMANDS[name][1]))
    lines.extend(["", "options:", "  %-11s %s" % ("-h, --help", "show this help and exit"),
                  "  %-11s %s" % ("--version", "print nnref's version and exit")])
    return "\n".join(lines)


def main(argv=None):
    """Run the command named in ``argv`` (default: ``sys.argv[1:]``); return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0
    if argv and argv[0] == "--version":
        print("nnref " + __version__)
        return 0
    command = argv[0] if argv else "tour"
    if command not in COMMANDS:
        return error(None, "unknown command %r (choose from %s; -h for help)"
                     % (command, ", ".join(sorted(COMMANDS))), _usage().split("\n")[0])
    module_name = COMMANDS[command][0]
    # fromlist positionally: MicroPython's __import__ takes no keyword arguments.
    module = __import__("nnref.cli." + module_name, None, None, ["main"])
    try:
        return module.main(argv)
    except SystemExit as exit:      # argparse's --help (0) and usage errors (2)
        return exit_status(exit)

