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


def test_signed_zero_tolerance_tells_the_zeros_apart():
    # signedZero: an expected -0.0 is not matched by +0.0 (nor the reverse), though 0 ULP apart.
    test = {"tcId": 1, "result": "valid", "expected": [-0.0, 0.0, 1.0],
            "tolerance": {"rule": "exact", "ulp": 0, "signedZero": True}}
    assert check_case(test, ("value", [-0.0, 0.0, 1.0]))[0]
    passed, _, reason, _ = check_case(test, ("value", [0.0, -0.0, 1.0]))
    assert not passed and reason.startswith("2 of 3 elements outside the tolerance")
    test["tolerance"]["signedZero"] = False
    assert check_case(test, ("value", [0.0, -0.0, 1.0]))[0]


def test_an_unreadable_outcome_fails_with_its_reason():
    test = {"tcId": 1, "result": "valid", "expected": [1.0], "tolerance": {"rule": "exact", "ulp": 0}}
    assert check_case(test, ("unreadable", "line 3: a tcId and nothing else")) == \
        (False, None, "line 3: a tcId and nothing else", False)
    assert check_case(test, ("fail", "judged")) == (False, None, "judged", False)
    assert check_case(test, ("unsupported", "no bf16")) == (False, None, "unsupported: no bf16", False)
