"""Intake checks: documents, items claimed twice, the validity window.

A missing, mismatched or unreadable file is a reason to ask for 补正, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import Application, Document, EvidenceItem
from ipaward.labels import label
from ipaward.repository.ledger import describe_item
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import FINAL_STATES, STATE_NAMES


@dataclass(frozen=True)
class IntakeResult:
    correction_items: list[dict[str, Any]]  # what the applicant must supply or fix
    review_findings: list[dict[str, str]]  # what the reviewers must see
    outside_validity: bool


def run_intake_checks(
    session: Session, ctx: WorkflowContext, application: Application
) -> IntakeResult:
    return IntakeResult(
        correction_items=_document_problems(session, ctx, application),
        review_findings=_claimed_elsewhere(session, application),
        outside_validity=any(
            finding.get("code") == "outside_validity"
            for finding in (application.assessment or {}).get("findings", [])
        ),
    )


def _document_problems(
    session: Session, ctx: WorkflowContext, application: Application
) -> list[dict[str, Any]]:
    edition = ctx.policy.edition(application.edition)
    measure = edition.measure(application.measure)
    documents = list(
        session.scalars(select(Document).where(Document.application_id == application.id))
    )
    items: list[dict[str, Any]] = []
    for document in documents:
        if document.check_status != "ok":
            items.append(
                {
                    "field": f"documents[{document.kind}]",
                    "kind": document.kind,
                    "name": document.name,
                    "reason": document.check_message or f"材料{document.name}未通过检查",
                }
            )
    present = {d.kind for d in documents if d.check_status == "ok"}
    declared = {d.kind for d in documents}
    for kind in measure.required_documents:
        if kind not in present and kind not in declared:
            name = label(kind, "documents")
            items.append(
                {"field": f"documents[{kind}]", "kind": kind, "reason": f"缺少材料“{name}”"}
            )
    return items


def _claimed_elsewhere(session: Session, application: Application) -> list[dict[str, str]]:
    """Items this application claims that another live or paid application also claims."""
    mine = select(EvidenceItem.item_key).where(EvidenceItem.application_id == application.id)
    rows = session.execute(
        select(EvidenceItem.item_key, Application.number, Application.state)
        .join(Application, EvidenceItem.application_id == Application.id)
        .where(
            EvidenceItem.item_key.in_(mine),
            Application.id != application.id,
        )
    ).all()
    return [
        {
            "code": "claimed_elsewhere",
            "path": "$.evidence",
            "message": f"{describe_item(key)}同时见于申请{number}"
            f"({STATE_NAMES.get(state, state)}),须核实是否重复申报",
        }
        for key, number, state in rows
        if state not in FINAL_STATES or state == "paid"
    ]
