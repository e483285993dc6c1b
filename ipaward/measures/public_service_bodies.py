"""健全知识产权服务体系 (2024: 第(十三)条): a public IP service body that in the year did free inclusive
pledge registrations for ≥5 enterprises, ≥50 transfers/licences and ≥50 product recordals
gets 150,000 for that year."""

from __future__ import annotations

from pydantic import BaseModel

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence
from ipaward.exchange.fields import STRICT, Count
from ipaward.measures.definition import MeasureDefinition
from ipaward.rules.result import Explanation, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import award_once

IDENTITY = "public-service-bodies"


class ServiceYear(BaseModel):
    model_config = STRICT
    pledge_enterprises: Count
    transfers_licences: Count
    product_recordals: Count
    fees_charged: bool


class ServiceYearEvidence(Evidence):
    service_year: ServiceYear


THRESHOLDS = (
    ("pledge_enterprises", "min_pledge_enterprises", "质押登记惠及企业", "家"),
    ("transfers_licences", "min_transfers_licences", "专利转让许可", "件"),
    ("product_recordals", "min_product_recordals", "专利密集型产品备案", "件"),
)


def item_keys(application: ApplicationEnvelope, evidence: ServiceYearEvidence) -> list[str]:
    return [f"{IDENTITY}:year:{application.applicant.uscc}:{application.year}"]


def yearly_thresholds(inp: RuleInput[ServiceYearEvidence]) -> RuleResult:
    p, explain, service = inp.params, Explanation(), inp.evidence.service_year
    key = item_keys(inp.application, inp.evidence)[0]
    if key in inp.prior.paid_items:
        explain.cite(inp.clause, f"该机构{inp.application.year}年度已获补助,每年一次。")
        return explain.result(eligible=False, amount=0)
    met = True
    for field, parameter, label, unit in THRESHOLDS:
        value, minimum = getattr(service, field), p.integer(parameter)
        ok = value >= minimum
        met &= ok
        explain.cite(
            inp.clause,
            f"{p.text(parameter)}:实际{value}{unit},"
            + ("达到要求。" if ok else f"少于{minimum}{unit}。"),
        )
        if not ok:
            explain.find(
                "below_threshold",
                inp.path("evidence", "service_year", field),
                f"{label}{value}{unit},少于{minimum}{unit}",
            )
    if service.fees_charged:
        met = False
        explain.find(
            "fees_charged",
            inp.path("evidence", "service_year", "fees_charged"),
            "收取了服务费,不符合免收服务费的条件",
        )
        explain.cite(inp.clause, "须免收服务费;该机构收取了服务费,不符合补助条件。")
    if not met:
        return explain.result(eligible=False, amount=0)
    award = p.integer("yearly_award")
    explain.cite(inp.clause, f"{p.text('yearly_award')}:{inp.application.year}年度{yuan(award)}。")
    return award_once(
        explain,
        amount=award,
        already_received=inp.other_awards_for({inp.uscc}),
        what="该机构本年度",
        key=key,
        yearly_cap=award,
    )


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=ServiceYearEvidence,
    formulas={"yearly_thresholds": yearly_thresholds},
    item_keys=item_keys,
)
