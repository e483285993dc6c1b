"""What a measure is, in code: one module per measure declares it with `MeasureDefinition`.

The module holds what only code can say — the evidence model, the event that dates an
application, the once-only items and their ledger keys, and the formula, with named variants
an edition selects from a date (a dated `formula` parameter, OpenFisca style). Everything
else — kind, route, checklist, amounts, fund, budget — is the edition's config, which maps
its clause numbers (M07) onto the measure's stable identity (`patent-transfers`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence
from ipaward.exchange.problems import Problem
from ipaward.rules.result import RuleResult
from ipaward.rules.rule_context import RuleInput

Formula = Callable[[RuleInput[Any]], RuleResult]
FORMULA_PARAMETER = "formula"


@dataclass(frozen=True)
class Claim:
    """One once-only item an application claims, with its own evidence (intake compares claims
    across applications; the annual lists resolve items two recipients claim)."""

    item_key: str
    kind: str
    data: dict[str, Any]


def _no_event(application: ApplicationEnvelope, evidence: Any) -> dt.date | None:
    return None


Check = tuple[str, tuple[str, ...], str]  # (problem code, path under the application, reason)


def _no_checks(application: ApplicationEnvelope, evidence: Any) -> list[Check]:
    return []


@dataclass(frozen=True, kw_only=True)
class MeasureDefinition:
    identity: str  # stable across editions: ledger keys and caps are kept under it
    evidence: type[Evidence]
    formulas: Mapping[str, Formula]  # name → formula; the first is the default
    item_keys: Callable[[ApplicationEnvelope, Any], list[str]]
    # The event that dates the application (grant, certification, judgment …); None: the
    # reward year (annual measures) or the filing date decides the edition.
    event_date: Callable[[ApplicationEnvelope, Any], dt.date | None] = _no_event
    # What the application claims, item by item; default: its item keys, with its evidence.
    claims: Callable[[ApplicationEnvelope, Any], list[Claim]] | None = None
    # Annual lists join one recipient's applications of a year into one: the evidence list
    # whose entries are joined (transfers, products); None: they are assessed in turn.
    joined_list: str | None = None
    # Fields the measure requires beyond the format ((path under the application), reason).
    checks: Callable[[ApplicationEnvelope, Any], list[Check]] = _no_checks

    def formula(self, name: str | None) -> Formula:
        """The named variant (from the edition's dated `formula` parameter), else the default."""
        if name is None:
            return next(iter(self.formulas.values()))
        if name not in self.formulas:
            raise LookupError(
                f"{self.identity}: no formula {name!r} (has {', '.join(self.formulas)})"
            )
        return self.formulas[name]

    def claimed(self, application: ApplicationEnvelope, evidence: Any) -> list[Claim]:
        """The claims, each item once (a file that lists an item twice claims it once)."""
        if self.claims is not None:
            found = self.claims(application, evidence)
        else:
            data = evidence.model_dump(mode="json")
            found = [
                Claim(key, self.identity, data) for key in self.item_keys(application, evidence)
            ]
        first: dict[str, Claim] = {}
        for claim in found:
            first.setdefault(claim.item_key, claim)
        return list(first.values())

    def problems(self, application: ApplicationEnvelope, evidence: Any, root: str) -> list[Problem]:
        return [
            Problem(code=code, path=".".join((root, *path)), message=reason)
            for code, path, reason in self.checks(application, evidence)
        ]


def item_key(identity: str, kind: str, *parts: str) -> str:
    """`patent-transfers:transfer:201710601862.3`: the measure's identity, never a clause."""
    return ":".join((identity, kind, *parts))
