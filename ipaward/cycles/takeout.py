"""Lines leaving the list: taken out by a department (例外事项, back to the single route) or
refused because the rule gives them nothing. The applications themselves are moved in
chunks by `linework`, after the cycle step that decided it has committed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ipaward.cycles.lines import EXCEPTED, INCLUDED, REFUSED, lines_numbered, resettle
from ipaward.cycles.shared import lines_sharing_with
from ipaward.db.models import Application, Cycle, CycleLine, WorkItem
from ipaward.workflow.completion import APPROVING
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import AWAITING_CYCLE


def decided_exceptions(items: Sequence[WorkItem]) -> dict[str, tuple[str, str]]:
    """Application number → (reason, department) named by the stage's approving decisions."""
    named: dict[str, tuple[str, str]] = {}
    for item in items:
        decision = item.decision
        if decision is None or decision.outcome not in APPROVING:
            continue
        for entry in decision.details.get("exceptions", []):
            reason = str(entry.get("reason") or decision.comment or "列为例外事项,逐件办理")
            named.setdefault(str(entry["application"]), (reason, item.department))
    return named


def take_out(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    lines: Sequence[CycleLine],
    *,
    reason: str,
    by: str,
    stage: str | None = None,
) -> None:
    """Take lines off the list; the recipients' other lines are assessed again without them
    (and, before 公示, other recipients' lines that shared an item with them)."""
    affected, gone = set(), []
    for line in lines:
        if line.status != INCLUDED:
            continue
        line.status = EXCEPTED
        line.details = {
            **line.details,
            "excepted": {"by": by, "stage": stage or cycle.stage, "reason": reason},
        }
        affected.add(line.recipient_uscc)
        gone.append(line.application_id)
    session.flush()
    affected |= lines_sharing_with(session, cycle, gone)
    if affected:
        resettle(session, ctx, cycle, affected)


def refuse_unpaid(session: Session, ctx: WorkflowContext, cycle: Cycle) -> int:
    """Lines the rule gives nothing are refused (their reason is on the line already); before
    公示, items they shared go back to the other recipients' lines."""
    zero = (CycleLine.cycle_id == cycle.id, CycleLine.status == INCLUDED, CycleLine.amount == 0)
    refused = list(session.scalars(select(CycleLine.application_id).where(*zero)))
    if not refused:
        return 0
    session.execute(
        update(CycleLine)
        .where(*zero)
        .values(status=REFUSED)
        .execution_options(synchronize_session="fetch")
    )
    sharers = lines_sharing_with(session, cycle, refused)
    if sharers:
        resettle(session, ctx, cycle, sharers)
    return len(refused)


def drop_withdrawn(session: Session, ctx: WorkflowContext, cycle: Cycle) -> int:
    """Lines whose application was withdrawn (or left the cycle otherwise) leave the list."""
    gone = list(
        session.scalars(
            select(CycleLine)
            .join(Application, Application.id == CycleLine.application_id)
            .where(
                CycleLine.cycle_id == cycle.id,
                CycleLine.status == INCLUDED,
                Application.state != AWAITING_CYCLE,
            )
        )
    )
    take_out(session, ctx, cycle, gone, reason="申请已撤回或已另行办理", by="system")
    return len(gone)


def take_out_numbers(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    exceptions: dict[str, tuple[str, str]],
    *,
    stage: str,
) -> int:
    """Take out the lines a decision named (例外事项: number → (reason, who)); how many."""
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
