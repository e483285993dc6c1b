"""A policy edition: its measures, their routes, documents and dated parameters, from TOML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from ipaward.config.parameters import Parameter, ParameterView

MeasureKind = Literal["award", "annual", "claim", "budget", "programme"]
PAYING_KINDS: frozenset[str] = frozenset({"award", "annual", "claim", "budget"})
# Responsible-unit placeholders resolved per application (各县(区)人民政府、开发区(投资区)管委会).
OWN_JURISDICTION = "jurisdiction"
ALL_JURISDICTIONS = "jurisdictions"


@dataclass(frozen=True, kw_only=True)
class Stage:
    """One stage of a route. `who` picks the departments; `completion` says when it is done."""

    stage: str
    who: str | None
    completion: str
    completion_ratio: Fraction | None
    due_working_days: int | None
    working_days: int | None
    notify_when_done: str | None = None  # the notice kind the applicant gets when it completes
    budget_check: bool = False  # the budget is checked before the stage is entered


@dataclass(frozen=True, kw_only=True)
class Party:
    """A responsible unit and how it takes part: it countersigns, or it is copied; `why` says
    why where the part is a choice the text leaves open."""

    dept: str
    part: Literal["countersign", "copied"]
    why: str = ""


@dataclass(frozen=True, kw_only=True)
class FundSource:
    """A standing fund a measure pays from (its capacity is the dated `fund_capacity`)."""

    code: str
    name: str


@dataclass(frozen=True, kw_only=True)
class Measure:
    """One measure as an edition has it: `code` is the edition's clause number (M07), public
    in the exchange format; `identity` is the measure's own, stable across editions (its
    module, its ledger keys, caps and budgets)."""

    code: str
    identity: str
    clause: str
    title: str
    kind: MeasureKind
    lead: str
    route: tuple[Stage, ...]
    applicant_kinds: frozenset[str]
    responsible: tuple[Party, ...]
    required_documents: tuple[str, ...]
    optional_documents: tuple[str, ...]
    summary: str
    parameters: Mapping[str, Parameter]
    fund: FundSource | None = None

    @property
    def pays(self) -> bool:
        return self.kind in PAYING_KINDS

    @property
    def cites(self) -> str:
        """How explanations cite this measure: 第(七)条."""
        return f"第{self.clause}条"

    def params(self, on: dt.date) -> ParameterView:
        return ParameterView(self.parameters, on)


@dataclass(frozen=True, kw_only=True)
class Funding:
    """现行财政体制: the city's share of an award per jurisdiction; the rest is the county's."""

    default_city_share: Decimal
    to_be_confirmed: bool
    city_share: Mapping[str, Decimal]

    def city_share_for(self, jurisdiction_code: str) -> Decimal:
        return self.city_share.get(jurisdiction_code, self.default_city_share)


@dataclass(frozen=True, kw_only=True)
class Edition:
    code: str
    title: str
    issuer: str
    issued_on: dt.date
    valid_from: dt.date
    valid_until: dt.date
    implementing_unit: str
    funding: Funding
    document_kinds: Mapping[str, str]
    measures: Mapping[str, Measure]
    source: str
    extends: str | None = None

    def covers(self, on: dt.date) -> bool:
        return self.valid_from <= on <= self.valid_until

    def measure(self, code: str) -> Measure:
        return self.measures[code]

    def by_identity(self, identity: str) -> Measure | None:
        """This edition's measure of that identity (under whatever code it numbers it)."""
        return next((m for m in self.measures.values() if m.identity == identity), None)
