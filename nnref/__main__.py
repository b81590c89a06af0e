"""``python -m nnref [COMMAND ...]``: the chapter tour and the tools.

With no command it walks through chapter 4 (see ``nnref/_tour.py``).  Each
command lives in its own private module, imported only when it is asked for,
so that ``import nnref`` stays small and a command's needs stay its own.
"""

import sys

# command -> (module, one-line description); each module has main(argv) -> int.
COMMANDS = {
    "tour": ("_tour", "walk through chapter 4 (the default)"),
    "selfcheck": ("_selfcheck", "run the known-answer self-check"),
    "data": ("_cli_export", "write a data set as CSV or JSON"),
    "book": ("_cli_export", "write the book's chapter run, step by step"),
    "vectors": ("_cli_conformance", "write the conformance vectors"),
    "check": ("_cli_conformance", "check another implementation's results"),
    "crosscheck": ("_cli_conformance", "run the vectors through NumPy, PyTorch, ONNX or JAX"),
    "plot": ("_cli_plot", "draw the chapter's pictures as SVG"),
}


def _usage():
    lines = ["usage: python -m nnref [COMMAND ...]", "", "commands:"]
    for name in sorted(COMMANDS):
        lines.append("  %-11s %s" % (name, COMMANDS[name][1]))
    return "\n".join(lines)


def main(argv=None):
    """Run the command named in ``argv`` (default: ``sys.argv[1:]``); return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0
    command = argv[0] if argv else "tour"
    if command not in COMMANDS:
        print("nnref: unknown command %r\n\n%s" % (command, _usage()), file=sys.stderr)
        return 2
    module_name = COMMANDS[command][0]
    # fromlist positionally: MicroPython's __import__ takes no keyword arguments.
    module = __import__("nnref." + module_name, None, None, ["main"])
    return module.main(argv)


if __name__ == "__main__":
    sys.exit(main())
