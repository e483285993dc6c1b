"""实施知识产权人才培养计划 (2024: 第(十七)条): an IP research centre at a Zhangzhou university or
institute providing local talent support, training and policy research gets 300,000 a year."""

from __future__ import annotations

from pydantic import BaseModel

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence, Item
from ipaward.exchange.fields import STRICT, IsoDate, Text
from ipaward.exchange.identities import ItemKind
from ipaward.measures.definition import MeasureDefinition
from ipaward.rules.result import Explanation, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import award_once

IDENTITY = "ip-research-centres"


class Centre(BaseModel):
    model_config = STRICT
    name: Text
    established_on: IsoDate


class CentreEvidence(Evidence):
    centre: Centre

    def items(self) -> list[Item]:
        return [Item(ItemKind.NAME, self.centre.name, ("centre", "name"))]


def item_keys(application: ApplicationEnvelope, evidence: CentreEvidence) -> list[str]:
    return [f"{IDENTITY}:year:{application.applicant.uscc}:{application.year}"]


def yearly_award(inp: RuleInput[CentreEvidence]) -> RuleResult:
    p, explain, centre = inp.params, Explanation(), inp.evidence.centre
    key = item_keys(inp.application, inp.evidence)[0]
    year = inp.application.year
    if key in inp.prior.paid_items:
        explain.cite(inp.clause, f"该单位{year}年度已获研究中心补助,每年一次。")
        return explain.result(eligible=False, amount=0)
    if year is None or centre.established_on.year > year:
        explain.find(
            "not_established",
            inp.path("evidence", "centre", "established_on"),
            f"研究中心设立于{centre.established_on},奖励年度{year}年尚未设立",
        )
        return explain.result(eligible=False, amount=0)
    award = p.integer("yearly_award")
    explain.cite(inp.clause, f"{p.text('yearly_award')}:“{centre.name}”{year}年度{yuan(award)}。")
    return award_once(
        explain,
        amount=award,
        already_received=inp.received_elsewhere(),
        what="该研究中心本年度",
        key=key,
        yearly_cap=award,
    )


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=CentreEvidence,
    formulas={"yearly_award": yearly_award},
    item_keys=item_keys,
)
