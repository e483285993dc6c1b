"""The intake step: the file's checks decide whether the application is refused, returned for
补正 or accepted; an accepted one waits for its annual list or goes down its own route."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ipaward.db.models import Application, Notice
from ipaward.lifecycle.declared import Role
from ipaward.workflow import notify
from ipaward.workflow import route_snapshot as route
from ipaward.workflow.advance_report import AdvanceReport
from ipaward.workflow.checks import run_intake_checks
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.reassess import reassess
from ipaward.workflow.stages import Issue, enter_stage
from ipaward.workflow.states import RESUBMITTED, STAGE_NAMES
from ipaward.workflow.transitions import move, reject, request_correction


def accept_or_return(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    today: dt.date,
    report: AdvanceReport,
) -> None:
    """Refuse, return for 补正 (once, listing everything) or accept, from the file's checks."""
    result = run_intake_checks(session, ctx, application)
    reassess(session, ctx, application, review_findings=result.review_findings)
    actor = ctx.procedure.system_actor
    if result.outside_validity:
        reject(
            session,
            ctx,
            application,
            today=today,
            reason="申报事项不在政策有效期内,不予受理",
            actor=actor,
            report=report,
        )
        return
    resume = (
        (application.correction or {}).get("resume_stage")
        if application.state == RESUBMITTED
        else None
    )
    if result.correction_items:
        request_correction(
            session,
            ctx,
            application,
            today=today,
            items=result.correction_items,
            requested_by=actor,
            resume_stage=resume,
            days=ctx.procedure.correction_working_days,
            comment="材料形式审查未通过,请一次性补正以下材料",
            report=report,
        )
        return
    if application.correction:
        application.correction = {**application.correction, "open": False}
    report.note(
        "形式审查通过" + (f",恢复至{STAGE_NAMES.get(resume, resume)}" if resume else ",予以受理")
    )
    if resume:
        application.stage_round += 1
        enter_stage(session, ctx, application, stage=resume, today=today, report=report)
        return

    def acceptance() -> list[Notice | None]:
        return [notify.accepted(session, ctx, application, today=today)]

    if settled_in_cycle(ctx, application):
        issued = move(
            session,
            application,
            "await_list",
            by=Role.SYSTEM,
            actor=ctx.procedure.system_actor,
            details={"year": application.year},
            notices=acceptance,
        )
        report.notice_ids.extend(notice.id for notice in issued)
        report.note(f"{application.year}年度集中评审:待年度结算批次")
        return
    route_individually(session, ctx, application, today=today, report=report, also=acceptance)


def settled_in_cycle(ctx: WorkflowContext, application: Application) -> bool:
    """Annual measures are settled per recipient and year in the annual cycle [choice: config]."""
    measure = ctx.policy.edition(application.edition).measure(application.measure)
    return measure.kind == "annual" and ctx.procedure.annual_measures_in_cycle


def route_individually(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    today: dt.date,
    report: AdvanceReport,
    also: Issue = lambda: [],
) -> None:
    """Send an accepted application down its own route (also a cycle line taken out of the list)."""
    first = route.plan(application).after(None)
    assert first is not None, "a route has at least one stage"
    enter_stage(session, ctx, application, stage=first.name, today=today, report=report, also=also)
