"""``python -m nnref selfcheck [-q]``: the known-answer self-check (``nnref/_selfcheck.py``)."""

from .._selfcheck import selfcheck
from ._usage import error

_USAGE = "usage: python -m nnref selfcheck [-h] [-q]"
_HELP = _USAGE + """

Run nnref's known-answer checks; exit status 1 if any failed.

options:
  -h, --help   show this help message and exit
  -q, --quiet  print only the failures and the summary"""


def main(argv=None):
    """``python -m nnref selfcheck [-q]``: run the self-check; exit status 1 if anything failed.

    Parsed by hand: MicroPython, where the self-check matters most, has no
    ``argparse``.
    """
    args = list(argv[1:] if argv else [])
    verbose = True
    for arg in args:
        if arg in ("-q", "--quiet"):
            verbose = False
        elif arg in ("-h", "--help"):
            print(_HELP)
            return 0
        else:
            return error("selfcheck", "unrecognized arguments: %s" % (arg,), _USAGE)
    return 1 if selfcheck(verbose) else 0
