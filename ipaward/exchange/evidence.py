"""Measure-specific evidence (APPLICATION_FORMAT.md, "Evidence by measure").

Each model lists the ids of its items: what `other_awards[].item` may name and what the
once-only rule keys the ledger by.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from ipaward.exchange.fields import STRICT, Count, IsoDate, Money, PatentNo, Text, Uscc

HighValue = Literal[
    "strategic_emerging", "overseas_family", "over_10_years", "pledge_high", "award_winning"
]


class Evidence(BaseModel):
    model_config = STRICT

    def item_ids(self) -> list[str]:
        return []


class Party(BaseModel):
    """A third party (transferee, borrower); its jurisdiction may be any place name."""

    model_config = STRICT
    name: Text
    uscc: Uscc
    jurisdiction: Text


class GrantedPatent(BaseModel):
    model_config = STRICT
    number: PatentNo
    granted_on: IsoDate
    high_value: HighValue | None
    acquired: bool


class M01Evidence(Evidence):
    patents: list[GrantedPatent] = Field(min_length=1)

    def item_ids(self) -> list[str]:
        return [patent.number for patent in self.patents]


class NavigationProject(BaseModel):
    model_config = STRICT
    title: Text
    scope: Literal["industry", "regional"]
    budget: Money


class M02Evidence(Evidence):
    project: NavigationProject

    def item_ids(self) -> list[str]:
        return [self.project.title]


class Certification(BaseModel):
    model_config = STRICT
    standard: Literal["GB/T 33251-2016", "GB/T 33250-2016"]
    certificate_no: Text
    certified_on: IsoDate


class M03Evidence(Evidence):
    certification: Certification

    def item_ids(self) -> list[str]:
        return [self.certification.certificate_no]


class Grading(BaseModel):
    model_config = STRICT
    level: int = Field(ge=1, le=5)
    certificate_no: Text
    graded_on: IsoDate


class M06Evidence(Evidence):
    grading: Grading

    def item_ids(self) -> list[str]:
        return [self.grading.certificate_no]


class Transfer(BaseModel):
    model_config = STRICT
    patent_number: PatentNo
    transferee: Party
    recorded_on: IsoDate


class M07Evidence(Evidence):
    transfers: list[Transfer] = Field(min_length=1)

    def item_ids(self) -> list[str]:
        return [transfer.patent_number for transfer in self.transfers]


class Product(BaseModel):
    model_config = STRICT
    name: Text
    recognition_no: Text
    recognised_on: IsoDate


class M09Evidence(Evidence):
    products: list[Product] = Field(min_length=1)

    def item_ids(self) -> list[str]:
        return [product.recognition_no for product in self.products]


class Loan(BaseModel):
    model_config = STRICT
    contract_no: Text
    borrower: Party
    principal: Money
    pledged_patents: list[PatentNo] = Field(min_length=1)
    pledge_registration_no: Text
    defaulted_on: IsoDate
    verified_principal_loss: Money

    @model_validator(mode="after")
    def _loss_within_principal(self) -> Loan:
        if self.verified_principal_loss > self.principal:
            raise ValueError("verified_principal_loss: 核定本金损失不得超过贷款本金")
        return self


class M10Evidence(Evidence):
    loan: Loan

    def item_ids(self) -> list[str]:
        return [self.loan.contract_no]


class EnforcementCase(BaseModel):
    model_config = STRICT
    scope: Literal["domestic", "overseas"]
    patent_number: Text
    judgment_no: Text
    won_on: IsoDate
    cost: Money


class M12Evidence(Evidence):
    case: EnforcementCase

    def item_ids(self) -> list[str]:
        return [self.case.judgment_no]


class ServiceYear(BaseModel):
    model_config = STRICT
    pledge_enterprises: Count
    transfers_licences: Count
    product_recordals: Count
    fees_charged: bool


class M13Evidence(Evidence):
    service_year: ServiceYear


class Operation(BaseModel):
    model_config = STRICT
    services: list[Text] = Field(min_length=1)
    proposed_amount: Money


class M14Evidence(Evidence):
    operation: Operation


class GroupStandard(BaseModel):
    model_config = STRICT
    code: Text
    title: Text
    entities_guided: Count
    published_on: IsoDate


class LocalStandard(BaseModel):
    model_config = STRICT
    code: Text
    title: Text
    drafting_rank: int = Field(ge=1)
    published_on: IsoDate


class M15Evidence(Evidence):
    group_standard: GroupStandard | None = None
    local_standard: LocalStandard | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> M15Evidence:
        if (self.group_standard is None) == (self.local_standard is None):
            raise ValueError("须且只能提供group_standard或local_standard之一")
        return self

    def item_ids(self) -> list[str]:
        standard = self.group_standard or self.local_standard
        return [standard.code] if standard else []


class Centre(BaseModel):
    model_config = STRICT
    name: Text
    established_on: IsoDate


class M17Evidence(Evidence):
    centre: Centre

    def item_ids(self) -> list[str]:
        return [self.centre.name]


EVIDENCE_MODELS: dict[str, type[Evidence]] = {
    "M01": M01Evidence,
    "M02": M02Evidence,
    "M03": M03Evidence,
    "M06": M06Evidence,
    "M07": M07Evidence,
    "M09": M09Evidence,
    "M10": M10Evidence,
    "M12": M12Evidence,
    "M13": M13Evidence,
    "M14": M14Evidence,
    "M15": M15Evidence,
    "M17": M17Evidence,
}
