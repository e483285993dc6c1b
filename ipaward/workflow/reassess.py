"""Assess a stored application again, against the ledger as it stands now."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ipaward import clock
from ipaward.assessment import Assessment, assess
from ipaward.db.models import Application
from ipaward.exchange.validate import ValidApplication, validate_items
from ipaward.services.priors import prior_awards
from ipaward.workflow.context import WorkflowContext


def stored_application(ctx: WorkflowContext, application: Application) -> ValidApplication:
    """The stored payload, validated again (it was valid when stored)."""
    as_of = application.submitted_on or clock.today()
    [valid] = validate_items([application.payload], ctx.policy, as_of=as_of, array=False)
    return valid


def reassess(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    review_findings: list[dict[str, str]] | None = None,
) -> Assessment:
    """Recompute with today's ledger (another application may have been paid meanwhile)."""
    valid = stored_application(ctx, application)
    result = assess(
        valid,
        policy=ctx.policy,
        prior=prior_awards(session, valid, as_of=application.submitted_on or clock.today()),
    )
    record = result.record()
    record["findings"] = [*record["findings"], *(review_findings or [])]
    application.assessment = record
    return result
