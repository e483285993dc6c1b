"""实施知识产权集中托管试点 (2024: 第(十四)条): an IP operation body gets the amount the lead unit's
review proposes from the services it delivered, at most 2,000,000 per year, once per year."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence
from ipaward.exchange.fields import STRICT, Money, Text
from ipaward.measures.definition import MeasureDefinition
from ipaward.rules.result import Explanation, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import award_once

IDENTITY = "ip-operation-hosting"


class Operation(BaseModel):
    model_config = STRICT
    services: list[Text] = Field(min_length=1)
    proposed_amount: Money


class OperationEvidence(Evidence):
    operation: Operation


def item_keys(application: ApplicationEnvelope, evidence: OperationEvidence) -> list[str]:
    return [f"{IDENTITY}:year:{application.applicant.uscc}:{application.year}"]


def proposed_within_cap(inp: RuleInput[OperationEvidence]) -> RuleResult:
    p, explain, operation = inp.params, Explanation(), inp.evidence.operation
    key = item_keys(inp.application, inp.evidence)[0]
    if key in inp.prior.paid_items:
        explain.cite(inp.clause, f"该机构{inp.application.year}年度已获补助,每年一次。")
        return explain.result(eligible=False, amount=0)
    named = p.strings("services")
    for index, service in enumerate(operation.services):
        if service not in named:
            explain.find(
                "service_unlisted",
                inp.path("evidence", "operation", "services", index),
                f"服务“{service}”不在第{inp.clause}条列举的服务中,须由审核人员认定",
            )
    cap = p.integer("yearly_cap")
    explain.cite(
        inp.clause,
        f"{p.text('services')};本年度开展{'、'.join(operation.services)},审核建议{yuan(operation.proposed_amount)}。",
    )
    amount = min(operation.proposed_amount, cap)
    if amount < operation.proposed_amount:
        explain.cite(inp.clause, f"{p.text('yearly_cap')}:按上限{yuan(cap)}计。")
    if amount == 0:
        return explain.result(eligible=False, amount=0)
    return award_once(
        explain,
        amount=amount,
        already_received=inp.other_awards_for({inp.uscc}),
        what="该机构本年度",
        key=key,
        yearly_cap=cap,
    )


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=OperationEvidence,
    formulas={"proposed_within_cap": proposed_within_cap},
    item_keys=item_keys,
)
