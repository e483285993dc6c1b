"""Programme measures (M04 M05 M08 M11 M16 M18 in 2024) pay nothing: each year the lead unit
assigns the work, every responsible unit reports back, and the lead compiles the year. A
programme's year is a subject like any other: a `programmes` row, its route snapshotted when
the year's work is first assigned, moved by the route engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ipaward.config.edition import Measure
from ipaward.db.models import Notice, Programme, WorkItem
from ipaward.lifecycle.declared import Role
from ipaward.lifecycle.engine import Move, born, fire
from ipaward.lifecycle.paths import PROGRAMME
from ipaward.lifecycle.route_plan import PlannedStage, RoutePlan
from ipaward.lifecycle.states import ProgrammeState
from ipaward.repository._savepoint import insert_unless_present
from ipaward.repository.work_items import Subject, ensure_work_items, stage_items
from ipaward.routing import resolve_route
from ipaward.workflow import notify
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.limits import check_year
from ipaward.workflow.states import STAGE_NAMES


@dataclass
class ProgrammeReport:
    cycle: str
    stage: str = ""
    done: bool = False
    steps: list[str] = field(default_factory=list)
    notice_ids: list[int] = field(default_factory=list)
    reports: dict[str, str] = field(default_factory=dict)


def programme_ref(measure: str, year: int) -> str:
    """How the audit log names a programme's year: "M04:2025"."""
    return f"{measure}:{year}"


def programme_measure(ctx: WorkflowContext, code: str, year: int) -> Measure:
    edition = ctx.policy.current(dt.date(year, 12, 31))
    measure = edition.measure(code)
    if measure.kind != "programme":
        raise ValueError(f"{code} is not a programme measure")
    return measure


def ensure_programme(
    session: Session, ctx: WorkflowContext, measure: Measure, year: int
) -> Programme:
    """The programme's year, created (its route snapshotted) the first time it is worked on."""
    route = resolve_route(measure, directory=ctx.policy.directory, jurisdiction=None)
    first = RoutePlan.from_snapshot(route).after(None)
    created = insert_unless_present(
        session,
        insert(Programme).values(
            measure=measure.code,
            year=year,
            state=ProgrammeState.IN_PROGRESS.value,
            stage=first.name if first else None,
            route=route,
            version=1,
        ),
    )
    programme = session.scalars(
        select(Programme)
        .where(Programme.measure == measure.code, Programme.year == year)
        .with_for_update()
    ).one()
    if created:
        born(
            session,
            PROGRAMME,
            "start",
            [Move(programme.id, programme_ref(measure.code, year), programme.stage)],
            by=Role.SYSTEM,
            actor=ctx.procedure.system_actor,
        )
    elif programme.route is None:  # a year begun before routes were snapshotted (0010)
        programme.route = route
    return programme


def advance_programme(
    session: Session, ctx: WorkflowContext, *, measure_code: str, year: int, today: dt.date
) -> ProgrammeReport:
    """assign (lead) → report (each responsible unit) → compile (lead); idempotent."""
    check_year(year)
    measure = programme_measure(ctx, measure_code, year)
    programme = ensure_programme(session, ctx, measure, year)
    ref = programme_ref(measure_code, year)
    report = ProgrammeReport(cycle=ref)
    subject = Subject(programme_id=programme.id)
    for stage in RoutePlan.from_snapshot(programme.route).stages:
        items = stage_items(session, subject=subject, stage=stage.name, round=1)
        if not items:
            items, issued = _enter(session, ctx, measure, programme, stage, year=year, today=today)
            report.notice_ids.extend(notice.id for notice in issued)
            report.steps.append(
                f"{STAGE_NAMES.get(stage.name, stage.name)}:向{len(items)}个单位下达待办"
            )
        report.stage = stage.name
        if any(item.state == "open" for item in items):
            return report
        if stage.name == "report":
            report.reports = {
                item.department: item.decision.comment
                for item in items
                if item.decision is not None
            }
    if programme.state != ProgrammeState.DONE:
        fire(
            session,
            PROGRAMME,
            "finish",
            [Move(programme.id, ref, None)],
            by=Role.SYSTEM,
            actor=ctx.procedure.system_actor,
        )
    report.done = True
    report.steps.append(f"{year}年度工作已汇总完成")
    return report


def _enter(
    session: Session,
    ctx: WorkflowContext,
    measure: Measure,
    programme: Programme,
    stage: PlannedStage,
    *,
    year: int,
    today: dt.date,
) -> tuple[list[WorkItem], list[Notice]]:
    """The stage's work items for its departments, and their task notices."""
    due = ctx.calendar.add_working_days(today, stage.due_working_days or 20).day
    items: list[WorkItem] = []

    def tasks() -> list[Notice | None]:
        items.extend(
            ensure_work_items(
                session,
                subject=Subject(programme_id=programme.id),
                stage=stage.name,
                round=1,
                departments=list(stage.departments or ()),
                due_on=due,
            )
        )
        return [
            notify.programme_task(session, ctx, measure, item, year=year, today=today)
            for item in items
        ]

    issued = fire(
        session,
        PROGRAMME,
        "enter_stage",
        [
            Move(
                programme.id,
                programme_ref(measure.code, year),
                stage.name,
                {"departments": list(stage.departments or ())},
            )
        ],
        by=Role.SYSTEM,
        actor=ctx.procedure.system_actor,
        notices=tasks,
    )
    return items, issued
