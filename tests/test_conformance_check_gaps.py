"""nnref.conformance._check: cases the other conformance tests do not reach.

Hand-written decoded tests (dicts as ``decode_test`` returns them), with the
verdict each must get from the documented rules.
"""

from nnref.conformance._check import check_case


def test_an_accumulator_bound_without_overflow_does_not_pass_an_infinity():
    # With per-accumulator bounds, "overflow" is true only where that
    # accumulator's bound says so: here it does not, so +inf for a finite
    # expected value is outside the tolerance.
    test = {"tcId": 1, "result": "valid", "expected": [1.0],
            "tolerance": {"rule": "dot", "ulp": 0, "signedZero": False,
                          "accumulators": {"float32": {"abs": 0.5}, "float64": {"abs": 0.25, "overflow": True}}}}
    passed, _, reason, _ = check_case(test, ("value", [float("inf")]), dtype="float16", accumulate="float32")
    assert not passed and "1 of 1 elements outside the tolerance" in reason
    # The float64 accumulator's bound allows the overflow.
    assert check_case(test, ("value", [float("inf")]), dtype="float16", accumulate="float64")[0]
    # And the absolute bound itself applies: 1.5 is within 0.5 of 1.0, 1.75 is not.
    assert check_case(test, ("value", [1.5]), dtype="float16", accumulate="float32")[0]
    assert not check_case(test, ("value", [1.75]), dtype="float16", accumulate="float32")[0]
