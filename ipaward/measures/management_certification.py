"""完善知识产权管理体系 (2024: 第(三)条): first certification of a university to GB/T 33251-2016
(100,000) or of a research institute to GB/T 33250-2016 (50,000), once per institution."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence, Item
from ipaward.exchange.fields import STRICT, IsoDate, Text
from ipaward.exchange.identities import ItemKind
from ipaward.measures.definition import MeasureDefinition
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import top_up

IDENTITY = "ip-management-certification"


class Certification(BaseModel):
    model_config = STRICT
    standard: Literal["GB/T 33251-2016", "GB/T 33250-2016"]
    certificate_no: Text
    certified_on: IsoDate


class CertificationEvidence(Evidence):
    certification: Certification

    def items(self) -> list[Item]:
        loc = ("certification", "certificate_no")
        return [Item(ItemKind.CERTIFICATE, self.certification.certificate_no, loc)]


KIND_NAMES = {"university": "高校", "research_institute": "科研院所"}


def item_keys(application: ApplicationEnvelope, evidence: CertificationEvidence) -> list[str]:
    return [f"{IDENTITY}:institution:{application.applicant.uscc}"]


def certified_on(application: ApplicationEnvelope, evidence: CertificationEvidence) -> dt.date:
    return evidence.certification.certified_on


def first_certification(inp: RuleInput[CertificationEvidence]) -> RuleResult:
    explain, certification = Explanation(), inp.evidence.certification
    key = item_keys(inp.application, inp.evidence)[0]
    standards = inp.params.table("standards")
    rule = standards[certification.standard]
    kind = inp.application.applicant.kind
    if key in inp.prior.paid_items:
        explain.cite(
            inp.clause, "对首次通过标准认证的高校、科研院所一次性补助;该单位已获本条补助,不再重复。"
        )
        return explain.result(eligible=False, amount=0)
    if rule["applicant_kind"] != kind:
        explain.find(
            "standard_mismatch",
            inp.path("evidence", "certification", "standard"),
            f"{certification.standard}适用于{KIND_NAMES[rule['applicant_kind']]},"
            f"申请人为{KIND_NAMES.get(kind, kind)}",
        )
        explain.cite(
            inp.clause, f"{KIND_NAMES.get(kind, kind)}应通过对应的管理规范认证,不符合补助条件。"
        )
        return explain.result(eligible=False, amount=0)
    amount = int(rule["amount"])
    explain.cite(
        inp.clause,
        f"{inp.params.text('standards')};{KIND_NAMES[kind]}首次通过{certification.standard}认证"
        f"(证书{certification.certificate_no},{certification.certified_on}):{yuan(amount)}。",
    )
    amount = top_up(
        explain,
        amount=amount,
        already_received=inp.received_elsewhere(),
        what="该认证",
    )
    return explain.result(
        eligible=True, amount=amount, ledger_lines=(LedgerLine(item_key=key, amount=amount),)
    )


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=CertificationEvidence,
    formulas={"first_certification": first_certification},
    item_keys=item_keys,
    event_date=certified_on,
)
