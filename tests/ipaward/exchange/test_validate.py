"""Validation reports every problem with its JSON path; nothing passes half-checked."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from ipaward.config import Policy, load_policy
from ipaward.exchange.problems import InvalidApplications
from ipaward.exchange.validate import validate_file, validate_items
from ipaward.settings import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "ipaward" / "examples"
AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(PROJECT_ROOT / "config")


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def problems(policy: Policy, item: Any, *, array: bool = False) -> dict[str, str]:
    items = item if array else [item]
    with pytest.raises(InvalidApplications) as caught:
        validate_items(items, policy, as_of=AS_OF, array=array)
    return {p.path: p.code for p in caught.value.problems}


def test_every_bundled_example_is_valid(policy: Policy) -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        assert len(validate_file(path, policy, as_of=AS_OF)) == 1, path


def m07() -> dict[str, Any]:
    return copy.deepcopy(example("m07_university_transfers"))


@pytest.mark.parametrize(
    ("mutate", "path", "code"),
    [
        (lambda a: a.pop("applicant"), "$.applicant", "missing"),
        (lambda a: a.update(colour="red"), "$.colour", "extra_forbidden"),
        (lambda a: a.update(measure="M7"), "$.measure", "string_pattern_mismatch"),
        (lambda a: a.update(measure="M19"), "$.measure", "measure"),  # no edition has it
        (lambda a: a.update(year="2024"), "$.year", "int_type"),
        (lambda a: a.update(year=True), "$.year", "int_type"),
        (lambda a: a["applicant"].update(kind="company"), "$.applicant.kind", "literal_error"),
        (
            lambda a: a["applicant"].update(uscc="12350000488000111X"),
            "$.applicant.uscc",
            "value_error",
        ),
        (
            lambda a: a["applicant"].update(jurisdiction="厦门市"),
            "$.applicant.jurisdiction",
            "jurisdiction",
        ),
        (lambda a: a["applicant"].update(name=""), "$.applicant.name", "string_too_short"),
        (
            lambda a: a["evidence"]["transfers"][2].update(recorded_on="2024-02-30"),
            "$.evidence.transfers[2].recorded_on",
            "value_error",
        ),
        (
            lambda a: a["evidence"]["transfers"][1].update(patent_number="202110000101.0"),
            "$.evidence.transfers[1].patent_number",
            "value_error",
        ),
        (
            lambda a: a["evidence"]["transfers"][0]["transferee"].update(uscc="123"),
            "$.evidence.transfers[0].transferee.uscc",
            "value_error",
        ),
        (lambda a: a["evidence"].update(transfers=[]), "$.evidence.transfers", "too_short"),
        (lambda a: a["evidence"].update(products=[]), "$.evidence.products", "extra_forbidden"),
        (
            lambda a: a.update(other_awards=[{"item": "unknown", "source": "福建省", "amount": 1}]),
            "$.other_awards[0].item",
            "other_award_item",
        ),
        (
            lambda a: a.update(
                other_awards=[{"item": a["applicant"]["uscc"], "source": "省", "amount": -1}]
            ),
            "$.other_awards[0].amount",
            "greater_than_equal",
        ),
        (
            lambda a: a.update(
                other_awards=[{"item": a["applicant"]["uscc"], "source": "省", "amount": 1.5}]
            ),
            "$.other_awards[0].amount",
            "int_type",
        ),
        (lambda a: a["documents"][0].update(kind="photo"), "$.documents[0].kind", "document_kind"),
        (
            lambda a: a["documents"][0].update(name="../secret.pdf"),
            "$.documents[0].name",
            "value_error",
        ),
        (
            lambda a: a["documents"][0].update(name="/etc/passwd"),
            "$.documents[0].name",
            "value_error",
        ),
        (lambda a: a["documents"][0].update(sha256="abc"), "$.documents[0].sha256", "value_error"),
    ],
)
def test_each_bad_field_is_reported_at_its_path(
    policy: Policy, mutate: Any, path: str, code: str
) -> None:
    application = m07()
    mutate(application)
    assert problems(policy, application).get(path) == code


def test_all_problems_are_reported_at_once(policy: Policy) -> None:
    application = m07()
    application["applicant"]["uscc"] = "bad"
    application["evidence"]["transfers"][0]["recorded_on"] = "yesterday"
    application["documents"][1]["sha256"] = "0"
    found = problems(policy, application)
    assert {
        "$.applicant.uscc",
        "$.evidence.transfers[0].recorded_on",
        "$.documents[1].sha256",
    } <= set(found)


def test_in_an_array_one_bad_application_fails_the_file_and_paths_carry_the_index(
    policy: Policy,
) -> None:
    good, bad = example("m03_university_certification"), example("m09_recognised_products")
    bad["evidence"]["products"][0]["recognised_on"] = "2024-13-01"
    found = problems(policy, [good, bad], array=True)
    assert found == {"$[1].evidence.products[0].recognised_on": "value_error"}


def test_a_programme_measure_takes_no_applications(policy: Policy) -> None:
    application = example("m03_university_certification")
    application["measure"] = "M04"
    assert problems(policy, application) == {"$.measure": "programme_measure"}


def test_m12_domestic_cases_need_a_cn_patent_number_but_overseas_ones_do_not(
    policy: Policy,
) -> None:
    domestic = example("m12_domestic_case")
    domestic["evidence"]["case"]["patent_number"] = "US1234567"
    assert problems(policy, domestic) == {"$.evidence.case.patent_number": "patent_number"}
    overseas = copy.deepcopy(domestic)
    overseas["evidence"]["case"]["scope"] = "overseas"
    assert len(validate_items([overseas], policy, as_of=AS_OF, array=False)) == 1


def test_a_file_that_is_not_json_is_reported_at_the_root(policy: Policy, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidApplications) as caught:
        validate_file(path, policy, as_of=AS_OF)
    assert [(p.path, p.code) for p in caught.value.problems] == [("$", "json")]


def test_an_empty_array_is_refused(policy: Policy) -> None:
    assert problems(policy, [], array=True) == {"$": "empty"}


def test_a_non_object_entry_is_refused(policy: Policy) -> None:
    assert problems(policy, [42], array=True) == {"$[0]": "dict_type"}


def test_a_transfer_listed_twice_is_valid_and_counts_once_with_a_finding(policy: Policy) -> None:
    from ipaward.assessment import assess
    from ipaward.rules.facts import NO_PRIOR_AWARDS

    data = m07()
    once = assess(
        validate_items([data], policy, as_of=AS_OF, array=False)[0],
        policy=policy,
        prior=NO_PRIOR_AWARDS,
    )
    first = dict(data["evidence"]["transfers"][0])
    data["evidence"]["transfers"].append({**first, "patent_number": "ZL " + first["patent_number"]})
    [valid] = validate_items([data], policy, as_of=AS_OF, array=False)
    twice = assess(valid, policy=policy, prior=NO_PRIOR_AWARDS)
    assert twice.amount == once.amount
    assert [f.path for f in twice.findings if f.code == "duplicate_item"] == [
        "$.evidence.transfers[8].patent_number"
    ]


@pytest.mark.parametrize("place", ["薌城區", "漳州市芗城区", "福建省漳州市芗城区", " 芗城区 "])
def test_an_applicant_in_zhangzhou_is_recognised_in_any_script_and_form(
    policy: Policy, place: str
) -> None:
    data = m07()
    data["applicant"]["jurisdiction"] = place
    [valid] = validate_items([data], policy, as_of=AS_OF, array=False)
    assert valid.jurisdiction.code == "xiangcheng"


def test_a_declaration_naming_a_patent_with_zl_or_the_applicant_is_accepted(
    policy: Policy,
) -> None:
    data = m07()
    number = data["evidence"]["transfers"][0]["patent_number"]
    data["other_awards"] = [
        {"item": f"ZL{number}", "source": "福建省", "amount": 1000},
        {"item": data["applicant"]["uscc"].lower(), "source": "国家", "amount": 1000},
    ]
    assert validate_items([data], policy, as_of=AS_OF, array=False)


@pytest.mark.parametrize("budget", [10**12 + 1, 10**30])
def test_an_amount_beyond_any_filing_is_named_not_a_crash(policy: Policy, budget: int) -> None:
    """Before the bound, 10**30 yuan overflowed the decimal split and `assess` crashed."""
    data = example("m02_navigation_project")
    data["evidence"]["project"]["budget"] = budget
    assert problems(policy, data) == {"$.evidence.project.budget": "less_than_equal"}


def test_the_largest_amount_is_still_assessed(policy: Policy) -> None:
    data = example("m02_navigation_project")
    data["evidence"]["project"]["budget"] = 10**12
    assert len(validate_items([data], policy, as_of=AS_OF, array=False)) == 1
