"""nnref.rng against NumPy's legacy RandomState, as recorded by
tools/record_fixtures.py in tests/fixtures/rng_streams.json."""

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, strategies as st

import nnref
from nnref import rng as rng_module
from nnref.rng import RandomState

from support import hexes

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

with open(os.path.join(FIXTURES, "rng_streams.json")) as _f:
    _RECORDED = json.load(_f)
STREAMS = _RECORDED["streams"]
EDGE = _RECORDED["edge_states"][0]

SEED_IDS = [str(s["seed"]) for s in STREAMS]
PATHS = [False, True]  # fast (random.Random) path, pure-Python MT19937


def replay(rs, call):
    """Run one recorded call on ``rs``; returns the result as hex strings."""
    method, args = call["method"], call["args"]
    if method == "seed":
        rs.seed(*args)
        return None
    if method == "random_sample" and args:
        size = tuple(args[0]) if isinstance(args[0], list) else args[0]
        return hexes(rs.random_sample(size))
    return hexes(getattr(rs, method)(*args))


def check_calls(rs, calls):
    for i, call in enumerate(calls):
        got = replay(rs, call)
        if call["method"] != "seed":
            assert got == call["values"], "call %d: %s(%r)" % (i, call["method"], call["args"])


@pytest.fixture(autouse=True)
def reset_default():
    yield
    nnref.seed(0)  # leave the default generator as a fresh import has it


# ------------------------------------------------------------ NumPy streams

@pytest.mark.parametrize("pure", PATHS, ids=["fast", "pure"])
@pytest.mark.parametrize("stream", STREAMS, ids=SEED_IDS)
def test_raw_words_match_numpy(stream, pure):
    rs = RandomState(stream["seed"], _pure=pure)
    assert [rs.random_uint32() for _ in stream["raw_words"]] == stream["raw_words"]


@pytest.mark.parametrize("pure", PATHS, ids=["fast", "pure"])
@pytest.mark.parametrize("stream", STREAMS, ids=SEED_IDS)
def test_mixed_call_sequence_matches_numpy(stream, pure):
    rs = RandomState(stream["seed"], _pure=pure)
    check_calls(rs, stream["calls"])


@pytest.mark.parametrize("pure", PATHS, ids=["fast", "pure"])
@pytest.mark.parametrize("stream", STREAMS, ids=SEED_IDS)
def test_state_after_sequence_matches_numpy(stream, pure):
    rs = RandomState(stream["seed"], _pure=pure)
    for call in stream["calls"]:
        replay(rs, call)
    name, key, pos, has_gauss, cached = rs.get_state()
    want = stream["state_after"]
    assert name == "MT19937"
    assert key == want["key"]
    assert pos == want["pos"]
    assert has_gauss == want["has_gauss"]
    assert cached.hex() == want["cached_gaussian"]


@pytest.mark.parametrize("stream", STREAMS, ids=SEED_IDS)
def test_random_sample_is_the_53_bit_formula_of_two_words(stream):
    words = stream["raw_words"]
    rs = RandomState(stream["seed"])
    for i in range(0, 20, 2):
        a, b = words[i], words[i + 1]
        want = ((a >> 5) * 67108864.0 + (b >> 6)) / 9007199254740992.0
        assert rs.random_sample() == want


def load_state(rs, recorded):
    rs.set_state(("MT19937", recorded["key"], recorded["pos"], recorded["has_gauss"],
                  float.fromhex(recorded["cached_gaussian"])))


@pytest.mark.parametrize("pure", PATHS, ids=["fast", "pure"])
def test_polar_method_rejects_r2_of_one_and_zero_like_numpy(pure):
    # The recorded state's next words are planted: the first pair of
    # uniforms gives r2 == 1, the second r2 == 0; both must be redrawn.
    rs = RandomState(0, _pure=pure)
    load_state(rs, EDGE["state"])
    assert [rs.random_uint32() for _ in EDGE["planted_words"]] == EDGE["planted_words"]
    load_state(rs, EDGE["state"])
    assert hexes(rs.random_sample(4)) == EDGE["random_sample4"]
    load_state(rs, EDGE["state"])
    assert hexes(rs.randn(3)) == EDGE["randn3"]
    name, key, pos, has_gauss, cached = rs.get_state()
    want = EDGE["state_after_randn3"]
    assert (key, pos, has_gauss, cached.hex()) == (want["key"], want["pos"], want["has_gauss"], want["cached_gaussian"])


def test_reference_first_word_for_seed_5489():
    # The MT19937 reference implementation's first output for its default seed.
    for pure in PATHS:
        assert RandomState(5489, _pure=pure).random_uint32() == 3499211612


def test_split_calls_equal_one_call():
    # randn(3) then randn(3) equals randn(6): the kept value crosses calls.
    for seed in (0, 1, 42):
        a = RandomState(seed)
        b = RandomState(seed)
        assert a.randn(3) + a.randn(3) == b.randn(6)
        c = RandomState(seed)
        d = RandomState(seed)
        assert c.randn(1) == d.randn(1)
        grid = c.randn(2, 2)
        assert grid == [d.randn(2), d.randn(2)]
        assert c.randn(1) == d.randn(1)


def test_random_sample_leaves_kept_normal_alone():
    stream = STREAMS[0]
    values = [float.fromhex(h) for h in stream["calls"][0]["values"]]  # randn(3)
    rs = RandomState(stream["seed"])
    first = rs.randn(1)
    rs.random_sample(5)
    # The second normal is the kept half of the first pair, whatever came between.
    assert first + rs.randn(1) == values[:2]


# ------------------------------------------------------------ the two paths

def test_fast_path_is_used_where_random_Random_exists():
    assert rng_module._USE_FAST
    assert not RandomState(0)._pure
    assert RandomState(0, _pure=True)._pure


@pytest.mark.parametrize("stream", STREAMS, ids=SEED_IDS)
@pytest.mark.parametrize("to_pure", [True, False], ids=["fast-to-pure", "pure-to-fast"])
def test_state_handover_between_paths_mid_sequence(stream, to_pure):
    calls = stream["calls"]
    for split in (1, 3, 6, 7, 10, 11, len(calls) - 1):
        first = RandomState(stream["seed"], _pure=not to_pure)
        check_calls(first, calls[:split])
        second = RandomState(0, _pure=to_pure)
        second.set_state(first.get_state())
        check_calls(second, calls[split:])


_OPS = st.one_of(
    st.tuples(st.just("randn"), st.integers(0, 7)),
    st.tuples(st.just("random_sample"), st.integers(0, 7)),
    st.tuples(st.just("random_uint32"), st.integers(1, 700)),
    st.tuples(st.just("handover"), st.just(0)),
    st.tuples(st.just("seed"), st.integers(0, 2 ** 32 - 1)),
)


@given(st.integers(0, 2 ** 32 - 1), st.lists(_OPS, max_size=12))
def test_pure_and_fast_paths_agree_on_any_call_sequence(seed, ops):
    fast = RandomState(seed)
    pure = RandomState(seed, _pure=True)
    for op, n in ops:
        if op == "randn":
            assert fast.randn(n) == pure.randn(n)
        elif op == "random_sample":
            assert fast.random_sample(n) == pure.random_sample(n)
        elif op == "random_uint32":
            assert [fast.random_uint32() for _ in range(n)] == [pure.random_uint32() for _ in range(n)]
        elif op == "seed":
            fast.seed(n)
            pure.seed(n)
        else:  # swap the generators' states through get_state/set_state
            state_fast, state_pure = fast.get_state(), pure.get_state()
            assert state_fast == state_pure
            fast.set_state(state_pure)
            pure.set_state(state_fast)
    assert fast.get_state() == pure.get_state()


# ------------------------------------------------------------ shapes

def test_shapes_and_kinds():
    rs = RandomState(0)
    assert type(rs.randn()) is float
    assert type(rs.random_sample()) is float
    assert type(rs.random_sample(())) is float
    assert rs.randn(0) == []
    assert rs.randn(0, 3) == []
    assert rs.randn(2, 0) == [[], []]
    assert rs.random_sample(0) == []
    block = rs.randn(2, 3, 4)
    assert [len(block), len(block[0]), len(block[0][0])] == [2, 3, 4]
    assert all(type(v) is float for plane in block for row in plane for v in row)
    grid = rs.random_sample((3, 2))
    assert [len(row) for row in grid] == [2, 2, 2]
    assert all(0.0 <= v < 1.0 for row in grid for v in row)


def test_shapes_fill_in_row_major_order():
    flat = RandomState(1).randn(6)
    assert RandomState(1).randn(2, 3) == [flat[0:3], flat[3:6]]
    flat = RandomState(1).random_sample(6)
    assert RandomState(1).random_sample((3, 2)) == [flat[0:2], flat[2:4], flat[4:6]]


@pytest.mark.parametrize("bad", [2.0, "3", None, True, [2]])
def test_randn_rejects_non_int_dimensions(bad):
    with pytest.raises(TypeError, match=r"randn: shape\[1\]"):
        RandomState(0).randn(2, bad)


def test_negative_dimensions_are_value_errors():
    with pytest.raises(ValueError, match=r"randn: shape\[0\] must be non-negative, got -1"):
        RandomState(0).randn(-1)
    with pytest.raises(ValueError, match=r"random_sample: shape\[1\]"):
        RandomState(0).random_sample((2, -3))
    with pytest.raises(ValueError, match="random_sample"):
        RandomState(0).random_sample(-1)


@pytest.mark.parametrize("bad", [1.5, "2", False, [2, 2]])
def test_random_sample_rejects_non_int_sizes(bad):
    with pytest.raises(TypeError, match="random_sample"):
        RandomState(0).random_sample(bad)


# ------------------------------------------------------------ seeds

@pytest.mark.parametrize("bad", [-1, 2 ** 32, 2 ** 64, -(2 ** 40)])
def test_out_of_range_seeds_are_value_errors(bad):
    with pytest.raises(ValueError, match=r"RandomState: seed must be between 0 and 2\*\*32 - 1"):
        RandomState(bad)
    with pytest.raises(ValueError, match=r"RandomState.seed: seed"):
        RandomState(0).seed(bad)
    with pytest.raises(ValueError, match=r"^seed: seed"):
        nnref.seed(bad)


@pytest.mark.parametrize("bad", [True, False, 0.0, 1.5, "0", None, [0], 1j])
def test_non_int_seeds_are_type_errors(bad):
    with pytest.raises(TypeError, match=r"RandomState: seed must be an int, not .* \(%s\)" % type(bad).__name__):
        RandomState(bad)
    with pytest.raises(TypeError, match="RandomState.seed"):
        RandomState(0).seed(bad)
    with pytest.raises(TypeError, match=r"^seed: seed"):
        nnref.seed(bad)


def test_failed_seed_leaves_the_generator_unchanged():
    rs = RandomState(42)
    with pytest.raises(ValueError):
        rs.seed(-1)
    assert rs.random_uint32() == STREAMS[2]["raw_words"][0]


def test_default_seed_is_zero():
    assert RandomState().random_uint32() == STREAMS[0]["raw_words"][0]


@pytest.mark.parametrize("pure", PATHS, ids=["fast", "pure"])
def test_seed_forgets_the_kept_normal(pure):
    stream = STREAMS[1]
    want = [float.fromhex(h) for h in stream["calls"][0]["values"]]  # randn(3) after seeding
    rs = RandomState(stream["seed"], _pure=pure)
    rs.randn(1)  # odd count: one normal is kept
    assert rs.get_state()[3] == 1
    rs.seed(stream["seed"])
    assert rs.get_state()[3:] == (0, 0.0)
    assert rs.randn(3) == want


# ------------------------------------------------------------ default generator

def test_nnref_seed_reseeds_the_default_generator():
    stream = STREAMS[2]
    nnref.seed(stream["seed"])
    default = rng_module._default()
    assert isinstance(default, RandomState)
    check_calls(default, stream["calls"])
    nnref.seed(stream["seed"])
    assert rng_module._default() is default
    assert default.random_uint32() == stream["raw_words"][0]


def test_nnref_seed_forgets_the_default_kept_normal():
    stream = STREAMS[0]
    want = [float.fromhex(h) for h in stream["calls"][0]["values"]]
    nnref.seed(0)
    rng_module._default().randn(1)
    nnref.seed(0)
    assert rng_module._default().randn(3) == want


def test_default_generator_starts_seeded_with_zero():
    # A fresh interpreter, so nothing else has drawn from the default yet.
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = "from nnref import rng; print(rng._default().random_uint32())"
    out = subprocess.check_output([sys.executable, "-c", code], cwd=root)
    assert int(out.decode().strip()) == STREAMS[0]["raw_words"][0]


# ------------------------------------------------------------ state and repr

def test_get_state_after_seeding_is_numpys_fresh_state():
    name, key, pos, has_gauss, cached = RandomState(0).get_state()
    assert (name, len(key), pos, has_gauss, cached) == ("MT19937", 624, 624, 0, 0.0)
    assert key[0] == 0
    # init_genrand's recurrence for the second word, by hand.
    assert key[1] == (1812433253 * (0 ^ (0 >> 30)) + 1) & 0xFFFFFFFF


def test_get_state_returns_new_lists():
    rs = RandomState(3)
    state = rs.get_state()
    state[1][0] ^= 1
    assert rs.get_state()[1][0] != state[1][0]


def test_set_state_accepts_numpys_recorded_state():
    stream = STREAMS[3]
    want = stream["state_after"]
    rs = RandomState(0)
    rs.set_state(("MT19937", want["key"], want["pos"], want["has_gauss"], float.fromhex(want["cached_gaussian"])))
    assert rs.get_state()[1] == want["key"]
    # The kept normal comes out first.
    assert rs.randn() == float.fromhex(want["cached_gaussian"])


@pytest.mark.parametrize("bad", [
    None, ("MT19937",), ("PCG64", [0] * 624, 624, 0, 0.0), ("MT19937", [0] * 623, 624, 0, 0.0),
    ("MT19937", [0] * 624, 625, 0, 0.0), ("MT19937", [0] * 624, -1, 0, 0.0),
    ("MT19937", [2 ** 32] + [0] * 623, 624, 0, 0.0),
])
def test_set_state_rejects_malformed_states(bad):
    with pytest.raises(ValueError, match="set_state"):
        RandomState(0).set_state(bad)


def test_repr_shows_seed_position_kept_normal_and_path():
    rs = RandomState(42)
    assert repr(rs) == "RandomState(seed=42, pos=624, kept_normal=none, path=fast)"
    assert repr(RandomState(7, _pure=True)) == "RandomState(seed=7, pos=624, kept_normal=none, path=pure)"
    value = rs.randn()
    kept = rs.get_state()[4]
    assert kept != value
    text = repr(rs)
    assert text.startswith("RandomState(seed=42, pos=")
    assert "pos=624" not in text
    assert "kept_normal=%r" % kept in text
    rs.set_state(rs.get_state())
    assert repr(rs).startswith("RandomState(state set, ")

