"""The one input every rule takes: parameters on the reference date, facts, prior awards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from ipaward.config.edition import Edition, Measure
from ipaward.config.parameters import ParameterView
from ipaward.config.places import Place, PlaceIndex
from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence
from ipaward.exchange.identities import ItemKind, identities
from ipaward.rules.facts import PriorAwards

E = TypeVar("E", bound=Evidence)


@dataclass(frozen=True, kw_only=True)
class RuleInput(Generic[E]):
    edition: Edition
    measure: Measure
    params: ParameterView
    application: ApplicationEnvelope
    evidence: E
    prior: PriorAwards
    places: PlaceIndex
    root: str = "$"

    @property
    def on(self) -> dt.date:
        return self.params.on

    @property
    def clause(self) -> str:
        return self.measure.clause

    @property
    def uscc(self) -> str:
        return self.application.applicant.uscc

    def path(self, *parts: str | int) -> str:
        path = self.root
        for part in parts:
            path += f"[{part}]" if isinstance(part, int) else f".{part}"
        return path

    def locate(self, place: str) -> Place:
        """Where a third party is: in one of the 16 jurisdictions, outside, or unknown."""
        return self.places.locate(place)

    def in_force(self, on: dt.date) -> bool:
        return self.edition.covers(on)

    def received_elsewhere(self) -> int:
        """就高从优不重复 for an award of the application as a whole: declarations naming any of
        its items or the applicant itself."""
        return self.other_awards_for({*self.evidence.item_ids(), self.uscc})

    def other_awards_for(self, items: set[str]) -> int:
        """就高从优不重复: what was already received elsewhere for these items (identities; the
        applicant's USCC stands for awards declared for the applicant as a whole)."""
        kinds = self.evidence.item_kinds() | {ItemKind.USCC}
        return sum(
            award.amount
            for award in self.application.other_awards
            if identities(award.item, kinds) & items
        )
