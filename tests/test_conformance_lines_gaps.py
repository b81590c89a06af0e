"""nnref.conformance._lines.parse_results: the results grammar line by line
(``TCID value RANK D... V...``, ``TCID error REASON``, ``TCID unsupported
REASON``; a data set's value is two arrays, X then y), with a line that breaks
each rule, and the line numbers each reason names.

Equivalent mutant left alive: in ``read_vectors``, ``op not in ARGUMENTS or
dtype not in DTYPES`` with ``and``: a header that gets past it names a file
that does not exist, and the check for that raises the same error.
"""

import pytest

from nnref.conformance import VectorFormatError
from nnref.conformance._lines import parse_results

TEXT = "\n".join([
    "# a comment line",                                  # 1
    "1 value 2 2 1 3f800000 40000000",                   # 2: X only, no y
    "",                                                  # 3
    "2 error ValueError: bad",                           # 4
    "3 unsupported no bf16",                             # 5
    "4 value 1 2 3f800000 40000000 2 1 2 0 1",           # 6: X (2,) and y (1, 2)
    "5",                                                 # 7
    "6 value 2 1 1 3f800000 extra",                      # 8
    "7 value 33 1",                                      # 9
    "8 bogus",                                           # 10
    "9 value 1 3 3f800000",                              # 11
    "10 value 1 0 1 0 7",                                # 12: X (0,), y (0,) and a token left
    "11 value 1 x",                                      # 13
    "12 value 3 1 1",                                    # 14
]) + "\n"


def _outputs(text, op):
    return dict((t["tcId"], t["output"]) for t in parse_results(text, "r.lines", op)["testGroups"][0]["tests"])


def test_a_data_set_line_by_line():
    out = _outputs(TEXT, "spiral_data")
    reasons = dict((k, v.reason) for k, v in out.items() if hasattr(v, "reason"))
    assert out[2] == {"error": "ValueError: bad"}
    assert out[3] == {"unsupported": "no bf16"}
    assert out[4] == {"X": {"shape": [2], "values": [{"bits": "3f800000"}, {"bits": "40000000"}]},
                      "y": {"shape": [1, 2], "values": [{"bits": "0"}, {"bits": "1"}]}}
    assert reasons == {
        1: "line 2: value, and X, but no y after it",
        5: "line 7: a tcId and nothing else",
        6: "line 8: 'extra' is not a rank (0 to 32)",
        7: "line 9: '33' is not a rank (0 to 32)",
        8: "line 10: 'bogus' is not value, error or unsupported",
        9: "line 11: shape (3,) needs more values than the line has (1)",
        10: "line 12: 1 token(s) left after the output",
        11: "line 13: 'x' is not a dimension",
        12: "line 14: rank 3, and only 2 dimension(s)",
    }


def test_one_array_for_other_operations():
    out = _outputs("1 value 1 2 3f800000 40000000\r\n2 value\n3 value 0 3f800000\n", "relu")
    assert out[1] == {"shape": [2], "values": [{"bits": "3f800000"}, {"bits": "40000000"}]}
    assert out[2].reason == "line 2: value, and no RANK D... V... after it"
    assert out[3] == {"shape": [], "values": [{"bits": "3f800000"}]}
    assert _outputs("1 value 1 2 3f800000 40000000\n", None)[1]["shape"] == [2]


def test_bad_tc_ids():
    with pytest.raises(VectorFormatError, match=r"r\.lines: tcId 1, 2 given more than once \(lines 1, 2; 3, 4\)"):
        parse_results("1 value 0 3f800000\n1 error x\n2 error y\n2 error z\n", "r.lines")
    with pytest.raises(VectorFormatError, match=r"r\.lines line 2: 'x1' is not a tcId"):
        parse_results("1 error e\nx1 value 0 0\n", "r.lines")


@pytest.mark.parametrize("op,dtype", [("relu", "float8"), ("tanh", "float64"), ("spiral_data", "float16")])
def test_a_header_naming_files_that_do_not_exist(tmp_path, op, dtype):
    from nnref import __version__
    from nnref.conformance._lines import read_vectors
    path = tmp_path / "x.lines"
    path.write_text("# nnrefVersion: %s\n# operation: %s\n# dtype: %s\n" % (__version__, op, dtype))
    with pytest.raises(VectorFormatError, match=r"x\.lines: the header names %s in %s, which have no vectors" % (op, dtype)):
        read_vectors(str(path))
