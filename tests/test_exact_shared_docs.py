"""nnref.exact._share_special_cases: the float tier's special-case bullets copied into the oracle's docstring."""

from nnref import activations, exact


def _pair(ours_doc, theirs_doc):
    def ours():
        pass

    def theirs():
        pass
    ours.__doc__, theirs.__doc__ = ours_doc, theirs_doc
    exact._share_special_cases(ours, theirs)
    return ours.__doc__


THEIRS = "Float tier.\n\nSpecial cases:\n\n- NaN stays NaN.\n- inf is inf.\n\nAccuracy: 1 ULP."


def test_the_bullets_go_under_the_heading_before_the_oracles_own():
    ours = "Oracle.\n\nSpecial cases:\n\n- exact only.\n\nMore."
    assert _pair(ours, THEIRS) == "Oracle.\n\nSpecial cases:\n\n- NaN stays NaN.\n- inf is inf.\n- exact only.\n\nMore."


def test_without_cases_of_its_own_the_list_is_ended():
    ours = "Oracle.\n\nSpecial cases:\n\nText after."
    assert _pair(ours, THEIRS) == "Oracle.\n\nSpecial cases:\n\n- NaN stays NaN.\n- inf is inf.\n\nText after."


def test_nothing_happens_without_a_heading_on_either_side():
    assert _pair("Oracle.\n\nNo list.", THEIRS) == "Oracle.\n\nNo list."
    ours = "Oracle.\n\nSpecial cases:\n\n- exact only.\n"
    assert _pair(ours, "Float tier, no list.") == ours
    assert _pair(None, THEIRS) is None


def test_the_oracles_docstrings_hold_the_float_tiers_cases():
    for name in ("step", "linear", "relu", "sigmoid", "softmax"):
        theirs = getattr(activations, name).__doc__.splitlines()
        start = [i for i, line in enumerate(theirs) if line.strip().startswith("Special cases")][0]
        bullets = []
        for line in theirs[start + 2:]:
            if not line.strip():
                break
            bullets.append(line)
        assert bullets and "\n".join(bullets) in getattr(exact, name).__doc__, name
