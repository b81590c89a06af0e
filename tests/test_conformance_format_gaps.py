"""nnref.conformance._format: malformed documents and float objects the other tests do not reach."""

import json

import pytest

from nnref.conformance import VectorFormatError
from nnref.conformance import _format


def test_a_document_without_test_groups_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"algorithm": "relu", "tests": []}))
    with pytest.raises(VectorFormatError, match=r"x\.json: not a conformance vector or results file \(no testGroups\)"):
        _format.load(str(path))
    path.write_text(json.dumps([1, 2]))
    with pytest.raises(VectorFormatError, match="not an object with testGroups"):
        _format.load(str(path))


def test_bits_of_a_known_width_are_read_without_a_dtype():
    # Without a dtype, 8 hex digits are a float32 pattern and 16 a float64 one:
    # they are read and must agree with hex/dec.
    assert _format.decode_float({"bits": "3fc00000", "dec": "1.5"}) == 1.5
    assert _format.decode_float({"bits": "3ff8000000000000", "hex": "0x1.8p+0"}) == 1.5
    with pytest.raises(VectorFormatError, match="name different floats"):
        _format.decode_float({"bits": "3f800000", "dec": "1.5"})
    with pytest.raises(VectorFormatError, match="name different floats"):
        _format.decode_float({"bits": "3ff0000000000000", "dec": "1.5"})
    # 4 digits (float16 or bfloat16?) are left aside: the other keys say.
    assert _format.decode_float({"bits": "3c00", "dec": "1.5"}) == 1.5
