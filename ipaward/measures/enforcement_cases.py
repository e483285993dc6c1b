"""推进知识产权保护体系建设 (2024: 第(十二)条): a won domestic enforcement case on an invention patent of
a "9+5" industry won by the right holder, or a won overseas enforcement or defence, is
subsidised from its verified cost, at most 200,000 per case, once per case."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Literal

from pydantic import BaseModel

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence, Item
from ipaward.exchange.fields import STRICT, IsoDate, Money, Text
from ipaward.exchange.identifiers import parse_patent_number
from ipaward.exchange.identities import ItemKind, identity
from ipaward.measures.definition import Check, MeasureDefinition
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import top_up

IDENTITY = "enforcement-cases"


class EnforcementCase(BaseModel):
    """`role`: whether the applicant won as the right holder enforcing its patent or as the
    defendant; the domestic branch pays only the right holder (None: a reviewer finding)."""

    model_config = STRICT
    scope: Literal["domestic", "overseas"]
    role: Literal["right_holder", "defendant"] | None = None
    patent_number: Text
    judgment_no: Text
    won_on: IsoDate
    cost: Money


class CaseEvidence(Evidence):
    case: EnforcementCase

    def items(self) -> list[Item]:
        return [Item(ItemKind.JUDGMENT, self.case.judgment_no, ("case", "judgment_no"))]


def item_keys(application: ApplicationEnvelope, evidence: CaseEvidence) -> list[str]:
    return [f"{IDENTITY}:case:{identity(ItemKind.JUDGMENT, evidence.case.judgment_no)}"]


def won_on(application: ApplicationEnvelope, evidence: CaseEvidence) -> dt.date:
    return evidence.case.won_on


def domestic_needs_a_cn_patent(
    application: ApplicationEnvelope, evidence: CaseEvidence
) -> list[Check]:
    """A domestic case is on a Chinese patent (an overseas one needs no CN number)."""
    if evidence.case.scope != "domestic":
        return []
    try:
        parse_patent_number(evidence.case.patent_number)
    except ValueError as error:
        return [("patent_number", ("evidence", "case", "patent_number"), str(error))]
    return []


def share_of_cost(inp: RuleInput[CaseEvidence]) -> RuleResult:
    p, explain, case = inp.params, Explanation(), inp.evidence.case
    key = item_keys(inp.application, inp.evidence)[0]
    if key in inp.prior.paid_items:
        explain.cite(inp.clause, f"案件{case.judgment_no}已获一次性补助,不重复补助。")
        return explain.result(eligible=False, amount=0)
    if case.scope == "domestic":
        if case.role == "defendant":
            explain.find(
                "not_right_holder",
                inp.path("evidence", "case", "role"),
                "申请人在该案中为被告(应诉方),不是维权的专利权人",
            )
            explain.cite(inp.clause, "国内维权补助限于专利权人维权胜诉,应诉胜诉不在补助范围。")
            return explain.result(eligible=False, amount=0)
        if case.role is None:
            explain.find(
                "role_unconfirmed",
                inp.path("evidence", "case", "role"),
                "未填写申请人在案件中的地位,须核实申请人是否为维权胜诉的专利权人",
            )
        if not parse_patent_number(case.patent_number).is_invention:
            explain.find(
                "not_invention",
                inp.path("evidence", "case", "patent_number"),
                f"{case.patent_number}不是发明专利",
            )
            explain.cite(inp.clause, "国内维权补助限于“9+5”千百亿产业的发明专利,不符合补助条件。")
            return explain.result(eligible=False, amount=0)
        industry = inp.application.applicant.industry
        if industry not in p.strings("clusters"):
            explain.find(
                "industry_unconfirmed",
                inp.path("applicant", "industry"),
                f"产业“{industry or '未填写'}”不在已确认的“9+5”产业名单中,须由审核人员确认",
            )
        scope_text = f"“9+5”产业发明专利{case.patent_number}国内维权胜诉"
    else:
        scope_text = "企业海外维权或侵权纠纷应对胜诉"
    share = p.decimal("cost_share")
    subsidy = int((Decimal(case.cost) * share).quantize(Decimal(1), rounding=ROUND_DOWN))
    ceiling = p.integer("max_per_case")
    amount = min(subsidy, ceiling)
    explain.cite(
        inp.clause,
        f"{p.text('max_per_case')}:{scope_text}(判决{case.judgment_no},{case.won_on}),"
        f"核定成本{yuan(case.cost)}×{share:%}={yuan(subsidy)}"
        + (f",按上限{yuan(ceiling)}计。" if subsidy > ceiling else "。"),
    )
    if amount == 0:
        return explain.result(eligible=False, amount=0)
    amount = top_up(
        explain,
        amount=amount,
        already_received=inp.received_elsewhere(),
        what="该案件",
    )
    return explain.result(
        eligible=True, amount=amount, ledger_lines=(LedgerLine(item_key=key, amount=amount),)
    )


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=CaseEvidence,
    formulas={"share_of_cost": share_of_cost},
    item_keys=item_keys,
    event_date=won_on,
    checks=domestic_needs_a_cn_patent,
)
