"""The shipped config loads, says what MEASURES.md says, and a new edition is config alone."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ipaward.config import load_policy
from ipaward.config.policy import edition_for_year
from ipaward.routing import resolve_route
from ipaward.settings import PROJECT_ROOT

CONFIG = PROJECT_ROOT / "config"
PAYING = {"M01", "M02", "M03", "M06", "M07", "M09", "M10", "M12", "M13", "M14", "M15", "M17"}


def test_the_2024_edition_has_the_18_measures_with_their_kinds_and_leads() -> None:
    policy = load_policy(CONFIG)
    edition = policy.edition("2024")
    assert sorted(edition.measures) == [f"M{n:02d}" for n in range(1, 19)]
    assert (edition.valid_from, edition.valid_until) == (dt.date(2024, 2, 2), dt.date(2029, 2, 1))
    assert {code for code, m in edition.measures.items() if m.pays} == PAYING
    assert {code for code, m in edition.measures.items() if m.kind == "programme"} == {
        "M04",
        "M05",
        "M08",
        "M11",
        "M16",
        "M18",
    }
    leads = {code: m.lead for code, m in edition.measures.items()}
    assert leads.pop("M03") == "city.education"
    assert leads.pop("M10") == "city.finreg"
    assert set(leads.values()) == {"city.amr"}


def test_every_jurisdiction_has_its_government_and_finance_office() -> None:
    directory = load_policy(CONFIG).directory
    assert len(directory.jurisdictions) == 16
    kinds = [j.kind for j in directory.jurisdictions.values()]
    assert (kinds.count("district"), kinds.count("county"), kinds.count("zone")) == (4, 7, 5)
    for jurisdiction in directory.jurisdictions.values():
        government = directory.department(jurisdiction.government)
        finance = directory.department(jurisdiction.finance)
        assert government.kind in {"county_government", "zone_committee"}
        assert finance.kind == "finance_office"
        assert government.jurisdiction == finance.jurisdiction == jurisdiction.code
    assert (
        directory.jurisdiction_named("招商局经济技术开发区")
        is directory.jurisdictions["zz_dev_zone"]
    )


def test_every_parameter_cites_a_clause_and_has_a_value_on_the_first_day() -> None:
    edition = load_policy(CONFIG).edition("2024")
    for measure in edition.measures.values():
        view = measure.params(edition.valid_from)
        for name, parameter in measure.parameters.items():
            assert parameter.clause.startswith("（")
            view.raw(name)


def test_the_route_resolves_the_applicants_own_jurisdiction() -> None:
    policy = load_policy(CONFIG)
    measure = policy.edition("2024").measure("M01")
    route = resolve_route(
        measure,
        directory=policy.directory,
        jurisdiction=policy.directory.jurisdictions["pinghe"],
        jurisdiction_amount=100,
    )
    stages = {stage["stage"]: stage for stage in route["stages"]}
    assert list(stages) == ["lead_review", "countersign", "publicity", "finance"]
    assert stages["lead_review"]["departments"] == ["city.amr"]
    assert "pinghe.gov" in stages["countersign"]["departments"]
    assert stages["publicity"]["working_days"] == 5
    assert stages["finance"]["departments"] == ["city.finance", "pinghe.finance"]


def test_m02_is_paid_by_city_finance_only_and_m10_has_no_publicity() -> None:
    policy = load_policy(CONFIG)
    edition = policy.edition("2024")
    m02 = resolve_route(edition.measure("M02"), directory=policy.directory, jurisdiction=None)
    assert m02["stages"][-1]["departments"] == ["city.finance"]
    m10 = resolve_route(edition.measure("M10"), directory=policy.directory, jurisdiction=None)
    assert [s["stage"] for s in m10["stages"]] == ["lead_review", "countersign", "finance"]


def test_a_year_is_judged_by_the_edition_in_force_on_its_last_covered_day() -> None:
    policy = load_policy(CONFIG)
    assert edition_for_year(policy, 2024)[1] == dt.date(2024, 12, 31)
    assert edition_for_year(policy, 2029)[1] == dt.date(2029, 2, 1)
    assert edition_for_year(policy, 2023)[0] is None
    assert edition_for_year(policy, 2030)[0] is None


@pytest.fixture
def config_copy(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(CONFIG, target)
    return target


def test_a_second_edition_is_added_by_config_alone(config_copy: Path) -> None:
    """A made-up 2029 edition with a higher M09 amount judges events from its first day."""
    text = (config_copy / "editions" / "2024.toml").read_text(encoding="utf-8")
    text = text.replace('code = "2024"', 'code = "2029-test"', 1)
    text = text.replace("valid_from = 2024-02-02", "valid_from = 2029-02-02", 1)
    text = text.replace("valid_until = 2029-02-01", "valid_until = 2034-02-01", 1)
    text = text.replace(
        "values = [{ from = 2024-02-02, value = 5000 }]",
        "values = [{ from = 2029-02-02, value = 8000 }]",
    )
    (config_copy / "editions" / "2029.toml").write_text(text, encoding="utf-8")
    policy = load_policy(config_copy)
    assert [e.code for e in policy.editions] == ["2024", "2029-test"]
    assert policy.edition_on(dt.date(2029, 2, 1)).code == "2024"  # type: ignore[union-attr]
    later = policy.edition_on(dt.date(2029, 2, 2))
    assert later is not None and later.code == "2029-test"
    assert later.measure("M09").params(dt.date(2030, 1, 1)).integer("award_per_product") == 8000
    earlier = policy.edition("2024").measure("M09").params(dt.date(2025, 1, 1))
    assert earlier.integer("award_per_product") == 5000
