"""A later edition written as changes to an earlier one: its mistakes name file, key, reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ipaward.config import ConfigError, load_policy
from ipaward.settings import PROJECT_ROOT

HEAD = """
[edition]
extends = "{extends}"
code = "{code}"
issued_on = 2025-12-20
valid_from = {valid_from}
valid_until = 2030-12-31
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", target)
    return target


def add_edition(
    config: Path,
    body: str = "",
    *,
    code: str = "2026",
    extends: str = "2024",
    valid_from: str = "2026-01-01",
) -> Path:
    path = config / "editions" / f"{code}.toml"
    head = HEAD.format(extends=extends, code=code, valid_from=valid_from)
    path.write_text(head + body, encoding="utf-8")
    return path


def load_error(config: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_policy(config)
    return caught.value


def test_an_edition_that_changes_nothing_keeps_every_measure_under_its_number(
    config: Path,
) -> None:
    add_edition(config)
    policy = load_policy(config)
    first, later = policy.edition("2024"), policy.edition("2026")
    assert {c: m.identity for c, m in later.measures.items()} == {
        c: m.identity for c, m in first.measures.items()
    }
    assert later.title == first.title and later.implementing_unit == first.implementing_unit


def test_a_withdrawn_measure_is_gone_and_an_unknown_one_is_named(config: Path) -> None:
    add_edition(config)
    path = config / "editions" / "2026.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "valid_until = 2030-12-31", 'valid_until = 2030-12-31\nwithdrawn = ["gi-promotion"]'
        ),
        encoding="utf-8",
    )
    assert "M16" not in load_policy(config).edition("2026").measures

    path.write_text(
        path.read_text(encoding="utf-8").replace('"gi-promotion"', '"no-such-measure"'),
        encoding="utf-8",
    )
    error = load_error(config)
    assert (error.key, error.reason) == (
        "edition.withdrawn",
        "no earlier measure 'no-such-measure'",
    )


def test_a_number_still_held_by_another_measure_is_refused(config: Path) -> None:
    add_edition(config, '\n[measures.M05]\nidentity = "patent-transfers"\nclause = "(五)"\n')
    error = load_error(config)
    assert error.file.endswith("2026.toml") and error.key == "measures.M05"
    assert "'high-value-patent-cultivation'" in error.reason


def test_extending_an_edition_that_does_not_exist_is_refused(config: Path) -> None:
    add_edition(config, extends="2019")
    error = load_error(config)
    assert (error.key, error.reason) == ("edition.extends", "no edition '2019'")


def test_editions_that_extend_each_other_in_a_loop_are_refused(config: Path) -> None:
    add_edition(config, code="2026", extends="2027")
    add_edition(config, code="2027", extends="2026", valid_from="2027-01-01")
    assert "loop" in load_error(config).reason


def test_an_edition_extending_one_that_has_ended_leaves_its_window_alone(config: Path) -> None:
    add_edition(config, valid_from="2029-02-02")
    policy = load_policy(config)
    assert str(policy.edition("2024").valid_until) == "2029-02-01"
