"""Every rule case in cases/*.yaml, run through validation and the measure's rule."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ipaward.assessment import assess
from ipaward.config import Policy, load_policy
from ipaward.exchange.problems import InvalidApplications
from ipaward.exchange.validate import validate_items
from ipaward.rules.facts import PriorAwards
from ipaward.settings import PROJECT_ROOT
from tests.support.cases import RuleCase, load_cases

CASES = load_cases(Path(__file__).parent / "cases")
MEASURES_WITH_RULES = {
    "M01",
    "M02",
    "M03",
    "M06",
    "M07",
    "M09",
    "M10",
    "M12",
    "M13",
    "M14",
    "M15",
    "M17",
}


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(PROJECT_ROOT / "config")


def test_every_paying_measure_has_a_case_file() -> None:
    covered = {case.application["measure"] for case in CASES}
    assert covered >= MEASURES_WITH_RULES


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}: {c.name}" for c in CASES])
def test_rule_case(case: RuleCase, policy: Policy) -> None:
    expect = case.expect
    try:
        [application] = validate_items([case.application], policy, as_of=case.as_of, array=False)
    except InvalidApplications as error:
        assert "invalid" in expect, f"unexpected validation failure: {error}"
        got = {(p.path, p.code) for p in error.problems}
        wanted = {(item["path"], item["code"]) for item in expect["invalid"]}
        assert wanted <= got, f"expected problems {wanted}, got {got}"
        return
    assert "invalid" not in expect, "the application was expected to fail validation"
    prior = PriorAwards(**case.prior)
    result = assess(application, policy=policy, prior=prior)
    assert result.eligible is expect["eligible"], result.explanation
    assert result.amount == expect["amount"], result.explanation
    if "findings" in expect:
        assert Counter(f.code for f in result.findings) == Counter(expect["findings"]), (
            result.findings
        )
    for fragment in expect.get("explanation", []):
        assert any(fragment in line for line in result.explanation), (fragment, result.explanation)
    for key in ("city_amount", "jurisdiction_amount"):
        if key in expect:
            assert getattr(result, key) == expect[key]
    if "ledger_items" in expect:
        assert [line.item_key for line in result.ledger_lines] == expect["ledger_items"]
