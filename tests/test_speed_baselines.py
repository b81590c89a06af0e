"""The speed benchmark's baselines compute what nnref computes.

``benchmarks/speed.py`` reports nnref's time over the plain idioms' time; a
ratio means something only if both sides do the same work.  These tests run
each backward-pass pair of the benchmark once (no timing) and compare the
gradients: the plain idioms round differently, so they agree to a few ULP,
and a baseline that skipped a step (a missing transpose, a lost 1/n) would be
off by far more.
"""

import importlib.util
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SPEED = os.path.join(HERE, os.pardir, "benchmarks", "speed.py")


def _speed():
    spec = importlib.util.spec_from_file_location("nnref_speed_benchmark", SPEED)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flat(value):
    if isinstance(value, (list, tuple)):
        return [v for item in value for v in _flat(item)]
    return [value]


@pytest.mark.parametrize("index", [0, 1])
def test_the_backward_baselines_give_nnrefs_gradients(index):
    name, ours, plain = list(_speed().chapter_backward_passes())[index]
    got, want = _flat(ours()), _flat(plain())
    # dense1's dinputs (300 x 2), dweights (2 x 3) and dbiases (1 x 3).
    assert len(got) == len(want) == 300 * 2 + 2 * 3 + 3
    largest = max(abs(w) for w in want)
    for g, w in zip(got, want):
        assert abs(g - w) <= 1e-12 * largest, (name, g, w)


def test_a_baseline_that_forgets_the_mean_is_caught():
    speed = _speed()
    right = speed.plain_softmax_crossentropy_backward([[0.25, 0.75], [0.5, 0.5]], [1, 0])
    assert right == [[0.125, -0.125], [-0.25, 0.25]]      # (s - onehot) / 2, by hand
    assert speed.plain_dense_backward([[1.0, 2.0]], [[3.0]], [[4.0, 5.0]]) == (
        [[14.0]], [[3.0, 6.0]], [[1.0, 2.0]])              # d @ W^T, X^T @ d, column sums
