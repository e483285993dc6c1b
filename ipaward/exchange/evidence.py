"""Measure-specific evidence (APPLICATION_FORMAT.md, "Evidence by measure").

Each model lists its items, each with its kind: what `other_awards[].item` may name, what
the once-only rule keys the ledger by, and what counts once when a file lists it twice. Items
are compared by their canonical identity (`ipaward.exchange.identities`), never as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from ipaward.bounds import MAX_COUNT
from ipaward.exchange.fields import STRICT, Count, IsoDate, Money, PatentNo, Text, Uscc
from ipaward.exchange.identities import ItemKind, identity

HighValue = Literal[
    "strategic_emerging", "overseas_family", "over_10_years", "pledge_high", "award_winning"
]


Location = tuple[int | str, ...]


@dataclass(frozen=True)
class Item:
    """One rewardable item named in the evidence, where it stands (under `evidence`)."""

    kind: ItemKind
    value: str
    loc: Location

    @property
    def identity(self) -> str:
        return identity(self.kind, self.value)


def repeats(items: Sequence[Item]) -> dict[int, int]:
    """Index of each item that repeats an earlier one → index of that first listing."""
    first: dict[str, int] = {}
    repeated: dict[int, int] = {}
    for index, item in enumerate(items):
        seen = first.setdefault(item.identity, index)
        if seen != index:
            repeated[index] = seen
    return repeated


class Evidence(BaseModel):
    model_config = STRICT

    def items(self) -> list[Item]:
        return []

    def item_ids(self) -> list[str]:
        return [item.identity for item in self.items()]

    def item_kinds(self) -> set[ItemKind]:
        return {item.kind for item in self.items()}


class Party(BaseModel):
    """A third party (transferee, borrower); its jurisdiction may be any place name. Its USCC
    may be missing (a reviewer finding where the rule needs to know its kind)."""

    model_config = STRICT
    name: Text
    uscc: Uscc | None = None
    jurisdiction: Text

    @property
    def is_enterprise(self) -> bool | None:
        """GB 32100-2015: registration-management code 9 is 工商 (enterprises); None: unknown."""
        return None if self.uscc is None else self.uscc.startswith("9")


class GrantedPatent(BaseModel):
    model_config = STRICT
    number: PatentNo
    granted_on: IsoDate
    high_value: HighValue | None
    acquired: bool


class M01Evidence(Evidence):
    patents: list[GrantedPatent] = Field(min_length=1)

    def items(self) -> list[Item]:
        return [
            Item(ItemKind.PATENT, p.number, ("patents", i, "number"))
            for i, p in enumerate(self.patents)
        ]


class NavigationProject(BaseModel):
    model_config = STRICT
    title: Text
    scope: Literal["industry", "regional"]
    budget: Money


class M02Evidence(Evidence):
    project: NavigationProject

    def items(self) -> list[Item]:
        return [Item(ItemKind.NAME, self.project.title, ("project", "title"))]


class Certification(BaseModel):
    model_config = STRICT
    standard: Literal["GB/T 33251-2016", "GB/T 33250-2016"]
    certificate_no: Text
    certified_on: IsoDate


class M03Evidence(Evidence):
    certification: Certification

    def items(self) -> list[Item]:
        loc = ("certification", "certificate_no")
        return [Item(ItemKind.CERTIFICATE, self.certification.certificate_no, loc)]


class Grading(BaseModel):
    model_config = STRICT
    level: int = Field(ge=1, le=5)
    certificate_no: Text
    graded_on: IsoDate


class M06Evidence(Evidence):
    grading: Grading

    def items(self) -> list[Item]:
        loc = ("grading", "certificate_no")
        return [Item(ItemKind.CERTIFICATE, self.grading.certificate_no, loc)]


class Transfer(BaseModel):
    model_config = STRICT
    patent_number: PatentNo
    transferee: Party
    recorded_on: IsoDate


class M07Evidence(Evidence):
    transfers: list[Transfer] = Field(min_length=1)

    def items(self) -> list[Item]:
        return [
            Item(ItemKind.PATENT, t.patent_number, ("transfers", i, "patent_number"))
            for i, t in enumerate(self.transfers)
        ]


class Product(BaseModel):
    model_config = STRICT
    name: Text
    recognition_no: Text
    recognised_on: IsoDate


class M09Evidence(Evidence):
    products: list[Product] = Field(min_length=1)

    def items(self) -> list[Item]:
        return [
            Item(ItemKind.PRODUCT, p.recognition_no, ("products", i, "recognition_no"))
            for i, p in enumerate(self.products)
        ]


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

    def items(self) -> list[Item]:
        return [Item(ItemKind.CONTRACT, self.loan.contract_no, ("loan", "contract_no"))]


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


class M12Evidence(Evidence):
    case: EnforcementCase

    def items(self) -> list[Item]:
        return [Item(ItemKind.JUDGMENT, self.case.judgment_no, ("case", "judgment_no"))]


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
    drafting_rank: int = Field(ge=1, le=MAX_COUNT)
    published_on: IsoDate


class M15Evidence(Evidence):
    group_standard: GroupStandard | None = None
    local_standard: LocalStandard | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> M15Evidence:
        if (self.group_standard is None) == (self.local_standard is None):
            raise ValueError("须且只能提供group_standard或local_standard之一")
        return self

    def items(self) -> list[Item]:
        branch = "group_standard" if self.group_standard is not None else "local_standard"
        standard = self.group_standard or self.local_standard
        return [Item(ItemKind.STANDARD, standard.code, (branch, "code"))] if standard else []


class Centre(BaseModel):
    model_config = STRICT
    name: Text
    established_on: IsoDate


class M17Evidence(Evidence):
    centre: Centre

    def items(self) -> list[Item]:
        return [Item(ItemKind.NAME, self.centre.name, ("centre", "name"))]


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
