"""An application's moves: the declared transitions (`ipaward.lifecycle.paths.APPLICATION`)
fired through the one route engine, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.orm import Session

import ipaward.workflow.notify as notify
from ipaward.db.models import Application, Notice
from ipaward.lifecycle.declared import Role
from ipaward.lifecycle.engine import Move, fire
from ipaward.lifecycle.paths import APPLICATION
from ipaward.notices.kinds import REFUSAL_DECISIONS
from ipaward.repository.work_items import cancel_open_items
from ipaward.workflow.advance_report import AdvanceReport
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.notice_parts import was_accepted


def move(
    session: Session,
    application: Application,
    transition: str,
    *,
    by: Role,
    actor: str,
    stage: str | None = None,
    details: dict[str, Any] | None = None,
    notices: Callable[[], Iterable[Notice | None]] | None = None,
) -> list[Notice]:
    """Fire one declared transition for this application (a chunk of one); its notices."""
    return fire(
        session,
        APPLICATION,
        transition,
        [Move(application.id, application.number, stage, details or {})],
        by=by,
        actor=actor,
        notices=notices,
    )


def by_whom(ctx: WorkflowContext, actor: str) -> Role:
    """The system's own steps, else a department deciding (its code is the actor)."""
    return Role.SYSTEM if actor == ctx.procedure.system_actor else Role.DEPARTMENT


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
    issued = move(
        session,
        application,
        "reject",
        by=by_whom(ctx, actor),
        actor=actor,
        details={"reason": reason, "at_stage": application.stage},
        notices=lambda: [notify.refusal(session, ctx, application, today=today, reason=reason)],
    )
    report.notice_ids.extend(notice.id for notice in issued)
    # the same decision the refusal notice states (不予受理 before a 受理通知书)
    decision = REFUSAL_DECISIONS["award" if was_accepted(session, application) else "acceptance"]
    report.note(f"{decision}:{reason}")


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
    issued = move(
        session,
        application,
        "request_correction",
        by=by_whom(ctx, requested_by),
        actor=requested_by,
        details={"correction": application.correction},
        notices=lambda: [notify.correction(session, ctx, application, today=today)],
    )
    report.notice_ids.extend(notice.id for notice in issued)
    report.note(f"要求补正{len(items)}项,期限{deadline.day}({days}个工作日)")
