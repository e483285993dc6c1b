"""提升知识产权管理效能与创新水平 (2024: 第(六)条): ISO 56005 grading levels 1–5 pay 80,000 … 380,000
once per level; a later, higher level pays the difference to what this measure already paid."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence, Item
from ipaward.exchange.fields import STRICT, IsoDate, Text
from ipaward.exchange.identities import ItemKind
from ipaward.measures.definition import Claim, MeasureDefinition
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import top_up

IDENTITY = "innovation-management-grading"


class Grading(BaseModel):
    model_config = STRICT
    level: int = Field(ge=1, le=5)
    certificate_no: Text
    graded_on: IsoDate


class GradingEvidence(Evidence):
    grading: Grading

    def items(self) -> list[Item]:
        loc = ("grading", "certificate_no")
        return [Item(ItemKind.CERTIFICATE, self.grading.certificate_no, loc)]


LEVEL_NAMES = {
    1: "一级(初始级)",
    2: "二级(过程级)",
    3: "三级(项目级)",
    4: "四级(系统级)",
    5: "五级(生态级)",
}


def level_key(uscc: str, level: int) -> str:
    return f"{IDENTITY}:level:{uscc}:{level}"


def item_keys(application: ApplicationEnvelope, evidence: GradingEvidence) -> list[str]:
    uscc = application.applicant.uscc
    return [level_key(uscc, level) for level in range(1, 6)]


def graded_on(application: ApplicationEnvelope, evidence: GradingEvidence) -> dt.date:
    return evidence.grading.graded_on


def claims(application: ApplicationEnvelope, evidence: GradingEvidence) -> list[Claim]:
    """The level reached is what this application claims (lower levels are priors)."""
    key = level_key(application.applicant.uscc, evidence.grading.level)
    return [Claim(key, IDENTITY, evidence.model_dump(mode="json"))]


def level_amount_or_difference(inp: RuleInput[GradingEvidence]) -> RuleResult:
    p, explain, grading = inp.params, Explanation(), inp.evidence.grading
    level = grading.level
    level_amount = int(p.table("level_amounts")[str(level)])
    explain.cite(
        inp.clause,
        f"{p.text('level_amounts')};该企业通过ISO 56005{LEVEL_NAMES[level]}评级"
        f"(证书{grading.certificate_no},{grading.graded_on}),对应{yuan(level_amount)}。",
    )
    paid_levels = sorted(
        lvl for lvl in range(1, 6) if level_key(inp.uscc, lvl) in inp.prior.paid_items
    )
    if paid_levels and max(paid_levels) >= level:
        explain.note(
            f"该企业已按{LEVEL_NAMES[max(paid_levels)]}获本条补助,同级或较低等级不再补助。"
        )
        return explain.result(eligible=False, amount=0)
    amount = level_amount
    if paid_levels:
        already = inp.prior.measure_paid
        if p.flag("upgrade_pays_difference"):
            amount = max(0, level_amount - already)
            explain.cite(
                inp.clause,
                f"{p.text('upgrade_pays_difference')}:已按{LEVEL_NAMES[max(paid_levels)]}获补助"
                f"{yuan(already)},本次补差额{yuan(amount)}(={yuan(level_amount)}−{yuan(already)})。",
            )
        else:
            explain.note("按设置,升级不补差额,按新等级全额补助。")
    amount = top_up(
        explain,
        amount=amount,
        already_received=inp.received_elsewhere(),
        what="该评级",
    )
    key = level_key(inp.uscc, level)
    return explain.result(
        eligible=True, amount=amount, ledger_lines=(LedgerLine(item_key=key, amount=amount),)
    )


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=GradingEvidence,
    formulas={"level_amount_or_difference": level_amount_or_difference},
    item_keys=item_keys,
    event_date=graded_on,
    claims=claims,
)
