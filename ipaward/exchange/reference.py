"""Which edition judges an application: the one in force on its event (reference) date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ipaward.config.edition import Edition
from ipaward.config.policy import Policy, edition_for_year
from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import (
    Evidence,
    M03Evidence,
    M06Evidence,
    M10Evidence,
    M12Evidence,
    M15Evidence,
)

YEARLY_MEASURES = frozenset({"M07", "M09", "M13", "M14", "M17"})


@dataclass(frozen=True)
class Reference:
    """The edition (None when no edition covers the date) and the date that chose it."""

    edition: Edition | None
    on: dt.date
    by_year: bool


def event_date(envelope: ApplicationEnvelope, evidence: Evidence, as_of: dt.date) -> dt.date:
    """The event an application is about (grant, certification, judgment …)."""
    match evidence:
        case M03Evidence():
            return evidence.certification.certified_on
        case M06Evidence():
            return evidence.grading.graded_on
        case M10Evidence():
            return evidence.loan.defaulted_on
        case M12Evidence():
            return evidence.case.won_on
        case M15Evidence():
            standard = evidence.group_standard or evidence.local_standard
            assert standard is not None  # the model guarantees exactly one
            return standard.published_on
    if envelope.measure == "M01" and envelope.applicant.introduced_on is not None:
        return envelope.applicant.introduced_on
    return as_of  # M02: a city unit's budget request is judged on its filing date


def reference_for(
    policy: Policy, envelope: ApplicationEnvelope, evidence: Evidence, as_of: dt.date
) -> Reference:
    if envelope.measure in YEARLY_MEASURES and envelope.year is not None:
        edition, on = edition_for_year(policy, envelope.year)
        return Reference(edition=edition, on=on, by_year=True)
    on = event_date(envelope, evidence, as_of)
    return Reference(edition=policy.edition_on(on), on=on, by_year=False)
