"""How every command reports a failure: one style, one set of exit statuses.

A failure is one line on standard error, ``nnref VERB: error: MESSAGE``
(``nnref: error: MESSAGE`` for the dispatcher itself), after the command's
usage line when the command line was at fault.  The exit statuses:

* 0: success;
* 1: the command ran and found failures (``check``, ``crosscheck``,
  ``selfcheck``) or could not write its output (``io_error``);
* 2: the command could not run as asked (``error``): an unknown command,
  flag or value, an input that cannot be read, a library that is missing.

``error`` and ``io_error`` need nothing but ``sys``, so the commands that
MicroPython runs (``tour``, ``selfcheck``), which has no ``argparse``, use
them directly.  ``parser`` gives the commands that do use ``argparse`` an
``ArgumentParser`` that reports in the same style; ``argparse`` is imported
only when it is called.

>>> import io
>>> err = io.StringIO()
>>> error("tour", "unrecognized arguments: -x", "usage: python -m nnref tour [-h]", file=err)
2
>>> print(err.getvalue(), end="")
usage: python -m nnref tour [-h]
nnref tour: error: unrecognized arguments: -x
"""

import sys

USAGE_STATUS = 2
IO_STATUS = 1


def error(verb, message, usage=None, status=USAGE_STATUS, file=None):
    """Write ``usage`` (if any), then ``nnref VERB: error: MESSAGE``, to ``file``; return ``status``.

    ``verb`` None is the dispatcher (``nnref: error: MESSAGE``); ``file`` defaults to
    ``sys.stderr``.

    >>> import io
    >>> err = io.StringIO()
    >>> error(None, "unknown command 'fit'", file=err)
    2
    >>> err.getvalue()
    "nnref: error: unknown command 'fit'\\n"
    """
    file = sys.stderr if file is None else file
    if usage:
        file.write(usage.rstrip("\n") + "\n")
    file.write("%s: error: %s\n" % ("nnref" if verb is None else "nnref " + verb, message))
    return status


def io_error(verb, message, file=None):
    """Report a file that cannot be written (or read) in the one style; return 1.

    >>> import io
    >>> err = io.StringIO()
    >>> io_error("plot", "cannot write x.svg: Permission denied", file=err)
    1
    >>> err.getvalue()
    'nnref plot: error: cannot write x.svg: Permission denied\\n'
    """
    return error(verb, message, status=IO_STATUS, file=file)


def exit_status(exit):
    """The exit status a ``SystemExit`` stands for, as the interpreter would give it.

    ``argparse`` raises ``SystemExit(0)`` after ``--help``, and ``parser``'s
    parsers ``SystemExit(2)`` after a usage error; a message instead of a
    number is written to stderr and stands for 1.

    >>> exit_status(SystemExit(2)), exit_status(SystemExit()), exit_status(SystemExit(None))
    (2, 0, 0)
    """
    # MicroPython's SystemExit has no .code; its args hold the value.
    code = exit.args[0] if exit.args else None
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write("%s\n" % (code,))
    return 1


_PARSER_CLASS = []      # the ArgumentParser subclass, made on first use


def _parser_class(verb):
    if not _PARSER_CLASS:
        try:
            import argparse
        except ImportError:     # MicroPython
            raise SystemExit(error(verb, "this command needs the argparse module, which this "
                                         "interpreter lacks (tour and selfcheck do not)"))

        class Parser(argparse.ArgumentParser):
            """An ``ArgumentParser`` whose usage errors read ``nnref VERB: error: ...``."""

            def __init__(self, *args, **kwargs):
                self.verb = kwargs.pop("verb", None)
                argparse.ArgumentParser.__init__(self, *args, **kwargs)

            def add_subparsers(self, **kwargs):
                # The sub-commands' parsers report as their command (``nnref plot``).
                verb = self.verb
                kwargs.setdefault("parser_class",
                                  lambda **options: Parser(verb=verb, **options))
                return argparse.ArgumentParser.add_subparsers(self, **kwargs)

            def error(self, message):
                # argparse requires error() not to return.
                raise SystemExit(error(self.verb, message, self.format_usage()))

        _PARSER_CLASS.append(Parser)
    return _PARSER_CLASS[0]


def parser(verb, description):
    """An ``argparse.ArgumentParser`` for ``python -m nnref VERB`` that reports in the one style.

    A usage error writes the usage line and ``nnref VERB: error: MESSAGE``
    to stderr and raises ``SystemExit(2)``; ``--help`` prints the help and
    raises ``SystemExit(0)``.  ``nnref.cli.main`` turns either into its
    return value.  Where there is no ``argparse`` (MicroPython) it reports
    that in the same style and raises ``SystemExit(2)``.

    >>> import contextlib, io
    >>> p = parser("demo", "A demonstration.")
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     try:
    ...         p.parse_args(["--bad"])
    ...     except SystemExit as exit:
    ...         print(exit_status(exit))
    2
    >>> print(err.getvalue(), end="")
    usage: python -m nnref demo [-h]
    nnref demo: error: unrecognized arguments: --bad
    """
    return _parser_class(verb)(prog="python -m nnref " + verb, description=description, verb=verb)
