"""State changes with their audit row, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

import ipaward.workflow.notify as notify
from ipaward.db.models import Application
from ipaward.repository import audit
from ipaward.repository.work_items import cancel_open_items
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.report import AdvanceReport
from ipaward.workflow.states import CORRECTION_REQUESTED, REJECTED


def move(
    session: Session,
    application: Application,
    *,
    state: str,
    stage: str | None,
    actor: str,
    action: str,
    details: dict[str, Any] | None = None,
) -> None:
    before = {"state": application.state, "stage": application.stage}
    application.state, application.stage = state, stage
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="application",
        entity_id=application.number,
        details={"from": before, "to": {"state": state, "stage": stage}, **(details or {})},
    )
    session.flush()


def reject(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    today: dt.date,
    reason: str,
    actor: str,
    report: AdvanceReport,
) -> None:
    cancel_open_items(session, application_id=application.id)
    stage = application.stage
    move(
        session,
        application,
        state=REJECTED,
        stage=None,
        actor=actor,
        action="application.reject",
        details={"reason": reason, "at_stage": stage},
    )
    report.notice_ids.append(
        notify.refusal(session, ctx, application, today=today, reason=reason).id
    )
    report.note(f"不予奖励:{reason}")


def request_correction(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    today: dt.date,
    items: list[dict[str, Any]],
    requested_by: str,
    resume_stage: str | None,
    days: int,
    comment: str,
    report: AdvanceReport,
) -> None:
    """补正: every missing or faulty item at once (一次性告知), a deadline in working days."""
    deadline = ctx.calendar.add_working_days(today, days)
    previous = application.correction or {}
    application.correction = {
        "round": int(previous.get("round", 0)) + 1,
        "open": True,
        "items": items,
        "requested_by": requested_by,
        "requested_on": today.isoformat(),
        "deadline": deadline.day.isoformat(),
        "deadline_working_days": days,
        "deadline_provisional": deadline.provisional,
        "resume_stage": resume_stage,
        "comment": comment,
    }
    cancel_open_items(session, application_id=application.id)
    move(
        session,
        application,
        state=CORRECTION_REQUESTED,
        stage=None,
        actor=requested_by,
        action="application.return",
        details={"correction": application.correction},
    )
    report.notice_ids.append(notify.correction(session, ctx, application, today=today).id)
    report.note(f"要求补正{len(items)}项,期限{deadline.day}({days}个工作日)")
