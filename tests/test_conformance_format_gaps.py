"""nnref.conformance._format: malformed documents and float objects the other tests do not reach.

Equivalent mutant left alive: ``digit_count``'s block loop ``while n >= 10 ** 100``
with another threshold (``11 ** 100``): the blocks are only a shortcut, the
digit-by-digit loop after them counts whatever is left, so the count is the same.
"""

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


def test_digit_count_at_the_block_edges():
    from nnref.conformance._format import digit_count
    for n, digits in ((0, 1), (9, 1), (10, 2), (10 ** 100 - 1, 100), (10 ** 100, 101),
                      (-10 ** 150 + 1, 150), (10 ** 200, 201), (10 ** 5000 - 1, 5000)):
        assert digit_count(n) == digits, n
