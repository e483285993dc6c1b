"""Document numbers: 代字〔2024〕N号, gap-free per issuing authority and year."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.config.config_errors import ConfigError
from ipaward.config.departments import load_directory
from ipaward.db.models import Counter
from ipaward.notices.numbering import (
    DEFAULT_CONFIG_DIR,
    format_doc_number,
    load_prefixes,
    next_doc_number,
)

EDITION = DEFAULT_CONFIG_DIR / "editions" / "2024.toml"


def test_numbers_count_up_without_gaps_per_authority_and_year(session: Session) -> None:
    def number(code: str, year: int) -> str:
        return next_doc_number(session, authority_code=code, year=year)

    assert [number("city.amr", 2024) for _ in range(3)] == [
        "漳市监知〔2024〕1号",
        "漳市监知〔2024〕2号",
        "漳市监知〔2024〕3号",
    ]
    assert number("city.amr", 2025) == "漳市监知〔2025〕1号"
    assert number("city.education", 2024) == "漳教〔2024〕1号"
    assert number("city.finreg", 2024) == "漳金管〔2024〕1号"
    assert number("city.finance", 2024) == "漳财〔2024〕1号"
    assert number("city.amr", 2024) == "漳市监知〔2024〕4号"


def test_a_rolled_back_notice_gives_its_number_back(session: Session) -> None:
    next_doc_number(session, authority_code="city.amr", year=2024)
    with pytest.raises(RuntimeError), session.begin_nested():
        next_doc_number(session, authority_code="city.amr", year=2024)
        raise RuntimeError("rendering failed")
    assert next_doc_number(session, authority_code="city.amr", year=2024) == "漳市监知〔2024〕2号"


def test_an_authority_without_a_prefix_fails_and_uses_no_number(session: Session) -> None:
    with pytest.raises(ConfigError) as caught:
        next_doc_number(session, authority_code="city.court", year=2024)
    assert caught.value.key == "prefixes.city.court"
    assert "机关代字" in caught.value.reason
    assert session.scalars(select(Counter)).all() == []


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        ("xiangcheng.gov", "芗政"),
        ("longhai.gov", "龙海政"),
        ("longhai.finance", "龙海财"),
        ("gulei_zone.gov", "古管"),
        ("hightech_zone.finance", "漳高财"),
    ],
)
def test_county_and_zone_units_follow_the_patterns(code: str, prefix: str) -> None:
    assert load_prefixes(DEFAULT_CONFIG_DIR).prefix_for(code) == prefix


def test_every_lead_unit_finance_office_and_local_government_has_a_prefix() -> None:
    directory = load_directory(DEFAULT_CONFIG_DIR / "departments.toml")
    prefixes = load_prefixes(DEFAULT_CONFIG_DIR)
    assert set(prefixes.exact) <= set(directory.departments)
    assert set(prefixes.abbreviations) == set(directory.jurisdictions)
    for department in directory.departments.values():
        if department.kind in {"county_government", "zone_committee", "finance_office"}:
            assert prefixes.prefix_for(department.code)
    leads = {m["lead"] for m in tomllib.loads(EDITION.read_text("utf-8"))["measures"].values()}
    for code in leads | {"city.finance", "city.ip_leading_group"}:
        assert prefixes.prefix_for(code)


def test_the_format_has_the_full_year_and_no_padding() -> None:
    assert format_doc_number("漳市监知", year=2024, serial=12) == "漳市监知〔2024〕12号"
    with pytest.raises(ValueError):
        format_doc_number("漳市监知", year=2024, serial=0)


def test_a_two_digit_year_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="four digits"):
        next_doc_number(session, authority_code="city.amr", year=24)


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[prefixes]\n"city.amr" = 12\n', "prefixes.city.amr"),
        ('[prefix_patterns]\n"*.gov" = "{county}政"\n', "prefix_patterns.*.gov"),
        ("[prefixes]\n[bogus]\n", "bogus"),
    ],
)
def test_bad_prefix_config_names_file_and_key(config_dir: Path, toml: str, key: str) -> None:
    (config_dir / "notices.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_prefixes(config_dir)
    assert caught.value.key == key
    assert caught.value.file.endswith("notices.toml")


def test_a_pattern_without_the_jurisdictions_short_form_fails_clearly(config_dir: Path) -> None:
    (config_dir / "notices.toml").write_text(
        '[prefix_patterns]\n"*.gov" = "{abbrev}政"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_prefixes(config_dir).prefix_for("xiangcheng.gov")
    assert caught.value.key == "abbreviations.xiangcheng"


def test_a_missing_config_file_is_a_config_error(config_dir: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_prefixes(config_dir)
    assert caught.value.key == "(file)"
