"""Entering a stage of the route: work items for its departments, or the publicity window."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ipaward.db.models import Application, WorkItem
from ipaward.repository.work_items import ensure_work_items
from ipaward.workflow import notify, route
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.report import AdvanceReport
from ipaward.workflow.states import (
    IN_REVIEW,
    OBJECTION_STAGE,
    PUBLICITY,
    PUBLICITY_STAGE,
    STAGE_NAMES,
)
from ipaward.workflow.transitions import move

OBJECTION_DUE_WORKING_DAYS = 5


def enter_stage(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    stage: str,
    today: dt.date,
    report: AdvanceReport,
) -> None:
    if stage == PUBLICITY_STAGE:
        _open_publicity(session, ctx, application, today=today, report=report)
        return
    move(
        session,
        application,
        state=IN_REVIEW,
        stage=stage,
        actor=ctx.procedure.system_actor,
        action="application.stage",
        details={"round": application.stage_round},
    )
    items = stage_work_items(session, ctx, application, today=today)
    for item in items:
        report.notice_ids.append(notify.task(session, ctx, application, item, today=today).id)
    names = "、".join(ctx.policy.directory.department(i.department).short for i in items)
    report.note(f"进入{STAGE_NAMES.get(stage, stage)}(第{application.stage_round}轮):待{names}办理")


def stage_work_items(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date
) -> list[WorkItem]:
    """The current stage's work items, created if missing (idempotent after a crash)."""
    assert application.stage is not None
    days: int | None
    if application.stage == OBJECTION_STAGE:
        departments, days = [route.lead(application)], OBJECTION_DUE_WORKING_DAYS
    else:
        spec = route.stage_spec(application, application.stage)
        departments, days = list(spec["departments"]), spec.get("due_working_days")
    due = ctx.calendar.add_working_days(today, days).day if days else None
    return ensure_work_items(
        session,
        application_id=application.id,
        stage=application.stage,
        round=application.stage_round,
        departments=departments,
        due_on=due,
    )


def _open_publicity(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    today: dt.date,
    report: AdvanceReport,
) -> None:
    """公示 for the configured working days; written, named objections may reopen it."""
    spec = route.stage_spec(application, PUBLICITY_STAGE)
    ends = ctx.calendar.add_working_days(today, int(spec.get("working_days", 5)))
    application.publicity_ends_on = ends.day
    move(
        session,
        application,
        state=PUBLICITY,
        stage=PUBLICITY_STAGE,
        actor=ctx.procedure.system_actor,
        action="application.publicity",
        details={"ends_on": ends.day.isoformat(), "provisional": ends.provisional},
    )
    report.notice_ids.append(notify.publicity(session, ctx, application, today=today).id)
    report.note(f"公示至{ends.day}" + ("(日历待确认)" if ends.provisional else ""))
