"""Advance one measure's cycle of one year as far as automated steps allow, then stop at the
next human gate. Cycle-level steps only (small transactions); the per-line work they leave
(lines taken out or refused, lines to pay) is done in chunks by `linework` and `payment`.

building → lead_review (the lead unit approves the list; lines it finds ineligible are
refused with the rule's reasons) → countersign (each responsible department once) → 公示
of the whole list → finance → paying → done. A decision may name lines to take out
(例外事项): they go back to the single-application route. A department refusing the whole
list sends every line back to it. The budget is checked before 公示, before finance and
before paying; over budget the cycle stops (budget_stop) until config allows it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from ipaward.cycles import route
from ipaward.cycles.budget_check import check_budget
from ipaward.cycles.lines import (
    PAID,
    awaiting_groups,
    count_with,
    included,
    lines_numbered,
    summarise,
    total_with,
)
from ipaward.cycles.notices import list_task, publicity
from ipaward.cycles.report import CycleReport, describe
from ipaward.cycles.route import cycle_measure
from ipaward.cycles.takeout import decided_exceptions, drop_withdrawn, refuse_unpaid, take_out
from ipaward.db.models import Cycle
from ipaward.repository import audit
from ipaward.repository.cycles import BUILDING, cycle_ref, find_cycle, is_open
from ipaward.repository.work_items import ensure_work_items, stage_items
from ipaward.workflow.completion import judge
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import PUBLICITY_STAGE, STAGE_NAMES

IN_REVIEW, PUBLICITY, BUDGET_STOP, PAYING, DONE = (
    "in_review",
    "publicity",
    "budget_stop",
    "paying",
    "done",
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
            _set(session, ctx, cycle, DONE, None, note="本年度无待结算申请")
            report.note("本年度无待结算申请,年度结算结束")
            return True
        report.note(f"名单生成:{summary.count}项,合计{summary.total}元")
        return _go(
            session, ctx, cycle, route.next_stage(cycle_measure(ctx, cycle), None), today, report
        )
    if cycle.state == IN_REVIEW:
        return _review(session, ctx, cycle, today=today, report=report)
    if cycle.state == PUBLICITY:
        ends = dt.date.fromisoformat(cycle.details["publicity_ends_on"])
        if today <= ends:
            return False
        report.note(f"名单公示期满({ends})")
        following = route.next_stage(cycle_measure(ctx, cycle), PUBLICITY_STAGE)
        return _go(session, ctx, cycle, following, today, report)
    if cycle.state == BUDGET_STOP:
        resume = str(cycle.details["budget_stop"]["resume"])
        if not _budget_allows(session, ctx, cycle, resume, report):
            return False
        report.note("预算核对通过,恢复办理")
        return _enter(session, ctx, cycle, None if resume == GUARDED else resume, today, report)
    if cycle.state == PAYING and not count_with(session, cycle):
        total = total_with(session, cycle, PAID)
        cycle.total = total
        _set(session, ctx, cycle, DONE, None, note=f"拨付完成,合计{total}元")
        report.note(f"名单拨付完成,合计{total}元")
        return True
    return False


def _review(
    session: Session, ctx: WorkflowContext, cycle: Cycle, *, today: dt.date, report: CycleReport
) -> bool:
    measure = cycle_measure(ctx, cycle)
    assert cycle.stage is not None
    spec = route.stage_spec(measure, cycle.stage)
    items = stage_items(
        session,
        application_id=None,
        cycle_ref=cycle_ref(cycle.measure, cycle.year),
        stage=cycle.stage,
        round=cycle.stage_round,
    )
    verdict = judge(items, completion=spec.completion, ratio=spec.completion_ratio)
    if verdict.verdict == "waiting":
        return False
    name = STAGE_NAMES.get(cycle.stage, cycle.stage)
    if verdict.verdict in ("rejected", "returned"):
        decision = verdict.deciding.decision if verdict.deciding else None
        reason = decision.comment if decision else "名单未获通过"
        who = decision.department if decision else ""
        lines = included(session, cycle)
        take_out(session, ctx, cycle, lines, reason=f"名单未获通过,转逐件办理:{reason}", by=who)
        _set(session, ctx, cycle, DONE, None, note=f"{name}未通过名单:{reason}")
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
    return _go(session, ctx, cycle, route.next_stage(measure, cycle.stage), today, report)


def take_out_numbers(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    exceptions: dict[str, tuple[str, str]],
    *,
    stage: str,
) -> int:
    by_number = {
        str(line.details["number"]): line for line in lines_numbered(session, cycle, exceptions)
    }
    count = 0
    for number, (reason, who) in exceptions.items():
        line = by_number.get(number)
        if line is not None:
            take_out(session, ctx, cycle, [line], reason=reason, by=who, stage=stage)
            count += 1
    return count


def _go(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    stage: str | None,
    today: dt.date,
    report: CycleReport,
) -> bool:
    """Check the budget before 公示, finance and payment; then enter the stage. A list with
    no line left (all refused or taken out) is done."""
    if not count_with(session, cycle):
        cycle.total = total_with(session, cycle, PAID)
        _set(session, ctx, cycle, DONE, None, note="名单已无待办理的申请")
        report.note("名单已无待办理的申请,年度结算结束")
        return True
    if stage in (PUBLICITY_STAGE, "finance", None):
        target = stage or GUARDED
        if not _budget_allows(session, ctx, cycle, target, report):
            return True
    return _enter(session, ctx, cycle, stage, today, report)


def _enter(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    stage: str | None,
    today: dt.date,
    report: CycleReport,
) -> bool:
    summary = summarise(session, cycle)
    measure = cycle_measure(ctx, cycle)
    if stage is None:
        _set(session, ctx, cycle, PAYING, None, note=f"{summary.count}项待拨付")
        report.note(f"名单审核完毕,{summary.count}项进入拨付")
        return True
    spec = route.stage_spec(measure, stage)
    if stage == PUBLICITY_STAGE:
        days = spec.working_days or 5
        ends = ctx.calendar.add_working_days(today, days)
        cycle.details = {
            **cycle.details,
            "publicity_ends_on": ends.day.isoformat(),
            "publicity_provisional": ends.provisional,
        }
        _set(session, ctx, cycle, PUBLICITY, stage, note=f"公示至{ends.day}")
        notice = publicity(session, ctx, cycle, ends=ends.day, working_days=days, today=today)
        if notice is not None:
            report.notice_ids.append(notice.id)
        report.note(
            f"名单{summary.count}项公示至{ends.day}" + ("(日历待确认)" if ends.provisional else "")
        )
        return True
    deciders = route.departments(ctx, measure, spec, summary.shares)
    if not deciders or not summary.count:
        return _go(session, ctx, cycle, route.next_stage(measure, stage), today, report)
    _set(session, ctx, cycle, IN_REVIEW, stage, note="、".join(deciders))
    due = (
        ctx.calendar.add_working_days(today, spec.due_working_days).day
        if spec.due_working_days
        else None
    )
    items = ensure_work_items(
        session,
        application_id=None,
        cycle_ref=cycle_ref(cycle.measure, cycle.year),
        stage=stage,
        round=cycle.stage_round,
        departments=deciders,
        due_on=due,
    )
    total = summary.total
    for item in items:
        notice = list_task(session, ctx, cycle, item, lines=summary.count, total=total, today=today)
        report.notice_ids.append(notice.id)
    names = "、".join(ctx.policy.directory.department(d).short for d in deciders)
    report.note(
        f"名单{summary.count}项(合计{total}元)进入{STAGE_NAMES.get(stage, stage)}:待{names}办理"
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
        _set(session, ctx, cycle, BUDGET_STOP, cycle.stage, note=verdict.message)
        report.note(verdict.message)
    return False


def _set(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    state: str,
    stage: str | None,
    *,
    note: str,
) -> None:
    before: dict[str, Any] = {"state": cycle.state, "stage": cycle.stage}
    cycle.state, cycle.stage = state, stage
    audit.record(
        session,
        actor=ctx.procedure.system_actor,
        action=f"cycle.{state}",
        entity="cycle",
        entity_id=cycle_ref(cycle.measure, cycle.year),
        details={"from": before, "to": {"state": state, "stage": stage}, "note": note},
    )
    session.flush()
