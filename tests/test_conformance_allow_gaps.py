"""nnref.conformance._allow.parse_allowlist: entries by tcId and by flag, and the checks on each field."""

import pytest

from nnref.conformance import VectorFormatError
from nnref.conformance._allow import parse_allowlist


def test_entries_by_tc_id_and_by_flag():
    entries = parse_allowlist({"entries": [
        {"op": "relu", "tcId": 3, "reason": "r"},
        {"op": "*", "flag": "signed-zero", "reason": "s", "dtype": "float32"},
    ]})
    assert entries == [{"op": "relu", "tcId": 3, "reason": "r", "dtype": "float64"},
                       {"op": "*", "flag": "signed-zero", "reason": "s", "dtype": "float32"}]


@pytest.mark.parametrize("entry,message", [
    ({"op": "relu", "flag": 7, "reason": "r"}, r"entries\[0\] has flag 7, not a string"),
    ({"op": "relu", "flag": "", "reason": "r"}, r"entries\[0\] has flag the string '', not a string"),
    ({"op": "relu", "tcId": True, "reason": "r"}, r"entries\[0\] has tcId true, not an integer"),
    ({"op": "relu", "tcId": "3", "reason": "r"}, r"entries\[0\] has tcId the string '3', not an integer"),
    ({"op": "relu", "tcId": 3, "flag": "x", "reason": "r"}, r"entries\[0\] needs op, reason and one of flag or tcId"),
    ({"op": "tanh", "tcId": 3, "reason": "r"}, r"entries\[0\] has op 'tanh'; expected \* or one of"),
    ({"op": "relu", "tcId": 3, "reason": "r", "dtype": "int8"}, r"entries\[0\] has dtype 'int8'; expected one of"),
])
def test_bad_entries(entry, message):
    with pytest.raises(VectorFormatError, match=message):
        parse_allowlist([entry])


def test_a_library_is_required_for_crosscheck_lists():
    with pytest.raises(VectorFormatError, match=r"entries\[0\] needs library, op, reason and one of flag or tcId"):
        parse_allowlist([{"op": "relu", "tcId": 3, "reason": "r"}], library=True)
    assert parse_allowlist([{"library": "numpy", "op": "relu", "tcId": 3, "reason": "r"}], library=True)
