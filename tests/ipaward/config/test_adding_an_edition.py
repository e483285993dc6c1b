"""Proof that a later edition is one file: it extends 2024, renumbers 盘活存量专利 from (七) to
(五) (and 高价值专利培育 the other way), and from 2026-07-01 pays each transfer from the first.
Applications under both editions are assessed and paid side by side in one database.

The steps are the README's "How to add an edition"; the test adds one file to a copy of the
shipped config and touches nothing else.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from ipaward.config.policy import load_policy
from ipaward.settings import PROJECT_ROOT
from tests.conftest import OpenBench
from tests.support.applications import example
from tests.support.identifiers import patent
from tests.support.workbench import at

LATER_EDITION = """
[edition]
extends = "2024"
code = "2026"
title = "漳州市促进知识产权高质量发展若干措施(修订)"
issuer = "漳州市人民政府办公室"
issued_on = 2025-12-20
valid_from = 2026-01-01
valid_until = 2030-12-31

[measures.M05]
identity = "patent-transfers"
clause = "(五)"

[measures.M05.parameters]
formula = { clause = "(五)", text = "自2026年7月1日起,每转让1件即予奖励", values = [
  { from = 2026-01-01, value = "threshold_then_per_extra" },
  { from = 2026-07-01, value = "per_transfer" },
] }
award_per_transfer = { clause = "(五)", text = "每转让1件发明专利奖励6000元", values = [{ from = 2026-07-01, value = 6000 }] }

[measures.M07]
identity = "high-value-patent-cultivation"
clause = "(七)"
"""


@pytest.fixture
def config_with_later_edition(tmp_path: Path) -> Path:
    config = tmp_path / "config-two-editions"
    shutil.copytree(PROJECT_ROOT / "config", config)
    (config / "editions" / "2026.toml").write_text(LATER_EDITION, encoding="utf-8")
    return config


def transfers(measure: str, year: int, serials: range) -> dict[str, Any]:
    """The example university's transfers of the given patents, recorded in `year`."""
    data = example("m07_university_transfers")
    data["measure"], data["year"] = measure, year
    template = data["evidence"]["transfers"][0]
    data["evidence"]["transfers"] = [
        {**template, "patent_number": patent(serial), "recorded_on": f"{year}-03-10"}
        for serial in serials
    ]
    return data


def test_the_later_edition_takes_over_the_day_it_starts_with_its_own_numbering(
    config_with_later_edition: Path,
) -> None:
    policy = load_policy(config_with_later_edition)
    first, later = policy.edition("2024"), policy.edition("2026")

    assert first.valid_until == dt.date(2025, 12, 31)
    assert policy.edition_on(dt.date(2026, 1, 1)) is later
    assert first.measure("M07").identity == later.measure("M05").identity == "patent-transfers"
    assert later.measure("M07").identity == "high-value-patent-cultivation"
    assert later.measure("M05").lead == first.measure("M07").lead  # inherited, not copied
    assert later.measure("M05").params(dt.date(2026, 12, 31)).optional_text("formula") == (
        "per_transfer"
    )
    assert {m.identity for m in later.measures.values()} == {
        m.identity for m in first.measures.values()
    }


def test_both_editions_applications_are_assessed_and_paid_side_by_side(
    open_bench: OpenBench, config_with_later_edition: Path
) -> None:
    bench = open_bench(config_dir=config_with_later_edition)
    filed = dt.date(2027, 1, 15)
    earlier = bench.submit(transfers("M07", 2025, range(1, 8)), on=filed)  # 2024 edition, (七)
    later = bench.submit(transfers("M05", 2026, range(11, 14)), on=filed)  # 2026 edition, (五)

    for number in (earlier, later):
        bench.drive(number, on=filed, until=at(state="paid"))

    old, new = bench.application(earlier), bench.application(later)
    assert (old.edition, old.measure, new.edition, new.measure) == ("2024", "M07", "2026", "M05")
    [old_paid], [new_paid] = bench.ledger(earlier), bench.ledger(later)
    assert old_paid.amount == 30_000 + 5_000  # ≥6 → 30,000, one beyond → +5,000
    assert new_paid.amount == 3 * 6_000  # from the first transfer (under 2024: nothing)
    assert old_paid.measure == new_paid.measure == "patent-transfers"
    explained = " ".join(new.assessment["explanation"])
    assert "第(五)条" in explained and "6000元×3=18000元" in explained
    assert "6件以上" not in explained  # the 2024 threshold is not cited under the new formula


def test_a_transfer_paid_under_the_first_edition_is_not_paid_again_under_the_later(
    open_bench: OpenBench, config_with_later_edition: Path
) -> None:
    bench = open_bench(config_dir=config_with_later_edition)
    filed = dt.date(2027, 1, 15)
    earlier = bench.submit(transfers("M07", 2025, range(1, 8)), on=filed)
    bench.drive(earlier, on=filed, until=at(state="paid"))

    # patent 7 transferred again in 2026: a transfer counts once, ever, whatever the edition
    later = bench.submit(transfers("M05", 2026, range(7, 10)), on=filed)
    bench.drive(later, on=filed, until=at(state="paid"))

    [paid] = bench.ledger(later)
    assert paid.amount == 2 * 6_000
