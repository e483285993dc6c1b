"""Programme measures (M04 M05 M08 M11 M16 M18) pay nothing: each year the lead unit assigns
the work, every responsible unit reports back, and the lead compiles the year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ipaward.config.edition import Measure
from ipaward.repository import audit
from ipaward.repository.work_items import ensure_work_items, stage_items
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


def cycle_ref(measure: str, year: int) -> str:
    return f"{measure}:{year}"


def programme_measure(ctx: WorkflowContext, code: str, year: int) -> Measure:
    edition = ctx.policy.current(dt.date(year, 12, 31))
    measure = edition.measure(code)
    if measure.kind != "programme":
        raise ValueError(f"{code} is not a programme measure")
    return measure


def advance_programme(
    session: Session, ctx: WorkflowContext, *, measure_code: str, year: int, today: dt.date
) -> ProgrammeReport:
    """assign (lead) → report (each responsible unit) → compile (lead); idempotent."""
    check_year(year)
    measure = programme_measure(ctx, measure_code, year)
    ref = cycle_ref(measure_code, year)
    snapshot = resolve_route(measure, directory=ctx.policy.directory, jurisdiction=None)
    report = ProgrammeReport(cycle=ref)
    for stage in snapshot["stages"]:
        name = stage["stage"]
        due = ctx.calendar.add_working_days(today, stage.get("due_working_days") or 20).day
        existing = stage_items(session, application_id=None, cycle_ref=ref, stage=name, round=1)
        items = existing or ensure_work_items(
            session,
            application_id=None,
            cycle_ref=ref,
            stage=name,
            round=1,
            departments=stage["departments"],
            due_on=due,
        )
        if not existing:
            for item in items:
                report.notice_ids.append(
                    notify.programme_task(session, ctx, measure, item, year=year, today=today).id
                )
            report.steps.append(f"{STAGE_NAMES.get(name, name)}:向{len(items)}个单位下达待办")
            audit.record(
                session,
                actor=ctx.procedure.system_actor,
                action="programme.stage",
                entity="programme",
                entity_id=ref,
                details={"stage": name, "departments": stage["departments"]},
            )
        report.stage = name
        if any(item.state == "open" for item in items):
            return report
        if name == "report":
            report.reports = {
                item.department: item.decision.comment
                for item in items
                if item.decision is not None
            }
    report.done = True
    report.steps.append(f"{year}年度工作已汇总完成")
    return report
