"""nnref.rng's MicroPython-only code, run on CPython against the paths CPython uses.

CPython draws through ``random.Random`` (``_FastMT``); MicroPython, which has
no ``random.Random`` MT19937, through the pure-Python ``_PureMT`` (seeding,
twist, tempering).  Here the pure generator is driven directly and compared
word for word with ``random.Random`` loaded with the same 624-word state, over
several refills of the state; the fast-path guard is shown to refuse a
generator that is absent, not MT19937 or broken; and ``set_state``'s bounds
are checked at their edges.

Equivalent mutant left alive: ``key = [0] * _N`` in ``_init_genrand`` with
another fill value; every word is assigned before it is read (``key[0]`` the
seed, then each ``key[i]`` from ``key[i - 1]``), so the fill never shows.
"""

import random

import pytest

from nnref import rng
from nnref.rng import RandomState


def python_random_with(key, pos):
    gen = random.Random(0)
    gen.setstate((3, tuple(key) + (pos,), None))
    return gen


@pytest.mark.parametrize("seed", [0, 1, 5489, 2 ** 31, 2 ** 32 - 1])
def test_pure_words_are_random_randoms(seed):
    key = rng._init_genrand(seed)
    pure = rng._PureMT(key, 624)
    gen = python_random_with(key, 624)
    # 1500 words: the state is regenerated (twisted) three times.
    assert [pure.next32() for _ in range(1500)] == [gen.getrandbits(32) for _ in range(1500)]
    assert pure.state() == (list(gen.getstate()[1][:624]), gen.getstate()[1][624])


@pytest.mark.parametrize("seed", [0, 42, 2 ** 32 - 1])
def test_pure_doubles_are_random_randoms(seed):
    key = rng._init_genrand(seed)
    pure = rng._PureMT(key, 624)
    gen = python_random_with(key, 624)
    assert [pure.next_double() for _ in range(700)] == [gen.random() for _ in range(700)]


def test_pure_generator_from_a_mid_stream_state():
    # A state part-way through its 624 words (as set_state may give).
    key = rng._init_genrand(7)
    gen = python_random_with(key, 624)
    gen.getrandbits(32 * 100)                 # 100 words on, mid-state
    words = gen.getstate()[1]
    pure = rng._PureMT(list(words[:624]), words[624])
    assert [pure.next32() for _ in range(1000)] == [gen.getrandbits(32) for _ in range(1000)]


def test_init_genrand_is_the_reference_seeding():
    # Python's random.seed of a 32-bit int uses init_by_array, not init_genrand,
    # so check the reference recurrence itself, and the reference first output.
    key = rng._init_genrand(5489)
    assert key[0] == 5489 and len(key) == 624
    for i in range(1, 624):
        assert key[i] == (1812433253 * (key[i - 1] ^ (key[i - 1] >> 30)) + i) % 2 ** 32
    assert rng._PureMT(key, 624).next32() == 3499211612     # mt19937ar.c's first output


def test_tempering_is_the_reference_one():
    # MT19937's tempering of a few words, written out from the paper's constants.
    def temper(y):
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        return y ^ (y >> 18)
    for y in (0, 1, 0x80000000, 0xFFFFFFFF, 0x12345678, 0x9908B0DF):
        assert rng._temper(y) == temper(y) & 0xFFFFFFFF


def test_pure_and_fast_random_states_agree():
    for seed in (0, 3):
        pure, fast = RandomState(seed, _pure=True), RandomState(seed)
        assert pure.random_sample(5) == fast.random_sample(5)
        assert pure.randn(7) == fast.randn(7)
        assert pure.get_state()[1] == fast.get_state()[1] and pure.get_state()[2] == fast.get_state()[2]


class _NotMT(object):
    def __init__(self, seed):
        pass

    def setstate(self, state):
        pass

    def getrandbits(self, k):
        return 12345


class _Broken(_NotMT):
    def setstate(self, state):
        raise ValueError("no")


def test_the_fast_path_guard(monkeypatch):
    assert rng._fast_path_works()
    monkeypatch.setattr(rng, "_PyRandom", None)
    assert not rng._fast_path_works()
    monkeypatch.setattr(rng, "_PyRandom", _NotMT)
    assert not rng._fast_path_works()
    monkeypatch.setattr(rng, "_PyRandom", _Broken)
    assert not rng._fast_path_works()
    monkeypatch.setattr(rng, "_PyRandom", random.Random)
    assert rng._fast_path_works()


def test_set_state_bounds_at_their_edges():
    rs = RandomState(0)
    name, key, pos, has_gauss, gauss = rs.get_state()
    edge = list(key)
    edge[0], edge[1] = 0, 2 ** 32 - 1
    for p in (0, 624):
        rs.set_state((name, edge, p, 0, 0.0))
        assert rs.get_state()[1] == edge and rs.get_state()[2] == p
    for bad_word in (-1, 2 ** 32):
        words = list(key)
        words[5] = bad_word
        with pytest.raises(ValueError, match=r"key\[5\] = %d is not a 32-bit word" % bad_word):
            rs.set_state((name, words, pos, 0, 0.0))
    for bad_pos in (-1, 625):
        with pytest.raises(ValueError, match="pos must be in 0..624, got %d" % bad_pos):
            rs.set_state((name, list(key), bad_pos, 0, 0.0))
    with pytest.raises(ValueError, match="key must have 624 words, got 623"):
        rs.set_state((name, list(key)[:623], pos, 0, 0.0))
