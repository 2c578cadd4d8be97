"""Every YAML case under ``kechuang/engines/rules/cases``, one test each."""

import pytest

from kechuang.engines.rules.cases import load_cases, run_case

CASES = load_cases()


def test_cases_are_found():
    policies = {header["policy"] for _id, header, _case in CASES}
    assert {"hnte", "tech_sme", "rd_post_subsidy", "zone_recognition"} <= policies


@pytest.mark.parametrize(("header", "case"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_case(header, case):
    problems = run_case(header, case)
    assert not problems, "\n".join(problems)
