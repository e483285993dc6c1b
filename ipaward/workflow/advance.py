"""Advance one application as far as automated steps allow, then stop at a human gate.

Idempotent: every step reads the current state; work items, notices and ledger rows are
keyed uniquely, so running twice (or again after a crash, whose transaction rolled back)
changes nothing more than running once. No step waits for a person.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ipaward.db.models import Application, Notice
from ipaward.lifecycle.route_plan import PlannedStage
from ipaward.notices.dates import chinese_date
from ipaward.repository.runs import NO_RUN, RunRef, record_run
from ipaward.workflow import handoff, notify
from ipaward.workflow import route_snapshot as route
from ipaward.workflow.acceptance import accept_or_return
from ipaward.workflow.advance_report import AdvanceReport
from ipaward.workflow.completion import judge
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.limits import stored_deadline
from ipaward.workflow.objection_review import resolve_objection
from ipaward.workflow.payment import pay
from ipaward.workflow.queries import load_for_update, waiting_on
from ipaward.workflow.stages import Issue, enter_stage, stage_work_items
from ipaward.workflow.states import (
    CORRECTION_REQUESTED,
    IN_REVIEW,
    OBJECTION_STAGE,
    PUBLICITY,
    PUBLICITY_STAGE,
    RESUBMITTED,
    STAGE_NAMES,
    SUBMITTED,
)
from ipaward.workflow.transitions import reject, request_correction

MAX_STEPS = 12  # a route has at most a handful of automated steps in a row


def advance_application(
    session: Session,
    ctx: WorkflowContext,
    *,
    application_id: int,
    today: dt.date,
    run: RunRef = NO_RUN,
) -> AdvanceReport:
    """`run`: the Prefect run doing this, recorded on the application in this transaction."""
    application = load_for_update(session, application_id=application_id)
    record_run(session, run, application_id=application.id)
    report = AdvanceReport(number=application.number, measure=application.measure)
    for _ in range(MAX_STEPS):
        if not _step(session, ctx, application, today=today, report=report):
            break
    report.state, report.stage = application.state, application.stage
    report.waiting_on = waiting_on(session, ctx, application, today=today)
    handoff.after_advance(session, ctx, application, today=today)
    return report


def _step(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    today: dt.date,
    report: AdvanceReport,
) -> bool:
    state = application.state
    if state in (SUBMITTED, RESUBMITTED):
        accept_or_return(session, ctx, application, today=today, report=report)
        return True
    if state == CORRECTION_REQUESTED:
        return _lapse_if_overdue(session, ctx, application, today=today, report=report)
    if state == PUBLICITY:
        assert application.publicity_ends_on is not None
        if today <= application.publicity_ends_on:
            return False
        report.note(f"公示期满({application.publicity_ends_on})无异议")
        _next(session, ctx, application, after=PUBLICITY_STAGE, today=today, report=report)
        return True
    if state == IN_REVIEW:
        return _human_stage(session, ctx, application, today=today, report=report)
    return False  # paid, rejected, withdrawn: nothing more to do


def _lapse_if_overdue(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    today: dt.date,
    report: AdvanceReport,
) -> bool:
    deadline = dt.date.fromisoformat((application.correction or {})["deadline"])
    if today <= deadline:
        return False
    # 视为放弃申请: the refusal is the decision the 补正 notice announced (不予受理 before
    # acceptance, 不予奖励 after it), with the deadline written as the notice wrote it
    reason = f"未在补正期限（{chinese_date(deadline)}）内补正材料，视为放弃申请"
    reject(
        session,
        ctx,
        application,
        today=today,
        reason=reason,
        actor=ctx.procedure.system_actor,
        report=report,
    )
    return True


def _human_stage(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    today: dt.date,
    report: AdvanceReport,
) -> bool:
    stage = application.stage
    assert stage is not None
    items = stage_work_items(session, ctx, application, today=today)
    spec = (
        PlannedStage(name=OBJECTION_STAGE, who="lead", departments=None)
        if stage == OBJECTION_STAGE
        else route.plan(application).stage(stage)
    )
    verdict = judge(items, completion=spec.completion, ratio=spec.ratio)
    if verdict.verdict == "waiting":
        return False
    decision = verdict.deciding.decision if verdict.deciding else None
    if verdict.verdict == "returned":
        assert decision is not None
        days, adjusted = stored_deadline(ctx.procedure, decision.details.get("deadline_days"))
        if adjusted:
            report.note(adjusted)
        request_correction(
            session,
            ctx,
            application,
            today=today,
            items=list(decision.details.get("items", [])),
            requested_by=decision.department,
            resume_stage=stage,
            days=days,
            comment=decision.comment,
            report=report,
        )
    elif verdict.verdict == "rejected":
        assert decision is not None
        reason = decision.comment
        if stage == OBJECTION_STAGE:  # upheld: the refusal names the objector and the reason
            reason = resolve_objection(application, decision, today=today)
        reject(
            session,
            ctx,
            application,
            today=today,
            reason=reason,
            actor=decision.department,
            report=report,
        )
    elif stage == OBJECTION_STAGE:
        [dismissing] = [i.decision for i in items if i.decision is not None]
        resolve_objection(application, dismissing, today=today)
        application.stage_round += 1
        report.note("异议不成立,重新公示")
        enter_stage(session, ctx, application, stage=PUBLICITY_STAGE, today=today, report=report)
    else:
        report.note(f"{STAGE_NAMES.get(stage, stage)}完成")
        _next(
            session,
            ctx,
            application,
            after=stage,
            today=today,
            report=report,
            also=_when_done(session, ctx, application, spec, today=today),
        )
    return True


def _when_done(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    spec: PlannedStage,
    *,
    today: dt.date,
) -> Issue:
    """The notice a completed stage sends the applicant, as its route says (none by default)."""

    def review_result() -> list[Notice | None]:
        return [notify.review_result(session, ctx, application, today=today)]

    return review_result if spec.notify_when_done == "review_result" else lambda: []


def _next(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    after: str,
    today: dt.date,
    report: AdvanceReport,
    also: Issue = lambda: [],
) -> None:
    following = route.plan(application).after(after)
    if following is None:
        pay(session, ctx, application, today=today, report=report, also=also)
    else:
        enter_stage(
            session, ctx, application, stage=following.name, today=today, report=report, also=also
        )
