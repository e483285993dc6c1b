"""Store validated applications: applicant, application with its assessment and route
snapshot, evidence items, declared documents and an audit row, all in the caller's
transaction (a file is stored whole or not at all)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.assessment import Assessment, assess, item_keys
from ipaward.config.policy import Policy
from ipaward.db.models import Applicant, Application, Document, EvidenceItem
from ipaward.exchange.evidence import M06Evidence, M07Evidence, M09Evidence
from ipaward.exchange.validate import ValidApplication
from ipaward.repository import audit
from ipaward.repository.counters import next_value
from ipaward.routing import resolve_route
from ipaward.rules.m06 import level_key
from ipaward.rules.m07 import transfer_key
from ipaward.rules.m09 import product_key
from ipaward.services.priors import prior_awards

SUBMITTED = "submitted"


@dataclass(frozen=True)
class Submitted:
    number: str
    application_id: int
    assessment: Assessment


def application_number(session: Session, *, year: int, measure: str) -> str:
    """ZZIP-2024-M07-000123: gap-free per reward year and measure."""
    serial = next_value(session, key=f"application:{year}:{measure}")
    return f"ZZIP-{year}-{measure}-{serial:06d}"


def submit(
    session: Session,
    *,
    policy: Policy,
    applications: list[ValidApplication],
    as_of: dt.date,
    actor: str,
) -> list[Submitted]:
    return [_store(session, policy, application, as_of, actor) for application in applications]


def _store(
    session: Session, policy: Policy, application: ValidApplication, as_of: dt.date, actor: str
) -> Submitted:
    envelope = application.envelope
    assessment = assess(
        application, policy=policy, prior=prior_awards(session, application, as_of=as_of)
    )
    applicant = _applicant(session, application)
    year = envelope.year or application.reference.on.year
    edition = application.reference.edition or policy.current(as_of)
    route = resolve_route(
        edition.measure(envelope.measure),
        directory=policy.directory,
        jurisdiction=application.jurisdiction,
        jurisdiction_amount=assessment.jurisdiction_amount,
    )
    row = Application(
        number=application_number(session, year=year, measure=envelope.measure),
        measure=envelope.measure,
        edition=edition.code,
        year=envelope.year,
        applicant=applicant,
        state=SUBMITTED,
        payload=application.raw,
        assessment=_assessment_record(assessment),
        route=route,
        reference_date=application.reference.on,
    )
    session.add(row)
    session.flush()
    for key, kind, data in evidence_items(application):
        session.add(EvidenceItem(application_id=row.id, item_key=key, kind=kind, data=data))
    for document in envelope.documents:
        session.add(
            Document(
                application_id=row.id,
                kind=document.kind,
                name=document.name,
                sha256=document.sha256,
            )
        )
    audit.record(
        session,
        actor=actor,
        action="application.submit",
        entity="application",
        entity_id=row.number,
        details={
            "measure": row.measure,
            "eligible": assessment.eligible,
            "amount": assessment.amount,
        },
    )
    session.flush()
    return Submitted(number=row.number, application_id=row.id, assessment=assessment)


def _applicant(session: Session, application: ValidApplication) -> Applicant:
    """One row per USCC; the latest filing's name and place win (they are the applicant's own)."""
    facts = application.envelope.applicant
    applicant = session.scalars(select(Applicant).filter_by(uscc=facts.uscc)).one_or_none()
    if applicant is None:
        applicant = Applicant(uscc=facts.uscc, name=facts.name, kind=facts.kind, jurisdiction="")
        session.add(applicant)
    applicant.name, applicant.kind = facts.name, facts.kind
    applicant.jurisdiction = application.jurisdiction.code
    return applicant


def evidence_items(application: ValidApplication) -> list[tuple[str, str, dict[str, Any]]]:
    """The once-only items this application claims, each with its own evidence."""
    evidence = application.evidence
    match evidence:
        case M07Evidence():
            return [
                (transfer_key(t.patent_number), "transfer", t.model_dump(mode="json"))
                for t in evidence.transfers
            ]
        case M09Evidence():
            return [
                (product_key(p.recognition_no), "product", p.model_dump(mode="json"))
                for p in evidence.products
            ]
        case M06Evidence():
            keys = [level_key(application.envelope.applicant.uscc, evidence.grading.level)]
        case _:
            keys = item_keys(application)
    return [(key, application.measure, evidence.model_dump(mode="json")) for key in keys]


def _assessment_record(assessment: Assessment) -> dict[str, Any]:
    return {
        **assessment.public(),
        "edition": assessment.edition,
        "reference_date": assessment.reference_date.isoformat(),
        "city_amount": assessment.city_amount,
        "jurisdiction_amount": assessment.jurisdiction_amount,
        "yearly_cap": assessment.yearly_cap,
        "ledger_lines": [
            {"item_key": line.item_key, "amount": line.amount} for line in assessment.ledger_lines
        ],
    }
