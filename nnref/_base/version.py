"""nnref's version, in one place: the package, the vectors and ``--version`` read it."""

__version__ = "0.1.0"
