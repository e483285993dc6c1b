"""Proof that a measure is one module plus its config: a made-up 外观设计专利授权奖励 (each
design patent granted earns 2,000 yuan, once ever) is written as one module in a package of
its own and one table in a copy of the edition file, and runs its whole path: validation,
document checks, assessment, countersigning, publicity, finance, the ledger and notices.

The steps are the README's "How to add a measure"; nothing in the project is touched.
"""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest

from ipaward.db.models import LedgerItem
from ipaward.measures import PACKAGES, definition
from ipaward.settings import PROJECT_ROOT
from tests.conftest import OpenBench
from tests.support.applications import example
from tests.support.identifiers import patent
from tests.support.workbench import at

MODULE = '''
"""外观设计专利授权奖励 (made up for a test): each design patent granted to a Zhangzhou
enterprise earns `award_per_design`, once ever per patent."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence, Item
from ipaward.exchange.fields import STRICT, IsoDate, PatentNo
from ipaward.exchange.identifiers import parse_patent_number
from ipaward.exchange.identities import ItemKind, identity
from ipaward.measures.definition import MeasureDefinition, item_key
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan

IDENTITY = "design-grants"


class Design(BaseModel):
    model_config = STRICT
    patent_number: PatentNo
    granted_on: IsoDate


class DesignsEvidence(Evidence):
    designs: list[Design] = Field(min_length=1)

    def items(self) -> list[Item]:
        return [
            Item(ItemKind.PATENT, d.patent_number, ("designs", i, "patent_number"))
            for i, d in enumerate(self.designs)
        ]


def design_key(number: str) -> str:
    return item_key(IDENTITY, "design", identity(ItemKind.PATENT, number))


def item_keys(application: ApplicationEnvelope, evidence: DesignsEvidence) -> list[str]:
    return [design_key(d.patent_number) for d in evidence.designs]


def first_grant(application: ApplicationEnvelope, evidence: DesignsEvidence) -> dt.date:
    return min(d.granted_on for d in evidence.designs)


def per_design(inp: RuleInput[DesignsEvidence]) -> RuleResult:
    explain, each = Explanation(), inp.params.integer("award_per_design")
    counted = []
    for index, design in enumerate(inp.evidence.designs):
        key = design_key(design.patent_number)
        if parse_patent_number(design.patent_number).kind != "3":
            path = inp.path("evidence", "designs", index, "patent_number")
            explain.find("not_design", path, f"{design.patent_number}不是外观设计专利")
        elif key in inp.prior.paid_items:
            explain.note(f"{design.patent_number}已获奖励,不再重复。")
        else:
            counted.append(key)
    if not counted:
        return explain.result(eligible=False, amount=0)
    total = each * len(counted)
    explain.cite(inp.clause, f"{inp.params.text('award_per_design')}:{yuan(each)}×{len(counted)}={yuan(total)}。")
    lines = tuple(LedgerLine(item_key=key, amount=each) for key in counted)
    return explain.result(eligible=True, amount=total, ledger_lines=lines)


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=DesignsEvidence,
    formulas={"per_design": per_design},
    item_keys=item_keys,
    event_date=first_grant,
)
'''

CONFIG = """
[measures.M19]
identity = "design-grants"
clause = "(十九)"
title = "外观设计专利授权奖励"
kind = "award"
lead = "city.amr"
route = "award"
applicant_kinds = ["enterprise"]
responsible = [{ dept = "city.finance", part = "countersign" }]
documents = { required = ["application_form", "integrity_pledge", "business_licence", "patent_certificates"], optional = ["other"] }
summary = "企业获得外观设计专利授权的,每件奖励2000元"

[measures.M19.parameters]
award_per_design = { clause = "(十九)", text = "每件外观设计专利奖励2000元", values = [{ from = 2024-02-02, value = 2000 }] }
"""


@pytest.fixture
def config_with_new_measure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The module in a package of its own (named by the setting), the table in a config copy."""
    package = tmp_path / "made_up_measures"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "design_grants.py").write_text(textwrap.dedent(MODULE), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv(PACKAGES, "made_up_measures")
    config = tmp_path / "config-new-measure"
    shutil.copytree(PROJECT_ROOT / "config", config)
    with (config / "editions" / "2024.toml").open("a", encoding="utf-8") as edition:
        edition.write(CONFIG)
    return config


def designs(serials: range) -> dict[str, Any]:
    data = example("m01_introduced_enterprise")
    documents = [
        {"kind": kind}
        for kind in (
            "application_form",
            "integrity_pledge",
            "business_licence",
            "patent_certificates",
        )
    ]
    return {
        "measure": "M19",
        "applicant": data["applicant"],
        "evidence": {
            "designs": [
                {"patent_number": patent(serial, year=2024, kind=3), "granted_on": "2025-06-01"}
                for serial in serials
            ]
        },
        "documents": documents,
    }


def test_a_measure_added_as_one_module_and_its_config_runs_its_whole_path(
    open_bench: OpenBench, config_with_new_measure: Path
) -> None:
    assert definition("design-grants").formula(None).__name__ == "per_design"
    bench = open_bench(config_dir=config_with_new_measure)
    filed = dt.date(2025, 9, 15)

    first = bench.submit(designs(range(1, 4)), on=filed)
    bench.drive(first, on=filed, until=at(state="paid"))
    again = bench.submit(designs(range(3, 5)), on=filed)  # design 3 was paid with the first
    bench.drive(again, on=filed, until=at(state="paid"))

    assert [entry.amount for entry in bench.ledger(first)] == [6_000]
    assert [entry.amount for entry in bench.ledger(again)] == [2_000]
    assert bench.count(LedgerItem) == 4  # designs 1–4, each once
    assert bench.ledger(first)[0].measure == "design-grants"
    assert "payment" in bench.notice_kinds(first)
    explained = " ".join(bench.application(again).assessment["explanation"])
    assert "依据第(十九)条:每件外观设计专利奖励2000元:2000元×1=2000元。" in explained
