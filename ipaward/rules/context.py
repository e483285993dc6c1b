"""The one input every rule takes: parameters on the reference date, facts, prior awards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from ipaward.config.edition import Edition, Measure
from ipaward.config.parameters import ParameterView
from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence
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
    local_places: frozenset[str] = frozenset()
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

    def is_local(self, place: str) -> bool:
        """A third party counts as a Zhangzhou one only in one of the 16 jurisdictions."""
        return place in self.local_places

    def in_force(self, on: dt.date) -> bool:
        return self.edition.covers(on)

    def other_awards_for(self, items: set[str]) -> int:
        """就高从优不重复: what was already received elsewhere for these items."""
        return sum(award.amount for award in self.application.other_awards if award.item in items)
