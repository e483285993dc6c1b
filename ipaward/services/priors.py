"""Read what the ledger already paid, for the rule of one application."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ipaward.assessment import item_keys
from ipaward.exchange.validate import ValidApplication
from ipaward.repository.ledger import load_prior_awards
from ipaward.rules.facts import PriorAwards


def prior_awards(session: Session, application: ValidApplication, *, as_of: dt.date) -> PriorAwards:
    edition = application.reference.edition
    fund_code: str | None = None
    if edition is not None and application.measure == "M10":
        fund_code = edition.measure("M10").params(application.reference.on).text_value("fund_code")
    year = application.envelope.year
    if application.measure == "M02" and year is None:
        year = as_of.year  # a navigation budget is drawn from the filing year's budget
    return load_prior_awards(
        session,
        measure=application.measure,
        recipient_uscc=application.envelope.applicant.uscc,
        year=year,
        item_keys=item_keys(application),
        fund_code=fund_code,
    )
