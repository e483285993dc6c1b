"""What the return (补正) form offers for a work item: its application's checklist documents
and evidence fields, each to tick with a reason (an annual list's item offers none)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ipaward.db.models import WorkItem
from ipaward.web.reads.application_page import document_kinds, evidence_paths, measure_identity
from ipaward.workflow.context import WorkflowContext


def return_documents(session: Session, ctx: WorkflowContext, item: WorkItem) -> list[str]:
    if item.application_id is None:
        return []
    return document_kinds(session, ctx, application_id=item.application_id)


def return_fields(
    session: Session, ctx: WorkflowContext, item: WorkItem
) -> tuple[list[str], str | None]:
    """The evidence fields (paths) and the measure's identity that labels them."""
    if item.application_id is None:
        return [], None
    found = {"application_id": item.application_id}
    return evidence_paths(session, ctx, **found), measure_identity(session, ctx, **found)
