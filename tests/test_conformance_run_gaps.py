"""nnref.conformance._run helpers: error texts, unsupported inputs and the accumulator names."""

import pytest

from nnref.conformance import _run


def _raise(error):
    def function(x):
        raise error
    return function


def test_error_text_is_clipped_to_200_characters():
    assert _run._error_text(ValueError("x" * 200)) == "ValueError: " + "x" * 200
    assert _run._error_text(ValueError("x" * 201)) == "ValueError: " + "x" * 197 + "..."
    assert _run._error_text(ValueError("")) == "ValueError"


def test_unsupported_inputs_keep_their_reason():
    assert _run._call_case(_raise(_run.Unsupported("no bfloat16")), "relu", ["x"], {"x": 1.0}) == \
        ("unsupported", "no bfloat16")
    assert _run._call_case(_raise(_run.Unsupported()), "relu", ["x"], {"x": 1.0}) == \
        ("unsupported", "no reason given")
    assert _run._call_case(_raise(KeyError("k")), "relu", ["x"], {"x": 1.0}) == ("error", "KeyError: 'k'")


@pytest.mark.parametrize("dtype,bad,names", [
    ("float64", "float32", "'float64'"),
    ("float32", "float16", "'float32' or 'float64'"),
    ("bfloat16", "x", "'bfloat16', 'float32' or 'float64'"),
])
def test_accumulate_names_the_choices(dtype, bad, names):
    with pytest.raises(ValueError, match="conformance.run: accumulate must be %s for %s vectors, got %r"
                       % (names, dtype, bad)):
        _run.check_accumulate(dtype, bad)
