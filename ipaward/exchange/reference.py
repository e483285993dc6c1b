"""Which edition judges an application, and which measure its code names there.

An application names its measure by the clause number of an edition (M07). Editions may
number differently, so the code is read against every edition that has it: the measure it
names (its identity, its module) gives the evidence model and the event date, and the event
date (or, for an annual measure, the reward year) gives the edition; a reading is kept when
that edition numbers the measure with that code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ipaward.config.edition import Edition, Measure
from ipaward.config.policy import Policy, edition_for_year
from ipaward.exchange.application import ApplicationEnvelope

ANNUAL = "annual"


@dataclass(frozen=True)
class Reference:
    """The edition (None when no edition covers the date) and the date that chose it."""

    edition: Edition | None
    on: dt.date
    by_year: bool


def readings(policy: Policy, code: str) -> dict[str, Measure]:
    """Identity → the measure (as the latest edition having it words it) that `code` names."""
    found: dict[str, Measure] = {}
    for edition in policy.editions:
        measure = edition.measures.get(code)
        if measure is not None:
            found[measure.identity] = measure
    return found


def reference_for(
    policy: Policy,
    envelope: ApplicationEnvelope,
    measure: Measure,
    event: dt.date | None,
    as_of: dt.date,
) -> Reference:
    """The reward year judges an annual measure, the event date (or else the filing date,
    as for a navigation project's budget request) any other."""
    if measure.kind == ANNUAL and envelope.year is not None:
        edition, on = edition_for_year(policy, envelope.year)
        return Reference(edition=edition, on=on, by_year=True)
    on = event or as_of
    return Reference(edition=policy.edition_on(on), on=on, by_year=False)


def names_it(reference: Reference, code: str, identity: str) -> bool:
    """Whether the judging edition numbers this measure with this code (or none judges)."""
    if reference.edition is None:
        return True
    measure = reference.edition.measures.get(code)
    return measure is not None and measure.identity == identity
