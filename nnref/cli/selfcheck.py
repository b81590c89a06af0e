"""``python -m nnref selfcheck [-q]``: the known-answer self-check (``nnref/_selfcheck.py``)."""

from .._selfcheck import selfcheck


def main(argv=None):
    """``python -m nnref selfcheck [-q]``: run the self-check; exit status 1 if anything failed."""
    args = list(argv[1:] if argv else [])
    verbose = True
    for arg in args:
        if arg in ("-q", "--quiet"):
            verbose = False
        elif arg in ("-h", "--help"):
            print("usage: python -m nnref selfcheck [-q]\n\n"
                  "Run nnref's known-answer checks; -q prints only failures and the summary.")
            return 0
        else:
            print("nnref selfcheck: unknown argument %r (try -h)" % (arg,))
            return 2
    return 1 if selfcheck(verbose) else 0
