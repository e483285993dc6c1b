"""Advance one measure's cycle of one year as far as automated steps allow, then stop at the
next human gate. Cycle-level steps only (small transactions); the per-line work they leave
(lines taken out or refused, lines to pay) is done in chunks by `linework` and `payment`.

building → lead_review (the lead unit approves the list; lines it finds ineligible are
refused with the rule's reasons) → countersign (each responsible department once) → 公示
of the whole list → finance → paying → done. A decision may name lines to take out
(例外事项): they go back to the single-application route. A department refusing the whole
list sends every line back to it. The budget is checked before 公示, before finance and
before paying (the stages whose route says `budget_check`); over budget the cycle stops
(budget_stop) until config allows it. Every state change is a declared transition of
`ipaward.lifecycle.paths.ANNUAL_LIST`, fired through the route engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from ipaward.cycles import list_route as route
from ipaward.cycles.budget_check import check_budget
from ipaward.cycles.lines import (
    PAID,
    awaiting_groups,
    count_with,
    included,
    summarise,
    total_with,
)
from ipaward.cycles.list_notices import list_task, publicity
from ipaward.cycles.list_report import CycleReport, describe
from ipaward.cycles.takeout import (
    decided_exceptions,
    drop_withdrawn,
    refuse_unpaid,
    take_out,
    take_out_numbers,
)
from ipaward.db.models import Cycle, Notice
from ipaward.lifecycle.declared import Role
from ipaward.lifecycle.engine import Move, fire
from ipaward.lifecycle.paths import ANNUAL_LIST
from ipaward.lifecycle.route_plan import PlannedStage
from ipaward.lifecycle.states import AnnualListState
from ipaward.repository.cycles import BUILDING, find_cycle, is_open
from ipaward.repository.subjects import list_ref
from ipaward.repository.work_items import Subject, ensure_work_items, stage_items
from ipaward.workflow.completion import judge
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import STAGE_NAMES

IN_REVIEW, PUBLICITY, BUDGET_STOP, PAYING, DONE = (
    AnnualListState.IN_REVIEW,
    AnnualListState.PUBLICITY,
    AnnualListState.BUDGET_STOP,
    AnnualListState.PAYING,
    AnnualListState.DONE,
)
MAX_STEPS = 12
GUARDED = "paying"  # what a budget stop resumes to when no stage follows


def advance_cycle(
    session: Session, ctx: WorkflowContext, *, measure: str, year: int, today: dt.date
) -> CycleReport:
    """Idempotent: every step reads the cycle and its work items; running twice adds nothing."""
    report = CycleReport(measure=measure, year=year)
    cycle = find_cycle(session, measure=measure, year=year)
    if cycle is None:
        return report
    if cycle.state != DONE:
        dropped = drop_withdrawn(session, ctx, cycle)
        if dropped:
            report.note(f"{dropped}项申请已撤回,移出名单")
    for _ in range(MAX_STEPS):
        if not _step(session, ctx, cycle, today=today, report=report):
            break
        report.moved = True
    describe(session, cycle, report)
    return report


def _step(
    session: Session, ctx: WorkflowContext, cycle: Cycle, *, today: dt.date, report: CycleReport
) -> bool:
    if cycle.state == BUILDING:
        if not is_open(cycle, today):
            return False  # built as filings are accepted; worked on from its settlement day
        if awaiting_groups(session, cycle):
            return False  # the flow lines them up first, chunk by chunk
        summary = summarise(session, cycle)
        if not summary.count:
            _set(session, ctx, cycle, "finish", None, note="本年度无待结算申请")
            report.note("本年度无待结算申请,年度结算结束")
            return True
        report.note(f"名单生成:{summary.count}项,合计{summary.total}元")
        return _go(session, ctx, cycle, route.plan(ctx, cycle).after(None), today, report)
    if cycle.state == IN_REVIEW:
        return _review(session, ctx, cycle, today=today, report=report)
    if cycle.state == PUBLICITY:
        ends = dt.date.fromisoformat(cycle.details["publicity_ends_on"])
        if today <= ends:
            return False
        report.note(f"名单公示期满({ends})")
        following = route.plan(ctx, cycle).after(cycle.stage)
        return _go(session, ctx, cycle, following, today, report)
    if cycle.state == BUDGET_STOP:
        resume = str(cycle.details["budget_stop"]["resume"])
        if not _budget_allows(session, ctx, cycle, resume, report):
            return False
        report.note("预算核对通过,恢复办理")
        stage = None if resume == GUARDED else route.plan(ctx, cycle).stage(resume)
        return _enter(session, ctx, cycle, stage, today, report)
    if cycle.state == PAYING and not count_with(session, cycle):
        total = total_with(session, cycle, PAID)
        cycle.total = total
        _set(session, ctx, cycle, "finish", None, note=f"拨付完成,合计{total}元")
        report.note(f"名单拨付完成,合计{total}元")
        return True
    return False


def _review(
    session: Session, ctx: WorkflowContext, cycle: Cycle, *, today: dt.date, report: CycleReport
) -> bool:
    assert cycle.stage is not None
    spec = route.plan(ctx, cycle).stage(cycle.stage)
    items = stage_items(
        session, subject=Subject(cycle_id=cycle.id), stage=cycle.stage, round=cycle.stage_round
    )
    verdict = judge(items, completion=spec.completion, ratio=spec.ratio)
    if verdict.verdict == "waiting":
        return False
    name = STAGE_NAMES.get(cycle.stage, cycle.stage)
    if verdict.verdict in ("rejected", "returned"):
        decision = verdict.deciding.decision if verdict.deciding else None
        reason = decision.comment if decision else "名单未获通过"
        who = decision.department if decision else ""
        lines = included(session, cycle)
        take_out(session, ctx, cycle, lines, reason=f"名单未获通过,转逐件办理:{reason}", by=who)
        _set(session, ctx, cycle, "finish", None, note=f"{name}未通过名单:{reason}")
        report.note(f"{name}未通过名单({reason}),{len(lines)}项转逐件办理")
        return True
    exceptions = decided_exceptions(items)
    if exceptions:
        taken = take_out_numbers(session, ctx, cycle, exceptions, stage=cycle.stage)
        report.note(f"{name}列为例外事项{taken}项,转逐件办理")
    refused = refuse_unpaid(session, ctx, cycle)
    if refused:
        report.note(f"{name}确认不予奖励{refused}项(依规则核定金额为0)")
    report.note(f"{name}完成")
    return _go(session, ctx, cycle, route.plan(ctx, cycle).after(cycle.stage), today, report)


def _go(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    stage: PlannedStage | None,
    today: dt.date,
    report: CycleReport,
) -> bool:
    """Check the budget where the route says so (and always before payment); then enter the
    stage. A list with no line left (all refused or taken out) is done."""
    if not count_with(session, cycle):
        cycle.total = total_with(session, cycle, PAID)
        _set(session, ctx, cycle, "finish", None, note="名单已无待办理的申请")
        report.note("名单已无待办理的申请,年度结算结束")
        return True
    if stage is None or stage.budget_check:
        target = stage.name if stage is not None else GUARDED
        if not _budget_allows(session, ctx, cycle, target, report):
            return True
    return _enter(session, ctx, cycle, stage, today, report)


def _enter(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    stage: PlannedStage | None,
    today: dt.date,
    report: CycleReport,
) -> bool:
    summary = summarise(session, cycle)
    if stage is None:
        _set(session, ctx, cycle, "start_paying", None, note=f"{summary.count}项待拨付")
        report.note(f"名单审核完毕,{summary.count}项进入拨付")
        return True
    if stage.is_publicity:
        days = stage.working_days or 5
        ends = ctx.calendar.add_working_days(today, days)
        cycle.details = {
            **cycle.details,
            "publicity_ends_on": ends.day.isoformat(),
            "publicity_provisional": ends.provisional,
        }
        issued = _set(
            session,
            ctx,
            cycle,
            "open_publicity",
            stage.name,
            note=f"公示至{ends.day}",
            notices=lambda: [
                publicity(session, ctx, cycle, ends=ends.day, working_days=days, today=today)
            ],
        )
        report.notice_ids.extend(notice.id for notice in issued)
        report.note(
            f"名单{summary.count}项公示至{ends.day}" + ("(日历待确认)" if ends.provisional else "")
        )
        return True
    deciders = route.departments(ctx, cycle, stage, summary.shares)
    if not deciders or not summary.count:
        return _go(session, ctx, cycle, route.plan(ctx, cycle).after(stage.name), today, report)
    due = (
        ctx.calendar.add_working_days(today, stage.due_working_days).day
        if stage.due_working_days
        else None
    )

    def tasks() -> list[Notice | None]:
        items = ensure_work_items(
            session,
            subject=Subject(cycle_id=cycle.id),
            stage=stage.name,
            round=cycle.stage_round,
            departments=deciders,
            due_on=due,
        )
        return [
            list_task(
                session, ctx, cycle, item, lines=summary.count, total=summary.total, today=today
            )
            for item in items
        ]

    issued = _set(
        session, ctx, cycle, "enter_stage", stage.name, note="、".join(deciders), notices=tasks
    )
    report.notice_ids.extend(notice.id for notice in issued)
    names = "、".join(ctx.policy.directory.department(d).short for d in deciders)
    report.note(
        f"名单{summary.count}项(合计{summary.total}元)进入{STAGE_NAMES.get(stage.name, stage.name)}:待{names}办理"
    )
    return True


def _budget_allows(
    session: Session, ctx: WorkflowContext, cycle: Cycle, resume: str, report: CycleReport
) -> bool:
    verdict = check_budget(session, ctx, cycle)
    report.budget = verdict.message
    if verdict.ok:
        refuse_unpaid(session, ctx, cycle)  # a pro-rated line may have come to 0
        if cycle.state == BUDGET_STOP:
            cycle.details = {k: v for k, v in cycle.details.items() if k != "budget_stop"}
        return True
    already = cycle.details.get("budget_stop", {}) == {**verdict.stop, "resume": resume}
    if not already:
        cycle.details = {**cycle.details, "budget_stop": {**verdict.stop, "resume": resume}}
        _set(session, ctx, cycle, "stop_for_budget", cycle.stage, note=verdict.message)
        report.note(verdict.message)
    return False


def _set(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    transition: str,
    stage: str | None,
    *,
    note: str,
    notices: Callable[[], Iterable[Notice | None]] | None = None,
) -> list[Notice]:
    """Fire one declared transition of the list; the notices it issued."""
    return fire(
        session,
        ANNUAL_LIST,
        transition,
        [Move(cycle.id, list_ref(cycle.measure, cycle.year), stage, {"note": note})],
        by=Role.SYSTEM,
        actor=ctx.procedure.system_actor,
        notices=notices,
    )
