"""Store validated applications: applicant, application with its assessment and route
snapshot, evidence items, declared documents and an audit row, all in the caller's
transaction (a file is stored whole or not at all). A second live application of one
applicant for one once-only item is refused, naming the first (`live_claims.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ipaward.assessment import Assessment, assess
from ipaward.config.policy import Policy
from ipaward.db.models import Applicant, Application, Document, EvidenceItem
from ipaward.exchange.validate import ValidApplication
from ipaward.lifecycle.declared import Role
from ipaward.lifecycle.engine import Move, born
from ipaward.lifecycle.paths import APPLICATION
from ipaward.repository import follow_ups
from ipaward.repository.counters import next_value
from ipaward.repository.follow_ups import Subject
from ipaward.routing import resolve_route
from ipaward.services.files import CheckedDocument
from ipaward.services.live_claims import lock_applicant, refuse_second_live, refuse_within_filing
from ipaward.services.priors import prior_awards

SUBMITTED = "submitted"


@dataclass(frozen=True)
class Submitted:
    number: str
    application_id: int
    assessment: Assessment
    follow_up_id: int  # intake runs in the background, after the commit


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
    checks: Sequence[Sequence[CheckedDocument]] | None = None,
) -> list[Submitted]:
    """Store each application with its document checks (None: declared only, not yet seen).

    Raises SecondLiveApplication (nothing of the filing may then be committed) when an
    applicant files an item its own live application already claims."""
    per_application = checks if checks is not None else [[] for _ in applications]
    refuse_within_filing(
        applications, [{key for key, _, _ in evidence_items(a)} for a in applications]
    )
    # every applicant locked up front, in one order: two filings never wait on each other
    for application in sorted(applications, key=lambda a: a.envelope.applicant.uscc):
        lock_applicant(session, application)
    return [
        _store(session, policy, application, as_of, actor, list(found))
        for application, found in zip(applications, per_application, strict=True)
    ]


def _store(
    session: Session,
    policy: Policy,
    application: ValidApplication,
    as_of: dt.date,
    actor: str,
    checks: list[CheckedDocument],
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
        assessment=assessment.record(),
        route=route,
        reference_date=application.reference.on,
        submitted_on=as_of,
    )
    session.add(row)
    session.flush()
    replace_claims(session, row, application, checks)
    intake = follow_ups.request(session, Subject(application_id=row.id), reason="申报,待受理检查")
    born(
        session,
        APPLICATION,
        "submit",
        [
            Move(
                subject_id=row.id,
                ref=row.number,
                details={
                    "measure": row.measure,
                    "eligible": assessment.eligible,
                    "amount": assessment.amount,
                },
            )
        ],
        by=Role.APPLICANT,
        actor=actor,
    )
    session.flush()
    return Submitted(
        number=row.number, application_id=row.id, assessment=assessment, follow_up_id=intake.id
    )


def replace_claims(
    session: Session, row: Application, application: ValidApplication, checks: list[CheckedDocument]
) -> None:
    """(Re)write the application's evidence items and documents from a validated filing;
    refused when another live application of the applicant claims one of its items."""
    claimed = evidence_items(application)
    session.scalars(
        select(Applicant.id).where(Applicant.id == row.applicant_id).with_for_update()
    ).one()
    refuse_second_live(
        session,
        applicant_id=row.applicant_id,
        application=application,
        keys=[key for key, _, _ in claimed],
        own_id=row.id,
    )
    session.execute(delete(EvidenceItem).where(EvidenceItem.application_id == row.id))
    session.execute(delete(Document).where(Document.application_id == row.id))
    for key, kind, data in claimed:
        session.add(EvidenceItem(application_id=row.id, item_key=key, kind=kind, data=data))
    by_name = {(c.check.kind, c.check.name): c for c in checks}
    for declared in application.envelope.documents:
        checked = by_name.get((declared.kind, declared.name))
        check = checked.check if checked else None
        session.add(
            Document(
                application_id=row.id,
                kind=declared.kind,
                name=declared.name,
                sha256=declared.sha256,
                size=check.size if check else None,
                media_type=check.media_type if check else None,
                stored_path=str(checked.stored_path) if checked and checked.stored_path else None,
                check_status=("ok" if check.ok else check.status) if check else "declared",
                check_message=check.message if check else None,
            )
        )
    session.flush()


def _applicant(session: Session, application: ValidApplication) -> Applicant:
    """One row per USCC, locked; the latest filing's name and place win (they are its own)."""
    facts = application.envelope.applicant
    applicant = lock_applicant(session, application)
    applicant.name, applicant.kind = facts.name, facts.kind
    applicant.jurisdiction = application.jurisdiction.code
    return applicant


def evidence_items(application: ValidApplication) -> list[tuple[str, str, dict[str, Any]]]:
    """The once-only items this application claims, each with its own evidence; an item the
    file lists twice is claimed once (its first listing)."""
    claims = application.definition.claimed(application.envelope, application.evidence)
    return [(claim.item_key, claim.kind, claim.data) for claim in claims]
