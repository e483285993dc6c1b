"""Entering a stage of the route: work items for its departments, or the publicity window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from ipaward.db.models import Application, Notice, WorkItem
from ipaward.lifecycle.declared import Role
from ipaward.repository.work_items import Subject, ensure_work_items
from ipaward.workflow import notify
from ipaward.workflow import route_snapshot as route
from ipaward.workflow.advance_report import AdvanceReport
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import OBJECTION_STAGE, STAGE_NAMES
from ipaward.workflow.transitions import move

OBJECTION_DUE_WORKING_DAYS = 5
Issue = Callable[[], Iterable[Notice | None]]


def _nothing() -> list[Notice | None]:
    return []


def enter_stage(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    stage: str,
    today: dt.date,
    report: AdvanceReport,
    also: Issue = _nothing,
) -> None:
    """Move into `stage` (`also`: notices the move issues besides its own, e.g. the
    acceptance or the review result of the stage just completed)."""
    if route.plan(application).stage(stage).is_publicity:
        _open_publicity(session, ctx, application, today=today, report=report, also=also)
        return
    _review(session, ctx, application, "enter_stage", stage, today, report, also=also)


def receive_objection(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date, by: str
) -> AdvanceReport:
    """A written, real-name objection reopens the application at 异议复核 (its lead decides)."""
    report = AdvanceReport(number=application.number, measure=application.measure)
    application.stage_round += 1
    _review(
        session, ctx, application, "receive_objection", OBJECTION_STAGE, today, report, actor=by
    )
    return report


def _review(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    transition: str,
    stage: str,
    today: dt.date,
    report: AdvanceReport,
    *,
    also: Issue = _nothing,
    actor: str | None = None,
) -> None:
    items: list[WorkItem] = []

    def task_notices() -> list[Notice | None]:
        first = list(also())  # the acceptance or the review result comes before the tasks
        items.extend(stage_work_items(session, ctx, application, today=today))
        return [*first, *(notify.task(session, ctx, application, i, today=today) for i in items)]

    issued = move(
        session,
        application,
        transition,
        by=Role.SYSTEM if actor is None else Role.PUBLIC,
        actor=actor or ctx.procedure.system_actor,
        stage=stage,
        details={"round": application.stage_round},
        notices=task_notices,
    )
    report.notice_ids.extend(notice.id for notice in issued)
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
        spec = route.plan(application).stage(application.stage)
        departments, days = list(spec.departments or ()), spec.due_working_days
    due = ctx.calendar.add_working_days(today, days).day if days else None
    return ensure_work_items(
        session,
        subject=Subject(application_id=application.id),
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
    also: Issue,
) -> None:
    """公示 for the configured working days; written, named objections may reopen it."""
    spec = route.plan(application).stage(route.PUBLICITY_STAGE)
    ends = ctx.calendar.add_working_days(today, spec.working_days or 5)
    application.publicity_ends_on = ends.day
    issued = move(
        session,
        application,
        "open_publicity",
        by=Role.SYSTEM,
        actor=ctx.procedure.system_actor,
        stage=spec.name,
        details={"ends_on": ends.day.isoformat(), "provisional": ends.provisional},
        notices=lambda: [*list(also()), notify.publicity(session, ctx, application, today=today)],
    )
    report.notice_ids.extend(notice.id for notice in issued)
    report.note(f"公示至{ends.day}" + ("(日历待确认)" if ends.provisional else ""))
