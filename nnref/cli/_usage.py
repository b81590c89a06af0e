"""How every command reports a failure: one style, one set of exit statuses.

A failure is one line on standard error, ``nnref VERB: error: MESSAGE``
(``nnref: error: MESSAGE`` for the dispatcher itself), after the command's
usage line when the command line was at fault.  The exit statuses:

* 0: success;
* 1: the command ran and found failures (``check``, ``crosscheck``,
  ``selfcheck``), or could not write its output (``io_error``): an ``--out``
  path that cannot be written, or a standard output that is closed or full.
  A reader that goes away (``| head -1``) ends the command quietly, with no
  message, and status 1; so does running out of memory, with a message;
* 2: the command could not run as asked (``error``): an unknown command,
  flag or value, a size beyond the command's documented limit, an input
  that cannot be read, a library that is missing;
* 130: interrupted (Ctrl-C), quietly.

Where output goes (``output_problem``, ``write_output``): ``--out FILE``
replaces FILE if it exists, but its folder must exist (it is never created)
and FILE must not be a folder; the file is written only after every
argument has been checked, and removed again if writing it fails half way.
``--out DIR`` for a command that writes a folder may create DIR, never its
missing parents (``folder_problem``).

``error`` and ``io_error`` need nothing but ``sys``, so the commands that
MicroPython runs (``tour``, ``selfcheck``), which has no ``argparse``, use
them directly.  ``parser`` gives the commands that do use ``argparse`` an
``ArgumentParser`` that reports in the same style, reads ``-1.5``, ``-1e3``
and ``-inf`` as values rather than flags, and offers ``count`` and
``number`` for checked values; ``argparse`` is imported only when it is
called.

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
INTERRUPTED_STATUS = 130        # 128 + SIGINT, as a shell reports a Ctrl-C


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
    if file is None:        # started with standard error closed: the status says it all
        return status
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
        import re
        # What a negative number looks like: -5, -1.5, -.5, -1e3, -inf, -nan.
        negative_number = re.compile(r"-(\.?[0-9]|inf|nan)", re.IGNORECASE)

        class Parser(argparse.ArgumentParser):
            """An ``ArgumentParser`` whose usage errors read ``nnref VERB: error: ...``."""

            def __init__(self, *args, **kwargs):
                self.verb = kwargs.pop("verb", None)
                argparse.ArgumentParser.__init__(self, *args, **kwargs)
                # argparse reads an argument that starts with "-" as a value only if it
                # looks like -5 or -1.5; "--w1 -1e3" and "--w1 -inf" would be flags.  The
                # same attribute in CPython 3.6 to 3.13 and PyPy (tests/test_cli.py checks).
                self._negative_number_matcher = negative_number

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


def parser(verb, description, epilog=None):
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
    return _parser_class(verb)(prog="python -m nnref " + verb, description=description,
                               epilog=epilog, verb=verb)


# --- checked values ----------------------------------------------------------------

def _type_error(message):
    import argparse
    return argparse.ArgumentTypeError(message)


def count(high):
    """An ``argparse`` type: a whole number at most ``high``.

    A value past the bound is a usage error naming the flag and the bound,
    decided from the digits alone: a huge number is refused at once, never
    built.  Negative values are left to the library, whose message
    (``samples must be non-negative``) names the argument.

    >>> samples = count(10 ** 7)
    >>> samples("12"), samples("-3"), samples("1_000")
    (12, -3, 1000)
    >>> samples("99999999999999999999999")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: at most 10000000, got 99999999999999999999999
    >>> samples("9" * 5000)
    Traceback (most recent call last):
    argparse.ArgumentTypeError: at most 10000000, got a number of 5000 digits
    >>> samples("1e3")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: invalid int value: '1e3'
    """
    def whole_number(text):
        digits = text.strip().lstrip("+").replace("_", "").lstrip("0")
        if digits.isdigit() and len(digits) > 40:
            # Past any limit; and CPython 3.11 refuses int() of more than 4300 digits.
            raise _type_error("at most %d, got a number of %d digits" % (high, len(digits)))
        try:
            value = int(text)
        except ValueError:
            raise _type_error("invalid int value: %r" % (text,))
        if value > high:
            raise _type_error("at most %d, got %d" % (high, value))
        return value
    return whole_number


def number(largest, smallest):
    """An ``argparse`` type: a finite float, 0 or of magnitude from ``smallest`` to ``largest``.

    >>> weight = number(1e6, 1e-6)
    >>> weight("-1.5"), weight("0"), weight("-0.0"), weight("1e6")
    (-1.5, 0.0, -0.0, 1000000.0)
    >>> weight("nan")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be a finite number, got nan
    >>> weight("1e400")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be a finite number, got inf (from '1e400')
    >>> weight("1e-7")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be 0 or between 1e-06 and 1e+06 in magnitude, got 1e-07
    """
    def finite_number(text):
        try:
            value = float(text)
        except ValueError:
            raise _type_error("invalid float value: %r" % (text,))
        if value != value or value in (float("inf"), float("-inf")):
            shown = repr(value)
            if shown.lstrip("-") != text.strip().lstrip("+-").lower():
                shown += " (from %r)" % (text,)
            raise _type_error("must be a finite number, got %s" % shown)
        if value != 0.0 and not smallest <= abs(value) <= largest:
            raise _type_error("must be 0 or between %g and %g in magnitude, got %r"
                              % (smallest, largest, value))
        return value
    return finite_number


# --- where output goes ---------------------------------------------------------------

def output_problem(path):
    """Why ``--out path`` cannot be written as a file, or None if it may be.

    A file that exists is replaced; a folder, or a missing or non-folder
    parent, is a problem (the parent is never created).

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> output_problem(os.path.join(folder, "x.csv")) is None
    True
    >>> output_problem(folder)
    'it is a folder'
    >>> output_problem(os.path.join(folder, "missing", "x.csv")).startswith("no folder ")
    True
    >>> os.rmdir(folder)
    """
    import os.path
    if path == "":
        return "the path is empty"
    if os.path.isdir(path):
        return "it is a folder"
    return _parent_problem(path)


def folder_problem(path):
    """Why ``--out path`` cannot be the folder a command writes into, or None.

    The folder may exist or be created; its parent must exist.
    """
    import os.path
    if path == "":
        return "the path is empty"
    if os.path.isdir(path):
        return None
    if os.path.exists(path):
        return "it is not a folder"
    return _parent_problem(path)


def _parent_problem(path):
    import os.path
    parent = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(parent):
        return None
    if os.path.exists(parent):
        return "%s is not a folder" % (parent,)
    return "no folder %s (it is not created)" % (parent,)


def _reason(exc):
    return getattr(exc, "strerror", None) or str(exc)


def cannot_write(verb, path, reason, file=None):
    """``io_error``'s ``cannot write PATH: REASON`` (``''`` for an empty path); return 1.

    >>> import io
    >>> err = io.StringIO()
    >>> cannot_write("data", "", "the path is empty", file=err)
    1
    >>> err.getvalue()
    "nnref data: error: cannot write '': the path is empty\\n"
    """
    return io_error(verb, "cannot write %s: %s" % (path or "''", reason), file=file)


def write_output(verb, path, chunks):
    """Write the strings of ``chunks`` to the file ``path`` (or stdout if None); return the status.

    ``path`` should have passed ``output_problem`` before the work began; a
    file that still cannot be written is reported by ``io_error`` (status 1),
    and one that fails half way is removed again, so that an error never
    leaves a truncated file behind.
    """
    if path is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return 0
    import os
    problem = output_problem(path)
    if problem is not None:
        return cannot_write(verb, path, problem)
    try:
        handle = open(path, "w", encoding="utf-8", newline="")
    except (OSError, UnicodeError) as exc:
        return cannot_write(verb, path, _reason(exc))
    try:
        try:
            for chunk in chunks:
                handle.write(chunk)
        finally:
            handle.close()
    except BaseException as exc:
        if os.path.isfile(path):        # not /dev/full or a pipe
            try:
                os.remove(path)
            except OSError:
                pass
        if isinstance(exc, (OSError, UnicodeError)):
            return cannot_write(verb, path, _reason(exc))
        raise
    return 0


# --- standard output -------------------------------------------------------------------

class OutputFailed(Exception):
    """Writing to standard output failed; ``error`` is the ``OSError`` (or ``UnicodeError``)."""

    def __init__(self, error):
        Exception.__init__(self, error)
        self.error = error

    @property
    def broken_pipe(self):
        """True if the reader went away (``| head -1``): ``BrokenPipeError``, errno EPIPE."""
        import errno
        return getattr(self.error, "errno", None) == getattr(errno, "EPIPE", 32)


class GuardedOutput(object):
    """Standard output as ``nnref.cli.main`` hands it to a command: failures raise ``OutputFailed``.

    So the dispatcher, and only it, can tell "standard output is gone" from
    any other ``OSError`` a command meets, whichever command and whichever
    ``print`` it was.  ``stream`` None (the interpreter started with its
    standard output closed) fails on the first write.
    """

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        if self.stream is None:
            raise OutputFailed(OSError(9, "Bad file descriptor"))
        try:
            return self.stream.write(text)
        except (OSError, UnicodeError) as exc:
            raise OutputFailed(exc)

    def flush(self):
        if self.stream is None:
            return
        try:
            self.stream.flush()
        except (OSError, UnicodeError) as exc:
            raise OutputFailed(exc)

    def __getattr__(self, name):        # encoding, isatty, fileno, buffer, ...
        return getattr(self.stream, name)
