"""The book's data sets (``nnfs.datasets``), in float64, as plain lists.

=====================================  ========================================
Function                               What it builds
=====================================  ========================================
``spiral_data(samples, classes)``      interleaved spiral arms, one per class
``vertical_data(samples, classes)``    Gaussian blobs side by side
``sine_data(samples=1000)``            ``x`` in [0, 1) and ``sin(2 pi x)``
=====================================  ========================================

Each one follows nnfs 0.5.1's algorithm step by step, with the same draws from
the same generator in the same order, so with the same seed it gives NumPy's
float64 values bit for bit (without ``nnfs.init()``, which switches NumPy to
float32).  The data sets draw from ``rng``, a ``nnref.RandomState`` (or any
object with a ``randn`` method that works like it, such as NumPy's
``RandomState``; anything else is a ``TypeError``); with ``rng=None`` they
use nnref's default generator (see ``nnref.seed``), as nnfs uses
``np.random``'s global one.

Determinism: the random draws, the ``linspace`` and every ``+ - * /`` are
exact IEEE operations, identical everywhere.  ``sin`` and ``cos`` come from
the platform's C library (``math``): the values match NumPy's bit for bit
wherever NumPy's float64 ``sin``/``cos`` are the platform's libm, as on glibc
x86-64; a WebAssembly build's libm may differ in the last bit on a small share
of points.

>>> import nnref
>>> nnref.seed(0)
>>> X, y = spiral_data(samples=100, classes=3)
>>> len(X), len(X[0]), sorted(set(y))
(300, 2, [0, 1, 2])
>>> X[0]
[0.0, 0.0]
"""

import math

from ._base.checks import check_count, check_size
from .rng import RandomState, _resolve_rng  # noqa: F401  (RandomState: the doctests use it)

_TWO_PI = 2 * math.pi  # nnfs computes ``2 * np.pi * X``: the product comes first


def _linspace(start, stop, num):
    # NumPy's linspace(start, stop, num) in float64, operation for operation:
    # step = (stop - start) / (num - 1); y[i] = i * step + start; the last
    # point is exactly stop.  When the step underflows to 0, NumPy computes
    # (i / (num - 1)) * delta instead.  num == 1 gives [start].
    start = float(start)
    stop = float(stop)
    if num == 0:
        return []
    if num == 1:
        return [0.0 * (stop - start) + start]
    div = num - 1
    delta = stop - start
    step = delta / div
    if step == 0:
        points = [(i / div) * delta + start for i in range(num)]
    else:
        points = [i * step + start for i in range(num)]
    points[-1] = stop
    return points


def _stack_classes(func, samples, classes, rng, make_class):
    """The frame every nnfs data set shares: ``(X, y)`` for ``classes`` classes in order.

    Checks the sizes, picks the generator (``rng`` or the default one), and
    stacks ``make_class(rng, samples, c)`` (a list of ``samples`` points) for
    ``c = 0 .. classes-1``, with ``samples`` labels ``c`` each.
    """
    samples = check_size(func, "samples", samples)
    classes = check_size(func, "classes", classes)
    check_count(func, "X (samples * classes = %d rows of 2)" % (samples * classes),
                2 * samples * classes)
    rng = _resolve_rng(func, rng)
    X, y = [], []
    for c in range(classes):
        X.extend(make_class(rng, samples, c))
        y.extend([c] * samples)
    return X, y


def _spiral_class(rng, samples, class_number):
    # One arm: radius r from 0 to 1, angle t over [4c, 4(c+1)] plus noise
    # (one randn(samples) call), point (r sin(2.5 t), r cos(2.5 t)).
    radius = _linspace(0.0, 1, samples)
    angle = _linspace(class_number * 4, (class_number + 1) * 4, samples)
    noise = [g * 0.2 for g in rng.randn(samples)]
    points = []
    for r, base, n in zip(radius, angle, noise):
        t = (base + n) * 2.5
        points.append([r * math.sin(t), r * math.cos(t)])
    return points


def spiral_data(samples, classes, rng=None):
    """The spiral data set: ``classes`` arms of ``samples`` points each.

    Returns ``(X, y)``: ``X`` a list of ``samples * classes`` rows
    ``[x0, x1]`` and ``y`` the list of class labels (ints), classes in order.
    For class ``c``, with NumPy's ``linspace`` arithmetic::

        r = linspace(0.0, 1, samples)
        t = linspace(4c, 4(c + 1), samples) + randn(samples) * 0.2
        X = (r * sin(t * 2.5), r * cos(t * 2.5))

    ``linspace(a, b, n)`` is ``i * ((b - a) / (n - 1)) + a`` with the last
    point exactly ``b``; ``n == 1`` gives ``[a]``.  Each class makes one
    ``rng.randn(samples)`` call, so the generator ends where nnfs leaves
    NumPy's.  ``samples == 0`` or ``classes == 0`` gives ``([], [])``; a size
    that is not an int (or is a ``bool``) is a ``TypeError``; a negative one,
    or one that would make ``X`` more than 10**8 elements, a ``ValueError``
    (before anything is drawn).  nnfs stores the labels as ``uint8``; here they are ints.

    Accuracy: bit-identical to nnfs/NumPy float64 for the same seed where
    NumPy's ``sin``/``cos`` are the platform's libm (glibc x86-64).

    >>> X, y = spiral_data(4, 2, rng=RandomState(0))
    >>> y
    [0, 0, 0, 0, 1, 1, 1, 1]
    >>> X[0], X[4]  # radius 0; the zero takes the sign of sin and cos, as in NumPy
    ([0.0, 0.0], [-0.0, -0.0])
    >>> spiral_data(0, 3)
    ([], [])
    """
    return _stack_classes("spiral_data", samples, classes, rng, _spiral_class)


def _vertical_class(rng, samples, class_number):
    # Both randn(samples) calls happen before the columns are paired up:
    # the x0 draws first, then the x1 draws.
    centre = class_number / 3
    xs = [g * 0.1 + centre for g in rng.randn(samples)]
    ys = [g * 0.1 + 0.5 for g in rng.randn(samples)]
    return [[a, b] for a, b in zip(xs, ys)]


def vertical_data(samples, classes, rng=None):
    """Vertical blobs: ``classes`` clusters of ``samples`` points each.

    Returns ``(X, y)`` like ``spiral_data``.  For class ``c``::

        x0 = randn(samples) * 0.1 + c / 3
        x1 = randn(samples) * 0.1 + 0.5

    with the ``x0`` draws made before the ``x1`` draws (two ``randn`` calls
    per class, as nnfs does).  Sizes are checked as in ``spiral_data``;
    ``samples == 0`` or ``classes == 0`` gives ``([], [])``.

    Accuracy: only exact IEEE operations, so bit-identical to nnfs/NumPy
    float64 for the same seed, on every platform (up to ``randn``'s
    ``log``, see ``nnref.rng``).

    >>> X, y = vertical_data(3, 2, rng=RandomState(0))
    >>> len(X), y
    (6, [0, 0, 0, 1, 1, 1])
    >>> vertical_data(2, 0)
    ([], [])
    """
    return _stack_classes("vertical_data", samples, classes, rng, _vertical_class)


def sine_data(samples=1000):
    """The sine data set: ``x = i / samples`` for ``i`` in ``0..samples-1``
    and ``y = sin(2 pi x)``, both as column vectors (lists of one-element
    lists).

    ``2 * pi`` is rounded first and then multiplied by ``x``, as nnfs writes
    ``2 * np.pi * X``.  No random draws.  ``samples == 0`` gives ``([], [])``;
    sizes are checked as in ``spiral_data``.

    Accuracy: ``x`` is correctly rounded everywhere; ``y`` matches NumPy
    where its ``sin`` is the platform's libm (glibc x86-64).

    >>> X, y = sine_data(4)
    >>> X
    [[0.0], [0.25], [0.5], [0.75]]
    >>> y[0], y[1]
    ([0.0], [1.0])
    """
    samples = check_size("sine_data", "samples", samples)
    X, y = [], []
    for i in range(samples):
        x = i / samples
        X.append([x])
        y.append([math.sin(_TWO_PI * x)])
    return X, y
