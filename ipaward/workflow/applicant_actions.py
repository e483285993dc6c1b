"""What the applicant or the public may do: withdraw, object during 公示, resubmit after 补正."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ipaward.exchange.validate import ValidApplication
from ipaward.lifecycle.declared import Role
from ipaward.repository.work_items import cancel_open_items
from ipaward.services.files import CheckedDocument
from ipaward.services.intake import replace_claims
from ipaward.workflow import handoff
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.diff import json_diff
from ipaward.workflow.errors import InvalidAction
from ipaward.workflow.queries import load_for_update
from ipaward.workflow.states import (
    CORRECTION_REQUESTED,
    FINAL_STATES,
    STATE_NAMES,
)
from ipaward.workflow.transitions import move


def withdraw(session: Session, ctx: WorkflowContext, *, number: str, actor: str) -> None:
    """The applicant may withdraw at any time before payment."""
    application = load_for_update(session, number=number)
    if application.state in FINAL_STATES:
        raise InvalidAction(f"申请{number}{STATE_NAMES[application.state]},不能撤回")
    cancel_open_items(session, application_id=application.id)
    move(session, application, "withdraw", by=Role.APPLICANT, actor=actor)
    handoff.ask(session, application, reason="申请人撤回")  # its list, if any, drops the line


def resubmit(
    session: Session,
    ctx: WorkflowContext,
    *,
    number: str,
    application: ValidApplication,
    checks: list[CheckedDocument],
    today: dt.date,
    actor: str,
) -> list[dict[str, object]]:
    """Store the corrected application; the route resumes where it stopped. Returns the diff."""
    row = load_for_update(session, number=number)
    if row.state != CORRECTION_REQUESTED:
        raise InvalidAction(f"申请{number}{STATE_NAMES[row.state]},无需补正")
    if application.measure != row.measure:
        raise InvalidAction(f"补正材料的措施{application.measure}与原申请{row.measure}不一致")
    if application.envelope.applicant.uscc != row.applicant.uscc:
        raise InvalidAction("补正材料的申请人统一社会信用代码与原申请不一致")
    if application.jurisdiction.code != row.applicant.jurisdiction:
        raise InvalidAction(
            "补正不能更改申请人所在县(区)/开发区(审核路线已按其确定);请撤回后重新申报"
        )
    deadline = dt.date.fromisoformat((row.correction or {})["deadline"])
    if today > deadline:
        raise InvalidAction(f"补正期限已于{deadline}届满,逾期补正不予接收")
    changes = json_diff(row.payload, application.raw)
    row.payload = application.raw
    # A corrected reward year or event date is the one the ledger and caps must use; the
    # number keeps the year it was filed under (it is an identifier, not a fact).
    row.year = application.envelope.year
    row.reference_date = application.reference.on
    if application.reference.edition is not None:
        row.edition = application.reference.edition.code
    replace_claims(session, row, application, checks)
    row.correction = {
        **(row.correction or {}),
        "diff": changes,
        "resubmitted_on": today.isoformat(),
    }
    move(
        session, row, "resubmit", by=Role.APPLICANT, actor=actor, details={"changes": len(changes)}
    )
    handoff.ask(session, row, reason="申请人已补正")
    return changes
