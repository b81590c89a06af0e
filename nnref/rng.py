"""NumPy's legacy random stream, bit for bit, in pure Python.

``RandomState(seed)`` gives exactly the numbers that
``numpy.random.RandomState(seed)`` (and so ``np.random.seed(seed)`` followed by
``np.random.randn``/``np.random.random_sample``) gives for the same integer seed
and the same sequence of calls:

* the bits come from MT19937 seeded with ``init_genrand(seed)`` (Matsumoto and
  Nishimura, 1998), one 32-bit word per draw;
* ``random_sample`` builds a 53-bit double from two words,
  ``((a >> 5) * 67108864.0 + (b >> 6)) / 9007199254740992.0``;
* ``randn`` is the legacy polar Box-Muller method: two uniforms in (-1, 1)
  are drawn until they fall strictly inside the unit circle (and not on its
  centre), and the pair gives two normal values; the second one is returned
  first and the first one is kept for the next normal draw.  So ``randn(3)``
  then ``randn(3)`` equals ``randn(6)``, and a ``random_sample`` in between
  does not disturb the kept value.

Where the interpreter has ``random.Random`` (CPython, PyPy, Pyodide), the
MT19937 state is loaded into one with ``setstate`` and its ``getrandbits(32)``
and ``random()`` do the work: Python's generator is the same MT19937 with the
same 53-bit formula, so the stream is identical and fast.  Elsewhere
(MicroPython) a pure-Python MT19937 (twist and tempering) gives the same words.

Accuracy: the MT19937 words and ``random_sample`` are exact, so they are
bit-identical on every platform and interpreter.  ``randn`` also calls
``math.log`` and ``math.sqrt`` from the platform's C library; on glibc x86-64
they match NumPy's, while a WebAssembly build's ``log`` may differ in the last
bit on rare inputs, and so may ``randn``.

The one piece of global state in nnref is the module-level default generator
used by ``Dense(..., rng=None)`` and by the data sets when ``rng=None``
(``_default()`` returns it).  ``seed(s)`` reseeds it, like ``np.random.seed``.  Unlike NumPy's, it starts
seeded with 0, so a program that never seeds is still reproducible.

>>> rs = RandomState(0)
>>> rs.random_sample()
0.5488135039273248
>>> [round(v, 6) for v in rs.randn(3)]
[0.741592, 1.552914, -2.268328]
>>> a = RandomState(1).randn(6)
>>> b = RandomState(1); b.randn(3) + b.randn(3) == a
True
"""

import math

from ._base.checks import (_describe, as_float, check_count, check_int, check_size,
                           plain_sequence)

try:  # the fast path: Python's own MT19937 (absent on MicroPython)
    from random import Random as _PyRandom
except ImportError:
    _PyRandom = None

_N = 624  # MT19937 state size in 32-bit words
_M = 397
_MASK32 = 0xFFFFFFFF
_UPPER = 0x80000000
_LOWER = 0x7FFFFFFF
_MATRIX_A = 0x9908B0DF
_TWO_26 = 67108864.0
_TWO_53 = 9007199254740992.0


def _init_genrand(seed):
    # MT19937's reference seeding: key[0] = seed, then a linear congruential
    # recurrence; NumPy's legacy integer seeding does exactly this.
    key = [0] * _N
    key[0] = seed
    for i in range(1, _N):
        prev = key[i - 1]
        key[i] = (1812433253 * (prev ^ (prev >> 30)) + i) & _MASK32
    return key


def _twist(key):
    # Regenerate all 624 words in place (the reference genrand's refill).
    for i in range(_N):
        y = (key[i] & _UPPER) | (key[(i + 1) % _N] & _LOWER)
        word = key[(i + _M) % _N] ^ (y >> 1)
        if y & 1:
            word ^= _MATRIX_A
        key[i] = word


def _temper(y):
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C5680
    y ^= (y << 15) & 0xEFC60000
    y ^= y >> 18
    return y


class _PureMT(object):
    # MT19937 in plain Python: for interpreters without random.Random.
    def __init__(self, key, pos):
        self.key = list(key)
        self.pos = pos

    def next32(self):
        if self.pos >= _N:
            _twist(self.key)
            self.pos = 0
        y = self.key[self.pos]
        self.pos += 1
        return _temper(y)

    def next_double(self):
        a = self.next32() >> 5
        b = self.next32() >> 6
        return (a * _TWO_26 + b) / _TWO_53

    def state(self):
        return list(self.key), self.pos


class _FastMT(object):
    # The same stream through random.Random, whose state is MT19937's
    # 624 words plus the position.
    def __init__(self, key, pos):
        self._gen = _PyRandom(0)
        self._gen.setstate((3, tuple(key) + (pos,), None))
        self.next32 = lambda: self._gen.getrandbits(32)
        self.next_double = self._gen.random

    def state(self):
        words = self._gen.getstate()[1]
        return list(words[:_N]), words[_N]


def _fast_path_works():
    # Guard against an interpreter whose random.Random is not MT19937:
    # 3499211612 is the reference first output for init_genrand(5489).
    if _PyRandom is None:
        return False
    try:
        return _FastMT(_init_genrand(5489), _N).next32() == 3499211612
    except Exception:  # any surprise in setstate/getrandbits: use pure MT
        return False


_USE_FAST = _fast_path_works()


def _check_seed(where, s):
    # The seed as a plain int (an int subclass is read by its stored value).
    s = check_int(where, "seed", s)
    if s < 0 or s > _MASK32:
        raise ValueError("%s: seed must be between 0 and 2**32 - 1, got %d" % (where, s))
    return s


def _check_shape(where, shape):
    # A shape is a tuple of sizes, with at most MAX_ELEMENTS elements in all;
    # returns it as a tuple of plain ints.
    dims = tuple([check_size(where, "shape[%d]" % i, n) for i, n in enumerate(shape)])
    count = 1
    for n in dims:
        count *= n
    check_count(where, "shape %r" % (dims,), count)
    return dims


def _fill(shape, draw):
    # Nested lists of the given shape, filled in row-major order; shape ()
    # gives the bare value.
    if not shape:
        return draw()
    if len(shape) == 1:
        return [draw() for _ in range(shape[0])]
    rest = shape[1:]
    return [_fill(rest, draw) for _ in range(shape[0])]


class RandomState(object):
    """NumPy's legacy ``RandomState``: the same numbers for the same seed.

    ``seed`` is an int in 0..2**32-1 (``ValueError`` otherwise); a ``bool``,
    a float or any other kind of value is a ``TypeError``.  Only integer
    seeds are supported (NumPy also takes arrays, seeded with
    ``init_by_array``; nnref does not).

    >>> RandomState(42).random_sample(2)
    [0.3745401188473625, 0.9507143064099162]
    >>> RandomState(2**32)
    Traceback (most recent call last):
        ...
    ValueError: RandomState: seed must be between 0 and 2**32 - 1, got 4294967296
    >>> RandomState(True)
    Traceback (most recent call last):
        ...
    TypeError: RandomState: seed must be an int, not True (bool)
    """

    def __init__(self, seed=0, _pure=False):
        # _pure forces the pure-Python MT19937 (tests compare both paths).
        self._pure = _pure or not _USE_FAST
        self._seed_value = None
        self._gauss = None  # the kept second value of a Box-Muller pair
        self._mt = None
        seed = _check_seed("RandomState", seed)
        self._load(_init_genrand(seed), _N)
        self._seed_value = seed

    def _load(self, key, pos):
        maker = _PureMT if self._pure else _FastMT
        self._mt = maker(key, pos)

    def seed(self, s):
        """Reseed in place with ``init_genrand(s)`` and forget any kept
        normal value, as NumPy's ``RandomState.seed`` does.

        >>> rs = RandomState(3)
        >>> first = rs.randn()
        >>> rs.seed(3); rs.randn() == first
        True
        """
        s = _check_seed("RandomState.seed", s)
        self._load(_init_genrand(s), _N)
        self._gauss = None
        self._seed_value = s

    def random_uint32(self):
        """The next raw MT19937 word, an int in 0..2**32-1 (NumPy's
        ``bit_generator.random_raw()`` for the legacy MT19937).

        >>> RandomState(5489).random_uint32()
        3499211612
        """
        return self._mt.next32()

    def random_sample(self, size=None):
        """Uniform doubles in [0, 1): ``((a >> 5) * 2**26 + (b >> 6)) / 2**53``
        from two MT19937 words ``a`` then ``b``.

        ``size`` None gives one float; an int ``n`` gives a list of ``n``
        floats; a tuple gives nested lists of that shape, filled row-major
        (``()`` gives one float).  Every value is a multiple of 2**-53, and
        exact on every platform.

        >>> RandomState(0).random_sample((2, 2))
        [[0.5488135039273248, 0.7151893663724195], [0.6027633760716439, 0.5448831829968969]]
        >>> RandomState(0).random_sample(0)
        []
        """
        if size is None:
            return self._mt.next_double()
        dims = plain_sequence(size)
        if type(dims) is tuple:
            shape = _check_shape("random_sample", dims)
        else:
            shape = _check_shape("random_sample", (size,))
        return _fill(shape, self._mt.next_double)

    def _gauss_next(self):
        # NumPy's legacy_gauss: polar Box-Muller, second value of each pair
        # returned first, first value kept for the next call.
        kept = self._gauss
        if kept is not None:
            self._gauss = None
            return kept
        uniform = self._mt.next_double
        while True:
            x1 = 2.0 * uniform() - 1.0
            x2 = 2.0 * uniform() - 1.0
            r2 = x1 * x1 + x2 * x2
            if r2 < 1.0 and r2 != 0.0:
                break
        f = math.sqrt(-2.0 * math.log(r2) / r2)
        self._gauss = f * x1
        return f * x2

    def randn(self, *shape):
        """Standard normal draws, NumPy's legacy ``randn``.

        No argument gives one float; ``randn(d0, d1, ...)`` gives nested
        lists of that shape, filled in row-major order.  Each pair of values
        is ``sqrt(-2 ln(r2) / r2) * (x2, x1)`` for uniforms ``x1``, ``x2`` in
        (-1, 1) with ``0 < r2 = x1**2 + x2**2 < 1``; the ``x2`` value is
        returned first and the ``x1`` value on the next normal draw (even
        across calls).  A dimension that is not an int (or is a ``bool``) is
        a ``TypeError``; a negative one, one larger than 10**8, or a shape of
        more than 10**8 elements is a ``ValueError``, before anything is drawn.

        >>> rs = RandomState(0)
        >>> rows = rs.randn(2, 3)
        >>> [len(row) for row in rows]
        [3, 3]
        >>> round(rows[0][0], 12)
        1.764052345968
        >>> rs.randn(0)
        []
        """
        return _fill(_check_shape("randn", shape), self._gauss_next)

    def get_state(self):
        """The state in NumPy's legacy form: ``('MT19937', key, pos,
        has_gauss, cached_gaussian)`` with ``key`` a list of 624 ints.

        >>> st = RandomState(0).get_state()
        >>> st[0], len(st[1]), st[2], st[3], st[4]
        ('MT19937', 624, 624, 0, 0.0)
        """
        key, pos = self._mt.state()
        has_gauss = 0 if self._gauss is None else 1
        return ("MT19937", key, pos, has_gauss, 0.0 if self._gauss is None else self._gauss)

    def set_state(self, state):
        """Load a state from ``get_state()`` (this class's or NumPy's legacy
        tuple with the key as a list or array of 624 ints).

        >>> a = RandomState(7); b = RandomState(0)
        >>> b.set_state(a.get_state()); b.randn(2) == a.randn(2)
        True
        """
        where = "RandomState.set_state"
        items = plain_sequence(state)
        if (type(items) is not tuple or len(items) != 5 or type(items[0]) is not str
                or items[0] != "MT19937"):
            raise ValueError("%s: expected ('MT19937', key, pos, has_gauss, cached_gaussian)"
                             % where)
        words = plain_sequence(items[1])
        if words is None and callable(getattr(type(items[1]), "tolist", None)):
            words = plain_sequence(items[1].tolist())       # NumPy's array of uint32
        if words is None:
            raise TypeError("%s: key is %s; expected a list of 624 ints"
                            % (where, _describe(items[1])))
        key = [check_int(where, "key[%d]" % i, k) for i, k in enumerate(words)]
        pos = check_int(where, "pos", items[2])
        has_gauss = check_int(where, "has_gauss", items[3])
        if len(key) != _N:
            raise ValueError("%s: key must have 624 words, got %d" % (where, len(key)))
        if pos < 0 or pos > _N:
            raise ValueError("%s: pos must be in 0..624, got %d" % (where, pos))
        for i, k in enumerate(key):
            if k < 0 or k > _MASK32:
                raise ValueError("%s: key[%d] = %d is not a 32-bit word" % (where, i, k))
        self._load(key, pos)
        self._gauss = as_float(items[4], where, "cached_gaussian") if has_gauss else None
        self._seed_value = None

    def __repr__(self):
        key, pos = self._mt.state()
        origin = "seed=%d" % self._seed_value if self._seed_value is not None else "state set"
        kept = "none" if self._gauss is None else repr(self._gauss)
        path = "pure" if self._pure else "fast"
        return "RandomState(%s, pos=%d, kept_normal=%s, path=%s)" % (origin, pos, kept, path)


_DEFAULT = RandomState(0)


def seed(s):
    """Reseed nnref's default generator, like ``np.random.seed(s)``.

    The default generator is what ``Dense(..., rng=None)`` and the data sets
    with ``rng=None`` draw from.  It starts seeded with 0.

    >>> seed(0)
    >>> _default().random_sample()
    0.5488135039273248
    >>> seed(-1)
    Traceback (most recent call last):
        ...
    ValueError: seed: seed must be between 0 and 2**32 - 1, got -1
    """
    _DEFAULT.seed(_check_seed("seed", s))


def _default():
    """The module-level default ``RandomState`` (nnref's one global state)."""
    return _DEFAULT


def _resolve_rng(func, rng):
    """The generator that ``func``'s ``rng=`` argument names: ``None`` is the default one.

    The rule for every ``rng=`` in nnref (``Dense``, the data sets, book
    mode): a generator is anything with a ``randn`` method that works like
    ``RandomState.randn`` -- a ``RandomState``, or for instance NumPy's
    ``numpy.random.RandomState``, which draws the same numbers.  Its values
    are used as they come.  Anything without ``randn`` is a TypeError naming
    the argument and the missing method.

    >>> _resolve_rng("Dense", 42)
    Traceback (most recent call last):
        ...
    TypeError: Dense: rng must be a nnref.RandomState, None, or an object with a randn method; 42 (int) has no randn method
    """
    if rng is None:
        return _DEFAULT
    if not callable(getattr(rng, "randn", None)):
        raise TypeError("%s: rng must be a nnref.RandomState, None, or an object with a randn "
                        "method; %s has no randn method" % (func, _describe(rng)))
    return rng
