"""``python -m nnref``: hands the command line to ``nnref.cli.main``."""

import sys

from nnref.cli import main

if __name__ == "__main__":
    sys.exit(main())
