"""Assess one validated application: choose the edition, run the measure's rule, check the
declared documents, split the funding. Pure: prior awards are passed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ipaward.config.edition import Measure
from ipaward.config.policy import Policy
from ipaward.exchange.validate import ValidApplication
from ipaward.measures.definition import FORMULA_PARAMETER
from ipaward.rules.facts import PriorAwards
from ipaward.rules.funding import split
from ipaward.rules.result import Finding, LedgerLine, yuan
from ipaward.rules.rule_context import RuleInput


@dataclass(frozen=True, kw_only=True)
class Assessment:
    measure: str
    eligible: bool
    amount: int
    findings: tuple[Finding, ...]
    explanation: tuple[str, ...]
    ledger_lines: tuple[LedgerLine, ...]
    yearly_cap: int | None
    edition: str | None
    reference_date: dt.date
    city_amount: int
    jurisdiction_amount: int

    def public(self) -> dict[str, Any]:
        """The `assess --json` shape of APPLICATION_FORMAT.md."""
        return {
            "measure": self.measure,
            "eligible": self.eligible,
            "amount": self.amount,
            "findings": [finding.as_dict() for finding in self.findings],
            "explanation": list(self.explanation),
        }

    def record(self) -> dict[str, Any]:
        """Everything stored on the application: the public part plus funding and ledger lines."""
        return {
            **self.public(),
            "edition": self.edition,
            "reference_date": self.reference_date.isoformat(),
            "city_amount": self.city_amount,
            "jurisdiction_amount": self.jurisdiction_amount,
            "yearly_cap": self.yearly_cap,
            "ledger_lines": [
                {"item_key": line.item_key, "amount": line.amount} for line in self.ledger_lines
            ],
        }


def item_keys(application: ValidApplication) -> list[str]:
    """The ledger keys the measure's rule needs prior awards for."""
    return application.definition.item_keys(application.envelope, application.evidence)


def assess(application: ValidApplication, *, policy: Policy, prior: PriorAwards) -> Assessment:
    reference = application.reference
    edition = reference.edition
    if edition is None:
        return _outside_validity(application, policy)
    measure = edition.measure(application.measure)
    rule_input: RuleInput[Any] = RuleInput(
        edition=edition,
        measure=measure,
        params=measure.params(reference.on),
        application=application.envelope,
        evidence=application.evidence,
        prior=prior,
        places=policy.directory.places,
        root=application.path,
    )
    formula = measure.params(reference.on).optional_text(FORMULA_PARAMETER)
    result = application.definition.formula(formula)(rule_input)
    share = (
        Decimal(result.city_share_override)
        if result.city_share_override is not None
        else edition.funding.city_share_for(application.jurisdiction.code)
    )
    funding = split(result.amount, share)
    explanation = list(result.explanation)
    if result.amount:
        finance = policy.directory.department(application.jurisdiction.finance).short
        explanation.append(
            f"依据本措施末段“奖补资金除有明确规定外,均按照现行财政体制执行”:市级财政承担{yuan(funding.city)}"
            + (f",{finance}承担{yuan(funding.jurisdiction)}" if funding.jurisdiction else "")
            + (
                "(分担比例待财政部门确认)。"
                if edition.funding.to_be_confirmed and result.city_share_override is None
                else "。"
            )
        )
    return Assessment(
        measure=application.measure,
        eligible=result.eligible,
        amount=result.amount,
        findings=(
            *result.findings,
            *_document_findings(application, measure, edition.document_kinds),
        ),
        explanation=tuple(explanation),
        ledger_lines=result.ledger_lines,
        yearly_cap=result.yearly_cap,
        edition=edition.code,
        reference_date=reference.on,
        city_amount=funding.city,
        jurisdiction_amount=funding.jurisdiction,
    )


def _document_findings(
    application: ValidApplication, measure: Measure, names: Mapping[str, str]
) -> list[Finding]:
    declared = {document.kind for document in application.envelope.documents}
    return [
        Finding(
            code="document_missing",
            path=f"{application.path}.documents",
            message=f"缺少材料:措施{measure.code}须提交“{names.get(kind, kind)}”({kind})",
        )
        for kind in measure.required_documents
        if kind not in declared
    ]


def _outside_validity(application: ValidApplication, policy: Policy) -> Assessment:
    on = application.reference.on
    spans = "、".join(f"{e.valid_from}至{e.valid_until}" for e in policy.editions)
    what = f"{application.envelope.year}年度" if application.reference.by_year else f"事项日期{on}"
    return Assessment(
        measure=application.measure,
        eligible=False,
        amount=0,
        findings=(
            Finding(
                code="outside_validity",
                path=f"{application.path}",
                message=f"{what}不在政策有效期({spans})内",
            ),
        ),
        explanation=(f"依据本措施“自印发之日起实施,有效期五年”:{what}不在有效期内,不予奖补。",),
        ledger_lines=(),
        yearly_cap=None,
        edition=None,
        reference_date=on,
        city_amount=0,
        jurisdiction_amount=0,
    )
