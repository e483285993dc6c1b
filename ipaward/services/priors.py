"""Read what the ledger already paid, for the rule of one application."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ipaward.assessment import item_keys
from ipaward.exchange.validate import ValidApplication
from ipaward.repository.ledger import load_prior_awards
from ipaward.rules.facts import PriorAwards


def prior_awards(session: Session, application: ValidApplication, *, as_of: dt.date) -> PriorAwards:
    """The ledger facts the measure's rule reads, under the measure's identity (the same in
    every edition): its fund's balance where it draws on one, its budget of the year (the
    reward year, else the filing year) where one is set."""
    edition = application.reference.edition
    measure = edition.measures.get(application.measure) if edition is not None else None
    year = application.envelope.year
    return load_prior_awards(
        session,
        measure=application.identity,
        recipient_uscc=application.envelope.applicant.uscc,
        year=year,
        budget_year=year or as_of.year,
        item_keys=item_keys(application),
        fund_code=measure.fund.code if measure is not None and measure.fund else None,
    )
