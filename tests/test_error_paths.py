"""Error paths the other tests reach only through the CLI or not at all: each
raise below is the documented one (TypeError for a wrong kind, ValueError for
a wrong value, VectorFormatError for a bad file), with its message."""

import io
import os

import pytest

from nnref import book, conformance, testing
from nnref.cli import _usage
from nnref.conformance import VectorFormatError, _adapters, _data, _format, _lines


def test_adapter_sizes_must_not_be_negative():
    _adapters._check_sizes(0, 3)
    with pytest.raises(ValueError, match="negative size -1"):
        _adapters._check_sizes(2, -1)


def test_an_unknown_operation_name():
    with pytest.raises(ValueError, match=r"conformance.vectors: op must be one of .*relu.*, got 'tanh'"):
        conformance.vectors("tanh")
    with pytest.raises(ValueError, match=r"conformance.cases: op must be one of .*, got 'Relu'"):
        conformance.cases("Relu")


def test_write_output_lets_other_errors_through_and_removes_the_file(tmp_path):
    path = str(tmp_path / "half.csv")

    def chunks():
        yield "a,b\n"
        raise RuntimeError("boom")
    with pytest.raises(RuntimeError, match="boom"):
        _usage.write_output("data", path, chunks())
    assert not os.path.exists(path)


def test_ulp_distance_refuses_a_string():
    with pytest.raises(TypeError, match=r"ulp_distance: a is 'x' \(str\), not an int or float"):
        testing.ulp_distance("x", 1.0)
    with pytest.raises(TypeError, match=r"ulp_distance: b is None \(NoneType\), not an int or float"):
        testing.ulp_distance(1.0, None)


def test_book_format_array_refuses_what_is_not_a_number_or_an_array():
    # Since issue 17 a number is a float32 scalar, printed as NumPy prints
    # str(np.float32(3.0)); a string or None is still a TypeError.
    assert book.format_array(3.0) == "3.0"
    with pytest.raises(TypeError, match=r"format_array: x is 'x' \(str\); expected a number"):
        book.format_array("x")
    with pytest.raises(TypeError, match=r"format_array: x is None \(NoneType\)"):
        book.format_array(None)


def test_a_lines_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "relu.lines"
    path.write_bytes(b"# nnrefVersion: \xff\xfe\n")
    with pytest.raises(VectorFormatError, match=r"relu\.lines: not UTF-8 text"):
        _lines.read_vectors(str(path))


def test_a_lines_file_with_a_case_missing(tmp_path):
    document = _format.load(os.path.join(_data.VECTORS_DIR, "relu.json"))
    text = _lines.to_lines(document)
    kept = text.rstrip("\n").split("\n")[:-1]              # the last case line left out
    path = tmp_path / "relu.lines"
    path.write_text("\n".join(kept) + "\n")
    cases = len(_lines.case_lines(document))
    with pytest.raises(VectorFormatError, match=r"relu\.lines: %d cases; the nnref .* vectors of relu in float64 have %d"
                       % (cases - 1, cases)):
        _lines.read_vectors(str(path))
    path.write_text(text)
    assert _lines.read_vectors(str(path)) is not None


def test_float_objects_that_are_not_floats():
    with pytest.raises(VectorFormatError, match="output\\[1\\] is true, not a float"):
        _format.decode_float(True, "output[1]")
    with pytest.raises(VectorFormatError, match="output\\[0\\] is false, not a float"):
        _format.decode_float(False, "output[0]")
    with pytest.raises(VectorFormatError, match="expected is an integer too long"):
        _format.decode_float(_format.Unreadable("an integer too long", True), "expected")
