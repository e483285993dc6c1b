"""Config mistakes fail loading with the file, the key and the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ipaward.config import ConfigError, load_policy
from ipaward.settings import PROJECT_ROOT


@pytest.fixture
def config(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load_error(config: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_policy(config)
    return caught.value


def test_an_unknown_department_code_names_the_measure_key(config: Path) -> None:
    edition = config / "editions" / "2024.toml"
    edit(
        edition,
        '{ dept = "city.commerce", part = "countersign" }',
        '{ dept = "city.nowhere", part = "countersign" }',
    )
    error = load_error(config)
    assert error.file.endswith("2024.toml")
    assert error.key == "measures.M01.responsible[3].dept"
    assert "unknown department code 'city.nowhere'" in error.reason


def test_an_unknown_lead_unit_is_refused(config: Path) -> None:
    edit(config / "editions" / "2024.toml", 'lead = "city.finreg"', 'lead = "city.bank"')
    assert load_error(config).key == "measures.M10.lead"


def test_overlapping_parameter_dates_are_refused(config: Path) -> None:
    edit(
        config / "editions" / "2024.toml",
        'yearly_cap = { clause = "（七）", text = "每个单位每年最高不超过30万元", values = [{ from = 2024-02-02, value = 300000 }] }',
        'yearly_cap = { clause = "（七）", text = "每个单位每年最高不超过30万元", values = ['
        "{ from = 2024-02-02, until = 2026-12-31, value = 300000 }, { from = 2026-01-01, value = 400000 }] }",
    )
    error = load_error(config)
    assert error.key == "measures.M07.parameters.yearly_cap.values"
    assert "overlap" in error.reason


def test_a_parameter_without_a_clause_is_refused(config: Path) -> None:
    edit(
        config / "editions" / "2024.toml",
        'award_per_product = { clause = "（九）", ',
        "award_per_product = { ",
    )
    error = load_error(config)
    assert error.key == "measures.M09.parameters.award_per_product"
    assert error.reason == "the parameter cites no clause"


def test_two_editions_in_force_on_the_same_day_are_refused(config: Path) -> None:
    text = (config / "editions" / "2024.toml").read_text(encoding="utf-8")
    (config / "editions" / "2028.toml").write_text(
        text.replace('code = "2024"', 'code = "2028"', 1)
        .replace("valid_from = 2024-02-02", "valid_from = 2028-06-01", 1)
        .replace("valid_until = 2029-02-01", "valid_until = 2033-05-31", 1),
        encoding="utf-8",
    )
    error = load_error(config)
    assert error.key == "edition.valid_from"
    assert "overlaps edition 2024" in error.reason


def test_a_jurisdiction_pointing_at_a_missing_finance_office_is_refused(config: Path) -> None:
    edit(config / "departments.toml", 'finance = "pinghe.finance"', 'finance = "pinghe.treasury"')
    error = load_error(config)
    assert error.file.endswith("departments.toml")
    assert error.key.endswith(".finance")
    assert "pinghe.treasury" in error.reason


def test_a_misspelt_key_is_refused_not_ignored(config: Path) -> None:
    edit(config / "editions" / "2024.toml", 'summary = "公共服务机构', 'sumary = "公共服务机构')
    error = load_error(config)
    assert error.key == "measures.M13.sumary"
    assert error.reason == "unknown key"


def test_a_toml_syntax_error_names_the_file(config: Path) -> None:
    (config / "editions" / "2024.toml").write_text("[edition\n", encoding="utf-8")
    error = load_error(config)
    assert error.key == "(file)"
    assert error.file.endswith("2024.toml")
