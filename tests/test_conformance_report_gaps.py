"""nnref.conformance._report: the table's last column with failed, unsupported and allowed
cases together, column widths, and ``ok`` with rows lacking results."""

from nnref.conformance._report import OpResult, Report


def _result():
    result = OpResult("relu")
    result.record({"tcId": 1}, True, 0, "", False)
    result.record({"tcId": 2, "comment": "c2"}, False, None, "bad", False)
    result.record({"tcId": 3, "comment": "c3"}, False, None, "no input", False, unsupported=True)
    result.record({"tcId": 4, "comment": "c4", "flags": ["signed-zero"]}, False, None, "sign", False)
    result.record({"tcId": 12345, "comment": "c5"}, False, None, "bad", False)
    return result


def test_the_last_column_lists_failed_then_unsupported_then_allowed():
    result = _result()
    result.failures[2].allowed = "known"            # tcId 4
    text = str(Report([result]))
    lines = text.splitlines()
    assert lines[0] == "op    cases  passed  allowed  failed  unsupported  worst ULP  failed tcIds"
    assert lines[1] == "relu      5       1        1       2            1          0  " \
        "2 12345; unsupported: 3; allowed: 4"
    assert lines[-1] == "FAILED: 3 case(s) outside the allow-list"


def test_only_allowed_failures_give_ok():
    result = OpResult("step", "float16")
    result.record({"tcId": 7}, False, None, "x", False)
    result.failures[0].allowed = "why"
    report = Report([result])
    assert report.ok and str(report).splitlines()[1].endswith("allowed: 7")
    assert str(report).splitlines()[-1] == "OK"
    assert str(report).splitlines()[0].startswith("op            cases")   # 'step.float16' is 12 wide


def test_a_row_without_results_fails_the_report():
    result = OpResult("relu")
    result.missing = "no results file"
    report = Report([result])
    assert not report.ok and not report.unexpected
    assert str(report).splitlines()[-1] == "FAILED: 1 vectors file(s) without results"
    other = OpResult("linear")
    other.record({"tcId": 1}, True, 0, "", False)
    assert Report([other]).ok
